//! Reading a document: text → JSON value → (3.1 normalised to 3.0 shapes) →
//! `openapiv3::OpenAPI`.
//!
//! `openapiv3` models OpenAPI 3.0. Rather than refusing 3.1 (as progenitor
//! does), [`crate::normalize`] rewrites the 3.1 spellings that have a 3.0
//! equivalent before the typed parse, and records what it dropped as notes.

use crate::error::{Error, ErrorKind, Pointer, Problems, Result};
use crate::normalize;

/// A parsed document and what the loader noticed on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The document, in `openapiv3`'s 3.0 model.
    pub document: openapiv3::OpenAPI,
    /// The `openapi` version the document declared (`3.1.0`).
    pub declared_version: String,
    /// Things the loader ignored or rewrote that a reader may want to know.
    pub notes: Vec<String>,
    /// Targets of `$ref`s that were moved into `components` (see
    /// [`crate::refs`]), to name places as the document wrote them.
    pub(crate) relocations: crate::refs::Relocations,
    /// The names of the `mutualTLS` security schemes, which `openapiv3`
    /// cannot hold (see [`normalize::mutual_tls`]).
    pub(crate) mutual_tls: Vec<String>,
    /// What an OpenAPI 3.2 document says that `openapiv3` cannot hold
    /// (see [`crate::oas32`]); empty for 3.0 and 3.1.
    pub(crate) oas32: crate::oas32::Rewritten,
}

/// Parses OpenAPI text, YAML or JSON (JSON is YAML, but the JSON parser is
/// much faster on multi-megabyte documents, so it is tried first when the
/// text looks like JSON).
pub fn parse_text(text: &str) -> Result<serde_json::Value> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|e| {
            Error::at(
                ErrorKind::Parse,
                "#",
                format!(
                    "not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        });
    }
    let value: serde_yaml::Value = serde_yaml::from_str(trimmed).map_err(|e| {
        let place = e
            .location()
            .map(|l| format!(" (line {}, column {})", l.line(), l.column()))
            .unwrap_or_default();
        Error::at(ErrorKind::Parse, "#", format!("not valid YAML{place}: {e}"))
    })?;
    yaml_to_json(value, &Pointer::root())
}

/// YAML allows what JSON does not (non-string keys, tags, NaN); OpenAPI is a
/// JSON data model, so convert explicitly and say where a value does not fit.
fn yaml_to_json(value: serde_yaml::Value, at: &Pointer) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => J::Null,
        Y::Bool(b) => J::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                J::from(i)
            } else if let Some(u) = n.as_u64() {
                J::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(J::Number)
                    .ok_or_else(|| {
                        at.error(ErrorKind::Parse, format!("the number {f} has no JSON form"))
                    })?
            }
        }
        Y::String(s) => J::String(s),
        Y::Sequence(items) => J::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &at.index(i)))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    // YAML reads an unquoted `200:` or `true:` as a number or
                    // boolean; in OpenAPI every key is a string.
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err(at.error(
                            ErrorKind::Parse,
                            format!("a mapping key must be a string, found {other:?}"),
                        ))
                    }
                };
                let child = at.key(&key);
                out.insert(key, yaml_to_json(v, &child)?);
            }
            J::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}

/// Loads a document from its text.
pub fn load_str(text: &str) -> Result<Loaded> {
    load_value(parse_text(text)?)
}

/// Loads a document already parsed into a JSON value (after merging several
/// documents or applying overrides, see [`crate::load_files`]); every problem
/// found, when there are any.
pub fn load_value(value: serde_json::Value) -> Result<Loaded> {
    let (loaded, problems) = load_repaired(value)?;
    match problems {
        None => Ok(loaded),
        Some(problems) => Err(problems),
    }
}

/// Loads a document, going on past the parts that do not fit the OpenAPI
/// schema: each is reported and replaced by a placeholder (a schema by a
/// string, an operation or path item is left out), so that the model builder
/// can look for problems in the rest. `Err` when the document cannot be read
/// at all; else the document and what was wrong with it.
pub fn load_repaired(mut value: serde_json::Value) -> Result<(Loaded, Option<Error>)> {
    let root = value.as_object().ok_or_else(|| {
        Error::at(
            ErrorKind::Invalid,
            "#",
            "an OpenAPI document must be a mapping at the top level",
        )
    })?;

    if let Some(swagger) = root.get("swagger") {
        return Err(Error::at(
            ErrorKind::Unsupported,
            "#/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0, 3.1 and 3.2 are supported \
                 (convert it first, e.g. with swagger2openapi)",
                swagger.as_str().unwrap_or("2.0")
            ),
        ));
    }
    let declared_version = match root.get("openapi") {
        Some(serde_json::Value::String(v)) => v.clone(),
        Some(other) => {
            return Err(Error::at(
                ErrorKind::Invalid,
                "#/openapi",
                format!("`openapi` must be a version string such as \"3.1.0\", found {other}"),
            ))
        }
        None => {
            return Err(Error::at(
                ErrorKind::Invalid,
                "#",
                "no `openapi` field: this does not look like an OpenAPI document",
            ))
        }
    };
    let minor = if declared_version.starts_with("3.0") {
        0
    } else if declared_version.starts_with("3.1") {
        1
    } else if declared_version.starts_with("3.2") {
        2
    } else {
        return Err(Error::at(
            ErrorKind::Unsupported,
            "#/openapi",
            format!(
                "OpenAPI {declared_version} is not supported; supported: 3.0.x, 3.1.x and 3.2.x"
            ),
        ));
    };

    let mut notes = Vec::new();
    let mut problems = Problems::default();
    // References to any place become references to components, before
    // anything moves places around.
    let mut relocations = crate::refs::hoist(&mut value, &mut notes, &mut problems);
    normalize::optional_responses(&mut value, &declared_version, &mut notes);
    let mutual_tls = normalize::mutual_tls(&mut value, &declared_version, &mut notes);
    let mut oas32 = crate::oas32::Rewritten::default();
    if minor == 2 {
        // 3.2 → 3.1 shapes first; then what 3.1 and 3.2 share → 3.0.
        oas32 = crate::oas32::normalize(&mut value, &mut notes, &mut problems, &mut relocations);
    }
    if minor >= 1 {
        normalize::openapi_3_1(&mut value, &mut notes, &mut relocations);
    } else {
        normalize::spellings_of_3_1(&mut value, &declared_version, &mut notes, &mut relocations);
    }
    normalize::common(&mut value);
    // Before the typed parse, which takes exponential time on a deep mistake.
    crate::precheck::repair(&mut value, &mut problems);

    // Each round reports (and replaces) every part that does not fit; a
    // failure no part explains ends the run.
    let mut document = None;
    for _ in 0..8 {
        match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
            Ok(parsed) => {
                document = Some(parsed);
                break;
            }
            Err(e) => {
                // `openapiv3` flattens maps (paths, responses), which hides the
                // failing key from the error's path; look again, piece by piece.
                let failures = locate_failures(&value);
                if failures.is_empty() {
                    problems.push(Error::at(
                        ErrorKind::Invalid,
                        crate::error::path_to_pointer(e.path(), Pointer::root()),
                        format!("does not match the OpenAPI schema: {}", e.inner()),
                    ));
                    break;
                }
                for (error, repair) in failures {
                    problems.push(error);
                    oas32.forget(repair.place());
                    repair.apply(&mut value);
                }
            }
        }
    }
    if minor == 2 {
        // `query` and `additionalOperations`, which the typed parse skipped.
        oas32.operations(&value);
    }
    let problems = problems.into_error().map(|e| relocations.original_error(e));
    let Some(document) = document else {
        return Err(problems.unwrap_or_else(|| {
            Error::at(ErrorKind::Invalid, "#", "does not match the OpenAPI schema")
        }));
    };
    Ok((
        Loaded {
            document,
            declared_version,
            notes: notes.iter().map(|n| relocations.original_text(n)).collect(),
            relocations,
            mutual_tls,
            oas32,
        },
        problems,
    ))
}

/// How a part that does not fit is put out of the way once reported.
enum Repair {
    /// Remove the value at the pointer (an operation, a path item, a
    /// security scheme).
    Remove(String),
    /// Put this in its place (a component).
    Replace(String, serde_json::Value),
}

impl Repair {
    /// The place it changes.
    fn place(&self) -> &str {
        match self {
            Repair::Remove(at) | Repair::Replace(at, _) => at,
        }
    }

    fn apply(self, doc: &mut serde_json::Value) {
        match self {
            Repair::Replace(at, value) => {
                if let Some(slot) = crate::pointer::pointee_mut(doc, &at) {
                    *slot = value;
                }
            }
            Repair::Remove(at) => {
                let Some((parent, key)) = crate::pointer::split_last(&at) else {
                    return;
                };
                if let Some(serde_json::Value::Object(map)) =
                    crate::pointer::pointee_mut(doc, parent)
                {
                    map.shift_remove(&key);
                }
            }
        }
    }
}

/// Deserialises the parts of a document that failed as a whole one at a
/// time, to name the innermost part that does not fit: every such part,
/// with how to put it out of the way.
fn locate_failures(doc: &serde_json::Value) -> Vec<(Error, Repair)> {
    use openapiv3::{Parameter, PathItem, RequestBody, Response, Schema, SecurityScheme};
    fn check<T: serde::de::DeserializeOwned>(
        value: &serde_json::Value,
        at: &Pointer,
    ) -> Option<Error> {
        // A `$ref` is checked where it points; checking the item type
        // directly (not `ReferenceOr<T>`, an untagged enum) keeps the path.
        if value.get("$ref").is_some() {
            return None;
        }
        serde_path_to_error::deserialize::<_, T>(value)
            .err()
            .map(|e| {
                Error::at(
                    ErrorKind::Invalid,
                    crate::error::path_to_pointer(e.path(), at.clone()),
                    format!("does not match the OpenAPI schema: {}", e.inner()),
                )
            })
    }
    let mut found = Vec::new();
    let paths = Pointer::root().key("paths");
    for (path, item) in doc
        .get("paths")
        .and_then(|p| p.as_object())
        .into_iter()
        .flatten()
    {
        let item_at = paths.key(path);
        let Some(whole) = check::<PathItem>(item, &item_at) else {
            continue;
        };
        let mut inner = Vec::new();
        for (method, op) in item.as_object().into_iter().flatten() {
            let op_at = item_at.key(method);
            let responses = op.get("responses").and_then(|r| r.as_object());
            for (code, response) in responses.into_iter().flatten() {
                if let Some(e) = check::<Response>(response, &op_at.key("responses").key(code)) {
                    inner.push((e, Repair::Remove(op_at.as_str().to_string())));
                    break;
                }
            }
            let parameters = op.get("parameters").and_then(|r| r.as_array());
            for (i, param) in parameters.into_iter().flatten().enumerate() {
                if let Some(e) = check::<Parameter>(param, &op_at.key("parameters").index(i)) {
                    inner.push((e, Repair::Remove(op_at.as_str().to_string())));
                    break;
                }
            }
        }
        if inner.is_empty() {
            // Nothing smaller explains it: the path item goes.
            found.push((whole, Repair::Remove(item_at.as_str().to_string())));
        } else {
            found.extend(inner);
        }
    }
    let components = Pointer::root().key("components");
    type Check = fn(&serde_json::Value, &Pointer) -> Option<Error>;
    let sections: [(&str, Check); 5] = [
        ("schemas", check::<Schema>),
        ("responses", check::<Response>),
        ("parameters", check::<Parameter>),
        ("requestBodies", check::<RequestBody>),
        ("securitySchemes", check::<SecurityScheme>),
    ];
    for (section, check_one) in sections {
        let section_at = components.key(section);
        let entries = doc
            .get("components")
            .and_then(|c| c.get(section))
            .and_then(|s| s.as_object());
        for (key, value) in entries.into_iter().flatten() {
            let at = section_at.key(key);
            if let Some(e) = check_one(value, &at) {
                let at = at.as_str().to_string();
                let repair = match section {
                    "schemas" => Repair::Replace(at, crate::precheck::placeholder()),
                    "responses" => Repair::Replace(at, serde_json::json!({"description": ""})),
                    "requestBodies" => Repair::Replace(at, serde_json::json!({"content": {}})),
                    "parameters" => Repair::Replace(at, placeholder_parameter(value)),
                    _ => Repair::Remove(at),
                };
                found.push((e, repair));
            }
        }
    }
    found
}

/// What stands for a shared parameter that does not fit, once reported: its
/// name and location when they can be read, so that the operations that use
/// it raise no errors of their own.
fn placeholder_parameter(value: &serde_json::Value) -> serde_json::Value {
    let text = |key: &str| value.get(key).and_then(|v| v.as_str());
    let location = text("in")
        .filter(|l| matches!(*l, "path" | "query" | "header" | "cookie"))
        .unwrap_or("query");
    serde_json::json!({
        "name": text("name").unwrap_or("placeholder"),
        "in": location,
        "required": location == "path",
        "schema": crate::precheck::placeholder(),
    })
}
