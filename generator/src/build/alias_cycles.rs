//! Rejects type aliases that contain themselves.
//!
//! A schema that is only a `$ref` (or an array or map of one) becomes
//! `pub type A = B;`. Rust cannot expand an alias that reaches itself
//! (`A: {$ref: B}`, `B: {$ref: A}`, or `A: {type: array, items: {$ref: A}}`),
//! so such a document would give a crate that does not compile; say so here,
//! naming the schemas. Structs and unions on the way break a cycle: they are
//! real types, boxed where needed.

use std::collections::HashMap;

use crate::error::{Error, ErrorKind, Problems};
use crate::model::{TypeDef, TypeKind, TypeRef};

/// Records every cycle of aliases (at its first member in document order).
pub fn check(types: &[TypeDef], problems: &mut Problems) {
    let aliases: HashMap<&str, (&TypeRef, &str)> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(target) => Some((t.name.as_str(), (target, t.origin.as_str()))),
            _ => None,
        })
        .collect();
    // Origins of the aliases in a cycle already reported: a cycle is told
    // once, at its first member.
    let mut reported = std::collections::HashSet::new();
    for def in types {
        if let TypeKind::Alias(target) = &def.kind {
            if reported.contains(def.origin.as_str()) {
                continue;
            }
            if let Some(path) = cycle_from(&def.name, target, &aliases) {
                reported.extend(path.iter().cloned());
                problems.push(Error::at(
                    ErrorKind::Reference,
                    def.origin.clone(),
                    format!(
                        "$ref cycle {}: a schema that is only a $ref, an array or a map \
                         cannot contain itself; give one of them properties or make it a oneOf",
                        path.join(" → ")
                    ),
                ));
            }
        }
    }
}

/// The origins on a path of aliases from `start` back to `start`, if any.
fn cycle_from(
    start: &str,
    target: &TypeRef,
    aliases: &HashMap<&str, (&TypeRef, &str)>,
) -> Option<Vec<String>> {
    let origin = |name: &str| aliases.get(name).map_or(name, |(_, o)| o).to_string();
    // Depth-first over alias names, with the path that led to each.
    let mut stack = vec![(named_in(target), vec![origin(start)])];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((names, path)) = stack.pop() {
        for name in names {
            if name == start {
                let mut path = path.clone();
                path.push(origin(start));
                return Some(path);
            }
            if let Some((next, o)) = aliases.get(name.as_str()) {
                if seen.insert(name.clone()) {
                    let mut path = path.clone();
                    path.push(o.to_string());
                    stack.push((named_in(next), path));
                }
            }
        }
    }
    None
}

/// Generated types a type reference mentions (`Vec<BTreeMap<String, A>>` → A).
fn named_in(ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Named(name) => vec![name.clone()],
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner),
        _ => Vec::new(),
    }
}
