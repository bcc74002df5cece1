// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Uploads to and downloads from URLs the API hands out (blob storage with
//! its own signed URL).
//!
//! - These requests never carry the client's credentials or default
//!   headers, whatever the URL.
//! - Bodies are streamed: memory does not grow with the file's size.
//! - No total timeout: a request is abandoned when no bytes moved for the
//!   stall timeout ([`DEFAULT_STALL_TIMEOUT`]), whatever the client's
//!   request timeout, which stays for API calls.
//! - Failures are retried (uploads from the start of the file or of the
//!   block, downloads from where they stopped).
//! - Logs and errors name the URL without its query string (the SAS
//!   signature).
//!
//! `upload`: options, one `PUT`; `blocks`: Azure staged blocks; `download`:
//! resumed downloads, files renamed when complete; `progress`: progress
//! reports and the stall watch; `wire`: one request, its retries, redaction.

// An API without paged listings or long-running work leaves parts of this unused.
#![allow(dead_code)]

pub(crate) mod blocks;
pub(crate) mod download;
mod progress;
mod upload;
mod wire;

use std::path::Path;
use std::time::Duration;

#[allow(unused_imports)] // An API without listings of files leaves it unused.
pub(crate) use download::SetProgress;
pub use download::{DownloadOptions, UrlFuture, DEFAULT_MAX_REFRESHES, DEFAULT_MAX_RESUMES};
pub use progress::Progress;
pub use upload::{
    Storage, UploadOptions, DEFAULT_BLOCK_SIZE, DEFAULT_BLOCK_THRESHOLD, DEFAULT_PARALLELISM,
};

use crate::client::Client;
use crate::error::Error;

/// `url` as it may be shown in errors and logs: scheme, host, port and
/// path, without the query (a SAS signature) or user info. For flows that
/// say in their errors where a file was to go.
pub(crate) fn shown_url(url: &str) -> String {
    wire::Target::new(url).map_or_else(|_| "<not an http(s) URL>".into(), |t| t.shown().into())
}

/// How long a transfer may go without moving a byte before a request is
/// given up (and retried or resumed): 60 s.
pub const DEFAULT_STALL_TIMEOUT: Duration = Duration::from_secs(60);

impl Client {
    /// Uploads the file at `path` to `url`, a URL the API handed out,
    /// streamed from disk with `Content-Type: application/octet-stream` and
    /// its exact `Content-Length`: one `PUT` (with `x-ms-blob-type:
    /// BlockBlob` for [`Storage::Azure`]), or staged blocks for a large
    /// Azure file; retried, stalled requests abandoned (see
    /// [`UploadOptions`]). No credentials are sent: the URL carries its
    /// own. Returns the number of bytes in the file.
    pub async fn upload_file(
        &self,
        url: &str,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<u64, Error> {
        upload::upload(self, url, path.as_ref(), options).await
    }

    /// `GET`s `url` and streams the body into `writer`, without
    /// credentials, with the default [`DownloadOptions`]. Returns the
    /// number of bytes written.
    pub async fn download<W>(&self, url: &str, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        download::download(self, url, writer, &DownloadOptions::default()).await
    }

    /// [`Client::download`] with options: retries, resumption after a
    /// broken connection, the stall timeout, progress. A resumed download
    /// goes on writing where it stopped, so `writer` gets each byte once.
    pub async fn download_with<W>(
        &self,
        url: &str,
        writer: &mut W,
        options: &DownloadOptions,
    ) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        download::download(self, url, writer, options).await
    }

    /// [`Client::download_to_file_with`] with the default options.
    pub async fn download_to_file(&self, url: &str, path: impl AsRef<Path>) -> Result<u64, Error> {
        download::to_file(self, url, path.as_ref(), &DownloadOptions::default()).await
    }

    /// Downloads `url` into a file at `path`, replacing what is there only
    /// once the whole body arrived: it is written to a temporary file
    /// beside `path` (`.<name>.<pid>-<n>.part`), renamed when its size is
    /// the announced one (`Content-Length`, `Content-Range`) and removed if
    /// the download fails, so `path` never holds a truncated file. With
    /// [`DownloadOptions::expected_size`], a file of that size already at
    /// `path` is kept and nothing is downloaded. Returns the file's size.
    pub async fn download_to_file_with(
        &self,
        url: &str,
        path: impl AsRef<Path>,
        options: &DownloadOptions,
    ) -> Result<u64, Error> {
        download::to_file(self, url, path.as_ref(), options).await
    }
}
