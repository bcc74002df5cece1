//! Unit tests of the runtime, against the stand-in [`crate::api`]. They live
//! here rather than beside the code because the generator copies the
//! runtime's modules into every generated crate, and the tests (with their
//! dev-dependencies) must not go along. Nothing here opens a network
//! connection except to `127.0.0.1`. `tls/` holds a test CA's certificate and
//! a server and a client certificate it signed (EC P-256, valid until 2125),
//! made with openssl for `tls.rs`.

mod blob_server;
mod credentials;
#[cfg(feature = "chrono")]
mod datetime;
mod encoding;
#[cfg(feature = "multipart")]
mod multipart;
#[cfg(feature = "oauth2")]
mod oauth;
mod operation;
mod origin;
mod paging;
mod request;
mod response;
mod retry;
#[cfg(feature = "sequence")]
mod sequence;
mod tls;
mod transfer_blocks;
mod transfer_download;
mod transfer_secrets;
mod transfer_upload;

use crate::client::request::RequestParts;
use crate::client::response::RawResponse;
use crate::Client;

/// The base URL of the clients the tests build.
const BASE: &str = "https://api.example.com/v1";

/// A client of [`BASE`] with the bearer token `s3cret`.
fn client() -> Client {
    Client::builder()
        .base_url(BASE)
        .bearer_token("s3cret")
        .build()
        .expect("client")
}

/// The request `parts` would put on the wire (first attempt).
async fn wire(client: &Client, parts: &RequestParts) -> reqwest::Request {
    let body = parts
        .body
        .as_ref()
        .and_then(|(t, b)| Some((t.clone(), b.try_clone()?)));
    client
        .prepare(parts, body)
        .await
        .expect("prepare")
        .build()
        .expect("a valid request")
}

fn get(path: &str) -> RequestParts {
    RequestParts::new("op", reqwest::Method::GET, path.to_string())
}

/// A response with this status, headers and a body that arrives in these
/// chunks (an `Err` chunk is a connection dropped there).
fn response(
    status: u16,
    headers: &[(&str, &str)],
    chunks: Vec<Result<&'static [u8], &'static str>>,
) -> RawResponse {
    let chunks = chunks.into_iter().map(|chunk| {
        chunk
            .map(bytes::Bytes::from_static)
            .map_err(|reason| std::io::Error::new(std::io::ErrorKind::ConnectionReset, reason))
    });
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    RawResponse {
        operation: "op",
        method: reqwest::Method::GET,
        path: "/things".into(),
        inner: reqwest::Response::from(builder.body(body).expect("response")),
    }
}
