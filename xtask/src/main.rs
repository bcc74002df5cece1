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
//! - `test`: everything CI checks, in the order that fails fastest:
//!   formatting, freshness of `generated-client/`, installing the contract
//!   mock (Stoplight Prism, with `npm ci` in `contract/` when it is missing or
//!   the lockfile changed), clippy with warnings denied, the whole test suite,
//!   rustdoc with warnings denied, and the corpus check.

mod cargo_env;
mod corpus;

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
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("bundle") => bundle(&args[1..]),
        Some("corpus") => corpus::run(&root(), &args[1..]),
        Some("test") => run_all_checks(),
        Some("help") | Some("--help") | None => {
            println!("{}", USAGE);
            Ok(())
        }
        Some(other) => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--config FILE | --spec FILE...] [--overlay FILE]...
                      [--overrides FILE] [--explain-overlays] [--report FILE]
                      [--out DIR] [--crate-name NAME] [--auto-rename-duplicates]
  cargo xtask bundle [--config FILE | --spec FILE...] [--overlay FILE]...
                     [--overrides FILE] [--out FILE]
  cargo xtask corpus [--generate-only]
  cargo xtask test";

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

struct CodegenArgs {
    check: bool,
    /// The config file the sources came from, when they did.
    config: Option<PathBuf>,
    sources: generator::sources::Sources,
    explain: bool,
    /// Give operations that share an operationId the names the duplicate
    /// error suggests, with a note each, instead of failing.
    auto_rename: bool,
    report: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: String,
}

fn parse_codegen(args: &[String]) -> Result<CodegenArgs, String> {
    let mut parsed = CodegenArgs {
        check: false,
        config: None,
        sources: Default::default(),
        explain: false,
        auto_rename: false,
        report: None,
        out: None,
        crate_name: DEFAULT_CRATE.to_string(),
    };
    let mut specs = Vec::new();
    let mut overlays = Vec::new();
    let mut overrides = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--config" => parsed.config = Some(PathBuf::from(value("--config")?)),
            "--spec" => specs.push(PathBuf::from(value("--spec")?)),
            "--overlay" => overlays.push(PathBuf::from(value("--overlay")?)),
            "--overrides" => overrides = Some(PathBuf::from(value("--overrides")?)),
            "--explain-overlays" => parsed.explain = true,
            "--auto-rename-duplicates" => parsed.auto_rename = true,
            "--report" => parsed.report = Some(PathBuf::from(value("--report")?)),
            "--out" => parsed.out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => parsed.crate_name = value("--crate-name")?,
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    parsed.sources = match (&parsed.config, specs.is_empty()) {
        (Some(_), false) => {
            return Err(format!(
                "--config and --spec both name the documents; give one\n\n{USAGE}"
            ))
        }
        (None, false) => generator::sources::Sources {
            documents: specs,
            overlays: Vec::new(),
            overrides: None,
        },
        (config, true) => {
            let config = config
                .clone()
                .unwrap_or_else(|| relative(&root().join(DEFAULT_CONFIG)));
            let sources =
                generator::sources::Sources::from_config(&config).map_err(|e| e.to_string())?;
            parsed.config = Some(config);
            sources
        }
    };
    // Overlays named on the command line run after the config's.
    parsed.sources.overlays.extend(overlays);
    if overrides.is_some() {
        parsed.sources.overrides = overrides;
    }
    Ok(parsed)
}

/// `path` relative to the current directory when it is below it, so that
/// messages name `spec/overlays/fixes.yaml`, as a user would type it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|dir| path.strip_prefix(dir).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Whether these are the sources of the bundled iModels client (the default
/// config, nothing added): the examples are written for it.
fn is_bundled(args: &CodegenArgs) -> bool {
    let default =
        generator::sources::Sources::from_config(&relative(&root().join(DEFAULT_CONFIG))).ok();
    let same_config = match (
        &args.config,
        std::fs::canonicalize(root().join(DEFAULT_CONFIG)),
    ) {
        (Some(config), Ok(default)) => std::fs::canonicalize(config).ok() == Some(default),
        _ => false,
    };
    same_config && default.as_ref() == Some(&args.sources)
}

/// Everything the crate is made from, in the order applied (for messages).
fn describe_sources(args: &CodegenArgs) -> String {
    let sources = &args.sources;
    let mut all: Vec<String> = sources
        .documents
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    all.extend(sources.overlays.iter().map(|p| p.display().to_string()));
    match &args.config {
        Some(config) => format!("{} ({})", config.display(), all.join(" + ")),
        None => all.join(" + "),
    }
}

/// Reads the sources and prints what was applied.
fn prepare(args: &CodegenArgs) -> Result<generator::sources::Prepared, String> {
    let prepared = args.sources.load().map_err(|e| e.to_string())?;
    if !args.sources.overlays.is_empty() {
        let nodes: usize = prepared.applied.iter().map(|a| a.nodes.len()).sum();
        println!(
            "applied {} overlay(s): {} action(s) changing {nodes} node(s){}",
            args.sources.overlays.len(),
            prepared.applied.len(),
            if args.explain {
                ":"
            } else {
                " (--explain-overlays lists them)"
            }
        );
        if args.explain {
            for applied in &prepared.applied {
                println!("  {}", applied.to_string().replace("\n", "\n  "));
            }
        }
    }
    if let Some(path) = &prepared.merged.overrides {
        println!("applied the overrides in {}", path.display());
    }
    Ok(prepared)
}

fn bundle(args: &[String]) -> Result<(), String> {
    let args = parse_codegen(args)?;
    let prepared = prepare(&args)?;
    let text = serde_json::to_string_pretty(prepared.document())
        .map_err(|e| format!("cannot write the document as JSON: {e}"))?;
    match &args.out {
        Some(path) => {
            std::fs::write(path, text + "\n")
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            println!("wrote {} from {}", path.display(), describe_sources(&args));
        }
        None => println!("{text}"),
    }
    Ok(())
}

/// Compares the crate's new `api-surface.json` with the one on disk, prints a
/// summary and writes the Markdown report when asked.
fn report_changes(
    args: &CodegenArgs,
    out: &Path,
    files: &[generator::CrateFile],
) -> Result<(), String> {
    use generator::surface::{Surface, FILE};
    let new = files
        .iter()
        .find(|f| f.path.to_str() == Some(FILE))
        .map(|f| Surface::from_json(&f.contents))
        .transpose()?;
    let old_path = out.join(FILE);
    let old =
        match std::fs::read_to_string(&old_path) {
            Ok(text) => Some(Surface::from_json(&text).map_err(|e| {
                format!("{}: cannot read the previous API: {e}", old_path.display())
            })?),
            Err(_) => None,
        };
    let (summary, markdown) = match (old, new) {
        (Some(old), Some(new)) => {
            let report = generator::report::diff(&old, &new);
            (report.summary(20), report.markdown())
        }
        _ => {
            let missing = format!(
                "no previous {FILE} in {}: nothing to compare the API with",
                out.display()
            );
            let markdown = format!("# Public API changes\n\n{missing}.\n");
            (missing, markdown)
        }
    };
    println!("{summary}");
    if let Some(path) = &args.report {
        std::fs::write(path, markdown)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote the change report to {}", path.display());
    }
    Ok(())
}

fn codegen(args: &[String]) -> Result<(), String> {
    let args = parse_codegen(args)?;
    let specs = describe_sources(&args);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| relative(&root().join(DEFAULT_OUT)));
    let mut options = generator::Options::new(&args.crate_name);
    options.templates = Some(root().join(TEMPLATES));
    // The examples call the iModels operations: another document gets the
    // templates' Cargo.toml and README, not examples that cannot compile.
    options.examples = is_bundled(&args);
    if !options.examples {
        println!("not copying {TEMPLATES}/examples/: they are written for {DEFAULT_CONFIG}");
    }
    let prepared = prepare(&args)?;
    let merged = &prepared.merged;
    options.auto_rename_duplicates = args.auto_rename;
    let api = generator::model_value(merged.document.clone(), &options)
        .map_err(|e| merged.describe(&e))?;
    if args.auto_rename {
        let renames: Vec<&String> = api
            .notes
            .iter()
            .filter(|n| n.ends_with(generator::build::AUTO_RENAMED))
            .collect();
        println!(
            "renamed {} operation(s) that share an operationId:",
            renames.len()
        );
        for note in renames {
            println!("  {note}");
        }
    }
    let files = generator::emit::emit_crate(&api, &options).map_err(|e| merged.describe(&e))?;

    if args.check {
        let drift = generator::output::drift(&out, &files);
        if drift.is_empty() {
            println!("{} is up to date with {}", out.display(), specs);
            return Ok(());
        }
        let mut lines: Vec<String> = drift
            .changed
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        lines.extend(
            drift
                .leftovers
                .iter()
                .map(|p| format!("{} (no longer generated: would be deleted)", p.display())),
        );
        return Err(format!(
            "{} is stale; run `cargo xtask codegen`. Files that differ:\n  {}",
            out.display(),
            lines.join("\n  ")
        ));
    }

    report_changes(&args, &out, &files)?;
    let drift = generator::output::write(&out, &files)
        .map_err(|e| format!("cannot write the crate: {e}"))?;
    for path in &drift.leftovers {
        println!("deleted {} (no longer generated)", path.display());
    }
    println!(
        "generated {} files in {} from {}",
        files.len(),
        out.display(),
        specs
    );
    Ok(())
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
    codegen(&["--check".to_string()])?;
    install_contract_mock()?;
    run(
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
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
