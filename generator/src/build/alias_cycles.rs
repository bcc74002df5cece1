//! Rejects type aliases that contain themselves.
//!
//! A schema that is only a `$ref` (or an array or map of one) becomes
//! `pub type A = B;`. Rust cannot expand an alias that reaches itself
//! (`A: {$ref: B}`, `B: {$ref: A}`, or `A: {type: array, items: {$ref: A}}`),
//! so such a document would give a crate that does not compile; say so here,
//! naming the schemas. Structs and unions on the way break a cycle: they are
//! real types, boxed where needed.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::error::{Error, ErrorKind, Problems};
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};

/// Records every cycle of aliases (at its first member in document order).
pub fn check(types: &[TypeDef], problems: &mut Problems) {
    let aliases: HashMap<TypeId, (&TypeRef, &str)> = types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| match &t.kind {
            TypeKind::Alias(target) => Some((TypeId::from_index(i), (target, t.origin.as_str()))),
            _ => None,
        })
        .collect();
    // Origins of the aliases in a cycle already reported: a cycle is told
    // once, at its first member.
    let mut reported = HashSet::new();
    for (i, def) in types.iter().enumerate() {
        if let TypeKind::Alias(target) = &def.kind {
            if reported.contains(def.origin.as_str()) {
                continue;
            }
            if let Some(path) = cycle_from(TypeId::from_index(i), target, &aliases) {
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
    start: TypeId,
    target: &TypeRef,
    aliases: &HashMap<TypeId, (&TypeRef, &str)>,
) -> Option<Vec<String>> {
    let origin = |id: TypeId| aliases.get(&id).map(|(_, o)| o.to_string());
    // Depth-first over aliases, with the path that led to each.
    let mut stack = vec![(target.named(), vec![origin(start)?])];
    let mut seen = BTreeSet::new();
    while let Some((next, path)) = stack.pop() {
        let Some(id) = next else {
            continue;
        };
        if id == start {
            let mut path = path;
            path.push(origin(start)?);
            return Some(path);
        }
        if let Some((next, o)) = aliases.get(&id) {
            if seen.insert(id) {
                let mut path = path;
                path.push(o.to_string());
                stack.push((next.named(), path));
            }
        }
    }
    None
}
