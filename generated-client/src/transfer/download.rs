// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Downloads: streamed to a writer, resumed with `Range` where a broken
//! connection stopped them, and, into a file, written beside it under a
//! temporary name and renamed only when complete.

use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tracing::Instrument;

use super::progress::{Activity, Counter, Report};
use super::wire::{self, Attempts, Failure, Target};
use super::{Progress, DEFAULT_STALL_TIMEOUT};
use crate::client::Client;
use crate::error::Error;

/// The default number of times a download resumes after a connection that
/// broke (or stalled) midway: 10.
pub const DEFAULT_MAX_RESUMES: u32 = 10;

/// The default number of times a download asks for a fresh URL after a
/// `401` or `403` ([`DownloadOptions::refresh_url`]): 3.
pub const DEFAULT_MAX_REFRESHES: u32 = 3;

/// What a URL refresher returns: a fresh URL, or why there is none.
pub type UrlFuture = Pin<Box<dyn Future<Output = Result<String, Error>> + Send>>;

/// Asks the API again for the URL (re-reads the resource that handed it out).
type Refresh = Arc<dyn Fn() -> UrlFuture + Send + Sync>;

/// The write buffer of a download into a file.
const FILE_BUFFER: usize = 256 * 1024;

/// Options of [`Client::download_with`] and [`Client::download_to_file_with`].
///
/// A request answered `408`, `429`, `500`, `502`–`504`, or that got no
/// answer, is sent again as the client's [`RetryPolicy`](crate::RetryPolicy)
/// allows. A body that breaks off (or stalls) after some bytes arrived is
/// resumed from there with `Range: bytes=N-` (and `If-Match` with the
/// first response's `ETag`, so that the pieces are of one file), up to
/// [`Self::max_resumes`] times. No request has a total timeout, only the
/// stall timeout. A handed-out URL that has expired or is refused (`401`,
/// `403`) is replaced by asking [`Self::refresh_url`]'s refresher for a
/// fresh one, up to [`Self::max_refreshes`] times, and the download goes on
/// from where it was.
#[derive(Clone)]
pub struct DownloadOptions {
    pub(super) progress: Option<Report>,
    pub(super) stall_timeout: Duration,
    pub(super) expected_size: Option<u64>,
    pub(super) max_resumes: u32,
    pub(super) refresh: Option<Refresh>,
    pub(super) max_refreshes: u32,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            progress: None,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            expected_size: None,
            max_resumes: DEFAULT_MAX_RESUMES,
            refresh: None,
            max_refreshes: DEFAULT_MAX_REFRESHES,
        }
    }
}

impl fmt::Debug for DownloadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DownloadOptions")
            .field("progress", &self.progress.is_some())
            .field("stall_timeout", &self.stall_timeout)
            .field("expected_size", &self.expected_size)
            .field("max_resumes", &self.max_resumes)
            .field("refresh", &self.refresh.is_some())
            .field("max_refreshes", &self.max_refreshes)
            .finish()
    }
}

impl DownloadOptions {
    /// Calls `report` as the body arrives.
    pub fn progress(mut self, report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// Gives up on a request when no bytes arrived for this long (default:
    /// 60 s), then resumes. There is no limit on a download that keeps
    /// moving.
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// The size the file must have (the API's `fileSize`): a server that
    /// announces another is an error, and
    /// [`Client::download_to_file_with`] skips the download when a file of
    /// this size is already at the path.
    pub fn expected_size(mut self, bytes: u64) -> Self {
        self.expected_size = Some(bytes);
        self
    }

    /// Resumes after a broken connection at most this many times (default:
    /// 10); 0 never resumes.
    pub fn max_resumes(mut self, resumes: u32) -> Self {
        self.max_resumes = resumes;
        self
    }

    /// When the URL is answered `401` or `403` (a SAS that expired), calls
    /// `refresh` for a fresh one (it re-reads the resource that handed the
    /// URL out, e.g. the changeset) and goes on with it, from the byte
    /// where the download was. Without a refresher, a `403` is an error.
    pub fn refresh_url<F, Fut>(mut self, refresh: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, Error>> + Send + 'static,
    {
        self.refresh = Some(Arc::new(move || -> UrlFuture { Box::pin(refresh()) }));
        self
    }

    /// Asks for a fresh URL at most this many times (default: 3).
    pub fn max_refreshes(mut self, refreshes: u32) -> Self {
        self.max_refreshes = refreshes;
        self
    }
}

/// [`Client::download_with`]: returns the number of bytes written.
pub(super) async fn download<W>(
    client: &Client,
    url: &str,
    writer: &mut W,
    options: &DownloadOptions,
) -> Result<u64, Error>
where
    W: tokio::io::AsyncWrite + Unpin + ?Sized,
{
    let mut target = Target::new(url)?;
    let mut refreshes = 0u32;
    let stall = options.stall_timeout;
    let mut counter = Counter::new(options.expected_size, options.progress.clone());
    let mut total = options.expected_size;
    let mut written = 0u64;
    let mut etag: Option<String> = None;
    let mut resumes = 0u32;
    let mut attempts = Attempts::new(client.retry_policy());
    loop {
        let mut parts = target.request("download", reqwest::Method::GET);
        if written > 0 {
            parts.header("range", &format!("bytes={written}-"))?;
            if let Some(tag) = &etag {
                parts.header("if-match", tag)?;
            }
        }
        let activity = Activity::new();
        let span = tracing::debug_span!(
            "transfer",
            operation = parts.operation,
            method = "GET",
            target = target.shown(),
            attempt = attempts.number(),
            from = written,
            status = tracing::field::Empty,
        );
        let outcome = wire::send(client, &parts, None, &activity, stall)
            .instrument(span.clone())
            .await?;
        let mut response = match outcome {
            Ok(response) => response,
            Err(failure) => {
                span.in_scope(|| tracing::debug!(reason = %failure, "failed"));
                match attempts.next(None) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    None => return Err(failure.into_error(parts.operation, written)),
                }
            }
        };
        let status = response.status().as_u16();
        span.record("status", status);
        span.in_scope(|| tracing::debug!(status, "answered"));
        let invalid = |reason: String| Error::InvalidResponse {
            operation: "download",
            status,
            reason,
        };
        // Bytes at the start of this body that were already written: a
        // server that ignores `Range` sends the whole file again.
        let (mut skip, announced) = match status {
            200 => (written, response.content_length()),
            206 => {
                let range = response
                    .headers()
                    .get(reqwest::header::CONTENT_RANGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(content_range);
                match range {
                    Some((start, whole)) if start == written => (0, whole),
                    _ => {
                        return Err(invalid(format!(
                            "a 206 answer to a request from byte {written} without a matching \
                             Content-Range"
                        )))
                    }
                }
            }
            401 | 403 if options.refresh.is_some() && refreshes < options.max_refreshes => {
                refreshes += 1;
                span.in_scope(|| tracing::debug!(refreshes, "asking for a fresh URL"));
                if let Some(refresh) = &options.refresh {
                    target = Target::new(&refresh().await?)?;
                }
                continue;
            }
            _ if wire::retryable_status(status) => {
                match attempts.next(wire::retry_after(&response)) {
                    Some(wait) => {
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    None => {
                        return Err(wire::failed(response, &parts, &target, stall, written).await)
                    }
                }
            }
            _ => return Err(wire::failed(response, &parts, &target, stall, written).await),
        };
        match (total, announced) {
            (Some(want), Some(got)) if want != got => {
                return Err(invalid(format!(
                    "the server announces {got} bytes where {want} were expected"
                )))
            }
            (None, Some(got)) => {
                total = Some(got);
                counter.set_total(total);
            }
            _ => {}
        }
        let tag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .filter(|tag| !tag.starts_with("W/"))
            .map(str::to_string);
        if written == 0 {
            etag = tag;
        } else if etag.is_some() && tag.is_some() && etag != tag {
            // A server that ignored `If-Match`: the pieces would not be one file.
            return Err(invalid(
                "the file changed during the download (another ETag)".into(),
            ));
        }
        let before = written;
        let broke = loop {
            let chunk = match tokio::time::timeout(stall, response.chunk()).await {
                Err(_) => break Some(Failure::Stalled(stall)),
                Ok(Err(e)) => break Some(Failure::Transport(e.without_url())),
                Ok(Ok(None)) => break None,
                Ok(Ok(Some(chunk))) => chunk,
            };
            let mut piece = &chunk[..];
            if skip > 0 {
                let n = usize::try_from(skip).unwrap_or(usize::MAX).min(piece.len());
                piece = &piece[n..];
                skip -= n as u64;
            }
            let len = piece.len() as u64;
            let now = written.saturating_add(len);
            if total.is_some_and(|t| now > t) {
                return Err(invalid(format!(
                    "the body is longer than the {} bytes announced",
                    total.unwrap_or_default()
                )));
            }
            writer
                .write_all(piece)
                .await
                .map_err(|e| Error::io("cannot write the downloaded body", e))?;
            written = now;
            counter.add(len);
        };
        let complete = match total {
            Some(t) => written == t,
            None => broke.is_none(),
        };
        if complete {
            writer
                .flush()
                .await
                .map_err(|e| Error::io("cannot write the downloaded body", e))?;
            return Ok(written);
        }
        let error = match broke {
            Some(failure) => {
                span.in_scope(|| tracing::debug!(reason = %failure, written, "broke off"));
                failure.into_error(parts.operation, written)
            }
            None => invalid(format!(
                "the body ended after {written} of {} bytes",
                total.unwrap_or_default()
            )),
        };
        if written > before {
            // Progress: pick up from here at once, as often as allowed.
            attempts.reset();
            resumes = resumes.saturating_add(1);
            if resumes > options.max_resumes {
                return Err(error);
            }
        } else {
            match attempts.next(None) {
                Some(wait) => tokio::time::sleep(wait).await,
                None => return Err(error),
            }
        }
    }
}

/// `Content-Range: bytes a-b/c` as `(a, Some(c))` (`c` may be `*`).
pub(crate) fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, whole) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end: u64 = end.trim().parse().ok()?;
    if end < start {
        return None;
    }
    let whole = match whole.trim() {
        "*" => None,
        n => {
            let whole: u64 = n.parse().ok()?;
            if whole <= end {
                return None;
            }
            Some(whole)
        }
    };
    Some((start, whole))
}

/// [`Client::download_to_file_with`].
pub(super) async fn to_file(
    client: &Client,
    url: &str,
    path: &Path,
    options: &DownloadOptions,
) -> Result<u64, Error> {
    if let Some(expected) = options.expected_size {
        let present = tokio::fs::metadata(path)
            .await
            .is_ok_and(|m| m.is_file() && m.len() == expected);
        if present {
            tracing::debug!(path = %path.display(), "already present: not downloaded");
            Counter::new(Some(expected), options.progress.clone()).set(expected);
            return Ok(expected);
        }
    }
    let (mut temp, file) = TempFile::create(path).await?;
    let mut writer = tokio::io::BufWriter::with_capacity(FILE_BUFFER, file);
    let written = download(client, url, &mut writer, options).await?;
    let what = |e| Error::io(format!("cannot write {}", temp.path.display()), e);
    writer.flush().await.map_err(what)?;
    writer.into_inner().sync_all().await.map_err(what)?;
    tokio::fs::rename(&temp.path, path)
        .await
        .map_err(|e| Error::io(format!("cannot rename a download to {}", path.display()), e))?;
    temp.kept = true;
    Ok(written)
}

/// A download's file until it is complete: beside the target (so the
/// rename stays on one file system), removed if the download fails or is
/// dropped (its file is closed by then: it is declared after this guard).
struct TempFile {
    path: PathBuf,
    kept: bool,
}

impl TempFile {
    async fn create(target: &Path) -> Result<(TempFile, tokio::fs::File), Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = target.file_name().ok_or_else(|| {
            Error::InvalidRequest(format!("{} is not a file path", target.display()))
        })?;
        let dir = target.parent().unwrap_or_else(|| Path::new(""));
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let mut temp_name = std::ffi::OsString::from(".");
            temp_name.push(name);
            temp_name.push(format!(".{}-{n}.part", std::process::id()));
            let path = dir.join(temp_name);
            match tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await
            {
                Ok(file) => return Ok((TempFile { path, kept: false }, file)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(Error::io(format!("cannot create {}", path.display()), e));
                }
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The progress of a set of downloads (a listing's files, `download_all`),
/// added up: the caller's callback sees the bytes of every file so far and
/// the sum of the sizes known so far, not one file's.
#[derive(Clone)]
pub(crate) struct SetProgress {
    report: Option<Report>,
    done: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
}

/// One file of a [`SetProgress`]: how much of it the set has counted.
pub(crate) struct SetFile(Arc<AtomicU64>);

// An API without listings of files leaves it unused.
#[allow(dead_code)]
impl SetProgress {
    /// For a set downloaded with `options` (whose callback gets the sums).
    pub(crate) fn new(options: &DownloadOptions) -> Self {
        SetProgress {
            report: options.progress.clone(),
            done: Arc::new(AtomicU64::new(0)),
            total: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The options of one file (its expected size, if set, counts into the
    /// total), and the handle to [`Self::complete`] it with.
    pub(crate) fn file(&self, options: &DownloadOptions) -> (DownloadOptions, SetFile) {
        let counted = Arc::new(AtomicU64::new(0));
        let mut options = options.clone();
        let Some(report) = self.report.clone() else {
            return (options, SetFile(counted));
        };
        if let Some(size) = options.expected_size {
            add(&self.total, size);
        }
        let (done, total, seen) = (self.done.clone(), self.total.clone(), counted.clone());
        options.progress = Some(Arc::new(move |p: Progress| {
            // A download's count never goes back: add what is new.
            let before = seen.fetch_max(p.done, Ordering::Relaxed);
            let now = add(&done, p.done.saturating_sub(before));
            report(Progress {
                done: now,
                total: Some(total.load(Ordering::Relaxed)).filter(|t| *t > 0),
            });
        }));
        (options, SetFile(counted))
    }

    /// The file is there with `size` bytes: what its callback did not count
    /// (a file already present is not downloaded at all) counts now.
    pub(crate) fn complete(&self, file: &SetFile, size: u64) {
        let Some(report) = &self.report else {
            return;
        };
        let before = file.0.fetch_max(size, Ordering::Relaxed);
        let now = add(&self.done, size.saturating_sub(before));
        report(Progress {
            done: now,
            total: Some(self.total.load(Ordering::Relaxed)).filter(|t| *t > 0),
        });
    }
}

/// Adds `n` to `counter`, saturating, and returns the new value.
fn add(counter: &AtomicU64, n: u64) -> u64 {
    let mut current = counter.load(Ordering::Relaxed);
    loop {
        let next = current.saturating_add(n);
        match counter.compare_exchange_weak(current, next, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => return next,
            Err(actual) => current = actual,
        }
    }
}
