//! The project's task runner: `cargo xtask <task>`.
//!
//! - `codegen [--check] [--spec FILE] [--out DIR] [--crate-name NAME]`:
//!   regenerate a client crate (by default the iModels client in
//!   `generated-client/` from `spec/imodels-v2.yaml`); with `--check`, change
//!   nothing and fail, naming the stale files, if the crate on disk differs.
//! - `corpus [--generate-only]`: generate a crate from every real-world
//!   document in `tests/corpus/` and check each against its expected status
//!   (see `corpus.rs`); the crates that generate must pass clippy.
//! - `test`: everything CI checks, in the order that fails fastest:
//!   formatting, freshness of `generated-client/`, clippy with warnings
//!   denied, the whole test suite, rustdoc with warnings denied, and the
//!   corpus check.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const DEFAULT_SPEC: &str = "spec/imodels-v2.yaml";
const DEFAULT_OUT: &str = "generated-client";
const DEFAULT_CRATE: &str = "imodels-client";
const TEMPLATES: &str = "templates";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
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
  cargo xtask codegen [--check] [--spec FILE] [--out DIR] [--crate-name NAME]
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
    spec: PathBuf,
    out: PathBuf,
    crate_name: String,
}

fn parse_codegen(args: &[String]) -> Result<CodegenArgs, String> {
    let root = root();
    let mut parsed = CodegenArgs {
        check: false,
        spec: root.join(DEFAULT_SPEC),
        out: root.join(DEFAULT_OUT),
        crate_name: DEFAULT_CRATE.to_string(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = PathBuf::from(value("--spec")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--crate-name" => parsed.crate_name = value("--crate-name")?,
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn codegen(args: &[String]) -> Result<(), String> {
    let args = parse_codegen(args)?;
    let text = std::fs::read_to_string(&args.spec)
        .map_err(|e| format!("cannot read {}: {e}", args.spec.display()))?;
    let mut options = generator::Options::new(&args.crate_name);
    options.templates = Some(root().join(TEMPLATES));
    let files = generator::generate(&text, &options)
        .map_err(|e| format!("{}: {e}", args.spec.display()))?;

    if args.check {
        let stale: Vec<String> = files
            .iter()
            .filter(|f| {
                std::fs::read_to_string(args.out.join(&f.path))
                    .ok()
                    .as_deref()
                    != Some(f.contents.as_str())
            })
            .map(|f| args.out.join(&f.path).display().to_string())
            .collect();
        if stale.is_empty() {
            println!(
                "{} is up to date with {}",
                args.out.display(),
                args.spec.display()
            );
            return Ok(());
        }
        return Err(format!(
            "{} is stale; run `cargo xtask codegen`. Files that differ:\n  {}",
            args.out.display(),
            stale.join("\n  ")
        ));
    }

    for file in &files {
        let path = args.out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // Leave untouched files alone so that cargo does not rebuild them.
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    println!(
        "generated {} files in {} from {}",
        files.len(),
        args.out.display(),
        args.spec.display()
    );
    Ok(())
}

/// Runs a command in the workspace root, failing with its name if it fails.
fn run(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let shown = format!("{program} {}", args.join(" "));
    println!("\n== {shown}");
    let status = std::process::Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

fn run_all_checks() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    run(&cargo, &["fmt", "--all", "--", "--check"], &[])?;
    println!("\n== cargo xtask codegen --check");
    codegen(&["--check".to_string()])?;
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
