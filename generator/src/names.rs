//! Rust identifiers from OpenAPI names.
//!
//! OpenAPI names are free text (`$top`, `x-ms-blob-type`, `iModelId`, `1st`);
//! Rust names must be valid identifiers, follow Rust's case conventions and
//! read well. Two rules go beyond `heck`:
//!
//! * a lone capital that is glued to the next word is an acronym prefix, not a
//!   word of its own: `iModelId` → `imodel_id`, `GetIModels` → `get_imodels`
//!   (plain heck gives `i_model_id`);
//! * keywords and names that do not start like an identifier get a suffix or a
//!   prefix rather than a raw identifier, because some keywords (`self`,
//!   `crate`, `Self`) cannot be raw.

use heck::ToUpperCamelCase;

/// Words of `name`, split at separators and case boundaries, with
/// single-letter words merged into the word they are glued to.
fn words(name: &str) -> Vec<String> {
    // (word, glued_to_next): glued means no separator followed the word.
    let mut raw: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                raw.push((std::mem::take(&mut current), false));
            }
            continue;
        }
        if let Some(&prev) = current.chars().last().as_ref() {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase()
                    && c.is_uppercase()
                    && next.is_some_and(|n| n.is_lowercase()))
                || (prev.is_ascii_digit() && c.is_alphabetic() && c.is_uppercase());
            if boundary {
                raw.push((std::mem::take(&mut current), true));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        raw.push((current, false));
    }

    let mut merged: Vec<String> = Vec::new();
    let mut carry = String::new();
    for (word, glued) in raw {
        let single_letter = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
        if single_letter && glued {
            carry.push_str(&word);
            continue;
        }
        merged.push(format!("{carry}{word}"));
        carry.clear();
    }
    if !carry.is_empty() {
        merged.push(carry);
    }
    merged
}

/// `snake_case` identifier for fields, parameters, methods and modules.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    sanitize(joined, "field")
}

/// `UpperCamelCase` identifier for types and enum variants.
pub fn camel(name: &str) -> String {
    let joined = words(name).join("_");
    sanitize(joined.to_upper_camel_case(), "Value")
}

fn sanitize(ident: String, empty: &str) -> String {
    if ident.is_empty() {
        return empty.to_string();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        // `1st` → `_1st` for snake case, `V1st` for types and variants.
        return if ident.starts_with(|c: char| c.is_uppercase()) || empty == "Value" {
            format!("V{ident}")
        } else {
            format!("_{ident}")
        };
    }
    if is_keyword(&ident) {
        return format!("{ident}_");
    }
    ident
}

/// Rust's strict and reserved keywords (2021 edition and later).
pub fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
            | "union"
            | "_"
    )
}

/// Hands out names that are unique within one namespace, adding `2`, `3`, …
/// to later claimants of a taken name. Order of claims decides who keeps the
/// plain name, so callers claim in document order to stay deterministic.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: std::collections::HashSet<String>,
    /// Who holds a name, for names claimed with [`Namespace::claim_noted`].
    owners: std::collections::HashMap<String, String>,
    /// What the reserved names are, for notes (`{}` stands for the name).
    reserved_as: Option<&'static str>,
}

impl Namespace {
    /// A namespace in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Namespace {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            owners: std::collections::HashMap::new(),
            reserved_as: None,
        }
    }

    /// [`Namespace::with_reserved`], with the words a note uses for a
    /// reserved name (`{}` stands for it): "a method of the runtime
    /// (`Client::{}`)".
    pub fn with_reserved_as(reserved: &[&str], what: &'static str) -> Self {
        Namespace {
            reserved_as: Some(what),
            ..Namespace::with_reserved(reserved)
        }
    }

    /// Claims `wanted`, or the first free `wanted2`, `wanted3`, … (with an
    /// underscore for snake-case names).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.taken.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        // Snake-case names start with a lower-case letter or `_`; a camel-case
        // name's only `_` is a keyword escape (`Self_`), dropped below, so it
        // gets `Self2`, not `Self_2` (which is not camel case).
        let sep = if wanted.starts_with(|c: char| c.is_lowercase() || c == '_') {
            "_"
        } else {
            ""
        };
        let base = wanted.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

impl Namespace {
    /// Gives back a name claimed by mistake, so the next claim can have it.
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
        self.owners.remove(name);
    }

    /// [`Namespace::claim`] for a name the user chose (`owner` is the JSON
    /// pointer of what is named): when `wanted` is taken, the user finds a
    /// note in `notes` saying which name it got instead and who has `wanted`
    /// (two schemas `foo_bar` and `FooBar` both want `FooBar`).
    pub fn claim_noted(&mut self, wanted: &str, owner: &str, notes: &mut Vec<String>) -> String {
        let name = self.claim(wanted);
        if name != wanted {
            let holder = match (self.owners.get(wanted), self.reserved_as) {
                (Some(first), _) => format!("the name of {first}"),
                (None, Some(what)) => what.replace("{}", wanted),
                (None, None) => "a name the generated code uses itself".to_string(),
            };
            notes.push(format!(
                "{owner}: named `{name}` in Rust because `{wanted}` is {holder}"
            ));
        }
        self.owners.insert(name.clone(), owner.to_string());
        name
    }
}

/// Every method `Client` has before the generated ones: each `fn` of an
/// `impl Client` block of the runtime (`generator/runtime/src/`, whatever its
/// visibility: a generated method of the same name would be a second
/// definition), and the methods of the traits the runtime implements for it
/// (`Clone`, `Debug`: a generated `clone` would shadow `Clone::clone`). The
/// test `client_methods_are_the_runtimes` reads the runtime's sources and
/// fails when this list is not exactly what they define.
pub const CLIENT_METHODS: &[&str] = &[
    // client/mod.rs
    "builder",
    "base_url",
    "http_client",
    "is_api_origin",
    "max_response_bytes",
    "retry_policy",
    "max_pages",
    // client/execute.rs
    "execute",
    "execute_raw",
    "prepare",
    "prepare_within",
    // transfer/mod.rs
    "upload_file",
    "download",
    "download_with",
    "download_to_file",
    "download_to_file_with",
    // #[derive(Clone)], impl Debug
    "clone",
    "clone_from",
    "fmt",
];

/// The types and traits a generated crate's root re-exports from its
/// runtime (`crate::Error`, `crate::Client`, …), whichever features the
/// document needs. A document's type of one of these names would make a
/// glob import of `types::*` beside the crate root's ambiguous, so it is
/// named `Model<Name>` instead (with a note). The test
/// `emit::tests::root_items_are_what_lib_rs_exports` holds the list to
/// `lib.rs`.
pub const ROOT_ITEMS: &[&str] = &[
    "ApiError",
    "BoxError",
    "Client",
    "ClientBuilder",
    "DevicePrompt",
    "DownloadOptions",
    "Error",
    "ErrorBody",
    "FilePart",
    "FlowError",
    "OAuth2",
    "Progress",
    "RetryPolicy",
    "Storage",
    "Stream",
    "Success",
    "TokenProvider",
    "UploadOptions",
    "UrlFuture",
    "WaitOptions",
];

/// The name a type of the document's wants: `wanted`, unless the crate root
/// has an item of that name ([`ROOT_ITEMS`]), then `Model<wanted>` (the
/// spelling openapi-generator's Rust clients use for such names).
pub fn type_name_away_from_root(wanted: String) -> String {
    if ROOT_ITEMS.contains(&wanted.as_str()) {
        format!("Model{wanted}")
    } else {
        wanted
    }
}

/// The document's word for a type [`type_name_away_from_root`] renamed
/// (`ModelError` → `Error`), for names in namespaces of their own where the
/// crate root's items cannot make them ambiguous (`ErrorBody::Error`).
pub fn type_name_toward_root(name: &str) -> &str {
    name.strip_prefix("Model")
        .filter(|rest| ROOT_ITEMS.contains(rest))
        .unwrap_or(name)
}

/// The namespace of `Client`'s methods: operations, waiters and upload
/// flows claim their names here, after the runtime's.
pub fn client_methods() -> Namespace {
    Namespace::with_reserved_as(
        CLIENT_METHODS,
        "a method of the client runtime (`Client::{}`)",
    )
}

/// Every method `Fake` and `Log` have before the generated ones (the
/// runtime's `fake.rs`: the fns of their inherent impls and of the traits
/// implemented or derived for them). `testing.rs` gives both, per
/// operation, a method named as the client's; one of these names would be
/// a second definition. The test `fake_methods_are_the_runtimes` holds the
/// list to the runtime's sources.
pub const FAKE_METHODS: &[&str] = &[
    // impl Fake
    "start", "uri", "builder", "client", "expect", "received", "verify", // impl Log
    "of", "all", // impl Debug for Fake, #[derive(Debug)] on Log
    "fmt",
];

/// The namespace of the fake's per-operation methods (`Fake::…`,
/// `Log::…`), after the runtime's own.
pub fn fake_methods() -> Namespace {
    Namespace::with_reserved_as(
        FAKE_METHODS,
        "a method of the test fake (`Fake::{}` or `Log::{}`)",
    )
}

/// Every name a request builder has before its parameters': its fields
/// (`client`, `body`) and the methods the emitter gives it (`send` and its
/// private parts; `pages`, `into_stream`, `send_to`, `send_items` where
/// they apply). Parameters are fields and, when optional, setters of the
/// builder, so they claim their names after these.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "headers",
    "header",
    "body",
    "send",
    "send_with_response",
    "into_request",
    "decode",
    "error",
    "pages",
    "into_stream",
    "send_to",
    "send_items",
];

/// The namespace of a request builder's members (see [`BUILDER_MEMBERS`]).
pub fn builder_members() -> Namespace {
    Namespace::with_reserved(BUILDER_MEMBERS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronym_prefixes_stay_one_word() {
        assert_eq!(snake("GetIModels"), "get_imodels");
        assert_eq!(snake("iModelId"), "imodel_id");
        assert_eq!(snake("iTwinId"), "itwin_id");
        assert_eq!(camel("iModel"), "IModel");
        assert_eq!(camel("GetIModels"), "GetIModels");
    }

    #[test]
    fn separators_and_symbols() {
        assert_eq!(snake("$top"), "top");
        assert_eq!(snake("$orderBy"), "order_by");
        assert_eq!(snake("x-ms-blob-type"), "x_ms_blob_type");
        assert_eq!(snake("_links"), "links");
        assert_eq!(camel("return=minimal"), "ReturnMinimal");
        assert_eq!(camel("not-initialized"), "NotInitialized");
        assert_eq!(snake("HTTPServer"), "http_server");
    }

    #[test]
    fn keywords_and_digits() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(snake("1st"), "_1st");
        assert_eq!(camel("1st"), "V1st");
        assert_eq!(camel(""), "Value");
        assert_eq!(snake("$"), "field");
    }

    #[test]
    fn namespace_disambiguates_in_claim_order() {
        let mut ns = Namespace::default();
        assert_eq!(ns.claim("Foo"), "Foo");
        assert_eq!(ns.claim("Foo"), "Foo2");
        assert_eq!(ns.claim("foo_bar"), "foo_bar");
        assert_eq!(ns.claim("foo_bar"), "foo_bar_2");
        // Keyword escapes: the numbered name stays in its case convention.
        assert_eq!(ns.claim("Self_"), "Self_");
        assert_eq!(ns.claim("Self_"), "Self2");
        assert_eq!(ns.claim("self_"), "self_");
        assert_eq!(ns.claim("self_"), "self_2");
        assert_eq!(ns.claim("_2fa"), "_2fa");
        assert_eq!(ns.claim("_2fa"), "_2fa_2");
    }

    /// `CLIENT_METHODS` is exactly what the runtime's sources define on
    /// `Client`: the fns of its inherent impls, of the traits implemented
    /// for it, and of the traits it derives.
    #[test]
    fn client_methods_are_the_runtimes() {
        let mut defined = std::collections::BTreeSet::new();
        for (path, source) in crate::emit::runtime_sources() {
            defined.extend(methods_defined_on(path, source, &["Client"]));
        }
        let listed: std::collections::BTreeSet<String> =
            CLIENT_METHODS.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            listed, defined,
            "names::CLIENT_METHODS is not what the runtime defines"
        );
    }

    /// `FAKE_METHODS` is exactly what the runtime's `fake.rs` defines on
    /// `Fake` and `Log`, counted as for `Client` above.
    #[test]
    fn fake_methods_are_the_runtimes() {
        let (path, source) = crate::emit::runtime_sources()
            .into_iter()
            .find(|(path, _)| path.ends_with("fake.rs"))
            .expect("the runtime has fake.rs");
        let defined = methods_defined_on(path, source, &["Fake", "Log"]);
        let listed: std::collections::BTreeSet<String> =
            FAKE_METHODS.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            listed, defined,
            "names::FAKE_METHODS is not what fake.rs defines"
        );
    }

    /// The methods a runtime file gives the types named `owners`: the fns of
    /// their impl blocks (inherent or of a trait) and of the traits they
    /// derive.
    fn methods_defined_on(
        path: &str,
        source: &str,
        owners: &[&str],
    ) -> std::collections::BTreeSet<String> {
        let owned = |ty: &syn::Type| {
            matches!(ty, syn::Type::Path(p) if p.path.segments.last()
                .is_some_and(|s| owners.iter().any(|o| s.ident == o)))
        };
        let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut defined = std::collections::BTreeSet::new();
        for item in &file.items {
            match item {
                syn::Item::Impl(block) if owned(&block.self_ty) => {
                    for member in &block.items {
                        if let syn::ImplItem::Fn(f) = member {
                            defined.insert(f.sig.ident.to_string());
                        }
                    }
                }
                syn::Item::Struct(s) if owners.iter().any(|o| s.ident == o) => {
                    for attr in s.attrs.iter().filter(|a| a.path().is_ident("derive")) {
                        attr.parse_nested_meta(|meta| {
                            let methods: &[&str] = match meta.path.get_ident() {
                                Some(t) if t == "Clone" => &["clone", "clone_from"],
                                Some(t) if t == "Debug" => &["fmt"],
                                other => panic!(
                                    "{path}: derive {other:?} on {}: add its methods here",
                                    s.ident
                                ),
                            };
                            defined.extend(methods.iter().map(|m| m.to_string()));
                            Ok(())
                        })
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                    }
                }
                _ => {}
            }
        }
        defined
    }

    #[test]
    fn noted_claims_say_who_has_the_name() {
        let mut ns = Namespace::with_reserved(&["Option"]);
        let mut notes = Vec::new();
        assert_eq!(ns.claim_noted("FooBar", "#/a", &mut notes), "FooBar");
        assert!(notes.is_empty());
        assert_eq!(ns.claim_noted("FooBar", "#/b", &mut notes), "FooBar2");
        assert_eq!(ns.claim_noted("Option", "#/c", &mut notes), "Option2");
        assert_eq!(
            notes,
            [
                "#/b: named `FooBar2` in Rust because `FooBar` is the name of #/a",
                "#/c: named `Option2` in Rust because `Option` is a name the generated code uses itself",
            ]
        );
    }
}
