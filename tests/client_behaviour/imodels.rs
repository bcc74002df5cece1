//! iModels: listing, creating, cloning, forking, updating and deleting them; favourites, recents, permissions and create operations.

use super::*;

#[tokio::test]
async fn get_imodels_minimal_page_at_the_base_url() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels?iTwinId={ITWIN_ID}&$skip=0&$top=100");
    let next_href =
        format!("https://api.bentley.com/imodels?iTwinId={ITWIN_ID}&$skip=100&$top=100");
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(
            200,
            json!({
                "iModels": [
                    { "id": "758bdcde-567a-43e0-9321-c7897cced698", "displayName": "Sun City Renewable-energy Plant", "dataCenterLocation": "East US" },
                    { "id": "b44460c9-b61d-422c-9422-d36497c3dd04", "displayName": "Power Town Processing Plant", "dataCenterLocation": "East US" }
                ],
                "_links": {
                    "self": link(&self_href),
                    "prev": link(&self_href),
                    "next": link(&next_href)
                }
            }),
        ),
    )
    .await;

    let page = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
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
            prefer: Some("return=minimal"),
        },
    );
    assert_eq!(page.imodels.len(), 2);
    assert_eq!(
        page.imodels[0].id,
        uuid("758bdcde-567a-43e0-9321-c7897cced698")
    );
    assert_eq!(
        page.imodels[0].display_name,
        "Sun City Renewable-energy Plant"
    );
    assert_eq!(
        page.imodels[0].data_center_location.as_deref(),
        Some("East US")
    );
    assert_eq!(
        page.imodels[1].id,
        uuid("b44460c9-b61d-422c-9422-d36497c3dd04")
    );
    assert_eq!(page.imodels[1].display_name, "Power Town Processing Plant");
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
    assert_eq!(href(&page.links.prev), Some(self_href.as_str()));
    assert_eq!(href(&page.links.next), Some(next_href.as_str()));
}

#[tokio::test]
async fn get_imodels_with_query_options_and_prefer_representation() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels?iTwinId={ITWIN_ID}&$skip=10&$top=5");
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(
            200,
            json!({ "iModels": [imodel_json("initialized")], "_links": paging_json(&self_href, None) }),
        ),
    )
    .await;

    let page = client(&server)
        .get_imodels(uuid(ITWIN_ID))
        .top(5)
        .skip(10)
        .order_by("name desc")
        .search("Sun City")
        .state(IModelState::Initialized)
        .send()
        .await
        .expect("GetIModels succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: BASE_PATH,
            query: Some(&format!(
                "iTwinId={ITWIN_ID}&$top=5&$skip=10&$orderBy=name%20desc&$search=Sun%20City&state=initialized"
            )),
            body: None,
            prefer: Some("return=representation"),
        },
    );
    assert_eq!(page.imodels.len(), 1);
    assert_sun_city_imodel(&page.imodels[0], IModelState::Initialized);
    assert_eq!(href(&page.links.self_), Some(self_href.as_str()));
    assert_eq!(page.links.prev, None);
    assert_eq!(page.links.next, None);
}

#[tokio::test]
async fn get_imodels_exact_name_filter() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(
            200,
            json!({ "iModels": [], "_links": { "self": null, "prev": null, "next": null } }),
        ),
    )
    .await;

    let page = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .name("Sun City Renewable-energy Plant")
        .send()
        .await
        .expect("GetIModels succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: BASE_PATH,
            query: Some(&format!(
                "iTwinId={ITWIN_ID}&name=Sun%20City%20Renewable-energy%20Plant"
            )),
            body: None,
            prefer: Some("return=minimal"),
        },
    );
    assert!(page.imodels.is_empty());
    assert_eq!(page.links, types::PagingLinks::default());
}

#[tokio::test]
async fn create_imodel_from_template_with_spec_response_example() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        BASE_PATH,
        json_response(201, json!({ "iModel": imodel_json("initialized") })),
    )
    .await;

    let body = types::CreateIModel {
        itwin_id: uuid(ITWIN_ID),
        name: "Sun City Renewable-energy Plant".into(),
        description: None,
        extent: None,
        template: Some(types::IModelTemplate {
            imodel_id: uuid(TEMPLATE_IMODEL_ID),
            changeset_id: Some(CHANGESET_ID.into()),
        }),
        baseline_file: None,
        containers_enabled: Some(0),
        creation_mode: Some(types::IModelCreationMode::FromIModelVersion),
        geographic_coordinate_system: Some(types::GeographicCoordinateSystem {
            horizontal_crs_id: "EPSG:2056".into(),
        }),
    };
    let response = client(&server)
        .create_imodel(body)
        .send()
        .await
        .expect("CreateIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: BASE_PATH,
            query: None,
            body: Some(json!({
                "iTwinId": ITWIN_ID,
                "name": "Sun City Renewable-energy Plant",
                "template": { "iModelId": TEMPLATE_IMODEL_ID, "changesetId": CHANGESET_ID },
                "containersEnabled": 0,
                "creationMode": "fromIModelVersion",
                "geographicCoordinateSystem": { "horizontalCRSId": "EPSG:2056" }
            })),
            prefer: None,
        },
    );
    assert_sun_city_imodel(&response.imodel, IModelState::Initialized);
}

#[tokio::test]
async fn get_imodel() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(200, json!({ "iModel": imodel_json("initialized") })),
    )
    .await;

    let response = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path(""),
            query: None,
            body: None,
            prefer: None,
        },
    );
    assert_sun_city_imodel(&response.imodel, IModelState::Initialized);
}

#[tokio::test]
async fn delete_imodel() {
    let server = MockServer::start().await;
    mount(
        &server,
        "DELETE",
        &imodel_path(""),
        ResponseTemplate::new(204),
    )
    .await;

    client(&server)
        .delete_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("DeleteIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "DELETE",
            path: &imodel_path(""),
            query: None,
            body: None,
            prefer: None,
        },
    );
}

#[tokio::test]
async fn update_imodel() {
    let server = MockServer::start().await;
    let mut updated = imodel_json("initialized");
    updated["name"] = json!("Sun City Plant");
    updated["displayName"] = json!("Sun City Plant");
    updated["description"] = Value::Null;
    updated["lastChangesetPushDateTime"] = json!("2021-03-04T12:00:05Z");
    mount(
        &server,
        "PATCH",
        &imodel_path(""),
        json_response(200, json!({ "iModel": updated })),
    )
    .await;

    let body = types::UpdateIModel {
        name: Some("Sun City Plant".into()),
        extent: Some(extent()),
        ..Default::default()
    };
    let response = client(&server)
        .update_imodel(uuid(IMODEL_ID), body)
        .send()
        .await
        .expect("UpdateIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &imodel_path(""),
            query: None,
            body: Some(json!({ "name": "Sun City Plant", "extent": extent_json() })),
            prefer: None,
        },
    );
    assert_eq!(response.imodel.id, uuid(IMODEL_ID));
    assert_eq!(response.imodel.name.as_deref(), Some("Sun City Plant"));
    assert_eq!(response.imodel.display_name, "Sun City Plant");
    assert_eq!(
        response.imodel.description, None,
        "a null description is None"
    );
    assert_eq!(
        response
            .imodel
            .last_changeset_push_date_time
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2021-03-04T12:00:05+00:00")
    );
}

#[tokio::test]
async fn clone_imodel_returns_the_location_header() {
    let server = MockServer::start().await;
    let location = format!("https://api.bentley.com/imodels/{NEW_IMODEL_ID}");
    mount(
        &server,
        "POST",
        &imodel_path("/clone"),
        ResponseTemplate::new(202).insert_header("Location", location.as_str()),
    )
    .await;

    let response = client(&server)
        .clone_imodel(uuid(IMODEL_ID), clone_body())
        .send()
        .await
        .expect("CloneIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/clone"),
            query: None,
            body: Some(json!({
                "iTwinId": ITWIN_ID,
                "name": "Sun City Renewable-energy Plant (copy)",
                "description": "Clone up to changeset 5",
                "changesetIndex": 5
            })),
            prefer: None,
        },
    );
    assert_eq!(response.location.as_deref(), Some(location.as_str()));
}

#[tokio::test]
async fn clone_imodel_without_location_header_is_none() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/clone"),
        ResponseTemplate::new(202),
    )
    .await;

    let response = client(&server)
        .clone_imodel(uuid(IMODEL_ID), clone_body())
        .send()
        .await
        .expect("CloneIModel succeeds");

    assert_eq!(response.location, None);
}

#[tokio::test]
async fn fork_imodel_returns_the_location_header() {
    let server = MockServer::start().await;
    let location = format!("https://api.bentley.com/iModels/{NEW_IMODEL_ID}");
    mount(
        &server,
        "POST",
        &imodel_path("/fork"),
        ResponseTemplate::new(202).insert_header("Location", location.as_str()),
    )
    .await;

    let response = client(&server)
        .fork_imodel(uuid(IMODEL_ID), fork_body())
        .send()
        .await
        .expect("ForkIModel succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/fork"),
            query: None,
            body: Some(json!({
                "iTwinId": ITWIN_ID,
                "name": "Sun City Renewable-energy Plant (fork)",
                "changesetId": CHANGESET_ID,
                "containersEnabled": 0,
                "preserveHistory": true
            })),
            prefer: None,
        },
    );
    assert_eq!(response.location.as_deref(), Some(location.as_str()));
}

#[tokio::test]
async fn get_imodel_create_operation_of_a_clone() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/operations/create"),
        json_response(
            200,
            json!({
                "createOperation": {
                    "state": "successful",
                    "clonedFrom": { "iModelId": TEMPLATE_IMODEL_ID, "changesetId": CHANGESET_ID },
                    "forkedFrom": null
                }
            }),
        ),
    )
    .await;

    let response = client(&server)
        .get_imodel_create_operation(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModelCreateOperation succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/operations/create"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    let operation = &response.create_operation;
    assert_eq!(operation.state, CreateOperationState::Successful);
    // `ClonedFrom` is response-only (`#[non_exhaustive]`): compared field by field.
    let cloned_from = operation.cloned_from.as_ref().expect("cloned from");
    assert_eq!(cloned_from.imodel_id, Some(uuid(TEMPLATE_IMODEL_ID)));
    assert_eq!(cloned_from.changeset_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(operation.forked_from, None);
}

#[tokio::test]
async fn get_imodel_create_operation_of_a_failed_fork() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/operations/create"),
        json_response(
            200,
            json!({
                "createOperation": {
                    "state": "mainIModelIsMissingFederationGuids",
                    "clonedFrom": null,
                    "forkedFrom": { "iModelId": TEMPLATE_IMODEL_ID, "changesetId": CHANGESET_ID, "relationshipId": "rel-1" }
                }
            }),
        ),
    )
    .await;

    let response = client(&server)
        .get_imodel_create_operation(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModelCreateOperation succeeds");

    let operation = &response.create_operation;
    assert_eq!(
        operation.state,
        CreateOperationState::MainIModelIsMissingFederationGuids
    );
    assert_eq!(operation.cloned_from, None);
    let forked = operation.forked_from.as_ref().expect("forkedFrom");
    assert_eq!(forked.imodel_id, Some(uuid(TEMPLATE_IMODEL_ID)));
    assert_eq!(forked.changeset_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(forked.relationship_id.as_deref(), Some("rel-1"));
}

#[tokio::test]
async fn get_imodels_documented_error() {
    check_documented_error(
        Op::GetIModels,
        404,
        "iTwinNotFound",
        ErrorCode::ITwinNotFound,
        "Requested iTwin is not available.",
    )
    .await;
}

#[tokio::test]
async fn create_imodel_documented_error() {
    check_documented_error(
        Op::CreateIModel,
        409,
        "iModelExists",
        ErrorCode::IModelExists,
        "iModel with the same name already exists within the iTwin.",
    )
    .await;
}

#[tokio::test]
async fn get_imodel_documented_error() {
    check_documented_error(
        Op::GetIModel,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn delete_imodel_documented_error() {
    check_documented_error(
        Op::DeleteIModel,
        403,
        "InsufficientPermissions",
        ErrorCode::InsufficientPermissions,
        "The user has insufficient permissions for the requested operation.",
    )
    .await;
}

#[tokio::test]
async fn update_imodel_documented_error() {
    check_documented_error(
        Op::UpdateIModel,
        409,
        "iModelExists",
        ErrorCode::IModelExists,
        "iModel with the same name already exists within the iTwin.",
    )
    .await;
}

#[tokio::test]
async fn clone_imodel_documented_error() {
    check_documented_error(
        Op::CloneIModel,
        422,
        "MutuallyExclusivePropertiesProvided",
        ErrorCode::MutuallyExclusivePropertiesProvided,
        "Properties 'changesetId' and 'changesetIndex' are mutually exclusive.",
    )
    .await;
}

#[tokio::test]
async fn fork_imodel_documented_error() {
    check_documented_error(
        Op::ForkIModel,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn get_imodel_create_operation_documented_error() {
    check_documented_error(
        Op::GetIModelCreateOperation,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn get_imodel_permissions_keeps_unknown_values() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/permissions"),
        // No wrapper property; the official client's own spelling of delete.
        json_response(
            200,
            json!({ "permissions": ["imodels_read", "imodels_write", "imodels-delete"] }),
        ),
    )
    .await;

    let response = client(&server)
        .get_imodel_permissions(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModelPermissions succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/permissions"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    assert_eq!(
        response.permissions,
        [
            types::IModelPermission::ImodelsRead,
            types::IModelPermission::ImodelsWrite,
            types::IModelPermission::Other("imodels-delete".into()),
        ]
    );
}

#[tokio::test]
async fn get_favorite_imodels_at_the_literal_path_with_prefer() {
    for minimal in [false, true] {
        let server = MockServer::start().await;
        let self_href = format!("https://api.bentley.com/imodels/favorites?iTwinId={ITWIN_ID}");
        mount(
            &server,
            "GET",
            &format!("{BASE_PATH}/favorites"),
            json_response(200, minimal_imodels_json(&self_href)),
        )
        .await;

        let client = client(&server);
        let first_id = if minimal {
            let page = client
                .get_favorite_imodels_minimal(uuid(ITWIN_ID))
                .top(10)
                .continuation_token("t1")
                .send()
                .await
                .expect("GetFavoriteIModels succeeds");
            page.imodels[0].id
        } else {
            let page = client
                .get_favorite_imodels(uuid(ITWIN_ID))
                .top(10)
                .continuation_token("t1")
                .send()
                .await
                .expect("GetFavoriteIModels succeeds");
            page.imodels[0].id
        };

        let query = format!("iTwinId={ITWIN_ID}&$top=10&$continuationToken=t1");
        assert_request(
            &only_request(&server).await,
            Sent {
                method: "GET",
                path: &format!("{BASE_PATH}/favorites"),
                query: Some(&query),
                body: None,
                prefer: Some(if minimal {
                    "return=minimal"
                } else {
                    "return=representation"
                }),
            },
        );
        assert_eq!(first_id, uuid(IMODEL_ID));
    }
}

#[tokio::test]
async fn add_and_remove_a_favorite_imodel() {
    for put in [true, false] {
        let server = MockServer::start().await;
        let full_path = format!("{BASE_PATH}/favorites/{IMODEL_ID}");
        let verb = if put { "PUT" } else { "DELETE" };
        mount(&server, verb, &full_path, ResponseTemplate::new(204)).await;

        let client = client(&server);
        if put {
            client.add_favorite_imodel(uuid(IMODEL_ID)).send().await
        } else {
            client.remove_favorite_imodel(uuid(IMODEL_ID)).send().await
        }
        .expect("the favorite call succeeds");

        assert_request(
            &only_request(&server).await,
            Sent {
                method: verb,
                path: &full_path,
                query: None,
                body: None,
                prefer: None,
            },
        );
    }
}

#[tokio::test]
async fn get_recent_imodels_at_the_literal_path() {
    let server = MockServer::start().await;
    let self_href = format!("https://api.bentley.com/imodels/recents?iTwinId={ITWIN_ID}");
    mount(
        &server,
        "GET",
        &format!("{BASE_PATH}/recents"),
        json_response(200, minimal_imodels_json(&self_href)),
    )
    .await;

    let page = client(&server)
        .get_recent_imodels_minimal(uuid(ITWIN_ID))
        .top(5)
        .send()
        .await
        .expect("GetRecentIModels succeeds");

    let query = format!("iTwinId={ITWIN_ID}&$top=5");
    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &format!("{BASE_PATH}/recents"),
            query: Some(&query),
            body: None,
            prefer: Some("return=minimal"),
        },
    );
    assert_eq!(
        page.imodels[0].display_name,
        "Sun City Renewable-energy Plant"
    );
}

#[tokio::test]
async fn add_recent_imodel_sends_an_empty_object_and_remove_sends_nothing() {
    let server = MockServer::start().await;
    let full_path = format!("{BASE_PATH}/recents/{IMODEL_ID}");
    mount(&server, "POST", &full_path, ResponseTemplate::new(204)).await;
    client(&server)
        .add_recent_imodel(uuid(IMODEL_ID), BTreeMap::new())
        .send()
        .await
        .expect("AddRecentIModel succeeds");
    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &full_path,
            query: None,
            body: Some(json!({})),
            prefer: None,
        },
    );

    let server = MockServer::start().await;
    mount(&server, "DELETE", &full_path, ResponseTemplate::new(204)).await;
    client(&server)
        .remove_recent_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("RemoveRecentIModel succeeds");
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
async fn get_imodel_permissions_documented_error() {
    check_documented_error(
        Op::GetIModelPermissions,
        401,
        "Unauthorized",
        ErrorCode::Unauthorized,
        "The access token is invalid.",
    )
    .await;
}

#[tokio::test]
async fn get_favorite_imodels_documented_error() {
    check_documented_error(
        Op::GetFavoriteIModels,
        404,
        "iTwinNotFound",
        ErrorCode::ITwinNotFound,
        "Requested iTwin is not available.",
    )
    .await;
}

#[tokio::test]
async fn add_favorite_imodel_documented_error() {
    check_documented_error(
        Op::AddFavoriteIModel,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn remove_favorite_imodel_documented_error() {
    check_documented_error(
        Op::RemoveFavoriteIModel,
        403,
        "InsufficientPermissions",
        ErrorCode::InsufficientPermissions,
        "The user has insufficient permissions for the requested operation.",
    )
    .await;
}

#[tokio::test]
async fn get_recent_imodels_documented_error() {
    check_documented_error(
        Op::GetRecentIModels,
        404,
        "iTwinNotFound",
        ErrorCode::ITwinNotFound,
        "Requested iTwin is not available.",
    )
    .await;
}

#[tokio::test]
async fn add_recent_imodel_documented_error() {
    check_documented_error(
        Op::AddRecentIModel,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}

#[tokio::test]
async fn remove_recent_imodel_documented_error() {
    check_documented_error(
        Op::RemoveRecentIModel,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
}
