//! What a run of the generator is asked to do beyond what the document says.

use std::path::PathBuf;

/// Settings of a run that are not in the document.
#[derive(Debug, Clone)]
pub struct Options {
    /// Package name (`imodels-client`).
    pub crate_name: String,
    /// Package version.
    pub crate_version: String,
    /// Directory with `Cargo.toml.tera` and `README.md.tera`; the built-in
    /// templates are used when `None`.
    pub templates: Option<PathBuf>,
    /// Copy the templates directory's `examples/*.rs` into the crate. They
    /// call one API's operations, so a driver turns this off for documents
    /// they were not written for.
    pub examples: bool,
    /// Give operations that share an operationId names of their own (the
    /// ones the duplicate-operationId error suggests), each with a note in
    /// the model, instead of failing. Off by default: a duplicate is a
    /// defect of the document, and the names it gets are a guess.
    pub auto_rename_duplicates: bool,
}

impl Default for Options {
    /// [`Options::new`] for a crate named `client`.
    fn default() -> Self {
        Options::new("client")
    }
}

impl Options {
    /// Options with the given crate name, version `0.1.0` and the built-in
    /// templates.
    pub fn new(crate_name: impl Into<String>) -> Self {
        Options {
            crate_name: crate_name.into(),
            crate_version: "0.1.0".into(),
            templates: None,
            examples: true,
            auto_rename_duplicates: false,
        }
    }
}
