//! The framings of sequential bodies, with records split across chunks.

use futures_util::StreamExt;
use serde_json::{json, Value};

use super::response;
use crate::sequence::{items, Framing};
use crate::Error;

async fn decode(
    framing: Framing,
    chunks: Vec<Result<&'static [u8], &'static str>>,
) -> Vec<Result<Value, Error>> {
    items::<Value>(response(200, &[], chunks), framing)
        .collect()
        .await
}

fn values(items: Vec<Result<Value, Error>>) -> Vec<Value> {
    items
        .into_iter()
        .map(|item| item.expect("an item"))
        .collect()
}

#[tokio::test]
async fn json_lines_split_across_chunks() {
    let got = decode(
        Framing::Lines,
        vec![
            Ok(b"{\"n\":1}\n{\"n\""),
            Ok(b":2}\r\n\n   \n"),
            Ok(b""),
            Ok(b"{\"n\":3}"),
        ],
    )
    .await;
    assert_eq!(
        values(got),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
}

#[tokio::test]
async fn json_text_sequences_split_across_chunks() {
    let got = decode(
        Framing::JsonSeq,
        vec![
            Ok(b"\x1e{\"n\":1}\n\x1e{\"n\""),
            Ok(b":2}\n\x1e"),
            Ok(b"\n\x1e{\"n\":3}\n"),
        ],
    )
    .await;
    assert_eq!(
        values(got),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
}

#[tokio::test]
async fn server_sent_events_split_across_chunks() {
    let got = decode(
        Framing::EventStream,
        vec![
            // CR LF line ends, the blank line split between chunks.
            Ok(b"data: {\"n\":1}\r\n\r"),
            Ok(b"\n: a comment\n\nevent: ping\n\n"),
            // Several `data:` lines are one value, joined by newlines.
            Ok(b"event: item\ndata: {\"n\":\ndata: 2}\n"),
            // The last event needs no blank line after it.
            Ok(b"\nid: 7\ndata:{\"n\":3}"),
        ],
    )
    .await;
    assert_eq!(
        values(got),
        [json!({"n": 1}), json!({"n": 2}), json!({"n": 3})]
    );
}

#[tokio::test]
async fn an_undecodable_record_ends_the_stream() {
    let got = decode(
        Framing::Lines,
        vec![Ok(b"{\"n\":1}\nnot json\n{\"n\":3}\n")],
    )
    .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().expect("first"), &json!({"n": 1}));
    match &got[1] {
        Err(Error::Decode {
            operation: "op",
            status: 200,
            body,
            ..
        }) => assert_eq!(body, "not json"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_dropped_connection_ends_the_stream_with_a_transport_error() {
    let got = decode(
        Framing::Lines,
        vec![Ok(b"{\"n\":1}\n{\"n\":"), Err("reset")],
    )
    .await;
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].as_ref().expect("first"), &json!({"n": 1}));
    assert!(
        matches!(got[1], Err(Error::Transport { .. })),
        "{:?}",
        got[1]
    );
}
