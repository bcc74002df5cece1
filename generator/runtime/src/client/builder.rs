//! The client's configuration, checked once when it is built.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::credentials::{Credentials, TokenProvider};
use super::encoding::header_name;
use super::{Client, Inner};
use crate::api;
use crate::error::Error;
use crate::retry::RetryPolicy;

/// The default largest response body the client reads into memory: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// The default time allowed for a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: Option<u64>,
}

impl ClientBuilder {
    /// Sends requests to `url` instead of the document's server (a test
    /// server, a proxy, another region).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Uses this token for every request, where the document's security
    /// scheme puts it (`Authorization: Bearer` for bearer, OAuth2 and OpenID
    /// Connect schemes).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Static(token.into().into());
        self
    }

    /// Uses this API key for every request, where the document's security
    /// scheme puts it: the header, query parameter or cookie it names. The
    /// same as [`Self::bearer_token`], under the name API-key APIs use.
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.bearer_token(key)
    }

    /// Asks `provider` for a token before every request.
    pub fn token_provider(mut self, provider: impl TokenProvider) -> Self {
        self.credentials = Credentials::Provider(Arc::new(provider));
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom TLS roots, shared
    /// connection pools). Its own timeouts apply; [`Self::timeout`] and
    /// [`Self::connect_timeout`] are then ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Time allowed for a whole request, response body included
    /// (default: 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to open a connection (default: 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How failed requests are retried (default: [`RetryPolicy::default`]);
    /// [`RetryPolicy::never`] turns retries off.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body read into memory (default: 64 MiB). A
    /// larger body is [`Error::ResponseTooLarge`], whatever it holds;
    /// downloads streamed to a writer are not limited.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .or_else(|| api::DEFAULT_BASE_URL.map(str::to_string))
            .ok_or_else(|| {
                Error::InvalidRequest("no base URL: call ClientBuilder::base_url".into())
            })?;
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL `{base}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "base URL `{base}` is not http or https"
            )));
        }
        let mut default_headers = HeaderMap::new();
        for (name, value) in api::DEFAULT_HEADERS {
            default_headers.insert(
                header_name(name)?,
                HeaderValue::from_str(value)
                    .map_err(|e| Error::InvalidRequest(format!("header {name}: {e}")))?,
            );
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| Error::InvalidRequest(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: base.trim_end_matches('/').to_string(),
                origin: parsed.origin().ascii_serialization(),
                http,
                credentials: self.credentials,
                default_headers,
                retry: self.retry,
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            }),
        })
    }
}
