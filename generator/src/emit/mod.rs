//! [`Api`] → the files of a client crate.
//!
//! Rust sources are built as token streams with `quote`, parsed with `syn`
//! and printed with `prettyplease`; the runtime support code (`client.rs`,
//! `error.rs`) is the same for every API and is copied as written; the
//! crate's `Cargo.toml` and `README.md` come from tera templates.

mod docs;
mod extras;
mod multipart;
mod operations;
mod sequence;
mod templates;
mod types;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{Error, Result};
use crate::model::{Api, AuthScheme, Output, TypeKind, TypeRef};

pub use templates::TEMPLATE_NAMES;

/// Settings of the emitted crate that are not in the document.
#[derive(Debug, Clone)]
pub struct Options {
    /// Package name (`imodels-client`).
    pub crate_name: String,
    /// Package version.
    pub crate_version: String,
    /// Directory with `Cargo.toml.tera` and `README.md.tera`; the built-in
    /// templates are used when `None`.
    pub templates: Option<PathBuf>,
}

impl Options {
    /// Options with the given crate name, version `0.1.0` and the built-in
    /// templates.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Options {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            templates: None,
        }
    }
}

/// One file of the emitted crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateFile {
    /// Path relative to the crate's root.
    pub path: PathBuf,
    pub contents: String,
}

/// Runtime support files, the same for every API.
const RUNTIME: &[(&str, &str)] = &[
    ("src/client.rs", include_str!("../../runtime/client.rs")),
    ("src/error.rs", include_str!("../../runtime/error.rs")),
    ("src/paging.rs", include_str!("../../runtime/paging.rs")),
    ("src/retry.rs", include_str!("../../runtime/retry.rs")),
    ("src/sequence.rs", include_str!("../../runtime/sequence.rs")),
    ("src/transfer.rs", include_str!("../../runtime/transfer.rs")),
    ("src/wait.rs", include_str!("../../runtime/wait.rs")),
    // `cargo fmt` in a workspace that holds the crate must not reformat it:
    // the generator's output is the reference that freshness checks compare.
    ("rustfmt.toml", "# Generated code: formatted by the generator, not by rustfmt.\ndisable_all_formatting = true\n"),
];

/// Every file of the crate, in a fixed order.
pub fn emit_crate(api: &Api, options: &Options) -> Result<Vec<CrateFile>> {
    // The two big modules are built and printed on a thread each: most of
    // the generator's time is here (quote, then syn and prettyplease), and
    // the modules are independent. Token streams are not `Send`, so each
    // thread builds its own from the shared model; the output does not
    // depend on which finishes first.
    let (types_rs, operations_rs) = std::thread::scope(|scope| {
        let types = scope.spawn(|| {
            rust_file(
                "src/types.rs",
                types::module(&api.types, &param_unions(api)),
            )
        });
        let operations = rust_file(
            "src/operations.rs",
            operations::module(
                &api.operations,
                match api.error_bodies.as_slice() {
                    [only] => Some(&only.ty),
                    _ => None,
                },
            ),
        );
        let types = types.join().unwrap_or_else(|_| {
            Err(Error::general(
                "internal error: emitting types.rs failed; please report this",
            ))
        });
        (types, operations)
    });
    let mut files = vec![
        rust_file("src/lib.rs", lib_rs(api, options))?,
        types_rs?,
        operations_rs?,
    ];
    let features = Features::of(api);
    for (path, contents) in RUNTIME {
        files.push(CrateFile {
            path: path.into(),
            contents: contents.to_string(),
        });
    }
    if features.multipart {
        files.push(CrateFile {
            path: "src/multipart.rs".into(),
            contents: include_str!("../../runtime/multipart.rs").to_string(),
        });
    }
    files.push(CrateFile {
        path: crate::surface::FILE.into(),
        contents: crate::surface::Surface::of(api).to_json(),
    });
    files.extend(templates::render(api, options, &features)?);
    Ok(files)
}

/// The union types used as parameters: they get a `param_values()` method.
fn param_unions(api: &Api) -> Vec<&str> {
    let mut names = Vec::new();
    for p in api.operations.iter().flat_map(|op| &op.params) {
        if let (true, TypeRef::Named(name)) = (p.union, &p.ty) {
            if !names.contains(&name.as_str()) {
                names.push(name.as_str());
            }
        }
    }
    names
}

/// Which optional dependencies the crate needs.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Features {
    pub uuid: bool,
    pub chrono: bool,
    /// Some request body or `in: querystring` parameter is
    /// `application/x-www-form-urlencoded` (encoded with `serde_urlencoded`).
    pub form: bool,
    /// Some request body is `multipart/form-data` (reqwest's `multipart`
    /// feature, and the crate's `FilePart`).
    pub multipart: bool,
}

impl Features {
    fn of(api: &Api) -> Self {
        let mut features = Features::default();
        let mut visit = |t: &TypeRef| features.note(t);
        for def in &api.types {
            match &def.kind {
                TypeKind::Struct { fields, additional } => {
                    fields.iter().for_each(|f| visit(&f.ty));
                    additional.iter().for_each(&mut visit);
                }
                TypeKind::Union { variants, .. } => variants.iter().for_each(|v| visit(&v.ty)),
                TypeKind::Alias(t) => visit(t),
                TypeKind::Multipart { parts } => parts.iter().for_each(|p| visit(&p.field.ty)),
                TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => {}
            }
        }
        for op in &api.operations {
            op.params.iter().for_each(|p| visit(&p.ty));
            op.body.iter().for_each(|b| visit(&b.ty));
        }
        features.multipart = api.operations.iter().any(
            |op| matches!(&op.body, Some(b) if b.encoding == crate::model::Encoding::Multipart),
        );
        features.form = api.operations.iter().any(|op| {
            matches!(&op.body, Some(b) if b.encoding == crate::model::Encoding::Form)
                || op
                    .params
                    .iter()
                    .any(|p| p.location == crate::model::Location::QueryString)
        });
        features
    }

    fn note(&mut self, t: &TypeRef) {
        match t {
            TypeRef::Uuid => self.uuid = true,
            TypeRef::DateTime | TypeRef::Date => self.chrono = true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) => self.note(inner),
            _ => {}
        }
    }
}

fn rust_file(path: &str, tokens: TokenStream) -> Result<CrateFile> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::general(format!(
            "internal error: generated {path} does not parse ({e}); please report this"
        ))
    })?;
    let mut contents = String::from(
        "// This file is generated by `cargo xtask codegen`. Do not edit it by hand.\n\n",
    );
    contents.push_str(&prettyplease::unparse(&file));
    Ok(CrateFile {
        path: path.into(),
        contents,
    })
}

/// The name of the `ErrorBody` variant for an error type.
pub(crate) fn error_variant_name(t: &TypeRef) -> String {
    crate::names::camel(&t.short_name())
}

fn lib_rs(api: &Api, options: &Options) -> TokenStream {
    let title = &api.title;
    let crate_doc = docs::inner_attrs(&docs::paragraphs([
        Some(
            format!(
                "Typed async client for the {title} (version {}).",
                api.version
            )
            .as_str(),
        ),
        api.description.as_deref(),
        Some("Generated from the API's OpenAPI document; see the crate's README for examples."),
    ]));
    let example = crate_example(api, options);
    let base_url = match &api.base_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let base_doc = match &api.base_url {
        Some(url) => format!(" The API's base URL, from the document's first server: `{url}`."),
        None => {
            " The document names no server: set one with [`ClientBuilder::base_url`].".to_string()
        }
    };
    let header_pairs = api.default_headers.iter().map(|(k, v)| quote!((#k, #v)));
    let auth = auth_placement(api);
    let features = Features::of(api);
    let multipart = features.multipart.then(|| {
        quote! {
            mod multipart;
            pub use multipart::FilePart;
        }
    });
    let rfc3339 = features.chrono.then(|| {
        quote! {
            impl client::RfcDateTime for chrono::DateTime<chrono::Utc> {
                fn rfc3339(&self) -> String {
                    self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                }
            }
        }
    });
    let error_variants = api.error_bodies.iter().map(|v| {
        let name = types::ident(&v.rust);
        let t = types::ty(&v.ty, types::Context::Elsewhere);
        let doc = format!(
            " The body, decoded as the document declares it ([`{}`]).",
            quote!(#t).to_string().replace(' ', "")
        );
        quote!(#[doc = #doc] #name(#t),)
    });
    quote! {
        #crate_doc
        #![doc = ""]
        #![doc = "# Example"]
        #![doc = ""]
        #![doc = #example]
        #![warn(missing_docs)]
        #![allow(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        mod client;
        mod error;
        mod paging;
        mod retry;
        mod sequence;
        mod transfer;
        mod wait;
        #multipart
        pub mod operations;
        pub mod types;

        pub use client::{BoxError, Client, ClientBuilder, TokenProvider, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
        pub use error::{ApiError, Error};
        pub use retry::RetryPolicy;
        pub use transfer::{Progress, UploadOptions};
        pub use wait::WaitOptions;
        /// The `Stream` trait that paged listings implement (re-exported from
        /// `futures-util`, the same trait as `futures::Stream`).
        pub use futures_util::Stream;

        #[doc = #base_doc]
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        /// Headers sent with every request (the document's `x-default-request-headers`).
        pub const DEFAULT_HEADERS: &[(&str, &str)] = &[#(#header_pairs),*];

        /// Where credentials go, from the document's security schemes.
        pub(crate) const AUTH_PLACEMENT: client::AuthPlacement = #auth;

        #rfc3339

        /// The body of an error response, decoded as the document declares it
        /// for that status, or kept as text when it does not match.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorBody {
            #(#error_variants)*
            /// The response had no body.
            Empty,
            /// The body was not what the document declares for this status (an
            /// HTML error page from a proxy, say), or the document declares none:
            /// the text as received.
            Text(String),
        }
    }
}

/// The scheme the client's one credential follows: a bearer scheme wins
/// when there are several (it is what token providers produce), else the
/// first the document declares.
pub(crate) fn preferred_auth(api: &Api) -> Option<&AuthScheme> {
    api.auth
        .iter()
        .find(|a| matches!(a, AuthScheme::Bearer { .. }))
        .or_else(|| api.auth.first())
}

fn auth_placement(api: &Api) -> TokenStream {
    match preferred_auth(api) {
        None | Some(AuthScheme::Bearer { .. }) => quote!(client::AuthPlacement::Bearer),
        Some(AuthScheme::Basic { .. }) => quote!(client::AuthPlacement::Basic),
        Some(AuthScheme::ApiKeyHeader { name, .. }) => quote!(client::AuthPlacement::Header(#name)),
        Some(AuthScheme::ApiKeyQuery { name, .. }) => quote!(client::AuthPlacement::Query(#name)),
        Some(AuthScheme::ApiKeyCookie { name, .. }) => quote!(client::AuthPlacement::Cookie(#name)),
    }
}

/// A `no_run` doctest that calls the API's first operation, so the crate's
/// front page shows real use and `cargo test` proves it compiles.
pub(crate) fn crate_example(api: &Api, options: &Options) -> String {
    let krate = options.crate_name.replace('-', "_");
    let base = if api.base_url.is_some() {
        ""
    } else {
        "\n        .base_url(\"https://api.example.com\")"
    };
    let call = api
        .operations
        .iter()
        .find(|op| {
            op.params
                .iter()
                .filter(|p| p.required)
                .all(|p| example_value(&p.ty).is_some())
                && op.body.as_ref().is_none_or(|b| !b.required)
        })
        .map(|op| {
            let args: Vec<String> = op
                .params
                .iter()
                .filter(|p| p.required)
                .filter_map(|p| example_value(&p.ty))
                .collect();
            let shown = match &op.output {
                Output::Unit => "    let () = result;\n".to_string(),
                _ => "    println!(\"{result:?}\");\n".to_string(),
            };
            format!(
                "    let result = client.{}({}).send().await?;\n{shown}",
                op.method_name,
                args.join(", ")
            )
        })
        .unwrap_or_default();
    let credential = match preferred_auth(api) {
        Some(
            AuthScheme::ApiKeyHeader { .. }
            | AuthScheme::ApiKeyQuery { .. }
            | AuthScheme::ApiKeyCookie { .. },
        ) => "api_key",
        _ => "bearer_token",
    };
    format!(
        "```no_run\n# async fn example() -> Result<(), {krate}::Error> {{\nlet client = {krate}::Client::builder(){base}\n    .{credential}(\"…\")\n    .build()?;\n{call}# Ok(())\n# }}\n```"
    )
}

fn example_value(t: &TypeRef) -> Option<String> {
    Some(match t {
        TypeRef::String => "\"…\"".into(),
        TypeRef::Bool => "true".into(),
        TypeRef::I32 | TypeRef::I64 => "1".into(),
        TypeRef::F32 | TypeRef::F64 => "1.0".into(),
        TypeRef::Uuid => "uuid::Uuid::nil()".into(),
        _ => return None,
    })
}
