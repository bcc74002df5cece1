//! Fixing a vendor's document without editing it: an overrides file applied
//! to the document's JSON value before anything else reads it.
//!
//! ```yaml
//! overrides:
//!   - rename-operation: '#/paths/~1items~1{id}/get'   # the operation, by pointer
//!     operation-id: getItem
//!   - base-url: https://api.example.com/v2             # replaces `servers`
//!   - merge: '#/components/schemas/Item'               # JSON merge patch (RFC 7386)
//!     value: {required: [id]}
//!   - set: '#/components/schemas/Item/properties/id/format'
//!     value: uuid
//!   - remove: '#/components/schemas/Item/properties/legacy'
//! ```
//!
//! Operations are named by pointer, not by operationId, because the defect
//! being fixed is often two operations sharing one. Every entry must hit
//! something that exists (for `set`, the parent), so an override that a new
//! version of the document made stale fails loudly instead of silently doing
//! nothing; the error names the overrides file and the entry.

use serde_json::Value;

use crate::error::{Error, ErrorKind, Result};

/// A parsed overrides file.
#[derive(Debug, Clone, PartialEq)]
pub struct Overrides {
    /// Where the overrides came from (a file name), for error messages.
    pub source: String,
    /// The entries, applied in order.
    pub entries: Vec<Override>,
}

/// One change to the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Override {
    /// Set the `operationId` of the operation at this pointer.
    RenameOperation { at: String, operation_id: String },
    /// Replace `servers` with one server at this URL.
    BaseUrl(String),
    /// Merge-patch the value at the pointer.
    Merge { at: String, value: Value },
    /// Put a value at the pointer (its parent must exist).
    Set { at: String, value: Value },
    /// Remove the value at the pointer.
    Remove { at: String },
}

const ACTIONS: &str = "rename-operation, base-url, merge, set, remove";

impl Overrides {
    /// Parses the text of an overrides file (YAML or JSON) named `source`.
    pub fn parse(text: &str, source: &str) -> Result<Self> {
        let value = crate::load::parse_text(text)
            .map_err(|e| e.map_pointers(|p| format!("{source}{p}")))?;
        let here = |pointer: String, message: String| {
            Error::at(ErrorKind::Overlay, format!("{source}{pointer}"), message)
        };
        let list = match value.get("overrides") {
            Some(Value::Array(list)) => list,
            Some(_) => return Err(here("#/overrides".into(), "must be a list".into())),
            None => {
                return Err(here(
                    "#".into(),
                    "an overrides file is a mapping with an `overrides` list".into(),
                ))
            }
        };
        let mut entries = Vec::with_capacity(list.len());
        for (i, entry) in list.iter().enumerate() {
            let at = format!("#/overrides/{i}");
            let text_of = |key: &str| -> Result<String> {
                match entry.get(key) {
                    Some(Value::String(s)) => Ok(s.clone()),
                    Some(_) => Err(here(format!("{at}/{key}"), "must be a string".into())),
                    None => Err(here(at.clone(), format!("needs `{key}`"))),
                }
            };
            let value_of = || {
                entry
                    .get("value")
                    .cloned()
                    .ok_or_else(|| here(at.clone(), "needs `value`".into()))
            };
            let actions: Vec<&str> = ["rename-operation", "base-url", "merge", "set", "remove"]
                .into_iter()
                .filter(|a| entry.get(a).is_some())
                .collect();
            let parsed = match actions.as_slice() {
                ["rename-operation"] => Override::RenameOperation {
                    at: text_of("rename-operation")?,
                    operation_id: text_of("operation-id")?,
                },
                ["base-url"] => Override::BaseUrl(text_of("base-url")?),
                ["merge"] => Override::Merge {
                    at: text_of("merge")?,
                    value: value_of()?,
                },
                ["set"] => Override::Set {
                    at: text_of("set")?,
                    value: value_of()?,
                },
                ["remove"] => Override::Remove {
                    at: text_of("remove")?,
                },
                _ => {
                    return Err(here(
                        at,
                        format!("needs exactly one of {ACTIONS}, found {}", actions.len()),
                    ))
                }
            };
            entries.push(parsed);
        }
        Ok(Overrides {
            source: source.to_string(),
            entries,
        })
    }

    /// Applies every entry, in order, to a document.
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        for (i, entry) in self.entries.iter().enumerate() {
            let fail = |message: String| {
                Error::at(
                    ErrorKind::Overlay,
                    format!("{}#/overrides/{i}", self.source),
                    message,
                )
            };
            match entry {
                Override::RenameOperation { at, operation_id } => {
                    let op = target(doc, at)
                        .filter(|op| op.get("responses").is_some())
                        .ok_or_else(|| {
                            fail(format!("`rename-operation` target `{at}` is not an operation in the document"))
                        })?;
                    if let Some(op) = op.as_object_mut() {
                        op.insert("operationId".into(), Value::String(operation_id.clone()));
                    }
                }
                Override::BaseUrl(url) => {
                    let root = doc
                        .as_object_mut()
                        .ok_or_else(|| fail("the document is not a mapping".into()))?;
                    root.insert("servers".into(), serde_json::json!([{ "url": url }]));
                }
                Override::Merge { at, value } => {
                    let found = target(doc, at).ok_or_else(|| {
                        fail(format!(
                            "`merge` target `{at}` does not exist in the document"
                        ))
                    })?;
                    merge_patch(found, value);
                }
                Override::Set { at, value } => {
                    let (parent, last) = split_last(at);
                    let slot = target(doc, parent).ok_or_else(|| {
                        fail(format!("`set` target `{at}`: its parent `{parent}` does not exist in the document"))
                    })?;
                    match slot {
                        Value::Object(map) => {
                            map.insert(last, value.clone());
                        }
                        Value::Array(items) => {
                            let cell = last.parse::<usize>().ok().and_then(|i| items.get_mut(i));
                            *cell.ok_or_else(|| {
                                fail(format!("`set` target `{at}`: no such array index"))
                            })? = value.clone();
                        }
                        _ => {
                            return Err(fail(format!(
                                "`set` target `{at}`: its parent is not a mapping or list"
                            )))
                        }
                    }
                }
                Override::Remove { at } => {
                    let (parent, last) = split_last(at);
                    let removed = match target(doc, parent) {
                        Some(Value::Object(map)) => map.shift_remove(&last).is_some(),
                        Some(Value::Array(items)) => match last.parse::<usize>() {
                            Ok(i) if i < items.len() => {
                                items.remove(i);
                                true
                            }
                            _ => false,
                        },
                        _ => false,
                    };
                    if !removed {
                        return Err(fail(format!(
                            "`remove` target `{at}` does not exist in the document"
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The value at a pointer written `#/a/b` (or `/a/b`).
fn target<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    crate::pointer::pointee_mut(doc, pointer)
}

/// `#/a/b~1c` → (`#/a`, `b/c`); a pointer without a `/` (`#`) is its own
/// parent, with an empty last token.
fn split_last(pointer: &str) -> (&str, String) {
    crate::pointer::split_last(pointer).unwrap_or((pointer, String::new()))
}

/// RFC 7386: objects merge key by key, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(map) = target {
        for (key, value) in patch {
            if value.is_null() {
                map.shift_remove(key);
            } else {
                merge_patch(map.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

/// The operationId suggested for an operation whose own is taken: its
/// method and path (`GET /items/{id}` → `get_items_id`), letters, digits and
/// underscores only, so that it is a plain YAML scalar and a good method name.
pub fn suggested_operation_id(method: &str, path: &str) -> String {
    let mut suggestion = method.to_ascii_lowercase();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.trim_matches(|c| c == '{' || c == '}');
        let clean: String = segment
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let clean = clean.trim_matches('_');
        if !clean.is_empty() {
            suggestion.push('_');
            suggestion.push_str(clean);
        }
    }
    suggestion
}

/// The overrides entry (one item of the `overrides` list) that gives the
/// operation at `at` (`#/paths/~1a/get`) the operationId `id`.
pub fn rename_entry(at: &str, id: &str) -> String {
    // A single-quoted YAML scalar: a quote inside is doubled.
    let at = at.replace('\'', "''");
    format!("  - rename-operation: '{at}'\n    operation-id: {id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(overrides: &str, mut doc: Value) -> Result<Value> {
        Overrides::parse(overrides, "o.yaml")?.apply(&mut doc)?;
        Ok(doc)
    }

    #[test]
    fn merge_patch_follows_rfc_7386() {
        let doc = json!({"a": {"b": 1, "c": {"d": 2}}});
        let out = apply(
            "overrides:\n  - merge: '#/a'\n    value: {b: null, c: {e: 3}, f: [1]}\n",
            doc,
        )
        .expect("apply");
        assert_eq!(out, json!({"a": {"c": {"d": 2, "e": 3}, "f": [1]}}));
    }

    #[test]
    fn set_and_remove_need_an_existing_parent_or_target() {
        let doc = json!({"a": {"b": [1, 2]}});
        let out = apply(
            "overrides:\n  - set: '#/a/x~1y'\n    value: 1\n  - remove: '#/a/b/0'\n",
            doc.clone(),
        )
        .expect("apply");
        assert_eq!(out, json!({"a": {"b": [2], "x/y": 1}}));
        assert_eq!(
            apply("overrides:\n  - set: '#/q/r'\n    value: 1\n", doc.clone())
                .unwrap_err()
                .to_string(),
            "o.yaml#/overrides/0: `set` target `#/q/r`: its parent `#/q` does not exist in the document"
        );
        assert_eq!(
            apply("overrides:\n  - remove: '#/a/b/7'\n", doc.clone())
                .unwrap_err()
                .to_string(),
            "o.yaml#/overrides/0: `remove` target `#/a/b/7` does not exist in the document"
        );
        assert_eq!(
            apply("overrides:\n  - {remove: '#/a', set: '#/a', value: 1}\n", doc)
                .unwrap_err()
                .to_string(),
            "o.yaml#/overrides/0: needs exactly one of rename-operation, base-url, merge, set, remove, found 2"
        );
    }
}
