//! Checks every schema object on its own before the typed parse.
//!
//! `openapiv3::Schema` is an untagged enum behind a flattened struct: when a
//! nested schema does not fit, serde retries the enclosing schema as each
//! remaining variant, and every retry parses the whole subtree again. A
//! mistake `d` schemas deep costs about `2^d` parses (20 levels: seconds;
//! 30: hours) and the error then names only the outermost schema. Checking
//! each schema with its child schemas replaced by `{}` costs one pass over
//! the document and names the innermost schema that does not fit.
//!
//! It also bounds how deeply schemas nest, so that the recursive stages after
//! it (build, emit) cannot overflow the stack.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Place, Pointer, Problems};

/// Deepest schema nesting accepted. Real documents stay far below (the
/// GitHub API description, 3.7 MB, nests 8 deep); the JSON and YAML parsers
/// already stop at 128 levels of any value.
pub const MAX_SCHEMA_DEPTH: usize = 32;

/// Keywords whose value is one schema.
const ONE_SCHEMA: &[&str] = &["items", "additionalProperties", "not"];
/// Keywords whose value is a list of schemas.
const SCHEMA_LIST: &[&str] = &["allOf", "oneOf", "anyOf"];

/// Checks every schema in a document (already normalised to 3.0 shapes):
/// every problem found. (The pipeline calls [`repair`], which goes on; this
/// is the check alone, for the tests.)
#[cfg(test)]
fn schemas(doc: &Value) -> crate::error::Result<()> {
    let mut problems = Problems::default();
    for (_, error) in failures(doc) {
        problems.push(error);
    }
    problems.into_error().map_or(Ok(()), Err)
}

/// Checks every schema, records each problem and replaces each schema that
/// has one with [`placeholder`], so that the typed parse can go on and the
/// rest of the document be checked.
pub fn repair(doc: &mut Value, problems: &mut Problems) {
    for (at, error) in failures(doc) {
        problems.push(error);
        if let Some(slot) = crate::pointer::pointee_mut(doc, at.as_str()) {
            *slot = placeholder();
        }
    }
}

/// What stands for a schema that had a problem, once it is reported: a
/// string fits wherever a schema is used (a parameter, a field, a body), so
/// it does not cause more errors elsewhere.
pub fn placeholder() -> Value {
    serde_json::json!({"type": "string"})
}

/// Each schema with a problem (its place) and the problem.
fn failures(doc: &Value) -> Vec<(Pointer, Error)> {
    let mut found = Vec::new();
    walk_document(doc, &Place::Root, &mut found);
    found
}

/// Finds schemas: under a `schema` key (parameters, media types, headers)
/// and in `components/schemas`.
fn walk_document(value: &Value, at: &Place, found: &mut Vec<(Pointer, Error)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = Place::Key(at, key);
                match key.as_str() {
                    "schema" => schema(child, &here, 1, found),
                    "schemas" if at.is_components() => {
                        for (name, s) in child.as_object().into_iter().flatten() {
                            schema(s, &Place::Key(&here, name), 1, found);
                        }
                    }
                    // Example payloads are data, not document structure.
                    "example" | "examples" | "default" => {}
                    _ => walk_document(child, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk_document(v, &Place::Index(at, i), found);
            }
        }
        _ => {}
    }
}

fn schema(value: &Value, at: &Place, depth: usize, found: &mut Vec<(Pointer, Error)>) {
    let Some(map) = value.as_object() else {
        // Not an object where a document (not a schema) holds it: the typed
        // parse says what is wrong, and cheaply, as no untagged schema
        // encloses it. Inside a schema, `shallow` has caught it already.
        return;
    };
    if map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    if depth > MAX_SCHEMA_DEPTH {
        let at = at.pointer();
        let error = at.error(
            ErrorKind::Unsupported,
            format!(
                "schemas nest more than {MAX_SCHEMA_DEPTH} levels deep here; name some of the \
             inner schemas in components/schemas and refer to them with $ref"
            ),
        );
        found.push((at, error));
        return;
    }
    if let Err(e) = serde_json::from_value::<openapiv3::Schema>(shallow(map)) {
        let at = at.pointer();
        let error = Error::at(
            ErrorKind::Invalid,
            culprit(map)
                .map_or_else(|| at.clone(), |key| at.key(key))
                .as_str(),
            format!("does not match the OpenAPI schema: {e}"),
        );
        found.push((at, error));
    }
    for (key, child) in map {
        let here = Place::Key(at, key);
        if ONE_SCHEMA.contains(&key.as_str()) {
            schema(child, &here, depth + 1, found);
        } else if SCHEMA_LIST.contains(&key.as_str()) {
            for (i, s) in child.as_array().into_iter().flatten().enumerate() {
                schema(s, &Place::Index(&here, i), depth + 1, found);
            }
        } else if key == "properties" {
            for (name, s) in child.as_object().into_iter().flatten() {
                schema(s, &Place::Key(&here, name), depth + 1, found);
            }
        }
    }
}

/// The keyword of a schema that fails by itself (beside the schema's `type`,
/// which decides what the others mean). serde's own error path stops at the
/// schema: `openapiv3` flattens its keywords.
fn culprit(map: &Map<String, Value>) -> Option<String> {
    map.iter().find_map(|(key, value)| {
        let mut alone = Map::new();
        if let Some(typ) = map.get("type") {
            alone.insert("type".into(), typ.clone());
        }
        alone.insert(key.clone(), value.clone());
        serde_json::from_value::<openapiv3::Schema>(shallow(&alone))
            .is_err()
            .then(|| key.clone())
    })
}

/// The schema with every child schema replaced by `{}` (which fits), so that
/// only its own keywords are checked.
///
/// Only objects are replaced: a child that is not one (`items: 5`) must fail
/// here, where it costs one parse, not in the typed parse of the document.
fn shallow(map: &Map<String, Value>) -> Value {
    let hollow = |child: &Value| match child {
        Value::Object(_) => Value::Object(Map::new()),
        other => other.clone(),
    };
    let out = map
        .iter()
        .map(|(key, child)| {
            let child = match (key.as_str(), child) {
                (k, child) if ONE_SCHEMA.contains(&k) => hollow(child),
                (k, Value::Array(items)) if SCHEMA_LIST.contains(&k) => {
                    Value::Array(items.iter().map(hollow).collect())
                }
                ("properties", Value::Object(props)) => Value::Object(
                    props
                        .iter()
                        .map(|(name, s)| (name.clone(), hollow(s)))
                        .collect(),
                ),
                _ => child.clone(),
            };
            (key.clone(), child)
        })
        .collect();
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(depth: usize, leaf: Value) -> Value {
        (0..depth).fold(leaf, |inner, _| json!({"type": "array", "items": inner}))
    }

    fn doc(schema: Value) -> Value {
        json!({"components": {"schemas": {"A": schema}}})
    }

    #[test]
    fn names_the_innermost_schema_that_does_not_fit() {
        let bad = doc(nested(2, json!({"type": "string", "maxLength": "x"})));
        let err = schemas(&bad).expect_err("maxLength must be a number");
        assert_eq!(
            err.to_string(),
            "#/components/schemas/A/items/items/maxLength: does not match the OpenAPI schema: \
             invalid type: string \"x\", expected usize"
        );
    }

    #[test]
    fn accepts_nesting_up_to_the_limit_and_no_deeper() {
        let leaf = json!({"type": "string"});
        assert!(schemas(&doc(nested(MAX_SCHEMA_DEPTH - 1, leaf.clone()))).is_ok());
        let err = schemas(&doc(nested(MAX_SCHEMA_DEPTH, leaf))).expect_err("too deep");
        assert!(err.pointer().ends_with("/items"), "{err}");
        // Valid OpenAPI, but past what the generator takes.
        assert_eq!(err.kind(), Some(ErrorKind::Unsupported), "{err}");
    }

    #[test]
    fn a_child_schema_that_is_not_an_object_is_found() {
        let bad = doc(nested(3, json!({"allOf": ["#/"]})));
        let err = schemas(&bad).expect_err("an allOf part must be a schema");
        assert_eq!(err.kind(), Some(ErrorKind::Invalid), "{err}");
        assert_eq!(
            err.pointer(),
            "#/components/schemas/A/items/items/items/allOf"
        );
    }

    #[test]
    fn refs_and_examples_are_not_checked_as_schemas() {
        let ok = doc(json!({"properties": {"a": {"$ref": "#/x"}}, "example": {"items": 5}}));
        assert!(schemas(&ok).is_ok());
    }
}
