//! `$ref`s to any place in the document, not only `#/components/<kind>/<name>`.
//!
//! The model builder follows references of the form
//! `#/components/<kind>/<name>`. A reference may point anywhere a thing of
//! its kind is written: into a schema's `properties`, `items` or `$defs`
//! (`#/components/schemas/Archive/properties/state`), or at another
//! operation's parameter, request body or response. Before anything else
//! reads the document, each such target is moved into `components/<kind>`
//! under a new key, its old place becomes a `$ref` to it, and every reference
//! to it is rewritten: the target is then declared once and shared by every
//! place that uses it, as if the document had named it.
//!
//! The new keys are not in the document the user wrote, so whatever is later
//! said about them (errors, notes, where a type is defined) is translated
//! back to the original place by [`Relocations::original`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Pointer, Problems};
use crate::pointer::{self, value_at, value_at_mut};
use crate::schema_walk::{self, Found, Node, Step};

/// What a `$ref` stands for, from where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
}

impl Kind {
    /// The `components` section things of this kind are named in.
    fn section(self) -> &'static str {
        match self {
            Kind::Schema => "schemas",
            Kind::Parameter => "parameters",
            Kind::Response => "responses",
            Kind::RequestBody => "requestBodies",
        }
    }
}

/// Where moved targets went: new place → the place the document wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Relocations {
    moves: Vec<(String, String)>,
    /// Places a later rewrite renamed (the 3.2 shapes: `query` into a
    /// path-item extension, `itemSchema` into `schema`), new → old, undone
    /// before the moves since they were made after them.
    renames: Vec<(String, String)>,
}

/// `pointer` with the first of `pairs` (new → old) it lies under undone.
fn undo(pairs: &[(String, String)], pointer: &str) -> Option<String> {
    pairs.iter().find_map(|(new, old)| {
        let rest = crate::pointer::within(pointer, new)?;
        Some(format!("{old}{rest}"))
    })
}

impl Relocations {
    /// Whether nothing was moved.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty() && self.renames.is_empty()
    }

    /// Records that what the document wrote at `old` now sits at `new`
    /// (after every move `hoist` made).
    pub fn renamed(&mut self, new: String, old: String) {
        self.renames.push((new, old));
    }

    /// `pointer` as the document wrote it: a renamed place by its old name
    /// (the renames undone last first, each in the places the ones before
    /// it left), and a place under a moved target under the target's
    /// original place.
    pub fn original(&self, pointer: &str) -> String {
        let pointer = self
            .renames
            .iter()
            .rev()
            .fold(pointer.to_string(), |pointer, rename| {
                undo(std::slice::from_ref(rename), &pointer).unwrap_or(pointer)
            });
        undo(&self.moves, &pointer).unwrap_or(pointer)
    }

    /// A message with every moved place it names written as the original.
    pub fn original_text(&self, text: &str) -> String {
        if self.is_empty() || !text.contains("#/") {
            return text.to_string();
        }
        text.split_inclusive(char::is_whitespace)
            .map(|word| {
                let trimmed = word.trim_end();
                let end = trimmed.trim_end_matches([';', ',', ':', ')', '.', '`']);
                match end.find("#/") {
                    Some(start) => format!(
                        "{}{}{}",
                        &word[..start],
                        self.original(&end[start..]),
                        &word[end.len()..]
                    ),
                    None => word.to_string(),
                }
            })
            .collect()
    }

    /// An error with its places (pointers and places named in messages)
    /// written as the original.
    pub fn original_error(&self, mut error: Error) -> Error {
        if self.is_empty() {
            return error;
        }
        for problem in &mut error.problems {
            problem.pointer = self.original(&problem.pointer);
            problem.message = self.original_text(&problem.message);
        }
        error
    }
}

/// Moves every target of a `$ref` that is not `#/components/<kind>/<name>`
/// into `components`, rewriting the references; returns where each went.
/// A reference that points at nothing is left for the model builder, which
/// reports it where it is used; a chain of references that loops is
/// recorded in `problems`.
pub fn hoist(doc: &mut Value, notes: &mut Vec<String>, problems: &mut Problems) -> Relocations {
    // Every reference to a deep place, with the kind its place expects and
    // where it is first written.
    let mut wanted: BTreeMap<String, (Kind, Pointer)> = BTreeMap::new();
    walk_referable(doc, &mut |kind, map, path| {
        if let Some(Value::String(reference)) = map.get("$ref") {
            if is_deep(reference) && !wanted.contains_key(reference) {
                wanted.insert(reference.clone(), (kind, pointer_of(&path)));
            }
        }
    });
    if wanted.is_empty() {
        return Relocations::default();
    }
    // The places where a thing of each kind is written: a target must be one.
    let mut places: BTreeMap<Vec<String>, Kind> = BTreeMap::new();
    walk_referable(doc, &mut |kind, _, path| {
        places.insert(path, kind);
    });

    // Each reference → the place it finally means (chains followed).
    let mut rewrites: BTreeMap<String, Target> = BTreeMap::new();
    for (reference, (kind, site)) in &wanted {
        match follow(doc, reference, *kind, &places) {
            Followed::Component(simple) => {
                rewrites.insert(reference.clone(), Target::Component(simple));
            }
            Followed::Place(segments) => {
                rewrites.insert(reference.clone(), Target::Place(*kind, segments));
            }
            Followed::Nothing => {}
            Followed::Cycle => problems.push(site.error(
                ErrorKind::Reference,
                format!("$ref `{reference}` is part of a chain of $refs that loops"),
            )),
        }
    }

    // New homes, deepest first so that a shallower target's place is still
    // where its pointer says when it moves.
    let mut targets: Vec<(Kind, Vec<String>)> = rewrites
        .values()
        .filter_map(|t| match t {
            Target::Place(kind, segments) => Some((*kind, segments.clone())),
            Target::Component(_) => None,
        })
        .collect();
    targets.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
    targets.dedup();
    let mut homes: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut relocations = Relocations::default();
    for (kind, segments) in targets {
        let key = free_key(doc, kind, &segments);
        let home = format!("#/components/{}/{}", kind.section(), pointer::escape(&key));
        let Some(slot) = value_at_mut(doc, &segments) else {
            continue;
        };
        let moved = std::mem::replace(slot, reference_to(&home));
        let Some(section) = section_mut(doc, kind) else {
            continue;
        };
        section.insert(key, moved);
        let original = pointer_of(&segments);
        notes.push(format!(
            "{original}: the target of a $ref, so it is declared once and shared by every place \
             that refers to it"
        ));
        relocations
            .moves
            .push((home.clone(), original.as_str().to_string()));
        homes.insert(segments, home);
    }

    // Every reference, wherever it now sits, to the new home.
    let new_refs: BTreeMap<&str, String> = rewrites
        .iter()
        .filter_map(|(reference, target)| match target {
            Target::Component(simple) => Some((reference.as_str(), simple.clone())),
            Target::Place(_, segments) => {
                homes.get(segments).map(|h| (reference.as_str(), h.clone()))
            }
        })
        .collect();
    rewrite_refs(doc, &new_refs);
    relocations
}

/// Why a `$ref` the model builder cannot follow (one that does not start
/// with `prefix`, `#/components/<kind>/`) leads nowhere, in words: by the
/// time the builder reads it, every reference to a place of the right kind
/// has been made a component one by [`hoist`].
pub fn unresolved(reference: &str, prefix: &str) -> String {
    let section = pointer::fragment_tokens(prefix.trim_end_matches('/'));
    let what = match section.as_ref().and_then(|s| s.last()).map(String::as_str) {
        Some("schemas") => "schema",
        Some("parameters") => "parameter",
        Some("responses") => "response",
        Some("requestBodies") => "request body",
        Some(other) => other,
        None => "target",
    };
    if !reference.starts_with('#') {
        return format!(
            "$ref `{reference}` is in another file: read the documents with \
             `cargo xtask codegen` (documents::load_files), which merges the components of \
             the files they refer to"
        );
    }
    if segments_of(reference).is_some_and(|s| s.len() == 3 && s[0] == "components") {
        return format!("$ref `{reference}` is not a {what}: expected `{prefix}<name>`");
    }
    format!("$ref `{reference}` points at nothing in this document")
}

/// What a deep reference means in the end.
enum Target {
    /// A `#/components/<kind>/<name>` that a chain of references reached.
    Component(String),
    /// A place, by its unescaped segments.
    Place(Kind, Vec<String>),
}

enum Followed {
    Component(String),
    Place(Vec<String>),
    Nothing,
    Cycle,
}

/// Follows `reference` (and the references it lands on) to a place that is
/// not a reference, or to a component.
fn follow(
    doc: &Value,
    reference: &str,
    kind: Kind,
    places: &BTreeMap<Vec<String>, Kind>,
) -> Followed {
    let mut current = reference.to_string();
    for _ in 0..32 {
        if !is_deep(&current) {
            return Followed::Component(current);
        }
        let Some(segments) = segments_of(&current) else {
            return Followed::Nothing;
        };
        if places.get(&segments) != Some(&kind) {
            return Followed::Nothing;
        }
        let Some(target) = value_at(doc, &segments) else {
            return Followed::Nothing;
        };
        match target.get("$ref") {
            Some(Value::String(next)) if next.starts_with('#') => current = next.clone(),
            _ => return Followed::Place(segments),
        }
    }
    Followed::Cycle
}

/// Whether a local reference is not of the form `#/components/<kind>/<name>`.
fn is_deep(reference: &str) -> bool {
    match segments_of(reference) {
        Some(segments) => !(segments.len() == 3 && segments[0] == "components"),
        // External references are for `documents.rs`; leave them alone.
        None => false,
    }
}

/// The unescaped segments of a local reference (`#/a~1b/%7Bc%7D` → `a/b`,
/// `{c}`), or `None` for one into another file.
fn segments_of(reference: &str) -> Option<Vec<String>> {
    pointer::fragment_tokens(reference)
}

fn pointer_of(segments: &[String]) -> Pointer {
    segments.iter().fold(Pointer::root(), |p, s| p.key(s))
}

fn reference_to(home: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(home.to_string()));
    Value::Object(map)
}

fn section_mut(doc: &mut Value, kind: Kind) -> Option<&mut Map<String, Value>> {
    let components = doc
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()?;
    components
        .entry(kind.section())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
}

/// A key for the target at `segments` in its `components` section, made
/// from the names on the way (`components/schemas/Archive/properties/state`
/// → `Archive_state`, `paths//pets/get/parameters/0` → `pets_get_0`), and
/// not yet taken.
fn free_key(doc: &Value, kind: Kind, segments: &[String]) -> String {
    const STRUCTURE: &[&str] = &[
        "components",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "paths",
        "webhooks",
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "schema",
        "requestBody",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalOperations",
    ];
    let mut words = Vec::new();
    let mut after_content = false;
    for segment in segments {
        if std::mem::take(&mut after_content) {
            continue; // a media type
        }
        match segment.as_str() {
            "content" => after_content = true,
            "items" => words.push("item".to_string()),
            "additionalProperties" => words.push("value".to_string()),
            s if STRUCTURE.contains(&s) => {}
            s => {
                // `/a/{id}` → `a_id`: runs of other characters are one `_`.
                let word = s
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join("_");
                if !word.is_empty() {
                    words.push(word);
                }
            }
        }
    }
    let base = if words.is_empty() {
        kind.section().trim_end_matches('s').to_string()
    } else {
        words.join("_")
    };
    let taken = |key: &str| {
        doc.get("components")
            .and_then(|c| c.get(kind.section()))
            .is_some_and(|s| s.get(key).is_some())
    };
    std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}_{n}")))
        .find(|key| !taken(key))
        .unwrap_or(base)
}

/// Rewrites every `$ref` whose text is a key of `new_refs`.
fn rewrite_refs(value: &mut Value, new_refs: &BTreeMap<&str, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(new) = new_refs.get(reference.as_str()) {
                    *reference = new.clone();
                }
            }
            for (key, child) in map.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples" | "default" | "const") {
                    rewrite_refs(child, new_refs);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, new_refs)),
        _ => {}
    }
}

/// What a `$ref` written where the walk found `found` stands for: the
/// things [`hoist`] moves (a header, a media type, a callback or a path item
/// is not moved).
fn referable(found: Found) -> Option<Kind> {
    match found {
        Found::Schema(_) => Some(Kind::Schema),
        Found::Node(Node::Parameter) => Some(Kind::Parameter),
        Found::Node(Node::Response) => Some(Kind::Response),
        Found::Node(Node::RequestBody) => Some(Kind::RequestBody),
        Found::Node(_) => None,
    }
}

/// What [`walk_referable`] calls on each object: its kind, the object, the
/// tokens of its place.
type VisitReferable<'f> = dyn FnMut(Kind, &Map<String, Value>, Vec<String>) + 'f;

/// Calls `visit` on every object of the document a `$ref` may stand in for
/// ([`schema_walk::walk_found`]), with its kind and its place's tokens.
fn walk_referable(doc: &mut Value, visit: &mut VisitReferable) {
    schema_walk::walk_found(doc, &mut |found, value, at| {
        if let (Some(kind), Some(map)) = (referable(found), value.as_object()) {
            visit(kind, map, at.tokens());
        }
        Step::Into
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A later rename is undone first, in the places the earlier ones left;
    /// then the move. (A `$ref` with siblings, inside the one branch left of
    /// a `oneOf` with `null`, inside a moved target.)
    #[test]
    fn renames_are_undone_last_first_then_the_moves() {
        let schema = "#/paths/~1a/get/responses/200/content/application~1json/schema";
        let mut places = Relocations {
            moves: vec![("#/components/schemas/X".into(), schema.into())],
            renames: Vec::new(),
        };
        places.renamed(
            "#/components/schemas/X/allOf/0".into(),
            "#/components/schemas/X/oneOf/1".into(),
        );
        places.renamed(
            "#/components/schemas/X/allOf/0/allOf/0".into(),
            "#/components/schemas/X/allOf/0".into(),
        );
        assert_eq!(
            places.original("#/components/schemas/X/allOf/0/allOf/0/$ref"),
            format!("{schema}/oneOf/1/$ref")
        );
        assert_eq!(
            places.original("#/components/schemas/Xy"),
            "#/components/schemas/Xy"
        );
    }

    fn hoisted(mut doc: Value) -> (Value, Relocations, Vec<String>) {
        let mut notes = Vec::new();
        let mut problems = Problems::default();
        let moves = hoist(&mut doc, &mut notes, &mut problems);
        assert!(problems.is_empty(), "{:?}", problems.into_error());
        (doc, moves, notes)
    }

    #[test]
    fn a_property_becomes_a_component_shared_by_its_users() {
        let (doc, moves, notes) = hoisted(json!({
            "components": {"schemas": {
                "Archive": {"properties": {"state": {"type": "string", "enum": ["a", "b"]}}},
                "Job": {"properties": {"state": {"$ref": "#/components/schemas/Archive/properties/state"}}}
            }}
        }));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Archive_state"],
            json!({"type": "string", "enum": ["a", "b"]})
        );
        assert_eq!(
            schemas["Archive"]["properties"]["state"],
            json!({"$ref": "#/components/schemas/Archive_state"})
        );
        assert_eq!(
            schemas["Job"]["properties"]["state"],
            json!({"$ref": "#/components/schemas/Archive_state"})
        );
        assert_eq!(
            moves.original("#/components/schemas/Archive_state/enum"),
            "#/components/schemas/Archive/properties/state/enum"
        );
        assert_eq!(
            moves.original("#/components/schemas/Archive_stateX"),
            "#/components/schemas/Archive_stateX"
        );
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn parameters_responses_and_chains() {
        let (doc, _, _) = hoisted(json!({
            "paths": {
                "/a/{id}": {"get": {
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"description": "ok"}}
                }},
                "/b/{id}": {"get": {
                    "parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}],
                    "responses": {"200": {"$ref": "#/paths/~1c/get/responses/200"}}
                }},
                "/c": {"get": {"responses": {"200": {"$ref": "#/paths/~1a~1{id}/get/responses/200"}}}}
            }
        }));
        let params = &doc["components"]["parameters"];
        assert_eq!(params["a_id_get_0"]["name"], "id");
        assert_eq!(
            doc["paths"]["/b/{id}"]["get"]["parameters"][0],
            json!({"$ref": "#/components/parameters/a_id_get_0"})
        );
        // /b → /c's response, itself a reference to /a's: all end at one.
        let home = json!({"$ref": "#/components/responses/a_id_get_200"});
        assert_eq!(doc["paths"]["/b/{id}"]["get"]["responses"]["200"], home);
        assert_eq!(doc["paths"]["/c"]["get"]["responses"]["200"], home);
        assert_eq!(doc["paths"]["/a/{id}"]["get"]["responses"]["200"], home);
    }

    #[test]
    fn nested_targets_move_deepest_first_and_names_stay_free() {
        let (doc, _, _) = hoisted(json!({
            "components": {"schemas": {
                "A_b": {"type": "integer"},
                "A": {"properties": {"b": {"properties": {"c": {"type": "string"}}}}},
                "X": {"properties": {
                    "b": {"$ref": "#/components/schemas/A/properties/b"},
                    "c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}
                }}
            }}
        }));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["A_b_2"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/A_b_c"})
        );
        assert_eq!(schemas["A_b_c"], json!({"type": "string"}));
        assert_eq!(
            schemas["X"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/A_b_2"})
        );
    }

    /// The places only the shared walker knew (`components/callbacks`,
    /// `components/mediaTypes`, `contentSchema`, `itemEncoding`): a `$ref`
    /// written there is hoisted, and so is a target there.
    #[test]
    fn refs_in_every_place_the_document_walk_knows_are_hoisted() {
        let deep =
            |name: &str| json!({"$ref": format!("#/components/schemas/A/properties/{name}")});
        let callback_param = "#/components/callbacks/C/{$url}/post/parameters/0";
        let (doc, _, _) = hoisted(json!({
            "openapi": "3.2.0",
            "paths": {"/a": {"get": {
                "parameters": [{"$ref": callback_param.replace("/{$url}", "/%7B$url%7D")}],
                "responses": {"200": {"description": "ok"}}
            }}},
            "components": {
                "schemas": {
                    "A": {"properties": {
                        "b": {"type": "string"}, "c": {"type": "integer"},
                        "d": {"type": "boolean"}, "e": {"type": "number"}
                    }},
                    "S": {"contentSchema": deep("d")}
                },
                "callbacks": {"C": {"{$url}": {"post": {
                    "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}}],
                    "requestBody": {"content": {"a/b": {"schema": deep("b")}}}
                }}}},
                "mediaTypes": {
                    "M": {"schema": deep("c")},
                    "N": {"itemEncoding": {"headers": {"H": {"schema": deep("e")}}}}
                }
            }
        }));
        let components = &doc["components"];
        let home = |key: &str| json!({"$ref": format!("#/components/schemas/{key}")});
        assert_eq!(
            components["callbacks"]["C"]["{$url}"]["post"]["requestBody"]["content"]["a/b"]
                ["schema"],
            home("A_b")
        );
        assert_eq!(components["mediaTypes"]["M"]["schema"], home("A_c"));
        assert_eq!(components["schemas"]["S"]["contentSchema"], home("A_d"));
        assert_eq!(
            components["mediaTypes"]["N"]["itemEncoding"]["headers"]["H"]["schema"],
            home("A_e")
        );
        assert_eq!(components["schemas"]["A_b"], json!({"type": "string"}));
        let parameter = "#/components/parameters/callbacks_C_url_post_0";
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"][0],
            json!({"$ref": parameter})
        );
        assert_eq!(
            components["parameters"]["callbacks_C_url_post_0"]["name"],
            "p"
        );
        assert_eq!(
            components["callbacks"]["C"]["{$url}"]["post"]["parameters"][0],
            json!({"$ref": parameter})
        );
    }

    #[test]
    fn refs_to_nothing_or_to_the_wrong_kind_are_left_for_the_builder() {
        let doc = json!({
            "info": {"title": "t"},
            "components": {"schemas": {
                "A": {"properties": {
                    "x": {"$ref": "#/components/schemas/Nope/properties/y"},
                    "y": {"$ref": "#/info"}
                }}
            }}
        });
        let (out, moves, _) = hoisted(doc.clone());
        assert_eq!(out, doc);
        assert!(moves.is_empty());
    }

    #[test]
    fn a_loop_of_references_is_an_error() {
        let mut doc = json!({"components": {"schemas": {"A": {"properties": {
            "x": {"$ref": "#/components/schemas/A/properties/y"},
            "y": {"$ref": "#/components/schemas/A/properties/x"}
        }}}}});
        let mut problems = Problems::default();
        hoist(&mut doc, &mut Vec::new(), &mut problems);
        let error = problems.into_error().expect("a loop");
        assert_eq!(
            error.problems[0].to_string(),
            "#/components/schemas/A/properties/y: $ref `#/components/schemas/A/properties/x` is part of a chain of $refs that loops"
        );
        assert_eq!(error.problems.len(), 2);
    }
}
