//! OpenAPI 3.2: rewritten to the 3.1 shapes the rest of the loader reads;
//! what the typed `openapiv3` model cannot hold travels beside it as
//! [`Rewritten`], keyed by the place it belongs to.
//!
//! - The `query` method and `additionalOperations` (custom methods such as
//!   `LOCK`) have no field in `openapiv3::PathItem`; they stay where they
//!   are in the JSON value (normalised and checked like any operation), and
//!   once the document is parsed [`Rewritten::operations`] takes them, so
//!   that [`operations_of`] gives them to the model builder beside the
//!   fixed methods.
//! - What a client has no use for (`$self`, server names, tag summaries and
//!   parents, `discriminator.defaultMapping`, deprecated or device-flow
//!   security details) is dropped with a note; `openapiv3` ignores unknown
//!   fields, so without the note it would vanish silently.
//! - Sequential media types (`itemSchema` on JSON Lines, NDJSON, JSON text
//!   sequences, server-sent events) keep their item schema as `schema`, and
//!   their places are recorded ([`Rewritten::is_sequence`]); other uses are
//!   dropped with a note.
//! - `in: querystring` parameters (the whole query string as one value,
//!   described by `content`) become `in: query` parameters, which
//!   `openapiv3` can parse, and their places are recorded
//!   ([`Rewritten::is_querystring`]); the builder gives them their own
//!   location.
//! - The OAuth2 `deviceAuthorization` flow, which `openapiv3` knows not, is
//!   taken out of its scheme and kept as a [`DeviceFlow`].

use std::collections::{HashMap, HashSet};

use openapiv3::{Operation, PathItem};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Pointer, Problems, Result};
use crate::refs::Relocations;
use crate::schema_walk::{self, Found, Node, Step};

/// What the 3.2 rewrite learned that `openapiv3` cannot hold, for the
/// model builder. Empty for a 3.0 or 3.1 document.
#[derive(Debug, Default)]
pub struct Rewritten {
    /// Per path item (its pointer), the `query` operation and then the
    /// `additionalOperations`: each with its method, its place, and the
    /// operation (or why it does not fit).
    operations: HashMap<String, Vec<(String, Pointer, Result<Operation>)>>,
    /// The media types whose `itemSchema` became their `schema` (pointers,
    /// a status code written as `openapiv3` writes it: `2XX`).
    sequences: HashSet<String>,
    /// The parameters written `in: querystring`, now `in: query` (pointers).
    querystrings: HashSet<String>,
    /// The `deviceAuthorization` flow of each OAuth2 scheme (by name) that
    /// has one.
    device_flows: HashMap<String, DeviceFlow>,
}

/// An OAuth2 `deviceAuthorization` flow (OpenAPI 3.2), read as leniently as
/// the other flows: a missing text is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceFlow {
    /// `deviceAuthorizationUrl`.
    pub url: String,
    /// `tokenUrl`.
    pub token_url: String,
    /// The names of `scopes`.
    pub scopes: Vec<String>,
}

impl Rewritten {
    /// Whether the media type at `at` (`…/content/<type>`) is a sequence
    /// whose `itemSchema` became its `schema` (see `build/sequence.rs`).
    pub fn is_sequence(&self, at: &Pointer) -> bool {
        self.sequences.contains(at.as_str())
    }

    /// Whether the parameter at `at` was written `in: querystring`.
    pub fn is_querystring(&self, at: &Pointer) -> bool {
        self.querystrings.contains(at.as_str())
    }

    /// The `deviceAuthorization` flow of the security scheme `scheme`.
    pub fn device_flow(&self, scheme: &str) -> Option<&DeviceFlow> {
        self.device_flows.get(scheme)
    }

    /// Forgets what was recorded at `at` or inside it: the loader put a
    /// placeholder there (or removed it), which is none of these.
    pub fn forget(&mut self, at: &str) {
        let outside = |place: &String| crate::pointer::within(place, at).is_none();
        self.sequences.retain(outside);
        self.querystrings.retain(outside);
    }

    /// Takes the `query` operations and `additionalOperations` of the
    /// parsed document's path items (the JSON value it was parsed from,
    /// which still holds them), each parsed as an operation.
    pub fn operations(&mut self, doc: &Value) {
        let paths_at = Pointer::root().key("paths");
        let paths = doc.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let at = paths_at.key(path);
            let mut found = Vec::new();
            if let Some(query) = item.get("query") {
                let here = at.key("query");
                found.push(("query".to_string(), here.clone(), operation(query, &here)));
            }
            if let Some(Value::Object(ops)) = item.get("additionalOperations") {
                let base = at.key("additionalOperations");
                for (method, op) in ops {
                    let here = base.key(method);
                    found.push((method.clone(), here.clone(), operation(op, &here)));
                }
            }
            if !found.is_empty() {
                self.operations.insert(at.as_str().to_string(), found);
            }
        }
    }
}

/// The methods 3.2 gives a fixed field; `additionalOperations` may not
/// repeat them.
const FIXED: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// Rewrites a 3.2 document, in place, into 3.1 shapes, and returns what
/// `openapiv3` cannot hold (but the operations, which
/// [`Rewritten::operations`] takes after the typed parse). A path item
/// whose `additionalOperations` cannot be read loses them, and the problem
/// is recorded. Each renamed place goes into `renamed`, so that a problem
/// found there later is told where the document wrote it.
pub fn normalize(
    doc: &mut Value,
    notes: &mut Vec<String>,
    problems: &mut Problems,
    renamed: &mut Relocations,
) -> Rewritten {
    let mut rewritten = Rewritten::default();
    let Some(root) = doc.as_object_mut() else {
        return rewritten;
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
    security_schemes(root, notes, &mut rewritten);

    let paths_at = Pointer::root().key("paths");
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if let Some(item) = item.as_object_mut() {
                if let Err(e) = additional_operations(item, &paths_at.key(path)) {
                    problems.push(e);
                    item.shift_remove("additionalOperations");
                }
            }
        }
    }
    walk(doc, notes, renamed, &mut rewritten);
    rewritten
}

fn array_mut(value: Option<&mut Value>) -> impl Iterator<Item = &mut Value> {
    value
        .and_then(Value::as_array_mut)
        .into_iter()
        .flat_map(|items| items.iter_mut())
}

fn security_schemes(
    root: &mut Map<String, Value>,
    notes: &mut Vec<String>,
    rewritten: &mut Rewritten,
) {
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
        // `openapiv3` knows no device flow: it travels beside the document.
        if let Some(flows) = scheme.get_mut("flows").and_then(Value::as_object_mut) {
            if let Some(device) = flows.remove("deviceAuthorization") {
                rewritten
                    .device_flows
                    .insert(name.clone(), device_flow(&device));
            }
        }
    }
}

fn device_flow(device: &Value) -> DeviceFlow {
    let text = |key: &str| {
        device
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    DeviceFlow {
        url: text("deviceAuthorizationUrl"),
        token_url: text("tokenUrl"),
        scopes: device
            .get("scopes")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
    }
}

/// Checks a path item's `additionalOperations`: a map from method names
/// (HTTP tokens, none with a field of its own) to operations.
fn additional_operations(item: &Map<String, Value>, at: &Pointer) -> Result<()> {
    let Some(additional) = item.get("additionalOperations") else {
        return Ok(());
    };
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
    Ok(())
}

/// A media type's place as the model builder names it: a status code
/// below an operation's `responses` spelled as `openapiv3` prints it
/// (`2xx` → `2XX`), as the builder knows only the parsed code.
fn builder_place(at: &Pointer) -> String {
    let Some(mut tokens) = crate::pointer::tokens(at.as_str()) else {
        return at.to_string();
    };
    let n = tokens.len();
    // `…/responses/<status>/content/<type>`, but not
    // `#/components/responses/<name>/content/<type>`.
    let under_operation = n >= 4
        && tokens[n - 4] == "responses"
        && tokens[n - 2] == "content"
        && !(n == 5 && tokens[0] == "components");
    if under_operation {
        let status = Value::String(tokens[n - 3].clone());
        if let Ok(code) = serde_json::from_value::<openapiv3::StatusCode>(status) {
            tokens[n - 3] = code.to_string();
        }
    }
    tokens
        .iter()
        .fold(Pointer::root(), |p, t| p.key(t))
        .to_string()
}

/// Walks the document ([`schema_walk::walk_found`]) for the parts 3.2
/// changed below the path items: parameters, media types, discriminators.
fn walk(
    doc: &mut Value,
    notes: &mut Vec<String>,
    renamed: &mut Relocations,
    rewritten: &mut Rewritten,
) {
    schema_walk::walk_found(doc, &mut |found, value, place| {
        let Some(map) = value.as_object_mut() else {
            return Step::Into;
        };
        let at = place.pointer();
        match found {
            Found::Node(Node::Parameter) => {
                if map.get("in").and_then(Value::as_str) == Some("querystring") {
                    map.insert("in".into(), Value::String("query".into()));
                    rewritten.querystrings.insert(at.to_string());
                }
            }
            Found::Node(Node::MediaType) => media_type(map, &at, notes, renamed, rewritten),
            Found::Schema(_) => {
                if let Some(Value::Object(discriminator)) = map.get_mut("discriminator") {
                    if discriminator.remove("defaultMapping").is_some() {
                        notes.push(format!(
                            "{at}/discriminator/defaultMapping: ignored; union branches are tried in order"
                        ));
                    }
                }
            }
            Found::Node(_) => {}
        }
        Step::Into
    });
}

/// A media type's `itemSchema`: its `schema` for a sequential media type
/// without one, else dropped with a note.
fn media_type(
    map: &mut Map<String, Value>,
    at: &Pointer,
    notes: &mut Vec<String>,
    renamed: &mut Relocations,
    rewritten: &mut Rewritten,
) {
    let Some(item) = map.remove("itemSchema") else {
        return;
    };
    map.remove("itemEncoding");
    map.remove("prefixEncoding");
    // The media type is the last segment of `at` (`…/content/<type>`).
    let media_type = crate::pointer::split_last(at.as_str())
        .map(|(_, last)| last)
        .unwrap_or_default();
    let known = crate::http::framing_of(&media_type).is_some();
    if known && !map.contains_key("schema") {
        map.insert("schema".into(), item);
        rewritten.sequences.insert(builder_place(at));
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

/// Every operation of a path item: the fixed methods, then `query` and the
/// `additionalOperations` of a 3.2 document (from `rewritten`), each with
/// its method (as written on the wire, lower case for the fixed ones) and
/// its place in the document; the first of those that does not fit is the
/// error.
pub fn operations_of<'a>(
    item: &'a PathItem,
    path_at: &Pointer,
    rewritten: &'a Rewritten,
) -> Result<Vec<(String, Pointer, &'a Operation)>> {
    let mut out: Vec<(String, Pointer, &'a Operation)> = item
        .iter()
        .map(|(method, op)| (method.to_string(), path_at.key(method), op))
        .collect();
    let more = rewritten.operations.get(path_at.as_str());
    for (method, at, op) in more.into_iter().flatten() {
        let op = op.as_ref().map_err(Clone::clone)?;
        out.push((method.clone(), at.clone(), op));
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Only a media type's `itemSchema` is one, only a parameter's `in`
    /// is a location: a property of those names, or an enum value, is data.
    #[test]
    fn rewrites_only_media_types_parameters_and_schemas() {
        let mut doc = json!({"openapi": "3.2.0", "paths": {"/a": {"get": {
            "parameters": [{"name": "q", "in": "querystring",
                "content": {"application/json": {"schema": {"type": "object"}}}}],
            "responses": {"200": {"description": "ok", "content": {
                "application/jsonl": {"itemSchema": {"type": "object", "properties": {
                    "itemSchema": {"type": "string"},
                    "in": {"enum": [{"in": "querystring"}]}
                }, "discriminator": {"propertyName": "k", "defaultMapping": "X"}}}
            }}}
        }}}});
        let mut notes = Vec::new();
        let rewritten = normalize(
            &mut doc,
            &mut notes,
            &mut Problems::default(),
            &mut Relocations::default(),
        );
        let get = &doc["paths"]["/a"]["get"];
        assert_eq!(get["parameters"][0]["in"], "query");
        let media = "#/paths/~1a/get/responses/200/content/application~1jsonl";
        let schema = &get["responses"]["200"]["content"]["application/jsonl"]["schema"];
        assert_eq!(
            schema["properties"]["itemSchema"],
            json!({"type": "string"})
        );
        assert_eq!(
            schema["properties"]["in"],
            json!({"enum": [{"in": "querystring"}]})
        );
        assert!(schema["discriminator"].get("defaultMapping").is_none());
        assert_eq!(
            notes,
            [format!(
                "{media}/schema/discriminator/defaultMapping: ignored; union branches are tried in order"
            )]
        );
        assert!(rewritten.is_sequence(&Pointer::from_place(media)));
        assert!(rewritten.is_querystring(&Pointer::from_place("#/paths/~1a/get/parameters/0")));
    }
}
