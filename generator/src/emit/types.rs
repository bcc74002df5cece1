//! [`TypeDef`]s → the generated crate's `types` module.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{self, code, Doc};
use super::gates::Gates;
use super::rust::{constructor, ident, ty, Context};
use super::text::Text;
use super::{part, pieces, Part, Piece};
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
        pieces(move || {
            let gate = gates.any(&def.used_by);
            let values = match &def.kind {
                TypeKind::Union { variants, .. }
                    if param_unions.contains(&TypeId::from_index(i)) =>
                {
                    Some(param_values(&ident(&def.name), variants))
                }
                _ => None,
            };
            if values.is_none() {
                let features = gates.any_features(&def.used_by);
                if let Some((text, rest)) = type_text(types, def, features.as_deref()) {
                    return vec![
                        Piece::Text(text),
                        Piece::Tokens(super::gates::each_item(gate, rest)),
                    ];
                }
            }
            let def = type_def(types, def);
            vec![Piece::Tokens(super::gates::each_item(
                gate,
                quote!(#def #values),
            ))]
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

fn type_doc(def: &TypeDef) -> Doc {
    docs::paragraphs([
        Some(match def.description.as_deref() {
            Some(d) => Doc::vendor(d),
            None => Doc::ours(format!("`{}`.", def.name)),
        }),
        Some(Doc::ours(format!("Defined at {}.", code(&def.origin)))),
    ])
}

/// A struct's or a string enum's text (see [`super::text`]) under the
/// `#[cfg]` of `gate`, with the tokens of the items that follow it (a
/// struct's `new` and `Debug`); `None` for the other kinds and for a type
/// the text path does not vouch for.
fn type_text(
    types: &[TypeDef],
    def: &TypeDef,
    gate: Option<&[&str]>,
) -> Option<(String, TokenStream)> {
    let mut text = Text::new();
    let rest = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            if let Some(features) = gate {
                text.cfg_any(features);
            }
            text.doc(0, &type_doc(def));
            structure_text(&mut text, types, def, fields, additional.as_ref());
            structure_rest(types, &ident(&def.name), fields, additional.as_ref())
        }
        TypeKind::StringEnum { variants } => {
            string_enum_text(&mut text, gate, &type_doc(def), &def.name, variants);
            TokenStream::new()
        }
        _ => return None,
    };
    text.finish().map(|t| (t, rest))
}

fn type_def(types: &[TypeDef], def: &TypeDef) -> TokenStream {
    let doc = docs::attrs(&type_doc(def));
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

/// The derives of a struct: `Debug` unless a secret field has its own,
/// `Default` when every field may be absent.
fn struct_derives(fields: &[Field]) -> (bool, bool) {
    let debug = fields.iter().all(|f| f.secret == Secret::None);
    let default = fields.iter().all(|f| !f.flatten && is_option(f));
    (debug, default)
}

/// The items after a struct: its `new` and its hand-written `Debug`.
fn structure_rest(
    types: &[TypeDef],
    name: &Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
) -> TokenStream {
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
    let debug = secret_debug(name, fields, additional.is_some());
    quote!(#new #debug)
}

fn structure(
    types: &[TypeDef],
    doc: TokenStream,
    name: &Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    response_only: bool,
) -> TokenStream {
    let (derive_debug, default) = struct_derives(fields);
    let default = default.then(|| quote!(Default,));
    let fields_tokens = fields.iter().map(|f| field(types, f));
    let additional_field = additional.map(|value| {
        let value = ty(types, value, Context::TypesModule);
        quote! {
            #[doc = #ADDITIONAL_DOC]
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #value>,
        }
    });
    let rest = structure_rest(types, name, fields, additional);
    // Only answers hold it: users make one (for the fake) with `new` or
    // `default`, and a field the API adds later is no breaking change.
    let non_exhaustive = response_only.then(|| quote!(#[non_exhaustive]));
    let derive_debug = derive_debug.then(|| quote!(Debug,));
    quote! {
        #doc
        #[derive(#derive_debug Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #non_exhaustive
        pub struct #name {
            #(#fields_tokens)*
            #additional_field
        }
        #rest
    }
}

const ADDITIONAL_DOC: &str =
    " Properties not listed above, kept so that nothing the server sends is lost.";

/// [`structure`]'s struct item as text (its doc already written).
fn structure_text(
    text: &mut Text,
    types: &[TypeDef],
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&TypeRef>,
) {
    if fields.is_empty() && additional.is_none() {
        // `pub struct X {}`: left to prettyplease.
        text.fail();
        return;
    }
    let (derive_debug, default) = struct_derives(fields);
    text.line(
        0,
        &format!(
            "#[derive({}Clone, PartialEq, {}serde::Serialize, serde::Deserialize)]",
            if derive_debug { "Debug, " } else { "" },
            if default { "Default, " } else { "" },
        ),
    );
    if def.response_only {
        text.line(0, "#[non_exhaustive]");
    }
    text.line(0, &format!("pub struct {} {{", def.name));
    for f in fields {
        let decl = field_decl(types, f);
        text.doc(1, &decl.doc);
        let mut args = Vec::new();
        if decl.flatten {
            args.push("flatten".to_string());
        }
        if let Some(wire) = decl.rename {
            args.push(format!("rename = {}", text.str_lit(wire)));
        }
        if decl.skip {
            args.push("default".to_string());
            args.push("skip_serializing_if = \"Option::is_none\"".to_string());
        }
        if !args.is_empty() {
            text.line(1, &format!("#[serde({})]", args.join(", ")));
        }
        let field_ty = text.ty(decl.ty);
        text.line(1, &format!("pub {}: {field_ty},", f.rust));
    }
    if let Some(value) = additional {
        let value = text.ty(ty(types, value, Context::TypesModule));
        text.doc_line(1, ADDITIONAL_DOC);
        text.line(1, "#[serde(flatten)]");
        text.line(
            1,
            &format!("pub additional_properties: std::collections::BTreeMap<String, {value}>,"),
        );
    }
    text.line(0, "}");
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

/// What a struct field's declaration says, decided once for the token and
/// the text path.
struct FieldDecl<'f> {
    doc: Doc,
    /// The declared type (`Option<…>` when it may be absent or null).
    ty: TokenStream,
    /// `#[serde(flatten)]` (and nothing else).
    flatten: bool,
    rename: Option<&'f str>,
    /// `default, skip_serializing_if = "Option::is_none"`.
    skip: bool,
}

fn field_decl<'f>(types: &[TypeDef], f: &'f Field) -> FieldDecl<'f> {
    let inner = field_inner_type(types, f);
    let default_doc = f.default.as_ref().map(|value| {
        Doc::ours(format!(
            "Default: {} (the server's; an absent field is read as `None`).",
            code(value)
        ))
    });
    let doc = docs::paragraphs([
        Some(match f.description.as_deref() {
            Some(d) => Doc::vendor(d),
            None => Doc::ours(format!("{}.", code(&f.wire))),
        }),
        f.deprecated.then(|| Doc::ours("**Deprecated.**")),
        default_doc,
    ]);
    if f.flatten {
        return FieldDecl {
            doc,
            ty: inner,
            flatten: true,
            rename: None,
            skip: false,
        };
    }
    let (ty, skip) = match (is_option(f), f.required) {
        (true, false) => (quote!(Option<#inner>), true),
        // Required but nullable: always sent, `null` when absent.
        (true, true) => (quote!(Option<#inner>), false),
        (false, _) => (inner, false),
    };
    FieldDecl {
        doc,
        ty,
        flatten: false,
        rename: (f.wire != f.rust).then_some(f.wire.as_str()),
        skip,
    }
}

fn field(types: &[TypeDef], f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    let decl = field_decl(types, f);
    let doc = docs::attrs(&decl.doc);
    let field_ty = decl.ty;
    if decl.flatten {
        return quote! { #doc #[serde(flatten)] pub #name: #field_ty, };
    }
    let rename = decl.rename.map(|wire| quote!(rename = #wire,));
    let skip = decl
        .skip
        .then(|| quote!(default, skip_serializing_if = "Option::is_none",));
    let serde = if rename.is_some() || skip.is_some() {
        quote!(#[serde(#rename #skip)])
    } else {
        quote!()
    };
    quote! { #doc #serde pub #name: #field_ty, }
}

fn string_enum(doc: TokenStream, name: &Ident, variants: &[Variant]) -> TokenStream {
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| string_variant_doc(w));
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

/// The doc of a string enum's variant for `wire`.
fn string_variant_doc(wire: &str) -> String {
    if wire.is_empty() {
        " The empty string.".to_string()
    } else {
        format!(" {}", code(wire))
    }
}

/// [`string_enum`] as text: the enum and its six impls, each under the
/// `#[cfg]` of `gate`.
fn string_enum_text(
    text: &mut Text,
    gate: Option<&[&str]>,
    doc: &Doc,
    name: &str,
    variants: &[Variant],
) {
    if variants.is_empty() {
        text.fail();
        return;
    }
    let wires: Vec<String> = variants.iter().map(|v| text.str_lit(&v.wire)).collect();
    let item = |text: &mut Text| {
        if let Some(features) = gate {
            text.cfg_any(features);
        }
    };
    item(text);
    text.doc(0, doc);
    text.fixed(
        0,
        "///
/// Values this client does not know are kept in [`Self::Other`], so a
/// server that adds a value does not break older clients.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]",
    );
    text.line(0, &format!("pub enum {name} {{"));
    for v in variants {
        text.doc_line(1, &string_variant_doc(&v.wire));
        text.line(1, &format!("{},", v.rust));
    }
    text.fixed(
        0,
        "    /// A value this version of the client does not know.
    Other(String),
}",
    );
    item(text);
    text.line(0, &format!("impl {name} {{"));
    text.fixed(
        0,
        "    /// The value as it is written on the wire.
    pub fn as_str(&self) -> &str {
        match self {",
    );
    for (v, wire) in variants.iter().zip(&wires) {
        text.line(3, &format!("Self::{} => {wire},", v.rust));
    }
    text.fixed(
        0,
        "            Self::Other(value) => value,
        }
    }
}",
    );
    item(text);
    text.line(0, &format!("impl From<&str> for {name} {{"));
    text.fixed(
        0,
        "    fn from(value: &str) -> Self {
        match value {",
    );
    for (v, wire) in variants.iter().zip(&wires) {
        text.line(3, &format!("{wire} => Self::{},", v.rust));
    }
    text.fixed(
        0,
        "            other => Self::Other(other.to_string()),
        }
    }
}",
    );
    item(text);
    text.line(0, &format!("impl std::str::FromStr for {name} {{"));
    text.fixed(
        0,
        "    type Err = std::convert::Infallible;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Ok(Self::from(value))
    }
}",
    );
    item(text);
    text.line(0, &format!("impl std::fmt::Display for {name} {{"));
    text.fixed(
        0,
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}",
    );
    item(text);
    text.line(0, &format!("impl serde::Serialize for {name} {{"));
    text.fixed(
        0,
        "    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}",
    );
    item(text);
    text.line(
        0,
        &format!("impl<'de> serde::Deserialize<'de> for {name} {{"),
    );
    text.fixed(
        0,
        "    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(Self::from(value.as_ref()))
    }
}",
    );
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::text::WIDTH;
    use crate::model::Group;

    fn pretty(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("the emitted tokens parse");
        prettyplease::unparse(&file)
    }

    fn groups() -> Vec<Group> {
        ["a", "b", "c"]
            .iter()
            .map(|g| Group {
                tag: g.to_string(),
                module: g.to_string(),
                feature: format!("feature-{g}"),
                description: None,
            })
            .collect()
    }

    fn field(wire: &str, rust: &str, ty: TypeRef, required: bool) -> Field {
        Field::plain(wire, rust, ty, required)
    }

    fn def(name: &str, used_by: Vec<usize>, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            used_by,
            response_only: false,
            origin: format!("#/components/schemas/{name}"),
            description: Some("A thing.\n\nWith a second paragraph.".into()),
            kind,
        }
    }

    /// The text path's text (and the tokens after it, printed), or `None`
    /// when it falls back; and what the token path prints for the same
    /// type under the same gate.
    fn both(types: &[TypeDef], i: usize) -> (Option<String>, String) {
        let groups = groups();
        let gates = Gates::new(&groups);
        let def = &types[i];
        let features = gates.any_features(&def.used_by);
        let gate = gates.any(&def.used_by);
        let text = type_text(types, def, features.as_deref())
            .map(|(text, rest)| text + &pretty(super::super::gates::each_item(gate.clone(), rest)));
        let tokens = pretty(super::super::gates::each_item(gate, type_def(types, def)));
        (text, tokens)
    }

    #[test]
    fn a_struct_as_text_is_what_prettyplease_prints() {
        let mut renamed = field("displayName", "display_name", TypeRef::String, false);
        renamed.description = Some("Shown to people.".into());
        renamed.default = Some("\"x\"".into());
        renamed.deprecated = true;
        let mut nullable = field("n", "n", TypeRef::I64, true);
        nullable.nullable = true;
        let mut boxed = field("next", "next", TypeRef::Named(TypeId::from_index(0)), false);
        boxed.boxed = true;
        let mut flat = field("base", "base", TypeRef::Named(TypeId::from_index(1)), true);
        flat.flatten = true;
        let mut secret = field("url", "url", TypeRef::String, true);
        secret.secret = Secret::Query;
        let fields = vec![
            field("id", "id", TypeRef::Uuid, true),
            renamed,
            nullable,
            boxed,
            field(
                "tags",
                "tags",
                TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Date)))),
                false,
            ),
            flat,
            secret,
        ];
        let mut thing = def(
            "Thing",
            vec![0, 2],
            TypeKind::Struct {
                fields,
                additional: Some(TypeRef::Json),
            },
        );
        thing.response_only = true;
        let base = def(
            "Base",
            vec![1],
            TypeKind::Struct {
                fields: vec![field("a", "a", TypeRef::Bool, false)],
                additional: None,
            },
        );
        let types = vec![thing, base];
        for i in 0..types.len() {
            let (text, tokens) = both(&types, i);
            let text = text.expect("a regular struct is written as text");
            assert_eq!(text, tokens);
        }
    }

    #[test]
    fn a_struct_whose_line_would_wrap_falls_back() {
        // `    #[serde(rename = "…", default, skip_serializing_if = …)]`
        // over the margin: prettyplease breaks it, the text path does not
        // try.
        let long = field(
            "lastChangesetPushDateTime",
            "last_changeset_push_date_time",
            TypeRef::String,
            false,
        );
        let types = vec![def(
            "Long",
            vec![0],
            TypeKind::Struct {
                fields: vec![long],
                additional: None,
            },
        )];
        let (text, tokens) = both(&types, 0);
        assert_eq!(text, None);
        assert!(tokens.contains("    #[serde(\n        rename = \"lastChangesetPushDateTime\",\n"));
        // At the limit the line is the text path's, and prettyplease
        // prints it unbroken too; one column more and prettyplease breaks
        // it.
        for (width, broken) in [(WIDTH, false), (WIDTH + 1, true)] {
            let wire = "w".repeat(
                width
                    - "    #[serde(rename = \"\", default, skip_serializing_if = \"Option::is_none\")]"
                        .len(),
            );
            let types = vec![def(
                "Short",
                vec![],
                TypeKind::Struct {
                    fields: vec![field(&wire, "x", TypeRef::String, false)],
                    additional: None,
                },
            )];
            let (text, tokens) = both(&types, 0);
            assert_eq!(
                tokens.lines().any(|l| l.len() == width),
                !broken,
                "{tokens}"
            );
            if broken {
                assert_eq!(text, None);
            } else {
                assert_eq!(text.as_deref(), Some(tokens.as_str()));
            }
        }
    }

    fn string_enum_def(name: &str, wires: &[(&str, &str)]) -> TypeDef {
        def(
            name,
            vec![1],
            TypeKind::StringEnum {
                variants: wires
                    .iter()
                    .map(|(wire, rust)| Variant {
                        wire: wire.to_string(),
                        rust: rust.to_string(),
                    })
                    .collect(),
            },
        )
    }

    #[test]
    fn a_string_enum_as_text_is_what_prettyplease_prints() {
        let types = vec![
            string_enum_def(
                "State",
                &[("initialized", "Initialized"), ("", "Empty"), ("a b", "AB")],
            ),
            // A name long enough that `impl<'de> serde::Deserialize<'de> for …`
            // is near the margin.
            string_enum_def("AVeryLongEnumerationNameOfTheKindGitHubHasX", &[("x", "X")]),
        ];
        for i in 0..types.len() {
            let (text, tokens) = both(&types, i);
            assert_eq!(
                text.expect("a regular string enum is written as text"),
                tokens
            );
        }
    }

    #[test]
    fn a_string_enum_with_an_escaped_or_long_value_falls_back() {
        let types = vec![
            string_enum_def("Quoted", &[("say \"hi\"", "SayHi")]),
            string_enum_def("Unicode", &[("é", "E")]),
            string_enum_def("Long", &[(&"v".repeat(70), "V")]),
        ];
        for i in 0..types.len() {
            let (text, tokens) = both(&types, i);
            assert_eq!(text, None, "{tokens}");
        }
        // The long value's arm is broken by prettyplease.
        let (_, tokens) = both(&types, 2);
        assert!(
            tokens.lines().any(|l| l.trim() == "Self::V => {"),
            "{tokens}"
        );
    }
}
