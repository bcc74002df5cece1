//! Locks: reading, updating and releasing them.

use super::*;

#[tokio::test]
async fn get_locks_of_a_briefcase() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/locks?briefcaseId=2");
    mount(
        &server,
        "GET",
        &imodel_path("/locks"),
        json_response(
            200,
            json!({
                "locks": [{
                    "briefcaseId": 2,
                    "lockedObjects": [
                        { "lockLevel": "exclusive", "objectIds": ["0x20000000001", "0x20000000002"] },
                        { "lockLevel": "shared", "objectIds": ["0x1"] }
                    ]
                }],
                "_links": paging_json(&self_href, None)
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_locks(uuid(IMODEL_ID))
        .briefcase_id(2)
        .lock_level("exclusive".into())
        .top(100)
        .skip(0)
        .send()
        .await
        .expect("GetLocks succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/locks"),
            query: Some("briefcaseId=2&lockLevel=exclusive&$top=100&$skip=0"),
            body: None,
            prefer: None,
        },
    );
    assert_eq!(page.locks.len(), 1);
    let lock = &page.locks[0];
    assert_eq!(lock.briefcase_id, 2);
    assert_eq!(lock.locked_objects.len(), 2);
    assert_eq!(lock.locked_objects[0].lock_level, LockLevel::Exclusive);
    assert_eq!(
        lock.locked_objects[0].object_ids,
        vec!["0x20000000001", "0x20000000002"]
    );
    assert_eq!(lock.locked_objects[1].lock_level, LockLevel::Shared);
    assert_eq!(lock.locked_objects[1].object_ids, vec!["0x1"]);
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
}

#[tokio::test]
async fn update_locks() {
    let server = MockServer::start().await;
    mount(
        &server,
        "PATCH",
        &imodel_path("/locks"),
        json_response(
            200,
            json!({
                "lock": {
                    "briefcaseId": 2,
                    "lockedObjects": [{ "lockLevel": "exclusive", "objectIds": ["0x20000000001", "0x20000000002"] }]
                }
            }),
        ),
    )
    .await;

    let response = client(&server)
        .update_locks(uuid(IMODEL_ID), update_locks_body())
        .send()
        .await
        .expect("UpdateLocks succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &imodel_path("/locks"),
            query: None,
            body: Some(json!({
                "briefcaseId": 2,
                "changesetId": CHANGESET_ID,
                "lockedObjects": [
                    { "lockLevel": "exclusive", "objectIds": ["0x20000000001", "0x20000000002"] },
                    { "lockLevel": "none", "objectIds": ["0x1"] }
                ]
            })),
            prefer: None,
        },
    );
    assert_eq!(response.lock.briefcase_id, 2);
    assert_eq!(
        response.lock.locked_objects,
        vec![types::LockedObjects {
            lock_level: LockLevel::Exclusive,
            object_ids: vec!["0x20000000001".into(), "0x20000000002".into()],
        }]
    );
}

#[tokio::test]
async fn get_locks_documented_error() {
    check_documented_error(
        Op::GetLocks,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn update_locks_documented_error() {
    check_documented_error(
        Op::UpdateLocks,
        409,
        "LockOwnedByAnotherBriefcase",
        ErrorCode::LockOwnedByAnotherBriefcase,
        "Lock is owned by another briefcase.",
    )
    .await;
}

/// Releasing all locks is releasing chunks until the last one.
#[tokio::test]
async fn release_locks_chunk_until_the_last_chunk() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/locks/release-chunk");
    Mock::given(method("POST"))
        .and(path(full_path.as_str()))
        .respond_with(json_response(200, json!({ "isLastChunk": false })))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(full_path.as_str()))
        .respond_with(json_response(200, json!({ "isLastChunk": true })))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let mut calls = 0;
    loop {
        calls += 1;
        let chunk = types::ReleaseLocksChunk {
            briefcase_id: 2,
            changeset_id: Some(CHANGESET_ID.into()),
        };
        let answer = client
            .release_locks_chunk(uuid(IMODEL_ID), chunk)
            .send()
            .await
            .expect("ReleaseLocksChunk succeeds");
        if answer.is_last_chunk || calls == 10 {
            break;
        }
    }
    assert_eq!(calls, 3);
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_request(
            request,
            Sent {
                method: "POST",
                path: &full_path,
                query: None,
                body: Some(json!({ "briefcaseId": 2, "changesetId": CHANGESET_ID })),
                prefer: None,
            },
        );
    }
}

#[tokio::test]
async fn get_released_locks_after_a_changeset() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/locks/released-locks");
    let self_href = format!(
        "https://api.bentley.com/imodels/{IMODEL_ID}/locks/released-locks?afterChangesetIndex=11"
    );
    mount(
        &server,
        "GET",
        &full_path,
        json_response(
            200,
            json!({
                "releasedLocks": [
                    { "lockLevel": "exclusive", "objectIds": ["0x20000000001"] },
                    { "lockLevel": "shared", "objectIds": ["0x1", "0x2"] }
                ],
                "_links": paging_json(&self_href, None)
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_released_locks(uuid(IMODEL_ID), 11)
        .top(100)
        .send()
        .await
        .expect("GetReleasedLocks succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &full_path,
            query: Some("afterChangesetIndex=11&$top=100"),
            body: None,
            prefer: None,
        },
    );
    let levels: Vec<&types::ReleasedLockLevel> =
        page.released_locks.iter().map(|l| &l.lock_level).collect();
    assert_eq!(
        levels,
        [
            &types::ReleasedLockLevel::Exclusive,
            &types::ReleasedLockLevel::Shared
        ]
    );
    assert_eq!(page.released_locks[1].object_ids, ["0x1", "0x2"]);
}

#[tokio::test]
async fn release_locks_chunk_documented_error() {
    check_documented_error(
        Op::ReleaseLocksChunk,
        409,
        "LockOwnedByAnotherBriefcase",
        ErrorCode::LockOwnedByAnotherBriefcase,
        "The lock is owned by another briefcase.",
    )
    .await;
}

#[tokio::test]
async fn get_released_locks_documented_error() {
    check_documented_error(
        Op::GetReleasedLocks,
        422,
        "MissingRequiredParameter",
        ErrorCode::MissingRequiredParameter,
        "Required parameter afterChangesetIndex is missing.",
    )
    .await;
}
