//! What the suites that run the iModels client against local wiremock
//! servers share: a client for a server, canned bodies, a responder that
//! answers in turn, and what the server received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use imodels_client::{Client, RetryPolicy};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

use crate::imodels::IMODEL_ID;

/// The bearer token of the clients built here: no log line, error or
/// request to another origin may contain it.
pub const TOKEN: &str = "runtime-test-token-5b7c";
/// Where the clients built here put the API on the mock server.
pub const BASE_PATH: &str = "/imodels";

/// A client builder for `server`, with [`TOKEN`].
pub fn builder(server: &MockServer) -> imodels_client::ClientBuilder {
    Client::builder()
        .base_url(format!("{}{BASE_PATH}", server.uri()))
        .bearer_token(TOKEN)
}

/// Retries with waits short enough for tests.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// A client for `server` with [`quick_retries`].
pub fn client(server: &MockServer) -> Client {
    builder(server)
        .retry_policy(quick_retries())
        .build()
        .expect("the client builds")
}

pub fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// A `GetIModel` answer.
pub fn imodel_response() -> Value {
    json!({ "iModel": { "id": IMODEL_ID, "displayName": "Sun City", "name": "Sun City" } })
}

pub fn minimal_imodel(n: usize) -> Value {
    json!({ "id": Uuid::from_u128(n as u128).to_string(), "displayName": format!("iModel {n}") })
}

/// A page of `count` minimal iModels numbered from `first`, with a `next`
/// link when given.
pub fn page(first: usize, count: usize, next: Option<String>) -> Value {
    let items: Vec<Value> = (first..first + count).map(minimal_imodel).collect();
    json!({
        "iModels": items,
        "_links": { "self": null, "prev": null, "next": next.map(|href| json!({ "href": href })) }
    })
}

pub fn header_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

pub fn path_and_query(request: &Request) -> String {
    match request.url.query() {
        Some(q) => format!("{}?{q}", request.url.path()),
        None => request.url.path().to_string(),
    }
}

/// Every request `server` received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Answers with `responses` in turn, then with the last one again.
pub struct InTurn {
    responses: Vec<ResponseTemplate>,
    next: AtomicUsize,
}

impl InTurn {
    pub fn new(responses: Vec<ResponseTemplate>) -> Self {
        assert!(!responses.is_empty(), "at least one response");
        InTurn {
            responses,
            next: AtomicUsize::new(0),
        }
    }
}

impl Respond for InTurn {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.next.fetch_add(1, Ordering::SeqCst);
        self.responses[n.min(self.responses.len() - 1)].clone()
    }
}

/// Log output, captured by [`capture_logs`].
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("not poisoned").clone()).expect("UTF-8")
    }
}

thread_local! {
    /// Where this thread's log lines go while a [`capture_logs`] guard lives.
    static SINK: std::cell::RefCell<Option<Captured>> = const { std::cell::RefCell::new(None) };
}

/// Writes to this thread's [`SINK`], or nowhere.
struct ThreadSink;

impl std::io::Write for ThreadSink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        SINK.with(|sink| {
            if let Some(captured) = sink.borrow_mut().as_mut() {
                captured.write(data)
            } else {
                Ok(data.len())
            }
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Ends a capture when dropped.
pub struct CaptureGuard(());

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        SINK.with(|sink| sink.borrow_mut().take());
    }
}

/// Captures what this thread logs, at every level, while the guard lives
/// (`#[tokio::test]` runs a test's tasks on its own thread).
///
/// One global subscriber, installed once, writes each line to the sink of
/// the thread that logged it. A subscriber per test (`set_default`) loses
/// events when tests run in parallel: a callsite first reached on a thread
/// without one can keep a cached "nobody listens" (a race in tracing's
/// interest cache), and this test's events from it would be missing.
pub fn capture_logs() -> (Captured, CaptureGuard) {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(|| ThreadSink)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
    let captured = Captured::default();
    SINK.with(|sink| *sink.borrow_mut() = Some(captured.clone()));
    (captured, CaptureGuard(()))
}
