//! OpenAPI Overlays (Overlay Specification 1.0 and 1.1): changes to a
//! document kept in documents of their own, so the vendor's file stays as
//! published.
//!
//! ```yaml
//! overlay: 1.1.0
//! info: {title: Fixes to the vendor's document, version: 1.0.0}
//! actions:
//!   - target: $.paths['/items'].get            # RFC 9535 JSONPath
//!     description: the vendor forgot the paging parameters
//!     update:                                   # merged into each selected node
//!       parameters: [{$ref: '#/components/parameters/Top'}]
//!   - target: $.paths.*.*.parameters[?@.name == 'legacy']
//!     remove: true                              # every selected node
//!   - target: $.components.schemas.Item2        # 1.1: a copy of another node
//!     copy: $.components.schemas.Item
//! ```
//!
//! Actions apply in order, each to the result of the one before. The
//! target's nodes are selected first, then changed; one that selects several
//! changes each. `update` follows the specification's merge: into an object,
//! properties only in the update are inserted, primitives replace
//! primitives, arrays are concatenated, objects merge recursively, and any
//! other pair (an array over a string) is an error naming the place; into an
//! array, an array is concatenated and anything else appended; a primitive
//! is replaced by a primitive.
//!
//! One deliberate departure from the specification: an action whose target
//! selects nothing is an error here (the specification lets it succeed
//! silently). A fix that a new version of the vendor's document made stale
//! must be loud, so the message names the overlay file, the action's index
//! and its target. An action with both `remove: true` and `update` (or
//! `copy`), or with none of them, or with a field the specification does not
//! define (other than `x-…`), is an error too, because it is a typo more
//! often than a wish.
//!
//! JSONPath comes from `serde_json_path`, which implements RFC 9535 (its
//! compliance suite included) and reports each selected node's normalized
//! path; those become the JSON pointers that [`Applied`] lists.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, ErrorKind, Pointer, Result};

/// A parsed overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Where it came from (a file name), for messages.
    pub source: String,
    /// Its `overlay` version (`1.0.0`, `1.1.0`).
    pub version: String,
    /// `info.title`.
    pub title: String,
    pub actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// The JSONPath as written.
    pub target: String,
    path: JsonPath,
    pub description: Option<String>,
    pub change: Change,
}

/// What an action does to each node its target selects.
#[derive(Debug, Clone)]
pub enum Change {
    Update(Value),
    Remove,
    /// Overlay 1.1: merge a copy of the one node this JSONPath selects.
    Copy(String, JsonPath),
}

impl Change {
    /// `update`, `remove` or `copy`.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Update(_) => "update",
            Change::Remove => "remove",
            Change::Copy(..) => "copy",
        }
    }
}

/// What one action did: the JSON pointers of the nodes it changed, in the
/// order its target selected them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// `spec/overlays/fixes.yaml#/actions/3`.
    pub action: String,
    pub kind: &'static str,
    pub target: String,
    pub description: Option<String>,
    pub nodes: Vec<String>,
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.action, self.kind, self.target)?;
        if let Some(description) = &self.description {
            write!(f, " ({description})")?;
        }
        for node in &self.nodes {
            write!(f, "\n    {node}")?;
        }
        Ok(())
    }
}

const ACTION_FIELDS: [&str; 5] = ["target", "description", "update", "remove", "copy"];

impl Overlay {
    /// Parses the text of an overlay (YAML or JSON) named `source`.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let value = crate::load::parse_text(text)
            .map_err(|e| e.map_pointers(|p| format!("{source}{p}")))?;
        Self::from_value(&value, source)
    }

    /// Reads an overlay from its JSON value.
    pub fn from_value(value: &Value, source: &str) -> Result<Self> {
        let here = |at: &Pointer, message: String| {
            Error::at(ErrorKind::Overlay, format!("{source}{at}"), message)
        };
        let root = Pointer::root();
        let Some(map) = value.as_object() else {
            return Err(here(
                &root,
                "an overlay is a mapping with `overlay`, `info` and `actions`".into(),
            ));
        };
        let version = match map.get("overlay") {
            Some(Value::String(v)) if v.starts_with("1.0.") || v.starts_with("1.1.") => v.clone(),
            Some(Value::String(v)) => {
                return Err(here(
                    &root.key("overlay"),
                    format!("Overlay Specification {v} is not supported (1.0.x and 1.1.x are)"),
                ))
            }
            Some(_) => return Err(here(&root.key("overlay"), "must be a version string such as `1.1.0`".into())),
            None => {
                return Err(here(
                    &root,
                    "needs `overlay` (the Overlay Specification version, e.g. `1.1.0`): is this an overlay?".into(),
                ))
            }
        };
        let info = root.key("info");
        let title = match map.get("info") {
            Some(Value::Object(i)) => {
                for field in ["title", "version"] {
                    if !i.get(field).is_some_and(Value::is_string) {
                        return Err(here(&info, format!("needs `{field}`, a string")));
                    }
                }
                i.get("title")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            }
            _ => {
                return Err(here(
                    &info,
                    "needs `info` with `title` and `version`".into(),
                ))
            }
        };
        let list_at = root.key("actions");
        let list = match map.get("actions") {
            Some(Value::Array(list)) if !list.is_empty() => list,
            _ => {
                return Err(here(
                    &list_at,
                    "needs `actions`, a list of at least one action".into(),
                ))
            }
        };
        let mut actions = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let at = list_at.index(i);
            let Some(entry) = entry.as_object() else {
                return Err(here(
                    &at,
                    "an action is a mapping with `target` and `update`, `remove` or `copy`".into(),
                ));
            };
            if let Some(unknown) = entry
                .keys()
                .find(|k| !ACTION_FIELDS.contains(&k.as_str()) && !k.starts_with("x-"))
            {
                return Err(here(
                    &at.key(unknown),
                    format!(
                        "unknown field `{unknown}` (an action has {})",
                        ACTION_FIELDS.join(", ")
                    ),
                ));
            }
            let parse_path = |field: &str| -> Result<(String, JsonPath)> {
                let text = match entry.get(field) {
                    Some(Value::String(t)) => t.clone(),
                    Some(_) => {
                        return Err(here(&at.key(field), "must be a JSONPath string".into()))
                    }
                    None => return Err(here(&at, format!("needs `{field}`"))),
                };
                let path = JsonPath::parse(&text).map_err(|e| {
                    here(
                        &at.key(field),
                        format!("`{text}` is not an RFC 9535 JSONPath: {e}"),
                    )
                })?;
                Ok((text, path))
            };
            let (target, path) = parse_path("target")?;
            let description = match entry.get("description") {
                None => None,
                Some(Value::String(d)) => Some(d.clone()),
                Some(_) => return Err(here(&at.key("description"), "must be a string".into())),
            };
            let remove = match entry.get("remove") {
                None | Some(Value::Bool(false)) => false,
                Some(Value::Bool(true)) => true,
                Some(_) => return Err(here(&at.key("remove"), "must be `true` or `false`".into())),
            };
            let update = entry.get("update");
            let copy = entry.contains_key("copy");
            if copy && version.starts_with("1.0.") {
                return Err(here(
                    &at.key("copy"),
                    "`copy` needs `overlay: 1.1.0`".into(),
                ));
            }
            let change = match (remove, update, copy) {
                (true, None, false) => Change::Remove,
                (false, Some(value), false) => Change::Update(value.clone()),
                (false, None, true) => {
                    let (text, path) = parse_path("copy")?;
                    Change::Copy(text, path)
                }
                (false, None, false) => {
                    return Err(here(&at, "does nothing: give it `update`, `remove: true` or `copy`".into()))
                }
                _ => {
                    return Err(here(
                        &at,
                        "has more than one of `update`, `remove: true` and `copy`; split it into one action each".into(),
                    ))
                }
            };
            actions.push(Action {
                target,
                path,
                description,
                change,
            });
        }
        Ok(Overlay {
            source: source.to_string(),
            version,
            title,
            actions,
        })
    }

    /// Applies every action, in order, to `doc`; says what each changed.
    pub fn apply(&self, doc: &mut Value) -> Result<Vec<Applied>> {
        let mut applied = Vec::with_capacity(self.actions.len());
        for (i, action) in self.actions.iter().enumerate() {
            let name = format!("{}#/actions/{i}", self.source);
            let fail = |message: String| Error::at(ErrorKind::Overlay, name.clone(), message);
            let selected = select(&action.path, doc);
            if selected.is_empty() {
                return Err(fail(format!(
                    "target `{}` matches nothing in the document (stale after a change to the document? fix or delete the action)",
                    action.target
                )));
            }
            match &action.change {
                Change::Remove => remove_all(doc, &selected).map_err(fail)?,
                Change::Update(value) => update_all(doc, &selected, value).map_err(fail)?,
                Change::Copy(from, path) => {
                    let mut sources = select(path, doc);
                    let source = match (sources.pop(), sources.is_empty()) {
                        (Some(only), true) => only,
                        (None, _) => {
                            return Err(fail(format!(
                                "`copy` source `{from}` matches nothing in the document"
                            )))
                        }
                        (Some(_), false) => {
                            return Err(fail(format!(
                            "`copy` source `{from}` matches {} nodes; it must select exactly one",
                            sources.len() + 1
                        )))
                        }
                    };
                    let value = node(doc, &source).cloned().unwrap_or(Value::Null);
                    update_all(doc, &selected, &value).map_err(fail)?;
                }
            }
            applied.push(Applied {
                action: name,
                kind: action.change.kind(),
                target: action.target.clone(),
                description: action.description.clone(),
                nodes: selected.iter().map(|s| pointer(s)).collect(),
            });
        }
        Ok(applied)
    }
}

/// One step from a node to its child.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// The nodes `path` selects in `doc`, as owned paths, duplicates dropped
/// (RFC 9535 keeps `$['a','a']` twice), in the order they were selected.
fn select(path: &JsonPath, doc: &Value) -> Vec<Vec<Step>> {
    let mut out: Vec<Vec<Step>> = Vec::new();
    for located in path.query_located(doc).iter() {
        let steps: Vec<Step> = located
            .location()
            .iter()
            .map(|e| match (e.as_name(), e.as_index()) {
                (Some(name), _) => Step::Key(name.to_string()),
                (None, Some(i)) => Step::Index(i),
                (None, None) => Step::Index(usize::MAX),
            })
            .collect();
        if !out.contains(&steps) {
            out.push(steps);
        }
    }
    out
}

/// `#/paths/~1a/get`.
fn pointer(steps: &[Step]) -> String {
    let mut at = Pointer::root();
    for step in steps {
        at = match step {
            Step::Key(k) => at.key(k),
            Step::Index(i) => at.index(*i),
        };
    }
    at.as_str().to_string()
}

fn node<'a>(doc: &'a Value, steps: &[Step]) -> Option<&'a Value> {
    steps.iter().try_fold(doc, |value, step| match step {
        Step::Key(k) => value.get(k),
        Step::Index(i) => value.get(i),
    })
}

fn node_mut<'a>(doc: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(doc, |value, step| match step {
        Step::Key(k) => value.get_mut(k),
        Step::Index(i) => value.get_mut(i),
    })
}

/// Removes every selected node. Deepest and last first, so that removing
/// one array item does not shift the index of another still to be removed,
/// and a node inside another selected node goes before its parent.
fn remove_all(doc: &mut Value, selected: &[Vec<Step>]) -> Result<(), String> {
    let mut order: Vec<&Vec<Step>> = selected.iter().collect();
    order.sort();
    for steps in order.into_iter().rev() {
        let Some((last, parent)) = steps.split_last() else {
            return Err("`remove` cannot remove the whole document (`$`)".into());
        };
        match (node_mut(doc, parent), last) {
            (Some(Value::Object(map)), Step::Key(k)) => {
                map.shift_remove(k);
            }
            (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                items.remove(*i);
            }
            // Inside a node removed already: nothing left to do.
            _ => {}
        }
    }
    Ok(())
}

fn update_all(doc: &mut Value, selected: &[Vec<Step>], value: &Value) -> Result<(), String> {
    for steps in selected {
        // A node inside another selected node may be gone (an earlier
        // update replaced a primitive on the way): then it is not there.
        if let Some(target) = node_mut(doc, steps) {
            update(target, value, &pointer(steps))?;
        }
    }
    Ok(())
}

/// Merges `with` into `target` as the Overlay Specification says.
fn update(target: &mut Value, with: &Value, at: &str) -> Result<(), String> {
    match (target, with) {
        (Value::Object(into), Value::Object(from)) => merge(into, from, at),
        (Value::Object(_), other) => Err(format!(
            "`update` of the object at {at} must be an object, not {}",
            kind(other)
        )),
        (Value::Array(items), Value::Array(more)) => {
            items.extend(more.iter().cloned());
            Ok(())
        }
        (Value::Array(items), one) => {
            items.push(one.clone());
            Ok(())
        }
        (primitive, with) if !with.is_object() && !with.is_array() => {
            *primitive = with.clone();
            Ok(())
        }
        (primitive, with) => Err(format!(
            "`update` of the {} at {at} must be a primitive, not {}; remove it first to replace it",
            kind(primitive),
            kind(with)
        )),
    }
}

fn merge(into: &mut Map<String, Value>, from: &Map<String, Value>, at: &str) -> Result<(), String> {
    for (key, value) in from {
        let here = format!("{at}/{}", crate::pointer::escape(key));
        match into.get_mut(key) {
            None => {
                into.insert(key.clone(), value.clone());
            }
            Some(existing) => match (&mut *existing, value) {
                (Value::Object(a), Value::Object(b)) => merge(a, b, &here)?,
                (Value::Array(a), Value::Array(b)) => a.extend(b.iter().cloned()),
                (a, b) if is_primitive(a) && is_primitive(b) => *a = b.clone(),
                (a, b) => {
                    return Err(format!(
                    "`update` cannot merge {} into the {} at {here}; remove it first to replace it",
                    kind(b),
                    kind(a)
                ))
                }
            },
        }
    }
    Ok(())
}

fn is_primitive(value: &Value) -> bool {
    !value.is_object() && !value.is_array()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(overlay: &str, mut doc: Value) -> Result<(Value, Vec<Applied>)> {
        let text = format!("overlay: 1.1.0\ninfo: {{title: t, version: '1'}}\nactions:\n{overlay}");
        let applied = Overlay::parse(&text, "o.yaml")?.apply(&mut doc)?;
        Ok((doc, applied))
    }

    fn message(overlay: &str, doc: Value) -> String {
        apply(overlay, doc).map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn update_merges_objects_recursively_keeping_key_order() {
        let doc = json!({"a": {"x": 1, "n": {"p": "q"}, "list": [1], "z": 2}});
        let (out, applied) = apply(
            "  - target: $.a\n    update: {n: {r: s}, x: 5, list: [2, 3], new: true}\n",
            doc,
        )
        .expect("apply");
        assert_eq!(
            serde_json::to_string(&out).expect("json"),
            r#"{"a":{"x":5,"n":{"p":"q","r":"s"},"list":[1,2,3],"z":2,"new":true}}"#
        );
        assert_eq!(applied[0].nodes, ["#/a"]);
        assert_eq!(applied[0].kind, "update");
    }

    #[test]
    fn update_appends_to_arrays_and_replaces_primitives() {
        let doc = json!({"tags": ["a"], "p": [{"name": "x"}], "s": "old"});
        let (out, _) = apply(
            "  - target: $.tags\n    update: [b, c]\n  - target: $.p\n    update: {name: y}\n  - target: $.s\n    update: new\n",
            doc,
        )
        .expect("apply");
        assert_eq!(
            out,
            json!({"tags": ["a", "b", "c"], "p": [{"name": "x"}, {"name": "y"}], "s": "new"})
        );
    }

    #[test]
    fn remove_takes_out_each_selected_node() {
        let doc =
            json!({"p": [{"n": "a"}, {"n": "b"}, {"n": "a"}, {"n": "c"}], "m": {"k": 1, "l": 2}});
        let (out, applied) = apply(
            "  - target: $.p[?@.n == 'a']\n    remove: true\n  - target: $.m.k\n    remove: true\n",
            doc,
        )
        .expect("apply");
        assert_eq!(out, json!({"p": [{"n": "b"}, {"n": "c"}], "m": {"l": 2}}));
        assert_eq!(applied[0].nodes, ["#/p/0", "#/p/2"]);
        assert_eq!(applied[1].nodes, ["#/m/k"]);
    }

    #[test]
    fn a_target_matching_several_nodes_changes_each() {
        let doc = json!({"paths": {"/a": {"get": {}, "post": {}}, "/b": {"get": {"x-keep": 1}}}});
        let (out, applied) = apply(
            "  - target: $.paths.*.get\n    description: mark reads\n    update: {x-safe: true}\n",
            doc,
        )
        .expect("apply");
        assert_eq!(
            out,
            json!({"paths": {"/a": {"get": {"x-safe": true}, "post": {}}, "/b": {"get": {"x-keep": 1, "x-safe": true}}}})
        );
        assert_eq!(applied[0].nodes, ["#/paths/~1a/get", "#/paths/~1b/get"]);
        assert_eq!(
            applied[0].to_string(),
            "o.yaml#/actions/0 update $.paths.*.get (mark reads)\n    #/paths/~1a/get\n    #/paths/~1b/get"
        );
        // The same node named twice is changed once.
        let (out, applied) = apply(
            "  - target: $['l', 'l']\n    update: [1]\n",
            json!({"l": []}),
        )
        .expect("apply");
        assert_eq!(out, json!({"l": [1]}));
        assert_eq!(applied[0].nodes, ["#/l"]);
    }

    #[test]
    fn copy_merges_the_one_selected_source() {
        let doc = json!({"s": {"A": {"type": "object"}, "B": {"description": "b"}}});
        let (out, _) = apply("  - target: $.s.B\n    copy: $.s.A\n", doc.clone()).expect("apply");
        assert_eq!(out["s"]["B"], json!({"description": "b", "type": "object"}));
        assert_eq!(
            message("  - target: $.s.B\n    copy: $.s.*\n", doc),
            "o.yaml#/actions/0: `copy` source `$.s.*` matches 2 nodes; it must select exactly one"
        );
    }

    #[test]
    fn a_stale_target_is_an_error_naming_file_action_and_target() {
        let doc = json!({"paths": {"/a": {}}});
        assert_eq!(
            message(
                "  - target: $.paths['/a']\n    update: {x: 1}\n  - target: $.paths['/gone'].get\n    update: {x: 1}\n",
                doc
            ),
            "o.yaml#/actions/1: target `$.paths['/gone'].get` matches nothing in the document (stale after a change to the document? fix or delete the action)"
        );
    }

    #[test]
    fn incompatible_merges_and_malformed_actions_are_located_errors() {
        let doc = json!({"a": {"type": "string", "list": [1]}});
        for (overlay, expected) in [
            ("  - target: $.a\n    update: {type: [string, 'null']}\n",
             "o.yaml#/actions/0: `update` cannot merge array into the string at #/a/type; remove it first to replace it"),
            ("  - target: $.a\n    update: 3\n",
             "o.yaml#/actions/0: `update` of the object at #/a must be an object, not number"),
            ("  - target: $.a.type\n    update: {x: 1}\n",
             "o.yaml#/actions/0: `update` of the string at #/a/type must be a primitive, not object; remove it first to replace it"),
            ("  - target: $\n    remove: true\n",
             "o.yaml#/actions/0: `remove` cannot remove the whole document (`$`)"),
            ("  - target: $.a\n    remvoe: true\n",
             "o.yaml#/actions/0/remvoe: unknown field `remvoe` (an action has target, description, update, remove, copy)"),
            ("  - target: $.a\n    remove: true\n    update: {}\n",
             "o.yaml#/actions/0: has more than one of `update`, `remove: true` and `copy`; split it into one action each"),
            ("  - target: $.a\n",
             "o.yaml#/actions/0: does nothing: give it `update`, `remove: true` or `copy`"),
        ] {
            assert_eq!(message(overlay, doc.clone()), expected, "{overlay}");
        }
        assert!(message("  - target: a.b\n    remove: true\n", doc.clone())
            .starts_with("o.yaml#/actions/0/target: `a.b` is not an RFC 9535 JSONPath: "));
        let old = "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - {target: $.a, copy: $.a}\n";
        assert_eq!(
            Overlay::parse(old, "o.yaml").unwrap_err().to_string(),
            "o.yaml#/actions/0/copy: `copy` needs `overlay: 1.1.0`"
        );
        assert_eq!(
            Overlay::parse("overlay: 2.0.0\n", "o.yaml")
                .unwrap_err()
                .to_string(),
            "o.yaml#/overlay: Overlay Specification 2.0.0 is not supported (1.0.x and 1.1.x are)"
        );
        assert_eq!(
            Overlay::parse("openapi: 3.1.0\n", "o.yaml").unwrap_err().to_string(),
            "o.yaml#: needs `overlay` (the Overlay Specification version, e.g. `1.1.0`): is this an overlay?"
        );
    }

    #[test]
    fn applying_is_deterministic() {
        let doc = json!({"paths": {"/b": {"get": {"parameters": [{"name": "q"}]}}, "/a": {"get": {"parameters": [{"name": "q"}, {"name": "r"}]}}}});
        let overlay = "  - target: $..parameters[?@.name == 'q']\n    update: {in: query}\n  - target: $.paths.*.get\n    update: {x-n: 1}\n";
        let first = apply(overlay, doc.clone()).expect("apply");
        for _ in 0..10 {
            let again = apply(overlay, doc.clone()).expect("apply");
            assert_eq!(
                serde_json::to_string(&again.0).ok(),
                serde_json::to_string(&first.0).ok()
            );
            assert_eq!(again.1, first.1);
        }
        // Document order, not sorted order.
        assert_eq!(first.1[1].nodes, ["#/paths/~1b/get", "#/paths/~1a/get"]);
    }
}
