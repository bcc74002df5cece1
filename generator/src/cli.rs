//! The generator's command line: `codegen` and `bundle`, shared by the
//! `openapi-rust-generator` binary and the project's own `cargo xtask`,
//! which differ only in their [`Defaults`].

use std::path::{Path, PathBuf};

/// What a driver fills in when the command line does not say.
pub struct Defaults {
    /// The config file (`codegen.yaml`) read when no `--spec` or `--config`
    /// is given; `None` makes one of them required.
    pub config: Option<PathBuf>,
    /// Where the crate goes without `--out`; `None`: `./<crate name>`.
    pub out: Option<PathBuf>,
    /// The crate's name without `--crate-name`; `None` makes it required.
    pub crate_name: Option<String>,
    /// The templates directory without `--templates`; `None`: the built-in
    /// templates.
    pub templates: Option<PathBuf>,
    /// Whether the templates' `examples/` are copied (`--examples` turns it
    /// on too): given the config file and the sources, since examples are
    /// written for one API.
    pub examples: fn(Option<&Path>, &crate::sources::Sources) -> bool,
}

/// The usage text of both drivers (`program` is how the user runs it).
pub fn usage(program: &str) -> String {
    format!(
        "usage:
  {program} codegen [--check] [--config FILE | --spec FILE...] [--overlay FILE]...
                      [--overrides FILE] [--explain-overlays] [--report FILE]
                      [--out DIR] [--crate-name NAME] [--templates DIR] [--examples]
                      [--auto-rename-duplicates]
  {program} bundle [--config FILE | --spec FILE...] [--overlay FILE]...
                     [--overrides FILE] [--out FILE]"
    )
}

/// Runs `codegen` or `bundle` with `args` (the task name first); `None` when
/// the task is neither, for the driver to handle.
pub fn run(program: &str, args: &[String], defaults: &Defaults) -> Option<Result<(), String>> {
    let usage = usage(program);
    match args.first().map(String::as_str) {
        Some("codegen") => Some(codegen(&args[1..], defaults, program, &usage)),
        Some("bundle") => Some(bundle(&args[1..], defaults, &usage)),
        _ => None,
    }
}

struct CodegenArgs {
    check: bool,
    /// The config file the sources came from, when they did.
    config: Option<PathBuf>,
    sources: crate::sources::Sources,
    explain: bool,
    /// Give operations that share an operationId the names the duplicate
    /// error suggests, with a note each, instead of failing.
    auto_rename: bool,
    report: Option<PathBuf>,
    out: Option<PathBuf>,
    crate_name: Option<String>,
    templates: Option<PathBuf>,
    examples: bool,
}

fn parse_codegen(args: &[String], defaults: &Defaults, usage: &str) -> Result<CodegenArgs, String> {
    let mut parsed = CodegenArgs {
        check: false,
        config: None,
        sources: Default::default(),
        explain: false,
        auto_rename: false,
        report: None,
        out: None,
        crate_name: None,
        templates: None,
        examples: false,
    };
    let mut specs = Vec::new();
    let mut overlays = Vec::new();
    let mut overrides = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n\n{usage}"))
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
            "--crate-name" => parsed.crate_name = Some(value("--crate-name")?),
            "--templates" => parsed.templates = Some(PathBuf::from(value("--templates")?)),
            "--examples" => parsed.examples = true,
            other => return Err(format!("unknown argument `{other}`\n\n{usage}")),
        }
    }
    parsed.sources = match (&parsed.config, specs.is_empty()) {
        (Some(_), false) => {
            return Err(format!(
                "--config and --spec both name the documents; give one\n\n{usage}"
            ))
        }
        (None, false) => crate::sources::Sources {
            documents: specs,
            overlays: Vec::new(),
            overrides: None,
        },
        (config, true) => {
            let config = config
                .clone()
                .or_else(|| defaults.config.as_deref().map(relative))
                .ok_or_else(|| format!("name the documents with --spec or --config\n\n{usage}"))?;
            let sources =
                crate::sources::Sources::from_config(&config).map_err(|e| e.to_string())?;
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
fn prepare(args: &CodegenArgs) -> Result<crate::sources::Prepared, String> {
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

fn bundle(args: &[String], defaults: &Defaults, usage: &str) -> Result<(), String> {
    let args = parse_codegen(args, defaults, usage)?;
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
    files: &[crate::CrateFile],
) -> Result<(), String> {
    use crate::emit::surface::{Surface, FILE};
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
            let report = crate::report::diff(&old, &new);
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

fn codegen(args: &[String], defaults: &Defaults, program: &str, usage: &str) -> Result<(), String> {
    let args = parse_codegen(args, defaults, usage)?;
    let specs = describe_sources(&args);
    let crate_name = args
        .crate_name
        .clone()
        .or_else(|| defaults.crate_name.clone())
        .ok_or_else(|| format!("name the crate with --crate-name\n\n{usage}"))?;
    let out = args
        .out
        .clone()
        .or_else(|| defaults.out.as_deref().map(relative))
        .unwrap_or_else(|| PathBuf::from(&crate_name));
    let mut options = crate::Options::new(&crate_name);
    options.templates = match args.templates.as_ref().or(defaults.templates.as_ref()) {
        Some(dir) => Some(crate::Templates::read(dir).map_err(|e| e.to_string())?),
        None => None,
    };
    // Examples call one API's operations: another document gets the
    // templates' Cargo.toml and README, not examples that cannot compile.
    options.examples = options.templates.is_some()
        && (args.examples || (defaults.examples)(args.config.as_deref(), &args.sources));
    if options.templates.is_some() && !options.examples {
        println!("not copying the templates' examples/: they are written for another API (--examples copies them)");
    }
    let mut prepared = prepare(&args)?;
    // The model is built from the document itself, not a copy: messages need
    // only where things came from.
    let document = std::mem::take(&mut prepared.merged.document);
    let merged = &prepared.merged;
    options.auto_rename_duplicates = args.auto_rename;
    let api = crate::model_value(document, &options).map_err(|e| merged.describe(&e))?;
    if args.auto_rename {
        let renames: Vec<&String> = api
            .notes
            .iter()
            .filter(|n| n.ends_with(crate::build::AUTO_RENAMED))
            .collect();
        println!(
            "renamed {} operation(s) that share an operationId:",
            renames.len()
        );
        for note in renames {
            println!("  {note}");
        }
    }
    let files = crate::emit::emit_crate(&api, &options).map_err(|e| merged.describe(&e))?;

    if args.check {
        let drift = crate::output::drift(&out, &files);
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
            "{} is stale; run `{program} codegen` without --check. Files that differ:\n  {}",
            out.display(),
            lines.join("\n  ")
        ));
    }

    report_changes(&args, &out, &files)?;
    let drift =
        crate::output::write(&out, &files).map_err(|e| format!("cannot write the crate: {e}"))?;
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
