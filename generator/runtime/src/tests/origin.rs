use super::client;
use crate::Client;

#[test]
fn urls_on_the_base_urls_origin_are_ours() {
    let client = client();
    for url in [
        "https://api.example.com/v1/items?$skip=10",
        "https://api.example.com/elsewhere",
        "https://api.example.com:443/v1",
        "https://API.Example.COM/v1",
    ] {
        assert!(client.is_api_origin(url), "{url}");
    }
}

#[test]
fn other_schemes_hosts_ports_and_non_urls_are_not() {
    let client = client();
    for url in [
        "http://api.example.com/v1",
        "https://api.example.com:8443/v1",
        "https://api.example.com.evil.test/v1",
        "https://evil.test/?https://api.example.com/v1",
        "https://evil.test/@api.example.com",
        "https://api.example.com@evil.test/v1",
        "https://evil.test\\@api.example.com/v1",
        "/v1/items",
        "api.example.com/v1",
        "not a url",
        "",
    ] {
        assert!(!client.is_api_origin(url), "{url}");
    }
}

#[test]
fn an_explicit_port_is_part_of_the_origin() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:8080/api/")
        .build()
        .expect("client");
    assert_eq!(client.base_url(), "http://127.0.0.1:8080/api");
    assert!(client.is_api_origin("http://127.0.0.1:8080/other"));
    assert!(!client.is_api_origin("http://127.0.0.1/api"));
    assert!(!client.is_api_origin("http://localhost:8080/api"));
}

#[test]
fn the_builder_refuses_what_is_not_an_http_base_url() {
    let error = |builder: crate::ClientBuilder| builder.build().expect_err("refused").to_string();
    // The stand-in API names no server.
    assert_eq!(
        error(Client::builder()),
        "invalid request: no base URL: call ClientBuilder::base_url"
    );
    assert_eq!(
        error(Client::builder().base_url("ftp://files.example.com")),
        "invalid request: base URL `ftp://files.example.com` is not http or https"
    );
    assert!(error(Client::builder().base_url("not a url"))
        .starts_with("invalid request: invalid base URL `not a url`: "));
}

#[test]
fn debug_output_never_shows_the_credential() {
    let shown = format!("{:?}", client());
    assert!(shown.contains("Static(<redacted>)"), "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
    let provider = Client::builder()
        .base_url(super::BASE)
        .token_provider(|| async { Ok::<_, crate::BoxError>("s3cret".to_string()) })
        .build()
        .expect("client");
    let shown = format!("{provider:?}");
    assert!(shown.contains("Provider(<redacted>)") && !shown.contains("s3cret"));
}

#[test]
fn secret_fields_show_no_query_and_no_value() {
    use crate::client::{QueryRedacted, ValueRedacted};
    let url = "https://blob.example/c/f.bim?sv=2024&sig=SiGnAtUrE#part".to_string();
    let shown = format!("{:?}", QueryRedacted(&url));
    assert_eq!(shown, "\"https://blob.example/c/f.bim?<redacted>\"");
    let shown = format!("{:?}", QueryRedacted(&Some(url.clone())));
    assert_eq!(shown, "Some(\"https://blob.example/c/f.bim?<redacted>\")");
    assert_eq!(format!("{:?}", QueryRedacted(&None::<String>)), "None");
    // A URL without a query is shown whole; userinfo never is.
    let plain = "https://u:pw@blob.example/c".to_string();
    assert_eq!(
        format!("{:?}", QueryRedacted(&plain)),
        "\"https://<redacted>@blob.example/c\""
    );
    let token = "sv=2024&sig=SiGnAtUrE".to_string();
    assert_eq!(format!("{:?}", ValueRedacted(&token)), "<redacted>");
    assert_eq!(
        format!("{:?}", ValueRedacted(&Some(token))),
        "Some(<redacted>)"
    );
    assert_eq!(format!("{:?}", ValueRedacted(&None::<String>)), "None");
}
