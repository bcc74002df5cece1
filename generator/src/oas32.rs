//! OpenAPI 3.2: rewritten to the 3.1 shapes the rest of the loader reads,
//! with a side channel for what the typed `openapiv3` model cannot hold.
//!
//! - The `query` method and `additionalOperations` (custom methods such as
//!   `LOCK`) have no field in `openapiv3::PathItem`; they are moved into
//!   path-item extensions ([`QUERY`], [`ADDITIONAL`]), which the typed parse
//!   keeps, and [`operations_of`] gives them to the model builder beside the
//!   fixed methods.
//! - What a client has no use for (`$self`, server names, tag summaries and
//!   parents, `discriminator.defaultMapping`, deprecated or device-flow
//!   security details) is dropped with a note; `openapiv3` ignores unknown
//!   fields, so without the note it would vanish silently.
//! - Sequential media types (`itemSchema` on JSON Lines, NDJSON, JSON text
//!   sequences, server-sent events) keep their item schema as `schema`,
//!   marked ([`SEQUENCE`]) for the builder; other uses are dropped with a note.
//! - `in: querystring` parameters (the whole query string as one value,
//!   described by `content`) become `in: query` parameters marked
//!   ([`QUERYSTRING`]), which `openapiv3` can parse; the builder gives them
//!   their own location.

use std::borrow::Cow;

use openapiv3::{Operation, PathItem};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Pointer, Problems, Result};
use crate::refs::Relocations;

/// Path-item extension that carries the `query` operation.
pub const QUERY: &str = "x-openapi-rust-generator-query";
/// Media-type extension that marks a sequential body whose `itemSchema`
/// became its `schema` (see `build/sequence.rs`).
pub const SEQUENCE: &str = "x-openapi-rust-generator-sequence";
/// Parameter extension that marks an `in: querystring` parameter rewritten
/// as `in: query` (see `build/operations.rs`).
pub const QUERYSTRING: &str = "x-openapi-rust-generator-querystring";
/// OAuth2 flows extension that carries the `deviceAuthorization` flow
/// (`build/mod.rs`, `oauth2_flows`).
pub const DEVICE_AUTHORIZATION: &str = "x-openapi-rust-generator-device-authorization";
/// Path-item extension that carries `additionalOperations`.
pub const ADDITIONAL: &str = "x-openapi-rust-generator-additional-operations";

/// The methods 3.2 gives a fixed field; `additionalOperations` may not
/// repeat them.
const FIXED: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Rewrites a 3.2 document, in place, into 3.1 shapes plus the side channel.
/// A path item whose `additionalOperations` cannot be read loses them,
/// and the problem is recorded. Each renamed place goes into `renamed`, so
/// that a problem found there later is told where the document wrote it.
pub fn normalize(
    doc: &mut Value,
    notes: &mut Vec<String>,
    problems: &mut Problems,
    renamed: &mut Relocations,
) {
    let Some(root) = doc.as_object_mut() else {
        return;
    };
    if let Some(this) = root.remove("$self") {
        notes.push(format!(
            "#/$self: {this} ignored; references are resolved against the file read"
        ));
    }
    for (i, server) in array_mut(root.get_mut("servers")).enumerate() {
        if let Some(name) = server.as_object_mut().and_then(|s| s.remove("name")) {
            notes.push(format!(
                "#/servers/{i}/name: server name {name} ignored; the first server is the default base URL"
            ));
        }
    }
    let mut tag_fields = Vec::new();
    for tag in array_mut(root.get_mut("tags")) {
        for field in ["summary", "parent", "kind"] {
            if tag.as_object_mut().and_then(|t| t.remove(field)).is_some()
                && !tag_fields.contains(&field)
            {
                tag_fields.push(field);
            }
        }
    }
    if !tag_fields.is_empty() {
        notes.push(format!(
            "#/tags: tag {} ignored; the client's methods are not grouped by tag",
            tag_fields.join(", ")
        ));
    }
    security_schemes(root, notes);

    let paths_at = Pointer::root().key("paths");
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if let Some(item) = item.as_object_mut() {
                problems.check(side_channel(item, &paths_at.key(path), renamed));
            }
        }
    }
    walk(doc, &Pointer::root(), notes, renamed);
}

fn array_mut(value: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    value
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

fn security_schemes(root: &mut Map<String, Value>, notes: &mut Vec<String>) {
    let schemes = root
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut);
    let at = Pointer::root().key("components").key("securitySchemes");
    for (name, scheme) in schemes.into_iter().flatten() {
        let Some(scheme) = scheme.as_object_mut() else {
            continue;
        };
        let here = at.key(name);
        if scheme.remove("deprecated") == Some(Value::Bool(true)) {
            notes.push(format!(
                "{here}: deprecated security scheme `{name}` is still offered by the client"
            ));
        }
        if scheme.remove("oauth2MetadataUrl").is_some() {
            notes.push(format!(
                "{here}/oauth2MetadataUrl: ignored; the client takes a token, it does not fetch one"
            ));
        }
        // `openapiv3` knows no device flow: it travels as an extension.
        if let Some(flows) = scheme.get_mut("flows").and_then(Value::as_object_mut) {
            if let Some(device) = flows.remove("deviceAuthorization") {
                flows.insert(DEVICE_AUTHORIZATION.into(), device);
            }
        }
    }
}

/// Moves `query` and `additionalOperations` into extensions `openapiv3` keeps.
fn side_channel(
    item: &mut Map<String, Value>,
    at: &Pointer,
    renamed: &mut Relocations,
) -> Result<()> {
    if let Some(query) = item.remove("query") {
        item.insert(QUERY.into(), query);
        renamed.renamed(at.key(QUERY).to_string(), at.key("query").to_string());
    }
    if let Some(additional) = item.remove("additionalOperations") {
        let here = at.key("additionalOperations");
        let ops = additional
            .as_object()
            .ok_or_else(|| here.error(ErrorKind::Invalid, "must map method names to operations"))?;
        for method in ops.keys() {
            if !crate::http::is_http_token(method) {
                return Err(here
                    .key(method)
                    .error(ErrorKind::Invalid, "not a valid HTTP method name"));
            }
            if FIXED.contains(&method.to_ascii_lowercase().as_str()) {
                return Err(here.key(method).error(ErrorKind::Invalid, format!(
                    "`{method}` has its own field in a path item; additionalOperations is for other methods"
                )));
            }
        }
        item.insert(ADDITIONAL.into(), additional);
        renamed.renamed(
            at.key(ADDITIONAL).to_string(),
            at.key("additionalOperations").to_string(),
        );
    }
    Ok(())
}

/// Walks the document for the parts 3.2 changed below the path items:
/// parameters, media types, discriminators.
fn walk(value: &mut Value, at: &Pointer, notes: &mut Vec<String>, renamed: &mut Relocations) {
    match value {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("querystring") {
                map.insert("in".into(), Value::String("query".into()));
                map.insert(QUERYSTRING.into(), Value::Bool(true));
            }
            if let Some(item) = map.remove("itemSchema") {
                map.remove("itemEncoding");
                map.remove("prefixEncoding");
                // The media type is the last segment of `at` (`…/content/<type>`).
                let media_type = crate::pointer::split_last(at.as_str())
                    .map(|(_, last)| last)
                    .unwrap_or_default();
                let known = crate::http::framing_of(&media_type).is_some();
                if known && !map.contains_key("schema") {
                    map.insert("schema".into(), item);
                    map.insert(SEQUENCE.into(), Value::Bool(true));
                    renamed.renamed(
                        at.key("schema").to_string(),
                        at.key("itemSchema").to_string(),
                    );
                } else {
                    notes.push(format!(
                        "{at}: `itemSchema` ignored: the body is read whole (bytes or text); \
                         items are decoded one by one only for JSON Lines, NDJSON, JSON \
                         text sequences and server-sent events without a `schema`"
                    ));
                }
            }
            if let Some(Value::Object(discriminator)) = map.get_mut("discriminator") {
                if discriminator.remove("defaultMapping").is_some() {
                    notes.push(format!(
                        "{at}/discriminator/defaultMapping: ignored; union branches are tried in order"
                    ));
                }
            }
            for (key, child) in map.iter_mut() {
                // Example payloads are data, not document structure.
                if !matches!(key.as_str(), "example" | "examples" | "default" | "const") {
                    walk(child, &at.key(key), notes, renamed);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &at.index(i), notes, renamed);
            }
        }
        _ => {}
    }
}

/// Every operation of a path item: the fixed methods, then `query` and the
/// `additionalOperations` carried through the side channel, each with its
/// method (as written on the wire, lower case for the fixed ones) and its
/// place in the document.
pub fn operations_of<'a>(
    item: &'a PathItem,
    path_at: &Pointer,
) -> Result<Vec<(String, Pointer, Cow<'a, Operation>)>> {
    let mut out: Vec<(String, Pointer, Cow<'a, Operation>)> = item
        .iter()
        .map(|(method, op)| (method.to_string(), path_at.key(method), Cow::Borrowed(op)))
        .collect();
    if let Some(query) = item.extensions.get(QUERY) {
        let at = path_at.key("query");
        out.push((
            "query".into(),
            at.clone(),
            Cow::Owned(operation(query, &at)?),
        ));
    }
    if let Some(Value::Object(ops)) = item.extensions.get(ADDITIONAL) {
        let here = path_at.key("additionalOperations");
        for (method, op) in ops {
            let at = here.key(method);
            out.push((method.clone(), at.clone(), Cow::Owned(operation(op, &at)?)));
        }
    }
    Ok(out)
}

fn operation(value: &Value, at: &Pointer) -> Result<Operation> {
    fn parse<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            Error::at(
                ErrorKind::Invalid,
                crate::error::path_to_pointer(e.path(), at.clone()),
                format!("does not match the OpenAPI schema: {}", e.inner()),
            )
        })
    }
    parse(value, at).map_err(|whole| {
        // `responses` is a flattened map, which hides the failing status
        // from the error's path: look at each response alone.
        let responses = value.get("responses").and_then(Value::as_object);
        responses
            .into_iter()
            .flatten()
            .filter(|(_, r)| r.get("$ref").is_none())
            .find_map(|(code, r)| {
                parse::<openapiv3::Response>(r, &at.key("responses").key(code)).err()
            })
            .unwrap_or(whole)
    })
}
