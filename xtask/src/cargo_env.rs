//! Running cargo from inside cargo. Shared by `cargo xtask corpus` and
//! `tests/compile_fixtures.rs` (which includes this file with `#[path]`).

use std::process::Command;

/// Variables the outer cargo sets for the package it runs (`CARGO_PKG_NAME`,
/// `CARGO_MANIFEST_DIR`, ...). ring's build script tracks several, so passing
/// them on to the inner cargo would rebuild the TLS stack (and everything
/// above it) whenever the other of the fixture check and the corpus check
/// used the shared target directory last.
pub fn without_outer_package_vars(command: &mut Command) -> &mut Command {
    for (key, _) in std::env::vars_os() {
        let outer = key.to_str().is_some_and(|k| {
            k.starts_with("CARGO_PKG_")
                || k.starts_with("CARGO_MANIFEST_")
                || matches!(
                    k,
                    "CARGO_CRATE_NAME" | "CARGO_BIN_NAME" | "CARGO_PRIMARY_PACKAGE"
                )
        });
        if outer {
            command.env_remove(key);
        }
    }
    command
}

/// What every nested cargo run passes: the lock file as [`fit_lock`] left
/// it, and no network. Without them a lock file that falls short would
/// quietly be completed from the registry.
pub const LOCKED_OFFLINE: [&str; 2] = ["--locked", "--offline"];

/// Puts the outer workspace's lock file (`lock`, its text) into the nested
/// `workspace` and fits it to that workspace's members, offline: the members
/// differ (generated crates instead of ours), nothing else may. Fails,
/// naming them, if the nested workspace needs a registry package the outer
/// lock file does not pin: that run would resolve it afresh. Afterwards the
/// nested runs can pass [`LOCKED_OFFLINE`].
pub fn fit_lock(cargo: &str, workspace: &std::path::Path, lock: &str) -> Result<(), String> {
    let path = workspace.join("Cargo.lock");
    std::fs::write(&path, lock).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    let output = without_outer_package_vars(&mut Command::new(cargo))
        .args(["update", "--workspace", "--offline", "--quiet"])
        .current_dir(workspace)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cannot fit Cargo.lock to {} offline:\n{}",
            workspace.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let fitted = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let pinned = registry_packages(lock);
    let unpinned: Vec<String> = registry_packages(&fitted)
        .into_iter()
        .filter(|p| !pinned.contains(p))
        .map(|(name, version)| format!("{name} {version}"))
        .collect();
    if unpinned.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the workspace's Cargo.lock falls short for {}: it does not pin {} \
             (add the dependency to a workspace crate so the lock file has it)",
            workspace.display(),
            unpinned.join(", ")
        ))
    }
}

/// `(name, version)` of every package in a lock file that comes from a
/// registry or git (those with a `source`), not a path.
fn registry_packages(lock: &str) -> std::collections::BTreeSet<(String, String)> {
    lock.split("[[package]]")
        .filter_map(|block| {
            let field = |key: &str| {
                block.lines().find_map(|line| {
                    line.strip_prefix(key)
                        .and_then(|rest| rest.trim().strip_prefix('='))
                        .map(|value| value.trim().trim_matches('"').to_string())
                })
            };
            field("source")?;
            Some((field("name")?, field("version")?))
        })
        .collect()
}
