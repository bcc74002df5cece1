//! Named versions.

use super::*;

#[tokio::test]
async fn get_named_versions_minimal_with_filters() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/namedversions?$top=2");
    mount(
        &server,
        "GET",
        &imodel_path("/namedversions"),
        json_response(
            200,
            json!({
                "namedVersions": [
                    { "id": NAMED_VERSION_ID, "displayName": "Milestone 1", "changesetId": CHANGESET_ID, "changesetIndex": 12 },
                    { "id": "0d4c8e2a-1b3f-4a5e-8c7d-6e5f4a3b2c1d", "displayName": "Baseline", "changesetId": null, "changesetIndex": 0 }
                ],
                "_links": paging_json(&self_href, None)
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_named_versions_minimal(uuid(IMODEL_ID))
        .search("Milestone")
        .state(NamedVersionState::Visible)
        .order_by("changesetIndex desc")
        .top(2)
        .send()
        .await
        .expect("GetNamedVersions succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/namedversions"),
            query: Some("$search=Milestone&state=visible&$orderBy=changesetIndex%20desc&$top=2"),
            body: None,
            prefer: Some("return=minimal"),
        },
    );
    assert_eq!(page.named_versions.len(), 2);
    let first = &page.named_versions[0];
    assert_eq!(first.id, uuid(NAMED_VERSION_ID));
    assert_eq!(first.display_name, "Milestone 1");
    assert_eq!(first.changeset_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(first.changeset_index, Some(12));
    let second = &page.named_versions[1];
    assert_eq!(second.display_name, "Baseline");
    assert_eq!(second.changeset_id, None, "a null changesetId is None");
    assert_eq!(second.changeset_index, Some(0));
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
}

#[tokio::test]
async fn get_named_versions_by_exact_name() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/namedversions"),
        json_response(
            200,
            json!({ "namedVersions": [named_version_json()], "_links": {} }),
        ),
    )
    .await;

    let page = client(&server)
        .get_named_versions(uuid(IMODEL_ID))
        .name("Milestone 1")
        .skip(3)
        .send()
        .await
        .expect("GetNamedVersions succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/namedversions"),
            query: Some("name=Milestone%201&$skip=3"),
            body: None,
            prefer: Some("return=representation"),
        },
    );
    assert_milestone_1(&page.named_versions[0]);
    assert_eq!(page.links, types::PagingLinks::default());
}

#[tokio::test]
async fn create_named_version() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/namedversions"),
        json_response(201, json!({ "namedVersion": named_version_json() })),
    )
    .await;

    let response = client(&server)
        .create_named_version(uuid(IMODEL_ID), create_named_version_body())
        .send()
        .await
        .expect("CreateNamedVersion succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/namedversions"),
            query: None,
            body: Some(
                json!({ "name": "Milestone 1", "description": "Design review", "changesetId": CHANGESET_ID }),
            ),
            prefer: None,
        },
    );
    assert_milestone_1(&response.named_version);
}

#[tokio::test]
async fn get_named_version() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/namedversions/{NAMED_VERSION_ID}"));
    let mut hidden = named_version_json();
    hidden["state"] = json!("hidden");
    hidden["application"] = Value::Null;
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "namedVersion": hidden })),
    )
    .await;

    let response = client(&server)
        .get_named_version(uuid(IMODEL_ID), uuid(NAMED_VERSION_ID))
        .send()
        .await
        .expect("GetNamedVersion succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &full_path,
            query: None,
            body: None,
            prefer: None,
        },
    );
    let version = &response.named_version;
    assert_eq!(version.id, uuid(NAMED_VERSION_ID));
    assert_eq!(version.state, Some(NamedVersionState::Hidden));
    assert_eq!(version.application, None);
    assert_eq!(version.changeset_index, Some(12));
    assert_eq!(
        href(&version.links.as_ref().expect("_links").changeset),
        Some(
            format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/{CHANGESET_ID}")
                .as_str()
        )
    );
}

#[tokio::test]
async fn get_named_versions_documented_error() {
    check_documented_error(
        Op::GetNamedVersions,
        403,
        "InsufficientPermissions",
        ErrorCode::InsufficientPermissions,
        "The user has insufficient permissions for the requested operation.",
    )
    .await;
}

#[tokio::test]
async fn create_named_version_documented_error() {
    check_documented_error(
        Op::CreateNamedVersion,
        409,
        "NamedVersionOnChangesetExists",
        ErrorCode::NamedVersionOnChangesetExists,
        "Named Version already exists on the specified Changeset.",
    )
    .await;
}

#[tokio::test]
async fn get_named_version_documented_error() {
    check_documented_error(
        Op::GetNamedVersion,
        404,
        "NamedVersionNotFound",
        ErrorCode::NamedVersionNotFound,
        "Requested Named Version is not available.",
    )
    .await;
}

#[tokio::test]
async fn update_named_version_renames_and_hides() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/namedversions/{NAMED_VERSION_ID}"));
    let mut renamed = named_version_json();
    renamed["state"] = json!("hidden");
    mount(
        &server,
        "PATCH",
        &full_path,
        json_response(200, json!({ "namedVersion": renamed })),
    )
    .await;

    let response = client(&server)
        .update_named_version(uuid(IMODEL_ID), uuid(NAMED_VERSION_ID), rename_body())
        .send()
        .await
        .expect("UpdateNamedVersion succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &full_path,
            query: None,
            // The description left out is not sent (not even as null).
            body: Some(json!({ "name": "Milestone 1 (approved)", "state": "hidden" })),
            prefer: None,
        },
    );
    assert_eq!(
        response.named_version.state,
        Some(NamedVersionState::Hidden)
    );
}

/// The corrections: a named version on the baseline (no changeset), and a
/// clone that keeps the source's name, are requests the client can make.
#[tokio::test]
async fn a_baseline_named_version_and_an_unnamed_clone_send_no_such_field() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/namedversions"),
        json_response(201, json!({ "namedVersion": named_version_json() })),
    )
    .await;
    client(&server)
        .create_named_version(uuid(IMODEL_ID), types::CreateNamedVersion::new("Baseline"))
        .send()
        .await
        .expect("CreateNamedVersion succeeds");
    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/namedversions"),
            query: None,
            body: Some(json!({ "name": "Baseline" })),
            prefer: None,
        },
    );

    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/clone"),
        ResponseTemplate::new(202).insert_header("Location", "https://api.bentley.com/imodels/x"),
    )
    .await;
    client(&server)
        .clone_imodel(uuid(IMODEL_ID), types::CloneIModel::new(uuid(ITWIN_ID)))
        .send()
        .await
        .expect("CloneIModel succeeds");
    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/clone"),
            query: None,
            body: Some(json!({ "iTwinId": ITWIN_ID })),
            prefer: None,
        },
    );
}

#[tokio::test]
async fn update_named_version_documented_error() {
    check_documented_error(
        Op::UpdateNamedVersion,
        409,
        "NamedVersionExists",
        ErrorCode::NamedVersionExists,
        "Named Version with the same name already exists.",
    )
    .await;
}
