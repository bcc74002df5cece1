// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Sequential media types (OpenAPI 3.2 `itemSchema`): a response body read
//! as a stream of typed items, each decoded as soon as it has arrived.
//!
//! Framings: JSON Lines / NDJSON (one JSON value per line), JSON text
//! sequences (RFC 7464: each value after a record separator, 0x1E) and
//! server-sent events (the `data:` lines of each event, joined by newlines,
//! are one JSON value; other fields and comments are skipped).

// An API without sequential responses leaves this unused.
#![allow(dead_code)]

use futures_util::Stream;

use crate::client::response::RawResponse;
use crate::error::Error;

/// How items are delimited in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `application/jsonl`, `application/x-ndjson`.
    Lines,
    /// `application/json-seq`.
    JsonSeq,
    /// `text/event-stream`.
    EventStream,
}

struct State {
    response: Option<RawResponse>,
    records: Records,
    operation: &'static str,
    status: u16,
}

/// The items of a success response, decoded one by one as the body arrives.
/// A record that does not decode ends the stream with [`Error::Decode`].
pub(crate) fn items<T>(
    response: RawResponse,
    framing: Framing,
) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    let state = State {
        operation: response.operation(),
        status: response.status(),
        response: Some(response),
        records: Records::new(framing),
    };
    Box::pin(futures_util::stream::unfold(
        state,
        |mut state| async move {
            loop {
                if let Some(json) = state.records.next_payload() {
                    let item = serde_json::from_slice::<T>(&json).map_err(|source| Error::Decode {
                        operation: state.operation,
                        status: state.status,
                        source,
                        body: String::from_utf8_lossy(&json[..json.len().min(4096)]).into_owned(),
                    });
                    if item.is_err() {
                        // Nothing after an undecodable record can be trusted.
                        state.response = None;
                        state.records.clear();
                    }
                    return Some((item, state));
                }
                let response = state.response.as_mut()?;
                match response.next_chunk().await {
                    Ok(Some(chunk)) => state.records.push(&chunk),
                    Ok(None) => {
                        state.response = None;
                        state.records.end();
                    }
                    Err(e) => {
                        state.response = None;
                        state.records.clear();
                        return Some((Err(e), state));
                    }
                }
            }
        },
    ))
}

/// The body received so far, split into records as they complete.
struct Records {
    framing: Framing,
    buffer: Vec<u8>,
    /// The whole body has arrived.
    ended: bool,
}

impl Records {
    fn new(framing: Framing) -> Self {
        Records {
            framing,
            buffer: Vec::new(),
            ended: false,
        }
    }

    /// The next piece of the body.
    fn push(&mut self, chunk: &[u8]) {
        if self.framing == Framing::EventStream {
            // Events may end lines with CR LF; LF alone delimits the same.
            self.buffer.extend(chunk.iter().filter(|&&b| b != b'\r'))
        } else {
            self.buffer.extend_from_slice(chunk)
        }
    }

    /// The body is complete: the last record needs no delimiter after it.
    fn end(&mut self) {
        self.ended = true;
        self.buffer.push(b'\n');
        if self.framing == Framing::EventStream {
            self.buffer.push(b'\n');
        }
    }

    /// Drops what is buffered (after an error nothing more is read).
    fn clear(&mut self) {
        self.buffer.clear();
    }

    /// The JSON text of the next complete record that carries an item.
    fn next_payload(&mut self) -> Option<Vec<u8>> {
        loop {
            let record = self.next_record()?;
            if let Some(json) = payload(&record, self.framing) {
                return Some(json);
            }
        }
    }

    /// Takes one complete record off the front of the buffer.
    fn next_record(&mut self) -> Option<Vec<u8>> {
        let (end, skip) = match self.framing {
            Framing::Lines => (self.buffer.iter().position(|&b| b == b'\n')?, 1),
            Framing::JsonSeq => {
                // A record runs from one separator to the next (or a newline
                // at the end of the body).
                let start = usize::from(self.buffer.first() == Some(&0x1e));
                let end = self.buffer[start..]
                    .iter()
                    .position(|&b| b == 0x1e)
                    .map(|i| i + start);
                match end {
                    Some(end) => (end, 0),
                    None if self.ended && !self.buffer.is_empty() => (self.buffer.len(), 0),
                    None => return None,
                }
            }
            Framing::EventStream => {
                let text = &self.buffer;
                let at = text.windows(2).position(|w| w == b"\n\n")?;
                (at, 2)
            }
        };
        let record: Vec<u8> = self.buffer.drain(..end).collect();
        self.buffer.drain(..skip.min(self.buffer.len()));
        Some(record)
    }
}

/// The JSON text of a record, or `None` for one that carries no item (a
/// blank line, an event without data).
fn payload(record: &[u8], framing: Framing) -> Option<Vec<u8>> {
    let json: Vec<u8> = match framing {
        Framing::Lines => record.to_vec(),
        Framing::JsonSeq => record.iter().copied().filter(|&b| b != 0x1e).collect(),
        Framing::EventStream => {
            let text = String::from_utf8_lossy(record);
            let data: Vec<&str> = text
                .split('\n')
                .filter_map(|line| line.strip_prefix("data:"))
                .map(|data| data.strip_prefix(' ').unwrap_or(data))
                .collect();
            data.join("\n").into_bytes()
        }
    };
    json.iter()
        .any(|b| !b.is_ascii_whitespace())
        .then_some(json)
}
