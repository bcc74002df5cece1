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
