//! `multipart/form-data` request bodies: the properties of an object schema
//! become the parts of a form type (files, text and JSON parts).

use openapiv3::MediaType;

use super::schemas::Schemas;
use crate::error::{ErrorKind, Pointer, Result};
use crate::model::{FormPart, PartKind, TypeId, TypeKind, TypeRef, TypeSpace};

/// The form type for a multipart body whose schema (at `at`) resolved to
/// `ty`. An inline object becomes the form itself; a component gets a form
/// type of its own (`UploadForm` for `Upload`), so the component stays the
/// serde type it is everywhere else.
pub(super) fn form(
    types: &mut Schemas,
    ty: TypeRef,
    media: &MediaType,
    at: &Pointer,
) -> Result<TypeRef> {
    let not_object = |what: &str| {
        at.error(
            ErrorKind::Unsupported,
            format!(
                "multipart/form-data bodies must be objects (a schema with `properties`), \
             one property per part; this one is {what}"
            ),
        )
    };
    // Aliases (`A: $ref B`) lead to the definition; a cycle is reported by
    // the alias check later, with its place.
    let id = match types.types.unalias(&ty) {
        Some(TypeRef::Named(id)) => *id,
        Some(other) => return Err(not_object(&format!("`{}`", types.types.short_name(other)))),
        None => {
            return Err(at.error(
                ErrorKind::Reference,
                format!("`{}` is an alias cycle", types.types.short_name(&ty)),
            ))
        }
    };
    let def = types.types.def(id);
    let (fields, additional) = match &def.kind {
        TypeKind::Multipart { .. } => return Ok(TypeRef::Named(id)),
        TypeKind::Struct { fields, additional } => (fields.clone(), additional.is_some()),
        TypeKind::Union { .. } => return Err(not_object("a oneOf/anyOf")),
        TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => {
            return Err(not_object("an enum"))
        }
        TypeKind::Alias(other) => {
            return Err(not_object(&format!("`{}`", types.types.short_name(other))))
        }
    };
    if fields.iter().any(|f| f.flatten) {
        return Err(at.error(
            ErrorKind::Unsupported,
            "multipart/form-data bodies whose `allOf` includes a part that is not an object \
             are not supported yet",
        ));
    }
    if additional {
        types.notes.push(format!(
            "{at}: multipart body `{}` allows other properties; the form type has only the \
             listed ones",
            def.name
        ));
    }
    let mut parts = Vec::with_capacity(fields.len());
    for field in fields {
        let encoding = media.encoding.get(&field.wire);
        if encoding.is_some_and(|e| !e.headers.is_empty()) {
            types.notes.push(format!(
                "{at}: the `encoding` of part `{}` lists headers; they are not sent",
                field.wire
            ));
        }
        let (kind, repeated) = classify(&field.ty, types);
        let mut field = field;
        let content_type = match encoding.and_then(|e| e.content_type.clone()) {
            // A list (`image/png, image/jpeg`) or a range (`image/*`) says
            // what the server accepts, not what to send: the caller picks.
            Some(listed) if listed.contains(',') || listed.contains('*') => {
                let advice = match kind {
                    PartKind::File => " Set the file's type with `FilePart::content_type`.",
                    _ => "",
                };
                let line = format!("The API accepts `{listed}`.{advice}");
                field.description = Some(match field.description.take() {
                    Some(d) => format!("{d}\n\n{line}"),
                    None => line,
                });
                None
            }
            declared => declared,
        };
        parts.push(FormPart {
            content_type,
            field,
            kind,
            repeated,
        });
    }
    for key in media.encoding.keys() {
        if !parts.iter().any(|p| &p.field.wire == key) {
            types.notes.push(format!(
                "{at}: `encoding` names `{key}`, which is not a property of the body"
            ));
        }
    }
    let kind = TypeKind::Multipart { parts };
    if def.origin == at.as_str() {
        // The inline schema of this very body: it is the form.
        types.types[id.index()].kind = kind;
        return Ok(TypeRef::Named(id));
    }
    // A component (or another body's inline schema): one form type per
    // source, shared by every body that uses it.
    let source = def.origin.clone();
    let existing = types
        .types
        .iter()
        .position(|d| d.origin == source && matches!(d.kind, TypeKind::Multipart { .. }));
    if let Some(existing) = existing {
        return Ok(TypeRef::Named(TypeId::from_index(existing)));
    }
    let description = def.description.clone();
    let wanted = format!("{}Form", def.name);
    Ok(TypeRef::Named(types.declare(
        &wanted,
        &source,
        description,
        kind,
    )))
}

/// How a field is written, and whether it is one part per item.
fn classify(ty: &TypeRef, types: &Schemas) -> (PartKind, bool) {
    match ty {
        TypeRef::Bytes => (PartKind::File, false),
        TypeRef::Vec(inner) if **inner == TypeRef::Bytes => (PartKind::File, true),
        TypeRef::Vec(inner) if types.is_text(inner) => (PartKind::Text, true),
        t if types.is_text(t) => (PartKind::Text, false),
        _ => (PartKind::Json, false),
    }
}
