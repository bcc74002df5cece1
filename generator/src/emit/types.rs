//! [`TypeDef`]s → the generated crate's `types` module.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{self, code, Doc};
use super::gates::Gates;
use super::rust::{constructor, ident, ty, Context};
use super::{part, Part};
use crate::model::{
    Discriminator, Field, IntegerVariant, Secret, TypeDef, TypeId, TypeKind, TypeRef, TypeSpace,
    UnionVariant, Variant,
};

/// The whole `types.rs`.
///
/// `param_unions` names the unions used as parameters.
///
/// In parts printed one at a time (see [`super::Part`]): its doc, then one
/// per type.
pub fn module<'a>(
    types: &'a [TypeDef],
    param_unions: &'a [TypeId],
    gates: Gates<'a>,
) -> Vec<Part<'a>> {
    let defs = types.iter().enumerate().map(move |(i, def)| {
        part(move || {
            let gate = gates.any(&def.used_by);
            let values = match &def.kind {
                TypeKind::Union { variants, .. }
                    if param_unions.contains(&TypeId::from_index(i)) =>
                {
                    Some(param_values(&ident(&def.name), variants))
                }
                _ => None,
            };
            let def = type_def(types, def);
            super::gates::each_item(gate, quote!(#def #values))
        })
    });
    std::iter::once(part(|| {
        quote! {
            //! Request and response types, one per schema of the document.
        }
    }))
    .chain(defs)
    .collect()
}

fn type_def(types: &[TypeDef], def: &TypeDef) -> TokenStream {
    let doc = docs::attrs(&docs::paragraphs([
        Some(match def.description.as_deref() {
            Some(d) => Doc::vendor(d),
            None => Doc::ours(format!("`{}`.", def.name)),
        }),
        Some(Doc::ours(format!("Defined at {}.", code(&def.origin)))),
    ]));
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => structure(
            types,
            doc,
            &name,
            fields,
            additional.as_ref(),
            def.response_only,
        ),
        TypeKind::StringEnum { variants } => string_enum(doc, &name, variants),
        TypeKind::IntegerEnum { variants } => integer_enum(doc, &name, variants),
        TypeKind::Union {
            variants,
            discriminator: None,
        } => union(types, doc, &name, variants),
        TypeKind::Union {
            variants,
            discriminator: Some(d),
        } => tagged_union(types, doc, &name, variants, d),
        TypeKind::Alias(target) => {
            let target = ty(types, target, Context::TypesModule);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Multipart { parts } => super::multipart::form(types, doc, &name, parts),
    }
}

fn structure(
    types: &[TypeDef],
    doc: TokenStream,
    name: &Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    response_only: bool,
) -> TokenStream {
    let all_optional = fields.iter().all(|f| !f.flatten && is_option(f));
    let default = all_optional.then(|| quote!(Default,));
    let fields_tokens = fields.iter().map(|f| field(types, f));
    let additional = additional.map(|value| {
        let value = ty(types, value, Context::TypesModule);
        quote! {
            /// Properties not listed above, kept so that nothing the server sends is lost.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #value>,
        }
    });
    let members = fields.iter().map(|f| {
        let required = f.flatten || !is_option(f);
        let arg = required.then(|| {
            let inner = ty(types, &f.ty, Context::TypesModule);
            (inner, f.boxed)
        });
        (
            ident(&f.rust),
            ident(&f.binding),
            arg,
            f.ty == TypeRef::String,
        )
    });
    let rest = additional
        .is_some()
        .then(|| quote!(additional_properties: Default::default(),));
    let new = constructor(name, members.collect(), rest);
    // Only answers hold it: users make one (for the fake) with `new` or
    // `default`, and a field the API adds later is no breaking change.
    let non_exhaustive = response_only.then(|| quote!(#[non_exhaustive]));
    let debug = secret_debug(name, fields, additional.is_some());
    let derive_debug = debug.is_none().then(|| quote!(Debug,));
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #non_exhaustive
        pub struct #name {
            #(#fields_tokens)*
            #additional
        }
        #new
        #debug
    }
}

/// For a struct with a secret field (`Field::secret`), a `Debug` that shows
/// that field through the runtime's redacting wrappers; `None` for the rest,
/// which derive it.
fn secret_debug(name: &Ident, fields: &[Field], additional: bool) -> Option<TokenStream> {
    if fields.iter().all(|f| f.secret == Secret::None) {
        return None;
    }
    let shown = fields.iter().map(|f| {
        let n = ident(&f.rust);
        let label = &f.rust;
        match f.secret {
            Secret::None => quote!(.field(#label, &self.#n)),
            Secret::Query => quote!(.field(#label, &crate::client::QueryRedacted(&self.#n))),
            Secret::Value => quote!(.field(#label, &crate::client::ValueRedacted(&self.#n))),
        }
    });
    let additional =
        additional.then(|| quote!(.field("additional_properties", &self.additional_properties)));
    let label = name.to_string();
    Some(quote! {
        impl std::fmt::Debug for #name {
            /// Secret fields (a URL's signed query, a token) are shown redacted.
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #(#shown)* #additional .finish()
            }
        }
    })
}

fn is_option(f: &Field) -> bool {
    !f.required || f.nullable
}

/// A field's type before `Option`: `binary` is a string in JSON, a
/// recursive field is boxed.
pub(super) fn field_inner_type(types: &[TypeDef], f: &Field) -> TokenStream {
    let inner = ty(types, &f.ty, Context::TypesModule);
    if f.boxed {
        quote!(Box<#inner>)
    } else {
        inner
    }
}

/// A field's type as declared (`Option<…>` when it may be absent or null).
pub(super) fn field_type(types: &[TypeDef], f: &Field) -> TokenStream {
    let inner = field_inner_type(types, f);
    if is_option(f) {
        quote!(Option<#inner>)
    } else {
        inner
    }
}

fn field(types: &[TypeDef], f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    let inner = field_inner_type(types, f);
    let default_doc = f.default.as_ref().map(|value| {
        Doc::ours(format!(
            "Default: {} (the server's; an absent field is read as `None`).",
            code(value)
        ))
    });
    let doc_text = docs::paragraphs([
        Some(match f.description.as_deref() {
            Some(d) => Doc::vendor(d),
            None => Doc::ours(format!("{}.", code(&f.wire))),
        }),
        f.deprecated.then(|| Doc::ours("**Deprecated.**")),
        default_doc,
    ]);
    let doc = docs::attrs(&doc_text);
    if f.flatten {
        return quote! { #doc #[serde(flatten)] pub #name: #inner, };
    }
    let rename = (f.wire != f.rust).then(|| {
        let wire = &f.wire;
        quote!(rename = #wire,)
    });
    let (field_ty, skip) = match (is_option(f), f.required) {
        (true, false) => (
            quote!(Option<#inner>),
            quote!(default, skip_serializing_if = "Option::is_none",),
        ),
        // Required but nullable: always sent, `null` when absent.
        (true, true) => (quote!(Option<#inner>), quote!()),
        (false, _) => (inner, quote!()),
    };
    let serde = if rename.is_some() || !skip.is_empty() {
        quote!(#[serde(#rename #skip)])
    } else {
        quote!()
    };
    quote! { #doc #serde pub #name: #field_ty, }
}

fn string_enum(doc: TokenStream, name: &Ident, variants: &[Variant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| {
        if w.is_empty() {
            " The empty string.".to_string()
        } else {
            format!(" {}", code(w))
        }
    });
    quote! {
        #doc
        ///
        /// Values this client does not know are kept in [`Self::Other`], so a
        /// server that adds a value does not break older clients.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the client does not know.
            Other(String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Other(other.to_string()),
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

/// An integer enum: variants for the listed values, `Other(i64)` for the
/// rest; written and read as a JSON integer, displayed as the number (for
/// parameters).
fn integer_enum(doc: TokenStream, name: &Ident, variants: &[IntegerVariant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let variant_docs: Vec<String> = variants.iter().map(|v| format!(" `{}`", v.value)).collect();
    // Unsuffixed literals (`4`, `-1`), as a person would write them.
    let values: Vec<TokenStream> = variants
        .iter()
        .map(|v| {
            let magnitude = proc_macro2::Literal::u64_unsuffixed(v.value.unsigned_abs());
            if v.value < 0 {
                quote!(-#magnitude)
            } else {
                quote!(#magnitude)
            }
        })
        .collect();
    quote! {
        #doc
        ///
        /// Values this client does not know are kept in [`Self::Other`], so a
        /// server that adds a value does not break older clients. Build one
        /// from a number with `From<i64>`, which picks the named variant.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the client does not know.
            Other(i64),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Other(value) => *value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Other(other),
                }
            }
        }

        impl From<#name> for i64 {
            fn from(value: #name) -> Self {
                value.value()
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok(Self::from(i64::deserialize(deserializer)?))
            }
        }
    }
}

/// What a value of `t` is, in words for docs: a link only to a declared
/// type (the names of the other variants, `StringList`, are no items).
fn type_words(types: &[TypeDef], t: &TypeRef) -> String {
    let lower = |text: String| match text.split_at_checked(1) {
        Some((first, rest)) => first.to_lowercase() + rest,
        None => text,
    };
    match t {
        TypeRef::Named(id) => format!("A [`{}`] value", types.name(*id)),
        TypeRef::Vec(inner) => format!("A list, each item {}", lower(type_words(types, inner))),
        TypeRef::Map(inner) => format!("A map, each value {}", lower(type_words(types, inner))),
        TypeRef::Json => "Any JSON value".to_string(),
        scalar => {
            let t = ty(types, scalar, Context::TypesModule)
                .to_string()
                .replace(' ', "");
            format!("A `{t}` value")
        }
    }
}

/// The type a union variant holds.
pub(super) fn variant_type(types: &[TypeDef], v: &UnionVariant) -> TokenStream {
    let inner = ty(types, &v.ty, Context::TypesModule);
    if v.boxed {
        quote!(Box<#inner>)
    } else {
        inner
    }
}

/// A union variant's declaration: `Name(Type),`.
fn union_variant(types: &[TypeDef], v: &UnionVariant) -> TokenStream {
    let variant = ident(&v.rust);
    let inner = variant_type(types, v);
    let vdoc = format!(" {}.", type_words(types, &v.ty));
    quote! { #[doc = #vdoc] #variant(#inner), }
}

fn union(
    types: &[TypeDef],
    doc: TokenStream,
    name: &Ident,
    variants: &[UnionVariant],
) -> TokenStream {
    let arms = variants.iter().map(|v| union_variant(types, v));
    quote! {
        #doc
        ///
        /// The variants are tried in order; the first that matches the JSON wins.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#arms)*
        }
    }
}

/// How a union used as a parameter is written: as the branch the value
/// holds, one text for a scalar, one per item for an array. The caller picks
/// the branch, so nothing is guessed (unlike writing every value as the
/// first branch's type).
fn param_values(name: &Ident, variants: &[UnionVariant]) -> TokenStream {
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust);
        match v.ty {
            TypeRef::Vec(_) => {
                quote!(Self::#variant(items) => items.iter().map(ToString::to_string).collect(),)
            }
            _ => quote!(Self::#variant(value) => vec![value.to_string()],),
        }
    });
    quote! {
        impl #name {
            /// The parameter's value as text: one item for a scalar, one per
            /// element for an array.
            pub(crate) fn param_values(&self) -> Vec<String> {
                match self { #(#arms)* }
            }
        }
    }
}

/// A union with a `discriminator`: written as the variant's own JSON (the
/// variant carries the property), read by looking at the property first, so
/// that branches of similar shape are never confused. A value the document
/// does not list (a newer server) falls back to trying the branches in order.
fn tagged_union(
    types: &[TypeDef],
    doc: TokenStream,
    name: &Ident,
    variants: &[UnionVariant],
    discriminator: &Discriminator,
) -> TokenStream {
    let decls = variants.iter().map(|v| union_variant(types, v));
    let property = &discriminator.property;
    let decode = |v: &UnionVariant, from: TokenStream| {
        let variant = ident(&v.rust);
        let inner = ty(types, &v.ty, Context::TypesModule);
        let wrap = if v.boxed {
            quote!(|inner| Self::#variant(Box::new(inner)))
        } else {
            quote!(Self::#variant)
        };
        quote!(serde_json::from_value::<#inner>(#from).map(#wrap))
    };
    let tagged = discriminator.values.iter().filter_map(|(wire, rust)| {
        let v = variants.iter().find(|v| &v.rust == rust)?;
        let decode = decode(v, quote!(value));
        Some(quote!(Some(#wire) => #decode.map_err(serde::de::Error::custom),))
    });
    let fallback = variants.iter().map(|v| {
        let decode = decode(v, quote!(value.clone()));
        quote! {
            if let Ok(found) = #decode { return Ok(found); }
        }
    });
    let none_matched = format!(
        "the value matches no variant of {name} (its `{property}` is not one this client knows)"
    );
    let which = format!(" The `{property}` property says which variant a value is.");
    quote! {
        #doc
        ///
        #[doc = #which]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#decls)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#tagged)*
                    _ => {
                        #(#fallback)*
                        Err(serde::de::Error::custom(#none_matched))
                    }
                }
            }
        }
    }
}
