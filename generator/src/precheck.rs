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
use crate::schema_walk::{self, Step};

/// Deepest schema nesting accepted. Real documents stay far below (the
/// GitHub API description, 3.7 MB, nests 8 deep); the JSON and YAML parsers
/// already stop at 128 levels of any value.
pub const MAX_SCHEMA_DEPTH: usize = 32;

/// Checks every schema in a document (already normalised to 3.0 shapes):
/// every problem found. (The pipeline calls [`repair`], which goes on; this
/// is the check alone, for the tests.)
#[cfg(test)]
fn schemas(doc: &Value) -> crate::error::Result<()> {
    let mut problems = Problems::default();
    for (_, error) in failures(&mut doc.clone()) {
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

/// Each schema with a problem (its place) and the problem. The schemas are
/// those [`schema_walk`] finds; it lends each mutably, this only reads them.
fn failures(doc: &mut Value) -> Vec<(Pointer, Error)> {
    let mut found = Vec::new();
    schema_walk::walk_document(doc, &mut |value, at, depth| {
        schema(value, at, depth, &mut found)
    });
    found
}

/// Checks one schema alone (`depth` 1 for one that is not inside another);
/// whether to go on into its children.
fn schema(value: &Value, at: &Place, depth: usize, found: &mut Vec<(Pointer, Error)>) -> Step {
    let Some(map) = value.as_object() else {
        // Not an object where a document (not a schema) holds it: the typed
        // parse says what is wrong, and cheaply, as no untagged schema
        // encloses it. Inside a schema, `shallow` has caught it already.
        return Step::Over;
    };
    if map.get("$ref").is_some_and(Value::is_string) {
        return Step::Over;
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
        return Step::Over;
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
    Step::Into
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
    Value::Object(schema_walk::replace_children(map, &|child| match child {
        Value::Object(_) => Value::Object(Map::new()),
        other => other.clone(),
    }))
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
    fn finds_a_broken_schema_under_every_subschema_keyword() {
        use crate::schema_walk::{Holds, SUBSCHEMAS};
        let bad = json!({"type": "string", "maxLength": "x"});
        for (keyword, holds) in SUBSCHEMAS {
            let (value, place) = match holds {
                Holds::One => (bad.clone(), String::new()),
                Holds::List => (json!([{}, bad]), "/1".into()),
                Holds::Map => (json!({"a/b": bad}), "/a~1b".into()),
            };
            let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"content": {
                "application/json": {"schema": {"items": {keyword.to_string(): value}}}
            }}}}}}});
            let found = failures(&mut doc);
            let pointers: Vec<&str> = found.iter().map(|(_, e)| e.pointer()).collect();
            let expected = format!(
                "#/paths/~1a/get/responses/200/content/application~1json/schema/items/\
                 {keyword}{place}/maxLength"
            );
            assert_eq!(pointers, [expected.as_str()], "{keyword}");
            assert_eq!(found[0].1.kind(), Some(ErrorKind::Invalid), "{keyword}");
        }
    }

    #[test]
    fn refs_and_examples_are_not_checked_as_schemas() {
        let ok = doc(json!({"properties": {"a": {"$ref": "#/x"}}, "example": {"items": 5}}));
        assert!(schemas(&ok).is_ok());
    }
}
