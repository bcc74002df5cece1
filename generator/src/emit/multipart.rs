//! Multipart form types: a plain struct (files are not JSON, so no serde)
//! and the code that writes its fields as the parts of a form.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{self, code, Doc};
use super::rust::{ident, ty, Context};
use crate::model::{FormPart, PartKind, TypeDef, TypeRef};

/// The struct and its `into_multipart`.
pub fn form(types: &[TypeDef], doc: TokenStream, name: &Ident, parts: &[FormPart]) -> TokenStream {
    let all_optional = parts.iter().all(is_option);
    let default = all_optional.then(|| quote!(Default,));
    let fields = parts.iter().map(|p| field(types, p));
    let writes = parts.iter().map(write);
    let members = parts.iter().map(|p| {
        let required = (!is_option(p)).then(|| (part_type(types, p), false));
        (
            ident(&p.field.rust),
            ident(&p.field.binding),
            required,
            p.field.ty == TypeRef::String,
        )
    });
    let new = super::rust::constructor(name, members.collect(), None);
    quote! {
        #doc
        ///
        /// Sent as `multipart/form-data`, one part per field.
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }

        #new

        impl #name {
            /// The form, part by part, in the document's order.
            pub(crate) fn into_multipart(self) -> Result<crate::multipart::Multipart, crate::Error> {
                let mut form = crate::multipart::Multipart::new();
                #(#writes)*
                Ok(form)
            }
        }
    }
}

fn is_option(p: &FormPart) -> bool {
    !p.field.required || p.field.nullable
}

/// A form field's type as declared.
pub(super) fn field_type(types: &[TypeDef], p: &FormPart) -> TokenStream {
    let inner = part_type(types, p);
    if is_option(p) {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

fn field(types: &[TypeDef], p: &FormPart) -> TokenStream {
    let f = &p.field;
    let name = ident(&f.rust);
    let field_ty = field_type(types, p);
    let how = match (p.kind, &p.content_type) {
        (_, Some(t)) => format!("Part {}, sent as {}.", code(&f.wire), code(t)),
        (PartKind::File, None) => format!("Part {}, a file.", code(&f.wire)),
        (PartKind::Text, None) => format!("Part {}, as text.", code(&f.wire)),
        (PartKind::Json, None) => format!("Part {}, as JSON.", code(&f.wire)),
    };
    let many = p
        .repeated
        .then_some("One part per item, each with this name.");
    let doc = docs::attrs(&docs::paragraphs([
        f.description.as_deref().map(Doc::vendor),
        Some(Doc::ours(how)),
        many.map(Doc::ours),
        f.deprecated.then(|| Doc::ours("**Deprecated.**")),
    ]));
    quote! { #doc pub #name: #field_ty, }
}

/// The field's type, before `Option`.
fn part_type(types: &[TypeDef], p: &FormPart) -> TokenStream {
    match (p.kind, p.repeated) {
        (PartKind::File, false) => quote!(crate::FilePart),
        (PartKind::File, true) => quote!(Vec<crate::FilePart>),
        _ => ty(types, &p.field.ty, Context::TypesModule),
    }
}

/// The statement that adds one field's part (or parts) to `form`.
fn write(p: &FormPart) -> TokenStream {
    let name = ident(&p.field.rust);
    let wire = &p.field.wire;
    let content_type = match &p.content_type {
        Some(t) => quote!(Some(#t)),
        None => quote!(None),
    };
    let item_ty = match &p.field.ty {
        TypeRef::Vec(inner) if p.repeated => inner.as_ref(),
        t => t,
    };
    let add = match p.kind {
        PartKind::File => quote!(form.file(#wire, value, #content_type)?;),
        PartKind::Json => quote!(form.json(#wire, &value, #content_type)?;),
        // chrono's `Display` is not RFC 3339.
        PartKind::Text if *item_ty == TypeRef::DateTime => {
            quote!(form.text(#wire, crate::client::encoding::rfc3339(&value), #content_type)?;)
        }
        PartKind::Text if *item_ty == TypeRef::String => {
            quote!(form.text(#wire, value, #content_type)?;)
        }
        PartKind::Text => quote!(form.text(#wire, value.to_string(), #content_type)?;),
    };
    match (is_option(p), p.repeated) {
        (false, false) => quote! { { let value = self.#name; #add } },
        (true, false) => quote! { if let Some(value) = self.#name { #add } },
        (false, true) => quote! { for value in self.#name { #add } },
        (true, true) => quote! { for value in self.#name.into_iter().flatten() { #add } },
    }
}
