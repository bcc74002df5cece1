// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! A fake of the API for the tests of code that uses this crate (cargo
//! feature `testing`): a local HTTP server (wiremock's) on `127.0.0.1`,
//! told per operation what to answer, that records what it received.
//!
//! The generated crate adds one method per operation to [`Fake`]
//! (`fake.get_item()` → an [`Expectation`] typed by the operation's answer)
//! and to [`Log`] (`fake.received().await.create_item()` → the requests,
//! their bodies decoded into the operation's body type). A call that no
//! expectation matches gets status [`UNEXPECTED_STATUS`] and is listed by
//! [`Fake::verify`], as are expectations whose [`Expectation::times`] was not
//! met.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::de::DeserializeOwned;
use serde::Serialize;
use wiremock::{Match, Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;

/// The status the fake answers a call that no expectation matches with
/// (not one an API uses, so the client's error names it plainly).
pub const UNEXPECTED_STATUS: u16 = 599;

/// A local server that answers as the API would, as told.
pub struct Fake {
    server: MockServer,
    unexpected: Arc<Mutex<Vec<String>>>,
    expectations: Mutex<Vec<Counted>>,
}

/// An expectation with a number of calls to check.
struct Counted {
    operation: &'static str,
    times: Option<u64>,
    calls: Arc<AtomicU64>,
}

impl fmt::Debug for Fake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fake")
            .field("uri", &self.server.uri())
            .finish_non_exhaustive()
    }
}

impl Fake {
    /// Starts the server on a free port of `127.0.0.1`.
    pub async fn start() -> Fake {
        let server = MockServer::start().await;
        let unexpected = Arc::new(Mutex::new(Vec::new()));
        Mock::given(wiremock::matchers::any())
            .respond_with(CatchAll {
                log: Arc::clone(&unexpected),
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        Fake {
            server,
            unexpected,
            expectations: Mutex::new(Vec::new()),
        }
    }

    /// The server's address (`http://127.0.0.1:…`), the client's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// A builder of a client that sends to the fake, for more options.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder().base_url(self.uri())
    }

    /// A client that sends to the fake.
    pub fn client(&self) -> Result<Client, Error> {
        self.builder().build()
    }

    /// What an operation answers, from now on: its method and path template.
    #[doc(hidden)]
    pub fn expect<T>(
        &self,
        operation: &'static str,
        method: &'static str,
        path: &'static [Part],
        status: u16,
    ) -> Expectation<'_, T> {
        Expectation {
            fake: self,
            operation,
            matcher: Route {
                method,
                path,
                values: Vec::new(),
            },
            status,
            times: None,
            linking: None,
            _answer: PhantomData,
        }
    }

    /// Everything the fake received so far, for the typed per-operation
    /// views the crate adds to [`Log`].
    pub async fn received(&self) -> Log {
        Log {
            requests: self.server.received_requests().await.unwrap_or_default(),
        }
    }

    /// `Ok` when every call matched an expectation and every
    /// [`Expectation::times`] was met; otherwise the list of what was not.
    pub fn verify(&self) -> Result<(), Unmet> {
        let mut problems: Vec<String> = lock(&self.unexpected)
            .iter()
            .map(|call| format!("unexpected call: {call}"))
            .collect();
        for e in lock(&self.expectations).iter() {
            let calls = e.calls.load(Ordering::SeqCst);
            if let Some(times) = e.times.filter(|&t| t != calls) {
                problems.push(format!(
                    "{}: expected {times} call(s), got {calls}",
                    e.operation
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Unmet { problems })
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What [`Fake::verify`] found: unexpected calls and unmet counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// One line each.
    pub problems: Vec<String>,
}

impl fmt::Display for Unmet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for Unmet {}

/// A piece of an operation's path template.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Literal(&'static str),
    Param(&'static str),
}

/// Matches an operation's method and path template, and the path
/// parameters given.
#[derive(Debug, Clone)]
struct Route {
    method: &'static str,
    path: &'static [Part],
    values: Vec<(&'static str, String)>,
}

impl Route {
    /// The path parameters of `path`, decoded, when it fits the template.
    fn params(&self, mut path: &str) -> Option<Vec<(String, String)>> {
        let mut params = Vec::new();
        for part in self.path {
            match part {
                Part::Literal(text) => path = path.strip_prefix(text)?,
                Part::Param(name) => {
                    let end = path.find('/').unwrap_or(path.len());
                    let (value, rest) = path.split_at(end);
                    if value.is_empty() {
                        return None;
                    }
                    let value = percent_encoding::percent_decode_str(value)
                        .decode_utf8()
                        .ok()?
                        .into_owned();
                    params.push(((*name).to_owned(), value));
                    path = rest;
                }
            }
        }
        path.is_empty().then_some(params)
    }

    fn matches_request(&self, request: &Request) -> Option<Vec<(String, String)>> {
        if !request.method.as_str().eq_ignore_ascii_case(self.method) {
            return None;
        }
        let params = self.params(request.url.path())?;
        let given = self
            .values
            .iter()
            .all(|(name, value)| params.iter().any(|(n, v)| n == name && v == value));
        given.then_some(params)
    }
}

impl Match for Route {
    fn matches(&self, request: &Request) -> bool {
        self.matches_request(request).is_some()
    }
}

/// What one operation answers; made by the crate's per-operation methods
/// of [`Fake`], typed by the operation's answer `T`.
#[must_use = "an expectation does nothing until `returns`, `fails` or `answers` mounts it"]
pub struct Expectation<'a, T> {
    fake: &'a Fake,
    operation: &'static str,
    matcher: Route,
    status: u16,
    times: Option<u64>,
    linking: Option<Linking>,
    _answer: PhantomData<fn(T)>,
}

/// How a listing's pages link to each other (`x-paging`): where a page
/// holds its items and its next page's URL, and the query parameter that
/// carries the offset, if the listing has one.
#[derive(Debug, Clone, Copy)]
struct Linking {
    next: &'static str,
    items: &'static str,
    offset: Option<&'static str>,
}

/// The query parameter that says which page a link asks for, when the
/// listing has no offset parameter.
const PAGE_PARAMETER: &str = "fake-page";

impl<T> fmt::Debug for Expectation<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expectation")
            .field("operation", &self.operation)
            .field("times", &self.times)
            .finish_non_exhaustive()
    }
}

/// One answer of a sequence ([`Expectation::answers`]).
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    body: Option<serde_json::Value>,
    headers: Vec<(String, String)>,
}

impl Answer {
    /// A status and a JSON body.
    pub fn json(status: u16, body: &impl Serialize) -> Answer {
        Answer {
            status,
            body: Some(serde_json::to_value(body).unwrap_or(serde_json::Value::Null)),
            headers: Vec::new(),
        }
    }

    /// A status without a body.
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            body: None,
            headers: Vec::new(),
        }
    }

    /// With a response header too.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn template(&self) -> ResponseTemplate {
        let mut t = ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            t = t.insert_header(name.as_str(), value.as_str());
        }
        match &self.body {
            // `()` (an operation without a JSON answer) is no body.
            Some(serde_json::Value::Null) | None => t,
            Some(body) => t.set_body_json(body),
        }
    }
}

impl<T: Serialize> Expectation<'_, T> {
    /// Only calls whose path parameter `name` (its name in the document)
    /// is `value`.
    pub fn path_param(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.matcher.values.push((name, value.to_string()));
        self
    }

    /// [`Fake::verify`] checks the operation was called exactly `n` times.
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// The operation is a listing whose pages [`Expectation::pages`] links:
    /// JSON pointers to a page's next link and items, and the offset
    /// parameter.
    #[doc(hidden)]
    pub fn linked(
        mut self,
        next: &'static str,
        items: &'static str,
        offset: Option<&'static str>,
    ) -> Self {
        self.linking = Some(Linking {
            next,
            items,
            offset,
        });
        self
    }

    /// Answers every call with the operation's success status and `body`.
    pub async fn returns(self, body: T) {
        let answer = Answer::json(self.status, &body);
        self.answers([answer]).await;
    }

    /// Answers every call with `status` and an error body.
    pub async fn fails(self, status: u16, body: impl Serialize) {
        self.answers([Answer::json(status, &body)]).await;
    }

    /// Answers the calls with `pages` in turn (the last one repeats), each
    /// with the success status: the states a waiter polls, or a listing's
    /// pages. A listing's page gets the link to the next page where it has
    /// none: the request's own URL with the offset parameter moved on by the
    /// items served (the listing's offset parameter, else `fake-page`), and
    /// each call is answered with the page its offset starts.
    pub async fn pages(self, pages: impl IntoIterator<Item = T>) {
        let status = self.status;
        let Some(linking) = self.linking else {
            let answers: Vec<Answer> = pages
                .into_iter()
                .map(|page| Answer::json(status, &page))
                .collect();
            return self.answers(answers).await;
        };
        let pages: Vec<serde_json::Value> = pages
            .into_iter()
            .map(|page| serde_json::to_value(&page).unwrap_or(serde_json::Value::Null))
            .collect();
        let calls = self.count();
        Mock::given(self.matcher)
            .respond_with(Listing {
                status,
                linking,
                pages,
                calls,
            })
            .mount(&self.fake.server)
            .await;
    }

    /// Answers the calls with `answers` in turn; the last one repeats.
    pub async fn answers(self, answers: impl IntoIterator<Item = Answer>) {
        let answers: Vec<Answer> = answers.into_iter().collect();
        let calls = self.count();
        Mock::given(self.matcher)
            .respond_with(Sequence { answers, calls })
            .mount(&self.fake.server)
            .await;
    }
}

impl<T> Expectation<'_, T> {
    /// A new counter of calls, which [`Fake::verify`] checks.
    fn count(&self) -> Arc<AtomicU64> {
        let calls = Arc::new(AtomicU64::new(0));
        lock(&self.fake.expectations).push(Counted {
            operation: self.operation,
            times: self.times,
            calls: Arc::clone(&calls),
        });
        calls
    }
}

/// A listing's pages, each answered at the offset it starts from.
struct Listing {
    status: u16,
    linking: Linking,
    pages: Vec<serde_json::Value>,
    calls: Arc<AtomicU64>,
}

impl Listing {
    fn offset_parameter(&self) -> &'static str {
        self.linking.offset.unwrap_or(PAGE_PARAMETER)
    }

    /// Where each page starts: the items before it (or its number, without
    /// an offset parameter).
    fn starts(&self) -> Vec<u64> {
        let mut start = 0u64;
        self.pages
            .iter()
            .enumerate()
            .map(|(i, page)| match self.linking.offset {
                None => u64::try_from(i).unwrap_or(u64::MAX),
                Some(_) => {
                    let here = start;
                    let items = page
                        .pointer(self.linking.items)
                        .and_then(serde_json::Value::as_array)
                        .map_or(0, Vec::len);
                    start = start.saturating_add(u64::try_from(items).unwrap_or(u64::MAX));
                    here
                }
            })
            .collect()
    }
}

impl Respond for Listing {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let parameter = self.offset_parameter();
        let asked = request
            .url
            .query_pairs()
            .find(|(k, _)| k == parameter)
            .map(|(_, v)| v.parse::<u64>());
        let offset = match asked {
            None => 0,
            Some(Ok(offset)) => offset,
            Some(Err(_)) => return no_page(parameter, "is not a number"),
        };
        let starts = self.starts();
        let Some(i) = starts.iter().position(|&s| s == offset) else {
            return no_page(parameter, "starts no page the fake was given");
        };
        let mut page = self.pages[i].clone();
        if let Some(&next) = starts.get(i + 1) {
            let mut url = request.url.clone();
            let kept: Vec<(String, String)> = request
                .url
                .query_pairs()
                .filter(|(k, _)| k != parameter)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair(parameter, &next.to_string());
            set_if_absent(&mut page, self.linking.next, url.as_str());
        }
        let t = ResponseTemplate::new(self.status);
        match page {
            serde_json::Value::Null => t,
            body => t.set_body_json(body),
        }
    }
}

fn no_page(parameter: &str, why: &str) -> ResponseTemplate {
    ResponseTemplate::new(UNEXPECTED_STATUS).set_body_json(
        serde_json::json!({ "unexpected": format!("the `{parameter}` asked {why}") }),
    )
}

/// Writes `value` at a JSON pointer where the document has nothing (or
/// `null`), making the objects on the way.
fn set_if_absent(document: &mut serde_json::Value, pointer: &str, value: &str) {
    let mut here = document;
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        if here.is_null() {
            *here = serde_json::Value::Object(serde_json::Map::new());
        }
        let Some(object) = here.as_object_mut() else {
            return;
        };
        here = object.entry(key).or_insert(serde_json::Value::Null);
    }
    if here.is_null() {
        *here = serde_json::Value::String(value.to_owned());
    }
}

struct Sequence {
    answers: Vec<Answer>,
    calls: Arc<AtomicU64>,
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        let i = usize::try_from(n)
            .unwrap_or(usize::MAX)
            .min(self.answers.len().saturating_sub(1));
        match self.answers.get(i) {
            Some(answer) => answer.template(),
            None => ResponseTemplate::new(UNEXPECTED_STATUS),
        }
    }
}

struct CatchAll {
    log: Arc<Mutex<Vec<String>>>,
}

impl Respond for CatchAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        // The path only: a query string may carry a secret.
        let call = format!("{} {}", request.method, request.url.path());
        lock(&self.log).push(call.clone());
        ResponseTemplate::new(UNEXPECTED_STATUS)
            .set_body_json(serde_json::json!({ "unexpected": call }))
    }
}

/// What the fake received, viewed per operation by the methods the crate
/// adds.
#[derive(Debug)]
pub struct Log {
    requests: Vec<Request>,
}

/// One request an operation received.
#[derive(Debug, Clone)]
pub struct Received<B> {
    /// Path parameters by their names in the document, decoded.
    pub path_params: Vec<(String, String)>,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Headers, names in lower case (`authorization` included: a test's
    /// token).
    pub headers: Vec<(String, String)>,
    /// The body decoded into the operation's body type; `None` when there
    /// is none, or it is not that type's JSON.
    pub body: Option<B>,
}

impl<B> Received<B> {
    /// A path parameter's value.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        find(&self.path_params, name)
    }

    /// A query parameter's (first) value.
    pub fn query(&self, name: &str) -> Option<&str> {
        find(&self.query, name)
    }

    /// A header's (first) value.
    pub fn header(&self, name: &str) -> Option<&str> {
        find(&self.headers, &name.to_ascii_lowercase())
    }
}

fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl Log {
    /// The requests that fit an operation's method and path template.
    #[doc(hidden)]
    pub fn of<B: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &'static [Part],
    ) -> Vec<Received<B>> {
        let route = Route {
            method,
            path,
            values: Vec::new(),
        };
        self.requests
            .iter()
            .filter_map(|r| {
                let path_params = route.matches_request(r)?;
                Some(Received {
                    path_params,
                    query: r
                        .url
                        .query_pairs()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect(),
                    headers: r
                        .headers
                        .iter()
                        .filter_map(|(n, v)| {
                            Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned()))
                        })
                        .collect(),
                    body: serde_json::from_slice(&r.body).ok(),
                })
            })
            .collect()
    }

    /// Every request, as wiremock has it.
    pub fn all(&self) -> &[Request] {
        &self.requests
    }
}
