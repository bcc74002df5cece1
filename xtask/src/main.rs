//! The project's task runner: `cargo xtask <task>`.
//!
//! - `codegen [--check] [--config FILE | --spec FILE...] [--overlay FILE]...
//!   [--overrides FILE] [--explain-overlays] [--report FILE] [--out DIR]
//!   [--crate-name NAME] [--auto-rename-duplicates]`: regenerate a client crate (by default the iModels
//!   client in `generated-client/` from what `spec/codegen.yaml` lists: the
//!   vendor's document and our overlays) from one or more documents, then
//!   the overlays in order, then the overrides file (`overrides.yaml` beside
//!   the first spec when present); print what changed in the crate's public
//!   API (and write it as Markdown with `--report`). With `--check`, change
//!   nothing and fail, naming the stale files, if the crate on disk differs.
//! - `bundle [--config FILE | --spec FILE...] [--overlay FILE]... [--out FILE]`:
//!   write the finished document (documents merged, overlays and overrides
//!   applied) as JSON, for other tools (a mock server, a linter).
//! - `corpus [--generate-only]`: generate a crate from every real-world
//!   document of the corpus and check each against its expected status
//!   (see `corpus.rs`); the crates that generate must pass clippy.
//! - `deps`: fail when a direct dependency of the generated crates or the
//!   runtime is a major version behind crates.io's newest (`currency.rs`;
//!   skipped, saying so, when offline outside CI).
//! - `test`: everything CI checks, in the order that fails fastest:
//!   formatting, freshness of `generated-client/`, the dependency currency
//!   check, installing the contract
//!   mock (Stoplight Prism, with `npm ci` in `contract/` when it is missing or
//!   the lockfile changed), clippy with warnings denied, the whole test suite,
//!   rustdoc with warnings denied, and the corpus check.

/// See the note on `mimalloc` in Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cargo_env;
mod corpus;
mod currency;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The sources of the iModels client: the vendor's document and our overlays.
const DEFAULT_CONFIG: &str = "spec/codegen.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_CRATE: &str = "imodels-client";
const TEMPLATES: &str = "templates";
/// The npm project pinning Stoplight Prism for `tests/contract.rs`.
const CONTRACT_DIR: &str = "contract";
/// A copy of the lockfile `npm ci` last installed, inside `node_modules` so a
/// fresh clone has none: when it differs from the lockfile, install again.
const INSTALLED_LOCK: &str = "node_modules/.xtask-installed-package-lock.json";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `codegen` and `bundle` are the generator's own command line.
    let shared = generator::cli::run("cargo xtask", &args, &defaults());
    let result = match args.first().map(String::as_str) {
        _ if shared.is_some() => shared.unwrap_or(Ok(())),
        Some("corpus") => corpus::run(&root(), &args[1..]),
        Some("deps") => currency::run(&root()),
        Some("test") => run_all_checks(),
        Some("help") | Some("--help") | None => {
            println!("{}\n{USAGE}", generator::cli::usage("cargo xtask"));
            Ok(())
        }
        Some(other) => Err(format!(
            "unknown task `{other}`\n\n{}\n{USAGE}",
            generator::cli::usage("cargo xtask")
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "  cargo xtask corpus [--generate-only]
  cargo xtask deps
  cargo xtask test";

/// What `cargo xtask codegen` and `bundle` do without flags: the iModels
/// client from `spec/codegen.yaml` into `generated-client/`, with the
/// templates and (for those sources only) their examples.
fn defaults() -> generator::cli::Defaults {
    generator::cli::Defaults {
        config: Some(root().join(DEFAULT_CONFIG)),
        out: Some(root().join(DEFAULT_OUT)),
        crate_name: Some(DEFAULT_CRATE.to_string()),
        templates: Some(root().join(TEMPLATES)),
        examples: is_bundled,
    }
}

/// Whether these are the sources of the bundled iModels client (the default
/// config, nothing added): the examples are written for it.
fn is_bundled(config: Option<&Path>, sources: &generator::Sources) -> bool {
    let default_path = root().join(DEFAULT_CONFIG);
    let default = generator::Sources::from_config(&relative(&default_path)).ok();
    let same_config = match (config, std::fs::canonicalize(&default_path)) {
        (Some(config), Ok(default)) => std::fs::canonicalize(config).ok() == Some(default),
        _ => false,
    };
    same_config && default.as_ref() == Some(sources)
}

/// `path` relative to the current directory when it is below it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|dir| path.strip_prefix(dir).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Runs a command in the workspace root, failing with its name if it fails.
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    run_in(&root(), program, args, env)
}

/// Runs a command in `dir`, failing with its name if it fails.
fn run_in(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let shown = format!("{program} {}", args.join(" "));
    println!("\n== {shown} (in {})", dir.display());
    let status = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Installs Stoplight Prism for the contract suite with `npm ci` unless the
/// installed copy came from the current lockfile.
fn install_contract_mock() -> Result<(), String> {
    let dir = root().join(CONTRACT_DIR);
    let lock_path = dir.join("package-lock.json");
    let lock = std::fs::read(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let prism = dir.join("node_modules").join(".bin").join("prism");
    let installed = dir.join(INSTALLED_LOCK);
    if prism.exists() && std::fs::read(&installed).ok().as_deref() == Some(lock.as_slice()) {
        println!(
            "\n== Stoplight Prism is installed from the current {CONTRACT_DIR}/package-lock.json"
        );
        return Ok(());
    }
    // npm is a batch file on Windows, which Command does not run by its bare name.
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    for tool in ["node", npm] {
        let works = std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !works {
            return Err(format!(
                "`{tool}` is not available: the contract suite (tests/contract.rs) runs Stoplight \
                 Prism, installed from {CONTRACT_DIR}/package.json with npm. Install Node.js 18 or \
                 newer with npm, then run `cargo xtask test` again."
            ));
        }
    }
    // --ignore-scripts: Prism's post-install script only sends analytics.
    run_in(
        &dir,
        npm,
        &["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        &[],
    )?;
    std::fs::write(&installed, &lock)
        .map_err(|e| format!("cannot write {}: {e}", installed.display()))
}

fn run_all_checks() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    run(&cargo, &["fmt", "--all", "--", "--check"], &[])?;
    println!("\n== cargo xtask codegen --check");
    let check = ["codegen".to_string(), "--check".to_string()];
    generator::cli::run("cargo xtask", &check, &defaults()).unwrap_or(Ok(()))?;
    println!("\n== cargo xtask deps");
    currency::run(&root())?;
    install_contract_mock()?;
    run(
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            // The fake of users' tests is off by default.
            "--features",
            "imodels-client/testing",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // One tag's feature alone (`tests/compile_fixtures.rs` tries every
    // subset on a smaller crate).
    for features in ["changesets", "imodels,testing"] {
        run(
            &cargo,
            &[
                "clippy",
                "-p",
                "imodels-client",
                "--no-default-features",
                "--features",
                features,
                "--",
                "-D",
                "warnings",
            ],
            &[],
        )?;
    }
    run(&cargo, &["test", "--workspace"], &[])?;
    run(
        &cargo,
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    println!("\n== cargo xtask corpus");
    corpus::run(&root(), &[])?;
    println!("\nall checks passed");
    Ok(())
}
