// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! The client's configuration, checked once when it is built.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};

use super::credentials::{Credentials, TokenProvider};
use super::encoding::{header, header_name};
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
/// The default time a token provider has to answer.
pub const DEFAULT_TOKEN_TIMEOUT: Duration = Duration::from_secs(30);
/// The default largest number of pages one listing reads: generous (at 100
/// items a page, a million items), yet a server that hands out new `next`
/// links forever cannot keep a listing going for ever.
pub const DEFAULT_MAX_PAGES: u64 = 10_000;
/// The `User-Agent` of the client's requests (and of token requests).
pub(crate) const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
/// The most redirects followed for one request (all within the API's origin).
const MAX_REDIRECTS: usize = 10;

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    http: Option<reqwest::Client>,
    credentials: Credentials,
    tls: Tls,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    max_response_bytes: Option<u64>,
    token_timeout: Option<Duration>,
    max_pages: Option<u64>,
    headers: Vec<(String, String)>,
    api_version: Option<String>,
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

    /// Presents this client certificate in the TLS handshake (mutual TLS,
    /// the OpenAPI `mutualTLS` security scheme): `certificate` is PEM, the
    /// certificate first and then the chain up to (not including) the CA the
    /// server trusts; `key` is its private key in PEM (PKCS #8, or an RSA or
    /// EC key). Checked by [`Self::build`]; the key never appears in `Debug`
    /// output or errors.
    pub fn client_certificate(
        mut self,
        certificate: impl AsRef<[u8]>,
        key: impl AsRef<[u8]>,
    ) -> Self {
        let mut pem = certificate.as_ref().to_vec();
        pem.push(b'\n');
        pem.extend_from_slice(key.as_ref());
        self.tls.identity = Some(Secret(pem));
        self
    }

    /// Also trusts servers whose certificate chains up to this CA
    /// certificate (PEM): a private CA, as mutual TLS deployments often
    /// have. The public roots stay trusted. May be called more than once.
    pub fn root_certificate(mut self, certificate: impl AsRef<[u8]>) -> Self {
        self.tls.roots.push(certificate.as_ref().to_vec());
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom TLS roots, shared
    /// connection pools). Its own timeouts apply; [`Self::timeout`] and
    /// [`Self::connect_timeout`] are then ignored, and TLS settings
    /// ([`Self::client_certificate`], [`Self::root_certificate`]) must be
    /// made on it instead (setting them here too is an error).
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

    /// Asks for this version of the API (`v2`) in the header the document
    /// names for it (`x-api-version`: `Accept:
    /// application/vnd.bentley.itwin-platform.{version}+json` for iModels),
    /// instead of the version the document's default headers ask for. An
    /// API that names no such header makes [`Self::build`] fail.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Sends this header with every request to the API (not to handed-out
    /// upload and download URLs), replacing the document's default of the
    /// same name: an `X-Correlation-Id` for a support case, or another API
    /// version in `Accept`. Checked by [`Self::build`]. Unlike headers set on
    /// your own [`Self::http_client`], this keeps the builder's timeouts and
    /// TLS settings.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Time a [token provider](Self::token_provider) has to answer before
    /// the call fails with [`Error::Credentials`] (default: 30 s, and never
    /// more than the retry deadline has left).
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.token_timeout = Some(timeout);
        self
    }

    /// The most pages one listing reads before it ends with
    /// [`Error::Paging`] (default: [`DEFAULT_MAX_PAGES`]; at least 1).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.max_pages = Some(pages.max(1));
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// A client built here follows redirects only within the API's origin
    /// (scheme, host and port: so never from https to http), at most 10, and
    /// never sends `Referer`; any other redirect is returned as
    /// [`Error::Redirected`]. With your own [`Self::http_client`], its
    /// redirect policy applies instead.
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .or_else(|| api::DEFAULT_BASE_URL.map(str::to_string))
            .ok_or_else(|| {
                Error::InvalidRequest("no base URL: call ClientBuilder::base_url".into())
            })?;
        let parsed = reqwest::Url::parse(&base).map_err(|e| {
            Error::InvalidRequest(format!(
                "invalid base URL `{}`: {e}",
                super::redact_userinfo(&base)
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!(
                "base URL `{}` is not http or https",
                super::redact_userinfo(&base)
            )));
        }
        let origin = parsed.origin().ascii_serialization();
        let mut default_headers = HeaderMap::new();
        for (name, value) in api::DEFAULT_HEADERS {
            let (name, value) = header(name, value)?;
            default_headers.insert(name, value);
        }
        if let Some(version) = &self.api_version {
            let (name, template) = api::API_VERSION.ok_or_else(|| {
                Error::InvalidRequest(
                    "this API names no header for its version (x-api-version): set the header \
                     with default_header instead"
                        .into(),
                )
            })?;
            let value =
                HeaderValue::from_str(&template.replace("{version}", version)).map_err(|_| {
                    Error::InvalidRequest(format!(
                        "the API version `{}` contains characters not allowed in a header",
                        version.escape_debug()
                    ))
                })?;
            default_headers.insert(header_name(name)?, value);
        }
        // Explicit headers last: they win over the document and the version.
        for (name, value) in &self.headers {
            let (name, value) = header(name, value)?;
            default_headers.insert(name, value);
        }
        let http = match self.http {
            Some(_) if !self.tls.is_empty() => {
                return Err(Error::InvalidRequest(
                    "a client certificate or root certificate cannot be added to your own \
                     reqwest::Client: set it on that client's builder (identity, \
                     tls_certs_merge)"
                        .into(),
                ))
            }
            Some(http) => http,
            None => {
                crypto_provider()?;
                // reqwest reads the key only when it builds the client.
                let hint = if self.tls.identity.is_some() {
                    " (are the client certificate and key a PEM certificate chain and \
                     private key?)"
                } else {
                    ""
                };
                self.tls
                    .apply(reqwest::Client::builder())?
                    .redirect(same_origin_redirects(origin.clone()))
                    .referer(false)
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(USER_AGENT)
                    .build()
                    // The top-level message only: a parser's detail could quote the key.
                    .map_err(|e| {
                        Error::InvalidRequest(format!("cannot build the HTTP client{hint}: {e}"))
                    })?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                base_url: base.trim_end_matches('/').to_string(),
                origin,
                http,
                credentials: self.credentials,
                default_headers,
                retry: self.retry,
                max_response_bytes: self
                    .max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
                token_timeout: self.token_timeout.unwrap_or(DEFAULT_TOKEN_TIMEOUT),
                max_pages: self.max_pages.unwrap_or(DEFAULT_MAX_PAGES),
            }),
        })
    }
}

/// Follows a redirect only to the API's own origin, so that neither the
/// credentials, nor a re-sent body (307, 308), nor a handed-out URL's
/// signature (which reqwest would put in `Referer`) goes anywhere else, and
/// an https origin is never downgraded to http (another origin). The
/// redirect the client stops at comes back as the response, and the
/// operation reports it as [`Error::Redirected`].
fn same_origin_redirects(origin: String) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.stop()
        } else if attempt.url().origin().ascii_serialization() == origin
            && attempt
                .previous()
                .last()
                .is_some_and(|from| from.origin().ascii_serialization() == origin)
        {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Makes sure rustls has a crypto provider before reqwest builds its client
/// (reqwest would panic without one). With the `ring` feature, installs ring
/// as the process's default unless one is installed already; with
/// `aws-lc-rs`, reqwest uses that itself; with neither, one must have been
/// installed by the program, and this says so instead of panicking.
pub(crate) fn crypto_provider() -> Result<(), Error> {
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err: another thread installed one first, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    #[cfg(not(any(feature = "ring", feature = "aws-lc-rs")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        return Err(Error::InvalidRequest(
            "no TLS crypto provider: enable this crate's `ring` or `aws-lc-rs` feature, or \
             install one with rustls::crypto::CryptoProvider::install_default first"
                .into(),
        ));
    }
    Ok(())
}

/// TLS settings beyond reqwest's defaults.
#[derive(Debug, Default)]
struct Tls {
    /// Client certificate chain and private key, in PEM.
    identity: Option<Secret>,
    /// Extra trusted CA certificates, in PEM.
    roots: Vec<Vec<u8>>,
}

impl Tls {
    fn is_empty(&self) -> bool {
        self.identity.is_none() && self.roots.is_empty()
    }

    fn apply(self, mut builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
        for (i, pem) in self.roots.iter().enumerate() {
            // The certificate is public: its parse error may be shown.
            let root = reqwest::Certificate::from_pem(pem).map_err(|e| {
                Error::InvalidRequest(format!(
                    "root certificate {}: not a PEM certificate: {e}",
                    i + 1
                ))
            })?;
            builder = builder.tls_certs_merge([root]);
        }
        if let Some(Secret(pem)) = &self.identity {
            // The parser's message could quote the key: say only what failed.
            let identity = reqwest::Identity::from_pem(pem).map_err(|_| {
                Error::InvalidRequest(
                    "the client certificate and key are not a PEM certificate chain and \
                     private key (PKCS #8, RSA or EC)"
                        .into(),
                )
            })?;
            builder = builder.identity(identity);
        }
        Ok(builder)
    }
}

/// Bytes that must not be shown (a private key).
struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}
