//! An OpenAPI 3.0/3.1/3.2 → Rust client generator.
//!
//! The pipeline runs one way, each stage a function you can call alone:
//!
//! 1. load ([`parse_text`], then [`load_value`]; or [`load_str`]): text →
//!    [`Loaded`], an `openapiv3::OpenAPI` (3.1 and 3.2 spellings rewritten
//!    into 3.0 ones first);
//! 2. [`build`]: document → [`model::Api`], the intermediate model;
//! 3. [`emit_crate`]: model → files of a crate (Rust via quote and
//!    prettyplease, the rest via tera templates).
//!
//! [`generate`] runs all three. Failures are [`Error`]s that name the place in
//! the document as a JSON pointer; the generator never panics on input.
//!
//! # From a `build.rs`
//!
//! With `openapi-rust-generator` in `[build-dependencies]` (its library is
//! named `generator`), a build script can run the stages itself: read the
//! document, [`generate`] the crate's files, and [`output::write`] them
//! (the directory ends up holding exactly those files):
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     println!("cargo::rerun-if-changed=openapi.yaml");
//!     let text = std::fs::read_to_string("openapi.yaml")?;
//!     let mut options = generator::Options::new("my-client");
//!     options.examples = false; // the built-in examples are for one API
//!     let files = generator::generate(&text, &options)?;
//!     let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("my-client");
//!     generator::output::write(&out, &files)?;
//!     Ok(())
//! }
//! ```
//!
//! or hand the same arguments as the command line (overlays, overrides,
//! `--check`) to [`cli::run`], with [`cli::Defaults`] of its own:
//!
//! ```no_run
//! // build.rs's `main`
//! let defaults = generator::cli::Defaults {
//!     config: None,
//!     out: None,
//!     crate_name: Some("my-client".into()),
//!     templates: None,
//!     examples: |_, _| false,
//! };
//! let args: Vec<String> = ["codegen", "--spec", "openapi.yaml", "--out", "my-client"]
//!     .map(String::from)
//!     .into();
//! if let Some(Err(message)) = generator::cli::run("build.rs", &args, &defaults) {
//!     panic!("{message}");
//! }
//! ```

// The stages and their helpers are private: what callers use is
// re-exported below, so the rest can change without breaking them (and the
// compiler finds what nothing uses).
mod build;
mod documents;
mod emit;
mod error;
mod http;
mod load;
mod names;
mod normalize;
mod oas32;
mod options;
mod pointer;
mod precheck;
mod refs;
mod schema_walk;
mod sources;

// Modules whose every public item is the API, kept whole: data that
// callers read field by field (the model; the API surface and its diff;
// overlay and overrides documents), or a small interface of its own (the
// command line of xtask, the binary and build scripts; writing the files).
pub mod cli;
pub mod model;
pub mod output;
pub mod overlay;
pub mod overrides;
pub mod report;
pub use emit::surface;

pub use build::{build, build_with, RESERVED_FEATURES};
pub use documents::{
    load_files, load_with_overrides, merge as merge_documents, Document, Merged, OVERRIDES_FILE,
};
pub use emit::{emit_crate, CrateFile};
pub use error::{Error, ErrorKind, Problem, Result};
pub use load::{load_str, load_value, parse_text, Loaded};
pub use names::{snake, CLIENT_METHODS, FAKE_METHODS};
pub use options::{Options, Templates, TEMPLATE_NAMES};
pub use sources::{Prepared, Sources};

/// Runs the whole pipeline on the text of a document.
pub fn generate(spec_text: &str, options: &Options) -> Result<Vec<CrateFile>> {
    generate_value(load::parse_text(spec_text)?, options)
}

/// Runs the whole pipeline on a document already parsed into a JSON value
/// (several documents merged, overlays and overrides applied: see
/// [`Sources`] and [`load_files`]).
pub fn generate_value(document: serde_json::Value, options: &Options) -> Result<Vec<CrateFile>> {
    emit::emit_crate(&model_value(document, options)?, options)
}

/// The model of a document already parsed into a JSON value: load and build,
/// without emitting (a driver that prints the model's notes, then calls
/// [`emit_crate`]).
///
/// Every problem is reported: the parts of the document that do not fit the
/// OpenAPI schema are set aside (each reported, and replaced or removed)
/// and the model is still built from the rest, to find its problems too.
pub fn model_value(document: serde_json::Value, options: &Options) -> Result<model::Api> {
    let (loaded, problems) = load::load_repaired(document)?;
    let built = build::build_with(&loaded, options);
    match (problems, built) {
        (None, built) => built,
        (Some(error), Ok(_)) => Err(error),
        (Some(mut error), Err(more)) => {
            error.extend(more);
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn kind_of(text: &str) -> Option<ErrorKind> {
        generate(text, &Options::new("x")).err()?.kind()
    }

    fn get_a(responses: &str) -> String {
        format!("{HEADER}paths:\n  /a:\n    get:\n      responses: {responses}\n")
    }

    #[test]
    fn each_stage_says_what_kind_of_problem_it_found() {
        use ErrorKind::*;
        assert_eq!(kind_of("openapi: [unclosed"), Some(Parse));
        assert_eq!(
            kind_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            Some(Unsupported)
        );
        assert_eq!(kind_of("openapi: 4.0.0\ninfo: {}\n"), Some(Unsupported));
        assert_eq!(kind_of(&get_a("{'200': {description: 5}}")), Some(Invalid));
        assert_eq!(
            kind_of(&get_a(
                "{'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}}"
            )),
            Some(Reference)
        );
        assert_eq!(
            kind_of(&format!("{HEADER}paths:\n  /a/{{id}}:\n    get: {{responses: {{'204': {{description: ok}}}}}}\n")),
            Some(Invalid)
        );
        assert_eq!(
            kind_of(&format!(
                "{HEADER}x-api-version: {{header: 'not a token', value: '{{version}}'}}\npaths: {{}}\n"
            )),
            Some(Extension)
        );

        let overlay = overlay::Overlay::parse(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: '$.nothing', remove: true}]\n",
            "o.yaml",
        )
        .expect("an overlay");
        let mut doc = json!({"openapi": "3.0.3"});
        let stale = overlay
            .apply(&mut doc)
            .expect_err("the target matches nothing");
        assert_eq!(stale.kind(), Some(Overlay));

        let document = |name: &str, version: &str| documents::Document {
            name: name.into(),
            requested: true,
            value: json!({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {}}),
        };
        let mixed = documents::merge(vec![
            document("a.yaml", "3.0.3"),
            document("b.yaml", "3.1.0"),
        ])
        .expect_err("3.0 and 3.1");
        assert_eq!(mixed.kind(), Some(Merge));

        let missing =
            documents::load_files(&["/nonexistent/openapi.yaml".into()]).expect_err("no such file");
        assert_eq!(missing.kind(), Some(Io));

        let config = json!({"documents": "a.yaml"});
        let bad = sources::Sources::from_config_value(&config, "c.yaml", std::path::Path::new(""))
            .expect_err("documents is a list");
        assert_eq!(bad.kind(), Some(Config));
    }

    #[test]
    fn every_problem_keeps_its_own_kind() {
        // A dangling $ref and a shape the builder does not take, in one run.
        let text = format!(
            "{HEADER}paths:\n  /a:\n    get:\n      parameters: [{{name: q, in: query, schema: {{type: object, properties: {{a: {{type: string}}}}}}}}]\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Nope'}}}}}}}}}}\n"
        );
        let error = generate(&text, &Options::new("x")).expect_err("two problems");
        let kinds: Vec<ErrorKind> = error.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [ErrorKind::Unsupported, ErrorKind::Reference]);
        assert!(error.has(ErrorKind::Reference));
        assert!(!error.has(ErrorKind::Invalid));
    }
}
