//! The generator's integration tests, one binary: snapshots and errors
//! (`codegen`), compiling every fixture's crate (`compile_fixtures`), and
//! the spec-change workflow (`spec_changes`).
//!
//! Two test binaries in all, not one a file: each binary links the whole
//! dependency graph again, and link time was most of an incremental test
//! run. The client's tests are the other binary (`client.rs`); they are kept
//! apart from these because `compile_fixtures` runs cargo builds that would
//! starve the client tests' timeouts of CPU if they ran side by side.

mod codegen;
mod compile_fixtures;
mod spec_changes;
