//! Mutual TLS: the client presents the certificate given to its builder, to
//! a local server that requires one signed by the test CA.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::{Client, Error};

const CA: &str = include_str!("tls/ca.pem");
const SERVER: &str = include_str!("tls/server.pem");
const SERVER_KEY: &str = include_str!("tls/server.key");
const CLIENT: &str = include_str!("tls/client.pem");
const CLIENT_KEY: &str = include_str!("tls/client.key");

/// The answer of [`serve_once`] to most tests.
const NO_CONTENT: &[u8] = b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n";

/// Serves one TLS connection on a local port, asking for a client
/// certificate signed by the test CA: answers one request with `answer` and
/// returns the certificate the client presented (`Err` when the handshake
/// failed).
async fn serve_once(answer: Vec<u8>) -> (String, tokio::task::JoinHandle<Result<Vec<u8>, String>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA.as_bytes()).expect("CA"))
        .expect("add CA");
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .expect("client verifier");
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(SERVER.as_bytes()).expect("server certificate")],
            PrivateKeyDer::from_pem_slice(SERVER_KEY.as_bytes()).expect("server key"),
        )
        .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.map_err(|e| e.to_string())?;
        let mut tls = acceptor.accept(tcp).await.map_err(|e| e.to_string())?;
        let presented = tls
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|c| c.as_ref().to_vec())
            .ok_or("no client certificate")?;
        // The request head, then the answer.
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = tls.read(&mut buf).await.map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        tls.write_all(&answer).await.map_err(|e| e.to_string())?;
        tls.shutdown().await.ok();
        Ok(presented)
    });
    (format!("https://localhost:{port}"), server)
}

async fn get(client: &Client) -> Result<u16, Error> {
    let parts =
        crate::client::request::RequestParts::new("op", reqwest::Method::GET, "/ping".to_string());
    Ok(client.execute(parts).await?.status())
}

#[tokio::test]
async fn the_client_presents_its_certificate() {
    let (url, server) = serve_once(NO_CONTENT.to_vec()).await;
    let client = Client::builder()
        .base_url(url)
        .root_certificate(CA)
        .client_certificate(CLIENT, CLIENT_KEY)
        .build()
        .expect("client");
    assert_eq!(get(&client).await.expect("request"), 204);
    let presented = server.await.expect("server task").expect("handshake");
    let ours = CertificateDer::from_pem_slice(CLIENT.as_bytes()).expect("client certificate");
    assert_eq!(presented, ours.as_ref());
}

#[tokio::test]
async fn without_one_the_server_refuses_the_handshake() {
    let (url, server) = serve_once(NO_CONTENT.to_vec()).await;
    let client = Client::builder()
        .base_url(url)
        .root_certificate(CA)
        .retry_policy(crate::RetryPolicy::never())
        .build()
        .expect("client");
    let error = get(&client).await.expect_err("no certificate, no answer");
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(server.await.expect("server task").is_err());
}

#[test]
fn a_key_that_does_not_parse_is_an_error_that_does_not_show_it() {
    let key = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END PRIVATE KEY-----\n";
    let builder = Client::builder()
        .base_url("https://localhost")
        .client_certificate(CLIENT, key);
    assert!(
        !format!("{builder:?}").contains("bm90IGEga2V5"),
        "{builder:?}"
    );
    let error = builder.build().expect_err("not a key");
    let text = error.to_string();
    assert!(text.contains("client certificate and key"), "{text}");
    assert!(!text.contains("bm90IGEga2V5"), "{text}");
}

#[test]
fn tls_settings_do_not_go_with_your_own_http_client() {
    let error = Client::builder()
        .base_url("https://localhost")
        .http_client(reqwest::Client::new())
        .client_certificate(CLIENT, CLIENT_KEY)
        .build()
        .expect_err("cannot be applied");
    assert!(
        error.to_string().contains("your own reqwest::Client"),
        "{error}"
    );
}

/// A redirect from https to http is never followed, whatever the host: the
/// token (and a re-sent body) would cross the network in clear.
#[tokio::test]
async fn a_redirect_from_https_to_http_is_not_followed() {
    let plain = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = plain.local_addr().expect("address").port();
    let answer = format!(
        "HTTP/1.1 302 Found\r\nlocation: http://localhost:{port}/ping?sig=s3cret\r\n\
         content-length: 0\r\nconnection: close\r\n\r\n"
    );
    let (url, server) = serve_once(answer.into_bytes()).await;
    let client = Client::builder()
        .base_url(url)
        .bearer_token("s3cret-token")
        .root_certificate(CA)
        .client_certificate(CLIENT, CLIENT_KEY)
        .build()
        .expect("client");
    let parts =
        crate::client::request::RequestParts::new("op", reqwest::Method::GET, "/ping".to_string());
    let response = client.execute(parts).await.expect("the 302 itself");
    assert_eq!(response.status(), 302);
    server.await.expect("server task").expect("handshake");
    // Had the client followed, its connection would be waiting here.
    let followed =
        tokio::time::timeout(std::time::Duration::from_millis(200), plain.accept()).await;
    assert!(followed.is_err(), "the client connected to the http origin");
    let error = response.into_error(crate::ErrorBody::Empty);
    assert!(
        matches!(&error, Error::Redirected { status: 302, target, .. } if target == &format!("http://localhost:{port}/ping")),
        "{error:?}"
    );
}
