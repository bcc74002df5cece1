// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! The HTTP client: configuration, credentials, and the request/response
//! plumbing that every operation uses.
//!
//! - `builder`: [`ClientBuilder`] and its defaults;
//! - `credentials`: where the credential goes, token providers, secrets kept
//!   out of logs;
//! - `encoding`: path, query and cookie encoding;
//! - `request`: what an operation puts into a request ([`request::RequestParts`]);
//! - `operation`: what every request builder shares (`send`, decoding, errors);
//! - `execute`: the retry loop and the assembly of each attempt;
//! - `response`: responses, read whole or streamed.

// The same runtime serves every API; an API without, say, cookie parameters
// leaves the cookie helpers unused.
#![allow(dead_code)]

pub(crate) mod builder;
pub(crate) mod credentials;
pub(crate) mod encoding;
mod execute;
pub(crate) mod operation;
pub(crate) mod request;
pub(crate) mod response;

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_TOKEN_TIMEOUT,
};
pub use credentials::{BoxError, TokenProvider};
pub use response::Success;

use crate::retry::RetryPolicy;

/// The API client. Cloning is cheap: clones share configuration and the
/// connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    /// Credentials go only to URLs of this origin.
    origin: String,
    http: reqwest::Client,
    credentials: credentials::Credentials,
    default_headers: HeaderMap,
    retry: RetryPolicy,
    max_response_bytes: u64,
    /// The longest a token provider may take.
    token_timeout: std::time::Duration,
    /// The most pages a listing reads.
    max_pages: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &redact_userinfo(&self.inner.base_url))
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying `reqwest::Client`.
    pub fn http_client(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// Whether `url` is on the API's own origin (scheme, host and port of the
    /// base URL): the only place credentials are sent.
    pub fn is_api_origin(&self, url: &str) -> bool {
        reqwest::Url::parse(url)
            .is_ok_and(|u| u.origin().ascii_serialization() == self.inner.origin)
    }

    pub(crate) fn max_response_bytes(&self) -> u64 {
        self.inner.max_response_bytes
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    pub(crate) fn max_pages(&self) -> u64 {
        self.inner.max_pages
    }
}

/// `Debug` of a field of a generated type that holds a URL whose query is
/// a secret (`x-secret-query`: a SAS signature, say): the URL without its
/// query or fragment (and userinfo), so that scheme, host and path still
/// show.
pub(crate) struct QueryRedacted<'a, T>(pub(crate) &'a T);

impl fmt::Debug for QueryRedacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = redact_userinfo(self.0);
        match url.find(['?', '#']) {
            Some(at) => fmt::Debug::fmt(&format!("{}?<redacted>", &url[..at]), f),
            None => fmt::Debug::fmt(&url, f),
        }
    }
}

impl fmt::Debug for QueryRedacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(url) => f.debug_tuple("Some").field(&QueryRedacted(url)).finish(),
            None => f.write_str("None"),
        }
    }
}

/// `Debug` of a field of a generated type whose whole value is a secret
/// (`x-secret`): that there is one, not what it is.
pub(crate) struct ValueRedacted<'a, T>(pub(crate) &'a T);

impl fmt::Debug for ValueRedacted<'_, String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for ValueRedacted<'_, Option<String>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(_) => f.write_str("Some(<redacted>)"),
            None => f.write_str("None"),
        }
    }
}

/// `url` with its userinfo (`https://user:secret@host`: a password, or a
/// token given as the user name) replaced by `<redacted>`, for `Debug`
/// output and error messages. Works on text that does not parse as a URL too.
pub(crate) fn redact_userinfo(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_len].rfind('@') {
        Some(at) => format!("{}<redacted>{}", &url[..start], &rest[at..]),
        None => url.to_string(),
    }
}
