//! Which types the operations use: each type learns the groups whose
//! operations reach it (so that a group's cargo feature compiles only what
//! it needs). A type the generator made for a place no operation uses
//! (a component parameter's schema whose only use `x-variants` replaced)
//! is left out; the document's component schemas all stay, used or not:
//! they are its named vocabulary (a webhook's payload, say), always
//! compiled. The same walk, from the requests alone, finds the types only
//! answers hold (`TypeDef::response_only`).

use std::collections::BTreeSet;

use crate::model::{Operation, TypeDef, TypeId, UnionVariant};

/// Fills each type's `used_by` and drops the types that neither an
/// operation nor an error body (the crate's `ErrorBody`, always compiled)
/// reaches, but for component schemas, renumbering the references of the
/// rest; returns the dropped names, in the order they were defined.
/// Origins must be the document's own places (after
/// `Relocations::original`).
pub fn prune(
    types: &mut Vec<TypeDef>,
    operations: &mut [Operation],
    error_bodies: &mut [UnionVariant],
    group_count: usize,
) -> Vec<String> {
    // Per type, the groups that reach it; `usize::MAX` stands for the
    // crate itself (error bodies), which every build compiles.
    let mut reached: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    let visit = |roots: Vec<TypeId>, by: usize, reached: &mut Vec<BTreeSet<usize>>| {
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if !reached[id.index()].insert(by) {
                continue;
            }
            stack.extend(
                types[id.index()]
                    .kind
                    .refs()
                    .iter()
                    .filter_map(|r| r.named()),
            );
        }
    };
    const CRATE: usize = usize::MAX;
    visit(
        error_bodies.iter().filter_map(|v| v.ty.named()).collect(),
        CRATE,
        &mut reached,
    );
    for op in operations.iter() {
        let by = op.group.unwrap_or(CRATE);
        visit(
            op.refs().iter().filter_map(|t| t.named()).collect(),
            by,
            &mut reached,
        );
    }
    // Component schemas no operation uses stay, always compiled, and so
    // does what they hold.
    let unused_components: Vec<TypeId> = types
        .iter()
        .zip(&reached)
        .enumerate()
        .filter(|(_, (def, by))| by.is_empty() && is_component(def))
        .map(|(i, _)| TypeId::from_index(i))
        .collect();
    visit(unused_components.clone(), CRATE, &mut reached);

    // What users build: what a request takes, and what an unused component
    // schema holds (its use is not known). The rest only answers hold.
    let mut built: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); types.len()];
    let mut roots = unused_components;
    roots.extend(
        operations
            .iter()
            .flat_map(|op| op.request_refs())
            .filter_map(|t| t.named()),
    );
    visit(roots, CRATE, &mut built);

    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(types.len());
    for (i, ((def, by), built)) in types.iter_mut().zip(reached).zip(built).enumerate() {
        if by.is_empty() {
            dropped.push(def.name.clone());
            continue;
        }
        def.response_only = built.is_empty();
        def.used_by = if by.contains(&CRATE) {
            (0..group_count).collect()
        } else {
            by.into_iter().collect()
        };
        kept.push(TypeId::from_index(i));
    }
    if !dropped.is_empty() {
        let bodies = error_bodies.iter_mut().map(|v| &mut v.ty);
        crate::model::renumber(types, &kept, operations, bodies);
    }
    dropped
}

/// A schema of `#/components/schemas` itself (not one inside it).
fn is_component(def: &TypeDef) -> bool {
    crate::pointer::key_below(&def.origin, "#/components/schemas/").is_some()
}

#[cfg(test)]
mod tests {
    /// Only what no request reaches is response-only: a type an answer and
    /// a request share is not, nor is what an unused component holds.
    #[test]
    fn response_only_is_what_no_request_reaches() {
        let yaml = r##"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        default:
          description: error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
components:
  schemas:
    NewThing:
      type: object
      properties:
        shared: {$ref: '#/components/schemas/Shared'}
    Thing:
      type: object
      properties:
        shared: {$ref: '#/components/schemas/Shared'}
        links: {$ref: '#/components/schemas/Links'}
    Links:
      type: object
      properties:
        self: {type: string}
    Shared:
      type: object
      properties:
        name: {type: string}
    Problem:
      type: object
      properties:
        message: {type: string}
    Unused:
      type: object
      properties:
        inner: {$ref: '#/components/schemas/UnusedInner'}
    UnusedInner:
      type: object
      properties:
        x: {type: string}
"##;
        let value: serde_json::Value = serde_yaml::from_str(yaml).expect("test document");
        let api = crate::model_value(value, &crate::Options::new("t")).expect("builds");
        let response_only: Vec<&str> = api
            .types
            .iter()
            .filter(|t| t.response_only)
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(response_only, ["Thing", "Links", "Problem"]);
    }
}
