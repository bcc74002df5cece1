// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Lazy iteration over paged collections.
//!
//! A listing is a stream of pages: each page is fetched when the stream is
//! polled past the previous one, so `take(n)` or dropping the stream stops
//! the requests. The next page is the response's `next` link when it is on
//! the API's origin (used verbatim, with the first request's headers);
//! a link on another origin is never followed (credentials would go with
//! it): the client asks its own origin for the next offset instead.

// An API without paged listings or long-running work leaves parts of this unused.
#![allow(dead_code)]

use futures_util::stream::{self, Stream, TryStreamExt};

use crate::client::request::RequestParts;
use crate::client::response::Response;
use crate::client::Client;
use crate::error::Error;

/// How one operation's pages are read; written by the generator.
pub(crate) struct Paging<P> {
    pub(crate) decode: fn(Response) -> Result<P, Error>,
    /// The number of items on a page.
    pub(crate) count: fn(&P) -> usize,
    /// The page's `next` link, when the API gives one.
    pub(crate) next: Option<fn(&P) -> Option<String>>,
    /// The query parameter that sets the page size (`$top`).
    pub(crate) page_size_param: Option<&'static str>,
    /// The query parameter that sets the offset (`$skip`).
    pub(crate) offset_param: Option<&'static str>,
    /// The page size the caller asked for.
    pub(crate) page_size: Option<u64>,
    /// The largest page size the API accepts.
    pub(crate) max_page_size: Option<u64>,
}

impl<P> Clone for Paging<P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for Paging<P> {}

struct State {
    client: Client,
    /// The first request, for offset requests.
    template: RequestParts,
    request: RequestParts,
    /// Items seen so far.
    offset: u64,
    page_size: Option<u64>,
}

/// Every page, starting with `first`.
pub(crate) fn pages<P: Send + 'static>(
    client: &Client,
    first: Result<RequestParts, Error>,
    paging: Paging<P>,
) -> impl Stream<Item = Result<P, Error>> + Send + Unpin + 'static {
    let start = match first {
        Ok(first) => start(client, first, paging),
        Err(error) => Err(error),
    };
    // Boxed so that callers can use `next()` without pinning it themselves.
    Box::pin(stream::unfold(Some(start), move |state| async move {
        let state = match state? {
            Ok(state) => state,
            Err(error) => return Some((Err(error), None)),
        };
        next_page(state, paging).await
    }))
}

fn start<P>(client: &Client, first: RequestParts, paging: Paging<P>) -> Result<State, Error> {
    let operation = first.operation();
    match (paging.page_size, paging.max_page_size) {
        (Some(size), Some(max)) if size > max => Err(Error::Paging {
            operation,
            reason: format!("page size {size} is over the API's maximum of {max}"),
        }),
        (Some(0), _) => Err(Error::Paging {
            operation,
            reason: "page size 0".into(),
        }),
        _ => match first.try_clone() {
            Some(template) => Ok(State {
                client: client.clone(),
                template,
                request: first,
                offset: 0,
                page_size: paging.page_size,
            }),
            None => Err(Error::InvalidRequest(
                "a paged request cannot have a streamed body".into(),
            )),
        },
    }
}

async fn next_page<P>(
    state: State,
    paging: Paging<P>,
) -> Option<(Result<P, Error>, Option<Result<State, Error>>)> {
    let State {
        client,
        template,
        request,
        offset,
        page_size,
    } = state;
    let operation = request.operation();
    let sent_link = request.link().map(str::to_string);
    let page = match client.execute(request).await.and_then(paging.decode) {
        Ok(page) => page,
        Err(error) => return Some((Err(error), None)),
    };
    let count = (paging.count)(&page) as u64;
    let offset = offset + count;
    let link = paging.next.and_then(|next| next(&page));
    let following = match link {
        // An empty page ends the listing whatever its links say.
        _ if count == 0 => None,
        Some(link) if client.is_api_origin(&link) => {
            if sent_link.as_deref() == Some(link.as_str()) {
                let reason = "the `next` link leads back to the same page".to_string();
                return Some((Ok(page), Some(Err(Error::Paging { operation, reason }))));
            }
            template.try_clone().map(|mut request| {
                request.follow(link);
                Ok(State {
                    client,
                    template,
                    request,
                    offset,
                    page_size,
                })
            })
        }
        Some(_) => {
            tracing::warn!(
                operation,
                "not following a `next` link on another origin; asking for the next offset instead"
            );
            by_offset(client, template, offset, page_size.or(Some(count)), paging)
        }
        None if paging.next.is_some() => None,
        // No links in this API: a short page is the last one.
        None if page_size.is_some_and(|size| count < size) => None,
        None => by_offset(client, template, offset, page_size.or(Some(count)), paging),
    };
    Some((Ok(page), following))
}

fn by_offset<P>(
    client: Client,
    template: RequestParts,
    offset: u64,
    page_size: Option<u64>,
    paging: Paging<P>,
) -> Option<Result<State, Error>> {
    let operation = template.operation();
    let Some(offset_param) = paging.offset_param else {
        let reason = "the next page cannot be requested: the API's `next` link is on another \
                      origin and the operation has no offset parameter"
            .to_string();
        return Some(Err(Error::Paging { operation, reason }));
    };
    let mut request = template.try_clone()?;
    request.set_query(offset_param, &offset);
    if let (Some(param), Some(size)) = (paging.page_size_param, page_size) {
        request.set_query(param, &size);
    }
    Some(Ok(State {
        client,
        template,
        request,
        offset,
        page_size,
    }))
}

/// The items of every page, in order.
pub(crate) fn items<P, T>(
    pages: impl Stream<Item = Result<P, Error>> + Send + Unpin + 'static,
    split: fn(P) -> Vec<T>,
) -> impl Stream<Item = Result<T, Error>> + Send + Unpin + 'static
where
    P: Send + 'static,
    T: Send + 'static,
{
    pages
        .map_ok(move |page| stream::iter(split(page).into_iter().map(Ok)))
        .try_flatten()
}
