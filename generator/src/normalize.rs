//! Rewrites OpenAPI 3.1 spellings into their 3.0 equivalents, in place, so
//! that one typed model (`openapiv3`) serves both versions.
//!
//! Only schema objects are rewritten: the walk knows which values are schemas
//! (`schema`, `components/schemas/*`, and the schema keywords inside them), so
//! a property that happens to be called `const` or `type` is left alone.

use serde_json::{Map, Value};

/// 3.1 → 3.0: `type: [T, "null"]`, `const`, `examples`, numeric
/// `exclusiveMinimum`/`exclusiveMaximum`, `oneOf`/`anyOf` with a `null`
/// branch, and the document-level keywords 3.0 lacks.
pub fn openapi_3_1(doc: &mut Value, notes: &mut Vec<String>) {
    if let Some(root) = doc.as_object_mut() {
        if let Some(hooks) = root.remove("webhooks") {
            let count = hooks.as_object().map_or(0, Map::len);
            notes.push(format!(
                "#/webhooks: {count} webhook(s) ignored: a client calls the API, webhooks are \
                 calls the API makes to you"
            ));
        }
        if let Some(dialect) = root.remove("jsonSchemaDialect") {
            notes.push(format!(
                "#/jsonSchemaDialect: {dialect} noted; schemas are read with the OpenAPI 3.1 \
                 default vocabulary"
            ));
        }
    }
    walk_document(doc, &mut |schema| schema_3_1(schema));
}

/// Fixes that apply to every version: a missing `paths` object (optional in
/// 3.1, required by the typed model).
pub fn common(doc: &mut Value) {
    if let Some(root) = doc.as_object_mut() {
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(info) = root.get_mut("info").and_then(Value::as_object_mut) {
            info.entry("version")
                .or_insert_with(|| Value::String(String::new()));
        }
    }
}

/// Calls `f` on every schema object in the document, parents before children.
fn walk_document(value: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => walk_schema(child, f),
                    "schemas" => {
                        if let Some(schemas) = child.as_object_mut() {
                            for schema in schemas.values_mut() {
                                walk_schema(schema, f);
                            }
                        }
                    }
                    // Example payloads are data, not document structure.
                    "example" | "examples" | "default" => {}
                    _ => walk_document(child, f),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk_document(v, f)),
        _ => {}
    }
}

fn walk_schema(value: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>)) {
    // JSON Schema allows `true`/`false` as schemas: `true` accepts anything.
    if value.as_bool() == Some(true) {
        *value = Value::Object(Map::new());
    }
    let Some(map) = value.as_object_mut() else {
        return;
    };
    f(map);
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" => {
                if let Some(props) = child.as_object_mut() {
                    props.values_mut().for_each(|v| walk_schema(v, f));
                }
            }
            "items" | "additionalProperties" | "not" | "contains" | "propertyNames" => {
                walk_schema(child, f)
            }
            "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                if let Some(items) = child.as_array_mut() {
                    items.iter_mut().for_each(|v| walk_schema(v, f));
                }
            }
            _ => {}
        }
    }
}

fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
        || value.get("const") == Some(&Value::Null)
            && value.as_object().is_some_and(|m| m.len() == 1)
}

fn schema_3_1(schema: &mut Map<String, Value>) {
    // type: [T, "null"] → type: T, nullable: true. Several non-null types
    // have no 3.0 spelling: leave the type open (any JSON value).
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let non_null: Vec<&Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .collect();
        if non_null.len() < types.len() {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        match non_null.as_slice() {
            [single] => {
                schema.insert("type".into(), (*single).clone());
            }
            _ => {
                schema.remove("type");
            }
        }
    }
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        if !schema.contains_key("example") && !examples.is_empty() {
            schema.insert("example".into(), examples.swap_remove(0));
        }
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound @ Value::Number(_)) = schema.get(exclusive).cloned() {
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    // oneOf/anyOf: [X, {type: null}] is the 3.1 way to say "nullable X".
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            let non_null: Vec<Value> = branches
                .iter()
                .filter(|b| !is_null_schema(b))
                .cloned()
                .collect();
            if non_null.len() < branches.len() {
                schema.insert("nullable".into(), Value::Bool(true));
                if non_null.len() == 1 {
                    schema.remove(keyword);
                    schema.insert("allOf".into(), Value::Array(non_null));
                } else {
                    schema.insert(keyword.into(), Value::Array(non_null));
                }
            }
        }
    }
    // `type: string` with `contentMediaType`/`contentEncoding` is 3.1's way to
    // say binary or base64.
    if schema.get("type").and_then(Value::as_str) == Some("string")
        && !schema.contains_key("format")
    {
        if schema.get("contentEncoding").and_then(Value::as_str) == Some("base64") {
            schema.insert("format".into(), Value::String("byte".into()));
        } else if schema.contains_key("contentMediaType") {
            schema.insert("format".into(), Value::String("binary".into()));
        }
    }
    // A `$ref` with siblings (3.1 allows a description or `nullable` beside
    // it): the 3.0 spelling of the same thing is a one-part `allOf`, which
    // keeps the siblings instead of dropping them.
    if schema.contains_key("$ref") && schema.len() > 1 {
        let reference = schema.remove("$ref").unwrap_or(Value::Null);
        let mut target = Map::new();
        target.insert("$ref".into(), reference);
        schema.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rewrites_only_schemas() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "webhooks": {"a": {}},
            "components": {"schemas": {
                "A": {"type": ["string", "null"], "properties": {"const": {"type": "string"}}},
                "B": {"const": "fixed", "examples": ["x"]},
                "C": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "null"}]},
                "D": {"type": "integer", "exclusiveMinimum": 0}
            }},
            "paths": {"/": {"get": {"parameters": [{"name": "const", "in": "query", "example": {"const": 1}}]}}}
        });
        let mut notes = vec![];
        openapi_3_1(&mut doc, &mut notes);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"]["type"], "string");
        assert_eq!(s["A"]["nullable"], true);
        assert_eq!(s["A"]["properties"]["const"], json!({"type": "string"}));
        assert_eq!(s["B"]["enum"], json!(["fixed"]));
        assert_eq!(s["B"]["example"], "x");
        assert_eq!(s["C"]["allOf"], json!([{"$ref": "#/components/schemas/A"}]));
        assert_eq!(s["C"]["nullable"], true);
        assert_eq!(s["D"]["minimum"], 0);
        assert_eq!(s["D"]["exclusiveMinimum"], true);
        assert_eq!(
            doc["paths"]["/"]["get"]["parameters"][0]["example"],
            json!({"const": 1})
        );
        assert!(doc.get("webhooks").is_none());
        assert_eq!(notes.len(), 1);
    }
}
