//! An OpenAPI 3.0/3.1/3.2 → Rust client generator.
//!
//! The pipeline runs one way, each stage a module you can call alone:
//!
//! 1. [`load`]: text → `openapiv3::OpenAPI` (3.1 normalised by [`normalize`]);
//! 2. [`build`]: document → [`model::Api`], the intermediate model;
//! 3. [`emit`]: model → files of a crate (Rust via quote and prettyplease,
//!    the rest via tera templates).
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

pub mod build;
pub mod cli;
pub mod documents;
pub mod emit;
pub mod error;
pub mod http;
pub mod load;
pub mod model;
pub mod names;
pub mod normalize;
pub mod oas32;
pub mod options;
pub mod output;
pub mod overlay;
pub mod overrides;
mod pointer;
pub mod precheck;
pub mod refs;
pub mod report;
pub mod sources;
pub use emit::surface;

pub use emit::CrateFile;
pub use error::{Error, Result};
pub use options::Options;

/// Runs the whole pipeline on the text of a document.
pub fn generate(spec_text: &str, options: &Options) -> Result<Vec<CrateFile>> {
    generate_value(load::parse_text(spec_text)?, options)
}

/// Runs the whole pipeline on a document already parsed into a JSON value
/// (several documents merged, overrides applied: see [`documents`]).
pub fn generate_value(document: serde_json::Value, options: &Options) -> Result<Vec<CrateFile>> {
    emit::emit_crate(&model_value(document, options)?, options)
}

/// The model of a document already parsed into a JSON value: load and build,
/// without emitting (a driver that prints the model's notes, then calls
/// [`emit::emit_crate`]).
///
/// Every problem is reported: the parts of the document that do not fit the
/// OpenAPI schema are set aside (see [`load::load_repaired`]) and the model
/// is still built from the rest, to find its problems too.
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
