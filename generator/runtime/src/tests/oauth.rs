//! OAuth2 token providers against a local token endpoint (a tokio listener
//! that records each request and answers from a script).

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::client::TokenProvider;
use crate::oauth::redact_tokens;
use crate::OAuth2;

/// A request the token endpoint received.
#[derive(Debug, Clone)]
struct Received {
    head: String,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_string())
        })
    }

    fn form(&self) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&self.body).expect("a form body")
    }

    fn param(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// A token endpoint at `127.0.0.1` that answers the n-th request with the
/// n-th `(status, JSON)` of `answers` (the last one again after that).
async fn endpoint(answers: Vec<(u16, String)>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/token", listener.local_addr().expect("address"));
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let mut data = Vec::new();
            let mut buffer = [0u8; 4096];
            let (head, body) = loop {
                let n = stream.read(&mut buffer).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), String::new());
                }
                data.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&data).to_string();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if body.len() >= length {
                        break (head.to_string(), body.to_string());
                    }
                }
            };
            let index = {
                let mut log = log.lock().expect("log");
                log.push(Received { head, body });
                log.len() - 1
            };
            let (status, json) = answers[index.min(answers.len() - 1)].clone();
            let response = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{json}",
                json.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    (url, received)
}

fn token(access: &str, expires_in: u64, refresh: Option<&str>) -> (u16, String) {
    let mut json = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": expires_in,
    });
    if let Some(refresh) = refresh {
        json["refresh_token"] = refresh.into();
    }
    (200, json.to_string())
}

#[tokio::test]
async fn client_credentials_ask_with_http_basic_and_the_scopes_then_use_the_cache() {
    let (url, received) = endpoint(vec![token("tok-1", 3600, None)]).await;
    let provider = OAuth2::client_credentials("my app", "s3cr:t")
        .token_url(&url)
        .scopes(["itwin-platform", "other"]);
    assert_eq!(provider.token().await.expect("token"), "tok-1");
    assert_eq!(provider.token().await.expect("cached"), "tok-1");
    let received = received.lock().expect("log").clone();
    assert_eq!(
        received.len(),
        1,
        "the second call is answered by the cache"
    );
    let request = &received[0];
    assert!(
        request.head.starts_with("POST /token HTTP/1.1"),
        "{}",
        request.head
    );
    // RFC 6749 2.3.1: id and secret form-urlencoded, then HTTP Basic.
    let basic = base64::engine::general_purpose::STANDARD.encode("my+app:s3cr%3At");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Basic {basic}"))
    );
    assert_eq!(
        request.form(),
        vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("scope".to_string(), "itwin-platform other".to_string()),
        ]
    );
    assert_eq!(
        request.header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
}

/// A token endpoint that hands out `tok-1` with the refresh token
/// `refresh-1` and a lifetime of 0 (due at once: the margin is at most half
/// of it), then `tok-2` for an hour.
async fn expiring_then_fresh() -> (String, Arc<Mutex<Vec<Received>>>) {
    endpoint(vec![
        token("tok-1", 0, Some("refresh-1")),
        token("tok-2", 3600, None),
    ])
    .await
}

/// `request` is a refresh with `refresh-1`.
fn assert_refreshed(request: &Received) {
    assert_eq!(
        request.param("grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(request.param("refresh_token").as_deref(), Some("refresh-1"));
}

#[tokio::test]
async fn an_expiring_token_is_refreshed_with_its_refresh_token() {
    let (url, received) = expiring_then_fresh().await;
    let provider = OAuth2::client_credentials("id", "secret").token_url(&url);
    assert_eq!(provider.token().await.expect("first"), "tok-1");
    assert_eq!(provider.token().await.expect("refreshed"), "tok-2");
    assert_eq!(provider.token().await.expect("cached"), "tok-2");
    let received = received.lock().expect("log").clone();
    assert_eq!(received.len(), 2);
    assert_refreshed(&received[1]);
}

#[tokio::test(flavor = "current_thread")]
async fn twenty_callers_share_one_token_request() {
    let (url, received) = endpoint(vec![token("tok-1", 3600, None)]).await;
    let provider = OAuth2::client_credentials("id", "secret").token_url(&url);
    let callers: Vec<_> = (0..20)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await.expect("token") })
        })
        .collect();
    for caller in callers {
        assert_eq!(caller.await.expect("joined"), "tok-1");
    }
    assert_eq!(received.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn a_rejected_token_is_replaced_once_however_many_requests_saw_it_rejected() {
    let (url, received) =
        endpoint(vec![token("tok-1", 3600, None), token("tok-2", 3600, None)]).await;
    let provider = OAuth2::client_credentials("id", "secret").token_url(&url);
    assert_eq!(provider.token().await.expect("first"), "tok-1");
    assert!(provider.rejected("tok-1").await, "worth a retry");
    assert!(
        provider.rejected("tok-1").await,
        "the same token, told twice"
    );
    assert_eq!(provider.token().await.expect("new"), "tok-2");
    // A late 401 for the old token does not throw the new one away.
    assert!(provider.rejected("tok-1").await);
    assert_eq!(provider.token().await.expect("kept"), "tok-2");
    assert_eq!(received.lock().expect("log").len(), 2);
}

#[tokio::test]
async fn an_absurd_lifetime_does_not_panic_and_the_token_is_kept() {
    let (url, received) = endpoint(vec![token("tok-1", u64::MAX, None)]).await;
    let provider = OAuth2::client_credentials("id", "secret").token_url(&url);
    assert_eq!(provider.token().await.expect("first"), "tok-1");
    assert_eq!(provider.token().await.expect("cached"), "tok-1");
    assert_eq!(received.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn the_secret_and_tokens_are_in_neither_debug_output_nor_errors() {
    let refusal = serde_json::json!({
        "error": "invalid_client",
        "error_description": "client s3cr3t-of-the-app rejected; token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
    });
    let (url, _) = endpoint(vec![(401, refusal.to_string())]).await;
    let provider = OAuth2::client_credentials("id", "s3cr3t-of-the-app").token_url(&url);
    let error = provider.token().await.expect_err("refused").to_string();
    assert!(
        error.starts_with("the token endpoint refused: invalid_client: client <redacted>"),
        "{error}"
    );
    assert!(
        !error.contains("s3cr3t") && !error.contains("eyJ"),
        "{error}"
    );
    let debug = format!("{provider:?}");
    assert!(!debug.contains("s3cr3t"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");

    // A token that is not JSON's kind: the parse error does not quote it.
    let (url, _) = endpoint(vec![(
        200,
        r#"{"access_token": 12345678901234567890123, "token_type": "Bearer"}"#.into(),
    )])
    .await;
    let provider = OAuth2::client_credentials("id", "secret").token_url(&url);
    let error = provider.token().await.expect_err("not a token").to_string();
    assert!(!error.contains("12345678901234567890123"), "{error}");
}

#[test]
fn token_like_words_are_redacted() {
    assert_eq!(
        redact_tokens("bad token abcdefghijklmnopqrstuvwxyz0123, short ok"),
        "bad token <redacted>, short ok"
    );
}

/// The authorization URL's query parameters.
fn query(url: &str) -> Vec<(String, String)> {
    let (_, query) = url.split_once('?').expect("a query");
    serde_urlencoded::from_str(query).expect("a query")
}

fn param(params: &[(String, String)], name: &str) -> String {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {name} in {params:?}"))
}

/// What a browser does with the redirect: one GET, its answer's head line.
async fn browse(url: &str) -> String {
    let rest = url.strip_prefix("http://").expect("http");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut stream = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!("GET /{path} HTTP/1.1\r\nhost: {host}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("answer");
    answer.lines().next().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_login_with_pkce_checks_the_state_and_sends_the_verifier_of_the_challenge() {
    let (url, received) = expiring_then_fresh().await;
    let provider = OAuth2::authorization_code("desktop-app")
        .token_url(&url)
        .authorization_url("https://login.test/authorize")
        .scopes(["itwin-platform", "offline_access"]);
    let (tx, rx) = tokio::sync::oneshot::channel();
    let login = provider.login(move |url| {
        let _ = tx.send(url.to_string());
    });
    let browser = async {
        let url = rx.await.expect("an authorization URL");
        assert!(url.starts_with("https://login.test/authorize?"), "{url}");
        let params = query(&url);
        assert_eq!(param(&params, "response_type"), "code");
        assert_eq!(param(&params, "client_id"), "desktop-app");
        assert_eq!(param(&params, "scope"), "itwin-platform offline_access");
        assert_eq!(param(&params, "code_challenge_method"), "S256");
        let redirect = param(&params, "redirect_uri");
        assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");
        // A stray request first (a favicon): 404, and the login waits on.
        let favicon = format!("{}favicon.ico", redirect);
        assert!(browse(&favicon).await.contains("404"));
        let state = param(&params, "state");
        let back = format!("{redirect}?code=the-code&state={state}");
        (browse(&back).await, param(&params, "code_challenge"))
    };
    let (logged_in, (answered, challenge)) = tokio::join!(login, browser);
    logged_in.expect("logged in");
    assert!(answered.contains("200"), "{answered}");
    let url_log = received;
    let received = received_log(&url_log);
    let exchange = &received[0];
    assert_eq!(
        exchange.param("grant_type").as_deref(),
        Some("authorization_code")
    );
    assert_eq!(exchange.param("code").as_deref(), Some("the-code"));
    assert_eq!(exchange.param("client_id").as_deref(), Some("desktop-app"));
    let verifier = exchange.param("code_verifier").expect("a verifier");
    let digest = ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes());
    assert_eq!(
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()),
        challenge
    );
    assert!(
        exchange.header("authorization").is_none(),
        "a public client has no secret"
    );
    // The token is due at once: the refresh token gets the next.
    assert_eq!(provider.token().await.expect("token"), "tok-2");
    let received = received_log(&url_log);
    assert_refreshed(&received[1]);
}

fn received_log(log: &Arc<Mutex<Vec<Received>>>) -> Vec<Received> {
    log.lock().expect("log").clone()
}

#[tokio::test]
async fn a_redirect_with_another_state_fails_the_login() {
    let (url, received) = endpoint(vec![token("tok-1", 3600, None)]).await;
    let provider = OAuth2::authorization_code("desktop-app")
        .token_url(&url)
        .authorization_url("https://login.test/authorize")
        .loopback_redirect(0, "signin-callback");
    let (tx, rx) = tokio::sync::oneshot::channel();
    let login = provider.login(move |url| {
        let _ = tx.send(url.to_string());
    });
    let browser = async {
        let url = rx.await.expect("an authorization URL");
        let redirect = param(&query(&url), "redirect_uri");
        assert!(redirect.ends_with("/signin-callback"), "{redirect}");
        browse(&format!("{redirect}?code=forged&state=not-the-state")).await
    };
    let (outcome, answered) = tokio::join!(login, browser);
    let error = outcome.expect_err("refused").to_string();
    assert!(error.contains("state does not match"), "{error}");
    assert!(answered.contains("400"), "{answered}");
    assert!(
        received.lock().expect("log").is_empty(),
        "no code exchanged"
    );
    assert!(provider.token().await.is_err(), "no token without a login");
}

#[tokio::test]
async fn the_device_flow_shows_the_code_and_polls_until_approved() {
    let device = serde_json::json!({
        "device_code": "dev-1",
        "user_code": "ABCD-EFGH",
        "verification_uri": "https://login.test/device",
        "expires_in": 600,
        "interval": 0,
    });
    let pending = serde_json::json!({"error": "authorization_pending"});
    let (url, received) = endpoint(vec![
        (200, device.to_string()),
        (400, pending.to_string()),
        token("tok-1", 3600, None),
    ])
    .await;
    let provider = OAuth2::device_authorization("cli-app")
        .token_url(&url)
        .authorization_url(&url)
        .scopes(["itwin-platform"]);
    let mut shown = None;
    provider
        .login_on_device(|prompt| shown = Some(prompt.clone()))
        .await
        .expect("approved");
    let shown = shown.expect("a prompt");
    assert_eq!(shown.user_code, "ABCD-EFGH");
    assert_eq!(shown.verification_uri, "https://login.test/device");
    assert_eq!(provider.token().await.expect("token"), "tok-1");
    let received = received.lock().expect("log").clone();
    assert_eq!(received.len(), 3);
    assert_eq!(
        received[0].param("scope").as_deref(),
        Some("itwin-platform")
    );
    for poll in &received[1..] {
        assert_eq!(
            poll.param("grant_type").as_deref(),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(poll.param("device_code").as_deref(), Some("dev-1"));
    }
}
