//! Baseline files.

use super::*;

#[tokio::test]
async fn create_imodel_from_baseline_file() {
    let server = MockServer::start().await;
    let mut created = imodel_json("notInitialized");
    created["_links"]["upload"] = json!({ "href": "https://blob.example.net/baselines/5e19?sig=xyz", "storageType": "azure" });
    created["_links"]["complete"] = link(&format!(
        "https://api.bentley.com/imodels/{IMODEL_ID}/baselinefile"
    ));
    mount(
        &server,
        "POST",
        BASE_PATH,
        json_response(201, json!({ "iModel": created })),
    )
    .await;

    let response = client(&server)
        .create_imodel(create_imodel_body())
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
                "description": "Overall model of wind and solar farms in Sun City",
                "extent": extent_json(),
                "baselineFile": { "size": 12003548 },
                "creationMode": "fromBaseline"
            })),
            prefer: None,
        },
    );
    let imodel = &response.imodel;
    assert_eq!(imodel.id, uuid(IMODEL_ID));
    assert_eq!(imodel.state, Some(IModelState::NotInitialized));
    assert_eq!(imodel.extent, Some(extent()));
    let links = imodel.links.as_ref().expect("_links");
    assert_eq!(
        storage_href(&links.upload),
        Some((
            "https://blob.example.net/baselines/5e19?sig=xyz",
            Some("azure")
        ))
    );
    assert_eq!(
        href(&links.complete),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/baselinefile").as_str())
    );
}

#[tokio::test]
async fn get_baseline_file() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/baselinefile"),
        json_response(
            200,
            json!({
                "baselineFile": {
                    "id": "c1d2e3f4-baseline",
                    "displayName": "SunCity.bim",
                    "fileSize": 12003548,
                    "state": "initialized",
                    "_links": {
                        "creator": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")),
                        "download": { "href": "https://blob.example.net/baselines/5e19?sig=down", "storageType": "google" }
                    }
                }
            }),
        ),
    )
    .await;

    let response = client(&server)
        .get_baseline_file(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetBaselineFile succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/baselinefile"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    let file = &response.baseline_file;
    assert_eq!(file.id, "c1d2e3f4-baseline");
    assert_eq!(file.display_name.as_deref(), Some("SunCity.bim"));
    assert_eq!(file.file_size, Some(12003548));
    assert_eq!(file.state, BaselineFileState::Initialized);
    let links = file.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.creator),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
    assert_eq!(
        storage_href(&links.download),
        Some((
            "https://blob.example.net/baselines/5e19?sig=down",
            Some("google")
        ))
    );
}

#[tokio::test]
async fn complete_baseline_file_upload_sends_an_empty_object() {
    let server = MockServer::start().await;
    mount(
        &server,
        "POST",
        &imodel_path("/baselinefile"),
        json_response(
            200,
            json!({
                "baselineFile": {
                    "id": "c1d2e3f4-baseline",
                    "displayName": "SunCity.bim",
                    "fileSize": 12003548,
                    "state": "initializationScheduled",
                    "_links": { "creator": null, "download": null }
                }
            }),
        ),
    )
    .await;

    let response = client(&server)
        .complete_baseline_file_upload(uuid(IMODEL_ID), BTreeMap::new())
        .send()
        .await
        .expect("CompleteBaselineFileUpload succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "POST",
            path: &imodel_path("/baselinefile"),
            query: None,
            body: Some(json!({})),
            prefer: None,
        },
    );
    let file = &response.baseline_file;
    assert_eq!(file.state, BaselineFileState::InitializationScheduled);
    assert_eq!(file.links, Some(types::BaselineFileLinks::default()));
}

#[tokio::test]
async fn get_baseline_file_documented_error() {
    check_documented_error(
        Op::GetBaselineFile,
        404,
        "BaselineFileNotFound",
        ErrorCode::BaselineFileNotFound,
        "Requested Baseline File is not available.",
    )
    .await;
}

#[tokio::test]
async fn complete_baseline_file_upload_documented_error() {
    check_documented_error(
        Op::CompleteBaselineFileUpload,
        422,
        "InvalidiModelsRequest",
        ErrorCode::InvalidiModelsRequest,
        "Baseline File was not uploaded.",
    )
    .await;
}
