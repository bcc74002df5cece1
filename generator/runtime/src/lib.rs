//! The runtime of every client crate the generator writes: the HTTP client
//! and its builder, credentials, retries, paging, waits, transfers, errors.
//!
//! This crate exists to be built, linted and tested on its own; generated
//! crates do not depend on it (it is not published) but carry a copy of its
//! modules, made by the generator (`generator/src/emit/runtime.rs`). What the
//! copied modules need from the generated crate is the contract of `api.rs`; this
//! file plays the part of the generated `lib.rs`, with the same module
//! declarations and public re-exports.
//!
//! Cargo features stand for the modules the generator copies only into the
//! crates that need them: `chrono` (`datetime.rs`), `form` (`form.rs`),
//! `multipart` (`multipart.rs`), `oauth2` (`oauth.rs`), `testing` (`fake.rs`), `sequence` (`sequence.rs`, which the
//! generator copies into every crate today).

#![warn(missing_docs)]

// The stand-in for what the generator writes for each API.
#[allow(dead_code)]
mod api;

mod client;
#[cfg(feature = "chrono")]
mod datetime;
mod error;
#[cfg(feature = "testing")]
mod fake;
// Called by generated code only, which this crate has none of.
#[cfg(feature = "form")]
#[allow(dead_code)]
mod form;
// Called by generated code only, which this crate has none of.
#[cfg(feature = "multipart")]
#[allow(dead_code)]
mod multipart;
#[cfg(feature = "oauth2")]
mod oauth;
mod paging;
mod retry;
#[cfg(feature = "sequence")]
mod sequence;
mod transfer;
mod wait;

pub use api::{ErrorBody, DEFAULT_BASE_URL, DEFAULT_HEADERS};
pub use client::{
    BoxError, Client, ClientBuilder, Success, TokenProvider, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT, DEFAULT_TOKEN_TIMEOUT,
};
pub use error::{ApiError, Error, FlowError};
/// The `Stream` trait that paged listings implement (re-exported from
/// `futures-util`, the same trait as `futures::Stream`).
pub use futures_util::Stream;
#[cfg(feature = "multipart")]
pub use multipart::FilePart;
#[cfg(feature = "oauth2")]
pub use oauth::{DevicePrompt, OAuth2, DEFAULT_LOGIN_TIMEOUT, DEFAULT_REFRESH_MARGIN};
pub use retry::{RetryPolicy, MAX_RETRY_AFTER};
pub use transfer::{
    DownloadOptions, Progress, Storage, UploadOptions, UrlFuture, DEFAULT_BLOCK_SIZE,
    DEFAULT_BLOCK_THRESHOLD, DEFAULT_MAX_REFRESHES, DEFAULT_MAX_RESUMES, DEFAULT_PARALLELISM,
    DEFAULT_STALL_TIMEOUT,
};
pub use wait::WaitOptions;

/// A fake of the API for the tests of code that uses the crate (feature
/// `testing`); the generated crate's `testing` module adds a method per
/// operation.
#[cfg(feature = "testing")]
pub mod testing {
    pub use crate::fake::{
        Answer, Expectation, Fake, Log, Part, Received, Unmet, UNEXPECTED_STATUS,
    };
}

#[cfg(test)]
mod tests;
