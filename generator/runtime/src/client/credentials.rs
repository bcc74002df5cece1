//! Credentials: where the API wants them, where they come from, and how they
//! are kept out of logs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};

use super::encoding::{cookie_pair, header_name, push_query};
use crate::error::Error;

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

    /// Told that the API answered 401 to a request with `token`: whether
    /// the provider will hand out another one, so that the request is worth
    /// sending again (once). A caching provider marks `token` stale here
    /// (and answers `true` if another request has already replaced it).
    /// The default: `false`, no retry.
    fn rejected<'a>(&'a self, token: &'a str) -> Pin<Box<dyn Future<Output = bool> + Send + 'a>> {
        let _ = token;
        Box::pin(std::future::ready(false))
    }
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
pub(super) enum Credentials {
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

impl Credentials {
    /// Whether the secret comes from a [`TokenProvider`] (which may be slow).
    pub(super) fn is_provider(&self) -> bool {
        matches!(self, Credentials::Provider(_))
    }

    /// The secret for one request: the static one, or the provider's answer.
    pub(super) async fn secret(&self) -> Result<Option<String>, Error> {
        match self {
            Credentials::None => Ok(None),
            Credentials::Static(token) => Ok(Some(token.to_string())),
            Credentials::Provider(provider) => {
                provider.token().await.map(Some).map_err(Error::Credentials)
            }
        }
    }

    /// Whether a request whose `secret` the API rejected with 401 is worth
    /// sending again: only a provider that refreshes says so.
    pub(super) async fn rejected(&self, secret: &str) -> bool {
        match self {
            Credentials::Provider(provider) => provider.rejected(secret).await,
            Credentials::None | Credentials::Static(_) => false,
        }
    }
}

/// Puts `secret` where `placement` says: into `headers`, onto `query`, or
/// into the `Cookie` header after the request's own `cookies`.
pub(crate) fn place(
    placement: AuthPlacement,
    secret: &str,
    headers: &mut HeaderMap,
    query: &mut String,
    cookies: Option<&str>,
) -> Result<(), Error> {
    match placement {
        AuthPlacement::Bearer => headers.insert(
            reqwest::header::AUTHORIZATION,
            secret_header("Bearer ", secret)?,
        ),
        AuthPlacement::Basic => headers.insert(
            reqwest::header::AUTHORIZATION,
            secret_header("Basic ", secret)?,
        ),
        AuthPlacement::Header(name) => {
            headers.insert(header_name(name)?, secret_header("", secret)?)
        }
        AuthPlacement::Query(name) => {
            push_query(query, name, secret);
            None
        }
        AuthPlacement::Cookie(name) => {
            let mut cookie = cookies.unwrap_or_default().to_string();
            if !cookie.is_empty() {
                cookie.push_str("; ");
            }
            cookie.push_str(&cookie_pair(name, secret));
            headers.insert(reqwest::header::COOKIE, secret_header("", &cookie)?)
        }
    };
    Ok(())
}

/// A header value that holds a secret: marked sensitive so that reqwest and
/// hyper never print it.
pub(crate) fn secret_header(prefix: &str, secret: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("{prefix}{secret}")).map_err(|_| {
        Error::InvalidRequest("the credential contains characters not allowed in a header".into())
    })?;
    value.set_sensitive(true);
    Ok(value)
}
