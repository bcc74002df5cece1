//! What a run of the generator is asked to do beyond what the document says.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// Settings of a run that are not in the document.
#[derive(Debug, Clone)]
pub struct Options {
    /// Package name (`imodels-client`).
    pub crate_name: String,
    /// Package version.
    pub crate_version: String,
    /// The crate's `Cargo.toml` and README templates and its example
    /// programs, read by the driver ([`Templates::read`]); the built-in
    /// templates, and no examples, when `None`.
    pub templates: Option<Templates>,
    /// Copy the templates' examples into the crate. They
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

/// Template files a templates directory must provide, and the crate file
/// each one renders.
pub const TEMPLATE_NAMES: &[(&str, &str)] = &[
    ("Cargo.toml.tera", "Cargo.toml"),
    ("README.md.tera", "README.md"),
];

/// The crate's non-Rust files as text. A driver reads them from a directory
/// ([`Templates::read`]) and hands them over in [`Options`], so that
/// generating a crate reads no file: a build script or a test can give
/// them from memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Templates {
    /// The tera templates, by file name ([`TEMPLATE_NAMES`]), and their text.
    pub files: Vec<(String, String)>,
    /// Example programs for the crate's `examples/`: file name and text, in
    /// name order, copied as written.
    pub examples: Vec<(String, String)>,
}

impl Templates {
    /// Reads every template of [`TEMPLATE_NAMES`] from `dir` (each must
    /// exist) and the `*.rs` files of `dir/examples/`, if there is one.
    pub fn read(dir: &Path) -> Result<Templates> {
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|e| {
                Error::general(
                    ErrorKind::Io,
                    format!("cannot read {}: {e}", path.display()),
                )
            })
        };
        let mut files = Vec::new();
        for (name, _) in TEMPLATE_NAMES {
            let path = dir.join(name);
            let text = read(&path)
                .map_err(|e| Error::general(ErrorKind::Io, format!("template {name}: {e}")))?;
            files.push((name.to_string(), text));
        }
        let mut examples = Vec::new();
        let examples_dir = dir.join("examples");
        if examples_dir.is_dir() {
            let list_error = |e: std::io::Error| {
                Error::general(
                    ErrorKind::Io,
                    format!("cannot read {}: {e}", examples_dir.display()),
                )
            };
            let mut paths = Vec::new();
            for entry in std::fs::read_dir(&examples_dir).map_err(list_error)? {
                let path = entry.map_err(list_error)?.path();
                if path.extension().is_some_and(|e| e == "rs") {
                    paths.push(path);
                }
            }
            paths.sort();
            for path in paths {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                examples.push((name, read(&path)?));
            }
        }
        Ok(Templates { files, examples })
    }

    /// The text of the template with this file name.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, text)| text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_examples_are_read_and_a_missing_template_is_named() {
        let dir = tempfile::tempdir().expect("temporary directory");
        std::fs::write(dir.path().join("Cargo.toml.tera"), "[package]").expect("write");
        let error = Templates::read(dir.path()).expect_err("README.md.tera is missing");
        assert!(error.to_string().contains("README.md.tera"), "{error}");

        std::fs::write(dir.path().join("README.md.tera"), "# {{ crate_name }}").expect("write");
        std::fs::create_dir(dir.path().join("examples")).expect("mkdir");
        for name in ["b.rs", "a.rs", "notes.txt"] {
            std::fs::write(dir.path().join("examples").join(name), name).expect("write");
        }
        let templates = Templates::read(dir.path()).expect("complete templates");
        assert_eq!(templates.get("Cargo.toml.tera"), Some("[package]"));
        assert_eq!(templates.get("README.md.tera"), Some("# {{ crate_name }}"));
        let examples: Vec<&str> = templates.examples.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(examples, ["a.rs", "b.rs"]);
    }
}
