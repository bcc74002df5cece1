//! The HTTP vocabulary several stages share: what a method or header name
//! may be made of, and which media types are sequences of items. A leaf:
//! the 3.2 rewrite (load stage) and the model builder both ask it.

use serde::Serialize;

/// An RFC 9110 token: what HTTP header and method names are made of.
pub fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// How the items of a sequential body are delimited.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub enum Framing {
    /// One per line: `application/jsonl`, `application/x-ndjson`.
    Lines,
    /// RFC 7464: `application/json-seq`.
    JsonSeq,
    /// Server-sent events' `data:`: `text/event-stream`.
    EventStream,
}

/// The framing of a sequential media type, `None` for the others.
pub fn framing_of(media_type: &str) -> Option<Framing> {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    match essence.to_ascii_lowercase().as_str() {
        "application/jsonl" | "application/x-ndjson" | "application/x-jsonlines" => {
            Some(Framing::Lines)
        }
        "application/json-seq" => Some(Framing::JsonSeq),
        "text/event-stream" => Some(Framing::EventStream),
        _ => None,
    }
}
