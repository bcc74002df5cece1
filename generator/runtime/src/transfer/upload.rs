//! Uploads: the options, the choice between one `PUT` and staged blocks,
//! and the retried `PUT` of a range of a file that both use.

use std::fmt;
use std::io::SeekFrom;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncSeekExt};
use tracing::Instrument;

use super::progress::{Activity, Counter, Report};
use super::wire::{self, Attempts, Target};
use super::{Progress, DEFAULT_STALL_TIMEOUT};
use crate::client::request::{Payload, RequestParts};
use crate::client::Client;
use crate::error::Error;

/// Files larger than this go to Azure as staged blocks unless
/// [`UploadOptions::block_threshold`] says otherwise: 256 MiB, the Azure
/// SDK's single-shot limit, which the official clients use.
pub const DEFAULT_BLOCK_THRESHOLD: u64 = 256 * 1024 * 1024;
/// The default size of one staged block: 8 MiB.
pub const DEFAULT_BLOCK_SIZE: u64 = 8 * 1024 * 1024;
/// The default number of blocks sent at once: 4.
pub const DEFAULT_PARALLELISM: usize = 4;

/// The piece of a file read and handed to the connection at a time.
const CHUNK: usize = 64 * 1024;

/// Where a handed-out upload URL points: the API's `storageType` of the
/// link, which decides how a file is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Storage {
    /// Not said: a URL on an Azure Blob Storage host
    /// (`*.blob.core.windows.net` and the national clouds') is taken as
    /// [`Storage::Azure`], any other gets one `PUT`.
    #[default]
    Generic,
    /// Azure Blob Storage (`storageType: azure`): one `PUT` with
    /// `x-ms-blob-type: BlockBlob`, or staged blocks above the threshold.
    Azure,
    /// A Google Cloud Storage signed URL (`storageType: google`): one `PUT`.
    Google,
}

/// The host suffixes of Azure Blob Storage: public, China, US Government.
const AZURE_BLOB_HOSTS: &[&str] = &[
    ".blob.core.windows.net",
    ".blob.core.chinacloudapi.cn",
    ".blob.core.usgovcloudapi.net",
];

impl Storage {
    /// What to do for a URL on `host`: `Generic` on an Azure host is Azure.
    pub(crate) fn for_host(self, host: &str) -> Storage {
        let host = host.to_ascii_lowercase();
        match self {
            Storage::Generic if AZURE_BLOB_HOSTS.iter().any(|s| host.ends_with(s)) => {
                Storage::Azure
            }
            other => other,
        }
    }

    /// The storage an API's `storageType` names (`azure`, `google`, in any
    /// case); anything else is [`Storage::Generic`].
    pub fn from_storage_type(storage_type: &str) -> Storage {
        if storage_type.eq_ignore_ascii_case("azure") {
            Storage::Azure
        } else if storage_type.eq_ignore_ascii_case("google") {
            Storage::Google
        } else {
            Storage::Generic
        }
    }
}

/// Options of [`Client::upload_file`].
///
/// A file goes in one `PUT`, streamed from disk; a failed attempt (a
/// connection that broke, a stall, a `408`, `429`, `500`, `502`–`504`) is
/// sent again from the start by reopening the file, as the client's
/// [`RetryPolicy`](crate::RetryPolicy) allows. For [`Storage::Azure`], a
/// file larger than [`Self::block_threshold`] goes as staged blocks
/// instead (Put Block, then Put Block List), a few at once, each retried on
/// its own. Memory stays within block size × parallelism whatever the
/// file's size; no request has a total timeout, only the stall timeout.
#[derive(Clone)]
pub struct UploadOptions {
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) progress: Option<Report>,
    pub(super) storage: Storage,
    pub(super) stall_timeout: Duration,
    pub(super) block_threshold: u64,
    pub(super) block_size: u64,
    pub(super) parallelism: usize,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            headers: Vec::new(),
            progress: None,
            storage: Storage::Generic,
            stall_timeout: DEFAULT_STALL_TIMEOUT,
            block_threshold: DEFAULT_BLOCK_THRESHOLD,
            block_size: DEFAULT_BLOCK_SIZE,
            parallelism: DEFAULT_PARALLELISM,
        }
    }
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("headers", &self.headers)
            .field("progress", &self.progress.is_some())
            .field("storage", &self.storage)
            .field("stall_timeout", &self.stall_timeout)
            .field("block_threshold", &self.block_threshold)
            .field("block_size", &self.block_size)
            .field("parallelism", &self.parallelism)
            .finish()
    }
}

impl UploadOptions {
    /// Sends this header with the upload (with a single `PUT`, or with the
    /// Put Block List that commits staged blocks; `x-ms-blob-type` goes
    /// only with a single `PUT`, where Azure needs it).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Calls `report` as the file is sent.
    pub fn progress(mut self, report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }

    /// Where the URL points (default: [`Storage::Generic`]).
    pub fn storage(mut self, storage: Storage) -> Self {
        self.storage = storage;
        self
    }

    /// Where the URL points, by the `storageType` the API gave with it
    /// (`azure`, `google`).
    pub fn storage_type(self, storage_type: &str) -> Self {
        self.storage(Storage::from_storage_type(storage_type))
    }

    /// Gives up on a request when no bytes moved for this long (default:
    /// 60 s). There is no limit on a transfer that keeps moving.
    pub fn stall_timeout(mut self, timeout: Duration) -> Self {
        self.stall_timeout = timeout;
        self
    }

    /// Azure files larger than this go as staged blocks (default: 256 MiB).
    pub fn block_threshold(mut self, bytes: u64) -> Self {
        self.block_threshold = bytes;
        self
    }

    /// The size of one staged block (default: 8 MiB; from 1 byte to
    /// Azure's 4000 MiB). A file of more than 50 000 blocks (Azure's limit)
    /// gets larger blocks.
    pub fn block_size(mut self, bytes: u64) -> Self {
        self.block_size = bytes.max(1);
        self
    }

    /// Staged blocks sent at once (default: 4, at least 1).
    pub fn parallelism(mut self, requests: usize) -> Self {
        self.parallelism = requests.max(1);
        self
    }
}

/// [`Client::upload_file`].
pub(super) async fn upload(
    client: &Client,
    url: &str,
    path: &Path,
    options: &UploadOptions,
) -> Result<u64, Error> {
    let target = Target::new(url)?;
    let total = tokio::fs::metadata(path)
        .await
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?
        .len();
    let counter = Counter::new(Some(total), options.progress.clone());
    let storage = options.storage.for_host(target.host());
    if storage == Storage::Azure && total > options.block_threshold {
        super::blocks::upload(client, &target, path, total, options, &counter).await?;
        return Ok(total);
    }
    let mut parts = target.request("upload", reqwest::Method::PUT);
    let blob_type = options
        .headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("x-ms-blob-type"));
    if storage == Storage::Azure && !blob_type {
        parts.header("x-ms-blob-type", &"BlockBlob")?;
    }
    for (name, value) in &options.headers {
        parts.header(name, value)?;
    }
    let source = Source::File {
        path,
        offset: 0,
        len: total,
    };
    put(
        client,
        &target,
        &parts,
        &source,
        options.stall_timeout,
        &counter,
    )
    .await?;
    Ok(total)
}

/// What a `PUT` sends: a range of a file (reopened for each attempt), or
/// bytes in memory.
pub(super) enum Source<'a> {
    File {
        path: &'a Path,
        offset: u64,
        len: u64,
    },
    Bytes(&'static str, bytes::Bytes),
}

/// Sends `parts` with `source` as its body until it succeeds or the
/// client's retry policy gives up.
pub(super) async fn put(
    client: &Client,
    target: &Target,
    parts: &RequestParts,
    source: &Source<'_>,
    stall: Duration,
    counter: &Counter,
) -> Result<(), Error> {
    let mut attempts = Attempts::new(client.retry_policy());
    loop {
        let activity = Activity::new();
        let moved = Arc::new(AtomicU64::new(0));
        let (content_type, body) = match source {
            Source::File { path, offset, len } => {
                let body = file_body(path, *offset, *len, &activity, counter, &moved).await?;
                ("application/octet-stream", body)
            }
            Source::Bytes(content_type, bytes) => (*content_type, Payload::Bytes(bytes.clone())),
        };
        let mut attempt = parts.try_clone().ok_or_else(|| {
            Error::InvalidRequest("an upload request with a streamed body".into())
        })?;
        if let Source::File { len, .. } = source {
            attempt.header("content-length", len)?;
        }
        let span = tracing::debug_span!(
            "transfer",
            operation = parts.operation,
            method = %parts.method,
            target = target.shown(),
            attempt = attempts.number(),
            status = tracing::field::Empty,
        );
        let outcome = wire::send(
            client,
            &attempt,
            Some((content_type.into(), body)),
            &activity,
            stall,
        )
        .instrument(span.clone())
        .await?;
        let wait = match outcome {
            Ok(response) => {
                let status = response.status().as_u16();
                span.record("status", status);
                span.in_scope(|| tracing::debug!(status, "answered"));
                if response.status().is_success() {
                    return Ok(());
                }
                let next = wire::retryable_status(status)
                    .then(|| attempts.next(wire::retry_after(&response)))
                    .flatten();
                match next {
                    Some(wait) => wait,
                    None => {
                        return Err(
                            wire::failed(response, parts, target, stall, counter.done()).await
                        )
                    }
                }
            }
            Err(failure) => {
                span.in_scope(|| tracing::debug!(reason = %failure, "failed"));
                match attempts.next(None) {
                    Some(wait) => wait,
                    None => return Err(failure.into_error(parts.operation, counter.done())),
                }
            }
        };
        counter.take_back(moved.load(Ordering::Relaxed));
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        span.in_scope(|| tracing::debug!(wait_ms, "retrying"));
        tokio::time::sleep(wait).await;
    }
}

/// `len` bytes of the file at `path` from `offset`, read in pieces as the
/// connection takes them; each piece counts as progress and as activity.
async fn file_body(
    path: &Path,
    offset: u64,
    len: u64,
    activity: &Activity,
    counter: &Counter,
    moved: &Arc<AtomicU64>,
) -> Result<Payload, Error> {
    let what = || format!("cannot read {}", path.display());
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| Error::io(what(), e))?;
    file.seek(SeekFrom::Start(offset))
        .await
        .map_err(|e| Error::io(what(), e))?;
    let state = (file.take(len), 0u64);
    let (activity, counter, moved) = (activity.clone(), counter.clone(), Arc::clone(moved));
    let chunks = futures_util::stream::unfold(Some(state), move |state| {
        let (activity, counter, moved) = (activity.clone(), counter.clone(), Arc::clone(&moved));
        async move {
            let (mut file, read) = state?;
            let mut buffer = vec![0u8; CHUNK];
            match file.read(&mut buffer).await {
                Ok(0) if read < len => Some((
                    Err(std::io::Error::new(
                        std::io::ErrorKind::UnexpectedEof,
                        "the file got shorter while it was uploaded",
                    )),
                    None,
                )),
                Ok(0) => None,
                Ok(n) => {
                    buffer.truncate(n);
                    let n = n as u64;
                    activity.touch();
                    moved.fetch_add(n, Ordering::Relaxed);
                    counter.add(n);
                    Some((Ok(bytes::Bytes::from(buffer)), Some((file, read + n))))
                }
                Err(e) => Some((Err(e), None)),
            }
        }
    });
    Ok(Payload::Stream(reqwest::Body::wrap_stream(chunks)))
}
