//! The `openapi-rust-generator` binary, run as a user outside this
//! repository would: what it writes, what `--check` says, what it asks for.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_openapi-rust-generator"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name)
}

/// A fresh directory of this test's own under the system's temp dir.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn codegen_writes_a_crate_and_check_finds_it_stale_after_an_edit() {
    let out = scratch("petstore");
    let spec = fixture("petstore-3.0.yaml");
    let run = |extra: &[&str]| {
        bin()
            .args(["codegen", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(["--crate-name", "pets"])
            .args(extra)
            .output()
            .expect("the binary runs")
    };

    let written = run(&[]);
    assert!(written.status.success(), "{}", text(&written));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("name = \"pets\""), "{manifest}");
    assert!(out.join("src/lib.rs").is_file() && out.join("src/operations.rs").is_file());
    assert!(
        !out.join("examples").exists(),
        "no examples written for another API"
    );

    let fresh = run(&["--check"]);
    assert!(fresh.status.success(), "{}", text(&fresh));
    std::fs::write(out.join("src/lib.rs"), "// edited by hand\n").expect("edited");
    let stale = run(&["--check"]);
    assert!(!stale.status.success());
    let said = text(&stale);
    assert!(
        said.contains("is stale") && said.contains("src/lib.rs"),
        "{said}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn it_asks_for_the_documents_and_the_crate_name() {
    let no_spec = bin()
        .args(["codegen", "--crate-name", "x"])
        .output()
        .expect("runs");
    assert_eq!(no_spec.status.code(), Some(1));
    assert!(
        text(&no_spec).contains("name the documents with --spec or --config"),
        "{}",
        text(&no_spec)
    );

    let no_name = bin()
        .args(["codegen", "--spec"])
        .arg(fixture("petstore-3.0.yaml"))
        .output()
        .expect("runs");
    assert_eq!(no_name.status.code(), Some(1));
    assert!(
        text(&no_name).contains("name the crate with --crate-name"),
        "{}",
        text(&no_name)
    );

    let unknown = bin().arg("generate").output().expect("runs");
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown).contains("unknown command `generate`"),
        "{}",
        text(&unknown)
    );
}

#[test]
fn bundle_writes_the_finished_document() {
    let out = scratch("bundle");
    std::fs::create_dir_all(&out).expect("a directory");
    let file = out.join("petstore.json");
    let bundled = bin()
        .args(["bundle", "--spec"])
        .arg(fixture("petstore-3.0.yaml"))
        .arg("--out")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(bundled.status.success(), "{}", text(&bundled));
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("JSON");
    assert!(document["paths"].is_object(), "{document}");
    let _ = std::fs::remove_dir_all(&out);
}
