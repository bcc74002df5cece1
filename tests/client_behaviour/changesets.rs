//! Changesets, their extended data and groups, and resuming a listing.

use super::*;

#[tokio::test]
async fn get_changesets_with_range_order_and_prefer() {
    let server = MockServer::start().await;
    let self_href = format!(
        "https://api.bentley.com/imodels/{IMODEL_ID}/changesets?afterIndex=10&lastIndex=20&$top=1"
    );
    let next_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets?afterIndex=10&lastIndex=20&$top=1&$skip=1");
    mount(
        &server,
        "GET",
        &imodel_path("/changesets"),
        json_response(
            200,
            json!({ "changesets": [changeset_json("fileUploaded")], "_links": paging_json(&self_href, Some(&next_href)) }),
        ),
    )
    .await;

    let page = client(&server)
        .get_changesets(uuid(IMODEL_ID))
        .after_index(10)
        .last_index(20)
        .order_by("index desc")
        .top(1)
        .skip(0)
        .send()
        .await
        .expect("GetChangesets succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/changesets"),
            query: Some("afterIndex=10&lastIndex=20&$orderBy=index%20desc&$top=1&$skip=0"),
            body: None,
            prefer: Some("return=representation"),
        },
    );
    assert_eq!(page.changesets.len(), 1);
    assert_changeset_12(&page.changesets[0], ChangesetState::FileUploaded);
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
    assert_eq!(href(&page.links.next), Some(next_href.as_str()));
}

#[tokio::test]
async fn create_changeset() {
    let server = MockServer::start().await;
    let mut created = changeset_json("waitingForFile");
    created["_links"]["download"] = Value::Null;
    created["_links"]["upload"] =
        json!({ "href": "https://blob.example.net/changesets/new?sig=up", "storageType": "azure" });
    created["_links"]["complete"] = link(&format!(
        "https://api.bentley.com/imodels/{IMODEL_ID}/changesets/{CHANGESET_ID}"
    ));
    mount(
        &server,
        "POST",
        &imodel_path("/changesets"),
        json_response(201, json!({ "changeset": created })),
    )
    .await;

    let response = client(&server)
        .create_changeset(uuid(IMODEL_ID), create_changeset_body())
        .send()
        .await
        .expect("CreateChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/changesets"),
            query: None,
            body: Some(json!({
                "id": CHANGESET_ID,
                "description": "Added the solar farm",
                "parentId": PARENT_CHANGESET_ID,
                "briefcaseId": 2,
                "containingChanges": 4,
                "fileSize": 4567,
                "synchronizationInfo": { "taskId": "f2b9c1a0-task", "changedFiles": ["SolarFarm.dgn", "WindFarm.dgn"] }
            })),
            prefer: None,
        },
    );
    let changeset = &response.changeset;
    assert_eq!(changeset.id, CHANGESET_ID);
    assert_eq!(changeset.index, 12);
    assert_eq!(changeset.state, Some(ChangesetState::WaitingForFile));
    let links = changeset.links.as_ref().expect("_links");
    assert_eq!(links.download, None);
    assert_eq!(
        storage_href(&links.upload),
        Some((
            "https://blob.example.net/changesets/new?sig=up",
            Some("azure")
        ))
    );
    assert_eq!(
        href(&links.complete),
        Some(
            format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/{CHANGESET_ID}")
                .as_str()
        )
    );
}

#[tokio::test]
async fn get_changeset_by_index() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/changesets/12"),
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    let response = client(&server)
        .get_changeset(uuid(IMODEL_ID), "12")
        .send()
        .await
        .expect("GetChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/changesets/12"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    assert_changeset_12(&response.changeset, ChangesetState::FileUploaded);
}

#[tokio::test]
async fn update_changeset_completes_the_push() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/changesets/{CHANGESET_ID}"));
    mount(
        &server,
        "PATCH",
        &full_path,
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    let response = client(&server)
        .update_changeset(uuid(IMODEL_ID), CHANGESET_ID, update_changeset_body())
        .send()
        .await
        .expect("UpdateChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &full_path,
            query: None,
            body: Some(json!({ "state": "fileUploaded", "briefcaseId": 2 })),
            prefer: None,
        },
    );
    assert_changeset_12(&response.changeset, ChangesetState::FileUploaded);
}

#[tokio::test]
async fn get_changesets_documented_error() {
    check_documented_error(
        Op::GetChangesets,
        401,
        "HeaderNotFound",
        ErrorCode::HeaderNotFound,
        "Header Authorization was not found in the request. Access denied.",
    )
    .await;
}

#[tokio::test]
async fn create_changeset_documented_error() {
    check_documented_error(
        Op::CreateChangeset,
        409,
        "ChangesetExists",
        ErrorCode::ChangesetExists,
        "Changeset with the specified id already exists.",
    )
    .await;
}

#[tokio::test]
async fn get_changeset_documented_error() {
    check_documented_error(
        Op::GetChangeset,
        404,
        "ChangesetNotFound",
        ErrorCode::ChangesetNotFound,
        "Requested Changeset is not available.",
    )
    .await;
}

#[tokio::test]
async fn update_changeset_documented_error() {
    check_documented_error(
        Op::UpdateChangeset,
        415,
        "UnsupportedMediaType",
        ErrorCode::UnsupportedMediaType,
        "Media Type is not supported.",
    )
    .await;
}

#[tokio::test]
async fn get_changesets_extended_data_uses_the_literal_path() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/changesets/extendeddata");
    let next = format!(
        "https://api.bentley.com/imodels/{IMODEL_ID}/changesets/extendeddata?$continuationToken=t2"
    );
    mount(
        &server,
        "GET",
        &full_path,
        json_response(
            200,
            json!({
                "extendedData": [extended_data_json(12), extended_data_json(13)],
                "_links": paging_json(&next, Some(&next))
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_changesets_extended_data(uuid(IMODEL_ID))
        .top(2)
        .continuation_token("t1")
        .send()
        .await
        .expect("GetChangesetsExtendedData succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &full_path,
            query: Some("$top=2&$continuationToken=t1"),
            body: None,
            prefer: None,
        },
    );
    let indexes: Vec<i64> = page
        .extended_data
        .iter()
        .map(|d| d.changeset_index)
        .collect();
    assert_eq!(indexes, [12, 13]);
    assert_eq!(page.extended_data[0].data, EXTENDED_DATA);
    assert_eq!(href(&page.links.next), Some(next.as_str()));
}

#[tokio::test]
async fn get_changeset_extended_data_by_index() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/changesets/12/extendeddata");
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "extendedData": extended_data_json(12) })),
    )
    .await;

    let response = client(&server)
        .get_changeset_extended_data(uuid(IMODEL_ID), "12")
        .send()
        .await
        .expect("GetChangesetExtendedData succeeds");

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
    assert_eq!(response.extended_data.changeset_id, CHANGESET_ID);
    assert_eq!(response.extended_data.changeset_index, 12);
    assert_eq!(response.extended_data.data, EXTENDED_DATA);
}

#[tokio::test]
async fn create_changeset_extended_data_sends_the_base64_data() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/changesets/12/extendeddata");
    mount(
        &server,
        "POST",
        &full_path,
        json_response(201, json!({ "extendedData": extended_data_json(12) })),
    )
    .await;

    let response = client(&server)
        .create_changeset_extended_data(uuid(IMODEL_ID), "12", extended_data_body())
        .send()
        .await
        .expect("CreateChangesetExtendedData succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &full_path,
            query: None,
            body: Some(json!({ "data": EXTENDED_DATA })),
            prefer: None,
        },
    );
    assert_eq!(response.extended_data.changeset_index, 12);
}

#[tokio::test]
async fn get_changeset_groups_without_prefer() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesetgroups");
    mount(
        &server,
        "GET",
        &imodel_path("/changesetgroups"),
        json_response(
            200,
            json!({ "changesetGroups": [group_json("inProgress")], "_links": paging_json(&self_href, None) }),
        ),
    )
    .await;

    let page = client(&server)
        .get_changeset_groups(uuid(IMODEL_ID))
        .top(5)
        .skip(5)
        .send()
        .await
        .expect("GetChangesetGroups succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/changesetgroups"),
            query: Some("$top=5&$skip=5"),
            body: None,
            prefer: None,
        },
    );
    let group = &page.changeset_groups[0];
    assert_eq!(group.id, GROUP_ID);
    assert_eq!(group.state, types::ChangesetGroupState::InProgress);
    assert_eq!(group.description.as_deref(), Some("Solar farm import"));
    assert_eq!(group.creator_id.as_deref(), Some(USER_ID));
    assert_eq!(page.links.next, None);
}

#[tokio::test]
async fn get_changeset_group() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/changesetgroups/{GROUP_ID}"));
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "changesetGroup": group_json("timedOut") })),
    )
    .await;

    let response = client(&server)
        .get_changeset_group(uuid(IMODEL_ID), GROUP_ID)
        .send()
        .await
        .expect("GetChangesetGroup succeeds");

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
    let group = &response.changeset_group;
    assert_eq!(group.state, types::ChangesetGroupState::TimedOut);
    let links = group.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.creator),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
}

#[tokio::test]
async fn create_changeset_group() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/changesetgroups"),
        json_response(201, json!({ "changesetGroup": group_json("inProgress") })),
    )
    .await;

    let response = client(&server)
        .create_changeset_group(
            uuid(IMODEL_ID),
            types::CreateChangesetGroup::new("Solar farm import"),
        )
        .send()
        .await
        .expect("CreateChangesetGroup succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/changesetgroups"),
            query: None,
            body: Some(json!({ "description": "Solar farm import" })),
            prefer: None,
        },
    );
    assert_eq!(response.changeset_group.id, GROUP_ID);
}

#[tokio::test]
async fn update_changeset_group_closes_it() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/changesetgroups/{GROUP_ID}"));
    mount(
        &server,
        "PATCH",
        &full_path,
        json_response(200, json!({ "changesetGroup": group_json("completed") })),
    )
    .await;

    let response = client(&server)
        .update_changeset_group(uuid(IMODEL_ID), GROUP_ID, close_group_body())
        .send()
        .await
        .expect("UpdateChangesetGroup succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &full_path,
            query: None,
            body: Some(json!({ "state": "completed" })),
            prefer: None,
        },
    );
    assert_eq!(
        response.changeset_group.state,
        types::ChangesetGroupState::Completed
    );
}

/// Every list takes a saved continuation token (the vendor's document has
/// none on any of them).
#[tokio::test]
async fn lists_resume_from_a_saved_continuation_token() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets");
    mount(
        &server,
        "GET",
        &imodel_path("/changesets"),
        json_response(
            200,
            json!({ "changesets": [changeset_json("fileUploaded")], "_links": paging_json(&self_href, None) }),
        ),
    )
    .await;

    client(&server)
        .get_changesets(uuid(IMODEL_ID))
        .top(100)
        .continuation_token("eyJpbmRleCI6MTAwfQ==")
        .send()
        .await
        .expect("GetChangesets succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/changesets"),
            query: Some("$top=100&$continuationToken=eyJpbmRleCI6MTAwfQ%3D%3D"),
            body: None,
            prefer: Some("return=representation"),
        },
    );
}

#[tokio::test]
async fn get_changesets_extended_data_documented_error() {
    check_documented_error(
        Op::GetChangesetsExtendedData,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn get_changeset_extended_data_documented_error() {
    check_documented_error(
        Op::GetChangesetExtendedData,
        404,
        "ChangesetExtendedDataNotFound",
        ErrorCode::ChangesetExtendedDataNotFound,
        "Requested Changeset Extended Data is not available.",
    )
    .await;
}

#[tokio::test]
async fn create_changeset_extended_data_documented_error() {
    check_documented_error(
        Op::CreateChangesetExtendedData,
        422,
        "InvalidiModelsRequest",
        ErrorCode::InvalidiModelsRequest,
        "Cannot create Changeset Extended Data.",
    )
    .await;
}

#[tokio::test]
async fn get_changeset_groups_documented_error() {
    check_documented_error(
        Op::GetChangesetGroups,
        403,
        "InsufficientPermissions",
        ErrorCode::InsufficientPermissions,
        "The user has insufficient permissions for the requested operation.",
    )
    .await;
}

#[tokio::test]
async fn get_changeset_group_documented_error() {
    check_documented_error(
        Op::GetChangesetGroup,
        404,
        "ChangesetGroupNotFound",
        ErrorCode::ChangesetGroupNotFound,
        "Requested Changeset Group is not available.",
    )
    .await;
}

#[tokio::test]
async fn create_changeset_group_documented_error() {
    check_documented_error(
        Op::CreateChangesetGroup,
        422,
        "MissingRequiredProperty",
        ErrorCode::MissingRequiredProperty,
        "Required property is missing.",
    )
    .await;
}

#[tokio::test]
async fn update_changeset_group_documented_error() {
    check_documented_error(
        Op::UpdateChangesetGroup,
        409,
        "DataConflict",
        ErrorCode::DataConflict,
        "The Changeset Group is already closed.",
    )
    .await;
}
