// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! When and how long to wait before trying a request again.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How the client retries requests that failed in a way that may pass.
///
/// What is retried:
/// - **429 Too Many Requests**, for every method: the server did not process
///   the request. The wait is the server's `Retry-After` (seconds or an HTTP
///   date) when it sent one, else the backoff.
/// - **500, 502, 503, 504**, and transport failures after the request may
///   have reached the server (a reset, a timeout), only for idempotent requests
///   (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, and operations the document
///   marks `x-idempotent: true`): a `POST` that may have been processed is
///   never sent twice. 500 can be left out
///   ([`RetryPolicy::retry_internal_server_error`]).
/// - Connection failures (nothing reached the server), for every method.
///
/// Waits between attempts grow exponentially with full jitter, and the whole
/// exchange (attempts and waits) stays within [`RetryPolicy::max_elapsed`]:
/// a `Retry-After` that would end past it is not waited for; the 429 is
/// returned at once, with its `retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    retry_500: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 500 ms up to 30 s, 2 minutes in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            retry_500: true,
        }
    }
}

impl RetryPolicy {
    /// Never retries: every request is sent once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff; each later one is up to twice as long.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time allowed for all attempts and the waits between them.
    pub fn max_elapsed(mut self, limit: Duration) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// Whether a `500 Internal Server Error` is retried for idempotent
    /// requests, like 502–504 (default: yes, as the vendor's own clients
    /// do; a server whose 500s are never transient can turn it off).
    pub fn retry_internal_server_error(mut self, retry: bool) -> Self {
        self.retry_500 = retry;
        self
    }

    /// Whether an answer with this status is worth another attempt.
    pub(crate) fn retries_status(&self, status: u16, idempotent: bool) -> bool {
        status == 429
            || (idempotent && (matches!(status, 502..=504) || (status == 500 && self.retry_500)))
    }

    /// Attempts in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The wait before attempt `attempt + 1` (after `attempt` failures, from
    /// 1): a random duration up to `initial × 2^(attempt-1)`, capped ("full
    /// jitter", so that many clients throttled at once do not return at once).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << exp)
            .min(self.max_backoff);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        if millis == 0 {
            return Duration::ZERO;
        }
        Duration::from_millis(random_u64() % millis.saturating_add(1))
    }

    /// Whether waiting `wait` more, `elapsed` into the exchange, would end
    /// past the deadline. Overflow (a `Retry-After` of `u64::MAX` seconds)
    /// counts as past it.
    pub(crate) fn past_deadline(&self, elapsed: Duration, wait: Duration) -> bool {
        elapsed
            .checked_add(wait)
            .map_or(true, |end| end > self.max_elapsed)
    }

    /// The time left before the deadline, `elapsed` into the exchange.
    pub(crate) fn remaining(&self, elapsed: Duration) -> Duration {
        self.max_elapsed.saturating_sub(elapsed)
    }
}

/// A random number without a random-number crate: std's `RandomState` is
/// seeded from the OS for each instance. Plenty for jitter.
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    hasher.finish()
}

/// Whether a request with this method may be sent twice without harm.
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        method.as_str(),
        "GET" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "TRACE"
    )
}

/// Whether a transport failure is worth another attempt.
pub(crate) fn retryable_transport(error: &reqwest::Error, idempotent: bool) -> bool {
    // A failed connect never reached the server; anything else may have.
    error.is_connect() || (idempotent && (error.is_timeout() || error.is_request()))
}

/// The longest `Retry-After` the client takes from a server: a day. A longer
/// one (up to `u64::MAX` seconds, which would overflow the client's time
/// arithmetic) is read as a day; either way it is past any sensible
/// deadline, so the answer is returned instead of waited for.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `Retry-After` is either a number of seconds or an HTTP date; clamped to
/// [`MAX_RETRY_AFTER`].
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let when = httpdate::parse_http_date(value).ok()?;
            when.duration_since(std::time::SystemTime::now())
                .unwrap_or(Duration::ZERO)
        }
    };
    Some(wait.min(MAX_RETRY_AFTER))
}
