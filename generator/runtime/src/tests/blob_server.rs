//! A blob store on `127.0.0.1` for the transfer tests that misbehaves on
//! request: it answers each request as the test's handler says (given the
//! request's head and how many came before), cuts or stalls bodies,
//! trickles them, reads uploads slowly or not at all, and records what it
//! received. One request per connection.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Debug, Clone)]
pub(super) struct Received {
    pub(super) method: String,
    /// Path and query, as sent.
    pub(super) target: String,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
    /// Whether the whole announced body arrived.
    pub(super) complete: bool,
}

impl Received {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(super) fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub(super) fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, q)| q)
    }

    /// The value of query parameter `name`, percent-decoded.
    pub(super) fn query_param(&self, name: &str) -> Option<String> {
        let query = self.query()?;
        let url = reqwest::Url::parse(&format!("http://x/?{query}")).ok()?;
        let value = url
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned());
        value
    }
}

/// How the server answers one request.
pub(super) enum Reply {
    /// This status, headers and body (with its `Content-Length`).
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Announces `announced` bytes, sends `body` and closes the connection.
    Cut(u16, Vec<(String, String)>, u64, Vec<u8>),
    /// Announces `announced` bytes, sends `body` and then nothing, with the
    /// connection kept open.
    Hang(u16, Vec<(String, String)>, u64, Vec<u8>),
    /// The whole body, `piece` bytes at a time, one piece every `every`.
    Trickle(u16, Vec<(String, String)>, Vec<u8>, usize, Duration),
    /// Reads the request body, then closes the connection unanswered.
    Close,
    /// Neither reads the request body nor answers.
    Silent,
    /// Reads the request body `piece` bytes every `every`, then answers.
    SlowRead(usize, Duration, Box<Reply>),
}

/// `Full` with no headers.
pub(super) fn status(code: u16) -> Reply {
    Reply::Full(code, Vec::new(), Vec::new())
}

pub(super) fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

type Handler = dyn Fn(&Received, usize) -> Reply + Send + Sync;

pub(super) struct Server {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
    /// Requests being served now, and the most there were at once.
    in_flight: Arc<Mutex<(usize, usize)>>,
}

impl Server {
    pub(super) async fn start(
        handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(Mutex::new(0usize));
        let log = Arc::clone(&received);
        let in_flight = Arc::new(Mutex::new((0, 0)));
        let gauge = Arc::clone(&in_flight);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (handler, log, count, gauge) = (
                    Arc::clone(&handler),
                    Arc::clone(&log),
                    Arc::clone(&count),
                    Arc::clone(&gauge),
                );
                tokio::spawn(async move {
                    let _ = serve(socket, &*handler, &log, &count, &gauge).await;
                });
            }
        });
        Server {
            base,
            received,
            in_flight,
        }
    }

    /// The most requests the server was serving at once.
    pub(super) fn max_in_flight(&self) -> usize {
        self.in_flight.lock().expect("not poisoned").1
    }

    /// The absolute URL of `path_and_query` on this server.
    pub(super) fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base)
    }

    /// What the server received so far, in order.
    pub(super) fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }
}

async fn serve(
    mut socket: TcpStream,
    handler: &Handler,
    log: &Mutex<Vec<Received>>,
    count: &Mutex<usize>,
    gauge: &Mutex<(usize, usize)>,
) -> std::io::Result<()> {
    // In flight from the connection until its answer starts (the client
    // may start another request as soon as it has the answer).
    let _serving = Serving::start(gauge);
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut piece = [0u8; 4096];
        let n = socket.read(&mut piece).await?;
        if n == 0 {
            return Ok(());
        }
        buffer.extend_from_slice(&piece[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap_or_default().split(' ');
    let method = start.next().unwrap_or_default().to_string();
    let target = start.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut request = Received {
        method,
        target,
        headers,
        body: buffer[head_end + 4..].to_vec(),
        complete: false,
    };
    let index = {
        let mut count = count.lock().expect("not poisoned");
        *count += 1;
        *count - 1
    };
    let mut reply = handler(&request, index);
    let length: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let (piece, every) = match &reply {
        Reply::Silent => {
            log.lock().expect("not poisoned").push(request);
            tokio::time::sleep(Duration::from_secs(30)).await;
            return Ok(());
        }
        Reply::SlowRead(piece, every, _) => (*piece, Some(*every)),
        _ => (64 * 1024, None),
    };
    while request.body.len() < length {
        let mut chunk = vec![0u8; piece.min(length - request.body.len())];
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        request.body.extend_from_slice(&chunk[..n]);
        if let Some(every) = every {
            tokio::time::sleep(every).await;
        }
    }
    request.complete = request.body.len() == length;
    log.lock().expect("not poisoned").push(request);
    drop(_serving);
    if let Reply::SlowRead(_, _, then) = reply {
        reply = *then;
    }
    let head = |status: u16, headers: &[(String, String)], length: u64| {
        let mut text =
            format!("HTTP/1.1 {status} X\r\ncontent-length: {length}\r\nconnection: close\r\n");
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str("\r\n");
        text.into_bytes()
    };
    match reply {
        Reply::Full(code, headers, body) => {
            socket
                .write_all(&head(code, &headers, body.len() as u64))
                .await?;
            socket.write_all(&body).await?;
        }
        Reply::Cut(code, headers, announced, body) => {
            socket.write_all(&head(code, &headers, announced)).await?;
            socket.write_all(&body).await?;
            socket.flush().await?;
        }
        Reply::Hang(code, headers, announced, body) => {
            socket.write_all(&head(code, &headers, announced)).await?;
            socket.write_all(&body).await?;
            socket.flush().await?;
            tokio::time::sleep(Duration::from_secs(30)).await;
        }
        Reply::Trickle(code, headers, body, piece, every) => {
            socket
                .write_all(&head(code, &headers, body.len() as u64))
                .await?;
            for chunk in body.chunks(piece.max(1)) {
                socket.write_all(chunk).await?;
                socket.flush().await?;
                tokio::time::sleep(every).await;
            }
        }
        Reply::Close | Reply::Silent | Reply::SlowRead(..) => {}
    }
    socket.shutdown().await
}

/// One request counted in the server's gauge while it lives.
struct Serving<'a>(&'a Mutex<(usize, usize)>);

impl<'a> Serving<'a> {
    fn start(gauge: &'a Mutex<(usize, usize)>) -> Self {
        let mut counts = gauge.lock().expect("not poisoned");
        counts.0 += 1;
        counts.1 = counts.1.max(counts.0);
        Serving(gauge)
    }
}

impl Drop for Serving<'_> {
    fn drop(&mut self) {
        if let Ok(mut counts) = self.0.lock() {
            counts.0 -= 1;
        }
    }
}

/// `len` bytes that are not a repeating pattern of any short period.
pub(super) fn contents(len: usize) -> Vec<u8> {
    (0..len as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect()
}

/// A client whose API calls time out after `timeout`, retrying at once.
pub(super) fn client_with_timeout(timeout: Duration) -> crate::Client {
    crate::Client::builder()
        .base_url("https://api.example.com/v1")
        .bearer_token("s3cret")
        .timeout(timeout)
        .retry_policy(
            crate::RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client")
}

/// A fresh directory under the system's temporary one.
pub(super) fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}
