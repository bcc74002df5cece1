//! Behaviour of the crate generated from `tests/fixtures/changes-3.2.yaml`
//! (copied into that crate by `compile_fixtures.rs`): OpenAPI 3.2's `QUERY`
//! method and a custom method go on the wire as such, and a JSON Lines
//! response is read whole.

use changes_client::types::{Change, ChangeQuery, Kind};
use changes_client::Client;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client")
}

#[tokio::test]
async fn query_sends_the_query_method_with_a_json_body() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/changes"))
        .and(header("authorization", "Bearer t"))
        .and(body_json(serde_json::json!({"author": "ana"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!([{"id": "1", "kind": "created"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let query = ChangeQuery {
        author: Some("ana".into()),
        ..ChangeQuery::default()
    };
    let changes: Vec<Change> = client(&server)
        .search_changes(query)
        .send()
        .await
        .expect("QUERY");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].id, "1");
    assert_eq!(changes[0].kind, Kind::Created);
}

#[tokio::test]
async fn a_custom_method_goes_on_the_wire_as_written() {
    let server = MockServer::start().await;
    Mock::given(method("LOCK"))
        .and(path("/changes/7"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .lock_change("7")
        .send()
        .await
        .expect("LOCK");
}

#[tokio::test]
async fn a_json_lines_response_is_read_whole() {
    let server = MockServer::start().await;
    let lines = "{\"id\":\"1\",\"kind\":\"created\"}\n{\"id\":\"2\",\"kind\":\"updated\"}\n";
    Mock::given(method("GET"))
        .and(path("/changes"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(lines, "application/jsonl"))
        .mount(&server)
        .await;
    let body = client(&server)
        .stream_changes()
        .send()
        .await
        .expect("GET");
    assert_eq!(&body[..], lines.as_bytes());
}
