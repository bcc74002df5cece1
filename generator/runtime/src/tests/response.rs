use std::time::Duration;

use super::response;
use crate::api::ErrorBody;
use crate::Error;

#[tokio::test]
async fn a_body_over_the_limit_is_refused_declared_or_streamed() {
    let declared = response(200, &[("content-length", "11")], vec![Ok(b"hello world")]);
    let error = declared.read(10).await.err().expect("too large");
    assert_eq!(
        error.to_string(),
        "op: the 200 response body is larger than the limit of 10 bytes"
    );
    let streamed = response(200, &[], vec![Ok(b"hello"), Ok(b" world")]);
    assert!(matches!(
        streamed.read(10).await,
        Err(Error::ResponseTooLarge {
            limit: 10,
            status: 200,
            ..
        })
    ));
    let exact = response(200, &[], vec![Ok(b"hello"), Ok(b"12345")]);
    assert_eq!(exact.read(10).await.expect("fits").bytes(), "hello12345");
}

#[tokio::test]
async fn a_dropped_connection_mid_body_is_a_transport_error() {
    let cut = response(200, &[], vec![Ok(b"{\"a\":"), Err("reset")]);
    let error = cut.read(1024).await.err().expect("cut");
    assert!(
        matches!(
            error,
            Error::Transport {
                operation: "op",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn error_bodies_decode_or_are_kept_as_text() {
    let json = response(404, &[], vec![Ok(b"{\"code\":\"NotFound\"}")])
        .read(1024)
        .await
        .expect("read");
    assert_eq!(
        json.error_body::<serde_json::Value>(ErrorBody::Json),
        ErrorBody::Json(serde_json::json!({"code": "NotFound"}))
    );
    let html = response(502, &[], vec![Ok(b"<html>Bad gateway</html>")])
        .read(1024)
        .await
        .expect("read");
    assert_eq!(
        html.error_body::<serde_json::Value>(ErrorBody::Json),
        ErrorBody::Text("<html>Bad gateway</html>".into())
    );
    let blank = response(500, &[], vec![Ok(b" \r\n")])
        .read(1024)
        .await
        .expect("read");
    assert_eq!(blank.unparsed_error_body(), ErrorBody::Empty);
}

#[tokio::test]
async fn an_api_error_carries_status_request_id_and_retry_after() {
    let headers = [
        ("retry-after", "30"),
        ("x-request-id", "req-1"),
        ("x-ms-request-id", "other"),
    ];
    let raw = response(429, &headers, vec![Ok(b"slow down")]);
    let read = raw.read(1024).await.expect("read");
    let body = read.unparsed_error_body();
    let error = read.into_error(body);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
    let api = error.api().expect("an API error");
    assert_eq!(api.request_id.as_deref(), Some("req-1"));
    assert_eq!(error.to_string(), "op: GET /things answered 429: slow down");
}

#[tokio::test]
async fn an_undecodable_success_body_keeps_its_first_4_kib() {
    static BIG: [u8; 5000] = [b'x'; 5000];
    let read = response(200, &[], vec![Ok(&BIG)])
        .read(10_000)
        .await
        .expect("read");
    match read.json::<serde_json::Value>() {
        Err(Error::Decode {
            status: 200, body, ..
        }) => assert_eq!(body.len(), 4096),
        other => panic!("{other:?}"),
    }
    let latin1 = response(200, &[], vec![Ok(b"caf\xe9")])
        .read(100)
        .await
        .expect("read");
    assert_eq!(
        latin1.text().expect_err("not UTF-8").to_string(),
        "op: unusable 200 response: the body is not valid UTF-8 text"
    );
}
