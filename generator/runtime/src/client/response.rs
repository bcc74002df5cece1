//! Responses: one with its body unread (streamed to a writer or item by
//! item), and one read into memory, decoded by the generated code.

use reqwest::header::HeaderMap;

use crate::api::ErrorBody;
use crate::error::{ApiError, Error};
use crate::retry::parse_retry_after;

/// A response whose body has not been read yet.
pub(crate) struct RawResponse {
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) inner: reqwest::Response,
}

impl RawResponse {
    pub(crate) fn is_success(&self) -> bool {
        self.inner.status().is_success()
    }

    pub(crate) fn status(&self) -> u16 {
        self.inner.status().as_u16()
    }

    pub(crate) fn operation(&self) -> &'static str {
        self.operation
    }

    /// The next piece of the body as it arrives (`None` at its end), for
    /// bodies read item by item (`sequence.rs`).
    pub(crate) async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        self.inner
            .chunk()
            .await
            .map_err(|e| Error::transport(self.operation, e))
    }

    /// Reads the whole body, refusing one larger than `limit` bytes before
    /// it is all in memory.
    pub(crate) async fn read(self, limit: u64) -> Result<Response, Error> {
        let RawResponse {
            operation,
            method,
            path,
            mut inner,
        } = self;
        let status = inner.status().as_u16();
        let too_large = || Error::ResponseTooLarge {
            operation,
            status,
            limit,
        };
        if inner.content_length().is_some_and(|len| len > limit) {
            return Err(too_large());
        }
        let headers = std::mem::take(inner.headers_mut());
        let mut body = bytes::BytesMut::new();
        while let Some(chunk) = inner
            .chunk()
            .await
            .map_err(|e| Error::transport(operation, e))?
        {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            operation,
            method,
            path,
            status,
            headers,
            body: body.freeze(),
        })
    }

    /// Streams the body into `writer`, chunk by chunk; returns the number of
    /// bytes written.
    pub(crate) async fn write_to<W>(mut self, writer: &mut W) -> Result<u64, Error>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt;
        let mut written = 0u64;
        while let Some(chunk) = self
            .inner
            .chunk()
            .await
            .map_err(|e| Error::transport(self.operation, e))?
        {
            writer
                .write_all(&chunk)
                .await
                .map_err(|e| Error::io("cannot write the downloaded body", e))?;
            written += chunk.len() as u64;
        }
        writer
            .flush()
            .await
            .map_err(|e| Error::io("cannot write the downloaded body", e))?;
        Ok(written)
    }
}

/// A decoded success body with the status and headers of the response it
/// came in (a request builder's `send_with_response`): a `Location`, an
/// `ETag`, the server's request id.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Success<T> {
    /// The HTTP status.
    pub status: u16,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The body, decoded as the operation's `send` decodes it.
    pub body: T,
}

/// A whole response, read into memory.
pub(crate) struct Response {
    operation: &'static str,
    method: reqwest::Method,
    path: String,
    status: u16,
    headers: HeaderMap,
    body: bytes::Bytes,
}

impl Response {
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|source| Error::Decode {
            operation: self.operation,
            status: self.status,
            source,
            body: String::from_utf8_lossy(&self.body[..self.body.len().min(4096)]).into_owned(),
        })
    }

    pub(crate) fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.to_vec()).map_err(|_| Error::InvalidResponse {
            operation: self.operation,
            status: self.status,
            reason: "the body is not valid UTF-8 text".into(),
        })
    }

    pub(crate) fn bytes(&self) -> bytes::Bytes {
        self.body.clone()
    }

    /// The error body decoded as `T`, or kept as text if it is not a `T`.
    pub(crate) fn error_body<T: serde::de::DeserializeOwned>(
        &self,
        wrap: fn(T) -> ErrorBody,
    ) -> ErrorBody {
        match serde_json::from_slice::<T>(&self.body) {
            Ok(value) => wrap(value),
            Err(_) => self.unparsed_error_body(),
        }
    }

    pub(crate) fn unparsed_error_body(&self) -> ErrorBody {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            ErrorBody::Empty
        } else {
            ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned())
        }
    }

    pub(crate) fn into_error(self, body: ErrorBody) -> Error {
        if let Some(target) = self.redirect_target() {
            return Error::Redirected {
                operation: self.operation,
                status: self.status,
                target,
            };
        }
        let request_id = [
            "x-correlation-id",
            "x-request-id",
            "request-id",
            "x-ms-request-id",
        ]
        .iter()
        .find_map(|name| self.header(name));
        let retry_after = self
            .headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        Error::Api(Box::new(ApiError {
            operation: self.operation,
            method: self.method,
            path: self.path,
            status: self.status,
            body,
            retry_after,
            request_id,
        }))
    }

    /// Where a redirect the client did not follow points, without its query
    /// and fragment (a signed URL's signature) or userinfo: `None` when this
    /// is no redirect.
    fn redirect_target(&self) -> Option<String> {
        if !matches!(self.status, 301 | 302 | 303 | 307 | 308) {
            return None;
        }
        let location = self.header("location")?;
        Some(match reqwest::Url::parse(&location) {
            Ok(url) => format!("{}{}", url.origin().ascii_serialization(), url.path()),
            // A relative or broken location: its path only.
            Err(_) => location
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .to_string(),
        })
    }

    /// A 2xx status the document does not list for this operation.
    pub(crate) fn into_unexpected(self) -> Error {
        Error::InvalidResponse {
            operation: self.operation,
            status: self.status,
            reason: "the API documents no such success status for this operation".into(),
        }
    }
}
