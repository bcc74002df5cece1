//! `application/x-www-form-urlencoded` text, for form request bodies and
//! OpenAPI 3.2 `in: querystring` parameters (only in crates whose API has
//! either, which depend on `serde_urlencoded`).

use crate::error::Error;

/// `value` encoded as a form; `what` says what it is in the error
/// (`the query string`).
pub(crate) fn encode(value: &impl serde::Serialize, what: &str) -> Result<String, Error> {
    serde_urlencoded::to_string(value)
        .map_err(|e| Error::InvalidRequest(format!("cannot encode {what}: {e}")))
}
