//! Everything one crate is generated from, and the order it is applied in:
//! the documents (merged, see [`crate::documents`]), then the overlays
//! ([`crate::overlay`]) in the order given, then the overrides file
//! ([`crate::overrides`]).
//!
//! Overrides come last: they are the older, pointer-based way to patch a
//! document, kept for the files people already have, and applied to the
//! finished document a `rename-operation` can name an operation an overlay
//! added.
//!
//! A config file lists the sources so that a project's `cargo xtask codegen`
//! needs no flags; paths in it are relative to the file:
//!
//! ```yaml
//! documents: [vendor/api.yaml]        # merged in this order
//! overlays:                           # applied in this order
//!   - overlays/fixes.yaml
//!   - overlays/extensions.yaml
//! overrides: overrides.yaml           # optional
//! ```

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::documents::{self, Merged};
use crate::error::{Error, ErrorKind, Result};
use crate::overlay::{Applied, Overlay};

/// The files a crate is generated from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub documents: Vec<PathBuf>,
    pub overlays: Vec<PathBuf>,
    /// The overrides file; when `None`, `overrides.yaml` beside the first
    /// document is used if there is one.
    pub overrides: Option<PathBuf>,
}

/// The document ready to generate from, and what was done to it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub merged: Merged,
    /// What each overlay action changed, in the order they ran.
    pub applied: Vec<Applied>,
}

impl Prepared {
    /// The finished document.
    pub fn document(&self) -> &Value {
        &self.merged.document
    }
}

const CONFIG_FIELDS: [&str; 3] = ["documents", "overlays", "overrides"];

impl Sources {
    /// Reads a config file (YAML or JSON) listing the sources.
    pub fn from_config(path: &Path) -> Result<Sources> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::general(ErrorKind::Io, format!("cannot read {name}: {e}")))?;
        let value =
            crate::load::parse_text(&text).map_err(|e| e.map_pointers(|p| format!("{name}{p}")))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::from_config_value(&value, &name, &dir)
    }

    /// Reads the JSON value of a config file named `name` in `dir`.
    pub fn from_config_value(value: &Value, name: &str, dir: &Path) -> Result<Sources> {
        let here = |at: &str, message: String| {
            Error::at(ErrorKind::Config, format!("{name}#{at}"), message)
        };
        let Some(map) = value.as_object() else {
            return Err(here(
                "",
                "a config is a mapping with `documents` and `overlays`".into(),
            ));
        };
        if let Some(unknown) = map.keys().find(|k| !CONFIG_FIELDS.contains(&k.as_str())) {
            return Err(here(
                &format!("/{unknown}"),
                format!(
                    "unknown field `{unknown}` (a config has {})",
                    CONFIG_FIELDS.join(", ")
                ),
            ));
        }
        let files = |key: &str| -> Result<Vec<PathBuf>> {
            let Some(list) = map.get(key) else {
                return Ok(Vec::new());
            };
            let items = list
                .as_array()
                .ok_or_else(|| here(&format!("/{key}"), "must be a list of file names".into()))?;
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    item.as_str()
                        .map(|file| dir.join(file))
                        .ok_or_else(|| here(&format!("/{key}/{i}"), "must be a file name".into()))
                })
                .collect()
        };
        let documents = files("documents")?;
        if documents.is_empty() {
            return Err(here("/documents", "needs at least one document".into()));
        }
        let overrides = match map.get("overrides") {
            None => None,
            Some(Value::String(file)) => Some(dir.join(file)),
            Some(_) => return Err(here("/overrides", "must be a file name".into())),
        };
        Ok(Sources {
            documents,
            overlays: files("overlays")?,
            overrides,
        })
    }

    /// Merges the documents, applies the overlays in order, then the
    /// overrides.
    pub fn load(&self) -> Result<Prepared> {
        let mut merged = documents::load_files(&self.documents)?;
        let mut applied = Vec::new();
        for path in &self.overlays {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::general(ErrorKind::Io, format!("cannot read {name}: {e}")))?;
            let overlay = Overlay::parse(&text, &name)?;
            applied.extend(overlay.apply(&mut merged.document)?);
            merged.added_by_overlay(&name);
        }
        documents::apply_overrides(&mut merged, &self.documents, self.overrides.as_deref())?;
        Ok(Prepared { merged, applied })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn config_paths_are_relative_to_the_config_and_overrides_are_optional() {
        let sources = Sources::from_config_value(
            &json!({"documents": ["v.yaml", "w.yaml"], "overlays": ["o/a.yaml"]}),
            "spec/codegen.yaml",
            Path::new("spec"),
        )
        .expect("config");
        assert_eq!(
            sources,
            Sources {
                documents: vec!["spec/v.yaml".into(), "spec/w.yaml".into()],
                overlays: vec!["spec/o/a.yaml".into()],
                overrides: None,
            }
        );
        let error = Sources::from_config_value(
            &json!({"documents": ["v.yaml", 3]}),
            "c.yaml",
            Path::new(""),
        )
        .expect_err("not a file name");
        assert_eq!(
            error.to_string(),
            "c.yaml#/documents/1: must be a file name"
        );
    }
}
