//! Downloads against a blob store that drops connections, stalls, ignores
//! `Range`, trickles, or announces the wrong size.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::blob_server::{
    client_with_timeout, contents, headers, status, temp_dir, Received, Reply, Server,
};
use crate::transfer::download::content_range;
use crate::{DownloadOptions, Error, Progress};

const SIZE: usize = 300_000;

/// Answers a request for `data` as a blob store does: the whole of it, or
/// from the `Range` start with `206`.
fn serve_range(data: &[u8], request: &Received) -> Reply {
    let start = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    match start {
        None => Reply::Full(200, headers(&[("etag", "\"v1\"")]), data.to_vec()),
        Some(start) => {
            let range = format!("bytes {start}-{}/{}", data.len() - 1, data.len());
            Reply::Full(
                206,
                headers(&[("etag", "\"v1\""), ("content-range", &range)]),
                data[start..].to_vec(),
            )
        }
    }
}

fn client() -> crate::Client {
    client_with_timeout(Duration::from_secs(10))
}

/// The names in `dir`, sorted.
fn listing(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

fn recorder() -> (Arc<Mutex<Vec<Progress>>>, DownloadOptions) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let options =
        DownloadOptions::default().progress(move |p| log.lock().expect("not poisoned").push(p));
    (seen, options)
}

#[tokio::test]
async fn a_dropped_connection_resumes_with_range_and_the_bytes_are_identical() {
    let data = contents(SIZE);
    let copy = data.clone();
    let blob = Server::start(move |request, index| match index {
        0 => Reply::Cut(
            200,
            headers(&[("etag", "\"v1\"")]),
            SIZE as u64,
            copy[..100_000].to_vec(),
        ),
        _ => serve_range(&copy, request),
    })
    .await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");
    let (seen, options) = recorder();

    let written = client()
        .download_to_file_with(&blob.url("/cs/1?sig=abc"), &target, &options)
        .await
        .expect("the download completes");

    assert_eq!(written, SIZE as u64);
    assert!(std::fs::read(&target).expect("the file") == data);
    let got = blob.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].header("range"), None);
    // Where the first body stopped, as far as the client received it.
    let resumed_at = got[1]
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<u64>().ok())
        .expect("a Range: bytes=N- header");
    assert_eq!(resumed_at, 100_000);
    assert_eq!(got[1].header("if-match"), Some("\"v1\""));
    assert_eq!(got[1].query(), Some("sig=abc"));
    assert!(got.iter().all(|r| r.header("authorization").is_none()));
    assert_eq!(listing(dir.path()), ["cs.bin"], "no temporary file left");
    let seen = seen.lock().expect("not poisoned");
    assert!(
        seen.windows(2).all(|w| w[0].done <= w[1].done),
        "a resumed download never goes back"
    );
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: SIZE as u64,
            total: Some(SIZE as u64)
        })
    );
}

#[tokio::test]
async fn a_stalled_body_is_abandoned_and_resumed() {
    let data = contents(SIZE);
    let copy = data.clone();
    let blob = Server::start(move |request, index| match index {
        0 => Reply::Hang(200, Vec::new(), SIZE as u64, copy[..50_000].to_vec()),
        _ => serve_range(&copy, request),
    })
    .await;
    let mut out = Vec::new();
    let options = DownloadOptions::default().stall_timeout(Duration::from_millis(300));

    let written = client()
        .download_with(&blob.url("/cs/1?sig=abc"), &mut out, &options)
        .await
        .expect("the download completes");

    assert_eq!(written, SIZE as u64);
    assert!(out == data);
    let got = blob.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].header("range"), Some("bytes=50000-"));
}

#[tokio::test]
async fn a_server_that_ignores_range_sends_the_start_again_and_it_is_skipped() {
    let data = contents(SIZE);
    let copy = data.clone();
    let blob = Server::start(move |_, index| match index {
        0 => Reply::Cut(200, Vec::new(), SIZE as u64, copy[..123_457].to_vec()),
        _ => Reply::Full(200, Vec::new(), copy.clone()),
    })
    .await;
    let mut out = Vec::new();

    let written = client()
        .download(&blob.url("/cs/1"), &mut out)
        .await
        .expect("the download completes");

    assert_eq!(written, SIZE as u64);
    assert!(out == data, "each byte written once, in order");
    assert_eq!(blob.received()[1].header("range"), Some("bytes=123457-"));
}

#[tokio::test]
async fn a_download_that_keeps_failing_leaves_the_target_as_it_was() {
    let data = contents(SIZE);
    let blob = Server::start(move |request, _| {
        // Every answer breaks off 10 000 bytes after where it starts.
        match serve_range(&data, request) {
            Reply::Full(code, headers, body) => {
                let announced = body.len() as u64;
                Reply::Cut(code, headers, announced, body[..10_000].to_vec())
            }
            other => other,
        }
    })
    .await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");
    std::fs::write(&target, b"the old file").expect("written");
    let options = DownloadOptions::default().max_resumes(2);

    let err = client()
        .download_to_file_with(&blob.url("/cs/1?sig=abc"), &target, &options)
        .await
        .expect_err("the download gives up");

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        blob.received().len(),
        3,
        "the first request and two resumes"
    );
    assert_eq!(std::fs::read(&target).expect("the file"), b"the old file");
    assert_eq!(listing(dir.path()), ["cs.bin"], "no temporary file left");
}

#[tokio::test]
async fn no_file_at_all_when_the_first_download_fails() {
    let blob = Server::start(|_, _| Reply::Cut(200, Vec::new(), 1000, vec![7; 10])).await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");
    let options = DownloadOptions::default().max_resumes(0);

    let err = client()
        .download_to_file_with(&blob.url("/cs/1"), &target, &options)
        .await
        .expect_err("the download fails");

    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[tokio::test]
async fn a_file_already_present_with_the_expected_size_is_not_downloaded() {
    let blob = Server::start(|_, _| Reply::Full(200, Vec::new(), b"fresh bytes".to_vec())).await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");
    std::fs::write(&target, b"old bytes!!").expect("written");
    let (seen, options) = recorder();

    let size = client()
        .download_to_file_with(&blob.url("/cs/1"), &target, &options.expected_size(11))
        .await
        .expect("skipped");

    assert_eq!(size, 11);
    assert!(blob.received().is_empty(), "nothing was requested");
    assert_eq!(std::fs::read(&target).expect("the file"), b"old bytes!!");
    assert_eq!(
        seen.lock().expect("not poisoned").last(),
        Some(&Progress {
            done: 11,
            total: Some(11)
        })
    );

    // Another size: downloaded and replaced.
    std::fs::write(&target, b"short").expect("written");
    let options = DownloadOptions::default().expected_size(11);
    client()
        .download_to_file_with(&blob.url("/cs/1"), &target, &options)
        .await
        .expect("downloaded");
    assert_eq!(std::fs::read(&target).expect("the file"), b"fresh bytes");
    assert_eq!(blob.received().len(), 1);
}

#[tokio::test]
async fn a_size_other_than_the_expected_one_is_an_error_and_no_file() {
    let blob = Server::start(|_, _| Reply::Full(200, Vec::new(), vec![1; 10])).await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");
    let options = DownloadOptions::default().expected_size(11);

    let err = client()
        .download_to_file_with(&blob.url("/cs/1"), &target, &options)
        .await
        .expect_err("the wrong size");

    assert!(
        matches!(&err, Error::InvalidResponse { reason, .. } if reason.contains("10 bytes where 11")),
        "{err:?}"
    );
    assert!(listing(dir.path()).is_empty());
}

#[tokio::test]
async fn a_slow_download_longer_than_the_request_timeout_completes() {
    let data = contents(40 * 1024);
    let copy = data.clone();
    // 40 pieces, one every 30 ms: 1.2 s in all, against a 200 ms timeout.
    let blob = Server::start(move |_, _| {
        Reply::Trickle(
            200,
            Vec::new(),
            copy.clone(),
            1024,
            Duration::from_millis(30),
        )
    })
    .await;
    let client = client_with_timeout(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    let options = DownloadOptions::default().stall_timeout(Duration::from_secs(1));

    let written = client
        .download_with(&blob.url("/cs/1"), &mut out, &options)
        .await
        .expect("a slow but moving download completes");

    assert_eq!(written, data.len() as u64);
    assert!(out == data);
    assert!(started.elapsed() > Duration::from_millis(200));
    assert_eq!(blob.received().len(), 1, "never interrupted");

    // The same client's own requests keep their timeout.
    let err = client
        .download_with(
            &blob.url("/cs/1"),
            &mut Vec::new(),
            &DownloadOptions::default()
                .stall_timeout(Duration::from_millis(20))
                .max_resumes(0),
        )
        .await
        .expect_err("a stall timeout shorter than the pieces' interval");
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn a_503_is_retried_and_a_404_is_not() {
    let blob = Server::start(|request, index| match (request.path(), index) {
        ("/cs/1", 0) => status(503),
        ("/cs/1", _) => Reply::Full(200, Vec::new(), b"bytes".to_vec()),
        _ => status(404),
    })
    .await;
    let mut out = Vec::new();
    client()
        .download(&blob.url("/cs/1"), &mut out)
        .await
        .expect("retried");
    assert_eq!(out, b"bytes");
    assert_eq!(blob.received().len(), 2);

    let err = client()
        .download(&blob.url("/cs/2?sig=abc"), &mut Vec::new())
        .await
        .expect_err("not found");
    let api = err.api().expect("an HTTP error");
    assert_eq!(
        (api.operation, api.status, api.path.as_str()),
        ("download", 404, "/cs/2")
    );
    assert_eq!(blob.received().len(), 3, "a 404 is not retried");
}

#[test]
fn content_ranges_are_read_strictly() {
    assert_eq!(content_range("bytes 100-199/200"), Some((100, Some(200))));
    assert_eq!(content_range("bytes 0-0/*"), Some((0, None)));
    assert_eq!(
        content_range("bytes 100-199/150"),
        None,
        "a total inside the range"
    );
    assert_eq!(content_range("bytes 200-100/300"), None);
    assert_eq!(content_range("bytes */300"), None);
    assert_eq!(content_range("items 0-1/2"), None);
    assert_eq!(content_range("bytes 0-99999999999999999999/1"), None);
}

/// A refresher that hands out `url` and counts its calls.
fn refresher(url: String) -> (Arc<Mutex<u32>>, DownloadOptions) {
    let calls = Arc::new(Mutex::new(0u32));
    let count = Arc::clone(&calls);
    let options = DownloadOptions::default().refresh_url(move || {
        *count.lock().expect("not poisoned") += 1;
        let url = url.clone();
        async move { Ok(url) }
    });
    (calls, options)
}

#[tokio::test]
async fn a_403_mid_download_gets_a_fresh_url_and_goes_on_from_there() {
    let data = contents(SIZE);
    let copy = data.clone();
    // The old URL breaks off after 1000 bytes, then has expired.
    let blob = Server::start(move |request, index| match (request.path(), index) {
        ("/old", 0) => Reply::Cut(
            200,
            headers(&[("etag", "\"v1\"")]),
            SIZE as u64,
            copy[..1000].to_vec(),
        ),
        ("/old", _) => Reply::Full(
            403,
            Vec::new(),
            b"<Error><Code>AuthenticationFailed</Code></Error>".to_vec(),
        ),
        _ => serve_range(&copy, request),
    })
    .await;
    let (calls, options) = refresher(blob.url("/new?sig=fresh"));
    let mut out = Vec::new();

    client()
        .download_with(&blob.url("/old?sig=stale"), &mut out, &options)
        .await
        .expect("the download completes with the fresh URL");

    assert!(out == data);
    assert_eq!(*calls.lock().expect("not poisoned"), 1);
    let seen: Vec<(String, Option<String>)> = blob
        .received()
        .iter()
        .map(|r| (r.target.clone(), r.header("range").map(str::to_string)))
        .collect();
    assert_eq!(
        seen,
        [
            ("/old?sig=stale".to_string(), None),
            (
                "/old?sig=stale".to_string(),
                Some("bytes=1000-".to_string())
            ),
            (
                "/new?sig=fresh".to_string(),
                Some("bytes=1000-".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn fresh_urls_are_asked_for_a_bounded_number_of_times() {
    let blob = Server::start(|_, _| status(403)).await;
    let (calls, options) = refresher(blob.url("/still-forbidden"));

    let err = client()
        .download_with(
            &blob.url("/old"),
            &mut Vec::new(),
            &options.max_refreshes(2),
        )
        .await
        .expect_err("forbidden every time");

    assert_eq!(err.status(), Some(403));
    assert_eq!(*calls.lock().expect("not poisoned"), 2);
    assert_eq!(blob.received().len(), 3);

    // Without a refresher a 403 is an error at once.
    let err = client()
        .download(&blob.url("/old"), &mut Vec::new())
        .await
        .expect_err("forbidden");
    assert_eq!(err.status(), Some(403));
    assert_eq!(blob.received().len(), 4);
}

#[tokio::test]
async fn a_refresher_that_fails_ends_the_download_with_its_error() {
    let blob = Server::start(|_, _| status(403)).await;
    let options = DownloadOptions::default()
        .refresh_url(|| async { Err(Error::InvalidRequest("the changeset is gone".into())) });
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");

    let err = client()
        .download_to_file_with(&blob.url("/old"), &target, &options)
        .await
        .expect_err("no fresh URL");

    assert!(err.to_string().contains("the changeset is gone"), "{err}");
    assert!(listing(dir.path()).is_empty());
}

#[tokio::test]
async fn a_file_that_changed_between_pieces_is_an_error_not_a_mix() {
    let data = contents(SIZE);
    let copy = data.clone();
    // The resumed answer ignores `If-Match` and `Range`: a new file.
    let blob = Server::start(move |_, index| match index {
        0 => Reply::Cut(
            200,
            headers(&[("etag", "\"v1\"")]),
            SIZE as u64,
            copy[..1000].to_vec(),
        ),
        _ => Reply::Full(200, headers(&[("etag", "\"v2\"")]), copy.clone()),
    })
    .await;
    let dir = temp_dir();
    let target = dir.path().join("cs.bin");

    let err = client()
        .download_to_file(&blob.url("/cs/1"), &target)
        .await
        .expect_err("the file changed");

    assert!(
        err.to_string().contains("changed during the download"),
        "{err}"
    );
    assert_eq!(blob.received()[1].header("if-match"), Some("\"v1\""));
    assert!(listing(dir.path()).is_empty());
}
