//! Lazy iteration over paged collections.
//!
//! A listing is a stream of pages: each page is fetched when the stream is
//! polled past the previous one, so `take(n)` or dropping the stream stops
//! the requests. The next page is the response's `next` link when it is on
//! the API's origin (used verbatim, with the first request's headers);
//! a link on another origin is never followed (credentials would go with
//! it): the client asks its own origin for the next page instead, with the
//! link's continuation token when it carries one, else by offset.

// An API without paged listings or long-running work leaves parts of this unused.
#![allow(dead_code)]

use std::collections::HashSet;

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
    /// The query parameter of a continuation token (`$continuationToken`).
    pub(crate) token_param: Option<&'static str>,
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

/// The next request of a listing, and what the listing carries along.
struct State {
    request: RequestParts,
    cursor: Cursor,
}

/// What a listing carries from one page to the next.
struct Cursor {
    client: Client,
    /// The first request, for the requests the client makes itself
    /// (offset or token).
    template: RequestParts,
    /// Where the items seen so far started (the caller's own `$skip`, or
    /// 0) plus their number.
    offset: u64,
    page_size: Option<u64>,
    /// Every request sent so far, normalised ([`request_key`]): a server
    /// whose links lead back to any of them (A → B → A) would page for ever.
    visited: HashSet<String>,
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
                request: first,
                cursor: Cursor {
                    client: client.clone(),
                    // Offset fallbacks continue from the caller's own `$skip`.
                    offset: paging
                        .offset_param
                        .and_then(|param| template.query_value(param))
                        .and_then(|skip| skip.parse().ok())
                        .unwrap_or(0),
                    template,
                    page_size: paging.page_size,
                    visited: HashSet::new(),
                },
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
        request,
        mut cursor,
    } = state;
    let operation = request.operation();
    let key = request_key(cursor.client.base_url(), &request);
    if !cursor.visited.insert(key) {
        let reason = "the server's links lead back to a page already read".to_string();
        return Some((Err(Error::Paging { operation, reason }), None));
    }
    let max_pages = cursor.client.max_pages();
    if cursor.visited.len() as u64 > max_pages {
        let reason = format!("more than {max_pages} pages (the client's `max_pages`)");
        return Some((Err(Error::Paging { operation, reason }), None));
    }
    let page = match cursor.client.execute(request).await.and_then(paging.decode) {
        Ok(page) => page,
        Err(error) => return Some((Err(error), None)),
    };
    let count = (paging.count)(&page) as u64;
    cursor.offset = cursor.offset.saturating_add(count);
    let link = paging.next.and_then(|next| next(&page));
    let following = match link {
        // An empty page ends the listing whatever its links say.
        _ if count == 0 => None,
        Some(link) if cursor.client.is_api_origin(&link) => {
            cursor.template.try_clone().map(|mut request| {
                request.follow(link);
                Ok(State { request, cursor })
            })
        }
        Some(link) => {
            let token = paging
                .token_param
                .and_then(|param| query_value(&link, param));
            cursor.page_size = cursor.page_size.or(Some(count));
            match token {
                Some(token) => {
                    tracing::warn!(
                        operation,
                        "not following a `next` link on another origin; asking for its continuation token instead"
                    );
                    resume(cursor, Resume::Token(&token), paging)
                }
                None => {
                    tracing::warn!(
                        operation,
                        "not following a `next` link on another origin; asking for the next offset instead"
                    );
                    resume(cursor, Resume::Offset, paging)
                }
            }
        }
        None if paging.next.is_some() => None,
        // No links in this API: a short page is the last one.
        None if cursor.page_size.is_some_and(|size| count < size) => None,
        None => {
            cursor.page_size = cursor.page_size.or(Some(count));
            resume(cursor, Resume::Offset, paging)
        }
    };
    Some((Ok(page), following))
}

/// Where the next page the client asks its own origin for starts.
enum Resume<'a> {
    /// After the items seen so far (`$skip`).
    Offset,
    /// At the continuation token of a `next` link the client did not follow.
    Token(&'a str),
}

/// The first request again, set to ask for the page at `resume` (and with
/// the page size).
fn resume<P>(
    cursor: Cursor,
    resume: Resume<'_>,
    paging: Paging<P>,
) -> Option<Result<State, Error>> {
    let operation = cursor.template.operation();
    let mut request = cursor.template.try_clone()?;
    match (resume, paging.token_param) {
        (Resume::Token(token), Some(token_param)) => {
            request.set_query(token_param, &token);
            // A token says where the next page starts; an offset beside it
            // would move that start again.
            if let Some(param) = paging.offset_param {
                request.remove_query(param);
            }
        }
        _ => {
            let Some(offset_param) = paging.offset_param else {
                let reason = "the next page cannot be requested: the API's `next` link is on \
                              another origin and the operation has no offset parameter"
                    .to_string();
                return Some(Err(Error::Paging { operation, reason }));
            };
            request.set_query(offset_param, &cursor.offset);
        }
    }
    if let (Some(param), Some(size)) = (paging.page_size_param, cursor.page_size) {
        request.set_query(param, &size);
    }
    Some(Ok(State { request, cursor }))
}

/// A request's target as compared for loops: the link it follows or base
/// URL + path, with its query, parsed (scheme and host lower-cased, default
/// port and dot segments removed), without fragment, without empty query
/// pairs and surrounding spaces, and lower-cased, so that a link that differs
/// only in such ways from one already read counts as the same page.
pub(crate) fn request_key(base_url: &str, request: &RequestParts) -> String {
    let target = match request.link() {
        Some(link) => link.trim().to_string(),
        None => format!("{base_url}{}", request.path),
    };
    let mut url = match reqwest::Url::parse(&target) {
        Ok(url) => url,
        Err(_) => return target.to_lowercase(),
    };
    url.set_fragment(None);
    let query: Vec<&str> = url
        .query()
        .unwrap_or_default()
        .split('&')
        .chain(request.query.split('&'))
        .filter(|pair| !pair.is_empty())
        .collect();
    let query = query.join("&");
    url.set_query((!query.is_empty()).then_some(query.as_str()));
    url.as_str().to_lowercase()
}

/// The value of the query parameter `name` in `url`, percent-decoded; the
/// name matches written plain (`$continuationToken`) or percent-encoded.
pub(crate) fn query_value(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or_default();
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(text)
            .decode_utf8()
            .ok()
            .map(|text| text.into_owned())
    };
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key)? == name)
            .then(|| decode(value))
            .flatten()
            .filter(|value| !value.is_empty())
    })
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
