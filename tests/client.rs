//! The generated client's integration tests, one binary (see
//! `generation.rs` for why two): each operation against a local server
//! (`client_behaviour`, a module per resource), behaviour across requests
//! (`client_runtime`), hostile servers and callers (`hostile`), the typed
//! fake of the `testing` feature (`fake`), and the contract with the
//! document through Stoplight Prism (`contract`).

mod client_behaviour;
mod client_runtime;
mod contract;
mod fake;
mod hostile;
