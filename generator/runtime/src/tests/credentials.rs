use reqwest::header::{HeaderMap, AUTHORIZATION, COOKIE};

use crate::client::credentials::{place, AuthPlacement};

/// Where `secret` ends up for `placement`: the headers and the query.
fn placed(placement: AuthPlacement, secret: &str, cookies: Option<&str>) -> (HeaderMap, String) {
    let mut headers = HeaderMap::new();
    let mut query = String::from("a=1");
    place(placement, secret, &mut headers, &mut query, cookies).expect("placed");
    (headers, query)
}

#[test]
fn bearer_and_basic_go_in_authorization_marked_sensitive() {
    let (headers, query) = placed(AuthPlacement::Bearer, "s3cret", None);
    assert_eq!(headers[AUTHORIZATION], "Bearer s3cret");
    assert!(headers[AUTHORIZATION].is_sensitive());
    assert_eq!(query, "a=1");
    let (headers, _) = placed(AuthPlacement::Basic, "dXNlcjpwdw==", None);
    assert_eq!(headers[AUTHORIZATION], "Basic dXNlcjpwdw==");
    assert!(headers[AUTHORIZATION].is_sensitive());
}

#[test]
fn an_api_key_goes_in_its_header_query_parameter_or_cookie() {
    let (headers, query) = placed(AuthPlacement::Header("X-Api-Key"), "k", None);
    assert_eq!(headers["x-api-key"], "k");
    assert!(headers["x-api-key"].is_sensitive());
    assert_eq!((headers.len(), query.as_str()), (1, "a=1"));

    let (headers, query) = placed(AuthPlacement::Query("api_key"), "k &=", None);
    assert!(headers.is_empty());
    assert_eq!(query, "a=1&api_key=k%20%26%3D");

    let (headers, query) = placed(AuthPlacement::Cookie("sid"), "k;x", Some("theme=dark"));
    assert_eq!(headers[COOKIE], "theme=dark; sid=k%3Bx");
    assert!(headers[COOKIE].is_sensitive());
    assert_eq!(query, "a=1");
    let (headers, _) = placed(AuthPlacement::Cookie("sid"), "k", None);
    assert_eq!(headers[COOKIE], "sid=k");
}

#[test]
fn a_secret_that_cannot_be_a_header_is_an_error_that_does_not_show_it() {
    let mut headers = HeaderMap::new();
    let mut query = String::new();
    let error = place(
        AuthPlacement::Bearer,
        "s3cret\r\nX-Evil: 1",
        &mut headers,
        &mut query,
        None,
    )
    .expect_err("refused")
    .to_string();
    assert_eq!(
        error,
        "invalid request: the credential contains characters not allowed in a header"
    );
    assert!(headers.is_empty());
    let error = place(
        AuthPlacement::Header("bad name"),
        "k",
        &mut headers,
        &mut query,
        None,
    )
    .expect_err("refused")
    .to_string();
    assert!(
        error.starts_with("invalid request: header name bad name: "),
        "{error}"
    );
}
