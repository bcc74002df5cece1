//! Generates a crate from every fixture document into one temporary
//! workspace and runs `cargo check` on it with warnings denied: the
//! generator's promise is a crate that compiles cleanly, for any document
//! it accepts, not only for the iModels one.

use std::process::Command;

use tests::root;

/// Fixture documents and the crate name each one gets.
const FIXTURES: &[(&str, &str)] = &[
    ("tests/fixtures/petstore-3.0.yaml", "petstore-client"),
    ("tests/fixtures/catalog-3.1.yaml", "catalog-client"),
];

#[test]
fn every_fixture_generates_a_crate_that_compiles_without_warnings() {
    let workspace = tempfile::tempdir().expect("temporary directory");
    let mut members = Vec::new();
    for (spec, crate_name) in FIXTURES {
        let text = tests::read(spec);
        let files = generator::generate(&text, &generator::Options::new(*crate_name))
            .unwrap_or_else(|e| panic!("{spec}: {e}"));
        let dir = workspace.path().join(crate_name);
        for file in files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a file has a parent"))
                .expect("create dir");
            std::fs::write(&path, file.contents).expect("write file");
        }
        members.push(format!("\"{crate_name}\""));
    }
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
    std::fs::copy(
        root().join("Cargo.lock"),
        workspace.path().join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");

    // A target directory of its own: the outer `cargo test` holds the lock
    // on the workspace's.
    let output = Command::new(env!("CARGO"))
        .args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(workspace.path())
        .env(
            "CARGO_TARGET_DIR",
            root().join("target").join("fixture-check"),
        )
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "generated fixture crates do not compile cleanly:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
