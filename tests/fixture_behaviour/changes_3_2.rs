//! Behaviour of the crate generated from `tests/fixtures/changes-3.2.yaml`
//! (copied into that crate by `compile_fixtures.rs`): OpenAPI 3.2's `QUERY`
//! method and a custom method go on the wire as such, and sequential bodies
//! (JSON Lines, server-sent events) come back whole from `send()` or item by
//! item from `send_items()`.

use changes_client::types::{Change, GetChangeHistoryPage, ChangeQuery, FindChangesFilter, Kind};
use changes_client::{Client, Error};
use futures_util::StreamExt;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .build()
        .expect("client")
}

/// A server that answers `GET route` with `body` as `media_type`.
async fn serving(route: &str, body: &str, media_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.to_string(), media_type))
        .mount(&server)
        .await;
    server
}

/// Every item of a stream, each expected to decode.
async fn all<S: futures_util::Stream<Item = Result<Change, Error>> + Unpin>(
    stream: S,
) -> Vec<Change> {
    stream.map(|item| item.expect("an item")).collect().await
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

/// Answers `GET /changes/found` with an empty list when the raw (still
/// percent-encoded) query string is exactly `expected`.
async fn expecting_query(expected: &'static str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/changes/found"))
        .and(move |request: &wiremock::Request| request.url.query() == Some(expected))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .expect(1)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_querystring_parameter_is_the_whole_form_encoded_query() {
    // A space becomes `+` and `&` inside a value `%26`, as in a form body;
    // the fields go in the schema's order.
    let server = expecting_query("text=a+b%26c&author=ana&limit=5").await;
    let filter = FindChangesFilter {
        text: "a b&c".into(),
        author: Some("ana".into()),
        limit: Some(5),
    };
    let found = client(&server)
        .find_changes(filter)
        .send()
        .await
        .expect("the query string matches");
    assert!(found.is_empty());
}

#[tokio::test]
async fn an_unset_querystring_field_is_left_out() {
    let server = expecting_query("text=x").await;
    let filter = FindChangesFilter {
        text: "x".into(),
        author: None,
        limit: None,
    };
    client(&server)
        .find_changes(filter)
        .send()
        .await
        .expect("the query string matches");
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
    client(&server).lock_change("7").send().await.expect("LOCK");
}

#[tokio::test]
async fn a_json_lines_response_is_read_whole() {
    let lines = "{\"id\":\"1\",\"kind\":\"created\"}\n{\"id\":\"2\",\"kind\":\"updated\"}\n";
    let server = serving("/changes", lines, "application/jsonl").await;
    let body = client(&server).stream_changes().send().await.expect("GET");
    assert_eq!(&body[..], lines.as_bytes());
}

#[tokio::test]
async fn json_lines_come_item_by_item_and_a_bad_line_ends_the_stream() {
    let lines = "{\"id\":\"1\",\"kind\":\"created\"}\n\n{\"id\":\"2\",\"kind\":\"gone\"}\nnot json\n{\"id\":\"4\",\"kind\":\"created\"}";
    let server = serving("/changes", lines, "application/jsonl").await;
    let items: Vec<Result<Change, Error>> = client(&server)
        .stream_changes()
        .send_items()
        .await
        .expect("GET")
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    let first = items[0].as_ref().expect("first item");
    assert_eq!((first.id.as_str(), &first.kind), ("1", &Kind::Created));
    // Unknown enum values are kept, as everywhere else.
    let second = items[1].as_ref().expect("second item");
    assert_eq!(second.kind, Kind::Other("gone".into()));
    assert!(
        matches!(items[2], Err(Error::Decode { .. })),
        "{:?}",
        items[2]
    );
}

#[tokio::test]
async fn server_sent_events_are_decoded_from_their_data_lines() {
    let events = ": a comment\n\nevent: change\nid: 1\ndata: {\"id\": \"1\",\ndata:  \"kind\": \"updated\"}\n\nevent: ping\n\r\ndata: {\"id\": \"2\", \"kind\": \"created\"}\r\n";
    let server = serving("/changes/7", events, "text/event-stream").await;
    let stream = client(&server).watch_change("7").send_items().await;
    let items = all(stream.expect("GET")).await;
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(items[0].kind, Kind::Updated);
}

#[tokio::test]
async fn an_error_status_comes_before_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/changes"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such change"))
        .mount(&server)
        .await;
    let result = client(&server).stream_changes().send_items().await;
    match result {
        Err(Error::Api(e)) => assert_eq!(e.status, 404),
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got a stream"),
    }
}

#[tokio::test]
async fn a_json_text_sequence_is_split_at_record_separators() {
    let records =
        "\u{1e}{\"id\":\"1\",\"kind\":\"created\"}\n\u{1e}{\"id\":\"2\",\n \"kind\":\"updated\"}\n";
    let server = serving("/changes/7/history", records, "application/json-seq").await;
    let stream = client(&server).get_change_history("7").send_items().await;
    let items = all(stream.expect("GET")).await;
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"]);
    // The optional `in: querystring` parameter was not set: no query at all.
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn an_optional_querystring_parameter_has_a_setter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/changes/7/history"))
        .and(|request: &wiremock::Request| request.url.query() == Some("cursor=a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("", "application/json-seq"))
        .expect(1)
        .mount(&server)
        .await;
    let page = GetChangeHistoryPage {
        cursor: Some("a/b".into()),
    };
    client(&server)
        .get_change_history("7")
        .page(page)
        .send()
        .await
        .expect("the query string matches");
}
