//! A recording relay between the client and Prism: every request the client
//! sends is forwarded unchanged to Prism, and Prism's status, headers and body
//! are both returned to the client and kept, so a test can read Prism's
//! verdict (`sl-violations`, problem+json) even where the client's typed
//! result hides the response headers.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Prism does not answer a request whose JSON body does not parse; give up
/// then rather than hang the suite.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);

/// Headers that describe one hop, not the message: the relay sets its own.
const HOP_HEADERS: [&str; 5] = [
    "host",
    "connection",
    "keep-alive",
    "content-length",
    "transfer-encoding",
];

/// One request and Prism's answer to it.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    /// Path and query as the client sent them.
    pub target: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The request's body, as the client sent it.
    pub request_body: Vec<u8>,
}

impl Exchange {
    /// The first value of a response header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The relay: a local HTTP server whose every request goes to Prism.
pub struct Recorder {
    server: MockServer,
    log: Arc<Mutex<Vec<Result<Exchange, String>>>>,
}

impl Recorder {
    pub async fn start(prism_port: u16) -> Recorder {
        let server = MockServer::start().await;
        let log = Arc::new(Mutex::new(Vec::new()));
        Mock::given(wiremock::matchers::any())
            .respond_with(Relay {
                port: prism_port,
                log: log.clone(),
            })
            .mount(&server)
            .await;
        Recorder { server, log }
    }

    /// The base URL to give the client: Prism serves the document's paths
    /// without the `servers` base path.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The exchanges since the last call, in order; an `Err` is a request
    /// that could not be relayed.
    pub fn take(&self) -> Vec<Result<Exchange, String>> {
        self.log
            .lock()
            .map(|mut log| std::mem::take(&mut *log))
            .unwrap_or_default()
    }
}

struct Relay {
    port: u16,
    log: Arc<Mutex<Vec<Result<Exchange, String>>>>,
}

impl Respond for Relay {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        // wiremock runs each server on its own thread, so blocking I/O here
        // only holds up this relay, which sees one request at a time anyway.
        let result = forward(self.port, request);
        let response = match &result {
            Ok(exchange) => {
                let mut response =
                    ResponseTemplate::new(exchange.status).set_body_bytes(exchange.body.clone());
                for (name, value) in &exchange.headers {
                    if !HOP_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
                        response = response.append_header(name.as_str(), value.as_str());
                    }
                }
                response
            }
            Err(message) => ResponseTemplate::new(502).set_body_string(message.clone()),
        };
        if let Ok(mut log) = self.log.lock() {
            log.push(result);
        }
        response
    }
}

/// Sends `request` to Prism as HTTP/1.1 with `Connection: close` and reads
/// the whole answer.
fn forward(port: u16, request: &Request) -> Result<Exchange, String> {
    let target = match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_string(),
    };
    let method = request.method.to_string();
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n\
         content-length: {}\r\n",
        request.body.len()
    )
    .into_bytes();
    for (name, value) in &request.headers {
        if !HOP_HEADERS.contains(&name.as_str()) {
            head.extend_from_slice(name.as_str().as_bytes());
            head.extend_from_slice(b": ");
            head.extend_from_slice(value.as_bytes());
            head.extend_from_slice(b"\r\n");
        }
    }
    head.extend_from_slice(b"\r\n");

    let io = |e: std::io::Error| format!("{method} {target}: relaying to Prism failed: {e}");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(io)?;
    stream
        .set_read_timeout(Some(UPSTREAM_TIMEOUT))
        .map_err(io)?;
    stream.write_all(&head).map_err(io)?;
    stream.write_all(&request.body).map_err(io)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(io)?;

    let (status, headers, body) =
        parse_response(&raw).map_err(|e| format!("{method} {target}: Prism's answer: {e}"))?;
    Ok(Exchange {
        method,
        target,
        status,
        headers,
        body,
        request_body: request.body.clone(),
    })
}

type Parsed = (u16, Vec<(String, String)>, Vec<u8>);

/// Status, headers and body of a whole HTTP/1.1 response.
fn parse_response(raw: &[u8]) -> Result<Parsed, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of the header section (no answer at all?)")?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|e| format!("header section: {e}"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let rest = &raw[split + 4..];
    let is = |name: &str, value: &str| {
        headers
            .iter()
            .any(|(n, v)| n.eq_ignore_ascii_case(name) && v.eq_ignore_ascii_case(value))
    };
    let body = if is("transfer-encoding", "chunked") {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Ok((status, headers, body))
}

/// The payload of a chunked body.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("truncated chunk size")?;
        let size_text = std::str::from_utf8(&rest[..end]).map_err(|e| e.to_string())?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        rest = &rest[end + 2..];
        if size == 0 {
            return Ok(body);
        }
        let chunk = rest.get(..size).ok_or("truncated chunk")?;
        body.extend_from_slice(chunk);
        rest = rest.get(size + 2..).ok_or("truncated chunk end")?;
    }
}
