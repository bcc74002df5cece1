//! A generated crate on disk: which files differ from what the generator
//! makes now, and which an earlier run wrote that this one no longer does
//! (a runtime module the API stopped needing, an example that was removed).
//! Leftovers are recognised by [`MARKER`] in their first line, so files a
//! person added to the crate's directory are never touched.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::emit::CrateFile;

/// In the first line of every file the generator writes, except
/// `api-surface.json` (JSON has no comments; it is always written).
pub const MARKER: &str = "by `cargo xtask codegen`";

/// How a directory differs from the files that belong in it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files missing or with other contents.
    pub changed: Vec<PathBuf>,
    /// Generated files that no longer belong (they carry the marker).
    pub leftovers: Vec<PathBuf>,
}

impl Drift {
    /// Whether the directory holds exactly the generated files.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.leftovers.is_empty()
    }
}

/// Compares `dir` with `files` without changing anything.
pub fn drift(dir: &Path, files: &[CrateFile]) -> Drift {
    let changed = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(dir.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .map(|f| dir.join(&f.path))
        .collect();
    let mut leftovers = Vec::new();
    let wanted: Vec<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    collect_leftovers(dir, &wanted, &mut leftovers);
    leftovers.sort();
    Drift { changed, leftovers }
}

/// Makes `dir` hold exactly `files`: writes those that differ (untouched
/// ones keep their modification time, so cargo does not rebuild them) and
/// deletes leftovers. Returns what it changed.
pub fn write(dir: &Path, files: &[CrateFile]) -> std::io::Result<Drift> {
    let drift = drift(dir, files);
    for file in files {
        let path = dir.join(&file.path);
        if !drift.changed.contains(&path) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| context(e, parent))?;
        }
        std::fs::write(&path, &file.contents).map_err(|e| context(e, &path))?;
    }
    for path in &drift.leftovers {
        std::fs::remove_file(path).map_err(|e| context(e, path))?;
    }
    Ok(drift)
}

fn context(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// Walks `dir` (not into `target/`, hidden directories or symbolic links)
/// for marked files that are not `wanted`.
fn collect_leftovers(dir: &Path, wanted: &[PathBuf], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if kind.is_dir() {
            if name != "target" && !name.starts_with('.') {
                collect_leftovers(&path, wanted, out);
            }
        } else if kind.is_file() && !wanted.contains(&path) && is_marked(&path) {
            out.push(path);
        }
    }
}

fn is_marked(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    // A binary file or a long first line is not one of ours.
    match std::io::BufReader::new(file)
        .take(512)
        .read_line(&mut first)
    {
        Ok(_) => first.contains(MARKER),
        Err(_) => false,
    }
}
