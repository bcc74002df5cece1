//! Rejects type aliases that contain themselves.
//!
//! A schema that is only a `$ref` (or an array or map of one) becomes
//! `pub type A = B;`. Rust cannot expand an alias that reaches itself
//! (`A: {$ref: B}`, `B: {$ref: A}`, or `A: {type: array, items: {$ref: A}}`),
//! so such a document would give a crate that does not compile; say so here,
//! naming the schemas. Structs and unions on the way break a cycle: they are
//! real types, boxed where needed.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{TypeDef, TypeKind, TypeRef};

/// Fails on the first alias (in document order) that reaches itself through
/// aliases only.
pub fn check(types: &[TypeDef]) -> Result<()> {
    let aliases: HashMap<&str, (&TypeRef, &str)> = types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(target) => Some((t.name.as_str(), (target, t.origin.as_str()))),
            _ => None,
        })
        .collect();
    for def in types {
        if let TypeKind::Alias(target) = &def.kind {
            if let Some(path) = cycle_from(&def.name, target, &aliases) {
                return Err(Error::at(
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
    Ok(())
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
