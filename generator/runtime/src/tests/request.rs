//! What `RequestParts` and `Client::prepare` put on the wire.

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE};
use serde_json::json;

use super::{client, get, wire, BASE};
use crate::client::encoding::ListStyle;
use crate::client::request::RequestParts;
use crate::Client;

fn body_of(request: &reqwest::Request) -> &[u8] {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .expect("a body in memory")
}

#[tokio::test]
async fn the_url_is_the_base_url_and_the_encoded_path() {
    let client = client();
    let path = [
        "/items/",
        &crate::client::encoding::path_param("p", &"a/b c").unwrap(),
    ]
    .concat();
    let request = wire(&client, &get(&path)).await;
    assert_eq!(request.url().as_str(), format!("{BASE}/items/a%2Fb%20c"));
    // `/` alone is the collection at the base URL: no trailing slash.
    let request = wire(&client, &get("/")).await;
    assert_eq!(request.url().as_str(), BASE);
}

#[tokio::test]
async fn list_styles_and_set_query() {
    let client = client();
    let mut parts = get("/items");
    parts.query_list("id", &["a", "b c"], ListStyle::Exploded);
    parts.query_list("tag", &["x,y", "z"], ListStyle::Delimited(","));
    parts.query_list("w", &["p", "q"], ListStyle::Delimited(" "));
    parts.query_list("v", &[1, 2], ListStyle::Delimited("|"));
    parts.query_list::<&str>("empty", &[], ListStyle::Delimited(","));
    parts.query_list::<&str>("none", &[], ListStyle::Exploded);
    parts.query("$skip", &0);
    parts.query("$top", &5);
    parts.set_query("$skip", &10);
    let request = wire(&client, &parts).await;
    assert_eq!(
        request.url().query(),
        Some("id=a&id=b%20c&tag=x%2Cy%2Cz&w=p%20q&v=1%7C2&$top=5&$skip=10")
    );
}

#[tokio::test]
async fn a_deep_object_is_written_by_key_without_nulls_or_nested_values() {
    let client = client();
    let mut parts = get("/items");
    let filter = json!({"b": 1, "a": "x y", "c": null, "d": {"e": 1}, "f": true, "g": [1]});
    parts.query_deep_object("filter", &filter).expect("encoded");
    parts.query_deep_object("n", &5).expect("encoded");
    let request = wire(&client, &parts).await;
    assert_eq!(
        request.url().query(),
        Some("filter%5Ba%5D=x%20y&filter%5Bb%5D=1&filter%5Bf%5D=true&n=5")
    );
}

#[tokio::test]
async fn a_raw_query_is_appended_as_is() {
    let client = client();
    let mut parts = get("/items");
    parts.query("x", &1);
    parts.raw_query(String::new());
    parts.raw_query("a=1&b=c+d".into());
    let request = wire(&client, &parts).await;
    assert_eq!(request.url().query(), Some("x=1&a=1&b=c+d"));
}

#[tokio::test]
async fn headers_lists_and_cookies() {
    let client = client();
    let mut parts = get("/items");
    parts.header("x-trace", &"abc").expect("header");
    parts.header_list("x-ids", &[1, 2, 3]).expect("header");
    parts.cookie("session", &"a b");
    parts.cookie_list("ids", &[1, 2]);
    let request = wire(&client, &parts).await;
    let headers = request.headers();
    assert_eq!(headers["x-trace"], "abc");
    assert_eq!(headers["x-ids"], "1,2,3");
    assert_eq!(headers[COOKIE], "session=a%20b; ids=1%2C2");
    assert!(headers[COOKIE].is_sensitive());
    // The stand-in API's default header, and the bearer token.
    assert_eq!(headers[ACCEPT], "application/json");
    assert_eq!(headers[AUTHORIZATION], "Bearer s3cret");
    assert!(headers[AUTHORIZATION].is_sensitive());
}

#[test]
fn a_header_value_with_a_line_break_is_refused() {
    let mut parts = get("/items");
    let error = parts
        .header("x-trace", &"a\r\nx-evil: 1")
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "invalid request: the value of header `x-trace` contains characters not allowed in a header"
    );
}

#[tokio::test]
async fn credentials_follow_links_only_on_the_apis_origin() {
    let client = client();
    let mut ours = get("/items");
    ours.query("dropped", &1);
    ours.follow(format!("{BASE}/items?$skip=10"));
    ours.query("page", &2);
    let request = wire(&client, &ours).await;
    assert_eq!(
        request.url().as_str(),
        format!("{BASE}/items?$skip=10&page=2")
    );
    assert_eq!(request.headers()[AUTHORIZATION], "Bearer s3cret");

    let mut theirs = get("/items");
    theirs.follow("https://evil.test/items?$skip=10".into());
    let request = wire(&client, &theirs).await;
    assert_eq!(request.url().as_str(), "https://evil.test/items?$skip=10");
    assert!(request.headers().get(AUTHORIZATION).is_none());
}

#[tokio::test]
async fn plain_requests_and_security_none_send_no_credentials() {
    let client = client();
    let mut plain = get("");
    plain.follow(format!("{BASE}/blob?sig=x"));
    plain.plain();
    let request = wire(&client, &plain).await;
    assert!(request.headers().is_empty(), "{:?}", request.headers());

    let mut open = get("/public");
    open.without_credentials();
    let request = wire(&client, &open).await;
    assert!(request.headers().get(AUTHORIZATION).is_none());
    assert_eq!(request.headers()[ACCEPT], "application/json");
}

#[tokio::test]
async fn a_failing_token_provider_sends_nothing() {
    let client = Client::builder()
        .base_url(BASE)
        .token_provider(|| async { Err::<String, crate::BoxError>("expired".into()) })
        .build()
        .expect("client");
    let parts = get("/items");
    let error = client.prepare(&parts, None).await.expect_err("no token");
    assert_eq!(error.to_string(), "the token provider failed: expired");
    assert!(matches!(error, crate::Error::Credentials(_)));
}

fn with_json(body: serde_json::Value) -> RequestParts {
    let mut parts = RequestParts::new("op", reqwest::Method::POST, "/files".into());
    parts.json_body("application/json", &body).expect("json");
    parts
}

#[tokio::test]
async fn json_body_patching_creates_objects_on_the_way() {
    let client = client();
    let mut parts = with_json(json!({"name": "x", "a": 1}));
    parts
        .patch_json_body("/file/size", json!(5))
        .expect("patched");
    parts.patch_json_body("/a/b", json!(true)).expect("patched");
    parts
        .patch_json_body("/x~1y/c~0d", json!("e"))
        .expect("patched");
    parts.patch_json_body("/name", json!("y")).expect("patched");
    let request = wire(&client, &parts).await;
    assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
    let sent: serde_json::Value = serde_json::from_slice(body_of(&request)).expect("JSON");
    assert_eq!(
        sent,
        json!({"name": "y", "a": {"b": true}, "file": {"size": 5}, "x/y": {"c~d": "e"}})
    );
}

#[test]
fn json_body_patching_needs_a_json_body() {
    let mut none = RequestParts::new("op", reqwest::Method::POST, "/files".into());
    let error = none
        .patch_json_body("/size", json!(1))
        .expect_err("no body");
    assert_eq!(
        error.to_string(),
        "invalid request: the request has no JSON body to patch"
    );
    let mut text = RequestParts::new("op", reqwest::Method::POST, "/files".into());
    text.text_body("text/plain", "size: 1".into());
    let error = text
        .patch_json_body("/size", json!(1))
        .expect_err("not JSON");
    assert!(
        error
            .to_string()
            .starts_with("invalid request: the request body is not JSON: "),
        "{error}"
    );
}

#[test]
fn a_streamed_body_cannot_be_copied_bytes_can() {
    let mut parts = with_json(json!({}));
    assert!(parts.try_clone().is_some());
    parts.stream_body("application/octet-stream", reqwest::Body::from("x"));
    assert!(parts.try_clone().is_none());
}

#[cfg(feature = "form")]
#[tokio::test]
async fn form_bodies_and_query_strings() {
    use crate::form::encode;
    let client = client();
    let mut parts = RequestParts::new("op", reqwest::Method::POST, "/token".into());
    let form = [("grant_type", "client_credentials"), ("scope", "a b&c")];
    let text = encode(&form, "the request body as a form").expect("form");
    parts.text_body("application/x-www-form-urlencoded", text);
    parts.query("x", &1);
    parts.raw_query(encode(&[("q", "é/ü")], "the query string").expect("query string"));
    let request = wire(&client, &parts).await;
    assert_eq!(
        request.headers()[CONTENT_TYPE],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        body_of(&request),
        b"grant_type=client_credentials&scope=a+b%26c"
    );
    assert_eq!(request.url().query(), Some("x=1&q=%C3%A9%2F%C3%BC"));

    let nested = json!({"a": {"b": 1}});
    let error = encode(&nested, "the query string").expect_err("nested");
    assert!(
        error
            .to_string()
            .starts_with("invalid request: cannot encode the query string: "),
        "{error}"
    );
}

#[tokio::test]
async fn the_api_version_goes_into_the_header_the_api_names() {
    let client = crate::Client::builder()
        .base_url(super::BASE)
        .api_version("v9")
        .build()
        .expect("client");
    let sent = super::wire(&client, &super::get("/things")).await;
    let accept: Vec<_> = sent.headers().get_all("accept").iter().collect();
    assert_eq!(
        accept,
        ["application/vnd.test.v9+json"],
        "replaces the default"
    );

    // An explicit header wins over the version.
    let client = crate::Client::builder()
        .base_url(super::BASE)
        .api_version("v9")
        .default_header("Accept", "text/plain")
        .build()
        .expect("client");
    let sent = super::wire(&client, &super::get("/things")).await;
    assert_eq!(sent.headers()["accept"], "text/plain");

    let error = crate::Client::builder()
        .base_url(super::BASE)
        .api_version("v9\nInjected: 1")
        .build()
        .expect_err("not a header value");
    assert!(
        matches!(error, crate::Error::InvalidRequest(_)),
        "{error:?}"
    );
}
