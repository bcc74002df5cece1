//! One request to a handed-out URL: sent without credentials, given no
//! total timeout but abandoned when no bytes move for the stall timeout,
//! retried by the callers' loops as [`Attempts`] allows, and described in
//! logs and errors without the URL's query string (its signature).

use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};

use super::progress::{stalled, Activity};
use crate::api::ErrorBody;
use crate::client::request::{ContentType, Payload, RequestParts};
use crate::client::response::RawResponse;
use crate::client::Client;
use crate::error::Error;
use crate::retry::{parse_retry_after, RetryPolicy};

/// The per-request timeout transfers set instead of the client's total one
/// (reqwest's `RequestBuilder::timeout` replaces it): a century, which is
/// no limit. The stall timeout is what ends a transfer that stopped.
const NO_TOTAL_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// The largest error body read from blob storage (its XML error).
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// A handed-out URL: where its requests go, and what may be shown of it.
pub(crate) struct Target {
    url: String,
    /// Scheme, host, port and path: no query, no user info.
    shown: String,
    host: String,
    path: String,
    /// What must not appear in errors: the query string and its values.
    secrets: Vec<String>,
}

impl Target {
    pub(crate) fn new(url: &str) -> Result<Target, Error> {
        let parsed = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            // The URL itself is not shown: it may carry a signature.
            .ok_or_else(|| {
                Error::InvalidRequest("the transfer URL is not an absolute http(s) URL".into())
            })?;
        let mut secrets: Vec<String> = Vec::new();
        if let Some(query) = parsed.query().filter(|q| !q.is_empty()) {
            secrets.push(query.to_string());
            for pair in query.split('&') {
                let raw = pair.split_once('=').map_or("", |(_, v)| v);
                secrets.push(raw.to_string());
            }
            for (_, value) in parsed.query_pairs() {
                secrets.push(value.into_owned());
            }
        }
        // Short values (`sp=r`, `sr=b`) say nothing and would blank out
        // ordinary words; longest first, so a value inside another goes too.
        secrets.retain(|s| s.len() >= 6);
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Ok(Target {
            url: url.to_string(),
            shown: format!("{}{}", parsed.origin().ascii_serialization(), parsed.path()),
            host: parsed.host_str().unwrap_or_default().to_string(),
            path: parsed.path().to_string(),
            secrets,
        })
    }

    /// The URL as it is sent, with its signature.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    pub(crate) fn host(&self) -> &str {
        &self.host
    }

    /// The URL without its query, for logs.
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// `text` with the URL's query string and query values blanked out (a
    /// server's error message may quote the request).
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for secret in &self.secrets {
            text = text.replace(secret.as_str(), "<redacted>");
        }
        text
    }

    /// A request to this URL without credentials or default headers, named
    /// by its path in errors.
    pub(crate) fn request(&self, operation: &'static str, method: reqwest::Method) -> RequestParts {
        let mut parts = RequestParts::new(operation, method, self.path.clone());
        parts.follow(self.url.clone());
        parts.plain();
        parts
    }
}

/// Why an attempt got no response.
pub(crate) enum Failure {
    /// The connection failed (the error carries no URL).
    Transport(reqwest::Error),
    /// Nothing moved for this long.
    Stalled(Duration),
}

impl Failure {
    pub(crate) fn into_error(self, operation: &'static str, done: u64) -> Error {
        match self {
            Failure::Transport(e) => Error::transport(operation, e),
            Failure::Stalled(idle) => Error::Stalled {
                operation,
                idle,
                done,
            },
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transport(e) => e.fmt(f),
            Failure::Stalled(idle) => write!(f, "no bytes moved for {idle:?}"),
        }
    }
}

/// Sends one attempt and waits for the response's head, giving up when
/// nothing moves for `stall` (the body, if streamed, touches `activity`).
pub(crate) async fn send(
    client: &Client,
    parts: &RequestParts,
    body: Option<(ContentType, Payload)>,
    activity: &Activity,
    stall: Duration,
) -> Result<Result<reqwest::Response, Failure>, Error> {
    let request = client.prepare(parts, body).await?.timeout(NO_TOTAL_TIMEOUT);
    activity.touch();
    let sending = pin!(request.send());
    let watching = pin!(stalled(activity, stall));
    Ok(match select(sending, watching).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(e), _)) => Err(Failure::Transport(e.without_url())),
        Either::Right((idle, _)) => Err(Failure::Stalled(idle)),
    })
}

/// Statuses worth another attempt on blob storage: timeouts, throttling
/// and server errors (Azure's `500 InternalError`, `503 ServerBusy`).
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The `Retry-After` a response asks for.
pub(crate) fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after)
}

/// The attempts one request of a transfer has left, by the client's
/// [`RetryPolicy`]: its number of attempts and its backoff. Its time limit
/// bounds each wait, not the transfer (a large file takes what it takes).
pub(crate) struct Attempts<'a> {
    policy: &'a RetryPolicy,
    failed: u32,
}

impl<'a> Attempts<'a> {
    pub(crate) fn new(policy: &'a RetryPolicy) -> Self {
        Attempts { policy, failed: 0 }
    }

    /// The attempt about to be made, from 1.
    pub(crate) fn number(&self) -> u32 {
        self.failed.saturating_add(1)
    }

    /// After a failed attempt: how long to wait before the next one, or
    /// `None` when none is left (or the server asks for a longer wait than
    /// the policy allows in all).
    pub(crate) fn next(&mut self, retry_after: Option<Duration>) -> Option<Duration> {
        self.failed = self.failed.saturating_add(1);
        if self.failed >= self.policy.attempts() {
            return None;
        }
        let wait = retry_after.unwrap_or_else(|| self.policy.backoff(self.failed));
        (!self.policy.past_deadline(Duration::ZERO, wait)).then_some(wait)
    }

    /// The last attempt made progress: the next failure starts the count
    /// again.
    pub(crate) fn reset(&mut self) {
        self.failed = 0;
    }
}

/// The error for a final non-success response: its status and body (up to
/// 64 KiB, read while bytes keep moving), with the URL's secrets blanked.
pub(crate) async fn failed(
    response: reqwest::Response,
    parts: &RequestParts,
    target: &Target,
    stall: Duration,
    done: u64,
) -> Error {
    let raw = RawResponse {
        operation: parts.operation,
        method: parts.method.clone(),
        path: parts.path.clone(),
        inner: response,
    };
    match tokio::time::timeout(stall, raw.read(ERROR_BODY_LIMIT)).await {
        Err(_) => Error::Stalled {
            operation: parts.operation,
            idle: stall,
            done,
        },
        Ok(Err(e)) => e,
        Ok(Ok(response)) => {
            let body = match response.unparsed_error_body() {
                ErrorBody::Text(text) => ErrorBody::Text(target.scrub(&text)),
                other => other,
            };
            response.into_error(body)
        }
    }
}
