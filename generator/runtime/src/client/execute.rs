//! Sending a request: the retry loop (with a `tracing` span per attempt) and
//! the assembly of each attempt's URL, headers, credentials and body.

use reqwest::header::HeaderMap;

use super::credentials::{place, secret_header};
use super::request::{ContentType, Payload, RequestParts};
use super::response::{RawResponse, Response};
use super::Client;
use crate::api;
use crate::error::Error;
use crate::retry::{self, parse_retry_after};

impl Client {
    /// Sends a request, retrying as the policy allows, and reads the whole
    /// response (up to the size limit).
    pub(crate) async fn execute(&self, parts: RequestParts) -> Result<Response, Error> {
        let raw = self.execute_raw(parts).await?;
        raw.read(self.inner.max_response_bytes).await
    }

    /// Sends a request, retrying as the policy allows, and returns the
    /// response with its body unread.
    pub(crate) async fn execute_raw(&self, mut parts: RequestParts) -> Result<RawResponse, Error> {
        let policy = self.inner.retry.clone();
        let started = std::time::Instant::now();
        let idempotent = parts
            .idempotent
            .unwrap_or_else(|| retry::is_idempotent(&parts.method));
        let mut attempt = 0u32;
        // A 401 gets one more attempt with a new token, once per call.
        let mut reauthorized = false;
        loop {
            attempt += 1;
            // A streamed body cannot be sent twice: it gets one attempt.
            let (body, last_chance) =
                match parts.body.as_ref().map(|(t, b)| (t.clone(), b.try_clone())) {
                    Some((content_type, Some(copy))) => {
                        (Some((content_type, copy)), attempt >= policy.attempts())
                    }
                    Some(_) => (parts.body.take(), true),
                    None => (None, attempt >= policy.attempts()),
                };
            let replayable = !(last_chance && body.is_some() && parts.body.is_none());
            let remaining = policy.remaining(started.elapsed());
            let (request, secret) = self.prepare_within(&parts, body, remaining).await?;
            let span = tracing::debug_span!(
                "request",
                operation = parts.operation,
                method = %parts.method,
                path = %parts.path,
                attempt,
                status = tracing::field::Empty,
                elapsed_ms = tracing::field::Empty,
            );
            let sent = std::time::Instant::now();
            // The attempt gets at most the time left before the deadline
            // (the time to the response's head; its body is read under the
            // client's own timeout), so the last one cannot run a whole
            // request timeout past it.
            let remaining = policy.remaining(started.elapsed());
            let outcome = {
                let _entered = span.enter();
                tracing::debug!("sending");
                drop(_entered);
                let send = tracing::Instrument::instrument(request.send(), span.clone());
                match tokio::time::timeout(remaining, send).await {
                    // reqwest's errors quote the URL, query included (a
                    // handed-out URL's signature, an API key): drop it before
                    // anything logs or returns the error.
                    Ok(outcome) => outcome.map_err(reqwest::Error::without_url),
                    Err(_) => {
                        span.in_scope(|| tracing::debug!("deadline reached"));
                        return Err(Error::DeadlineExceeded {
                            operation: parts.operation,
                            elapsed: started.elapsed(),
                        });
                    }
                }
            };
            span.record(
                "elapsed_ms",
                u64::try_from(sent.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            let wait = match &outcome {
                Ok(response) => {
                    let status = response.status().as_u16();
                    span.record("status", status);
                    span.in_scope(|| tracing::debug!(status, "answered"));
                    if !policy.retries_status(status, idempotent) {
                        None
                    } else {
                        let retry_after = response
                            .headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(parse_retry_after);
                        Some(retry_after.unwrap_or_else(|| policy.backoff(attempt)))
                    }
                }
                Err(error) => {
                    span.in_scope(|| tracing::debug!(error = %error, "failed"));
                    retry::retryable_transport(error, idempotent).then(|| policy.backoff(attempt))
                }
            };
            let give_up = match wait {
                None => true,
                Some(wait) => last_chance || policy.past_deadline(started.elapsed(), wait),
            };
            if give_up {
                let response = outcome.map_err(|e| Error::transport(parts.operation, e))?;
                if response.status() == reqwest::StatusCode::UNAUTHORIZED
                    && !reauthorized
                    && replayable
                {
                    if let Some(secret) = &secret {
                        if self.inner.credentials.rejected(secret).await {
                            reauthorized = true;
                            span.in_scope(|| {
                                tracing::debug!("token rejected: retrying with a new one")
                            });
                            continue;
                        }
                    }
                }
                return Ok(RawResponse {
                    operation: parts.operation,
                    method: parts.method,
                    path: parts.path,
                    inner: response,
                });
            }
            let wait = wait.unwrap_or_default();
            span.in_scope(|| {
                tracing::debug!(
                    wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                    "retrying"
                )
            });
            tokio::time::sleep(wait).await;
        }
    }

    /// [`Self::prepare`], with the token provider given at most `remaining`
    /// (and the client's token timeout): a provider that never answers must
    /// not hang the call. Also returns the secret sent (for a 401's retry).
    async fn prepare_within(
        &self,
        parts: &RequestParts,
        body: Option<(ContentType, Payload)>,
        remaining: std::time::Duration,
    ) -> Result<(reqwest::RequestBuilder, Option<String>), Error> {
        // Only a provider can keep the call waiting: a static secret needs no timer.
        let secret = if !self.inner.credentials.is_provider() {
            secret_for(self, parts).await?
        } else {
            let limit = remaining.min(self.inner.token_timeout);
            tokio::time::timeout(limit, secret_for(self, parts))
                .await
                .unwrap_or_else(|_| {
                    Err(Error::Credentials(
                        format!("the token provider did not answer within {limit:?}").into(),
                    ))
                })?
        };
        let request = assemble(self, parts, body, secret.as_deref())?;
        Ok((request, secret))
    }

    /// One attempt's request: default headers, the operation's headers,
    /// credentials when the URL is on the API's origin, and the body.
    pub(crate) async fn prepare(
        &self,
        parts: &RequestParts,
        body: Option<(ContentType, Payload)>,
    ) -> Result<reqwest::RequestBuilder, Error> {
        let secret = secret_for(self, parts).await?;
        assemble(self, parts, body, secret.as_deref())
    }
}

/// The credential for `parts`, if it is authenticated and goes to the
/// API's origin.
async fn secret_for(client: &Client, parts: &RequestParts) -> Result<Option<String>, Error> {
    let url_is_ours = parts
        .url
        .as_deref()
        .map_or(true, |url| client.is_api_origin(url));
    if parts.authenticated && url_is_ours {
        client.inner.credentials.secret().await
    } else {
        Ok(None)
    }
}

/// [`Client::prepare`] with the credential (`secret_for`'s) at hand.
fn assemble(
    client: &Client,
    parts: &RequestParts,
    body: Option<(ContentType, Payload)>,
    secret: Option<&str>,
) -> Result<reqwest::RequestBuilder, Error> {
    let mut query = parts.query.clone();
    let mut headers_out = if parts.default_headers {
        client.inner.default_headers.clone()
    } else {
        HeaderMap::new()
    };
    for (name, value) in &parts.headers {
        headers_out.append(name.clone(), value.clone());
    }
    // The caller's own headers for this call replace any of the same name.
    for (name, _) in &parts.custom_headers {
        headers_out.remove(name);
    }
    for (name, value) in &parts.custom_headers {
        headers_out.append(name.clone(), value.clone());
    }
    if let Some(secret) = secret {
        place(
            api::AUTH_PLACEMENT,
            secret,
            &mut headers_out,
            &mut query,
            parts.cookies.as_deref(),
        )?;
    }
    if let Some(cookies) = &parts.cookies {
        if !headers_out.contains_key(reqwest::header::COOKIE) {
            headers_out.insert(reqwest::header::COOKIE, secret_header("", cookies)?);
        }
    }
    let url = match &parts.url {
        // A link from a response, used verbatim.
        Some(url) => {
            let mut url = url.clone();
            if !query.is_empty() {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str(&query);
            }
            url
        }
        None => {
            // `/` alone is the collection at the base URL itself: no trailing slash.
            let path = if parts.path == "/" {
                ""
            } else {
                parts.path.as_str()
            };
            let mut url = format!("{}{path}", client.inner.base_url);
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query);
            }
            url
        }
    };
    let mut request = client
        .inner
        .http
        .request(parts.method.clone(), &url)
        .headers(headers_out);
    if let Some((content_type, body)) = body {
        request = request
            .header(reqwest::header::CONTENT_TYPE, content_type.as_ref())
            .body(body.into_body());
    }
    Ok(request)
}
