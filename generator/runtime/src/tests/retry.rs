use std::time::{Duration, SystemTime};

use reqwest::Method;

use crate::retry::{is_idempotent, parse_retry_after, retryable_transport, RetryPolicy};

#[test]
fn retry_after_in_seconds() {
    assert_eq!(parse_retry_after("120"), Some(Duration::from_secs(120)));
    assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
    assert_eq!(parse_retry_after("0"), Some(Duration::ZERO));
    // Absurd values are clamped to a day, which no deadline waits for.
    assert_eq!(
        parse_retry_after("18446744073709551615"),
        Some(crate::retry::MAX_RETRY_AFTER)
    );
    assert_eq!(
        parse_retry_after("86401"),
        Some(crate::retry::MAX_RETRY_AFTER)
    );
    let in_ten_years =
        httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(315_360_000));
    assert_eq!(
        parse_retry_after(&in_ten_years),
        Some(crate::retry::MAX_RETRY_AFTER)
    );
}

#[test]
fn retry_after_as_an_http_date() {
    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let wait = parse_retry_after(&in_an_hour).expect("a date");
    assert!(
        wait > Duration::from_secs(3590) && wait <= Duration::from_secs(3600),
        "{wait:?}"
    );
    // A date in the past: retry at once.
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
        Some(Duration::ZERO)
    );
    // The obsolete RFC 850 and asctime forms HTTP still allows.
    assert_eq!(
        parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT"),
        Some(Duration::ZERO)
    );
    assert_eq!(
        parse_retry_after("Wed Oct 21 07:28:00 2015"),
        Some(Duration::ZERO)
    );
}

#[test]
fn retry_after_garbage_is_ignored() {
    for value in [
        "",
        "soon",
        "-1",
        "1.5",
        "18446744073709551616",
        "Wed, 32 Oct 2015 07:28:00 GMT",
        "120 seconds",
    ] {
        assert_eq!(parse_retry_after(value), None, "{value:?}");
    }
}

#[test]
fn backoff_stays_under_its_doubling_ceiling_and_the_cap() {
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_secs(1));
    for (attempt, ceiling_ms) in [
        (0, 100),
        (1, 100),
        (2, 200),
        (3, 400),
        (4, 800),
        (5, 1000),
        (30, 1000),
        (u32::MAX, 1000),
    ] {
        let ceiling = Duration::from_millis(ceiling_ms);
        let draws: Vec<Duration> = (0..200).map(|_| policy.backoff(attempt)).collect();
        assert!(
            draws.iter().all(|d| *d <= ceiling),
            "attempt {attempt}: {draws:?}"
        );
        // Full jitter: the draws spread over the range (all 200 in its lower
        // half has probability 2^-200).
        assert!(
            draws.iter().any(|d| *d > ceiling / 2),
            "attempt {attempt}: {draws:?}"
        );
    }
}

#[test]
fn no_initial_backoff_means_no_wait() {
    let policy = RetryPolicy::default().initial_backoff(Duration::ZERO);
    assert!((1..10).all(|attempt| policy.backoff(attempt) == Duration::ZERO));
}

#[test]
fn policy_settings() {
    assert_eq!(RetryPolicy::default().attempts(), 4);
    assert_eq!(
        RetryPolicy::default().remaining(Duration::ZERO),
        Duration::from_secs(120)
    );
    assert_eq!(RetryPolicy::never().attempts(), 1);
    assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    assert_eq!(RetryPolicy::default().max_attempts(9).attempts(), 9);
}

#[test]
fn which_methods_are_idempotent() {
    for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"] {
        assert!(is_idempotent(&method.parse().expect("method")), "{method}");
    }
    for method in ["POST", "PATCH", "CONNECT", "QUERY", "LOCK"] {
        assert!(!is_idempotent(&method.parse().expect("method")), "{method}");
    }
}

#[test]
fn which_statuses_are_retried() {
    let policy = RetryPolicy::default();
    let without_500 = RetryPolicy::default().retry_internal_server_error(false);
    for idempotent in [true, false] {
        assert!(policy.retries_status(429, idempotent));
        assert!(without_500.retries_status(429, idempotent));
        for status in [200, 201, 301, 400, 401, 404, 409, 501, 505, 599] {
            assert!(!policy.retries_status(status, idempotent), "{status}");
        }
    }
    for status in [500, 502, 503, 504] {
        assert!(policy.retries_status(status, true), "{status}");
        assert!(!policy.retries_status(status, false), "{status}");
    }
    assert!(!without_500.retries_status(500, true));
    assert!(without_500.retries_status(502, true));
}

/// A failed connect never reached the server: retried for every method.
#[tokio::test]
async fn a_refused_connection_is_retried_whatever_the_method() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let error = reqwest::Client::new()
        .request(Method::POST, format!("http://127.0.0.1:{port}/"))
        .send()
        .await
        .expect_err("nothing listens there");
    assert!(error.is_connect(), "{error:?}");
    assert!(retryable_transport(&error, false));
    assert!(retryable_transport(&error, true));
}

/// A timeout after the request was sent may have been processed: retried
/// only when the request is idempotent.
#[tokio::test]
async fn a_timeout_is_retried_only_when_idempotent() {
    // Accepts connections (the kernel's backlog) and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("address"));
    let error = reqwest::Client::builder()
        .timeout(Duration::from_millis(100))
        .build()
        .expect("client")
        .post(url)
        .send()
        .await
        .expect_err("no answer");
    assert!(error.is_timeout() && !error.is_connect(), "{error:?}");
    assert!(retryable_transport(&error, true));
    assert!(!retryable_transport(&error, false));
    drop(listener);
}

#[test]
fn extreme_policies_do_not_overflow() {
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::MAX)
        .max_backoff(Duration::MAX)
        .max_elapsed(Duration::MAX);
    for attempt in [0, 1, 2, 63, 64, u32::MAX] {
        let _ = policy.backoff(attempt);
    }
    // Waiting "for ever" a second in is past any deadline, even an endless one.
    assert!(policy.past_deadline(Duration::from_secs(1), Duration::MAX));
    assert!(!policy.past_deadline(Duration::from_secs(1), Duration::from_secs(1)));
    let short = RetryPolicy::default().max_elapsed(Duration::from_secs(10));
    assert!(short.past_deadline(Duration::from_secs(9), Duration::from_secs(2)));
    assert!(!short.past_deadline(Duration::from_secs(8), Duration::from_secs(2)));
    assert_eq!(short.remaining(Duration::MAX), Duration::ZERO);
    assert_eq!(
        short.remaining(Duration::from_secs(4)),
        Duration::from_secs(6)
    );
}
