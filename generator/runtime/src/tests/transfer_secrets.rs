//! A handed-out URL's query string (its SAS signature) reaches neither
//! errors nor logs, and the client's token never goes to it.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::blob_server::{client_with_timeout, headers, temp_dir, Reply, Server};
use crate::{DownloadOptions, UploadOptions};

const SIGNATURE: &str = "SiGnAtUrE%2Bsecret";
const QUERY: &str = "sv=2024-05-04&se=2030-01-01&sr=b&sp=rw&sig=SiGnAtUrE%2Bsecret";

/// Everything logged at every level while the guard lives.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .expect("not poisoned")
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("not poisoned")).into_owned()
    }
}

fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

fn assert_clean(text: &str) {
    for secret in [SIGNATURE, "SiGnAtUrE+secret", "sig=", "se=2030", "sv=2024"] {
        assert!(!text.contains(secret), "`{secret}` in:\n{text}");
    }
}

#[tokio::test]
async fn errors_and_logs_never_show_the_query_string() {
    // The store echoes the whole request line in its error, as some do.
    let blob = Server::start(|request, index| {
        let echo = format!(
            "<Error><Code>AuthenticationFailed</Code><Message>{} {}</Message></Error>",
            request.method, request.target
        );
        match index % 2 {
            0 => Reply::Full(503, headers(&[("retry-after", "0")]), echo.into_bytes()),
            _ => Reply::Full(403, Vec::new(), echo.into_bytes()),
        }
    })
    .await;
    let dir = temp_dir();
    let path = dir.path().join("f.bim");
    std::fs::write(&path, b"0123456789").expect("written");
    let client = client_with_timeout(Duration::from_secs(10));
    let url = blob.url(&format!("/c/f.bim?{QUERY}"));
    let (logs, _guard) = capture();

    let upload = client
        .upload_file(&url, &path, &UploadOptions::default().storage_type("azure"))
        .await
        .expect_err("forbidden");
    let download = client
        .download_to_file(&url, dir.path().join("copy.bim"))
        .await
        .expect_err("forbidden");
    let blocks = client
        .upload_file(
            &url,
            &path,
            &UploadOptions::default()
                .storage_type("azure")
                .block_threshold(1)
                .block_size(4),
        )
        .await
        .expect_err("forbidden");
    // Nothing listens on port 9 of 127.0.0.1: a transport error.
    let refused = client
        .download_with(
            &format!("http://127.0.0.1:9/c/f.bim?{QUERY}"),
            &mut Vec::new(),
            &DownloadOptions::default(),
        )
        .await
        .expect_err("refused");

    for err in [&upload, &download, &blocks, &refused] {
        assert_clean(&err.to_string());
        assert_clean(&format!("{err:?}"));
    }
    let text = upload.to_string();
    assert!(text.contains("upload: PUT /c/f.bim answered 403"), "{text}");
    assert!(text.contains("AuthenticationFailed"), "{text}");
    assert!(text.contains("<redacted>"), "{text}");
    let logs = logs.text();
    assert_clean(&logs);
    // The logs do say where the requests went, and that they were retried.
    assert!(logs.contains(&blob.url("/c/f.bim")), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    // The server did receive the signature, and no token.
    let got = blob.received();
    assert!(got
        .iter()
        .all(|r| r.query() == Some(QUERY) || r.query().is_some_and(|q| q.starts_with(QUERY))));
    assert!(got.iter().all(|r| r.header("authorization").is_none()));
}

#[tokio::test]
async fn a_url_on_the_apis_own_origin_gets_no_token_either() {
    let blob = Server::start(|_, _| Reply::Full(200, Vec::new(), b"bytes".to_vec())).await;
    let client = crate::Client::builder()
        .base_url(blob.url("/api"))
        .bearer_token("s3cret")
        .build()
        .expect("client");
    let dir = temp_dir();
    let path = dir.path().join("f.bim");
    std::fs::write(&path, b"0123456789").expect("written");

    client
        .download(&blob.url("/api/files/1"), &mut Vec::new())
        .await
        .expect("downloaded");
    client
        .upload_file(&blob.url("/api/files/1"), &path, &UploadOptions::default())
        .await
        .expect("uploaded");

    let got = blob.received();
    assert_eq!(got.len(), 2);
    for request in &got {
        assert_eq!(request.header("authorization"), None);
        // reqwest's own `*/*`, not the API's default `application/json`.
        assert_eq!(request.header("accept"), Some("*/*"), "no default headers");
    }
}

#[tokio::test]
async fn a_url_that_is_not_http_is_refused_without_being_shown() {
    let client = client_with_timeout(Duration::from_secs(1));
    let err = client
        .download(&format!("ftp://host/f?{QUERY}"), &mut Vec::new())
        .await
        .expect_err("not http");
    assert_clean(&err.to_string());
}

#[test]
fn a_url_to_show_has_no_query_and_no_user_info() {
    use crate::transfer::shown_url;
    assert_eq!(
        shown_url(&format!(
            "https://acct.blob.core.windows.net/c/f.bim?{QUERY}"
        )),
        "https://acct.blob.core.windows.net/c/f.bim"
    );
    assert_eq!(
        shown_url("https://user:pw@host:8443/a#frag"),
        "https://host:8443/a"
    );
    assert_eq!(
        shown_url(&format!("ftp://host/f?{QUERY}")),
        "<not an http(s) URL>"
    );
}
