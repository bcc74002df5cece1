//! Uploads to and downloads from URLs the API hands out (blob storage with
//! its own signed URL). These requests never carry the client's credentials
//! or default headers, whatever the URL; bodies are streamed, so memory does
//! not grow with the file's size.

// An API without paged listings or long-running work leaves parts of this unused.
#![allow(dead_code)]

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use tokio::io::AsyncReadExt;

use crate::client::request::RequestParts;
use crate::client::Client;
use crate::error::Error;

/// How far an upload has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes handed to the connection so far.
    pub sent: u64,
    /// The file's size.
    pub total: u64,
}

/// Options of [`Client::upload_file`].
#[derive(Clone, Default)]
pub struct UploadOptions {
    headers: Vec<(&'static str, String)>,
    progress: Option<Arc<dyn Fn(Progress) + Send + Sync>>,
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("headers", &self.headers)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl UploadOptions {
    /// Sends this header with the upload (`x-ms-blob-type: BlockBlob`).
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Calls `report` as the file is sent.
    pub fn progress(mut self, report: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(report));
        self
    }
}

const CHUNK: usize = 64 * 1024;

impl Client {
    /// `PUT`s the file at `path` to `url`, streamed from disk, with
    /// `Content-Type: application/octet-stream` and its exact
    /// `Content-Length`. No credentials are sent: the URL carries its own.
    /// Returns the number of bytes sent.
    pub async fn upload_file(
        &self,
        url: &str,
        path: impl AsRef<Path>,
        options: &UploadOptions,
    ) -> Result<u64, Error> {
        let path = path.as_ref();
        let what = || format!("cannot read {}", path.display());
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| Error::io(what(), e))?;
        let total = file
            .metadata()
            .await
            .map_err(|e| Error::io(what(), e))?
            .len();
        let progress = options.progress.clone();
        let chunks = futures_util::stream::unfold(Some((file, 0u64)), move |state| {
            let progress = progress.clone();
            async move {
                let (mut file, sent) = state?;
                let mut buffer = vec![0u8; CHUNK];
                match file.read(&mut buffer).await {
                    Ok(0) => None,
                    Ok(n) => {
                        buffer.truncate(n);
                        let sent = sent + n as u64;
                        if let Some(report) = &progress {
                            report(Progress { sent, total });
                        }
                        Some((Ok(bytes::Bytes::from(buffer)), Some((file, sent))))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        });
        let mut request = RequestParts::new("upload", reqwest::Method::PUT, String::new());
        request.follow(url.to_string());
        request.plain();
        request.header("content-length", &total)?;
        for (name, value) in &options.headers {
            request.header(name, value)?;
        }
        request.stream_body(
            "application/octet-stream",
            reqwest::Body::wrap_stream(chunks),
        );
        let response = self.execute_raw(request).await?;
        if !response.is_success() {
            let response = response.read(64 * 1024).await?;
            let body = response.unparsed_error_body();
            return Err(response.into_error(body));
        }
        Ok(total)
    }

    /// `GET`s `url` and streams the body into `writer`, without credentials.
    /// Returns the number of bytes written.
    pub async fn download<W>(&self, url: &str, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        let mut request = RequestParts::new("download", reqwest::Method::GET, String::new());
        request.follow(url.to_string());
        request.plain();
        let response = self.execute_raw(request).await?;
        if !response.is_success() {
            let response = response.read(64 * 1024).await?;
            let body = response.unparsed_error_body();
            return Err(response.into_error(body));
        }
        response.write_to(writer).await
    }

    /// [`Client::download`] into a new file at `path` (replaced if it exists).
    pub async fn download_to_file(&self, url: &str, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        self.download(url, &mut file).await
    }
}
