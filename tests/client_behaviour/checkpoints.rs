//! Checkpoints of changesets and named versions.

use super::*;

#[tokio::test]
async fn get_changeset_checkpoint_with_directory_access() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/changesets/12/checkpoint");
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "checkpoint": checkpoint_json() })),
    )
    .await;

    let response = client(&server)
        .get_changeset_checkpoint(uuid(IMODEL_ID), "12")
        .send()
        .await
        .expect("GetChangesetCheckpoint succeeds");

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
    assert_checkpoint_12(&response.checkpoint);
}

#[tokio::test]
async fn get_named_version_checkpoint() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/namedversions/{NAMED_VERSION_ID}/checkpoint"));
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "checkpoint": checkpoint_json() })),
    )
    .await;

    let response = client(&server)
        .get_named_version_checkpoint(uuid(IMODEL_ID), uuid(NAMED_VERSION_ID))
        .send()
        .await
        .expect("GetNamedVersionCheckpoint succeeds");

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
    assert_checkpoint_12(&response.checkpoint);
}

#[tokio::test]
async fn reschedule_named_version_checkpoint_sends_no_body() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/namedversions/{NAMED_VERSION_ID}/checkpoint"));
    mount(
        &server,
        "PUT",
        &full_path,
        json_response(
            200,
            json!({ "checkpoint": { "changesetIndex": 12, "state": "scheduled", "directoryAccessInfo": null, "_links": { "download": null } } }),
        ),
    )
    .await;

    let response = client(&server)
        .reschedule_named_version_checkpoint(uuid(IMODEL_ID), uuid(NAMED_VERSION_ID))
        .send()
        .await
        .expect("RescheduleNamedVersionCheckpoint succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PUT",
            path: &full_path,
            query: None,
            body: None,
            prefer: None,
        },
    );
    let checkpoint = &response.checkpoint;
    assert_eq!(checkpoint.state, types::CheckpointState::Scheduled);
    assert_eq!(checkpoint.directory_access_info, None);
    assert_eq!(
        checkpoint.links.as_ref().and_then(|l| l.download.as_ref()),
        None
    );
}

#[tokio::test]
async fn get_latest_checkpoint_uses_the_literal_path() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/briefcases/checkpoint");
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "checkpoint": checkpoint_json() })),
    )
    .await;

    let response = client(&server)
        .get_latest_checkpoint(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetLatestCheckpoint succeeds");

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
    assert_checkpoint_12(&response.checkpoint);
}

#[tokio::test]
async fn get_changeset_checkpoint_documented_error() {
    check_documented_error(
        Op::GetChangesetCheckpoint,
        404,
        "CheckpointNotFound",
        ErrorCode::CheckpointNotFound,
        "Requested Checkpoint is not available.",
    )
    .await;
}

#[tokio::test]
async fn get_named_version_checkpoint_documented_error() {
    check_documented_error(
        Op::GetNamedVersionCheckpoint,
        404,
        "NamedVersionNotFound",
        ErrorCode::NamedVersionNotFound,
        "Requested Named Version is not available.",
    )
    .await;
}

#[tokio::test]
async fn get_latest_checkpoint_documented_error() {
    check_documented_error(
        Op::GetLatestCheckpoint,
        404,
        "CheckpointNotFound",
        ErrorCode::CheckpointNotFound,
        "Requested Checkpoint is not available.",
    )
    .await;
}

#[tokio::test]
async fn reschedule_named_version_checkpoint_documented_error() {
    check_documented_error(
        Op::RescheduleNamedVersionCheckpoint,
        409,
        "DataConflict",
        ErrorCode::DataConflict,
        "The checkpoint has not failed.",
    )
    .await;
}
