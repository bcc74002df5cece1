//! Single-`PUT` uploads against a blob store that answers 503, closes the
//! connection, reads slowly or not at all.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::blob_server::{client_with_timeout, contents, headers, status, temp_dir, Reply, Server};
use crate::{Error, Progress, Storage, UploadOptions};

fn client() -> crate::Client {
    client_with_timeout(Duration::from_secs(10))
}

/// A file of `len` bytes in a fresh directory (kept alive by the guard).
fn file(len: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = temp_dir();
    let path = dir.path().join("base.bim");
    let data = contents(len);
    std::fs::write(&path, &data).expect("written");
    (dir, path, data)
}

#[tokio::test]
async fn a_503_once_is_answered_by_sending_the_whole_file_again() {
    let blob = Server::start(|_, index| match index {
        0 => status(503),
        _ => status(201),
    })
    .await;
    let (_dir, path, data) = file(200_000);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let options = UploadOptions::default()
        .storage_type("azure")
        .progress(move |p| log.lock().expect("not poisoned").push(p));

    let sent = client()
        .upload_file(&blob.url("/c/base.bim?sv=2024&sig=abc"), &path, &options)
        .await
        .expect("the upload completes");

    assert_eq!(sent, data.len() as u64);
    let got = blob.received();
    assert_eq!(got.len(), 2, "sent twice");
    for put in &got {
        assert_eq!(put.method, "PUT");
        assert!(
            put.complete && put.body == data,
            "each attempt is the whole file"
        );
        assert_eq!(put.header("content-length"), Some("200000"));
        assert_eq!(put.header("x-ms-blob-type"), Some("BlockBlob"));
        assert_eq!(put.header("authorization"), None);
        assert_eq!(put.query(), Some("sv=2024&sig=abc"));
    }
    let seen = seen.lock().expect("not poisoned");
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: 200_000,
            total: Some(200_000)
        })
    );
    // The retry started the count again.
    assert!(seen.windows(2).any(|w| w[1].done < w[0].done), "{seen:?}");
}

#[tokio::test]
async fn a_connection_closed_unanswered_is_retried() {
    let blob = Server::start(|_, index| match index {
        0 => Reply::Close,
        _ => status(201),
    })
    .await;
    let (_dir, path, data) = file(1000);

    client()
        .upload_file(&blob.url("/c/f"), &path, &UploadOptions::default())
        .await
        .expect("the upload completes");

    let got = blob.received();
    assert_eq!(got.len(), 2);
    assert!(got[1].body == data);
}

#[tokio::test]
async fn a_403_is_not_retried_and_its_error_names_the_path() {
    let blob = Server::start(|_, _| {
        Reply::Full(
            403,
            headers(&[("x-ms-request-id", "r-1")]),
            b"<Error><Code>AuthenticationFailed</Code></Error>".to_vec(),
        )
    })
    .await;
    let (_dir, path, _) = file(10);

    let err = client()
        .upload_file(
            &blob.url("/c/f.bim?sig=abc"),
            &path,
            &UploadOptions::default(),
        )
        .await
        .expect_err("forbidden");

    let api = err.api().expect("an HTTP error");
    assert_eq!(
        (api.operation, api.status, api.path.as_str()),
        ("upload", 403, "/c/f.bim")
    );
    assert_eq!(api.request_id.as_deref(), Some("r-1"));
    assert!(err.to_string().contains("AuthenticationFailed"), "{err}");
    assert_eq!(blob.received().len(), 1);
}

#[tokio::test]
async fn only_azure_gets_the_blob_type_and_never_twice() {
    let blob = Server::start(|_, _| status(201)).await;
    let (_dir, path, _) = file(10);
    let client = client();
    let url = blob.url("/c/f");
    client
        .upload_file(
            &url,
            &path,
            &UploadOptions::default().storage(Storage::Google),
        )
        .await
        .expect("google");
    client
        .upload_file(&url, &path, &UploadOptions::default())
        .await
        .expect("generic");
    client
        .upload_file(
            &url,
            &path,
            &UploadOptions::default()
                .storage_type("AZURE")
                .header("x-ms-blob-type", "BlockBlob")
                .header("x-ms-meta-kind", "baseline"),
        )
        .await
        .expect("azure");

    let got = blob.received();
    assert_eq!(got[0].header("x-ms-blob-type"), None);
    assert_eq!(got[1].header("x-ms-blob-type"), None);
    let blob_types = got[2]
        .headers
        .iter()
        .filter(|(n, _)| n == "x-ms-blob-type")
        .count();
    assert_eq!(blob_types, 1);
    assert_eq!(got[2].header("x-ms-meta-kind"), Some("baseline"));
}

#[tokio::test]
async fn a_slow_upload_longer_than_the_request_timeout_completes() {
    // 1 MiB read 64 KiB every 60 ms: about a second, against a 200 ms timeout.
    let blob = Server::start(|_, _| {
        Reply::SlowRead(64 * 1024, Duration::from_millis(60), Box::new(status(201)))
    })
    .await;
    let (_dir, path, data) = file(1024 * 1024);
    let client = client_with_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();

    client
        .upload_file(
            &blob.url("/c/f"),
            &path,
            &UploadOptions::default().stall_timeout(Duration::from_secs(5)),
        )
        .await
        .expect("a slow but moving upload completes");

    assert!(started.elapsed() > Duration::from_millis(600));
    let got = blob.received();
    assert_eq!(got.len(), 1, "never interrupted");
    assert!(got[0].body == data);
}

#[tokio::test]
async fn an_upload_nobody_reads_stalls_on_every_attempt() {
    let blob = Server::start(|_, _| Reply::Silent).await;
    let (_dir, path, _) = file(4 * 1024 * 1024);
    let client = client_with_timeout(Duration::from_secs(30));
    let started = std::time::Instant::now();

    let err = client
        .upload_file(
            &blob.url("/c/f?sig=abc"),
            &path,
            &UploadOptions::default().stall_timeout(Duration::from_millis(200)),
        )
        .await
        .expect_err("stalled");

    assert!(
        matches!(
            err,
            Error::Stalled {
                operation: "upload",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert_eq!(blob.received().len(), 4, "the retry policy's 4 attempts");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_and_nothing_is_sent() {
    let blob = Server::start(|_, _| status(201)).await;
    let err = client()
        .upload_file(
            &blob.url("/c/f"),
            "/no/such/file.bim",
            &UploadOptions::default(),
        )
        .await
        .expect_err("no file");
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(blob.received().is_empty());
}

#[test]
fn azure_hosts_are_azure_unless_said_otherwise() {
    for host in [
        "acct.blob.core.windows.net",
        "ACCT.Blob.Core.Windows.Net",
        "acct.blob.core.chinacloudapi.cn",
        "acct.blob.core.usgovcloudapi.net",
    ] {
        assert_eq!(Storage::Generic.for_host(host), Storage::Azure, "{host}");
        assert_eq!(Storage::Google.for_host(host), Storage::Google, "{host}");
    }
    for host in [
        "storage.googleapis.com",
        "blob.core.windows.net.evil.example",
        "127.0.0.1",
    ] {
        assert_eq!(Storage::Generic.for_host(host), Storage::Generic, "{host}");
    }
    assert_eq!(Storage::from_storage_type("Azure"), Storage::Azure);
    assert_eq!(Storage::from_storage_type("google"), Storage::Google);
    assert_eq!(Storage::from_storage_type("s3"), Storage::Generic);
}

#[tokio::test]
async fn extreme_options_neither_panic_nor_break_a_transfer() {
    let blob = Server::start(|request, _| match request.method.as_str() {
        "GET" => Reply::Full(200, Vec::new(), b"bytes".to_vec()),
        _ => status(201),
    })
    .await;
    let (_dir, path, data) = file(3000);
    let client = client();
    // No limit to speak of, blocks as large as can be, parallelism 0 (taken as 1).
    let options = UploadOptions::default()
        .storage(Storage::Azure)
        .stall_timeout(Duration::MAX)
        .block_threshold(0)
        .block_size(u64::MAX)
        .parallelism(0);
    client
        .upload_file(&blob.url("/c/f"), &path, &options)
        .await
        .expect("one block and the list");
    let got = blob.received();
    assert_eq!(got.len(), 2);
    assert!(got[0].body == data);
    // Block size 0 is taken as 1 byte: 3000 blocks would do, 7 bytes here.
    std::fs::write(&path, b"0123456").expect("written");
    client
        .upload_file(
            &blob.url("/c/g"),
            &path,
            &options.block_size(0).parallelism(usize::MAX),
        )
        .await
        .expect("seven blocks and the list");
    assert_eq!(blob.received().len(), 2 + 8);

    let downloads = crate::DownloadOptions::default()
        .stall_timeout(Duration::MAX)
        .max_resumes(u32::MAX)
        .max_refreshes(u32::MAX)
        .expected_size(u64::MAX);
    let err = client
        .download_with(&blob.url("/c/f"), &mut Vec::new(), &downloads)
        .await
        .expect_err("5 bytes are not u64::MAX");
    assert!(matches!(err, Error::InvalidResponse { .. }), "{err:?}");
}
