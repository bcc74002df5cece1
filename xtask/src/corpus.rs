//! `cargo xtask corpus`: the generator against real-world documents.
//!
//! Every document of `../shared/specs/` (real-world documents beside the
//! repository, as on the team's machines and CI; see its MANIFEST.md; read,
//! never copied or edited) has an expected outcome in [`EXPECTED`]: either it generates a crate that must then pass clippy and
//! rustdoc with warnings denied, or it fails with exactly the located error written
//! there. A regression and an improvement both fail the check, so the table
//! (and the one in README.md) stays an honest record of what works.
//!
//! All crates that generate go into one cargo workspace under
//! `target/corpus/` and are checked by one cargo invocation with one target
//! directory, the one the fixture compile check uses, so that the
//! dependencies (reqwest, tokio, serde) are compiled once for both.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::cargo_env::{fit_lock, without_outer_package_vars, LOCKED_OFFLINE};

/// What a document is expected to do.
pub enum Expect {
    /// Generates a crate of this quality that compiles with no warnings and
    /// passes clippy.
    Compiles(Quality),
    /// Generation fails with exactly this message (`pointer: reason`).
    /// No document needs it today; it stays so that one the generator
    /// cannot handle yet can be recorded without weakening the check.
    #[allow(dead_code)]
    Fails(&'static str),
}

/// What a document gives, beyond "it generates": a crate that lost
/// operations, or whose schemas degraded to untyped JSON, would still
/// compile. Each number must match exactly; a change either way fails until
/// the table is updated (a gain is recorded as such).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quality {
    /// Operations (methods of the client).
    pub operations: usize,
    /// Named types (structs, enums, unions, aliases).
    pub types: usize,
    /// Notes: what the generator ignored or rewrote.
    pub notes: usize,
    /// Untyped fallbacks (a schema the generator could not type):
    /// `serde_json::Value` in the emitted types, plus the operations'
    /// parameters, request bodies and responses that are (or hold) one,
    /// counted in the model: a method more per operation (`send_with_response`) mentions
    /// the same output again without being a new fallback.
    pub untyped: usize,
}

/// Whether `t` is, or holds, an untyped JSON value.
fn untyped(t: &generator::model::TypeRef) -> bool {
    use generator::model::TypeRef;
    match t {
        TypeRef::Json => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => untyped(inner),
        _ => false,
    }
}

impl Quality {
    fn of(api: &generator::model::Api, files: &[generator::CrateFile]) -> Quality {
        let in_types: usize = files
            .iter()
            .filter(|f| f.path.to_str() == Some("src/types.rs"))
            .map(|f| f.contents.matches("serde_json::Value").count())
            .sum();
        let in_operations: usize = api
            .operations
            .iter()
            .map(|op| {
                let params = op.params.iter().filter(|p| untyped(&p.ty)).count();
                let body = op.body.as_ref().is_some_and(|b| untyped(&b.ty));
                // Success and error responses alike: one each whose body is untyped.
                let responses = op
                    .success
                    .iter()
                    .chain(&op.errors)
                    .filter(|r| r.body.as_ref().is_some_and(|(_, t)| untyped(t)))
                    .count();
                params + usize::from(body) + responses
            })
            .sum();
        let untyped = in_types + in_operations;
        Quality {
            operations: api.operations.len(),
            types: api.types.len(),
            notes: api.notes.len(),
            untyped,
        }
    }
}

/// The corpus: file name, crate name, expected outcome. Every document of
/// `../shared/specs/` must be listed. Keep README.md's table in step.
pub const EXPECTED: &[(&str, &str, Expect)] = &[
    ("keeper.json", "keeper-client", Expect::Compiles(KEEPER)),
    (
        "propolis-server.json",
        "propolis-server-client",
        Expect::Compiles(PROPOLIS),
    ),
    (
        "buildomat.json",
        "buildomat-client",
        Expect::Compiles(BUILDOMAT),
    ),
    ("nexus.json", "nexus-client", Expect::Compiles(NEXUS)),
    (
        "api.github.com.json",
        "github-client",
        Expect::Compiles(GITHUB),
    ),
];

const KEEPER: Quality = Quality {
    operations: 6,
    types: 12,
    notes: 0,
    untyped: 0,
};
const PROPOLIS: Quality = Quality {
    operations: 7,
    types: 36,
    // Its `Error` schema is named `ModelError` (`crate::Error` is the
    // client's), with a note.
    notes: 1,
    untyped: 1,
};
const BUILDOMAT: Quality = Quality {
    operations: 21,
    types: 23,
    notes: 0,
    untyped: 2,
};
const NEXUS: Quality = Quality {
    operations: 193,
    types: 355,
    // Its `Error` schema is named `ModelError` (`crate::Error` is the
    // client's), with a note.
    notes: 1,
    untyped: 7,
};
const GITHUB: Quality = Quality {
    operations: 767,
    // 1128 until an `allOf` part behind a `$ref` was read at its own place:
    // `AppsCreateFromManifest201ResponsePermissions` was a copy of
    // `IntegrationPermissions`.
    types: 1127,
    notes: 0,
    untyped: 53,
};

/// Documents in the corpus folder that [`EXPECTED`] does not list: each
/// must be given its expected outcome, or it would be silently skipped.
fn unlisted(dir: &Path) -> Result<Vec<String>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut unlisted: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|name| {
            [".json", ".yaml", ".yml"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .filter(|name| EXPECTED.iter().all(|(file, _, _)| file != name))
        .collect();
    unlisted.sort();
    Ok(unlisted)
}

/// Runs the corpus check. With `generate_only`, stops after comparing the
/// generation outcomes (no cargo run).
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let generate_only = match args {
        [] => false,
        [flag] if flag == "--generate-only" => true,
        _ => return Err("usage: cargo xtask corpus [--generate-only]".into()),
    };
    let dir = root.join("..").join("shared").join("specs");
    if !dir.is_dir() {
        return Err(format!(
            "the corpus is read from {} (the shared folder beside the repository, as on CI), which is missing",
            dir.display()
        ));
    }
    let workspace = root.join("target").join("corpus");
    let mut members = Vec::new();
    let mut mismatches: Vec<String> = unlisted(&dir)?
        .into_iter()
        .map(|name| {
            format!("{name}: not listed in xtask/src/corpus.rs: give it its expected outcome")
        })
        .collect();
    for (file, crate_name, expect) in EXPECTED {
        let spec = dir.join(file);
        let text = std::fs::read_to_string(&spec)
            .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
        let started = Instant::now();
        let options = generator::Options::new(*crate_name);
        let outcome = generator::parse_text(&text)
            .and_then(|document| generator::model_value(document, &options))
            .and_then(|api| {
                let files = generator::emit_crate(&api, &options)?;
                Ok((Quality::of(&api, &files), files))
            });
        let took = started.elapsed();
        match (outcome, expect) {
            (Ok((quality, files)), Expect::Compiles(expected)) => {
                println!(
                    "{file}: generated {} files in {took:.2?}: {quality:?}",
                    files.len()
                );
                if quality != *expected {
                    mismatches.push(format!(
                        "{file}: gives {quality:?}, the table says {expected:?}: \
                         a loss is a regression to fix; a gain, update xtask/src/corpus.rs"
                    ));
                }
                write_crate(&workspace.join(crate_name), &files)?;
                members.push(*crate_name);
            }
            (Err(e), Expect::Fails(message)) if e.to_string() == *message => {
                println!("{file}: fails as expected: {e}");
            }
            (Ok(_), Expect::Fails(message)) => mismatches.push(format!(
                "{file}: now generates (expected to fail with `{message}`): \
                 make it `Expect::Compiles` in xtask/src/corpus.rs and README.md"
            )),
            (Err(e), Expect::Compiles(_)) => {
                mismatches.push(format!("{file}: expected to generate, fails: {e}"))
            }
            (Err(e), Expect::Fails(message)) => mismatches.push(format!(
                "{file}: fails differently:\n    expected: {message}\n    got:      {e}"
            )),
        }
    }
    if !mismatches.is_empty() {
        return Err(format!(
            "the corpus does not match its expected status:\n  {}",
            mismatches.join("\n  ")
        ));
    }
    if generate_only || members.is_empty() {
        return Ok(());
    }
    write_workspace(root, &workspace, &members)?;
    check(root, &workspace)
}

/// Writes a crate's files, leaving unchanged files alone so that cargo can
/// skip crates whose output did not change, and deletes the files an earlier
/// generator wrote that this one does not (a runtime module that moved).
fn write_crate(dir: &Path, files: &[generator::CrateFile]) -> Result<(), String> {
    generator::output::write(dir, files)
        .map(drop)
        .map_err(|e| format!("cannot write the crate in {}: {e}", dir.display()))
}

fn write_workspace(root: &Path, workspace: &Path, members: &[&str]) -> Result<(), String> {
    let quoted: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        quoted.join(", ")
    );
    // Rewriting an unchanged manifest would make cargo check every crate again.
    let write = |path: PathBuf, contents: &str| {
        if std::fs::read_to_string(&path).ok().as_deref() == Some(contents) {
            return Ok(());
        }
        std::fs::write(&path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(workspace.join("Cargo.toml"), &manifest)?;
    // The workspace's lock file pins the dependency versions the main build
    // uses: no fresh resolution, no version drift between the two checks.
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    fit_lock(&cargo(), workspace, &lock)
}

/// The cargo that runs us.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

fn check(root: &Path, workspace: &Path) -> Result<(), String> {
    // No `--all-targets`: generated crates have no tests of their own, and
    // `lib test` would check the same (large) code a second time.
    let clippy = [
        "clippy",
        LOCKED_OFFLINE[0],
        LOCKED_OFFLINE[1],
        "--workspace",
        // Report every crate that fails, not only the first.
        "--keep-going",
        "--quiet",
        "--",
        "-D",
        "warnings",
    ];
    if !cargo_in(root, workspace, "clippy", &clippy)? {
        return Err("the generated corpus crates do not pass clippy".into());
    }
    // Their docs, too: document prose (HTML-like text, brackets, bare URLs)
    // must come out as rustdoc that builds without warnings.
    let doc = [
        "doc",
        LOCKED_OFFLINE[0],
        LOCKED_OFFLINE[1],
        "--workspace",
        "--no-deps",
        "--keep-going",
        "--quiet",
    ];
    if !cargo_in(root, workspace, "rustdoc", &doc)? {
        return Err("the generated corpus crates' docs do not build without warnings".into());
    }
    Ok(())
}

/// Runs cargo with `args` in the corpus workspace, warnings denied, and
/// says whether it succeeded.
fn cargo_in(root: &Path, workspace: &Path, what: &str, args: &[&str]) -> Result<bool, String> {
    println!("\n== (in {}) cargo {}", workspace.display(), args.join(" "));
    let started = Instant::now();
    let status = without_outer_package_vars(&mut Command::new(cargo()))
        .args(args)
        .current_dir(workspace)
        // The fixture compile check's target directory and flags: the
        // dependencies are built once for both.
        .env(
            "CARGO_TARGET_DIR",
            root.join("target").join("fixture-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    println!("corpus {what} took {:.1?} ({status})", started.elapsed());
    Ok(status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A document dropped into the corpus folder without an entry in the
    /// table fails the check instead of being skipped.
    #[test]
    fn a_document_the_table_does_not_list_is_found() {
        let dir = std::env::temp_dir().join(format!("corpus-unlisted-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create a directory");
        for name in ["keeper.json", "new-api.yaml", "MANIFEST.md"] {
            std::fs::write(dir.join(name), "{}").expect("write");
        }
        let found = unlisted(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found, Ok(vec!["new-api.yaml".to_string()]));
    }
}
