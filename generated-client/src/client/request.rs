// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! What an operation puts into a request: path, query, headers, cookies and
//! body, before the client adds credentials and default headers.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

use super::encoding::{component, cookie_pair, header, push_query, scalar_text, ListStyle};
use crate::error::Error;

/// A body's `Content-Type`: fixed by the document, or made per request (a
/// multipart body's boundary).
pub(crate) type ContentType = std::borrow::Cow<'static, str>;

/// Sets the value at `pointer` (RFC 6901) in `json`, creating objects on
/// the way (and replacing what is not an object there).
pub(crate) fn set_json_pointer(
    json: &mut serde_json::Value,
    pointer: &str,
    value: serde_json::Value,
) {
    let mut slot = json;
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        if !slot.is_object() {
            *slot = serde_json::Value::Object(Default::default());
        }
        let serde_json::Value::Object(map) = slot else {
            return;
        };
        slot = map.entry(key).or_insert(serde_json::Value::Null);
    }
    *slot = value;
}

/// A request body: bytes can be sent again on a retry, a stream only once.
pub(crate) enum Payload {
    Bytes(bytes::Bytes),
    Stream(reqwest::Body),
}

impl Payload {
    pub(crate) fn try_clone(&self) -> Option<Payload> {
        match self {
            Payload::Bytes(bytes) => Some(Payload::Bytes(bytes.clone())),
            Payload::Stream(_) => None,
        }
    }

    pub(crate) fn into_body(self) -> reqwest::Body {
        match self {
            Payload::Bytes(bytes) => bytes.into(),
            Payload::Stream(body) => body,
        }
    }
}

/// Everything an operation puts into a request before credentials and
/// default headers are added.
pub(crate) struct RequestParts {
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    /// Headers the caller added to this call; they replace default headers
    /// and the operation's own of the same name.
    pub(crate) custom_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) cookies: Option<String>,
    pub(crate) body: Option<(ContentType, Payload)>,
    pub(crate) authenticated: bool,
    /// An absolute URL (a link from a response) instead of base URL + path.
    pub(crate) url: Option<String>,
    /// Overrides the method's idempotency (`x-idempotent`).
    pub(crate) idempotent: Option<bool>,
    /// Whether the client's default headers go with the request (not to
    /// blob storage).
    pub(crate) default_headers: bool,
}

impl RequestParts {
    pub(crate) fn new(operation: &'static str, method: reqwest::Method, path: String) -> Self {
        RequestParts {
            operation,
            method,
            path,
            query: String::new(),
            headers: Vec::new(),
            custom_headers: Vec::new(),
            cookies: None,
            body: None,
            authenticated: true,
            url: None,
            idempotent: None,
            default_headers: true,
        }
    }

    pub(crate) fn operation(&self) -> &'static str {
        self.operation
    }

    /// A request to a URL the API handed out: no credentials, no default
    /// headers.
    pub(crate) fn plain(&mut self) {
        self.authenticated = false;
        self.default_headers = false;
    }

    /// A copy for another request, when the body can be copied.
    pub(crate) fn try_clone(&self) -> Option<RequestParts> {
        let body = match &self.body {
            Some((content_type, body)) => Some((content_type.clone(), body.try_clone()?)),
            None => None,
        };
        Some(RequestParts {
            operation: self.operation,
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            custom_headers: self.custom_headers.clone(),
            cookies: self.cookies.clone(),
            body,
            authenticated: self.authenticated,
            url: self.url.clone(),
            idempotent: self.idempotent,
            default_headers: self.default_headers,
        })
    }

    /// Sends this request to `url` (a link the API returned, used verbatim)
    /// instead of base URL + path + query. Credentials go with it only when
    /// it is on the API's origin.
    pub(crate) fn follow(&mut self, url: String) {
        self.query.clear();
        self.url = Some(url);
    }

    /// The URL this request goes to, when it follows a link.
    pub(crate) fn link(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The first non-empty value of the query parameter `name`, decoded.
    pub(crate) fn query_value(&self, name: &str) -> Option<String> {
        crate::paging::query_value(&format!("?{}", self.query), name)
    }

    /// Replaces the query parameter `name` (all its values) with `value`.
    pub(crate) fn set_query(&mut self, name: &str, value: &impl fmt::Display) {
        self.remove_query(name);
        self.query(name, value);
    }

    /// Removes the query parameter `name` (all its values).
    pub(crate) fn remove_query(&mut self, name: &str) {
        let prefix = format!("{}=", component(name));
        let kept: Vec<&str> = self
            .query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with(&prefix))
            .collect();
        self.query = kept.join("&");
    }

    /// The document marks the operation as safe to send twice (or not).
    pub(crate) fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = Some(idempotent);
    }

    /// Patches the JSON body: sets the value at `pointer` (RFC 6901),
    /// creating objects on the way. Used by flows that fill in a field the
    /// caller cannot know in advance (a file's size).
    pub(crate) fn patch_json_body(
        &mut self,
        pointer: &str,
        value: serde_json::Value,
    ) -> Result<(), Error> {
        let Some((content_type, Payload::Bytes(bytes))) = self.body.take() else {
            return Err(Error::InvalidRequest(
                "the request has no JSON body to patch".into(),
            ));
        };
        let mut json: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|e| Error::InvalidRequest(format!("the request body is not JSON: {e}")))?;
        set_json_pointer(&mut json, pointer, value);
        self.json_body(content_type, &json)
    }

    pub(crate) fn query(&mut self, name: &str, value: &impl fmt::Display) {
        push_query(&mut self.query, name, &value.to_string());
    }

    /// Appends pairs already encoded as `application/x-www-form-urlencoded`
    /// (an OpenAPI 3.2 `in: querystring` parameter: the whole query string).
    pub(crate) fn raw_query(&mut self, encoded: String) {
        if encoded.is_empty() {
            return;
        }
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.push_str(&encoded);
    }

    pub(crate) fn query_list<T: fmt::Display>(
        &mut self,
        name: &str,
        values: &[T],
        style: ListStyle,
    ) {
        match style {
            ListStyle::Exploded => values.iter().for_each(|v| self.query(name, v)),
            ListStyle::Delimited(delimiter) => {
                if !values.is_empty() {
                    let joined = values
                        .iter()
                        .map(|v| component(&v.to_string()))
                        .collect::<Vec<_>>();
                    if !self.query.is_empty() {
                        self.query.push('&');
                    }
                    self.query.push_str(&component(name));
                    self.query.push('=');
                    self.query.push_str(&joined.join(&component(delimiter)));
                }
            }
        }
    }

    /// A `style: deepObject` query parameter: `name[key]=value` for each
    /// property of the object, by key (absent and null properties are left
    /// out).
    pub(crate) fn query_deep_object(
        &mut self,
        name: &str,
        value: &impl serde::Serialize,
    ) -> Result<(), Error> {
        let json = serde_json::to_value(value).map_err(|e| {
            Error::InvalidRequest(format!("cannot encode the query parameter `{name}`: {e}"))
        })?;
        match json {
            serde_json::Value::Object(map) => {
                // By key: serde_json's map order depends on a feature that
                // another crate in the build may turn on.
                let mut pairs: Vec<_> = map.into_iter().collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                for (key, value) in pairs {
                    if let Some(text) = scalar_text(&value) {
                        push_query(&mut self.query, &format!("{name}[{key}]"), &text);
                    }
                }
            }
            other => {
                if let Some(text) = scalar_text(&other) {
                    push_query(&mut self.query, name, &text);
                }
            }
        }
        Ok(())
    }

    pub(crate) fn header(
        &mut self,
        name: &'static str,
        value: &impl fmt::Display,
    ) -> Result<(), Error> {
        self.headers.push(header(name, &value.to_string())?);
        Ok(())
    }

    /// A header the caller added to this call (a request builder's
    /// `.header(name, value)`), checked here.
    pub(crate) fn custom_header(&mut self, name: &str, value: &str) -> Result<(), Error> {
        self.custom_headers.push(header(name, value)?);
        Ok(())
    }

    /// Every header a caller added to a builder (`header(name, value)`), in
    /// order; the first that is not a valid header is the error.
    pub(crate) fn custom_headers(&mut self, headers: &[(String, String)]) -> Result<(), Error> {
        for (name, value) in headers {
            self.custom_header(name, value)?;
        }
        Ok(())
    }

    pub(crate) fn header_list<T: fmt::Display>(
        &mut self,
        name: &'static str,
        values: &[T],
    ) -> Result<(), Error> {
        let joined = values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.header(name, &joined)
    }

    pub(crate) fn cookie(&mut self, name: &str, value: &impl fmt::Display) {
        let cookies = self.cookies.get_or_insert_with(String::new);
        if !cookies.is_empty() {
            cookies.push_str("; ");
        }
        cookies.push_str(&cookie_pair(name, &value.to_string()));
    }

    pub(crate) fn cookie_list<T: fmt::Display>(&mut self, name: &str, values: &[T]) {
        let joined = values
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        self.cookie(name, &joined);
    }

    pub(crate) fn json_body(
        &mut self,
        content_type: impl Into<ContentType>,
        body: &impl serde::Serialize,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::InvalidRequest(format!("cannot encode the request body as JSON: {e}"))
        })?;
        self.body = Some((content_type.into(), Payload::Bytes(bytes.into())));
        Ok(())
    }

    pub(crate) fn bytes_body(&mut self, content_type: impl Into<ContentType>, body: bytes::Bytes) {
        self.body = Some((content_type.into(), Payload::Bytes(body)));
    }

    pub(crate) fn stream_body(&mut self, content_type: &'static str, body: reqwest::Body) {
        self.body = Some((content_type.into(), Payload::Stream(body)));
    }

    pub(crate) fn text_body(&mut self, content_type: &'static str, body: String) {
        self.body = Some((content_type.into(), Payload::Bytes(body.into())));
    }

    /// The operation declares `security: []`: send no credentials.
    pub(crate) fn without_credentials(&mut self) {
        self.authenticated = false;
    }
}
