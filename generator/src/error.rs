//! The generator's one error type: what went wrong and where in the document.

use std::fmt;

/// An error that names the place in the OpenAPI document it concerns, as a
/// JSON pointer (`#/paths/~1{iModelId}/get/responses/200`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// JSON pointer into the document, `#` for the document itself, or empty
    /// when the error is not about a place (an unreadable file).
    pub pointer: String,
    /// What is wrong, in words meant for the person who wrote the document.
    pub message: String,
}

impl Error {
    /// An error at `pointer`.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// An error that is not about a place in the document.
    pub fn general(message: impl Into<String>) -> Self {
        Error::at(String::new(), message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Result with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A JSON pointer under construction: `Pointer::root().key("paths").key("/{id}")`
/// renders as `#/paths/~1{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// `#`, the whole document.
    pub fn root() -> Self {
        Pointer("#".to_string())
    }

    /// Parses an in-document `$ref` (`#/components/schemas/X`) as a pointer.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.to_string())
    }

    /// This pointer with one more segment, escaped per RFC 6901.
    pub fn key(&self, segment: impl AsRef<str>) -> Self {
        let escaped = segment.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// This pointer with an array index appended.
    pub fn index(&self, index: usize) -> Self {
        Pointer(format!("{}/{}", self.0, index))
    }

    /// An error at this place.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::at(self.0.clone(), message)
    }

    /// The pointer's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
