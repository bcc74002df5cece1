//! The interface between the runtime and the code generated for one API.
//!
//! The runtime's modules (every file of this crate's `src/` but `lib.rs` and
//! this one) are copied verbatim into each generated crate, at the same
//! paths. They refer to nothing the generator writes except this module,
//! `crate::api`, which every generated crate defines in its own `src/api.rs`
//! for its API, and which this file defines as a stand-in so that the
//! runtime builds and is tested alone. It must hold:
//!
//! - `DEFAULT_BASE_URL: Option<&'static str>`: the document's first server,
//!   the client's base URL unless `ClientBuilder::base_url` sets one;
//! - `DEFAULT_HEADERS: &'static [(&'static str, &'static str)]`: headers
//!   sent with every request to the API (not to handed-out URLs);
//! - `AUTH_PLACEMENT: AuthPlacement`: where the credential goes, from the
//!   document's security schemes;
//! - `API_VERSION: Option<(&'static str, &'static str)>`: the header that
//!   carries the API version and its value with `{version}` in it
//!   (`ClientBuilder::api_version`);
//! - `OAUTH2_FLOWS: &[(&str, &str, &str, &[&str])]` (only in crates with the
//!   `oauth2` feature): the OAuth2 scheme's flows, each as its OpenAPI name
//!   (`clientCredentials`, `authorizationCode`, `deviceAuthorization`), its
//!   authorization or device authorization URL (empty if none), its token
//!   URL and its scopes;
//! - `ErrorBody`: an error response's body, an enum (`Debug + Clone + Send +
//!   Sync`) with at least `Empty` and `Text(String)`, plus one variant per
//!   error type the document declares (built by the generated code through
//!   `Response::error_body`);
//! - `error_body(&Response) -> ErrorBody`: the body of an error response
//!   whose operation declares nothing else for its status, decoded as the
//!   document's error type for undeclared statuses or kept as text (what
//!   `client::operation::Operation::error_body` does unless a builder says
//!   otherwise).
//!
//! The other direction: generated code calls the runtime's `pub(crate)`
//! items by their module paths (`crate::client::request::RequestParts`,
//! `crate::paging::pages`, ...), and the generated `lib.rs` declares the
//! runtime's modules at the crate root (only those the API needs, see the
//! features in `Cargo.toml`) and re-exports the same public items at the
//! same paths as this crate's `lib.rs` (`Client`, `Error`, `RetryPolicy`,
//! ...), besides `DEFAULT_BASE_URL`, `DEFAULT_HEADERS` and `ErrorBody`.

use crate::client::credentials::AuthPlacement;
use crate::client::response::Response;

/// The API's base URL: none here, so a client needs
/// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
pub const DEFAULT_BASE_URL: Option<&str> = None;

/// Headers sent with every request to the API.
pub const DEFAULT_HEADERS: &[(&str, &str)] = &[("Accept", "application/json")];

/// Where credentials go.
pub(crate) const AUTH_PLACEMENT: AuthPlacement = AuthPlacement::Bearer;

/// The header that carries the API version, `{version}` in its value.
pub(crate) const API_VERSION: Option<(&str, &str)> =
    Some(("Accept", "application/vnd.test.{version}+json"));

/// The OAuth2 scheme's flows: name, authorization (or device authorization)
/// URL, token URL, scopes.
#[cfg(feature = "oauth2")]
pub(crate) const OAUTH2_FLOWS: &[(&str, &str, &str, &[&str])] = &[
    (
        "clientCredentials",
        "",
        "https://login.test/token",
        &["api"],
    ),
    (
        "authorizationCode",
        "https://login.test/authorize",
        "https://login.test/token",
        &["api", "offline_access"],
    ),
    (
        "deviceAuthorization",
        "https://login.test/device",
        "https://login.test/token",
        &["api"],
    ),
];

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// A body decoded as an error type the document declares (here: any
    /// JSON).
    Json(serde_json::Value),
    /// The response had no body.
    Empty,
    /// The body was not what the document declares for this status: the
    /// text as received.
    Text(String),
}

/// The body of an error response an operation declares nothing else for
/// (here: any JSON, else the text).
pub(crate) fn error_body(response: &Response) -> ErrorBody {
    response.error_body::<serde_json::Value>(ErrorBody::Json)
}
