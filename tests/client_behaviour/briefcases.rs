//! Briefcases.

use super::*;

#[tokio::test]
async fn get_briefcases_of_the_caller() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/briefcases?ownerId=me");
    mount(
        &server,
        "GET",
        &imodel_path("/briefcases"),
        json_response(
            200,
            json!({ "briefcases": [briefcase_json()], "_links": paging_json(&self_href, None) }),
        ),
    )
    .await;

    let page = client(&server)
        .get_briefcases(uuid(IMODEL_ID))
        .owner_id("me")
        .order_by("acquiredDateTime desc")
        .top(2)
        .skip(0)
        .send()
        .await
        .expect("GetBriefcases succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/briefcases"),
            query: Some("ownerId=me&$orderBy=acquiredDateTime%20desc&$top=2&$skip=0"),
            body: None,
            prefer: Some("return=representation"),
        },
    );
    assert_eq!(page.briefcases.len(), 1);
    assert_briefcase_2(&page.briefcases[0]);
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
}

#[tokio::test]
async fn acquire_briefcase_with_device_name() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/briefcases"),
        json_response(201, json!({ "briefcase": briefcase_json() })),
    )
    .await;

    let response = client(&server)
        .acquire_briefcase(
            uuid(IMODEL_ID),
            types::AcquireBriefcase {
                device_name: Some("WORKSTATION-42".into()),
            },
        )
        .send()
        .await
        .expect("AcquireBriefcase succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/briefcases"),
            query: None,
            body: Some(json!({ "deviceName": "WORKSTATION-42" })),
            prefer: None,
        },
    );
    assert_briefcase_2(&response.briefcase);
}

#[tokio::test]
async fn acquire_briefcase_with_empty_body_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/briefcases"),
        json_response(201, json!({ "briefcase": briefcase_json() })),
    )
    .await;

    let response = client(&server)
        .acquire_briefcase(uuid(IMODEL_ID), types::AcquireBriefcase::default())
        .send()
        .await
        .expect("AcquireBriefcase succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/briefcases"),
            query: None,
            body: Some(json!({})),
            prefer: None,
        },
    );
    assert_eq!(response.briefcase.briefcase_id, Some(2));
}

#[tokio::test]
async fn get_briefcases_documented_error() {
    check_documented_error(
        Op::GetBriefcases,
        422,
        "InvalidiModelsRequest",
        ErrorCode::InvalidiModelsRequest,
        "Cannot get briefcases.",
    )
    .await;
}

#[tokio::test]
async fn acquire_briefcase_documented_error() {
    check_documented_error(
        Op::AcquireBriefcase,
        409,
        "MaximumNumberOfBriefcasesPerUser",
        ErrorCode::MaximumNumberOfBriefcasesPerUser,
        "Maximum number of briefcases per user limit reached.",
    )
    .await;
}

#[tokio::test]
async fn get_briefcase_by_its_integer_id() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/briefcases/2");
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "briefcase": briefcase_json() })),
    )
    .await;

    let response = client(&server)
        .get_briefcase(uuid(IMODEL_ID), 2)
        .send()
        .await
        .expect("GetBriefcase succeeds");

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
    assert_briefcase_2(&response.briefcase);
}

#[tokio::test]
async fn release_briefcase() {
    let server = MockServer::start().await;
    let full_path = imodel_path("/briefcases/2");
    mount(&server, "DELETE", &full_path, ResponseTemplate::new(204)).await;

    client(&server)
        .release_briefcase(uuid(IMODEL_ID), 2)
        .send()
        .await
        .expect("ReleaseBriefcase succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "DELETE",
            path: &full_path,
            query: None,
            body: None,
            prefer: None,
        },
    );
}

#[tokio::test]
async fn get_briefcase_documented_error() {
    check_documented_error(
        Op::GetBriefcase,
        404,
        "BriefcaseNotFound",
        ErrorCode::BriefcaseNotFound,
        "Requested Briefcase is not available.",
    )
    .await;
}

#[tokio::test]
async fn release_briefcase_documented_error() {
    check_documented_error(
        Op::ReleaseBriefcase,
        404,
        "BriefcaseNotFound",
        ErrorCode::BriefcaseNotFound,
        "Requested Briefcase is not available.",
    )
    .await;
}
