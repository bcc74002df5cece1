//! Where the schemas of an OpenAPI document are: the one walk that
//! normalisation ([`crate::normalize`]), the precheck ([`crate::precheck`])
//! the hoisting of deep `$ref`s ([`crate::refs`]) and the 3.2 rewrite
//! ([`crate::oas32`]) share, so that all see
//! the same schemas ([`walk_document`]) and objects ([`walk_found`]).
//!
//! Two tables decide it. [`SUBSCHEMAS`]: the keywords of a schema whose
//! value is a schema, a list of schemas or a map of them (JSON Schema
//! 2020-12's applicators and `contentSchema`, OpenAPI 3.0's subset, and the
//! older `definitions`). [`fields`]: the fields of each OpenAPI object
//! (3.0 to 3.2) that hold schemas or objects that do (path items,
//! operations, parameters, headers, request bodies, responses, media types,
//! encodings, callbacks, webhooks, components). A vendor extension (`x-…`)
//! is free-form: there every `schema` key holds a schema (the generator's
//! own extensions, such as `x-variants`, carry schemas that way), and
//! example payloads are skipped.

use serde_json::{Map, Value};

use crate::error::Place;

/// What a schema keyword holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holds {
    /// One schema (`items`, `not`).
    One,
    /// A list of schemas (`allOf`, `prefixItems`).
    List,
    /// A map from names (or patterns) to schemas (`properties`, `$defs`).
    Map,
}

/// The keywords whose values are schemas. (`items` as a list, which
/// OpenAPI 3.0 and JSON Schema 2020-12 both forbid, is not read as one.)
pub(crate) const SUBSCHEMAS: &[(&str, Holds)] = &[
    ("items", Holds::One),
    ("additionalProperties", Holds::One),
    ("not", Holds::One),
    ("contains", Holds::One),
    ("propertyNames", Holds::One),
    ("if", Holds::One),
    ("then", Holds::One),
    ("else", Holds::One),
    ("unevaluatedItems", Holds::One),
    ("unevaluatedProperties", Holds::One),
    ("contentSchema", Holds::One),
    ("allOf", Holds::List),
    ("oneOf", Holds::List),
    ("anyOf", Holds::List),
    ("prefixItems", Holds::List),
    ("properties", Holds::Map),
    ("patternProperties", Holds::Map),
    ("dependentSchemas", Holds::Map),
    ("$defs", Holds::Map),
    ("definitions", Holds::Map),
];

/// What a schema keyword holds, `None` for the keywords that hold no schema.
pub(crate) fn holds(keyword: &str) -> Option<Holds> {
    SUBSCHEMAS
        .iter()
        .find(|(k, _)| *k == keyword)
        .map(|(_, holds)| *holds)
}

/// A schema with each child schema replaced by `replace(child)` (lists and
/// maps of schemas item by item; a keyword whose value has the wrong shape,
/// such as `allOf: 5`, is kept as written).
pub(crate) fn replace_children(
    schema: &Map<String, Value>,
    replace: &dyn Fn(&Value) -> Value,
) -> Map<String, Value> {
    schema
        .iter()
        .map(|(key, child)| {
            let child = match (holds(key), child) {
                (Some(Holds::One), child) => replace(child),
                (Some(Holds::List), Value::Array(items)) => {
                    Value::Array(items.iter().map(replace).collect())
                }
                (Some(Holds::Map), Value::Object(map)) => Value::Object(
                    map.iter()
                        .map(|(name, s)| (name.clone(), replace(s)))
                        .collect(),
                ),
                _ => child.clone(),
            };
            (key.clone(), child)
        })
        .collect()
}

/// What a visitor wants after seeing a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// Go on into its child schemas (as they are once the visitor returns).
    Into,
    /// Leave its child schemas out.
    Over,
}

/// A visitor of schemas: the value (an object, or whatever a document wrote
/// where a schema belongs: `true`, `5`), its place, and how deep it nests
/// (1 for a schema that is not inside another).
pub(crate) type Visit<'f> = dyn FnMut(&mut Value, &Place, usize) -> Step + 'f;

/// Calls `visit` on every schema of an OpenAPI document, in document order,
/// parents before children. The visitor may change a schema; the walk goes
/// on into the children it has when the visitor returns.
pub(crate) fn walk_document(doc: &mut Value, visit: &mut Visit) {
    walk_found(doc, &mut |found, value, at| match found {
        Found::Schema(depth) => visit(value, at, depth),
        Found::Node(_) => Step::Into,
    });
}

/// What the walk found at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// An OpenAPI object of this kind (or whatever the document wrote where
    /// one belongs).
    Node(Node),
    /// A schema, this deep (1 for one that is not inside another).
    Schema(usize),
}

/// A visitor of everything the walk finds: what it is, its value, its place.
pub(crate) type VisitFound<'f> = dyn FnMut(Found, &mut Value, &Place) -> Step + 'f;

/// Calls `visit` on every OpenAPI object (the document first) and every
/// schema of a document, in document order, parents before children. The
/// visitor may change what it is given; the walk goes on into the fields
/// (or child schemas) it has when the visitor returns, unless it says
/// [`Step::Over`].
pub(crate) fn walk_found(doc: &mut Value, visit: &mut VisitFound) {
    object(doc, Node::Document, &Place::Root, visit);
}

/// The OpenAPI objects that hold schemas, directly or further down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Node {
    Document,
    Components,
    PathItem,
    Operation,
    /// A Callback object: a path item under each expression.
    Callback,
    /// A Paths object: a path item under each path.
    Paths,
    /// A Responses object: a response under each status.
    Responses,
    Parameter,
    Header,
    RequestBody,
    Response,
    MediaType,
    Encoding,
}

/// What the value of a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    /// A schema.
    Schema,
    /// A map from names to schemas (`components/schemas`).
    Schemas,
    /// One object of this kind.
    One(Node),
    /// A list of them.
    List(Node),
    /// A map from names to them.
    Map(Node),
}

/// The fields of an OpenAPI object that hold schemas, directly or further
/// down; `None` for the fields that hold none (and for `x-…` extensions,
/// walked as free-form values).
fn fields(node: Node, key: &str) -> Option<Field> {
    use Field::*;
    use Node::*;
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ];
    Some(match (node, key) {
        (Document, "paths") => One(Paths),
        (Document, "webhooks") => Map(PathItem),
        (Document, "components") => One(Components),
        (Components, "schemas") => Schemas,
        (Components, "responses") => Map(Response),
        (Components, "parameters") => Map(Parameter),
        (Components, "requestBodies") => Map(RequestBody),
        (Components, "headers") => Map(Header),
        (Components, "callbacks") => Map(Callback),
        (Components, "pathItems") => Map(PathItem),
        (Components, "mediaTypes") => Map(MediaType),
        (Paths | Callback, _) => One(PathItem),
        (PathItem, "parameters") | (Operation, "parameters") => List(Parameter),
        (PathItem, method) if METHODS.contains(&method) => One(Operation),
        (PathItem, "additionalOperations") => Map(Operation),
        (Operation, "requestBody") => One(RequestBody),
        (Operation, "responses") => One(Responses),
        (Operation, "callbacks") => Map(Callback),
        (Responses, _) => One(Response),
        (Parameter | Header, "schema") => Schema,
        (Parameter | Header | RequestBody | Response, "content") => Map(MediaType),
        (Response, "headers") | (Encoding, "headers") => Map(Header),
        (MediaType, "schema" | "itemSchema") => Schema,
        (MediaType | Encoding, "encoding") => Map(Encoding),
        (MediaType | Encoding, "prefixEncoding") => List(Encoding),
        (MediaType | Encoding, "itemEncoding") => One(Encoding),
        _ => return None,
    })
}

fn is_extension(key: &str) -> bool {
    key.starts_with("x-")
}

fn object(value: &mut Value, node: Node, at: &Place, visit: &mut VisitFound) {
    if visit(Found::Node(node), value, at) == Step::Over {
        return;
    }
    let Some(map) = value.as_object_mut() else {
        return;
    };
    for (key, child) in map.iter_mut() {
        let here = Place::Key(at, key);
        if is_extension(key) {
            extension(child, &here, visit);
            continue;
        }
        match fields(node, key) {
            Some(Field::Schema) => schema(child, &here, 1, visit),
            Some(Field::Schemas) => {
                for (name, s) in child.as_object_mut().into_iter().flatten() {
                    schema(s, &Place::Key(&here, name), 1, visit);
                }
            }
            Some(Field::One(node)) => object(child, node, &here, visit),
            Some(Field::List(node)) => {
                for (i, item) in child.as_array_mut().into_iter().flatten().enumerate() {
                    object(item, node, &Place::Index(&here, i), visit);
                }
            }
            Some(Field::Map(node)) => {
                // Every entry, `x-…` names too: these maps hold names
                // (of components, webhooks, methods), not extensions.
                for (name, item) in child.as_object_mut().into_iter().flatten() {
                    object(item, node, &Place::Key(&here, name), visit);
                }
            }
            None => {}
        }
    }
}

/// A vendor extension's value: free-form, with a schema under every
/// `schema` key.
fn extension(value: &mut Value, at: &Place, visit: &mut VisitFound) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let here = Place::Key(at, key);
                match key.as_str() {
                    "schema" => schema(child, &here, 1, visit),
                    // Example payloads are data, not document structure.
                    "example" | "examples" | "default" => {}
                    _ => extension(child, &here, visit),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                extension(item, &Place::Index(at, i), visit);
            }
        }
        _ => {}
    }
}

fn schema(value: &mut Value, at: &Place, depth: usize, visit: &mut VisitFound) {
    if visit(Found::Schema(depth), value, at) == Step::Over {
        return;
    }
    let Some(map) = value.as_object_mut() else {
        return;
    };
    for (key, child) in map.iter_mut() {
        let here = Place::Key(at, key);
        match holds(key) {
            Some(Holds::One) => schema(child, &here, depth + 1, visit),
            Some(Holds::List) => {
                for (i, s) in child.as_array_mut().into_iter().flatten().enumerate() {
                    schema(s, &Place::Index(&here, i), depth + 1, visit);
                }
            }
            Some(Holds::Map) => {
                for (name, s) in child.as_object_mut().into_iter().flatten() {
                    schema(s, &Place::Key(&here, name), depth + 1, visit);
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Puts `value` at `pointer`, making the objects and lists on the way.
    fn put(doc: &mut Value, pointer: &str, value: Value) {
        let tokens = crate::pointer::tokens(pointer).expect("a pointer");
        let mut here = doc;
        for (i, token) in tokens.iter().enumerate() {
            // Lists only where OpenAPI has them (`responses/200` is a map).
            let list = matches!(token.as_str(), "parameters" | "prefixEncoding")
                && tokens
                    .get(i + 1)
                    .is_some_and(|t| crate::pointer::index(t).is_some());
            let fresh = || if list { json!([]) } else { json!({}) };
            here = match here {
                Value::Array(items) => {
                    let at = crate::pointer::index(token).expect("an index");
                    while items.len() <= at {
                        items.push(fresh());
                    }
                    &mut items[at]
                }
                other => other
                    .as_object_mut()
                    .expect("an object on the way")
                    .entry(token.clone())
                    .or_insert_with(fresh),
            };
        }
        *here = value;
    }

    /// The places of the schemas the walk visits, with their depth.
    fn visited(doc: &mut Value) -> Vec<(String, usize)> {
        let mut seen = Vec::new();
        walk_document(doc, &mut |_, at, depth| {
            seen.push((at.pointer().to_string(), depth));
            Step::Into
        });
        seen
    }

    /// Every place of an OpenAPI 3.0–3.2 document that holds a schema.
    const PLACES: &[&str] = &[
        "#/paths/~1a/parameters/0/schema",
        "#/paths/~1a/get/parameters/0/schema",
        "#/paths/~1a/get/parameters/1/content/application~1json/schema",
        "#/paths/~1a/get/requestBody/content/application~1json/schema",
        "#/paths/~1a/get/responses/200/content/application~1json/schema",
        "#/paths/~1a/get/responses/200/headers/H/schema",
        "#/paths/~1a/get/responses/200/headers/G/content/text~1plain/schema",
        "#/paths/~1a/get/responses/default/content/application~1json/schema",
        "#/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/f/headers/H/schema",
        "#/paths/~1a/post/requestBody/content/multipart~1mixed/prefixEncoding/0/headers/H/schema",
        "#/paths/~1a/post/requestBody/content/multipart~1mixed/itemEncoding/headers/H/schema",
        "#/paths/~1a/post/callbacks/C/{$request.body#~1url}/post/requestBody/content/a~1b/schema",
        "#/paths/~1a/put/responses/200/content/application~1jsonl/itemSchema",
        "#/paths/~1a/query/requestBody/content/application~1json/schema",
        "#/paths/~1a/additionalOperations/LOCK/parameters/0/schema",
        "#/paths/~1a/x-ext/deep/schema",
        "#/webhooks/W/post/requestBody/content/application~1json/schema",
        "#/components/schemas/S",
        "#/components/schemas/x-named",
        "#/components/parameters/P/schema",
        "#/components/headers/H/schema",
        "#/components/requestBodies/B/content/application~1json/schema",
        "#/components/responses/R/content/application~1json/schema",
        "#/components/callbacks/C/{$url}/post/responses/200/content/a~1b/schema",
        "#/components/pathItems/I/get/parameters/0/schema",
        "#/components/mediaTypes/M/schema",
    ];

    #[test]
    fn finds_the_schemas_at_every_place_of_a_document() {
        let mut doc = json!({"openapi": "3.2.0"});
        for place in PLACES {
            put(&mut doc, place, json!({"type": "string"}));
        }
        let seen = visited(&mut doc);
        let mut expected: Vec<(String, usize)> =
            PLACES.iter().map(|p| (p.to_string(), 1)).collect();
        expected.sort();
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted, expected);
    }

    #[test]
    fn examples_and_other_values_are_not_schemas() {
        let mut doc = json!({"openapi": "3.1.0"});
        for place in [
            "#/paths/~1a/get/responses/200/content/a~1b/example/schema",
            "#/paths/~1a/get/responses/200/content/a~1b/examples/E/value/schema",
            "#/paths/~1a/get/parameters/0/example/schema",
            "#/paths/~1a/x-ext/example/schema",
            "#/paths/~1a/get/x-ext/default/schema",
            "#/components/examples/E/value/schema",
            "#/components/securitySchemes/S/schema",
            "#/components/links/L/schema",
            "#/info/schema",
            "#/paths/~1a/get/summary/schema",
            "#/paths/~1a/get/requestBody/schema",
            "#/x-schemas/schemas/S",
        ] {
            put(&mut doc, place, json!({"type": "string"}));
        }
        assert_eq!(visited(&mut doc), vec![]);
    }

    #[test]
    fn goes_into_every_subschema_keyword_with_its_depth() {
        let mut schema = Map::new();
        for (keyword, holds) in SUBSCHEMAS {
            let leaf = json!({"type": "string"});
            let value = match holds {
                Holds::One => leaf,
                Holds::List => json!([{}, leaf]),
                Holds::Map => json!({"a/b": leaf}),
            };
            schema.insert((*keyword).into(), value);
        }
        // Not schemas: a keyword's value of the wrong shape, an example, an
        // extension, an unknown keyword.
        schema.insert("x-schema".into(), json!({"items": {}}));
        schema.insert("example".into(), json!({"items": {}}));
        schema.insert("dependencies".into(), json!({"a": {}}));
        let mut doc = json!({"components": {"schemas": {"A": {"items": schema}}}});
        let seen = visited(&mut doc);
        let mut expected = vec![
            ("#/components/schemas/A".to_string(), 1),
            ("#/components/schemas/A/items".to_string(), 2),
        ];
        for (keyword, holds) in SUBSCHEMAS {
            let at = format!("#/components/schemas/A/items/{}", keyword);
            match holds {
                Holds::One => expected.push((at, 3)),
                Holds::List => {
                    expected.push((format!("{at}/0"), 3));
                    expected.push((format!("{at}/1"), 3));
                }
                Holds::Map => expected.push((format!("{at}/a~1b"), 3)),
            }
        }
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_visitor_can_rewrite_a_schema_and_stop_the_walk() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"oneOf": [{"items": {}}]},
            "B": {"$ref": "#/x", "not": {}},
        }}});
        let mut seen = Vec::new();
        walk_document(&mut doc, &mut |value, at, _| {
            seen.push(at.pointer().to_string());
            if let Some(map) = value.as_object_mut() {
                if let Some(branches) = map.remove("oneOf") {
                    map.insert("allOf".into(), branches);
                }
                if map.contains_key("$ref") {
                    return Step::Over;
                }
            }
            Step::Into
        });
        assert_eq!(
            seen,
            [
                "#/components/schemas/A",
                "#/components/schemas/A/allOf/0",
                "#/components/schemas/A/allOf/0/items",
                "#/components/schemas/B",
            ]
        );
    }

    #[test]
    fn replaces_each_child_schema() {
        let schema = json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "allOf": [{"type": "string"}, 5],
            "oneOf": 5,
            "items": {"type": "string"},
            "enum": [{"type": "string"}],
        });
        let replaced = replace_children(schema.as_object().expect("an object"), &|child| {
            json!(child.is_object())
        });
        assert_eq!(
            Value::Object(replaced),
            json!({
                "type": "object",
                "properties": {"a": true},
                "allOf": [true, false],
                "oneOf": 5,
                "items": true,
                "enum": [{"type": "string"}],
            })
        );
    }
}
