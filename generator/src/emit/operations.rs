//! [`Operation`]s → the client's methods and their request builders.
//!
//! One design everywhere: required parameters and a required body are
//! arguments of the client method (they cannot be forgotten), optional ones
//! are setters on the returned builder (they need not be spelled out), and
//! `send()` performs the request.
//!
//! What every builder does alike lives in the runtime
//! (`client::operation`): a builder implements its `Operation` trait (the
//! request from the fields, the success decode, its error bodies when they
//! are not the API's default) and its `send()` and `send_with_response()`
//! are one call each to the runtime's generic functions, so the code
//! written per operation is only what differs.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{self, code, Doc};
use super::gates::Gates;
use super::rust::{arg_type, body_output_type, ident, ty, Context};
use super::text::{self, Text};
use super::{part, pieces, Part, Piece};
use crate::model::{
    Api, Encoding, Group, Location, Operation, Output, Param, PathPart, Response, Status, Style,
    TypeDef, TypeRef, TypeSpace, UnionVariant,
};

/// The `operations` module's files: `src/operations.rs` for an API
/// without groups; else `src/operations/mod.rs` and one file per group
/// (a tag of the document), each behind its cargo feature when there are
/// several.
///
/// Error bodies are decoded into the variants of the crate's `ErrorBody`,
/// named once by the model builder, and an error status an operation does
/// not list as the model's `undeclared_error`.
pub fn files<'a>(api: &'a Api, gates: Gates<'a>) -> Vec<(String, Vec<Part<'a>>)> {
    const DOC: &str = "One request builder per operation, and the client methods that make them.\n\nEach method of [`Client`](crate::Client) takes the operation's required\nparameters and returns a builder; optional parameters are set on the\nbuilder; `send()` performs the request.\n\n# Custom headers\n\nEvery builder's `header(name, value)` sends that header with the request\ntoo (an `X-Correlation-Id` for a support case), replacing the client's\ndefault header and the operation's own of the same name. Checked when\nthe request is sent: a name or value not allowed in a header is\n[`Error::InvalidRequest`](crate::Error::InvalidRequest), and nothing is\nsent.";
    if api.groups.is_empty() {
        let ops: Vec<&Operation> = api.operations.iter().collect();
        return vec![(
            "src/operations.rs".into(),
            module(&api.types, Doc::ours(DOC), ops, Errors::of(api), gates),
        )];
    }
    let mut files = Vec::new();
    let list: Vec<String> = api
        .groups
        .iter()
        .map(|g| format!("- [`{}`] — {}", g.module, group_summary(g).as_str()))
        .collect();
    let features = gates.all(&[0]).map(|_| {
        "Each module is compiled by the cargo feature of the same name (all on by default): a crate that needs only some of them can turn the others off with `default-features = false`."
    });
    let doc = docs::paragraphs([
        Some(Doc::ours(DOC)),
        Some(Doc::ours(format!(
            "Grouped by the document's tags:\n\n{}",
            list.join("\n")
        ))),
        features.map(Doc::ours),
    ]);
    let groups = &api.groups;
    let modules = part(move || {
        let doc = docs::inner_attrs(&doc);
        let modules = groups.iter().enumerate().map(|(i, group)| {
            let name = ident(&group.module);
            let gate = gates.all(&[i]);
            quote!(#gate pub mod #name;)
        });
        quote!(#doc #(#modules)*)
    });
    files.push(("src/operations/mod.rs".into(), vec![modules]));
    for (i, group) in api.groups.iter().enumerate() {
        let ops: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|op| op.group == Some(i))
            .collect();
        let feature = gates.all(&[i]).map(|_| {
            Doc::ours(format!(
                "Compiled with the `{}` cargo feature.",
                group.feature
            ))
        });
        let summary = group_summary(group);
        let description = group
            .description
            .as_deref()
            // Not again when it is the summary already (on one line).
            .filter(|d| Doc::vendor(&one_line(d)) != summary)
            .map(Doc::vendor);
        let doc = docs::paragraphs([Some(summary), description, feature]);
        files.push((
            format!("src/operations/{}.rs", group.module),
            module(&api.types, doc, ops, Errors::of(api), gates),
        ));
    }
    files
}

/// A group's one-line description: its tag's, or the tag itself.
fn group_summary(group: &Group) -> Doc {
    match group.description.as_deref().map(one_line) {
        Some(d) if !d.is_empty() && !d.contains(". ") => Doc::vendor(&d),
        _ => Doc::ours(format!("The operations tagged {}.", code(&group.tag))),
    }
}

/// The items of one module of operations, in parts printed one at a time
/// (see [`super::Part`]): `doc` (the module's docs) with the client's
/// methods, then each builder, then each output type.
fn module<'a>(
    types: &'a [TypeDef],
    doc: Doc,
    operations: Vec<&'a Operation>,
    errors: Errors<'a>,
    gates: Gates<'a>,
) -> Vec<Part<'a>> {
    let mut parts = Vec::with_capacity(1 + 2 * operations.len());
    let head = operations.clone();
    parts.push(part(move || {
        let doc = docs::inner_attrs(&doc);
        let methods = head.iter().map(|op| client_method(types, op));
        let client_extras = head
            .iter()
            .map(|op| super::extras::client_methods(types, op, gates));
        // Every builder names it; a document without operations has none.
        let import = (!head.is_empty()).then(|| {
            quote!(
                use crate::client::request::RequestParts;
            )
        });
        quote! {
            #doc
            #import

            impl crate::Client {
                #(#methods)*
                #(#client_extras)*
            }
        }
    }));
    parts.extend(
        operations
            .iter()
            .map(|&op| pieces(move || builder(types, op, errors))),
    );
    parts.extend(operations.into_iter().map(|op| {
        Box::new(move || output_type(types, op).map(|t| vec![super::Piece::Tokens(t)])) as Part
    }));
    parts
}

/// What the builders decode error bodies into (see [`files`]).
#[derive(Clone, Copy)]
struct Errors<'a> {
    bodies: &'a [UnionVariant],
    undeclared: Option<&'a TypeRef>,
}

impl<'a> Errors<'a> {
    fn of(api: &'a Api) -> Errors<'a> {
        Errors {
            bodies: &api.error_bodies,
            undeclared: api.undeclared_error.as_ref(),
        }
    }
}

fn required(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| p.required)
}

fn optional(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| !p.required)
}

fn body_type(types: &[TypeDef], op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().map(|b| match b.encoding {
        Encoding::Binary => quote!(impl Into<bytes::Bytes>),
        _ => ty(types, &b.ty, Context::Elsewhere),
    })
}

fn stored_body_type(types: &[TypeDef], op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().map(|b| match b.encoding {
        Encoding::Binary => quote!(bytes::Bytes),
        _ => ty(types, &b.ty, Context::Elsewhere),
    })
}

fn method_doc(types: &[TypeDef], op: &Operation) -> TokenStream {
    let mut parts = vec![
        op.summary.as_deref().map(Doc::vendor),
        op.description.as_deref().map(Doc::vendor),
    ];
    parts.push(Some(Doc::ours(format!(
        "{} (operation {}).",
        code(&format!("{} {}", op.http_method, op.path)),
        code(&op.id)
    ))));
    let args: Vec<String> = required(op)
        .map(|p| {
            let what = match p.description.as_deref() {
                Some(d) => Doc::vendor(&one_line(d)).as_str().to_string(),
                None => format!(
                    "the {} parameter {}",
                    location_word(p.location),
                    code(&p.wire)
                ),
            };
            format!("- `{}`: {what}", p.rust)
        })
        .chain(op.body.as_ref().filter(|b| b.required).map(|b| {
            let what = match b.description.as_deref() {
                Some(d) => Doc::vendor(&one_line(d)).as_str().to_string(),
                None => "the request body".to_string(),
            };
            format!("- `body`: {what}")
        }))
        .collect();
    if !args.is_empty() {
        parts.push(Some(Doc::ours(format!("Arguments:\n{}", args.join("\n")))));
    }
    if let (Some(variant), Some((header, value))) = (&op.variant, op.fixed_headers.first()) {
        let returns = match &op.output {
            Output::Body(_, TypeRef::Named(id)) => {
                let name = types.name(*id);
                format!(" and returns a [`{name}`](crate::types::{name})")
            }
            _ => String::new(),
        };
        parts.push(Some(Doc::ours(format!(
            "Asks for the {} representation ({}){returns}.",
            code(variant),
            code(&format!("{header}: {value}"))
        ))));
    }
    if op.deprecated {
        parts.push(Some(Doc::ours("**Deprecated** by the API.")));
    }
    docs::attrs(&docs::paragraphs(parts))
}

pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn client_method(types: &[TypeDef], op: &Operation) -> TokenStream {
    let doc = method_doc(types, op);
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in required(op) {
        let name = ident(&p.rust);
        let (arg, into) = arg_type(types, &p.ty);
        args.push(quote!(#name: #arg));
        inits.push(if into {
            quote!(#name: #name.into())
        } else {
            quote!(#name)
        });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let t = body_type(types, op).unwrap_or_default();
        args.push(quote!(body: #t));
        inits.push(if body.encoding == Encoding::Binary {
            quote!(body: body.into())
        } else {
            quote!(body)
        });
    } else if op.body.is_some() {
        inits.push(quote!(body: None));
    }
    for p in optional(op) {
        let name = ident(&p.rust);
        inits.push(quote!(#name: None));
    }
    if let Some(choice) = op.body.as_ref().and_then(|b| b.media_types.as_ref()) {
        let name = ident(&choice.setter);
        inits.push(quote!(#name: None));
    }
    quote! {
        #doc
        pub fn #method(&self, #(#args),*) -> #builder<'_> {
            #builder { client: self, headers: Vec::new(), #(#inits),* }
        }
    }
}

fn builder(types: &[TypeDef], op: &Operation, errors: Errors) -> Vec<Piece> {
    let name = ident(&op.builder_name);
    let method = &op.method_name;
    let doc = format!(" Request builder for [`Client::{method}`](crate::Client::{method}).");
    let mut fields = Vec::new();
    for p in required(op) {
        let n = ident(&p.rust);
        let t = ty(types, &p.ty, Context::Elsewhere);
        fields.push(quote!(#n: #t));
    }
    if let Some(body) = &op.body {
        let t = stored_body_type(types, op).unwrap_or_default();
        fields.push(if body.required {
            quote!(body: #t)
        } else {
            quote!(body: Option<#t>)
        });
    }
    for p in optional(op) {
        let n = ident(&p.rust);
        let t = ty(types, &p.ty, Context::Elsewhere);
        fields.push(quote!(#n: Option<#t>));
    }
    let media_types = op.body.as_ref().and_then(|b| b.media_types.as_ref());
    if let Some(choice) = media_types {
        let n = ident(&choice.setter);
        let t = ty(types, &choice.ty, Context::Elsewhere);
        fields.push(quote!(#n: Option<#t>));
    }
    let setters: Vec<Setter> = optional(op)
        .map(|p| {
            let (arg, into) = arg_type(types, &p.ty);
            Setter {
                name: &p.rust,
                doc: docs::paragraphs([
                    p.description.as_deref().map(Doc::vendor),
                    Some(Doc::ours(format!(
                        "Sets the {} parameter {}.",
                        location_word(p.location),
                        code(&p.wire)
                    ))),
                    p.deprecated
                        .then(|| Doc::ours("**Deprecated** by the API.")),
                ]),
                arg,
                into,
            }
        })
        .collect();
    let body_setter = op.body.as_ref().filter(|b| !b.required).map(|b| Setter {
        name: "body",
        doc: docs::paragraphs([
            b.description.as_deref().map(Doc::vendor),
            Some(Doc::ours("Sets the request body.")),
        ]),
        arg: body_type(types, op).unwrap_or_default(),
        into: b.encoding == Encoding::Binary,
    });
    let media_setter = media_types.map(|choice| {
        let default = op
            .body
            .as_ref()
            .map(|b| b.media_type.as_str())
            .unwrap_or_default();
        Setter {
            name: &choice.setter,
            doc: Doc::ours(format!(
                "Sets the body's `Content-Type` to one of the media types the API accepts for it \
                 (`{default}` when not called)."
            )),
            arg: ty(types, &choice.ty, Context::Elsewhere),
            into: false,
        }
    });
    let output = output_tokens(types, op);
    let SendParts {
        request,
        error,
        success,
    } = send_parts(types, op, errors);
    let extras = super::extras::builder_methods(types, op, &output);
    let sequence = super::sequence::builder_method(types, op);
    let debug_fields = required(op).chain(optional(op)).map(|p| {
        let n = ident(&p.rust);
        let label = &p.rust;
        quote!(.field(#label, &self.#n))
    });
    let op_id = op.label();
    // `Ok(())` reads nothing of the response.
    let response = match op.output {
        Output::Unit => quote!(_),
        _ => quote!(response),
    };
    let error = error.map(|body| {
        quote! {
            fn error_body(response: &crate::client::response::Response) -> crate::ErrorBody {
                #body
            }
        }
    });
    let inherent = (extras.is_empty() && sequence.is_empty())
        .then(|| {
            inherent_text(
                &op.builder_name,
                &setters,
                body_setter.as_ref(),
                media_setter.as_ref(),
                output.clone(),
            )
        })
        .flatten();
    let inherent = match inherent {
        Some(text) => Piece::Text(text),
        None => Piece::Tokens(inherent_tokens(
            &name,
            &setters,
            body_setter.as_ref(),
            media_setter.as_ref(),
            &output,
            quote!(#extras #sequence),
        )),
    };
    let head = quote! {
        #[doc = #doc]
        #[must_use = "a request builder does nothing until `.send()` is awaited"]
        #[derive(Clone)]
        pub struct #name<'a> {
            client: &'a crate::Client,
            headers: Vec<(String, String)>,
            #(#fields,)*
        }

        impl std::fmt::Debug for #name<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#op_id) #(#debug_fields)* .finish_non_exhaustive()
            }
        }

    };
    let operation = quote! {
        impl crate::client::operation::Operation for #name<'_> {
            type Output = #output;

            fn into_request(self) -> Result<RequestParts, crate::Error> {
                #request
            }

            fn success(#response: crate::client::response::Response) -> Result<Self::Output, crate::Error> {
                #success
            }

            #error
        }
    };
    vec![Piece::Tokens(head), inherent, Piece::Tokens(operation)]
}

/// A setter of a request builder: `pub fn name(mut self, value: arg) -> Self`
/// storing `Some(value)` (`value.into()` when `into`).
struct Setter<'a> {
    name: &'a str,
    doc: Doc,
    arg: TokenStream,
    into: bool,
}

impl Setter<'_> {
    fn tokens(&self) -> TokenStream {
        let doc = docs::attrs(&self.doc);
        let n = ident(self.name);
        let arg = &self.arg;
        let value = if self.into {
            quote!(value.into())
        } else {
            quote!(value)
        };
        quote! {
            #doc
            pub fn #n(mut self, value: #arg) -> Self {
                self.#n = Some(#value);
                self
            }
        }
    }

    fn text(&self, text: &mut Text) {
        text.doc(1, &self.doc);
        let arg = text.ty(self.arg.clone());
        text.line(
            1,
            &format!("pub fn {}(mut self, value: {arg}) -> Self {{", self.name),
        );
        let value = if self.into { "value.into()" } else { "value" };
        text.line(2, &format!("self.{} = Some({value});", self.name));
        text.fixed(0, "        self\n    }");
    }
}

/// A builder's inherent impl as tokens: its setters, `header`, `send`,
/// `send_with_response` and the `extra` methods.
fn inherent_tokens(
    name: &Ident,
    setters: &[Setter],
    body: Option<&Setter>,
    media: Option<&Setter>,
    output: &TokenStream,
    extra: TokenStream,
) -> TokenStream {
    let setters = setters.iter().map(Setter::tokens);
    let body_setter = body.map(Setter::tokens);
    let media_setter = media.map(Setter::tokens);
    quote! {
        impl<'a> #name<'a> {
            #(#setters)*

            /// Sends this header with the request too, in place of a default of
            /// the same name ([custom headers](crate::operations#custom-headers)).
            pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.headers.push((name.into(), value.into()));
                self
            }
            #body_setter
            #media_setter

            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<#output, crate::Error> {
                crate::client::operation::send(self.client, self).await
            }

            /// [`Self::send`], keeping the status and headers of the response.
            pub async fn send_with_response(self) -> Result<crate::Success<#output>, crate::Error> {
                crate::client::operation::send_with_response(self.client, self).await
            }

            #extra
        }
    }
}

/// A builder's inherent impl (its setters, `header`, `send` and
/// `send_with_response`) as text, for a builder without extra methods;
/// `None` when some line is left to prettyplease.
fn inherent_text(
    builder: &str,
    setters: &[Setter],
    body: Option<&Setter>,
    media: Option<&Setter>,
    output: TokenStream,
) -> Option<String> {
    let mut text = Text::new();
    let output = text.ty(output);
    text.line(0, &format!("impl<'a> {builder}<'a> {{"));
    for setter in setters {
        setter.text(&mut text);
    }
    text.fixed(
        0,
        "    /// Sends this header with the request too, in place of a default of
    /// the same name ([custom headers](crate::operations#custom-headers)).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }",
    );
    for setter in body.into_iter().chain(media) {
        setter.text(&mut text);
    }
    text.fixed(0, "    /// Sends the request and decodes the response.");
    let send = format!("pub async fn send(self) -> Result<{output}, crate::Error> {{");
    // `send`'s signature is too short to be broken but by a very long
    // output type: then the whole goes through prettyplease.
    text.line(1, &send);
    text.fixed(
        0,
        "        crate::client::operation::send(self.client, self).await
    }
    /// [`Self::send`], keeping the status and headers of the response.",
    );
    let with_response = format!(
        "pub async fn send_with_response(self) -> Result<crate::Success<{output}>, crate::Error> {{"
    );
    if 4 + with_response.len() <= text::WIDTH {
        text.line(1, &with_response);
    } else {
        // Broken after `(` and before `)`, as prettyplease does when the
        // whole does not fit (and the return type then has to fit).
        text.fixed(0, "    pub async fn send_with_response(\n        self,");
        text.line(
            1,
            &format!(") -> Result<crate::Success<{output}>, crate::Error> {{"),
        );
    }
    text.fixed(
        0,
        "        crate::client::operation::send_with_response(self.client, self).await
    }
}",
    );
    text.finish()
}

fn location_word(location: Location) -> &'static str {
    match location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
        Location::Cookie => "cookie",
        Location::QueryString => "query string",
    }
}

pub(super) fn output_tokens(types: &[TypeDef], op: &Operation) -> TokenStream {
    match &op.output {
        Output::Unit => quote!(()),
        Output::Body(encoding, t) => body_output_type(types, *encoding, t),
        Output::WithHeaders { name, .. } | Output::PerStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn decode(types: &[TypeDef], encoding: Encoding, t: &TypeRef) -> TokenStream {
    match encoding {
        Encoding::Binary => quote!(response.bytes()),
        Encoding::Text => quote!(response.text()?),
        _ => {
            let t = ty(types, t, Context::Elsewhere);
            quote!(response.json::<#t>()?)
        }
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => quote!(#c),
        Status::Range(r) => {
            let (lo, hi) = (r * 100, r * 100 + 99);
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

fn send_parts(types: &[TypeDef], op: &Operation, errors: Errors) -> SendParts {
    let error_bodies = errors.bodies;
    let sole_error = errors.undeclared;
    let method = match op.http_method.as_str() {
        "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" => {
            let method = ident(&op.http_method);
            quote!(reqwest::Method::#method)
        }
        // OpenAPI 3.2's QUERY and custom methods; the generator checked that
        // the name is an HTTP token, so `from_bytes` cannot fail.
        other => {
            let bytes = proc_macro2::Literal::byte_string(other.as_bytes());
            quote!(reqwest::Method::from_bytes(#bytes).expect("a valid HTTP method token"))
        }
    };
    let op_id = op.label();
    let pieces: Vec<TokenStream> = op
        .path_parts
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => quote!(#text),
            PathPart::Param(wire) => {
                let p = op
                    .params
                    .iter()
                    .find(|p| p.location == Location::Path && &p.wire == wire);
                let n = ident(p.map(|p| p.rust.as_str()).unwrap_or("missing"));
                if p.is_some_and(|p| p.union) {
                    // A union holding an array is written as `a,b` (style `simple`).
                    quote!(&crate::client::encoding::path_param(#wire, &self.#n.param_values().join(","))?)
                } else if p.is_some_and(|p| p.ty == TypeRef::DateTime) {
                    quote!(&crate::client::encoding::path_param(#wire, &crate::client::encoding::rfc3339(&self.#n))?)
                } else {
                    quote!(&crate::client::encoding::path_param(#wire, &self.#n)?)
                }
            }
        })
        .collect();
    let path = match pieces.as_slice() {
        [] => quote!(String::new()),
        [only] if matches!(op.path_parts[0], PathPart::Literal(_)) => quote!(String::from(#only)),
        _ => quote!([#(#pieces),*].concat()),
    };
    let params = op
        .params
        .iter()
        .filter(|p| p.location != Location::Path)
        .map(param_statement);
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        let call = match (b.encoding, &b.media_types) {
            (Encoding::Binary, Some(choice)) => {
                let setter = ident(&choice.setter);
                quote! {
                    match self.#setter {
                        Some(media) => request.bytes_body(media.to_string(), body),
                        None => request.bytes_body(#media, body),
                    }
                }
            }
            (encoding, _) => match encoding {
                Encoding::Binary => quote!(request.bytes_body(#media, body)),
                Encoding::Text => quote!(request.text_body(#media, body)),
                Encoding::Form => quote! {
                    request.text_body(#media, crate::form::encode(&body, "the request body as a form")?)
                },
                Encoding::Multipart => quote! {
                    let (content_type, bytes) = body.into_multipart()?.encode()?;
                    request.bytes_body(content_type, bytes)
                },
                _ => quote!(request.json_body(#media, &body)?),
            },
        };
        if b.required {
            quote! { let body = self.body; #call; }
        } else {
            quote! { if let Some(body) = self.body { #call; } }
        }
    });
    let no_auth = (!op.authenticated).then(|| quote!(request.without_credentials();));
    let mut errors: Vec<&Response> = op.errors.iter().collect();
    // Specific codes before ranges before `default`, so every arm is reachable.
    errors.sort_by_key(|r| r.status);
    let error_arms = errors
        .iter()
        .copied()
        .filter_map(|r| error_arm(types, r, error_bodies))
        .collect::<Vec<_>>();
    let has_default_error = op.errors.iter().any(|r| r.status == Status::Default);
    let fallback_decode = default_error_body(types, sole_error, error_bodies);
    let fallback_text = fallback_decode.to_string();
    let only_default = match errors.as_slice() {
        [only] if only.status == Status::Default => error_decode(types, only, error_bodies),
        _ => None,
    };
    // Arms that decode exactly what the fallback decodes add nothing.
    let all_arms_are_fallback = sole_error.is_some()
        && errors
            .iter()
            .all(|r| matches!(&r.body, Some((Encoding::Json, t)) if Some(t) == sole_error));
    let error_body = if let Some(decode) = only_default {
        decode
    } else if error_arms.is_empty() || all_arms_are_fallback {
        fallback_decode
    } else {
        let fallback = (!has_default_error).then(|| quote!(_ => #fallback_decode,));
        quote!(match response.status() { #(#error_arms)* #fallback })
    };
    let success = success_decode(types, op);
    let fixed = op
        .fixed_headers
        .iter()
        .map(|(name, value)| quote!(request.header(#name, &#value)?;));
    let idempotent = op.idempotent.map(|i| quote!(request.idempotent(#i);));
    SendParts {
        request: quote! {
            let path = #path;
            let mut request = RequestParts::new(#op_id, #method, path);
            #(#params)*
            #(#fixed)*
            request.custom_headers(&self.headers)?;
            #idempotent
            #body
            #no_auth
            Ok(request)
        },
        // The API's own default (`crate::api::error_body`) needs no override.
        error: (error_body.to_string() != fallback_text).then_some(error_body),
        success,
    }
}

/// The bodies of a builder's `Operation` functions.
struct SendParts {
    /// `into_request`: the builder → the request.
    request: TokenStream,
    /// `error_body`: an error response → its `ErrorBody`, when it is not
    /// the API's default (`crate::api::error_body`).
    error: Option<TokenStream>,
    /// `success`: a success response → the output.
    success: TokenStream,
}

/// How an error body is decoded when the operation declares nothing else
/// for its status: as the API's `undeclared` error type, else kept as text.
/// `src/api.rs` holds it as `error_body`, every builder's default.
pub(super) fn default_error_body(
    types: &[TypeDef],
    undeclared: Option<&TypeRef>,
    error_bodies: &[UnionVariant],
) -> TokenStream {
    match undeclared {
        Some(t) => error_decode_as(types, t, error_bodies),
        None => quote!(response.unparsed_error_body()),
    }
}

fn error_arm(
    types: &[TypeDef],
    r: &Response,
    error_bodies: &[UnionVariant],
) -> Option<TokenStream> {
    let pattern = status_pattern(r.status);
    let decode = error_decode(types, r, error_bodies)?;
    Some(quote!(#pattern => #decode,))
}

/// Decodes an error body as the type the document declares for it.
fn error_decode(
    types: &[TypeDef],
    r: &Response,
    error_bodies: &[UnionVariant],
) -> Option<TokenStream> {
    let (Encoding::Json, t) = r.body.as_ref()? else {
        return None;
    };
    Some(error_decode_as(types, t, error_bodies))
}

/// Decodes an error body as `t`, into the `ErrorBody` variant the model
/// named for it (every JSON error type has one: `error_bodies` lists them).
fn error_decode_as(types: &[TypeDef], t: &TypeRef, error_bodies: &[UnionVariant]) -> TokenStream {
    let Some(variant) = error_bodies.iter().find(|v| &v.ty == t) else {
        return quote!(response.unparsed_error_body());
    };
    let variant = ident(&variant.rust);
    let t = ty(types, t, Context::Elsewhere);
    quote!(response.error_body::<#t>(crate::ErrorBody::#variant))
}

fn param_statement(p: &Param) -> TokenStream {
    let n = ident(&p.rust);
    let wire = &p.wire;
    // A union is written as the list of its value's texts: one for a scalar
    // branch, one per item for an array branch.
    let is_list = matches!(p.ty, TypeRef::Vec(_)) || p.union;
    let values = if p.union {
        Some(quote!(let value = &value.param_values();))
    } else {
        // chrono's `Display` is not RFC 3339 (`2024-01-01 00:00:00 UTC`).
        match &p.ty {
            TypeRef::DateTime => {
                Some(quote!(let value = &crate::client::encoding::rfc3339(value);))
            }
            TypeRef::Vec(inner) if **inner == TypeRef::DateTime => Some(
                quote!(let value = &value.iter().map(crate::client::encoding::rfc3339).collect::<Vec<_>>();),
            ),
            _ => None,
        }
    };
    let deep_object = p.location == Location::Query
        && p.style == Style::DeepObject
        && !p.union
        && matches!(p.ty, TypeRef::Named(_));
    let call = match (p.location, is_list) {
        // Only objects get here (the model builder checked the shape); a
        // named scalar is written as `name=value` by the runtime too.
        (Location::Query, false) if deep_object => {
            quote!(request.query_deep_object(#wire, value)?)
        }
        (Location::Query, true) => {
            let style = match p.style {
                Style::FormExploded | Style::DeepObject => {
                    quote!(crate::client::encoding::ListStyle::Exploded)
                }
                Style::Comma => quote!(crate::client::encoding::ListStyle::Delimited(",")),
                Style::SpaceDelimited => quote!(crate::client::encoding::ListStyle::Delimited(" ")),
                Style::PipeDelimited => quote!(crate::client::encoding::ListStyle::Delimited("|")),
            };
            quote!(request.query_list(#wire, value, #style))
        }
        (Location::Query, false) => quote!(request.query(#wire, value)),
        (Location::Header, true) => quote!(request.header_list(#wire, value)?),
        (Location::Header, false) => quote!(request.header(#wire, value)?),
        (Location::Cookie, true) => quote!(request.cookie_list(#wire, value)),
        (Location::Cookie, false) => quote!(request.cookie(#wire, value)),
        (Location::QueryString, _) => {
            quote!(request.raw_query(crate::form::encode(value, "the query string")?))
        }
        (Location::Path, _) => quote!(),
    };
    if p.required {
        quote! { { let value = &self.#n; #values #call; } }
    } else {
        quote! { if let Some(value) = &self.#n { #values #call; } }
    }
}

fn success_decode(types: &[TypeDef], op: &Operation) -> TokenStream {
    match &op.output {
        Output::Unit => quote!(Ok(())),
        Output::Body(encoding, _) => match encoding {
            Encoding::Binary => quote!(Ok(response.bytes())),
            Encoding::Text => quote!(response.text()),
            // The type is the output's.
            _ => quote!(response.json()),
        },
        Output::WithHeaders {
            name,
            body,
            headers,
        } => {
            let name = ident(name);
            let body_field = body.as_ref().map(|(e, t)| {
                let d = decode(types, *e, t);
                quote!(body: #d,)
            });
            let header_fields = headers.iter().map(|h| {
                let n = ident(&h.rust);
                let wire = &h.wire;
                quote!(#n: response.header(#wire),)
            });
            quote!(Ok(#name { #(#header_fields)* #body_field }))
        }
        Output::PerStatus { name, .. } => {
            let name = ident(name);
            let mut success: Vec<&Response> = op.success.iter().collect();
            success.sort_by_key(|r| r.status);
            let arms = success.into_iter().map(|r| {
                let pattern = status_pattern(r.status);
                let variant = ident(
                    op.output
                        .status_variant(r.status)
                        .expect("the model names a variant for every success status"),
                );
                match &r.body {
                    Some((e, t)) => {
                        let d = decode(types, *e, t);
                        quote!(#pattern => Ok(#name::#variant(#d)),)
                    }
                    None => quote!(#pattern => Ok(#name::#variant),),
                }
            });
            let catch_all = (!op.success.iter().any(|r| r.status == Status::Default))
                .then(|| quote!(_ => Err(response.into_unexpected()),));
            quote! {
                match response.status() {
                    #(#arms)*
                    #catch_all
                }
            }
        }
    }
}

/// The struct or enum an operation returns when a plain body type is not enough.
fn output_type(types: &[TypeDef], op: &Operation) -> Option<TokenStream> {
    let method = &op.method_name;
    match &op.output {
        Output::WithHeaders {
            name,
            body,
            headers,
        } => {
            let name = ident(name);
            let doc = format!(" What [`Client::{method}`](crate::Client::{method}) returns: the body and the response headers the API declares.");
            let body = body.as_ref().map(|(e, t)| {
                let t = body_output_type(types, *e, t);
                quote! { /// The response body.
                pub body: #t, }
            });
            let headers = headers.iter().map(|h| {
                let n = ident(&h.rust);
                let doc = docs::attrs(&docs::paragraphs([
                    h.description.as_deref().map(Doc::vendor),
                    Some(Doc::ours(format!(
                        "The {} response header, if the server sent it.",
                        code(&h.wire)
                    ))),
                ]));
                quote!(#doc pub #n: Option<String>,)
            });
            Some(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone)]
                #[non_exhaustive]
                pub struct #name { #(#headers)* #body }
            })
        }
        Output::PerStatus { name, .. } => {
            let name = ident(name);
            let doc = format!(" What [`Client::{method}`](crate::Client::{method}) returns: one variant per success status.");
            let variants = op.success.iter().map(|r| {
                let variant = ident(
                    op.output
                        .status_variant(r.status)
                        .expect("the model names a variant for every success status"),
                );
                let doc = docs::attrs(&Doc::vendor(&r.description));
                match &r.body {
                    Some((e, t)) => {
                        let t = body_output_type(types, *e, t);
                        quote!(#doc #variant(#t),)
                    }
                    None => quote!(#doc #variant,),
                }
            });
            Some(quote! {
                #[doc = #doc]
                #[derive(Debug, Clone)]
                pub enum #name { #(#variants)* }
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod inherent_tests {
    use super::*;

    fn pretty(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("the emitted tokens parse");
        prettyplease::unparse(&file)
    }

    fn setter<'a>(name: &'a str, arg: TokenStream, into: bool) -> Setter<'a> {
        Setter {
            name,
            doc: Doc::ours(format!("Sets `{name}`.\n\nSecond paragraph.")),
            arg,
            into,
        }
    }

    /// The text, or `None`, and prettyplease's print of the tokens.
    fn both(builder: &str, output: TokenStream) -> (Option<String>, String) {
        let setters = [
            setter("per_page", quote!(i64), false),
            setter("label", quote!(impl Into<String>), true),
        ];
        let body = setter("body", quote!(impl Into<bytes::Bytes>), true);
        let media = setter("content_type", quote!(crate::types::Media), false);
        let text = inherent_text(builder, &setters, Some(&body), Some(&media), output.clone());
        let tokens = pretty(inherent_tokens(
            &ident(builder),
            &setters,
            Some(&body),
            Some(&media),
            &output,
            TokenStream::new(),
        ));
        (text, tokens)
    }

    #[test]
    fn a_builders_setters_as_text_are_what_prettyplease_prints() {
        // `send_with_response(self) -> …` on one line (up to 89 columns),
        // and broken after `(` one column later.
        let fixed =
            "    pub async fn send_with_response(self) -> Result<crate::Success<>, crate::Error> {"
                .len();
        for width in [
            text::WIDTH - 1,
            text::WIDTH,
            text::WIDTH + 1,
            text::WIDTH + 20,
        ] {
            let output = ident(&"O".repeat(width - fixed));
            let (text, tokens) = both("ListRequest", quote!(#output));
            let one_line = tokens
                .lines()
                .any(|l| l.contains("send_with_response(self)"));
            assert_eq!(one_line, width <= text::WIDTH, "{tokens}");
            assert_eq!(text.as_deref(), Some(tokens.as_str()));
        }
    }

    #[test]
    fn a_builder_whose_return_type_would_break_falls_back() {
        let output = ident(&"O".repeat(70));
        let (text, tokens) = both("ListRequest", quote!(Vec<crate::types::#output>));
        assert_eq!(text, None);
        assert!(tokens.contains("    ) -> Result<\n"), "{tokens}");
        // A reference is no type the text path spells.
        let (text, _) = both("ListRequest", quote!(&'static str));
        assert_eq!(text, None);
    }
}
