//! `openapi-rust-generator codegen --spec api.yaml --crate-name my-client`:
//! the generator outside this repository, with the options of `cargo xtask
//! codegen` (see `generator::cli`). Install it with
//! `cargo install --path generator` (or `--git <this repository>`).

use std::process::ExitCode;

/// See the note on `mimalloc` in the package's Cargo.toml (the default
/// feature `mimalloc`; `--no-default-features` keeps the system allocator).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let defaults = generator::cli::Defaults {
        // Nothing is implied outside the project: the documents and the
        // crate's name are the user's to give.
        config: None,
        out: None,
        crate_name: None,
        templates: None,
        examples: |_, _| false,
    };
    let program = "openapi-rust-generator";
    let result = generator::cli::run(program, &args, &defaults).unwrap_or_else(|| {
        match args.first().map(String::as_str) {
            None | Some("help") | Some("--help") | Some("-h") => {
                println!("{}", generator::cli::usage(program));
                Ok(())
            }
            Some(other) => Err(format!(
                "unknown command `{other}`\n\n{}",
                generator::cli::usage(program)
            )),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
