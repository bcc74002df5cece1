//! The users of an iModel.

use super::*;

#[tokio::test]
async fn get_imodel_users_with_statistics() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/users?$top=10");
    let next_href = format!("https://api.bentley.com/imodels/{IMODEL_ID}/users?$top=10&$skip=10");
    mount(
        &server,
        "GET",
        &imodel_path("/users"),
        json_response(
            200,
            json!({ "users": [user_json()], "_links": paging_json(&self_href, Some(&next_href)) }),
        ),
    )
    .await;

    let page = client(&server)
        .get_imodel_users(uuid(IMODEL_ID))
        .top(10)
        .skip(0)
        .order_by("surname asc")
        .send()
        .await
        .expect("GetIModelUsers succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/users"),
            query: Some("$top=10&$skip=0&$orderBy=surname%20asc"),
            body: None,
            prefer: Some("return=representation"),
        },
    );
    assert_eq!(page.users.len(), 1);
    assert_jane_doe(&page.users[0]);
    assert_eq!(href(&page.links.next), Some(next_href.as_str()));
}

#[tokio::test]
async fn get_imodel_user() {
    let server = MockServer::start().await;
    let full_path = imodel_path(&format!("/users/{USER_ID}"));
    mount(
        &server,
        "GET",
        &full_path,
        json_response(200, json!({ "user": user_json() })),
    )
    .await;

    let response = client(&server)
        .get_imodel_user(uuid(IMODEL_ID), uuid(USER_ID))
        .send()
        .await
        .expect("GetIModelUser succeeds");

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
    assert_jane_doe(&response.user);
}

#[tokio::test]
async fn get_imodel_users_documented_error() {
    check_documented_error(
        Op::GetIModelUsers,
        401,
        "Unauthorized",
        ErrorCode::Unauthorized,
        "The access token was issued by the wrong issuer.",
    )
    .await;
}

#[tokio::test]
async fn get_imodel_user_documented_error() {
    check_documented_error(
        Op::GetIModelUser,
        404,
        "UserNotFound",
        ErrorCode::UserNotFound,
        "Requested User is not available.",
    )
    .await;
}
