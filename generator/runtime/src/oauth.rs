//! OAuth2 token providers for the flows the document's OAuth2 security
//! scheme declares: client credentials (service applications), authorization
//! code with PKCE and a loopback redirect (desktop and command-line tools),
//! and device authorization. Each is an [`OAuth2`], a [`TokenProvider`] that
//! caches its token, refreshes it before it expires (one refresh at a time,
//! however many requests wait), and answers the API's 401 with one forced
//! refresh (the client then retries the request once).
//!
//! The protocol is the `oauth2` crate's; its HTTP requests go through this
//! crate's own reqwest ([`send`], the one piece of glue). Secrets and tokens
//! never appear in `Debug` output, logs or errors.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use oauth2::basic::{BasicClient, BasicTokenResponse};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, DeviceAuthorizationUrl,
    EndpointNotSet, EndpointSet, ErrorResponseType, HttpRequest, HttpResponse, PkceCodeChallenge,
    RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardDeviceAuthorizationResponse,
    StandardErrorResponse, TokenResponse, TokenUrl,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

use crate::api;
use crate::client::{BoxError, ClientBuilder, TokenProvider};

/// How long before its expiry a token is refreshed (default of
/// [`OAuth2::refresh_margin`]): 60 s, and never more than half the token's
/// lifetime.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The default time the user has to log in ([`OAuth2::login_timeout`]).
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(300);
/// Time allowed for one request to the token endpoint.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest token-endpoint answer read.
const MAX_TOKEN_RESPONSE_BYTES: usize = 1024 * 1024;
/// The largest request head the loopback redirect reads.
const MAX_REDIRECT_REQUEST_BYTES: usize = 16 * 1024;

/// The flows of the document's OAuth2 scheme, by their OpenAPI names.
fn flow(name: &str) -> Option<(&'static str, &'static str, &'static [&'static str])> {
    api::OAUTH2_FLOWS
        .iter()
        .find(|(flow, ..)| *flow == name)
        .map(|(_, url, token_url, scopes)| (*url, *token_url, *scopes))
}

/// Which grant gets a new token when there is no refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    ClientCredentials,
    AuthorizationCode,
    DeviceAuthorization,
}

/// An OAuth2 token provider with a token cache. Give it to
/// [`ClientBuilder::token_provider`]; clones share the cache.
///
/// The token URL, authorization URL and scopes default to those of the
/// document's OAuth2 scheme for the flow; the methods below override them.
/// Its `Debug` output shows the client id and the URLs, never the secret or
/// a token.
#[derive(Clone)]
pub struct OAuth2 {
    grant: Grant,
    client_id: String,
    secret: Option<String>,
    token_url: String,
    /// The authorization URL (authorization code) or device authorization
    /// URL (device flow).
    endpoint_url: String,
    scopes: Vec<String>,
    margin: Duration,
    login_timeout: Duration,
    /// The loopback redirect's port (0: the system's choice) and path.
    redirect: (u16, String),
    http: Option<reqwest::Client>,
    /// The client built for the token endpoint when none was given, kept for
    /// the next token request (and shared by clones).
    built: Arc<std::sync::Mutex<Option<reqwest::Client>>>,
    state: Arc<Mutex<State>>,
}

/// The cached token.
#[derive(Default)]
struct State {
    access: Option<oauth2::AccessToken>,
    refresh: Option<RefreshToken>,
    /// When the access token is refreshed: its expiry less the margin.
    /// `None` with a token: no (usable) lifetime was given, so it is used
    /// until the API rejects it.
    refresh_at: Option<Instant>,
    /// The API rejected the token: the next request gets a new one.
    stale: bool,
}

impl fmt::Debug for OAuth2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2")
            .field("grant", &self.grant)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("token_url", &self.token_url)
            .field("endpoint_url", &self.endpoint_url)
            .field("scopes", &self.scopes)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// What the user needs to approve a device login: the page to visit and
/// the code to enter there (the code is no secret of yours to keep: it is
/// shown to the user).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DevicePrompt {
    /// The page where the user enters the code.
    pub verification_uri: String,
    /// The code to enter.
    pub user_code: String,
    /// The page with the code already in it, when the server gives one.
    pub verification_uri_complete: Option<String>,
}

/// An error from the token endpoint or a login (or a token request's
/// transport failure, its text without the URL), its text free of secrets.
#[derive(Debug)]
struct OAuth2Error(String);

impl fmt::Display for OAuth2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OAuth2Error {}

impl OAuth2 {
    fn new(grant: Grant, flow_name: &str, client_id: String, secret: Option<String>) -> Self {
        let (endpoint_url, token_url, scopes) = flow(flow_name).unwrap_or(("", "", &[]));
        OAuth2 {
            grant,
            client_id,
            secret,
            token_url: token_url.to_string(),
            endpoint_url: endpoint_url.to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            margin: DEFAULT_REFRESH_MARGIN,
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            redirect: (0, "/".to_string()),
            http: None,
            built: Arc::default(),
            state: Arc::default(),
        }
    }

    /// The client credentials flow (a service application): tokens for
    /// `client_id` and `client_secret`, which are sent to the token endpoint
    /// with HTTP Basic authentication (RFC 6749, section 2.3.1).
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        OAuth2::new(
            Grant::ClientCredentials,
            "clientCredentials",
            client_id.into(),
            Some(client_secret.into()),
        )
    }

    /// The authorization code flow with PKCE (a desktop or command-line
    /// tool, a public client without a secret): [`Self::login`] opens the
    /// user's browser, then the refresh token keeps the access token fresh.
    pub fn authorization_code(client_id: impl Into<String>) -> Self {
        OAuth2::new(
            Grant::AuthorizationCode,
            "authorizationCode",
            client_id.into(),
            None,
        )
    }

    /// The device authorization flow (RFC 8628, a tool on a machine without
    /// a browser): [`Self::login_on_device`] shows the user a code to enter
    /// on another device.
    pub fn device_authorization(client_id: impl Into<String>) -> Self {
        OAuth2::new(
            Grant::DeviceAuthorization,
            "deviceAuthorization",
            client_id.into(),
            None,
        )
    }

    /// Authenticates the client with this secret too (a confidential
    /// client of the authorization code or device flow).
    pub fn client_secret(mut self, secret: impl Into<String>) -> Self {
        self.secret = Some(secret.into());
        self
    }

    /// Asks for these scopes instead of the document's.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Gets tokens from this URL instead of the document's.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Sends the user to this authorization URL (authorization code flow),
    /// or asks this device authorization URL for a code (device flow),
    /// instead of the document's.
    pub fn authorization_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = url.into();
        self
    }

    /// Refreshes the token this long before it expires (default:
    /// [`DEFAULT_REFRESH_MARGIN`]; never more than half its lifetime).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// How long [`Self::login`] and [`Self::login_on_device`] wait for the
    /// user (default: [`DEFAULT_LOGIN_TIMEOUT`]).
    pub fn login_timeout(mut self, timeout: Duration) -> Self {
        self.login_timeout = timeout;
        self
    }

    /// The redirect [`Self::login`] listens for: `http://127.0.0.1:{port}{path}`
    /// (default: a port of the system's choosing and `/`), for an
    /// application registered with a fixed redirect URI.
    pub fn loopback_redirect(mut self, port: u16, path: impl Into<String>) -> Self {
        let path = path.into();
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        self.redirect = (port, path);
        self
    }

    /// Sends the token requests with this `reqwest::Client` (a proxy, a
    /// private CA) instead of one of its own that follows no redirects.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Logs the user in (authorization code flow with PKCE, S256): listens
    /// on `127.0.0.1` (at a port of the system's choosing unless
    /// [`Self::loopback_redirect`] says otherwise), hands `open` the
    /// authorization URL (open it in a browser, or print it), takes the one
    /// redirect back, checks its `state`, answers the browser with a short
    /// page and exchanges the code for tokens.
    pub async fn login(&self, open: impl FnOnce(&str)) -> Result<(), BoxError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.redirect.0))
            .await
            .map_err(|e| failure(format!("cannot listen for the login redirect: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| failure(format!("cannot listen for the login redirect: {e}")))?
            .port();
        let redirect = format!("http://127.0.0.1:{port}{}", self.redirect.1);
        let client = self
            .oauth_client()?
            .set_auth_uri(parse_url(
                AuthUrl::new,
                &self.endpoint_url,
                "authorization",
            )?)
            .set_redirect_uri(parse_url(RedirectUrl::new, &redirect, "redirect")?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, csrf) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge)
            .url();
        open(url.as_str());
        let code = tokio::time::timeout(self.login_timeout, redirected(&listener, csrf.secret()))
            .await
            .map_err(|_| {
                failure(format!(
                    "no login within {:?}: the browser never came back",
                    self.login_timeout
                ))
            })??;
        let http = self.http()?;
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .map_err(|e| self.token_error(e))?;
        self.state.lock().await.store(&response, self.margin);
        Ok(())
    }

    /// Logs the user in with the device authorization flow: asks for a
    /// code, hands it to `show` (print it), then polls the token endpoint
    /// at the interval the server asks until the user has approved.
    pub async fn login_on_device(&self, show: impl FnOnce(&DevicePrompt)) -> Result<(), BoxError> {
        let client = self.oauth_client()?.set_device_authorization_url(parse_url(
            DeviceAuthorizationUrl::new,
            &self.endpoint_url,
            "device authorization",
        )?);
        let http = self.http()?;
        let details: StandardDeviceAuthorizationResponse = client
            .exchange_device_code()
            .add_scopes(self.scopes.iter().cloned().map(Scope::new))
            .request_async(&http)
            .await
            .map_err(|e| self.token_error(e))?;
        show(&DevicePrompt {
            verification_uri: details.verification_uri().to_string(),
            user_code: details.user_code().secret().clone(),
            verification_uri_complete: details
                .verification_uri_complete()
                .map(|u| u.secret().clone()),
        });
        let response = client
            .exchange_device_access_token(&details)
            .request_async(&http, tokio::time::sleep, Some(self.login_timeout))
            .await
            .map_err(|e| self.token_error(e))?;
        self.state.lock().await.store(&response, self.margin);
        Ok(())
    }

    /// The cached token, or a new one: one refresh at a time (the lock is
    /// held across it, so waiting callers get its result).
    async fn current(&self) -> Result<String, BoxError> {
        let mut state = self.state.lock().await;
        if let Some(token) = state.fresh(Instant::now()) {
            return Ok(token);
        }
        let response = match state.refresh.clone() {
            Some(refresh) => match self.refresh(&refresh).await {
                Ok(response) => response,
                // A refresh token may expire; client credentials need none.
                Err(_) if self.grant == Grant::ClientCredentials => self.new_token().await?,
                Err(error) => return Err(error),
            },
            None => self.new_token().await?,
        };
        Ok(state.store(&response, self.margin))
    }

    async fn new_token(&self) -> Result<BasicTokenResponse, BoxError> {
        match self.grant {
            Grant::ClientCredentials => {
                let http = self.http()?;
                self.oauth_client()?
                    .exchange_client_credentials()
                    .add_scopes(self.scopes.iter().cloned().map(Scope::new))
                    .request_async(&http)
                    .await
                    .map_err(|e| self.token_error(e))
            }
            Grant::AuthorizationCode => Err(failure(
                "no token: call OAuth2::login first (or log in again: the session has ended)"
                    .into(),
            )),
            Grant::DeviceAuthorization => Err(failure(
                "no token: call OAuth2::login_on_device first (or log in again: the session has \
                 ended)"
                    .into(),
            )),
        }
    }

    async fn refresh(&self, refresh: &RefreshToken) -> Result<BasicTokenResponse, BoxError> {
        let http = self.http()?;
        self.oauth_client()?
            .exchange_refresh_token(refresh)
            .request_async(&http)
            .await
            .map_err(|e| self.token_error(e))
    }

    /// The `oauth2` client for the token endpoint.
    fn oauth_client(
        &self,
    ) -> Result<
        BasicClient<EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>,
        BoxError,
    > {
        let client = BasicClient::new(ClientId::new(self.client_id.clone()))
            .set_token_uri(parse_url(TokenUrl::new, &self.token_url, "token")?);
        Ok(match &self.secret {
            Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
            None => client,
        })
    }

    fn http(&self) -> Result<Http, BoxError> {
        if let Some(http) = &self.http {
            return Ok(Http(http.clone()));
        }
        let mut built = self
            .built
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(http) = built.as_ref() {
            return Ok(Http(http.clone()));
        }
        // reqwest panics without a TLS crypto provider; this installs the
        // crate's (or says that there is none).
        crate::client::builder::crypto_provider().map_err(|e| failure(e.to_string()))?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TOKEN_REQUEST_TIMEOUT)
            .user_agent(crate::client::builder::USER_AGENT)
            .build()
            .map_err(|e| {
                failure(format!(
                    "cannot build the HTTP client for the token endpoint: {e}"
                ))
            })?;
        *built = Some(http.clone());
        Ok(Http(http))
    }

    /// A token-endpoint error as text without secrets: the server's error
    /// code and description, or what went wrong, token-like words redacted
    /// and the client secret never quoted.
    fn token_error<T: ErrorResponseType + fmt::Display>(
        &self,
        error: RequestTokenError<OAuth2Error, StandardErrorResponse<T>>,
    ) -> BoxError {
        // The error code is the protocol's word; the rest may quote anything.
        let text = match error {
            RequestTokenError::ServerResponse(response) => {
                let mut text = format!("the token endpoint refused: {}", response.error());
                if let Some(description) = response.error_description() {
                    text.push_str(": ");
                    text.push_str(&self.redact(description));
                }
                text
            }
            RequestTokenError::Request(error) => {
                format!("the token endpoint failed: {}", self.redact(&error.0))
            }
            RequestTokenError::Parse(error, _body) => format!(
                "the token endpoint's answer is not a token response: {}",
                self.redact(&error.to_string())
            ),
            RequestTokenError::Other(text) => {
                format!("the token endpoint failed: {}", self.redact(&text))
            }
        };
        failure(text)
    }

    /// `text` with token-like words and the client secret redacted.
    fn redact(&self, text: &str) -> String {
        let mut text = redact_tokens(text);
        if let Some(secret) = self.secret.as_deref().filter(|s| !s.is_empty()) {
            text = text.replace(secret, "<redacted>");
        }
        text
    }
}

impl TokenProvider for OAuth2 {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send + '_>> {
        Box::pin(self.current())
    }

    fn rejected<'a>(&'a self, token: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            let same = state.access.as_ref().is_some_and(|a| a.secret() == token);
            if same {
                state.stale = true;
            }
            // Another request's refresh may already have replaced the token.
            !same || state.refresh.is_some() || self.grant == Grant::ClientCredentials
        })
    }
}

impl State {
    /// The access token, if it is neither rejected nor due for a refresh.
    fn fresh(&self, now: Instant) -> Option<String> {
        let token = self.access.as_ref()?;
        let due = self.stale || self.refresh_at.is_some_and(|at| now >= at);
        (!due).then(|| token.secret().clone())
    }

    /// Keeps a token response (a refresh token it lacks keeps the old one),
    /// and returns the access token.
    fn store(&mut self, response: &BasicTokenResponse, margin: Duration) -> String {
        let now = Instant::now();
        self.refresh_at = response.expires_in().and_then(|lifetime| {
            // An absurd lifetime does not overflow: it is then taken as none.
            now.checked_add(lifetime.saturating_sub(margin.min(lifetime / 2)))
        });
        self.access = Some(response.access_token().clone());
        if let Some(refresh) = response.refresh_token() {
            self.refresh = Some(refresh.clone());
        }
        self.stale = false;
        response.access_token().secret().clone()
    }
}

/// Waits for the browser's redirect with the code, answering it (and any
/// other request, such as a favicon, with a 404) with a short page.
async fn redirected(listener: &tokio::net::TcpListener, state: &str) -> Result<String, BoxError> {
    loop {
        let (mut stream, _) = listener
            .accept()
            .await
            .map_err(|e| failure(format!("the login redirect failed: {e}")))?;
        let mut head = Vec::new();
        let mut buffer = [0u8; 2048];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REDIRECT_REQUEST_BYTES
        {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buffer[..n]),
            }
        }
        let target = std::str::from_utf8(&head)
            .ok()
            .and_then(|text| text.lines().next())
            .and_then(|line| line.split(' ').nth(1))
            .unwrap_or("/");
        let url = oauth2::url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
        let params: Vec<(String, String)> = url
            .as_ref()
            .map(|u| u.query_pairs().into_owned().collect())
            .unwrap_or_default();
        let param = |name: &str| {
            params
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        let outcome = match (param("state"), param("code"), param("error")) {
            (None, ..) => {
                answer(&mut stream, "404 Not Found", "Not found.").await;
                continue;
            }
            (Some(got), ..) if got != state => {
                Err("the login redirect's state does not match: not this login's answer".into())
            }
            (Some(_), _, Some(error)) => {
                Err(format!("the login was refused: {}", redact_tokens(&error)))
            }
            (Some(_), Some(code), None) => Ok(code),
            (Some(_), None, None) => Err("the login redirect carries no code".into()),
        };
        match &outcome {
            Ok(_) => {
                answer(
                    &mut stream,
                    "200 OK",
                    "Logged in. You can close this window.",
                )
                .await
            }
            Err(_) => answer(&mut stream, "400 Bad Request", "The login failed.").await,
        }
        return outcome.map_err(failure);
    }
}

/// Answers the browser with a small HTML page.
async fn answer(stream: &mut tokio::net::TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{text}</title></head>\
         <body><p>{text}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    // The browser may have gone: nothing to do about it.
    let _ = stream.write_all(response.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// This crate's reqwest as the `oauth2` crate's HTTP client.
struct Http(reqwest::Client);

impl<'c> oauth2::AsyncHttpClient<'c> for Http {
    type Error = OAuth2Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, OAuth2Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(send(&self.0, request))
    }
}

/// The glue between `oauth2` and this crate's reqwest: sends one token
/// request and reads its answer (at most 1 MiB).
async fn send(http: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, OAuth2Error> {
    let (parts, body) = request.into_parts();
    let mut response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .body(body)
        .send()
        .await
        .map_err(|e| OAuth2Error(e.without_url().to_string()))?;
    let mut builder = oauth2::http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        builder = builder.header(name, value);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| OAuth2Error(e.without_url().to_string()))?
    {
        if body.len().saturating_add(chunk.len()) > MAX_TOKEN_RESPONSE_BYTES {
            return Err(OAuth2Error(format!(
                "the token endpoint's answer is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    builder
        .body(body)
        .map_err(|e| OAuth2Error(format!("the token endpoint's answer: {e}")))
}

fn parse_url<T>(
    new: impl FnOnce(String) -> Result<T, oauth2::url::ParseError>,
    url: &str,
    what: &str,
) -> Result<T, BoxError> {
    if url.is_empty() {
        return Err(failure(format!(
            "no {what} URL: the document's OAuth2 scheme names none for this flow; set one"
        )));
    }
    new(url.to_string()).map_err(|e| {
        failure(format!(
            "invalid {what} URL `{}`: {e}",
            crate::client::redact_userinfo(url)
        ))
    })
}

fn failure(text: String) -> BoxError {
    Box::new(OAuth2Error(text))
}

/// `text` with every word that could be a token (20 or more characters of
/// base64, base64url or JWT text) replaced by `<redacted>`.
pub(crate) fn redact_tokens(text: &str) -> String {
    let is_token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '=');
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.chars().count() >= 20 {
            out.push_str("<redacted>");
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

impl ClientBuilder {
    /// Gets tokens with the OAuth2 client credentials flow (a service
    /// application), from the document's token URL for its scopes: short for
    /// `token_provider(OAuth2::client_credentials(client_id, client_secret))`,
    /// which also lets you choose other scopes or another token URL.
    pub fn oauth2_client_credentials(
        self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.token_provider(OAuth2::client_credentials(client_id, client_secret))
    }
}
