// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! The client's one error type.

use std::fmt;
use std::time::Duration;

use crate::api::ErrorBody;

/// Everything that can go wrong when calling the API.
///
/// No variant holds a credential: printing an error never leaks a token.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status.
    Api(Box<ApiError>),
    /// The request did not complete: connection refused, TLS failure,
    /// timeout, or the connection closed before the response was read.
    Transport {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The underlying error, with the URL removed (it may carry secrets).
        source: reqwest::Error,
    },
    /// A success response whose body is not what the document declares.
    Decode {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What the JSON parser said.
        source: serde_json::Error,
        /// The start of the body (up to 4 KiB), for diagnosis.
        body: String,
    },
    /// A response the client cannot use for another reason.
    InvalidResponse {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        reason: String,
    },
    /// The request could not be built (a header value with a newline, a base
    /// URL that does not parse); nothing was sent.
    InvalidRequest(String),
    /// The token provider failed; nothing was sent.
    Credentials(crate::client::BoxError),
    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_response_bytes`](crate::client::ClientBuilder::max_response_bytes));
    /// it was not read further.
    ResponseTooLarge {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A local file could not be read or written (uploads and downloads).
    Io {
        /// What the client was doing.
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A transfer to or from a URL the API handed out was given up: no
    /// bytes moved for its stall timeout, on every attempt allowed.
    Stalled {
        /// The transfer (`upload`, `upload block`, `download`, ...).
        operation: &'static str,
        /// How long nothing moved.
        idle: Duration,
        /// Bytes moved before that.
        done: u64,
    },
    /// A long-running operation ended in a state that is not success.
    OperationFailed {
        /// The operation polled.
        operation: &'static str,
        /// The state the API reported.
        state: String,
    },
    /// A long-running operation was still pending when the wait ran out.
    WaitTimedOut {
        /// The operation polled.
        operation: &'static str,
        /// How long the client waited.
        waited: Duration,
        /// The last state the API reported.
        last_state: Option<String>,
    },
    /// The retry policy's deadline
    /// ([`RetryPolicy::max_elapsed`](crate::retry::RetryPolicy::max_elapsed))
    /// passed while an attempt was still waiting for the response; the
    /// attempt was abandoned.
    DeadlineExceeded {
        /// The operation's `operationId`.
        operation: &'static str,
        /// How long the exchange had run, waits between attempts included.
        elapsed: Duration,
    },
    /// The server answered with a redirect the client did not follow: to
    /// another origin than the API's (credentials, a request body or a
    /// signed URL's query would go with it), or from a handed-out URL.
    Redirected {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The redirect status (301, 302, 303, 307 or 308).
        status: u16,
        /// Where the redirect points: origin and path, never the query
        /// (it may hold a signature).
        target: String,
    },
    /// A step of a flow (a client method that makes several calls, such as
    /// pushing a changeset) failed: which step, and what the flow had
    /// already created, so that the caller can resume or clean up.
    Flow(Box<FlowError>),
    /// A paged listing went wrong (a `next` link that leads back to a page
    /// already read, more pages than the client's limit, a page size over the
    /// API's maximum).
    Paging {
        /// The operation.
        operation: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    pub(crate) fn transport(operation: &'static str, source: reqwest::Error) -> Self {
        Error::Transport {
            operation,
            source: source.without_url(),
        }
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The error a flow's step failed with; any other error itself.
    pub fn root(&self) -> &Error {
        match self {
            Error::Flow(flow) => flow.source.root(),
            other => other,
        }
    }

    /// The HTTP status, for [`Error::Api`], [`Error::Decode`] and
    /// [`Error::InvalidResponse`] (also when a flow's step failed with one).
    pub fn status(&self) -> Option<u16> {
        match self.root() {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. }
            | Error::InvalidResponse { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::Redirected { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, if the API answered with an error status (also when
    /// a flow's step failed with one).
    pub fn api(&self) -> Option<&ApiError> {
        match self.root() {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// How long the server asked us to wait before retrying (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.api().and_then(|e| e.retry_after)
    }

    /// Whether the request timed out (the client's request timeout, the
    /// retry deadline, or a transfer that stalled).
    pub fn is_timeout(&self) -> bool {
        match self.root() {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::DeadlineExceeded { .. } | Error::Stalled { .. } => true,
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::Transport { operation, source } => {
                write!(f, "{operation}: request failed: {source}")
            }
            Error::Decode {
                operation,
                status,
                source,
                ..
            } => {
                write!(
                    f,
                    "{operation}: the {status} response body is not what the API \
                     documents: {source}"
                )
            }
            Error::InvalidResponse {
                operation,
                status,
                reason,
            } => write!(f, "{operation}: unusable {status} response: {reason}"),
            Error::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
            Error::Credentials(e) => write!(f, "the token provider failed: {e}"),
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => {
                write!(
                    f,
                    "{operation}: the {status} response body is larger than the limit \
                     of {limit} bytes"
                )
            }
            Error::Io { context, source } => write!(f, "{context}: {source}"),
            Error::Stalled {
                operation,
                idle,
                done,
            } => write!(
                f,
                "{operation}: no bytes moved for {idle:?} (after {done} bytes): gave up"
            ),
            Error::OperationFailed { operation, state } => {
                write!(f, "{operation}: the operation ended in state `{state}`")
            }
            Error::WaitTimedOut {
                operation,
                waited,
                last_state,
            } => {
                write!(f, "{operation}: still pending after {waited:?}")?;
                match last_state {
                    Some(state) => write!(f, " (state `{state}`)"),
                    None => Ok(()),
                }
            }
            Error::DeadlineExceeded { operation, elapsed } => {
                write!(
                    f,
                    "{operation}: no answer before the retry deadline ({elapsed:?} in all)"
                )
            }
            Error::Redirected {
                operation,
                status,
                target,
            } => {
                write!(
                    f,
                    "{operation}: the server redirected ({status}) to {target}, which the \
                     client does not follow"
                )
            }
            Error::Paging { operation, reason } => {
                write!(f, "{operation}: paging failed: {reason}")
            }
            Error::Flow(flow) => flow.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            Error::Credentials(e) => Some(e.as_ref()),
            Error::Io { source, .. } => Some(source),
            Error::Flow(flow) => Some(&flow.source),
            _ => None,
        }
    }
}

/// Which step of a flow failed, and what the flow had done before.
#[non_exhaustive]
pub struct FlowError {
    /// The flow (its client method).
    pub flow: &'static str,
    /// The step that failed: the `operationId` it called (for a wait, the
    /// one it polled), or `upload`.
    pub step: &'static str,
    /// The id of what the flow's first call created (the iModel, the
    /// changeset), when it got that far.
    pub created_id: Option<String>,
    /// The steps that succeeded, in order.
    pub completed: Vec<&'static str>,
    upload_url: Option<String>,
    /// Why the step failed.
    pub source: Error,
}

impl FlowError {
    /// The handed-out URL the flow uploads to, when it got that far: to
    /// resume the upload. It carries its own signature: keep it out of logs.
    pub fn upload_url(&self) -> Option<&str> {
        self.upload_url.as_deref()
    }
}

impl fmt::Debug for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowError")
            .field("flow", &self.flow)
            .field("step", &self.step)
            .field("created_id", &self.created_id)
            .field("completed", &self.completed)
            // Origin and path only: the query is a signature.
            .field(
                "upload_url",
                &self.upload_url.as_deref().map(crate::transfer::shown_url),
            )
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: step `{}` failed", self.flow, self.step)?;
        if let Some(id) = &self.created_id {
            write!(f, " (created `{id}`)")?;
        }
        write!(f, ": {}", self.source)
    }
}

/// What a running flow has done so far, to put into its error.
// An API without flows leaves it unused.
#[allow(dead_code)]
pub(crate) struct FlowProgress {
    flow: &'static str,
    created_id: Option<String>,
    completed: Vec<&'static str>,
    upload_url: Option<String>,
}

#[allow(dead_code)]
impl FlowProgress {
    pub(crate) fn new(flow: &'static str) -> Self {
        FlowProgress {
            flow,
            created_id: None,
            completed: Vec::new(),
            upload_url: None,
        }
    }

    pub(crate) fn created(&mut self, id: Option<String>) {
        self.created_id = id;
    }

    pub(crate) fn uploading_to(&mut self, url: &str) {
        self.upload_url = Some(url.to_string());
    }

    pub(crate) fn done(&mut self, step: &'static str) {
        self.completed.push(step);
    }

    /// The error of `step`, failed with `source`.
    pub(crate) fn failed(&self, step: &'static str, source: Error) -> Error {
        Error::Flow(Box::new(FlowError {
            flow: self.flow,
            step,
            created_id: self.created_id.clone(),
            completed: self.completed.clone(),
            upload_url: self.upload_url.clone(),
            source,
        }))
    }
}

/// An error status from the API, with what the server said about it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The request's method.
    pub method: reqwest::Method,
    /// The request's path (without the base URL and query).
    pub path: String,
    /// The HTTP status.
    pub status: u16,
    /// The error body, decoded as the document declares it for this status.
    pub body: ErrorBody,
    /// `Retry-After`, when the server sent one (429, 503).
    pub retry_after: Option<Duration>,
    /// The server's request or correlation id, when it sent one.
    pub request_id: Option<String>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} answered {}",
            self.operation, self.method, self.path, self.status
        )?;
        match &self.body {
            ErrorBody::Empty => Ok(()),
            ErrorBody::Text(text) => {
                let short: String = text.chars().take(200).collect();
                write!(f, ": {short}")
            }
            // An API that documents no error body has no other variant.
            #[allow(unreachable_patterns)]
            other => write!(f, ": {other:?}"),
        }
    }
}
