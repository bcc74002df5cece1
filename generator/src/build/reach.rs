//! Which types the operations use: each type learns the groups whose
//! operations reach it (so that a group's cargo feature compiles only what
//! it needs). A type the generator made for a place no operation uses
//! (a component parameter's schema whose only use `x-variants` replaced)
//! is left out; the document's component schemas all stay, used or not:
//! they are its named vocabulary (a webhook's payload, say), always
//! compiled.

use std::collections::{BTreeSet, HashMap};

use crate::model::{Operation, TypeDef, UnionVariant};

/// Fills each type's `used_by` and drops the types that neither an
/// operation nor an error body (the crate's `ErrorBody`, always compiled)
/// reaches, but for component schemas; returns the dropped names, in the
/// order they were defined. Origins must be the document's own places
/// (after `Relocations::original`).
pub fn prune(
    types: &mut Vec<TypeDef>,
    operations: &[Operation],
    error_bodies: &[UnionVariant],
    group_count: usize,
) -> Vec<String> {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // Per type, the groups that reach it; `usize::MAX` stands for the
    // crate itself (error bodies), which every build compiles.
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    let visit = |roots: Vec<&str>, by: usize, reached: &mut Vec<BTreeSet<usize>>| {
        let mut stack: Vec<usize> = roots.iter().filter_map(|n| index.get(n).copied()).collect();
        while let Some(i) = stack.pop() {
            if !reached[i].insert(by) {
                continue;
            }
            for r in types[i].kind.refs() {
                if let Some(&j) = r.named().and_then(|n| index.get(n)) {
                    stack.push(j);
                }
            }
        }
    };
    const CRATE: usize = usize::MAX;
    visit(
        error_bodies.iter().filter_map(|v| v.ty.named()).collect(),
        CRATE,
        &mut reached,
    );
    for op in operations {
        let by = op.group.unwrap_or(CRATE);
        visit(
            op.refs().iter().filter_map(|t| t.named()).collect(),
            by,
            &mut reached,
        );
    }
    // Component schemas no operation uses stay, always compiled, and so
    // does what they hold.
    let unused_components: Vec<&str> = types
        .iter()
        .zip(&reached)
        .filter(|(def, by)| by.is_empty() && is_component(def))
        .map(|(def, _)| def.name.as_str())
        .collect();
    visit(unused_components, CRATE, &mut reached);

    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(types.len());
    for (mut def, by) in std::mem::take(types).into_iter().zip(reached) {
        if by.is_empty() {
            dropped.push(def.name);
            continue;
        }
        def.used_by = if by.contains(&CRATE) {
            (0..group_count).collect()
        } else {
            by.into_iter().collect()
        };
        kept.push(def);
    }
    *types = kept;
    dropped
}

/// A schema of `#/components/schemas` itself (not one inside it).
fn is_component(def: &TypeDef) -> bool {
    crate::pointer::key_below(&def.origin, "#/components/schemas/").is_some()
}
