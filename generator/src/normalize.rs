//! Rewrites OpenAPI 3.1 spellings into their 3.0 equivalents, in place, so
//! that one typed model (`openapiv3`) serves both versions.
//!
//! Only schema objects are rewritten: the walk ([`crate::schema_walk`]) knows
//! which values are schemas (where the document's objects hold them, and the
//! schema keywords inside them), so a property that happens to be called
//! `const` or `type` is left alone.

use serde_json::{Map, Value};

use crate::error::{Place, Pointer};
use crate::refs::Relocations;
use crate::schema_walk::{self, Step};

/// 3.1 → 3.0: `type: [T, "null"]`, `const`, `examples`, numeric
/// `exclusiveMinimum`/`exclusiveMaximum`, `oneOf`/`anyOf` with a `null`
/// branch, and the document-level keywords 3.0 lacks.
///
/// The rewrites that move a schema (a `$ref` with siblings into `allOf/0`,
/// `oneOf`/`anyOf` branches after a dropped `null` one) go into `renamed`,
/// so a problem found there later is told where the document wrote it.
pub fn openapi_3_1(doc: &mut Value, notes: &mut Vec<String>, renamed: &mut Relocations) {
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
    walk_document(doc, &mut |schema, at| {
        schema_3_1(schema, true, &mut |_| {}, &mut |new, old| {
            let base = at.pointer();
            renamed.renamed(format!("{base}{new}"), format!("{base}{old}"));
        })
    });
}

/// The 3.1 spellings found in a 3.0 document, rewritten as in a 3.1 one
/// (they are common in the wild: a document moved to 3.1 spellings before
/// its `openapi` field), with one note per kind of spelling. A `$ref` with
/// siblings is left as 3.0 reads it: the siblings are ignored.
pub fn spellings_of_3_1(
    doc: &mut Value,
    version: &str,
    notes: &mut Vec<String>,
    renamed: &mut Relocations,
) {
    // Spelling → (first place, how many places).
    let mut found: Vec<(&'static str, String, usize)> = Vec::new();
    walk_document(doc, &mut |schema, at| {
        schema_3_1(
            schema,
            false,
            &mut |spelling| match found.iter_mut().find(|(s, ..)| *s == spelling) {
                Some((_, _, count)) => *count += 1,
                None => found.push((spelling, at.pointer().as_str().to_string(), 1)),
            },
            &mut |new, old| {
                let base = at.pointer();
                renamed.renamed(format!("{base}{new}"), format!("{base}{old}"));
            },
        )
    });
    for (spelling, first, count) in found {
        let places = if count == 1 {
            String::new()
        } else {
            format!(" ({count} places; this is the first)")
        };
        notes.push(format!(
            "{first}: {spelling} is OpenAPI 3.1, in an OpenAPI {version} document: read as 3.1 \
             reads it{places}"
        ));
    }
}

/// Operations without `responses` (optional since OpenAPI 3.1) get an empty
/// list: the method returns `()` for any success status. A 3.0 document
/// (where the field is required) is read the same way, with the same note.
pub fn optional_responses(doc: &mut Value, version: &str, notes: &mut Vec<String>) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    let at = Pointer::root().key("paths");
    for (path, item) in paths.iter_mut() {
        path_item_responses(item, &at.key(path), version, notes);
    }
}

fn path_item_responses(item: &mut Value, at: &Pointer, version: &str, notes: &mut Vec<String>) {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    let Some(item) = item.as_object_mut() else {
        return;
    };
    let mut operations: Vec<(Pointer, &mut Value)> = Vec::new();
    for (key, value) in item.iter_mut() {
        if METHODS.contains(&key.as_str()) {
            operations.push((at.key(key), value));
        } else if key == "additionalOperations" {
            for (method, op) in value.as_object_mut().into_iter().flatten() {
                operations.push((at.key(key).key(method), op));
            }
        }
    }
    for (op_at, op) in operations {
        let Some(op) = op.as_object_mut() else {
            continue;
        };
        if !op.contains_key("responses") {
            op.insert("responses".into(), Value::Object(Map::new()));
            let required = if version.starts_with("3.0") {
                ", which OpenAPI 3.0 requires"
            } else {
                ""
            };
            notes.push(format!(
                "{op_at}: no `responses`{required}: the method returns `()` for any success \
                 status and an error for any other"
            ));
        }
        // Callbacks are path items too.
        let callbacks = op.get_mut("callbacks").and_then(Value::as_object_mut);
        for (name, callback) in callbacks.into_iter().flatten() {
            for (expression, item) in callback.as_object_mut().into_iter().flatten() {
                let here = op_at.key("callbacks").key(name).key(expression);
                path_item_responses(item, &here, version, notes);
            }
        }
    }
}

/// Takes the `mutualTLS` security schemes (OpenAPI 3.1) out of the document,
/// which `openapiv3` cannot hold, and returns their names: the client
/// authenticates with a certificate the caller gives its builder.
pub fn mutual_tls(doc: &mut Value, version: &str, notes: &mut Vec<String>) -> Vec<String> {
    let Some(schemes) = doc
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut)
    else {
        return Vec::new();
    };
    let names: Vec<String> = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
        .map(|(name, _)| name.clone())
        .collect();
    let at = Pointer::root().key("components").key("securitySchemes");
    for name in &names {
        schemes.shift_remove(name);
        let older = if version.starts_with("3.0") {
            format!(" (a 3.1 scheme, in an OpenAPI {version} document: read as 3.1 reads it)")
        } else {
            String::new()
        };
        notes.push(format!(
            "{}: mutual TLS{older}: give the client its certificate and key with \
             `ClientBuilder::client_certificate`",
            at.key(name)
        ));
    }
    names
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

/// Calls `f` on every schema object in the document ([`crate::schema_walk`]),
/// parents before children. JSON Schema allows `true` and `false` as
/// schemas: `true` (anything) becomes `{}` first, which 3.0 reads.
fn walk_document(doc: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &Place)) {
    schema_walk::walk_document(doc, &mut |value, at, _| {
        if value.as_bool() == Some(true) {
            *value = Value::Object(Map::new());
        }
        if let Some(map) = value.as_object_mut() {
            f(map, at);
        }
        Step::Into
    });
}

fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
        || value.get("const") == Some(&Value::Null)
            && value.as_object().is_some_and(|m| m.len() == 1)
}

/// Rewrites one schema's 3.1 spellings, telling `found` each kind it met;
/// `ref_siblings`: also turn a `$ref` with siblings into a one-part `allOf`
/// (3.1 reads the siblings, 3.0 ignores them); `renamed` is told each
/// part that moved, as (new, old) places below the schema's.
fn schema_3_1(
    schema: &mut Map<String, Value>,
    ref_siblings: bool,
    found: &mut dyn FnMut(&'static str),
    renamed: &mut dyn FnMut(&str, &str),
) {
    // type: [T, "null"] → type: T, nullable: true. Several non-null types
    // have no 3.0 spelling: leave the type open (any JSON value).
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        found("`type` as a list (`[string, \"null\"]`)");
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
        found("`const`");
        schema.insert("enum".into(), Value::Array(vec![value]));
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        found("`examples` in a schema");
        if !schema.contains_key("example") && !examples.is_empty() {
            schema.insert("example".into(), examples.swap_remove(0));
        }
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(bound @ Value::Number(_)) = schema.get(exclusive).cloned() {
            found("a numeric `exclusiveMinimum`/`exclusiveMaximum`");
            schema.insert(inclusive.into(), bound);
            schema.insert(exclusive.into(), Value::Bool(true));
        }
    }
    // oneOf/anyOf: [X, {type: null}] is the 3.1 way to say "nullable X".
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(keyword) {
            // (original index, branch) of each branch kept.
            let (kept, non_null): (Vec<usize>, Vec<Value>) = branches
                .iter()
                .enumerate()
                .filter(|(_, b)| !is_null_schema(b))
                .map(|(i, b)| (i, b.clone()))
                .unzip();
            if non_null.len() < branches.len() {
                found("a `oneOf`/`anyOf` branch of `type: \"null\"`");
                schema.insert("nullable".into(), Value::Bool(true));
                let now = if non_null.len() == 1 {
                    schema.remove(keyword);
                    schema.insert("allOf".into(), Value::Array(non_null));
                    "allOf"
                } else {
                    schema.insert(keyword.into(), Value::Array(non_null));
                    keyword
                };
                if now != keyword {
                    // The list itself (a problem with the whole list), before
                    // its items so that those are undone first.
                    renamed(&format!("/{now}"), &format!("/{keyword}"));
                }
                for (j, i) in kept.into_iter().enumerate() {
                    if (now, j) != (keyword, i) {
                        renamed(&format!("/{now}/{j}"), &format!("/{keyword}/{i}"));
                    }
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
            found("`contentEncoding`");
            schema.insert("format".into(), Value::String("byte".into()));
        } else if schema.contains_key("contentMediaType") {
            found("`contentMediaType`");
            schema.insert("format".into(), Value::String("binary".into()));
        }
    }
    // A `$ref` with siblings (3.1 allows a description or `nullable` beside
    // it): the 3.0 spelling of the same thing is a one-part `allOf`, which
    // keeps the siblings instead of dropping them.
    if ref_siblings && schema.contains_key("$ref") && schema.len() > 1 {
        let reference = schema.remove("$ref").unwrap_or(Value::Null);
        let mut target = Map::new();
        target.insert("$ref".into(), reference);
        schema.insert("allOf".into(), Value::Array(vec![Value::Object(target)]));
        renamed("/allOf", "");
        renamed("/allOf/0", "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rewrites_a_schema_under_every_subschema_keyword() {
        use crate::schema_walk::{Holds, SUBSCHEMAS};
        let spelled_3_1 = json!({"type": ["string", "null"], "const": "a"});
        let spelled_3_0 = json!({"type": "string", "nullable": true, "enum": ["a"]});
        for (keyword, holds) in SUBSCHEMAS {
            let (value, place) = match holds {
                Holds::One => (spelled_3_1.clone(), String::new()),
                Holds::List => (json!([{}, spelled_3_1]), "/1".into()),
                Holds::Map => (json!({"a/b": spelled_3_1}), "/a~1b".into()),
            };
            let mut doc = json!({"openapi": "3.1.0", "components": {"parameters": {"P": {
                "name": "p", "in": "query", "schema": {"not": {keyword.to_string(): value}}
            }}}});
            openapi_3_1(&mut doc, &mut vec![], &mut Relocations::default());
            let at = format!("#/components/parameters/P/schema/not/{keyword}{place}");
            let rewritten = crate::pointer::pointee_mut(&mut doc, &at).map(|v| v.clone());
            assert_eq!(rewritten, Some(spelled_3_0.clone()), "{at}");
        }
    }

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
        let mut renamed = Relocations::default();
        openapi_3_1(&mut doc, &mut notes, &mut renamed);
        // What moved is told at the place the document wrote it.
        assert_eq!(
            renamed.original("#/components/schemas/C/allOf/0/$ref"),
            "#/components/schemas/C/oneOf/0/$ref"
        );
        assert_eq!(
            renamed.original("#/components/schemas/A/type"),
            "#/components/schemas/A/type"
        );
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
