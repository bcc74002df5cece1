// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! What every request builder shares: sending, reading the response and
//! turning an error status into [`Error`].
//!
//! A generated builder implements [`Operation`] (how its fields become a
//! request, how a success decodes) and its public `send()` and
//! `send_with_response()` are one call each to [`send`] and
//! [`send_with_response`] here, so that the code written for each
//! operation is only what differs between operations.

use super::request::RequestParts;
use super::response::{Response, Success};
use super::Client;
use crate::api::{self, ErrorBody};
use crate::error::Error;

/// An operation's request builder, as the shared parts see it.
pub(crate) trait Operation: Sized {
    /// What a success decodes into.
    type Output;

    /// The builder's fields as a request: an error (a bad header, a body
    /// that does not encode) means nothing is sent.
    fn into_request(self) -> Result<RequestParts, Error>;

    /// A success (2xx) response as the output.
    fn success(response: Response) -> Result<Self::Output, Error>;

    /// The body of an error response: by default the API's
    /// ([`api::error_body`]); an operation that declares other error types
    /// for some statuses decodes those.
    fn error_body(response: &Response) -> ErrorBody {
        api::error_body(response)
    }

    /// A whole response as the output, or the error it is.
    fn decode(response: Response) -> Result<Self::Output, Error> {
        if !response.is_success() {
            return Err(Self::error(response));
        }
        Self::success(response)
    }

    /// An error response as [`Error`].
    fn error(response: Response) -> Error {
        let body = Self::error_body(&response);
        response.into_error(body)
    }
}

/// [`Operation::decode`] of `B`, as a function (for paging, or a flow's
/// first step).
pub(crate) fn decode<B: Operation>(response: Response) -> Result<B::Output, Error> {
    B::decode(response)
}

/// [`Operation::error`] of `B`, as a function (for the streamed sends).
pub(crate) fn error<B: Operation>(response: Response) -> Error {
    B::error(response)
}

/// Sends the request `builder` makes with `client` (the builder's) and
/// decodes the response.
pub(crate) async fn send<B: Operation>(client: &Client, builder: B) -> Result<B::Output, Error> {
    let request = builder.into_request()?;
    B::decode(client.execute(request).await?)
}

/// [`send`], keeping the status and headers of the response.
pub(crate) async fn send_with_response<B: Operation>(
    client: &Client,
    builder: B,
) -> Result<Success<B::Output>, Error> {
    let request = builder.into_request()?;
    let response = client.execute(request).await?;
    let (status, headers) = (response.status(), response.headers().clone());
    Ok(Success {
        status,
        headers,
        body: B::decode(response)?,
    })
}
