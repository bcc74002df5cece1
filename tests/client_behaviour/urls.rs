//! URLs: the base URL and the percent-encoding of path and query values.

use super::*;

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    let encoded_path = imodel_path("/changesets/a%2Fb%20c");
    mount(
        &server,
        "GET",
        &encoded_path,
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    client(&server)
        .get_changeset(uuid(IMODEL_ID), "a/b c")
        .send()
        .await
        .expect("GetChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &encoded_path,
            query: None,
            body: None,
            prefer: None,
        },
    );
}

#[tokio::test]
async fn path_parameters_with_reserved_and_non_ascii_characters_stay_one_segment() {
    let server = MockServer::start().await;
    let encoded_path = imodel_path("/changesets/%3F%23..%2F%C3%BC%25");
    mount(
        &server,
        "PATCH",
        &encoded_path,
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    client(&server)
        .update_changeset(uuid(IMODEL_ID), "?#../ü%", update_changeset_body())
        .send()
        .await
        .expect("UpdateChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &encoded_path,
            query: None,
            body: Some(json!({ "state": "fileUploaded", "briefcaseId": 2 })),
            prefer: None,
        },
    );
}

#[tokio::test]
async fn query_values_are_percent_encoded() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(200, json!({ "iModels": [], "_links": {} })),
    )
    .await;

    client(&server)
        .get_imodels(uuid(ITWIN_ID))
        .search("Sun City & Co+ü=1#x")
        .send()
        .await
        .expect("GetIModels succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: BASE_PATH,
            query: Some(&format!(
                "iTwinId={ITWIN_ID}&$search=Sun%20City%20%26%20Co%2B%C3%BC%3D1%23x"
            )),
            body: None,
            prefer: Some("return=representation"),
        },
    );
}

#[tokio::test]
async fn trailing_slash_on_the_base_url_is_ignored() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(200, json!({ "iModels": [], "_links": {} })),
    )
    .await;
    let client = Client::builder()
        .base_url(format!("{}/", base_url(&server)))
        .bearer_token(TOKEN)
        .build()
        .expect("the client builds");

    assert_eq!(client.base_url(), base_url(&server));
    client
        .get_imodels(uuid(ITWIN_ID))
        .send()
        .await
        .expect("GetIModels succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: BASE_PATH,
            query: Some(&format!("iTwinId={ITWIN_ID}")),
            body: None,
            prefer: Some("return=representation"),
        },
    );
}

#[test]
fn invalid_base_urls_are_rejected() {
    for bad in ["not a url", "ftp://example.com/imodels"] {
        let err = Client::builder().base_url(bad).build().expect_err(bad);
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
    }
}

#[test]
fn default_base_url_is_the_production_server() {
    let client = Client::builder()
        .bearer_token(TOKEN)
        .build()
        .expect("the client builds");
    assert_eq!(client.base_url(), "https://api.bentley.com/imodels");
}
