//! Success bodies the client must tolerate (unknown values, properties) or reject cleanly (malformed, wrong shape, empty).

use super::*;

#[tokio::test]
async fn unknown_enum_values_in_a_success_body_are_kept() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(200, json!({ "iModel": imodel_json("archived") })),
    )
    .await;

    let response = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModel succeeds");

    assert_eq!(
        response.imodel.state,
        Some(IModelState::Other("archived".into()))
    );
    assert_eq!(
        response.imodel.state.as_ref().map(IModelState::as_str),
        Some("archived")
    );
}

#[tokio::test]
async fn unknown_enum_values_in_nested_objects_are_kept() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/locks"),
        json_response(
            200,
            json!({
                "locks": [{ "briefcaseId": 7, "lockedObjects": [{ "lockLevel": "superExclusive", "objectIds": ["0x1"] }] }],
                "_links": { "self": null, "prev": null, "next": null }
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_locks(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetLocks succeeds");

    assert_eq!(
        page.locks[0].locked_objects[0].lock_level,
        LockLevel::Other("superExclusive".into())
    );
}

#[tokio::test]
async fn unknown_properties_in_a_success_body_are_ignored() {
    let server = MockServer::start().await;
    let mut imodel = imodel_json("initialized");
    imodel["someFutureProperty"] = json!({ "nested": [1, 2, 3] });
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(200, json!({ "iModel": imodel, "extra": true })),
    )
    .await;

    let response = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModel succeeds");

    assert_sun_city_imodel(&response.imodel, IModelState::Initialized);
}

#[tokio::test]
async fn malformed_success_json_is_a_decode_error() {
    let server = MockServer::start().await;
    let malformed = r#"{"iModel": {"id": "5e19bee0-3aea-4355-a9f0-c6df9989ee7d", "displayName": "#;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        ResponseTemplate::new(200).set_body_raw(malformed, "application/json"),
    )
    .await;

    let err = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("a malformed body fails");

    match &err {
        Error::Decode {
            operation,
            status,
            body,
            ..
        } => {
            assert_eq!(*operation, "GetIModel");
            assert_eq!(*status, 200);
            assert_eq!(body, malformed);
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert!(err.api().is_none());
}

#[tokio::test]
async fn success_body_of_the_wrong_shape_is_a_decode_error() {
    let server = MockServer::start().await;
    // Valid JSON, but the changeset misses its required `index`.
    mount(
        &server,
        "GET",
        &imodel_path("/changesets"),
        json_response(
            200,
            json!({ "changesets": [{ "id": CHANGESET_ID, "displayName": "12" }], "_links": {} }),
        ),
    )
    .await;

    let err = client(&server)
        .get_changesets(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("a wrong shape fails");

    assert!(
        matches!(
            &err,
            Error::Decode {
                operation: "GetChangesets (representation)",
                status: 200,
                ..
            }
        ),
        "expected Error::Decode, got {err:?}"
    );
}

#[tokio::test]
async fn empty_success_body_where_json_is_documented_is_a_decode_error() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/namedversions"),
        ResponseTemplate::new(201),
    )
    .await;

    let err = client(&server)
        .create_named_version(uuid(IMODEL_ID), create_named_version_body())
        .send()
        .await
        .expect_err("an empty body fails");

    assert!(
        matches!(
            &err,
            Error::Decode {
                operation: "CreateNamedVersion",
                status: 201,
                ..
            }
        ),
        "expected Error::Decode, got {err:?}"
    );
}
