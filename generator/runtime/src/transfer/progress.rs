//! What a transfer reports as it goes, and how it knows whether bytes are
//! still moving (the stall timeout).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How far an upload or a download has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes moved so far. It goes back when a failed attempt is sent
    /// again (an upload reopens its file; a block is sent again), never
    /// when a download resumes from where it stopped.
    pub done: u64,
    /// The whole size, when known: always for uploads; for downloads, the
    /// size the caller expects or the one the server announces
    /// (`Content-Length`, `Content-Range`).
    pub total: Option<u64>,
}

/// A progress callback, shared by the parallel parts of a transfer.
pub(crate) type Report = Arc<dyn Fn(Progress) + Send + Sync>;

/// The bytes a transfer has moved, reported to the caller's callback on
/// every change. Clones share the count (the blocks of one upload).
#[derive(Clone)]
pub(crate) struct Counter {
    done: Arc<AtomicU64>,
    total: Option<u64>,
    report: Option<Report>,
}

impl fmt::Debug for Counter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Counter")
            .field("done", &self.done())
            .field("total", &self.total)
            .finish()
    }
}

impl Counter {
    pub(crate) fn new(total: Option<u64>, report: Option<Report>) -> Self {
        Counter {
            done: Arc::new(AtomicU64::new(0)),
            total,
            report,
        }
    }

    pub(crate) fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// The total became known (a download's first response).
    pub(crate) fn set_total(&mut self, total: Option<u64>) {
        self.total = total;
    }

    pub(crate) fn add(&self, bytes: u64) {
        let done = self
            .done
            .fetch_add(bytes, Ordering::Relaxed)
            .saturating_add(bytes);
        self.tell(done);
    }

    /// An attempt that moved `bytes` failed and will be sent again.
    pub(crate) fn take_back(&self, bytes: u64) {
        if bytes == 0 {
            return;
        }
        let before = self
            .done
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |d| {
                Some(d.saturating_sub(bytes))
            })
            .unwrap_or(0);
        self.tell(before.saturating_sub(bytes));
    }

    /// Reports the current count again (a skipped download: all done).
    pub(crate) fn set(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.tell(done);
    }

    fn tell(&self, done: u64) {
        if let Some(report) = &self.report {
            report(Progress {
                done,
                total: self.total,
            });
        }
    }
}

/// When bytes last moved in one request, in either direction. The request
/// body touches it as the connection takes each piece, the download loop as
/// each piece arrives; [`stalled`] watches it.
#[derive(Debug, Clone)]
pub(crate) struct Activity {
    start: Instant,
    /// Milliseconds from `start` to the last movement.
    last: Arc<AtomicU64>,
}

impl Activity {
    pub(crate) fn new() -> Self {
        Activity {
            start: Instant::now(),
            last: Arc::new(AtomicU64::new(0)),
        }
    }

    pub(crate) fn touch(&self) {
        let now = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.fetch_max(now, Ordering::Relaxed);
    }

    /// How long nothing has moved.
    pub(crate) fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// Resolves once nothing has moved for `limit`, with how long that was.
pub(crate) async fn stalled(activity: &Activity, limit: Duration) -> Duration {
    loop {
        let idle = activity.idle();
        if idle >= limit {
            return idle;
        }
        tokio::time::sleep(limit - idle).await;
    }
}
