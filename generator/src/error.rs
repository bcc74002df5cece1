//! The generator's one error type: what went wrong and where in the document.
//!
//! A run reports every problem it finds, not only the first: the stages
//! record problems in [`Problems`] and go on with the next operation or
//! schema, and [`Error`] holds them all, in the order they were found, with
//! an optional ready-made fix (an overrides fragment) that covers several.
//! Each problem has an [`ErrorKind`], for callers and tests that act on
//! what went wrong without reading the words.

use std::fmt;

/// What kind of thing is wrong: which input to fix, or whether to wait for
/// the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not YAML or JSON, or holds a value JSON cannot (a
    /// non-string mapping key, a number with no JSON form).
    Parse,
    /// The document breaks the OpenAPI specification: a field of the wrong
    /// shape, a duplicate operationId, a path template and parameters that
    /// disagree.
    Invalid,
    /// The document is valid, but uses something the generator does not
    /// handle (yet): an older or newer OpenAPI version, a parameter or body
    /// shape without a Rust form, schemas nested too deeply.
    Unsupported,
    /// A `$ref` that leads nowhere (or to the wrong kind of thing, or into
    /// a file that was not read), or a chain of them that loops.
    Reference,
    /// One of the vendor extensions the generator reads (`x-paging`,
    /// `x-flow`, `x-api-version`, …) is malformed, or names something the
    /// document does not have.
    Extension,
    /// An overlay or overrides file is malformed, or one of its actions has
    /// nothing to apply to.
    Overlay,
    /// Several documents that cannot be merged into one: different OpenAPI
    /// versions, or the same place saying different things.
    Merge,
    /// A file could not be read.
    Io,
    /// The generator's own configuration: the sources config, templates,
    /// nothing to generate from.
    Config,
    /// A bug in the generator (code it emitted does not parse).
    Internal,
}

/// One problem: what is wrong at one place of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// JSON pointer into the document, `#` for the document itself, or empty
    /// when the problem is not about a place (an unreadable file).
    pub pointer: String,
    /// What is wrong, in words meant for the person who wrote the document.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.pointer, self.message)
        }
    }
}

/// Every problem that stopped a run, each naming its place in the OpenAPI
/// document as a JSON pointer (`#/paths/~1{iModelId}/get/responses/200`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// At least one problem, in the order they were found.
    pub problems: Vec<Problem>,
    /// Text to paste that fixes some of the problems (for duplicate
    /// operationIds, one overrides fragment that renames them all).
    pub fix: Option<String>,
}

impl Error {
    /// An error of `kind` at `pointer`.
    pub fn at(kind: ErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            problems: vec![Problem {
                kind,
                pointer: pointer.into(),
                message: message.into(),
            }],
            fix: None,
        }
    }

    /// An error of `kind` that is not about a place in the document.
    pub fn general(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error::at(kind, String::new(), message)
    }

    /// The first problem's kind.
    pub fn kind(&self) -> Option<ErrorKind> {
        self.problems.first().map(|p| p.kind)
    }

    /// Whether any problem is of `kind`.
    pub fn has(&self, kind: ErrorKind) -> bool {
        self.problems.iter().any(|p| p.kind == kind)
    }

    /// The first problem's pointer.
    pub fn pointer(&self) -> &str {
        self.problems.first().map_or("", |p| p.pointer.as_str())
    }

    /// The first problem's message.
    pub fn message(&self) -> &str {
        self.problems.first().map_or("", |p| p.message.as_str())
    }

    /// The same problems with every pointer rewritten by `f` (a file name
    /// put in front, say).
    pub fn map_pointers(mut self, mut f: impl FnMut(&str) -> String) -> Self {
        for problem in &mut self.problems {
            problem.pointer = f(&problem.pointer);
        }
        self
    }

    /// Adds another error's problems (and fix) after this one's; a problem
    /// already listed is not listed twice.
    pub fn extend(&mut self, other: Error) {
        for problem in other.problems {
            if !self.problems.contains(&problem) {
                self.problems.push(problem);
            }
        }
        self.fix = match (self.fix.take(), other.fix) {
            (Some(a), Some(b)) => Some(format!("{a}\n\n{b}")),
            (a, b) => a.or(b),
        };
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [only] => write!(f, "{only}")?,
            all => {
                write!(f, "{} problems:", all.len())?;
                for problem in all {
                    write!(f, "\n{problem}")?;
                }
            }
        }
        if let Some(fix) = &self.fix {
            write!(f, "\n\n{fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Result with the generator's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Problems found so far in a run that goes on after each one.
#[derive(Debug, Default)]
pub struct Problems(Option<Error>);

impl Problems {
    /// Records an error's problems.
    pub fn push(&mut self, error: Error) {
        match &mut self.0 {
            Some(all) => all.extend(error),
            None => self.0 = Some(error),
        }
    }

    /// The value of `result`, or `None` after recording its error.
    pub fn check<T>(&mut self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// What was recorded, if anything.
    pub fn into_error(self) -> Option<Error> {
        self.0
    }
}

/// Where a value sits, as a chain of borrowed segments: the pointer's text
/// is built only for an error (building it for every node of a large
/// document was most of this pass's cost).
pub(crate) enum Place<'p> {
    Root,
    Key(&'p Place<'p>, &'p str),
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    pub(crate) fn pointer(&self) -> Pointer {
        match self {
            Place::Root => Pointer::root(),
            Place::Key(parent, key) => parent.pointer().key(key),
            Place::Index(parent, i) => parent.pointer().index(*i),
        }
    }

    /// The unescaped tokens of the place, from the root (`#/a~1b/0` →
    /// `a/b`, `0`).
    pub(crate) fn tokens(&self) -> Vec<String> {
        match self {
            Place::Root => Vec::new(),
            Place::Key(parent, key) => {
                let mut tokens = parent.tokens();
                tokens.push((*key).to_string());
                tokens
            }
            Place::Index(parent, i) => {
                let mut tokens = parent.tokens();
                tokens.push(i.to_string());
                tokens
            }
        }
    }
}

/// A JSON pointer under construction: `Pointer::root().key("paths").key("/{id}")`
/// renders as `#/paths/~1{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// `#`, the whole document.
    pub fn root() -> Self {
        Pointer("#".to_string())
    }

    /// The place an in-document `$ref` names (`#/components/schemas/X`),
    /// read as every `$ref` is ([`crate::pointer::fragment_tokens`]:
    /// `#/components/responses/a%20b` is the place `#/components/responses/a b`);
    /// a `$ref` that is no local pointer is kept as written.
    pub fn from_ref(reference: &str) -> Self {
        match crate::pointer::fragment_tokens(reference) {
            Some(tokens) => tokens.iter().fold(Pointer::root(), |p, t| p.key(t)),
            None => Pointer(reference.to_string()),
        }
    }

    /// A place already written as a pointer (one the model recorded, such
    /// as `Operation::at`), as it is: no percent-decoding.
    pub fn from_place(pointer: &str) -> Self {
        Pointer(pointer.to_string())
    }

    /// This pointer with one more segment, escaped per RFC 6901.
    pub fn key(&self, segment: impl AsRef<str>) -> Self {
        let escaped = crate::pointer::escape(segment.as_ref());
        Pointer(format!("{}/{}", self.0, escaped))
    }

    /// This pointer with an array index appended.
    pub fn index(&self, index: usize) -> Self {
        Pointer(format!("{}/{}", self.0, index))
    }

    /// An error of `kind` at this place.
    pub fn error(&self, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::at(kind, self.0.clone(), message)
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

/// The place a `serde_path_to_error` failure names, below `base`.
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path, base: Pointer) -> String {
    let mut pointer = base;
    for segment in path.iter() {
        pointer = match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.index(*index),
            serde_path_to_error::Segment::Map { key } => pointer.key(key),
            serde_path_to_error::Segment::Enum { variant } => pointer.key(variant),
            serde_path_to_error::Segment::Unknown => pointer,
        };
    }
    pointer.as_str().to_string()
}
