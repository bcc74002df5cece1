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

pub mod build;
pub mod cli;
pub mod documents;
pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod names;
pub mod normalize;
pub mod oas32;
pub mod options;
pub mod output;
pub mod overlay;
pub mod overrides;
pub mod precheck;
pub mod refs;
pub mod report;
pub mod sources;
pub mod surface;

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
