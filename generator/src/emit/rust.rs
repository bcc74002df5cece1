//! How the model's types are spelled in Rust: identifiers, type tokens by
//! where they are written, arguments, and the `new(…)` of a struct. A leaf
//! of `emit`: the modules that write types, forms, operations and their
//! extras all spell types here, so they never disagree.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{Encoding, TypeDef, TypeRef, TypeSpace};

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where a type is written: inside the `types` module its siblings need no
/// path; JSON fields cannot hold raw bytes, so `binary` there is a string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Context {
    TypesModule,
    Elsewhere,
}

/// The Rust type for a [`TypeRef`] (a named type by its name in `types`).
pub fn ty(types: &[TypeDef], ty: &TypeRef, ctx: Context) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let name = ident(types.name(*id));
            match ctx {
                Context::TypesModule => quote!(#name),
                Context::Elsewhere => quote!(crate::types::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(chrono::DateTime<chrono::Utc>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Bytes => match ctx {
            Context::TypesModule => quote!(String),
            Context::Elsewhere => quote!(bytes::Bytes),
        },
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Vec(inner) => {
            let inner = self::ty(types, inner, ctx);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = self::ty(types, inner, ctx);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
    }
}

/// Argument type: strings are taken as `impl Into<String>` so callers can pass
/// `&str`.
pub fn arg_type(types: &[TypeDef], t: &TypeRef) -> (TokenStream, bool) {
    match t {
        TypeRef::String => (quote!(impl Into<String>), true),
        other => (ty(types, other, Context::Elsewhere), false),
    }
}

/// What a body of this encoding decodes into.
pub fn body_output_type(types: &[TypeDef], encoding: Encoding, t: &TypeRef) -> TokenStream {
    match encoding {
        Encoding::Binary => quote!(bytes::Bytes),
        Encoding::Text => quote!(String),
        _ => ty(types, t, Context::Elsewhere),
    }
}

/// A required member's type, and whether the field boxes it.
pub type Required = Option<(TokenStream, bool)>;

/// One member of a constructed type: the field, the binding of its
/// parameter (the model's [`crate::model::Field::binding`]), its type when
/// it is required, and whether it is a `String` (taken as
/// `impl Into<String>`).
pub type Member = (Ident, Ident, Required, bool);

/// `new(…)` taking the required members (`String`s as `impl Into<String>`)
/// and setting the optional ones to `None`, so a value can be built without
/// spelling out every optional field. Types whose members are all optional
/// get none: they derive `Default`.
pub fn constructor(
    name: &Ident,
    members: Vec<Member>,
    rest: Option<TokenStream>,
) -> Option<TokenStream> {
    if members.iter().all(|(_, _, required, _)| required.is_none()) {
        return None;
    }
    let doc = if members.iter().all(|(_, _, required, _)| required.is_some()) {
        " From every field (all are required)."
    } else {
        " From the required fields; the optional ones are `None`."
    };
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for (member, param, required, string) in members {
        match required {
            None => inits.push(quote!(#member: None,)),
            Some((inner, boxed)) => {
                let arg = if string {
                    quote!(impl Into<String>)
                } else {
                    inner
                };
                args.push(quote!(#param: #arg));
                inits.push(match (string, boxed, param == member) {
                    (false, false, true) => quote!(#member,),
                    (false, false, false) => quote!(#member: #param,),
                    (true, false, _) => quote!(#member: #param.into(),),
                    (false, true, _) => quote!(#member: Box::new(#param),),
                    (true, true, _) => quote!(#member: Box::new(#param.into()),),
                });
            }
        }
    }
    Some(quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* #rest }
            }
        }
    })
}
