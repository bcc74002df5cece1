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
}

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

    /// Uses this token for every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Credentials::Static(token.into().into());
        self
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
                http,
                credentials: self.credentials,
                default_headers,
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
    http: reqwest::Client,
    credentials: Credentials,
    default_headers: HeaderMap,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
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

    /// Sends a request and reads the whole response.
    pub(crate) async fn execute(&self, parts: RequestParts) -> Result<Response, Error> {
        let RequestParts { operation, method, path, mut query, mut headers, body, authenticated, cookies } = parts;
        let mut headers_out = self.inner.default_headers.clone();
        for (name, value) in headers.drain(..) {
            headers_out.append(name, value);
        }
        if authenticated {
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
                        let mut cookie = cookies.clone().unwrap_or_default();
                        if !cookie.is_empty() {
                            cookie.push_str("; ");
                        }
                        cookie.push_str(&format!("{name}={}", encode(&secret, COMPONENT)));
                        headers_out.insert(reqwest::header::COOKIE, secret_header("", &cookie)?)
                    }
                };
            }
        }
        if let Some(cookies) = cookies {
            if !headers_out.contains_key(reqwest::header::COOKIE) {
                headers_out.insert(reqwest::header::COOKIE, secret_header("", &cookies)?);
            }
        }
        // `/` alone is the collection at the base URL itself: no trailing slash.
        let mut url = format!("{}{}", self.inner.base_url, if path == "/" { "" } else { path.as_str() });
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        let mut request = self.inner.http.request(method.clone(), &url).headers(headers_out);
        if let Some((content_type, body)) = body {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type).body(body);
        }
        let response = request.send().await.map_err(|e| Error::transport(operation, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(|e| Error::transport(operation, e))?;
        Ok(Response { operation, method, path, status, headers, body })
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

/// How a list-valued query parameter is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ListStyle {
    /// `k=a&k=b`.
    Exploded,
    /// `k=a,b` (or another delimiter).
    Delimited(&'static str),
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
    body: Option<(&'static str, reqwest::Body)>,
    authenticated: bool,
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
        }
    }

    pub(crate) fn query(&mut self, name: &str, value: &impl fmt::Display) {
        push_query(&mut self.query, name, &value.to_string());
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

    pub(crate) fn json_body(&mut self, content_type: &'static str, body: &impl serde::Serialize) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(format!("cannot encode the request body as JSON: {e}")))?;
        self.body = Some((content_type, bytes.into()));
        Ok(())
    }

    pub(crate) fn bytes_body(&mut self, content_type: &'static str, body: reqwest::Body) {
        self.body = Some((content_type, body));
    }

    pub(crate) fn text_body(&mut self, content_type: &'static str, body: String) {
        self.body = Some((content_type, body.into()));
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
