//! `multipart/form-data` request bodies (only in crates whose API has them).
//!
//! reqwest encodes the form (boundary, part headers, the escaping of names
//! and file names); the encoded body is then kept as bytes, so a retried
//! request sends it again unchanged and its `Content-Length` is exact.

use std::fmt;
use std::path::Path;

use bytes::Bytes;
use futures_util::{FutureExt, TryStreamExt};
use reqwest::multipart::{Form, Part};

use crate::error::Error;

/// A file sent as one part of a `multipart/form-data` body.
///
/// `FilePart::new(bytes).file_name("report.pdf").content_type("application/pdf")`,
/// or [`FilePart::from_path`] to read one from disk.
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file with these contents. Without [`FilePart::file_name`], the part
    /// is named after its field (servers often treat a part without a file
    /// name as a text field); without [`FilePart::content_type`], the type is
    /// the one the API document gives, or `application/octet-stream`.
    pub fn new(data: impl Into<Bytes>) -> Self {
        FilePart {
            data: data.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Reads a file from disk; the part takes the file's name.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let data = tokio::fs::read(path)
            .await
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
        let mut part = FilePart::new(data);
        part.file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Ok(part)
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type` (`image/png`), instead of the document's.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The contents.
    pub fn data(&self) -> &Bytes {
        &self.data
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Shows the size, not the contents.
impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.data.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// A form being filled in by a generated body type, part by part.
pub(crate) struct Multipart {
    form: Form,
}

impl Multipart {
    pub(crate) fn new() -> Self {
        Multipart { form: Form::new() }
    }

    /// A text part (a string, number, boolean, enum or date).
    // A form whose parts are all of other kinds leaves this one unused.
    #[allow(dead_code)]
    pub(crate) fn text(
        &mut self,
        name: &'static str,
        value: String,
        content_type: Option<&str>,
    ) -> Result<(), Error> {
        let part = with_type(Part::text(value), content_type, name)?;
        self.add(name, part);
        Ok(())
    }

    /// A part holding `value` as JSON.
    // A form whose parts are all of other kinds leaves this one unused.
    #[allow(dead_code)]
    pub(crate) fn json(
        &mut self,
        name: &'static str,
        value: &impl serde::Serialize,
        content_type: Option<&str>,
    ) -> Result<(), Error> {
        let json = serde_json::to_vec(value).map_err(|e| {
            Error::InvalidRequest(format!("cannot encode part `{name}` as JSON: {e}"))
        })?;
        let part = with_type(
            Part::bytes(json),
            Some(content_type.unwrap_or("application/json")),
            name,
        )?;
        self.add(name, part);
        Ok(())
    }

    /// A file part. `content_type` is the document's; the file's own wins.
    // A form whose parts are all of other kinds leaves this one unused.
    #[allow(dead_code)]
    pub(crate) fn file(
        &mut self,
        name: &'static str,
        file: FilePart,
        content_type: Option<&str>,
    ) -> Result<(), Error> {
        let FilePart {
            data,
            file_name,
            content_type: own,
        } = file;
        let content_type = own
            .as_deref()
            .or(content_type)
            .unwrap_or("application/octet-stream");
        let length = data.len() as u64;
        let part = Part::stream_with_length(reqwest::Body::from(data), length)
            .file_name(file_name.unwrap_or_else(|| name.to_string()));
        let part = with_type(part, Some(content_type), name)?;
        self.add(name, part);
        Ok(())
    }

    fn add(&mut self, name: &'static str, part: Part) {
        let form = std::mem::replace(&mut self.form, Form::new());
        self.form = form.part(name, part);
    }

    /// The body's `Content-Type` (with the boundary) and bytes.
    pub(crate) fn encode(self) -> Result<(String, Bytes), Error> {
        let content_type = format!("multipart/form-data; boundary={}", self.form.boundary());
        // Every part is already in memory, so the stream is ready at once:
        // `now_or_never` never sees it pending.
        let chunks: Vec<Bytes> = self
            .form
            .into_stream()
            .try_collect()
            .now_or_never()
            .ok_or_else(|| {
                Error::InvalidRequest("the multipart body could not be encoded at once".into())
            })?
            .map_err(|e| Error::InvalidRequest(format!("cannot encode the multipart body: {e}")))?;
        Ok((content_type, chunks.concat().into()))
    }
}

fn with_type(part: Part, content_type: Option<&str>, name: &str) -> Result<Part, Error> {
    match content_type {
        None => Ok(part),
        Some(t) => part.mime_str(t).map_err(|_| {
            Error::InvalidRequest(format!("part `{name}`: `{t}` is not a media type"))
        }),
    }
}
