// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Values as they go on the wire: percent-encoded path segments, query
//! components and cookies, RFC 3339 date-times, header names.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderName, HeaderValue};

use crate::error::Error;

/// Characters escaped in a path segment or query component: everything but
/// RFC 3986's unreserved characters and `$`, which the APIs use in parameter
/// names (`$top`) and which is safe in both places.
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*')
    .add(b'+')
    .add(b',')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'!');

/// `text` percent-encoded as one path segment or query component.
pub(crate) fn component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// A date-time parameter as RFC 3339 (`2024-01-01T00:00:00Z`), what OpenAPI's
/// `format: date-time` means; chrono's `Display` is not that. Generic so
/// that crates without date-time parameters need no chrono.
pub(crate) fn rfc3339<T: RfcDateTime>(value: &T) -> String {
    value.rfc3339()
}

/// Implemented for chrono's UTC date-time in crates that use it
/// (`datetime.rs`).
pub(crate) trait RfcDateTime {
    fn rfc3339(&self) -> String;
}

/// A path parameter's value, percent-encoded as one segment (a `/` in a
/// value cannot change which resource is addressed). `.`, `..` and the empty
/// string are refused: the URL parser would resolve them as dot segments or
/// drop the segment (`/imodels/{id}/changesets/..` is the iModel itself),
/// and percent-encoding does not help (`%2E%2E` is normalised too).
pub(crate) fn path_param(name: &str, value: &impl fmt::Display) -> Result<String, Error> {
    let text = value.to_string();
    match text.as_str() {
        "" | "." | ".." => Err(Error::InvalidRequest(format!(
            "path parameter `{name}` is `{text}`, which would address another resource; \
             nothing was sent"
        ))),
        _ => Ok(component(&text)),
    }
}

/// The last path segment of a URL or path (`https://host/imodels/ab12` →
/// `ab12`), without query, fragment or trailing slash: the id of a new
/// resource in a `Location` header.
pub(crate) fn last_segment(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// `name` when it is safe as a file name inside a directory the caller
/// chose: a name made from a server's answer (a changeset id) must not
/// climb out of it (`..`, `/`, `\\`) or be empty.
pub(crate) fn file_name(name: String) -> Result<String, Error> {
    let unsafe_name = matches!(name.as_str(), "" | "." | "..")
        || name.contains(['/', '\\', '\0'])
        || name.starts_with('~');
    if unsafe_name {
        return Err(Error::InvalidRequest(format!(
            "the API's answer makes the file name `{}`, which is not a plain file name",
            name.escape_debug()
        )));
    }
    Ok(name)
}

/// Appends `name=value`, both encoded, to a query string.
pub(crate) fn push_query(query: &mut String, name: &str, value: &str) {
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str(&component(name));
    query.push('=');
    query.push_str(&component(value));
}

/// `name=value` for a `Cookie` header, the value encoded.
pub(crate) fn cookie_pair(name: &str, value: &str) -> String {
    format!("{name}={}", component(value))
}

/// A JSON scalar as query text; `None` for null (left out) and for nested
/// values, which the model builder does not let through.
pub(crate) fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How a list-valued query parameter is written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ListStyle {
    /// `k=a&k=b`.
    Exploded,
    /// `k=a,b` (or another delimiter).
    Delimited(&'static str),
}

/// A header name from the document or the caller, checked.
pub(crate) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Error::InvalidRequest(format!("header name {name}: {e}")))
}

/// A header from the document or the caller, name and value checked (the
/// value is not quoted in the error: it may be a secret).
pub(crate) fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "the value of header `{name}` contains characters not allowed in a header"
        ))
    })?;
    Ok((header_name(name)?, value))
}
