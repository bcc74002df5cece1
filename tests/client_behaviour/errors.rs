//! Error bodies: rate limits, codes, details, and bodies that are not the error schema.

use super::*;

/// Every operation documents 429 with the error body and `Retry-After`.
#[tokio::test]
async fn every_operation_decodes_429_with_retry_after() {
    for op in Op::ALL {
        let (_server, err) = fail_with(
            op,
            json_response(
                429,
                error_json(
                    "TooManyRequests",
                    "More requests were received than the subscription rate-limit allows.",
                ),
            )
            .insert_header("Retry-After", "7"),
        )
        .await;
        assert_api_error(
            &err,
            429,
            ErrorCode::TooManyRequests,
            "More requests were received than the subscription rate-limit allows.",
        );
        assert_eq!(
            err.retry_after(),
            Some(Duration::from_secs(7)),
            "{}",
            op.id()
        );
        assert_eq!(err.api().map(|api| api.operation), Some(op.id()));
    }
}

#[tokio::test]
async fn rate_limited_create_reports_retry_after() {
    let (_server, err) = fail_with(
        Op::CreateIModel,
        json_response(
            429,
            error_json(
                "TooManyRequests",
                "More requests were received than the subscription rate-limit allows.",
            ),
        )
        .insert_header("Retry-After", "7"),
    )
    .await;

    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(
        err.api().and_then(|api| api.retry_after),
        Some(Duration::from_secs(7))
    );
    assert_api_error(
        &err,
        429,
        ErrorCode::TooManyRequests,
        "More requests were received than the subscription rate-limit allows.",
    );
}

#[tokio::test]
async fn unknown_error_code_is_kept() {
    let (_server, err) = fail_with(
        Op::GetIModel,
        json_response(
            404,
            error_json("SomethingNew", "A code this client has never seen."),
        ),
    )
    .await;

    let details = assert_api_error(
        &err,
        404,
        ErrorCode::Other("SomethingNew".into()),
        "A code this client has never seen.",
    );
    assert_eq!(details.code.as_str(), "SomethingNew");
}

#[tokio::test]
async fn unprocessable_entity_details_are_parsed() {
    // The spec's UnprocessableEntity example, plus an innerError.
    let body = json!({
        "error": {
            "code": "InvalidiModelsRequest",
            "message": "Cannot create iModel.",
            "details": [
                {
                    "code": "InvalidValue",
                    "message": "Provided 'extent' value is not valid. Valid 'latitude' value range is -90 to 90.",
                    "target": "extent",
                    "innerError": { "code": "LatitudeOutOfRange" }
                },
                { "code": "MissingRequiredProperty", "message": "Required property is missing.", "target": "name" },
                { "code": "InvalidRequestBody", "message": "Failed to parse request body. Make sure it is a valid JSON." }
            ]
        }
    });
    let (_server, err) = fail_with(Op::CreateIModel, json_response(422, body)).await;

    let error = assert_api_error(
        &err,
        422,
        ErrorCode::InvalidiModelsRequest,
        "Cannot create iModel.",
    );
    let details = error.details.expect("details");
    assert_eq!(details.len(), 3);
    assert_eq!(details[0].code, ErrorCode::InvalidValue);
    assert_eq!(
        details[0].message.as_deref(),
        Some("Provided 'extent' value is not valid. Valid 'latitude' value range is -90 to 90.")
    );
    assert_eq!(details[0].target.as_deref(), Some("extent"));
    assert_eq!(
        details[0]
            .inner_error
            .as_ref()
            .and_then(|inner| inner.code.as_deref()),
        Some("LatitudeOutOfRange")
    );
    assert_eq!(details[1].code, ErrorCode::MissingRequiredProperty);
    assert_eq!(
        details[1].message.as_deref(),
        Some("Required property is missing.")
    );
    assert_eq!(details[1].target.as_deref(), Some("name"));
    assert_eq!(details[2].code, ErrorCode::InvalidRequestBody);
    assert_eq!(details[2].target, None);
    assert_eq!(details[2].inner_error, None);
}

#[tokio::test]
async fn lock_conflict_carries_conflicting_locks_and_object_ids() {
    let body = json!({
        "error": {
            "code": "ConflictWithAnotherUser",
            "message": "Lock(s) is owned by another briefcase.",
            "conflictingLocks": [
                { "objectId": "0x20000000001", "lockLevel": "exclusive", "briefcaseIds": [3, 4] }
            ],
            "objectIds": ["0x20000000002"]
        }
    });
    let (_server, err) = fail_with(Op::UpdateLocks, json_response(409, body)).await;

    let error = assert_api_error(
        &err,
        409,
        ErrorCode::ConflictWithAnotherUser,
        "Lock(s) is owned by another briefcase.",
    );
    // `ConflictingLock` is response-only (`#[non_exhaustive]`): compared field by field.
    let locks = error.conflicting_locks.as_deref().unwrap_or_default();
    assert_eq!(locks.len(), 1, "{locks:?}");
    assert_eq!(locks[0].object_id.as_deref(), Some("0x20000000001"));
    assert_eq!(locks[0].lock_level, Some(LockLevel::Exclusive));
    assert_eq!(locks[0].briefcase_ids, Some(vec![3, 4]));
    assert_eq!(error.object_ids, Some(vec!["0x20000000002".to_string()]));
}

#[tokio::test]
async fn error_without_message_or_with_null_message_decodes() {
    let (_server, err) = fail_with(
        Op::GetChangeset,
        json_response(
            404,
            json!({ "error": { "code": "ChangesetNotFound", "message": null } }),
        ),
    )
    .await;

    let Some(ErrorBody::Error(body)) = err.api().map(|api| &api.body) else {
        panic!("expected a decoded error body, got {err:?}");
    };
    assert_eq!(body.error.code, ErrorCode::ChangesetNotFound);
    assert_eq!(body.error.message, None);
}

#[tokio::test]
async fn html_error_page_is_kept_as_text() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let (_server, err) = fail_with(
        Op::GetIModel,
        ResponseTemplate::new(502).set_body_raw(html, "text/html"),
    )
    .await;

    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 502);
    assert_eq!(api.body, ErrorBody::Text(html.to_string()));
}

#[tokio::test]
async fn html_body_on_a_documented_status_is_kept_as_text() {
    let html = "<html><body>Not Found</body></html>";
    let (_server, err) = fail_with(
        Op::GetNamedVersion,
        ResponseTemplate::new(404).set_body_raw(html, "text/html"),
    )
    .await;

    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 404);
    assert_eq!(api.body, ErrorBody::Text(html.to_string()));
}

#[tokio::test]
async fn json_that_is_not_the_error_schema_is_kept_as_text() {
    let text = r#"{"message":"An unexpected error occurred"}"#;
    let (_server, err) = fail_with(
        Op::GetLocks,
        ResponseTemplate::new(403).set_body_raw(text, "application/json"),
    )
    .await;

    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 403);
    assert_eq!(api.body, ErrorBody::Text(text.to_string()));
}

#[tokio::test]
async fn empty_error_body_is_empty() {
    let (_server, err) = fail_with(Op::DeleteIModel, ResponseTemplate::new(401)).await;

    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 401);
    assert_eq!(api.body, ErrorBody::Empty);
    assert_eq!(err.retry_after(), None);
}

#[tokio::test]
async fn undocumented_5xx_with_empty_body_and_retry_after() {
    let (_server, err) = fail_with(
        Op::GetBriefcases,
        ResponseTemplate::new(503).insert_header("Retry-After", "120"),
    )
    .await;

    let api = err
        .api()
        .unwrap_or_else(|| panic!("expected Error::Api, got {err:?}"));
    assert_eq!(api.status, 503);
    assert_eq!(api.body, ErrorBody::Empty);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn request_id_header_is_reported() {
    let (_server, err) = fail_with(
        Op::GetIModel,
        json_response(
            404,
            error_json("iModelNotFound", "Requested iModel is not available."),
        )
        .insert_header("x-correlation-id", "corr-1234"),
    )
    .await;

    assert_eq!(
        err.api().and_then(|api| api.request_id.as_deref()),
        Some("corr-1234")
    );
    let display = err.to_string();
    assert!(display.contains("GetIModel"), "{display}");
    assert!(display.contains("404"), "{display}");
}

/// An error status the document does not list for the operation (a 500)
/// still decodes as the API's one error type when the body fits it.
#[tokio::test]
async fn undocumented_error_status_with_the_standard_body_is_decoded() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(
            500,
            json!({ "error": { "code": "Unknown", "message": "Internal failure." } }),
        ),
    )
    .await;
    let err = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("500 is an error");
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 500);
    match &api.body {
        ErrorBody::Error(body) => {
            assert_eq!(body.error.code, ErrorCode::Unknown);
            assert_eq!(body.error.message.as_deref(), Some("Internal failure."));
        }
        other => panic!("expected the decoded error body, got {other:?}"),
    }
}
