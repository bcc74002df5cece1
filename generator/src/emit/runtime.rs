//! The runtime's part of a generated crate. The runtime is a crate of its
//! own (`generator/runtime/`, built and tested in this workspace) that
//! generated crates cannot depend on, since it is not on crates.io: its
//! modules are vendored into each crate instead, each file with the
//! generated-file marker put in front, and only the modules the API needs.
//! What they read from the generated crate is `src/api.rs`, written here (the
//! contract is documented in `generator/runtime/src/api.rs`). The runtime's
//! `lib.rs`, its stand-in `api.rs` and its unit tests (`src/tests/`) are not
//! copied.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{preferred_auth, rust, CrateFile, Features};
use crate::model::{Api, AuthScheme};

/// The first line of every copied file (it carries `output::MARKER`).
const COPIED: &str =
    "// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.\n";

/// Which crates get a runtime module; each but `Always` is a cargo feature
/// of the runtime crate (the same name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Always,
    /// Date-time parameters (`chrono`).
    Chrono,
    /// Form bodies or `in: querystring` parameters (`form`).
    Form,
    /// `multipart/form-data` bodies (`multipart`).
    Multipart,
    /// The fake for users' tests: copied into every crate, compiled with
    /// the crate's cargo feature `testing`.
    Testing,
    /// OAuth2 flows in the document (`oauth2`); declared behind the
    /// generated crate's `oauth2` feature too.
    OAuth2,
}

impl Need {
    fn met(self, features: &Features) -> bool {
        match self {
            Need::Always => true,
            Need::Chrono => features.chrono,
            Need::Form => features.form,
            Need::Multipart => features.multipart,
            Need::Testing => true,
            Need::OAuth2 => features.oauth2,
        }
    }
}

/// A file of the runtime crate's `src/`, by its path there (the same in the
/// generated crate's `src/`).
struct Module {
    path: &'static str,
    need: Need,
    source: &'static str,
}

macro_rules! module {
    ($path:literal, $need:ident) => {
        Module {
            path: $path,
            need: Need::$need,
            source: include_str!(concat!("../../runtime/src/", $path)),
        }
    };
}

/// Every file of the runtime crate's `src/` but `lib.rs` and `api.rs` (the
/// parts each generated crate writes for itself), in a fixed order.
/// `sequence.rs` is a feature of the runtime crate but is copied into every
/// crate, as before the runtime was a crate.
const MODULES: &[Module] = &[
    module!("client/mod.rs", Always),
    module!("client/builder.rs", Always),
    module!("client/credentials.rs", Always),
    module!("client/encoding.rs", Always),
    module!("client/execute.rs", Always),
    module!("client/operation.rs", Always),
    module!("client/request.rs", Always),
    module!("client/response.rs", Always),
    module!("datetime.rs", Chrono),
    module!("error.rs", Always),
    module!("fake.rs", Testing),
    module!("form.rs", Form),
    module!("multipart.rs", Multipart),
    module!("oauth.rs", OAuth2),
    module!("paging.rs", Always),
    module!("retry.rs", Always),
    module!("sequence.rs", Always),
    module!("transfer/mod.rs", Always),
    module!("transfer/blocks.rs", Always),
    module!("transfer/download.rs", Always),
    module!("transfer/progress.rs", Always),
    module!("transfer/upload.rs", Always),
    module!("transfer/wire.rs", Always),
    module!("wait.rs", Always),
];

/// Every runtime module's source, by its path in the runtime's `src/` (for
/// the check that `names::CLIENT_METHODS` is what the runtime defines).
#[cfg(test)]
pub(crate) fn sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    MODULES.iter().map(|m| (m.path, m.source))
}

/// The runtime modules the crate needs, as its files.
pub(super) fn files(features: &Features) -> Vec<CrateFile> {
    MODULES
        .iter()
        .filter(|m| m.need.met(features))
        .map(|m| CrateFile {
            path: format!("src/{}", m.path).into(),
            contents: format!("{COPIED}{}", m.source),
        })
        .collect()
}

/// `mod …;` for each of the crate's runtime modules at the crate root, and
/// for `api`.
pub(super) fn declarations(features: &Features) -> TokenStream {
    let names = MODULES
        .iter()
        .filter(|m| m.need.met(features))
        .filter_map(|m| Some((top_level(m.path)?, m.need)))
        .map(|(name, need)| {
            let name = format_ident!("{name}");
            // The crate's own features, off by default: a user who brings
            // their own tokens does not build the `oauth2` crate, one who
            // does not test with the fake does not build wiremock.
            match need {
                Need::OAuth2 => quote!(#[cfg(feature = "oauth2")] mod #name;),
                Need::Testing => quote!(#[cfg(feature = "testing")] mod #name;),
                _ => quote!(mod #name;),
            }
        });
    quote! {
        mod api;
        #(#names)*
    }
}

/// `client/mod.rs` → `client`, `error.rs` → `error`; `None` for a file
/// inside a module directory (its `mod.rs` declares it).
fn top_level(path: &str) -> Option<&str> {
    match path.split_once('/') {
        Some((dir, "mod.rs")) => Some(dir),
        Some(_) => None,
        None => path.strip_suffix(".rs"),
    }
}

/// `src/api.rs`: what the runtime modules need from this API.
pub(super) fn api_rs(api: &Api) -> TokenStream {
    let base_url = match &api.base_url {
        Some(url) => quote!(Some(#url)),
        None => quote!(None),
    };
    let base_doc = match &api.base_url {
        Some(url) => format!(" The API's base URL, from the document's first server: `{url}`."),
        None => {
            " The document names no server: set one with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).".to_string()
        }
    };
    let header_pairs = api.default_headers.iter().map(|(k, v)| quote!((#k, #v)));
    let api_version = match &api.api_version {
        Some((header, template)) => quote!(Some((#header, #template))),
        None => quote!(None),
    };
    let auth = auth_placement(api);
    let oauth2_flows = (!api.oauth2_flows.is_empty()).then(|| {
        let flows = api.oauth2_flows.iter().map(|f| {
            let (flow, url, token_url) = (&f.flow, &f.url, &f.token_url);
            let scopes = &f.scopes;
            quote!((#flow, #url, #token_url, &[#(#scopes),*]))
        });
        quote! {
            /// The OAuth2 flows of the document's security schemes: name,
            /// authorization (or device authorization) URL, token URL, scopes.
            #[cfg(feature = "oauth2")]
            pub(crate) const OAUTH2_FLOWS: &[(&str, &str, &str, &[&str])] = &[#(#flows),*];
        }
    });
    let error_variants = api.error_bodies.iter().map(|v| {
        let name = rust::ident(&v.rust);
        let t = rust::ty(&api.types, &v.ty, rust::Context::Elsewhere);
        let doc = format!(
            " The body, decoded as the document declares it ([`{}`]).",
            quote!(#t).to_string().replace(' ', "")
        );
        quote!(#[doc = #doc] #name(#t),)
    });
    let error_body = super::operations::default_error_body(
        &api.types,
        api.undeclared_error.as_ref(),
        &api.error_bodies,
    );
    quote! {
        //! What the runtime modules (`client`, `error`, `paging`, …, copied
        //! from the generator's runtime) need from this API: its base URL,
        //! default headers, where the credential goes, and its error body.
        //! They refer to nothing else the generator writes.

        use crate::client::credentials::AuthPlacement;

        #[doc = #base_doc]
        pub const DEFAULT_BASE_URL: Option<&str> = #base_url;

        /// Headers sent with every request (the document's `x-default-request-headers`).
        pub const DEFAULT_HEADERS: &[(&str, &str)] = &[#(#header_pairs),*];

        /// Where credentials go, from the document's security schemes.
        pub(crate) const AUTH_PLACEMENT: AuthPlacement = #auth;

        /// The header that carries the API version and its value, `{version}`
        /// where the version goes (the document's `x-api-version`).
        pub(crate) const API_VERSION: Option<(&str, &str)> = #api_version;

        #oauth2_flows

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

        /// The body of an error response whose operation declares nothing
        /// else for its status: what every request builder decodes unless
        /// it says otherwise.
        pub(crate) fn error_body(response: &crate::client::response::Response) -> ErrorBody {
            #error_body
        }
    }
}

fn auth_placement(api: &Api) -> TokenStream {
    match preferred_auth(api) {
        None | Some(AuthScheme::Bearer { .. } | AuthScheme::MutualTls { .. }) => {
            quote!(AuthPlacement::Bearer)
        }
        Some(AuthScheme::Basic { .. }) => quote!(AuthPlacement::Basic),
        Some(AuthScheme::ApiKeyHeader { name, .. }) => quote!(AuthPlacement::Header(#name)),
        Some(AuthScheme::ApiKeyQuery { name, .. }) => quote!(AuthPlacement::Query(#name)),
        Some(AuthScheme::ApiKeyCookie { name, .. }) => quote!(AuthPlacement::Cookie(#name)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime_src() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime/src")
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(runtime_src().join(path)).expect("read the runtime's source")
    }

    /// A module added to the runtime crate is copied too (or this test
    /// fails, rather than a user's generated crate); its unit tests are not.
    #[test]
    fn every_runtime_file_but_lib_api_and_tests_is_copied() {
        let mut on_disk = Vec::new();
        let mut dirs = vec![runtime_src()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("list the runtime's source") {
                let path = entry.expect("entry").path();
                if path == runtime_src().join("tests") {
                    continue;
                }
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let relative = path.strip_prefix(runtime_src()).expect("inside src");
                    on_disk.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.retain(|p| p != "lib.rs" && p != "api.rs");
        on_disk.sort();
        let mut copied: Vec<String> = MODULES.iter().map(|m| m.path.to_string()).collect();
        copied.sort();
        assert_eq!(copied, on_disk);
    }

    /// The runtime's `lib.rs` declares the same top-level modules as a
    /// generated one, each optional module behind the feature of its name.
    #[test]
    fn the_runtime_lib_gates_each_optional_module_behind_its_feature() {
        let lib = read("lib.rs");
        let manifest = std::fs::read_to_string(runtime_src().join("../Cargo.toml"))
            .expect("read the runtime's Cargo.toml");
        for module in MODULES {
            let Some(name) = top_level(module.path) else {
                continue;
            };
            let declaration = format!("mod {name};");
            let at = lib
                .find(&format!("\n{declaration}"))
                .unwrap_or_else(|| panic!("the runtime's lib.rs has no `{declaration}`"));
            // The attributes right above the declaration.
            let above: Vec<&str> = lib[..at]
                .lines()
                .rev()
                .take_while(|l| l.starts_with("#[") || l.starts_with("//"))
                .collect();
            let feature = match module.need {
                Need::Always if name == "sequence" => Some("sequence"),
                Need::Always => None,
                Need::Chrono => Some("chrono"),
                Need::Form => Some("form"),
                Need::Multipart => Some("multipart"),
                Need::Testing => Some("testing"),
                Need::OAuth2 => Some("oauth2"),
            };
            let gate = feature.map(|f| format!("#[cfg(feature = \"{f}\")]"));
            let gated = above.iter().find(|l| l.starts_with("#[cfg("));
            assert_eq!(gated.map(|l| l.to_string()), gate, "`{declaration}`");
            if let Some(f) = feature {
                assert!(
                    manifest.contains(&format!("\n{f} = ")),
                    "no feature `{f}` in the runtime's Cargo.toml"
                );
            }
        }
    }

    #[test]
    fn copies_carry_the_marker_and_only_needed_modules_are_copied() {
        let none = Features::default();
        let all = Features::all();
        let paths = |f: &Features| -> Vec<String> {
            files(f)
                .iter()
                .map(|f| f.path.display().to_string())
                .collect()
        };
        assert!(!paths(&none).contains(&"src/multipart.rs".to_string()));
        assert!(!paths(&none).contains(&"src/datetime.rs".to_string()));
        assert!(!paths(&none).contains(&"src/form.rs".to_string()));
        assert!(!paths(&none).contains(&"src/oauth.rs".to_string()));
        assert!(paths(&none).contains(&"src/sequence.rs".to_string()));
        assert_eq!(paths(&all).len(), MODULES.len());
        for file in files(&all) {
            let first = file.contents.lines().next().unwrap_or_default();
            assert!(
                first.contains(crate::output::MARKER),
                "{}",
                file.path.display()
            );
        }
        assert_eq!(
            declarations(&none).to_string(),
            "mod api ; mod client ; mod error ; # [cfg (feature = \"testing\")] mod fake ; mod paging ; mod retry ; mod sequence ; mod transfer ; mod wait ;"
        );
        assert!(declarations(&all)
            .to_string()
            .contains("# [cfg (feature = \"oauth2\")] mod oauth ;"));
    }
}
