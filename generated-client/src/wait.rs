// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Waiting for long-running work: poll until a state says it is done.

// An API without paged listings or long-running work leaves parts of this unused.
#![allow(dead_code)]

use std::future::Future;
use std::time::{Duration, Instant};

use crate::error::Error;

/// How a `wait_for_…` method polls.
///
/// The wait ends with success, with [`Error::OperationFailed`] when the API
/// reports a state that is neither pending nor done, or with
/// [`Error::WaitTimedOut`]. To cancel a wait, drop its future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitOptions {
    interval: Duration,
    max_interval: Duration,
    timeout: Duration,
}

impl Default for WaitOptions {
    /// First poll again after 1 s, then 1.5 times longer each time up to
    /// 10 s; give up after 5 minutes.
    fn default() -> Self {
        WaitOptions {
            interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(10),
            timeout: Duration::from_secs(300),
        }
    }
}

impl WaitOptions {
    /// The first pause between polls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// The longest pause between polls.
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// How long to wait in all before [`Error::WaitTimedOut`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// What a poll says about the work.
pub(crate) struct States {
    pub(crate) pending: &'static [&'static str],
    pub(crate) done: &'static [&'static str],
}

/// Calls `poll` until `state` of its result is one of `states.done`.
pub(crate) async fn wait_until<P, F, Fut>(
    operation: &'static str,
    options: &WaitOptions,
    states: States,
    state: fn(&P) -> Option<String>,
    mut poll: F,
) -> Result<P, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<P, Error>>,
{
    let started = Instant::now();
    let mut interval = options.interval;
    let mut last_state = None;
    loop {
        // A poll that hangs is bounded by the wait's timeout too.
        let left = options.timeout.saturating_sub(started.elapsed());
        let value = match tokio::time::timeout(left, poll()).await {
            Ok(value) => value?,
            Err(_) => {
                return Err(Error::WaitTimedOut {
                    operation,
                    waited: started.elapsed(),
                    last_state,
                })
            }
        };
        let current = state(&value);
        tracing::debug!(
            operation,
            state = current.as_deref().unwrap_or("<none>"),
            "polled"
        );
        match current.as_deref() {
            Some(s) if states.done.contains(&s) => return Ok(value),
            Some(s) if states.pending.contains(&s) => {}
            Some(s) => {
                return Err(Error::OperationFailed {
                    operation,
                    state: s.to_string(),
                })
            }
            None => {
                return Err(Error::InvalidResponse {
                    operation,
                    status: 200,
                    reason: "the response does not say the operation's state".into(),
                })
            }
        }
        let waited = started.elapsed();
        if waited >= options.timeout {
            return Err(Error::WaitTimedOut {
                operation,
                waited,
                last_state: current,
            });
        }
        tokio::time::sleep(interval.min(options.timeout.saturating_sub(waited))).await;
        // 1.5 times longer, saturating: `interval(Duration::MAX)` must not
        // overflow (`mul_f64` would panic).
        interval = interval
            .saturating_add(interval / 2)
            .min(options.max_interval.max(options.interval));
        last_state = current;
    }
}
