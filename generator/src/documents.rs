//! One API from several documents: the vendor publishes one file per area
//! (and files that `$ref` each other); the generator wants one document.
//!
//! [`load_files`] reads the documents given, follows external `$ref`s
//! (`other.yaml#/components/schemas/X`) to sibling files (each file read
//! once, so files that refer to each other in a cycle are fine), merges
//! paths and components, and rewrites every external `$ref` to the local one
//! it now is. An identical duplicate (the same schema in two files) merges
//! silently; a real conflict is an error naming both places.

use std::path::{Component, Path, PathBuf};

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Pointer, Result};

/// One document: its display name (for messages) and its parsed value.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file as the user named it (`spec/changesets.yaml`).
    pub name: String,
    /// Whether the user asked for it (its paths are merged) or it was only
    /// reached through an external `$ref` (only its components are merged).
    pub requested: bool,
    pub value: Value,
}

/// The merged document and where each of its operations and components
/// came from.
#[derive(Debug, Clone)]
pub struct Merged {
    pub document: Value,
    /// (pointer of an operation or component, file it came from).
    origins: IndexMap<String, String>,
    /// The overrides file applied, if any.
    pub overrides: Option<PathBuf>,
    /// (pointer of an operation or component, overlay that added it).
    added_by: IndexMap<String, String>,
}

impl Merged {
    /// The file that the thing at `pointer` (or a part of it) came from.
    pub fn file_of(&self, pointer: &str) -> Option<&str> {
        self.origins
            .iter()
            .find(|(at, _)| within(pointer, at))
            .map(|(_, file)| file.as_str())
    }

    /// Remembers `overlay` as the origin of every operation and component
    /// of the document that no document or earlier overlay gave.
    pub fn added_by_overlay(&mut self, overlay: &str) {
        let Value::Object(out) = &self.document else {
            return;
        };
        let mut seen = IndexMap::new();
        record(&mut seen, out, overlay);
        for (at, name) in seen {
            if self.file_of(&at).is_none() && !self.added_by.contains_key(&at) {
                self.added_by.insert(at, name);
            }
        }
    }

    /// An error about the merged document, with every place it names
    /// prefixed by the file the place came from (when it is known), or
    /// followed by the overlay that added it.
    pub fn describe(&self, error: &Error) -> String {
        let located = |pointer: &str| match self.file_of(pointer) {
            Some(file) => format!("{file}{pointer}"),
            None => match self.added_by.iter().find(|(at, _)| within(pointer, at)) {
                Some((_, overlay)) => format!("{pointer} (added by {overlay})"),
                None => pointer.to_string(),
            },
        };
        let problems: Vec<crate::error::Problem> = error
            .problems
            .iter()
            .map(|problem| crate::error::Problem {
                kind: problem.kind,
                pointer: if problem.pointer.is_empty() {
                    String::new()
                } else {
                    located(&problem.pointer)
                },
                message: problem
                    .message
                    .split(' ')
                    .map(|word| {
                        // `#/paths/~1a/get;`: the pointer without its punctuation.
                        let pointer = word.trim_end_matches([';', ',', ':', ')', '.']);
                        if pointer.starts_with("#/") {
                            format!("{}{}", located(pointer), &word[pointer.len()..])
                        } else {
                            word.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect();
        // The fix (an overrides fragment) points into the merged document,
        // which is what overrides apply to: left as it is.
        Error {
            problems,
            fix: error.fix.clone(),
        }
        .to_string()
    }
}

/// Whether `pointer` is `at` or a place inside it.
fn within(pointer: &str, at: &str) -> bool {
    crate::pointer::within(pointer, at).is_some()
}

/// The overrides file picked up beside the first document.
pub const OVERRIDES_FILE: &str = "overrides.yaml";

/// The documents at `specs` merged, then the overrides file applied:
/// `overrides` when given, else [`OVERRIDES_FILE`] beside the first document
/// when there is one. (With overlays too: [`crate::Sources::load`].)
pub fn load_with_overrides(specs: &[PathBuf], overrides: Option<&Path>) -> Result<Merged> {
    let mut merged = load_files(specs)?;
    apply_overrides(&mut merged, specs, overrides)?;
    Ok(merged)
}

/// Applies `overrides`, or else [`OVERRIDES_FILE`] beside the first of
/// `specs` when there is one, to the merged document.
pub fn apply_overrides(
    merged: &mut Merged,
    specs: &[PathBuf],
    overrides: Option<&Path>,
) -> Result<()> {
    let beside = specs
        .first()
        .map(|first| first.with_file_name(OVERRIDES_FILE))
        .filter(|path| path.is_file());
    if let Some(path) = overrides.map(Path::to_path_buf).or(beside) {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::general(ErrorKind::Io, format!("cannot read {name}: {e}")))?;
        crate::overrides::Overrides::parse(&text, &name)?.apply(&mut merged.document)?;
        merged.overrides = Some(path);
    }
    Ok(())
}

/// Reads the documents at `paths` and the sibling files their `$ref`s reach,
/// and merges them into one document.
pub fn load_files(paths: &[PathBuf]) -> Result<Merged> {
    let mut docs: Vec<(PathBuf, Document)> = Vec::new();
    let mut queue: Vec<(PathBuf, bool)> = paths.iter().map(|p| (normal(p), true)).collect();
    queue.reverse();
    while let Some((path, requested)) = queue.pop() {
        if let Some((_, doc)) = docs.iter_mut().find(|(p, _)| *p == path) {
            doc.requested |= requested;
            continue;
        }
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error::general(ErrorKind::Io, format!("cannot read {name}: {e}")))?;
        let mut value =
            crate::load::parse_text(&text).map_err(|e| e.map_pointers(|p| format!("{name}{p}")))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut siblings = Vec::new();
        localise_refs(&mut value, &name, &mut |file| {
            let sibling = normal(&dir.join(file));
            siblings.push(sibling.clone());
            sibling.display().to_string()
        })?;
        // Depth-first, so the order of merged components follows the refs.
        queue.extend(siblings.into_iter().rev().map(|s| (s, false)));
        docs.push((
            path,
            Document {
                name,
                requested,
                value,
            },
        ));
    }
    merge(docs.into_iter().map(|(_, d)| d).collect())
}

/// `a/./b/../c.yaml` → `a/c.yaml`, without touching the file system, so that
/// two spellings of one file are read once.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Rewrites `file#/components/...` refs to `#/components/...`, calling
/// `sibling` with each file named. Only component refs can be merged: a ref
/// into another file's paths has nowhere to go in the merged document.
fn localise_refs(
    value: &mut Value,
    name: &str,
    sibling: &mut dyn FnMut(&str) -> String,
) -> Result<()> {
    walk_refs(value, &mut Vec::new(), name, sibling)
}

/// One step of the path to a value, kept borrowed while walking: building a
/// pointer string for every value of a multi-megabyte document costs more
/// than the walk, and it is needed only for an error.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn walk_refs<'a>(
    value: &'a mut Value,
    path: &mut Vec<Step<'a>>,
    name: &str,
    sibling: &mut dyn FnMut(&str) -> String,
) -> Result<()> {
    let here = |path: &[Step], message: String| {
        let mut at = Pointer::root();
        for step in path {
            at = match step {
                Step::Key(key) => at.key(key),
                Step::Index(i) => at.index(*i),
            };
        }
        Error::at(
            ErrorKind::Unsupported,
            format!("{name}{}", at.key("$ref")),
            message,
        )
    };
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(reference) = child {
                        if let Some((file, fragment)) = reference.split_once('#') {
                            if !file.is_empty() {
                                if !fragment.starts_with("/components/") {
                                    return Err(here(path, format!("external $ref `{reference}`: only refs to `#/components/...` in another file can be merged")));
                                }
                                sibling(file);
                                *reference = format!("#{fragment}");
                            }
                        } else if !reference.is_empty() {
                            // A whole-file ref (`item.yaml`) would need the
                            // file to be a schema; not supported.
                            return Err(here(path, format!("external $ref `{reference}` names a whole file; point into its components (`{reference}#/components/schemas/Name`)")));
                        }
                    }
                    continue;
                }
                // Example payloads and defaults are data: a `$ref` key in
                // them is not a reference (GitHub's SCIM examples have some).
                if matches!(
                    key.as_str(),
                    "example" | "examples" | "default" | "const" | "enum"
                ) {
                    continue;
                }
                path.push(Step::Key(key));
                walk_refs(child, path, name, sibling)?;
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(Step::Index(i));
                walk_refs(item, path, name, sibling)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

/// Merges documents whose refs are already local. The first document gives
/// `openapi`, `info` and `servers`; paths and components are the union;
/// tags are the union by name; any other root key must agree.
pub fn merge(docs: Vec<Document>) -> Result<Merged> {
    let mut docs = docs.into_iter();
    let Some(first) = docs.next() else {
        return Err(Error::general(
            ErrorKind::Config,
            "no document to generate from",
        ));
    };
    let mut out = match first.value {
        Value::Object(map) => map,
        _ => {
            return Err(Error::at(
                ErrorKind::Invalid,
                format!("{}#", first.name),
                "an OpenAPI document must be a mapping at the top level",
            ))
        }
    };
    // Where each merged piece came from, to name both places in a conflict.
    let mut origins: IndexMap<String, String> = IndexMap::new();
    record(&mut origins, &out, &first.name);
    if !first.requested {
        out.remove("paths");
    }
    for doc in docs {
        let Value::Object(root) = doc.value else {
            return Err(Error::at(
                ErrorKind::Invalid,
                format!("{}#", doc.name),
                "an OpenAPI document must be a mapping at the top level",
            ));
        };
        let first_version = out.get("openapi").and_then(Value::as_str).unwrap_or("");
        let version = root.get("openapi").and_then(Value::as_str).unwrap_or("");
        if first_version.get(..3) != version.get(..3) {
            return Err(Error::at(
                ErrorKind::Merge,
                format!("{}#/openapi", doc.name),
                format!(
                    "OpenAPI {version} cannot be merged with the first document's {first_version}"
                ),
            ));
        }
        let conflict = |section: &str, key: &str, sub: Option<&str>| {
            let mut at = Pointer::root();
            for part in section.split('/') {
                at = at.key(part);
            }
            at = at.key(key);
            if let Some(sub) = sub {
                at = at.key(sub);
            }
            let before = origins
                .get(at.as_str())
                .map_or("an earlier document", String::as_str);
            Error::at(ErrorKind::Merge,
                format!("{}{at}", doc.name),
                format!("conflicts with {before}{at}, which says something different; fix one of them with an overrides entry"),
            )
        };
        for (key, value) in root {
            match key.as_str() {
                "openapi" | "info" | "servers" | "$self" => {}
                // A file reached only through a `$ref` lends its components.
                _ if !doc.requested && key != "components" => {}
                "paths" => {
                    let into = out
                        .entry("paths")
                        .or_insert_with(|| Value::Object(Map::new()));
                    for (path, item) in value.as_object().into_iter().flatten() {
                        // One path may be split between files: merge its methods.
                        if let Some(method) = add_entries(entry_of(into, path), item) {
                            return Err(conflict("paths", path, Some(&method)));
                        }
                    }
                }
                "components" => {
                    let into = out
                        .entry("components")
                        .or_insert_with(|| Value::Object(Map::new()));
                    for (section, entries) in value.as_object().into_iter().flatten() {
                        if let Some(name) = add_entries(entry_of(into, section), entries) {
                            return Err(conflict(&format!("components/{section}"), &name, None));
                        }
                    }
                }
                "tags" => {
                    let into = out
                        .entry("tags")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(into) = into {
                        for tag in value.as_array().into_iter().flatten() {
                            if !into.iter().any(|t| t.get("name") == tag.get("name")) {
                                into.push(tag.clone());
                            }
                        }
                    }
                }
                _ => match out.get(&key) {
                    None => {
                        out.insert(key, value);
                    }
                    Some(same) if *same == value => {}
                    Some(_) => {
                        let at = Pointer::root().key(&key);
                        return Err(Error::at(ErrorKind::Merge,
                            format!("{}{at}", doc.name),
                            format!("differs from the first document's `{key}`; the documents must agree"),
                        ));
                    }
                },
            }
        }
        record(&mut origins, &out, &doc.name);
    }
    Ok(Merged {
        document: Value::Object(out),
        origins,
        overrides: None,
        added_by: IndexMap::new(),
    })
}

/// The mapping at `key` of `map`, created empty when missing (or when `map`
/// is not a mapping: the typed parse reports that later).
fn entry_of<'a>(map: &'a mut Value, key: &str) -> &'a mut Value {
    if !map.is_object() {
        *map = Value::Object(Map::new());
    }
    match map {
        Value::Object(map) => map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new())),
        other => other,
    }
}

/// Adds the entries of `from` that `into` lacks; returns the first key both
/// have with different values (an identical duplicate is no conflict).
fn add_entries(into: &mut Value, from: &Value) -> Option<String> {
    let (Value::Object(into), Value::Object(from)) = (into, from) else {
        return None;
    };
    for (key, value) in from {
        match into.get(key) {
            None => {
                into.insert(key.clone(), value.clone());
            }
            Some(same) if same == value => {}
            Some(_) => return Some(key.clone()),
        }
    }
    None
}

/// Remembers `name` as the origin of every operation and component of `out`
/// not seen before.
fn record(origins: &mut IndexMap<String, String>, out: &Map<String, Value>, name: &str) {
    let mut pieces = two_levels(out, "paths");
    pieces.extend(two_levels(out, "components"));
    for at in pieces {
        origins
            .entry(at.as_str().to_string())
            .or_insert_with(|| name.to_string());
    }
}

/// `#/<root>/<a>/<b>` for every key `a` of `out[root]` and `b` of that:
/// the operations of every path, the entries of every components section.
fn two_levels(out: &Map<String, Value>, root: &str) -> Vec<Pointer> {
    let at = Pointer::root().key(root);
    let mut pieces = Vec::new();
    for (a, inner) in out
        .get(root)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for b in inner.as_object().into_iter().flatten().map(|(b, _)| b) {
            pieces.push(at.key(a).key(b));
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_in_example_payloads_are_data() {
        let mut doc = json!({
            "components": {
                "examples": {"e": {"value": {"$ref": "https://example.com/users/1"}}},
                "schemas": {"A": {"properties": {"b": {"$ref": "b.yaml#/components/schemas/B"}},
                                  "example": {"$ref": "not/a/ref"}}}
            }
        });
        let mut named = Vec::new();
        localise_refs(&mut doc, "a.yaml", &mut |file| {
            named.push(file.to_string());
            file.to_string()
        })
        .expect("localise");
        assert_eq!(named, ["b.yaml"]);
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/B"
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["example"]["$ref"],
            "not/a/ref"
        );
        assert_eq!(
            doc["components"]["examples"]["e"]["value"]["$ref"],
            "https://example.com/users/1"
        );
    }
}
