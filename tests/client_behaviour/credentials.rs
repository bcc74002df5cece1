//! Credentials and secrecy: token providers, and no token in `Debug` or transport errors.

use super::*;

#[tokio::test]
async fn token_provider_is_asked_before_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(imodel_path("")))
        .respond_with(json_response(
            200,
            json!({ "iModel": imodel_json("initialized") }),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = Client::builder()
        .base_url(base_url(&server))
        .token_provider(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok::<_, BoxError>("dynamic-token".to_string())
            }
        })
        .build()
        .expect("the client builds");

    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("first call");
    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("second call");

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            header(request, "authorization"),
            Some("Bearer dynamic-token")
        );
        assert_eq!(header(request, "accept"), Some(ACCEPT));
    }
    assert!(!format!("{client:?}").contains("dynamic-token"));
}

#[tokio::test]
async fn failing_token_provider_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(base_url(&server))
        .token_provider(|| async {
            Err::<String, BoxError>("the token endpoint is unreachable".into())
        })
        .build()
        .expect("the client builds");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("the provider fails");

    match &err {
        Error::Credentials(source) => {
            assert_eq!(source.to_string(), "the token endpoint is unreachable")
        }
        other => panic!("expected Error::Credentials, got {other:?}"),
    }
    assert!(err
        .to_string()
        .contains("the token endpoint is unreachable"));
    assert_eq!(err.status(), None);
    let requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert!(
        requests.is_empty(),
        "no request may reach the server: {requests:#?}"
    );
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    const SECRET: &str = "s3cr3t-Bearer-value-0123456789";
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(
            401,
            error_json("Unauthorized", "The access token is expired."),
        ),
    )
    .await;
    let client = Client::builder()
        .base_url(base_url(&server))
        .bearer_token(SECRET)
        .build()
        .expect("the client builds");

    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(SECRET), "{client_debug}");
    assert!(!format!("{client:#?}").contains(SECRET));

    let builder_debug = format!("{:?}", Client::builder().bearer_token(SECRET));
    assert!(!builder_debug.contains(SECRET), "{builder_debug}");

    let request_debug = format!("{:?}", client.get_imodel(uuid(IMODEL_ID)));
    assert!(!request_debug.contains(SECRET), "{request_debug}");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("401");
    // The secret was really sent, so its absence below means something.
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert_api_error(
        &err,
        401,
        ErrorCode::Unauthorized,
        "The access token is expired.",
    );
    for text in [format!("{err:?}"), format!("{err:#?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn transport_errors_do_not_leak_the_token() {
    const SECRET: &str = "s3cr3t-transport-token-9876543210";
    // A socket bound to a port without listening refuses connections, and
    // holds the port for the whole test: a port bound and released could be
    // taken by a server of a test running beside this one. (Not a dropped
    // MockServer: wiremock pools its servers and would answer.)
    let held = tokio::net::TcpSocket::new_v4().expect("a socket");
    held.bind(([127, 0, 0, 1], 0).into())
        .expect("bind a free port");
    let port = held.local_addr().expect("the bound address").port();
    let dead_url = format!("http://127.0.0.1:{port}{BASE_PATH}");
    let client = Client::builder()
        .base_url(dead_url)
        .bearer_token(SECRET)
        .build()
        .expect("the client builds");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("nobody listens");

    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "GetIModel",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}
