// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! The HTTP client: configuration, credentials, and the request/response
//! plumbing that every operation uses.

// The same runtime serves every API; an API without, say, cookie parameters
// leaves the cookie helpers unused.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::{ApiError, Error};
use crate::retry::{self, RetryPolicy};
use crate::ErrorBody;

/// Any error, as returned by a [`TokenProvider`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A source of access tokens, asked before every request, so that it can
/// refresh tokens as they expire.
///
/// Any `Fn() -> impl Future<Output = Result<String, BoxError>>` closure is a
/// token provider.
pub trait TokenProvider: Send + Sync + 'static {
    /// The current access token (without the `Bearer ` prefix).
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + '_>>;
}

impl<F, Fut> TokenProvider for F
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, BoxError>> + Send + 'static,
{
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + '_>> {
        Box::pin(self())
    }
}

/// Where the API wants its credential, from the document's security schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AuthPlacement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <token>` (the caller supplies the base64 text).
    Basic,
    /// An API key in this header.
    Header(&'static str),
    /// An API key in this query parameter.
    Query(&'static str),
    /// An API key in this cookie.
    Cookie(&'static str),
}

/// A credential. Its `Debug` form never shows the secret.
#[derive(Clone, Default)]
enum Credentials {
    #[default]
    None,
    Static(Arc<str>),
    Provider(Arc<dyn TokenProvider>),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credentials::None => "None",
            Credentials::Static(_) => "Static(<redacted>)",
            Credentials::Provider(_) => "Provider(<redacted>)",
        })
    }
}

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

/// The default largest response body the client reads into memory: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// The default time allowed for a whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

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
            .or_else(|| crate::DEFAULT_BASE_URL.map(str::to_string))
            .ok_or_else(|| Error::InvalidRequest("no base URL: call ClientBuilder::base_url".into()))?;
        let parsed = reqwest::Url::parse(&base)
            .map_err(|e| Error::InvalidRequest(format!("invalid base URL `{base}`: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidRequest(format!("base URL `{base}` is not http or https")));
        }
        let mut default_headers = HeaderMap::new();
        for (name, value) in crate::DEFAULT_HEADERS {
            default_headers.insert(
                HeaderName::from_static_str(name)?,
                HeaderValue::from_str(value).map_err(|e| Error::InvalidRequest(format!("header {name}: {e}")))?,
            );
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
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
                max_response_bytes: self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            }),
        })
    }
}

trait FromStaticStr: Sized {
    fn from_static_str(name: &str) -> Result<Self, Error>;
}

impl FromStaticStr for HeaderName {
    fn from_static_str(name: &str) -> Result<Self, Error> {
        HeaderName::from_bytes(name.as_bytes()).map_err(|e| Error::InvalidRequest(format!("header name {name}: {e}")))
    }
}

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
    credentials: Credentials,
    default_headers: HeaderMap,
    retry: RetryPolicy,
    max_response_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
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

    async fn credential(&self) -> Result<Option<String>, Error> {
        match &self.inner.credentials {
            Credentials::None => Ok(None),
            Credentials::Static(token) => Ok(Some(token.to_string())),
            Credentials::Provider(provider) => provider.token().await.map(Some).map_err(Error::Credentials),
        }
    }

    /// Whether `url` is on the API's own origin (scheme, host and port of the
    /// base URL): the only place credentials are sent.
    pub fn is_api_origin(&self, url: &str) -> bool {
        reqwest::Url::parse(url).is_ok_and(|u| u.origin().ascii_serialization() == self.inner.origin)
    }

    pub(crate) fn max_response_bytes(&self) -> u64 {
        self.inner.max_response_bytes
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Sends a request, retrying as the policy allows, and reads the whole
    /// response (up to the size limit).
    pub(crate) async fn execute(&self, parts: RequestParts) -> Result<Response, Error> {
        let raw = self.execute_raw(parts).await?;
        raw.read(self.inner.max_response_bytes).await
    }

    /// Sends a request, retrying as the policy allows, and returns the
    /// response with its body unread.
    pub(crate) async fn execute_raw(&self, mut parts: RequestParts) -> Result<RawResponse, Error> {
        let policy = self.inner.retry.clone();
        let started = std::time::Instant::now();
        let idempotent = parts.idempotent.unwrap_or_else(|| retry::is_idempotent(&parts.method));
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // A streamed body cannot be sent twice: it gets one attempt.
            let (body, last_chance) = match parts.body.as_ref().map(|(t, b)| (t.clone(), b.try_clone())) {
                Some((content_type, Some(copy))) => (Some((content_type, copy)), attempt >= policy.attempts()),
                Some(_) => (parts.body.take(), true),
                None => (None, attempt >= policy.attempts()),
            };
            let request = self.prepare(&parts, body).await?;
            let span = tracing::debug_span!(
                "request",
                operation = parts.operation,
                method = %parts.method,
                path = %parts.path,
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let sent = std::time::Instant::now();
            let outcome = {
                let _entered = span.enter();
                tracing::debug!("sending");
                drop(_entered);
                tracing::Instrument::instrument(request.send(), span.clone()).await
            };
            span.record("elapsed_ms", sent.elapsed().as_millis() as u64);
            let wait = match &outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    span.record("status", status);
                    span.in_scope(|| tracing::debug!(status, "answered"));
                    if !retry::retryable_status(status, idempotent) {
                        None
                    } else {
                        let retry_after = response
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(parse_retry_after);
                        Some(retry_after.unwrap_or_else(|| policy.backoff(attempt)))
                    }
                }
                Err(error) => {
                    span.in_scope(|| tracing::debug!(error = %error, "failed"));
                    retry::retryable_transport(error, idempotent).then(|| policy.backoff(attempt))
                }
            };
            let give_up = match wait {
                None => true,
                Some(wait) => last_chance || started.elapsed() + wait > policy.deadline(),
            };
            if give_up {
                let response = outcome.map_err(|e| Error::transport(parts.operation, e))?;
                return Ok(RawResponse {
                    operation: parts.operation,
                    method: parts.method,
                    path: parts.path,
                    inner: response,
                });
            }
            let wait = wait.unwrap_or_default();
            span.in_scope(|| tracing::debug!(wait_ms = wait.as_millis() as u64, "retrying"));
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt's request: default headers, the operation's headers,
    /// credentials when the URL is on the API's origin, and the body.
    async fn prepare(
        &self,
        parts: &RequestParts,
        body: Option<(ContentType, Payload)>,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let mut query = parts.query.clone();
        let mut headers_out = if parts.default_headers { self.inner.default_headers.clone() } else { HeaderMap::new() };
        for (name, value) in &parts.headers {
            headers_out.append(name.clone(), value.clone());
        }
        let url_is_ours = parts.url.as_deref().map_or(true, |url| self.is_api_origin(url));
        if parts.authenticated && url_is_ours {
            if let Some(secret) = self.credential().await? {
                match crate::AUTH_PLACEMENT {
                    AuthPlacement::Bearer => headers_out.insert(reqwest::header::AUTHORIZATION, secret_header("Bearer ", &secret)?),
                    AuthPlacement::Basic => headers_out.insert(reqwest::header::AUTHORIZATION, secret_header("Basic ", &secret)?),
                    AuthPlacement::Header(name) => headers_out.insert(HeaderName::from_static_str(name)?, secret_header("", &secret)?),
                    AuthPlacement::Query(name) => {
                        push_query(&mut query, name, &secret);
                        None
                    }
                    AuthPlacement::Cookie(name) => {
                        let mut cookie = parts.cookies.clone().unwrap_or_default();
                        if !cookie.is_empty() {
                            cookie.push_str("; ");
                        }
                        cookie.push_str(&format!("{name}={}", encode(&secret, COMPONENT)));
                        headers_out.insert(reqwest::header::COOKIE, secret_header("", &cookie)?)
                    }
                };
            }
        }
        if let Some(cookies) = &parts.cookies {
            if !headers_out.contains_key(reqwest::header::COOKIE) {
                headers_out.insert(reqwest::header::COOKIE, secret_header("", cookies)?);
            }
        }
        let url = match &parts.url {
            // A link from a response, used verbatim.
            Some(url) => {
                let mut url = url.clone();
                if !query.is_empty() {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(&query);
                }
                url
            }
            None => {
                // `/` alone is the collection at the base URL itself: no trailing slash.
                let path = if parts.path == "/" { "" } else { parts.path.as_str() };
                let mut url = format!("{}{path}", self.inner.base_url);
                if !query.is_empty() {
                    url.push('?');
                    url.push_str(&query);
                }
                url
            }
        };
        let mut request = self.inner.http.request(parts.method.clone(), &url).headers(headers_out);
        if let Some((content_type, body)) = body {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type.as_ref()).body(body.into_body());
        }
        Ok(request)
    }
}

/// A response whose body has not been read yet.
pub(crate) struct RawResponse {
    operation: &'static str,
    method: reqwest::Method,
    path: String,
    inner: reqwest::Response,
}

impl RawResponse {
    pub(crate) fn is_success(&self) -> bool {
        self.inner.status().is_success()
    }

    pub(crate) fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    pub(crate) fn operation(&self) -> &'static str {
        self.operation
    }

    /// The next piece of the body as it arrives (`None` at its end), for
    /// bodies read item by item (`sequence.rs`).
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        self.inner.chunk().await.map_err(|e| Error::transport(self.operation, e))
    }

    /// Reads the whole body, refusing one larger than `limit` bytes before
    /// it is all in memory.
    pub(crate) async fn read(self, limit: u64) -> Result<Response, Error> {
        let RawResponse { operation, method, path, mut inner } = self;
        let status = inner.status().as_u16();
        let too_large = || Error::ResponseTooLarge { operation, status, limit };
        if inner.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let headers = std::mem::take(inner.headers_mut());
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = inner.chunk().await.map_err(|e| Error::transport(operation, e))? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { operation, method, path, status, headers, body: body.freeze() })
    }

    /// Streams the body into `writer`, chunk by chunk; returns the number of
    /// bytes written.
    pub(crate) async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self.inner.chunk().await.map_err(|e| Error::transport(self.operation, e))? {
            writer.write_all(&chunk).await.map_err(|e| Error::io("cannot write the downloaded body", e))?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| Error::io("cannot write the downloaded body", e))?;
        Ok(written)
    }
}

/// A header value that holds a secret: marked sensitive so that reqwest and
/// hyper never print it.
fn secret_header(prefix: &str, secret: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("{prefix}{secret}"))
        .map_err(|_| Error::InvalidRequest("the credential contains characters not allowed in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Characters escaped in a path segment or query component: everything but
/// RFC 3986's unreserved characters and `$`, which the APIs use in parameter
/// names (`$top`) and which is safe in both places.
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ').add(b'"').add(b'#').add(b'%').add(b'&').add(b'\'').add(b'(').add(b')').add(b'*')
    .add(b'+').add(b',').add(b'/').add(b':').add(b';').add(b'<').add(b'=').add(b'>').add(b'?')
    .add(b'@').add(b'[').add(b'\\').add(b']').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}')
    .add(b'!');

fn encode(text: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(text, set).to_string()
}

/// A date-time parameter as RFC 3339 (`2024-01-01T00:00:00Z`), what OpenAPI's
/// `format: date-time` means; chrono's `Display` is not that. Generic so
/// that crates without date-time parameters need no chrono.
pub(crate) fn rfc3339<T: RfcDateTime>(value: &T) -> String {
    value.rfc3339()
}

/// Implemented for chrono's UTC date-time in crates that use it.
pub(crate) trait RfcDateTime {
    fn rfc3339(&self) -> String;
}

/// A path parameter's value, percent-encoded as one segment (a `/` in a
/// value cannot change which resource is addressed).
pub(crate) fn path_param(value: &impl fmt::Display) -> String {
    encode(&value.to_string(), COMPONENT)
}

fn push_query(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&encode(name, COMPONENT));
    query.push('=');
    query.push_str(&encode(value, COMPONENT));
}

/// A JSON scalar as query text; `None` for null (left out) and for nested
/// values, which the model builder does not let through.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How a list-valued query parameter is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ListStyle {
    /// `k=a&k=b`.
    Exploded,
    /// `k=a,b` (or another delimiter).
    Delimited(&'static str),
}

/// A body's `Content-Type`: fixed by the document, or made per request (a
/// multipart body's boundary).
type ContentType = std::borrow::Cow<'static, str>;

/// A request body: bytes can be sent again on a retry, a stream only once.
pub(crate) enum Payload {
    Bytes(bytes::Bytes),
    Stream(reqwest::Body),
}

impl Payload {
    fn try_clone(&self) -> Option<Payload> {
        match self {
            Payload::Bytes(bytes) => Some(Payload::Bytes(bytes.clone())),
            Payload::Stream(_) => None,
        }
    }

    fn into_body(self) -> reqwest::Body {
        match self {
            Payload::Bytes(bytes) => bytes.into(),
            Payload::Stream(body) => body,
        }
    }
}

/// Everything an operation puts into a request before credentials and
/// default headers are added.
pub(crate) struct RequestParts {
    operation: &'static str,
    method: reqwest::Method,
    path: String,
    query: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Option<String>,
    body: Option<(ContentType, Payload)>,
    authenticated: bool,
    /// An absolute URL (a link from a response) instead of base URL + path.
    url: Option<String>,
    /// Overrides the method's idempotency (`x-idempotent`).
    idempotent: Option<bool>,
    /// Whether the client's default headers go with the request (not to
    /// blob storage).
    default_headers: bool,
}

impl RequestParts {
    pub(crate) fn new(operation: &'static str, method: reqwest::Method, path: String) -> Self {
        RequestParts {
            operation,
            method,
            path,
            query: String::new(),
            headers: Vec::new(),
            cookies: None,
            body: None,
            authenticated: true,
            url: None,
            idempotent: None,
            default_headers: true,
        }
    }

    pub(crate) fn operation(&self) -> &'static str {
        self.operation
    }

    /// A request to a URL the API handed out: no credentials, no default
    /// headers.
    pub(crate) fn plain(&mut self) {
        self.authenticated = false;
        self.default_headers = false;
    }

    /// A copy for another request, when the body can be copied.
    pub(crate) fn try_clone(&self) -> Option<RequestParts> {
        let body = match &self.body {
            Some((content_type, body)) => Some((content_type.clone(), body.try_clone()?)),
            None => None,
        };
        Some(RequestParts {
            operation: self.operation,
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body,
            authenticated: self.authenticated,
            url: self.url.clone(),
            idempotent: self.idempotent,
            default_headers: self.default_headers,
        })
    }

    /// Sends this request to `url` (a link the API returned, used verbatim)
    /// instead of base URL + path + query. Credentials go with it only when
    /// it is on the API's origin.
    pub(crate) fn follow(&mut self, url: String) {
        self.query.clear();
        self.url = Some(url);
    }

    /// The URL this request goes to, when it follows a link.
    pub(crate) fn link(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// Replaces the query parameter `name` (all its values) with `value`.
    pub(crate) fn set_query(&mut self, name: &str, value: &impl fmt::Display) {
        let prefix = format!("{}=", encode(name, COMPONENT));
        let kept: Vec<&str> = self.query.split('&').filter(|pair| !pair.is_empty() && !pair.starts_with(&prefix)).collect();
        self.query = kept.join("&");
        self.query(name, value);
    }

    /// The document marks the operation as safe to send twice (or not).
    pub(crate) fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = Some(idempotent);
    }

    /// Patches the JSON body: sets the value at `pointer` (RFC 6901),
    /// creating objects on the way. Used by flows that fill in a field the
    /// caller cannot know in advance (a file's size).
    pub(crate) fn patch_json_body(&mut self, pointer: &str, value: serde_json::Value) -> Result<(), Error> {
        let Some((content_type, Payload::Bytes(bytes))) = self.body.take() else {
            return Err(Error::InvalidRequest("the request has no JSON body to patch".into()));
        };
        let mut json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::InvalidRequest(format!("the request body is not JSON: {e}")))?;
        let mut slot = &mut json;
        for token in pointer.split('/').skip(1) {
            let key = token.replace("~1", "/").replace("~0", "~");
            if !slot.is_object() {
                *slot = serde_json::Value::Object(Default::default());
            }
            let serde_json::Value::Object(map) = slot else {
                return Err(Error::InvalidRequest(format!("cannot set `{pointer}` in the request body")));
            };
            slot = map.entry(key).or_insert(serde_json::Value::Null);
        }
        *slot = value;
        self.json_body(content_type, &json)
    }

    pub(crate) fn query(&mut self, name: &str, value: &impl fmt::Display) {
        push_query(&mut self.query, name, &value.to_string());
    }

    /// Appends pairs already encoded as `application/x-www-form-urlencoded`
    /// (an OpenAPI 3.2 `in: querystring` parameter: the whole query string).
    pub(crate) fn raw_query(&mut self, encoded: String) {
        if encoded.is_empty() {
            return;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(&encoded);
    }

    pub(crate) fn query_list<T: fmt::Display>(&mut self, name: &str, values: &[T], style: ListStyle) {
        match style {
            ListStyle::Exploded => values.iter().for_each(|v| self.query(name, v)),
            ListStyle::Delimited(delimiter) => {
                if !values.is_empty() {
                    let joined = values.iter().map(|v| encode(&v.to_string(), COMPONENT)).collect::<Vec<_>>();
                    if !self.query.is_empty() {
                        self.query.push('&');
                    }
                    self.query.push_str(&encode(name, COMPONENT));
                    self.query.push('=');
                    self.query.push_str(&joined.join(&encode(delimiter, COMPONENT)));
                }
            }
        }
    }

    /// A `style: deepObject` query parameter: `name[key]=value` for each
    /// property of the object, by key (absent and null properties are left
    /// out).
    pub(crate) fn query_deep_object(&mut self, name: &str, value: &impl serde::Serialize) -> Result<(), Error> {
        let json = serde_json::to_value(value)
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the query parameter `{name}`: {e}")))?;
        match json {
            serde_json::Value::Object(map) => {
                // By key: serde_json's map order depends on a feature that
                // another crate in the build may turn on.
                let mut pairs: Vec<_> = map.into_iter().collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, value) in pairs {
                    if let Some(text) = scalar_text(&value) {
                        push_query(&mut self.query, &format!("{name}[{key}]"), &text);
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(&other) {
                    push_query(&mut self.query, name, &text);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn header(&mut self, name: &'static str, value: &impl fmt::Display) -> Result<(), Error> {
        let value = value.to_string();
        let header_value = HeaderValue::from_str(&value)
            .map_err(|_| Error::InvalidRequest(format!("the value of header `{name}` contains characters not allowed in a header")))?;
        self.headers.push((HeaderName::from_static_str(name)?, header_value));
        Ok(())
    }

    pub(crate) fn header_list<T: fmt::Display>(&mut self, name: &'static str, values: &[T]) -> Result<(), Error> {
        let joined = values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        self.header(name, &joined)
    }

    pub(crate) fn cookie(&mut self, name: &str, value: &impl fmt::Display) {
        let cookies = self.cookies.get_or_insert_with(String::new);
        if !cookies.is_empty() {
            cookies.push_str("; ");
        }
        cookies.push_str(&format!("{name}={}", encode(&value.to_string(), COMPONENT)));
    }

    pub(crate) fn cookie_list<T: fmt::Display>(&mut self, name: &str, values: &[T]) {
        let joined = values.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        self.cookie(name, &joined);
    }

    pub(crate) fn json_body(&mut self, content_type: impl Into<ContentType>, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the request body as JSON: {e}")))?;
        self.body = Some((content_type.into(), Payload::Bytes(bytes.into())));
        Ok(())
    }

    pub(crate) fn bytes_body(&mut self, content_type: impl Into<ContentType>, body: bytes::Bytes) {
        self.body = Some((content_type.into(), Payload::Bytes(body)));
    }

    pub(crate) fn stream_body(&mut self, content_type: &'static str, body: reqwest::Body) {
        self.body = Some((content_type.into(), Payload::Stream(body)));
    }

    pub(crate) fn text_body(&mut self, content_type: &'static str, body: String) {
        self.body = Some((content_type.into(), Payload::Bytes(body.into())));
    }

    /// The operation declares `security: []`: send no credentials.
    pub(crate) fn without_credentials(&mut self) {
        self.authenticated = false;
    }
}

/// A whole response, read into memory.
pub(crate) struct Response {
    operation: &'static str,
    method: reqwest::Method,
    path: String,
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Response {
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            operation: self.operation,
            status: self.status,
            source,
            body: String::from_utf8_lossy(&self.body[..self.body.len().min(4096)]).into_owned(),
        })
    }

    pub(crate) fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|_| Error::InvalidResponse {
            operation: self.operation,
            status: self.status,
            reason: "the body is not valid UTF-8 text".into(),
        })
    }

    pub(crate) fn bytes(&self) -> bytes::Bytes {
        self.body.clone()
    }

    /// The error body decoded as `T`, or kept as text if it is not a `T`.
    pub(crate) fn error_body<T: serde::de::DeserializeOwned>(&self, wrap: fn(T) -> ErrorBody) -> ErrorBody {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(value) => wrap(value),
            Err(_) => self.unparsed_error_body(),
        }
    }

    pub(crate) fn unparsed_error_body(&self) -> ErrorBody {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            ErrorBody::Empty
        } else {
            ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned())
        }
    }

    pub(crate) fn into_error(self, body: ErrorBody) -> Error {
        let request_id = ["x-correlation-id", "x-request-id", "request-id", "x-ms-request-id"]
            .iter()
            .find_map(|name| self.header(name));
        let retry_after = self
            .headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        Error::Api(Box::new(ApiError {
            operation: self.operation,
            method: self.method,
            path: self.path,
            status: self.status,
            body,
            retry_after,
            request_id,
        }))
    }

    /// A 2xx status the document does not list for this operation.
    pub(crate) fn into_unexpected(self) -> Error {
        Error::InvalidResponse {
            operation: self.operation,
            status: self.status,
            reason: "the API documents no such success status for this operation".into(),
        }
    }
}

/// `Retry-After` is either a number of seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}
