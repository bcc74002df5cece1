//! Generates a crate from every fixture document into one temporary
//! workspace and runs clippy on it with warnings denied: the generator's
//! promise is a crate that compiles cleanly, for any document it accepts,
//! not only for the iModels one. Then runs `tests/fixture_wire`, which calls
//! the generated code and checks what it puts on the wire.

use std::process::Command;

use tests::{root, FIXTURES};

#[path = "../xtask/src/cargo_env.rs"]
mod cargo_env;
use cargo_env::{fit_lock, without_outer_package_vars, LOCKED_OFFLINE};

/// One feature alone per crate: the runtime and the emitted code must give
/// no warning (an unused import, a helper nothing calls) whatever subset of
/// features a document uses. (crate name, document body after `paths:`,
/// and `components:` when needed.)
const ALONE: &[(&str, &str)] = &[
    // No operations at all: only webhooks (dropped) and a schema.
    (
        "alone-nothing",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nwebhooks:\n  ping: {post: {responses: {'200': {description: ok}}}}\ncomponents:\n  schemas:\n    A: {type: object, properties: {a: {type: string}}}\n",
    ),
    (
        "alone-unit",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    delete: {operationId: remove, responses: {'204': {description: ok}}}\n",
    ),
    (
        "alone-json",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: read, responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {a: {type: string}}}}}}}}\n",
    ),
    (
        "alone-query",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: read\n      parameters: [{name: q, in: query, required: true, schema: {type: array, items: {type: integer}}}]\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-header-cookie",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: read\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}, {name: h, in: header, schema: {type: string}}, {name: c, in: cookie, schema: {type: string}}]\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-text",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    put:\n      operationId: write\n      requestBody: {required: true, content: {text/plain: {schema: {type: string}}}}\n      responses: {'200': {description: ok, content: {text/plain: {schema: {type: string}}}}}\n",
    ),
    (
        "alone-binary",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    put:\n      operationId: write\n      requestBody: {required: true, content: {application/octet-stream: {schema: {type: string, format: binary}}}}\n      responses: {'200': {description: ok, content: {image/png: {schema: {type: string, format: binary}}}}}\n",
    ),
    (
        "alone-form",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: write\n      requestBody: {required: true, content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}}}\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-multipart-files",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: upload\n      requestBody: {required: true, content: {multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}}}\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-multipart-text",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: upload\n      requestBody: {required: true, content: {multipart/form-data: {schema: {type: object, properties: {note: {type: string}}}}}}\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-multipart-json",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: upload\n      requestBody: {required: true, content: {multipart/form-data: {schema: {type: object, properties: {meta: {type: object, properties: {a: {type: string}}}}}}}}\n      responses: {'204': {description: ok}}\n",
    ),
    (
        "alone-paging",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: list\n      x-paging: {items: /items, next: /next}\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, required: [items], properties: {items: {type: array, items: {type: string}}, next: {type: string}}}}}}}\n",
    ),
    (
        "alone-waiter",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: status\n      x-waiter: {name: done, state: /state, pending: [running], done: [finished]}\n      responses: {'200': {description: ok, content: {application/json: {schema: {type: object, required: [state], properties: {state: {type: string}}}}}}}\n",
    ),
    (
        "alone-sequence",
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: events\n      responses: {'200': {description: ok, content: {application/jsonl: {itemSchema: {type: object, properties: {a: {type: string}}}}}}}\n",
    ),
    (
        "alone-mutual-tls",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: [{tls: []}]\ncomponents:\n  securitySchemes:\n    tls: {type: mutualTLS}\npaths:\n  /a:\n    get: {operationId: read}\n",
    ),
];

/// Fixtures of several documents, with the overrides file beside the first
/// (as `cargo xtask codegen --spec A --spec B` reads them).
const COMPOSED: &[(&[&str], &str)] = &[(
    &[
        "tests/fixtures/split/imodels.yaml",
        "tests/fixtures/split/changesets.yaml",
    ],
    "split-client",
)];

fn composed(specs: &[&str], crate_name: &str) -> Vec<generator::CrateFile> {
    let paths: Vec<_> = specs.iter().map(|s| root().join(s)).collect();
    let merged =
        generator::load_with_overrides(&paths, None).unwrap_or_else(|e| panic!("{specs:?}: {e}"));
    assert!(
        merged.overrides.is_some(),
        "overrides.yaml beside {specs:?} was not applied"
    );
    generator::generate_value(merged.document, &generator::Options::new(crate_name))
        .unwrap_or_else(|e| panic!("{specs:?}: {e}"))
}

/// The fuzz cases, for [`fuzzed_sample`]; most of the module serves the
/// fuzz pass itself.
#[allow(dead_code)]
#[path = "../generator/tests/fuzz/cases.rs"]
mod fuzz_cases;

/// How many of the fuzz pass's documents that generate are compiled here.
const FUZZED_SAMPLE: usize = 3;

/// The first [`FUZZED_SAMPLE`] mutated documents of the fuzz pass's fixed
/// seed that generate a crate (`fuzzed-1`, ...): the fuzz pass checks that
/// the generator answers; this checks that what it answers compiles, with
/// no warnings, like any other accepted document. Fixed, so the sample is
/// the same on every run; the draws are bounded.
fn fuzzed_sample() -> Vec<(Vec<generator::CrateFile>, String)> {
    use proptest::strategy::{Strategy, ValueTree};
    let corpus = fuzz_cases::corpus();
    let strategy = fuzz_cases::case(corpus.len());
    let mut runner = fuzz_cases::runner(fuzz_cases::FIXED_SEED, 1);
    let mut sample = Vec::new();
    for _ in 0..200 {
        if sample.len() == FUZZED_SAMPLE {
            break;
        }
        let case = strategy
            .new_tree(&mut runner)
            .expect("a fuzz case")
            .current();
        let name = format!("fuzzed-{}", sample.len() + 1);
        let text = fuzz_cases::render(&case, &corpus);
        if let Ok(files) = generator::generate(&text, &generator::Options::new(&name)) {
            println!("{name}: {} mutated as {case:?}", corpus[case.document].0);
            sample.push((files, name));
        }
    }
    assert_eq!(sample.len(), FUZZED_SAMPLE, "too few fuzz cases generate");
    sample
}

/// Behaviour tests (against a wiremock server) for fixture crates, run in
/// the temporary workspace after the lint check: (crate, test source).
const BEHAVIOUR: &[(&str, &str)] = &[("changes-client", "tests/fixture_behaviour/changes_3_2.rs")];

/// Fixture crates linted once more with these off-by-default features on:
/// the OAuth2 token providers (its 3.2 document declares the device and
/// client credentials flows). (crate, features.) runtime-names-client's
/// `testing` is on in the workspace's own lint: fixture-wire asks for it.
const WITH_FEATURES: &[(&str, &str)] = &[("changes-client", "oauth2")];

/// Puts a behaviour test into a generated crate, with the dev-dependencies
/// it needs (all in the workspace's lock file: no network).
fn add_behaviour_test(dir: &std::path::Path, test: &str) {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).expect("read Cargo.toml");
    let text = text.replacen(
        "[dev-dependencies]\n",
        "[dev-dependencies]\nwiremock = \"0.6\"\n",
        1,
    );
    assert!(
        text.contains("wiremock"),
        "no [dev-dependencies] in {}",
        manifest.display()
    );
    std::fs::write(&manifest, text).expect("write Cargo.toml");
    std::fs::create_dir_all(dir.join("tests")).expect("create tests/");
    std::fs::write(dir.join("tests/behaviour.rs"), tests::read(test)).expect("write test");
}

/// The iModels crate's README example as a program of its own, whose
/// manifest lists exactly the dependencies the README tells a user to add
/// (the crate by path, tokio with the features it names): linted with the
/// fixtures, it proves the example needs nothing more (`uuid` and the rest
/// come through the crate's re-exports).
fn readme_example(dir: &std::path::Path) {
    let readme = tests::read("generated-client/README.md");
    let block = |fence: &str| -> String {
        let start = readme
            .find(fence)
            .unwrap_or_else(|| panic!("the README has no {fence:?} block"))
            + fence.len();
        let end = readme[start..].find("\n```").expect("the block ends") + start;
        readme[start..end].to_string()
    };
    let dependencies = block("```toml\n");
    let crate_path = root().join("generated-client");
    let dependencies = dependencies.replace(
        "path = \"…\"",
        &format!("path = {:?}", crate_path.display().to_string()),
    );
    assert!(
        dependencies.starts_with("[dependencies]\n")
            && dependencies.contains("imodels-client = { path = \"/"),
        "the README's dependencies changed shape:\n{dependencies}"
    );
    // Rustdoc's hidden lines (`# `) are the program's lines too.
    let example: String = block("```no_run\n")
        .lines()
        .map(|line| line.strip_prefix("# ").unwrap_or(line))
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(
        example.contains("async fn example()"),
        "the README example changed shape:\n{example}"
    );
    std::fs::create_dir_all(dir.join("src")).expect("create readme-example");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"readme-example\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n{dependencies}\n"),
    )
    .expect("write readme-example/Cargo.toml");
    std::fs::write(
        dir.join("src/main.rs"),
        format!("{example}\n#[tokio::main]\nasync fn main() {{\n    if let Err(e) = example().await {{\n        eprintln!(\"{{e}}\");\n    }}\n}}\n"),
    )
    .expect("write readme-example/src/main.rs");
}

/// The sources of the tests that call generated fixture crates.
const WIRE_TESTS: &[&str] = &[
    "tests/fixture_wire/src/lib.rs",
    "tests/fixture_wire/src/tests/every_operation.rs",
];

/// Every operation of every fixture is called by a test that runs it (the
/// wire tests, a behaviour test): compiling alone would leave a generated
/// path untried. A call is the method's name after a `.`, or before `=>`
/// in a list of calls (`each!` in the wire tests).
#[test]
fn every_fixture_operation_is_called_on_the_wire() {
    let sources: String = WIRE_TESTS
        .iter()
        .chain(BEHAVIOUR.iter().map(|(_, test)| test))
        .map(|path| tests::read(path))
        .collect();
    let mut uncalled = Vec::new();
    for fixture in FIXTURES {
        let (spec, crate_name) = (fixture.path(), fixture.crate_name);
        let mut options = generator::Options::new(crate_name);
        options.auto_rename_duplicates = fixture.renamed;
        let document = generator::parse_text(&tests::read(&spec)).expect("a fixture parses");
        let api =
            generator::model_value(document, &options).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let called = |name: &str| {
            sources.contains(&format!(".{name}(")) || sources.contains(&format!("{name} =>"))
        };
        // A flow method that a test calls sends its first call and each
        // step's operation.
        let through_flows: Vec<&str> = api
            .operations
            .iter()
            .flat_map(|op| op.flows.iter().map(move |flow| (op, flow)))
            .filter(|(_, flow)| called(&flow.method))
            .flat_map(|(op, flow)| {
                std::iter::once(op.id.as_str())
                    .chain(flow.then.iter().map(|step| step.operation.as_str()))
            })
            .collect();
        for op in &api.operations {
            if !called(&op.method_name) && !through_flows.contains(&op.id.as_str()) {
                uncalled.push(format!("{crate_name}: {} ({})", op.method_name, op.id));
            }
        }
    }
    assert!(
        uncalled.is_empty(),
        "fixture operations no test calls:\n  {}",
        uncalled.join("\n  ")
    );
}

#[test]
fn every_fixture_generates_a_crate_that_compiles_without_warnings() {
    let workspace = tempfile::tempdir().expect("temporary directory");
    let mut members = Vec::new();
    let single = FIXTURES.iter().map(|fixture| {
        let mut options = generator::Options::new(fixture.crate_name);
        options.auto_rename_duplicates = fixture.renamed;
        let files = generator::generate(&tests::read(&fixture.path()), &options)
            .unwrap_or_else(|e| panic!("{}: {e}", fixture.stem));
        (files, fixture.crate_name)
    });
    let several = COMPOSED
        .iter()
        .map(|(specs, crate_name)| (composed(specs, crate_name), *crate_name));
    let alone = ALONE.iter().map(|(crate_name, text)| {
        let files = generator::generate(text, &generator::Options::new(*crate_name))
            .unwrap_or_else(|e| panic!("{crate_name}: {e}"));
        (files, *crate_name)
    });
    let fuzzed = fuzzed_sample();
    let fuzzed = fuzzed
        .iter()
        .map(|(files, name)| (files.clone(), name.as_str()));
    for (files, crate_name) in single.chain(several).chain(alone).chain(fuzzed) {
        let dir = workspace.path().join(crate_name);
        for file in files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a file has a parent"))
                .expect("create dir");
            std::fs::write(&path, file.contents).expect("write file");
        }
        if let Some((_, test)) = BEHAVIOUR.iter().find(|(name, _)| *name == crate_name) {
            add_behaviour_test(&dir, test);
        }
        members.push(format!("\"{crate_name}\""));
    }
    // Tests that run the generated code (wire format, serde round trips).
    let wire = workspace.path().join("fixture-wire");
    std::fs::create_dir_all(wire.join("src/tests")).expect("create fixture-wire");
    for file in ["Cargo.toml", "src/lib.rs", "src/tests/every_operation.rs"] {
        std::fs::copy(
            root().join("tests/fixture_wire").join(file),
            wire.join(file),
        )
        .expect("copy fixture-wire");
    }
    members.push("\"fixture-wire\"".to_string());
    readme_example(&workspace.path().join("readme-example"));
    members.push("\"readme-example\"".to_string());
    std::fs::write(
        workspace.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace manifest");
    // The workspace's lock file pins the same dependency versions, so the
    // check needs no network and compiles what the main build compiled.
    if let Err(e) = fit_lock(env!("CARGO"), workspace.path(), &tests::read("Cargo.lock")) {
        panic!("{e}");
    }

    let output = cargo(
        workspace.path(),
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            // Every crate's warnings, not only the first failing crate's.
            "--keep-going",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(
        output.status.success(),
        "generated fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // A crate whose operations come in groups (tags) compiles cleanly with
    // any one group's feature, and with none: the gates on types and on
    // flows name every group that needs them.
    for features in [
        &["--no-default-features"][..],
        &["--no-default-features", "--features", "search"],
        &["--no-default-features", "--features", "untagged"],
        // The fake (`testing`), with every group and with one.
        &["--features", "testing"],
        &["--no-default-features", "--features", "search,testing"],
    ] {
        let mut args = vec!["clippy", "--quiet", "-p", "changes-client"];
        args.extend(features);
        args.extend(["--", "-D", "warnings"]);
        let output = cargo(workspace.path(), &args);
        assert!(
            output.status.success(),
            "changes-client does not compile cleanly with {features:?}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // Off-by-default features are code too: the crates that have them,
    // linted again with them on.
    for (crate_name, features) in WITH_FEATURES {
        let output = cargo(
            workspace.path(),
            &[
                "clippy",
                "--package",
                crate_name,
                "--all-targets",
                "--features",
                features,
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        );
        assert!(
            output.status.success(),
            "{crate_name} with `{features}` does not compile cleanly:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    for (crate_name, _) in BEHAVIOUR {
        let output = cargo(
            workspace.path(),
            &["test", "--quiet", "-p", crate_name, "--test", "behaviour"],
        );
        assert!(
            output.status.success(),
            "behaviour tests of {crate_name} fail:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    // What ARCHITECTURE promises of every generated crate, not only the
    // iModels one: rustdoc without warnings, and the emitted doctest
    // compiles.
    let output = cargo_with(
        workspace.path(),
        &["doc", "--workspace", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
    assert!(
        output.status.success(),
        "rustdoc warns on generated fixture crates:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = cargo(workspace.path(), &["test", "--workspace", "--doc"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("test result: ok. "),
        "the doctests of generated fixture crates fail:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doctests = stdout.matches(" - (line ").count();
    assert!(
        doctests >= FIXTURES.len(),
        "only {doctests} doctests ran:\n{stdout}"
    );

    let output = cargo(
        workspace.path(),
        &["test", "--quiet", "--package", "fixture-wire", "--lib"],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && !stdout.contains("ok. 0 passed"),
        "the generated fixture crates misbehave (tests/fixture_wire):\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs cargo in the temporary workspace, warnings denied, locked and
/// offline (`args[0]` is the subcommand).
fn cargo(workspace: &std::path::Path, args: &[&str]) -> std::process::Output {
    cargo_with(workspace, args, &[])
}

/// [`cargo`] with more environment variables.
fn cargo_with(
    workspace: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Output {
    let (command, rest) = args.split_first().expect("a cargo subcommand");
    // A target directory of its own: the outer `cargo test` holds the lock
    // on the workspace's.
    without_outer_package_vars(&mut Command::new(env!("CARGO")))
        .arg(command)
        .args(LOCKED_OFFLINE)
        .args(rest)
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("fixture-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .envs(env.iter().copied())
        .output()
        .expect("run cargo")
}
