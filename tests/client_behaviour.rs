//! Behaviour tests for the generated iModels client (`imodels-client`),
//! run against a local wiremock server.
//!
//! Every operation has a success test that checks the exact request the server
//! received (method, path, query string, headers, JSON body) and the typed
//! response, and an error test that checks the documented error body is
//! decoded. The tests at the end cover the cross-cutting behaviour: rate
//! limits, unknown enum values, undecodable bodies, percent-encoding,
//! credentials and secrecy.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use imodels_client::types::{
    self, BaselineFileState, ChangesetState, CreateOperationState, ErrorCode, IModelState,
    LockLevel, NamedVersionState, UpdateChangesetState,
};
use imodels_client::{BoxError, Client, Error, ErrorBody};
use serde_json::{json, Value};
use tests::imodels::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

// ---------------------------------------------------------------------------
// Shared fixtures and helpers
// ---------------------------------------------------------------------------

const TOKEN: &str = "test-token";

const NEW_IMODEL_ID: &str = "9f2b1b43-0a0e-4e4f-8c7d-7b3c0a8f5e21";

/// The collection path, under the base URL's own path.
const BASE_PATH: &str = "/imodels";

/// `/imodels/{IMODEL_ID}` followed by `suffix`.
fn imodel_path(suffix: &str) -> String {
    format!("{BASE_PATH}/{IMODEL_ID}{suffix}")
}

fn base_url(server: &MockServer) -> String {
    format!("{}{BASE_PATH}", server.uri())
}

/// A client for `server`, with the base URL's path `/imodels` and a static token.
/// A client for `server` that sends each request once: these tests pin what
/// one exchange does; `tests/client_runtime.rs` covers retries.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(base_url(server))
        .bearer_token(TOKEN)
        .retry_policy(imodels_client::RetryPolicy::never())
        .build()
        .expect("the client builds")
}

fn json_response(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// Mounts a mock that answers `http_method full_path` once.
async fn mount(
    server: &MockServer,
    http_method: &str,
    full_path: &str,
    response: ResponseTemplate,
) {
    Mock::given(method(http_method))
        .and(path(full_path))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:#?}"
    );
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request
        .headers
        .get(name)
        .map(|value| value.to_str().expect("the header value is visible ASCII"))
}

/// What a request must look like, exactly.
struct Sent<'a> {
    method: &'a str,
    path: &'a str,
    /// The whole raw query string, `None` when the URL has none.
    query: Option<&'a str>,
    /// The JSON body; `None` means no body and no `Content-Type`.
    body: Option<Value>,
    /// The `Prefer` header; `None` means the header is absent.
    prefer: Option<&'a str>,
}

fn assert_request(request: &Request, expected: Sent<'_>) {
    assert_eq!(request.method.as_str(), expected.method, "method");
    assert_eq!(request.url.path(), expected.path, "path");
    assert_eq!(request.url.query(), expected.query, "query string");
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "Authorization"
    );
    assert_eq!(header(request, "accept"), Some(ACCEPT), "Accept");
    assert_eq!(
        request.headers.get_all("accept").iter().count(),
        1,
        "a single Accept header"
    );
    assert_eq!(header(request, "prefer"), expected.prefer, "Prefer");
    match expected.body {
        Some(body) => {
            assert_eq!(
                header(request, "content-type"),
                Some("application/json"),
                "Content-Type"
            );
            let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
                panic!(
                    "the body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&request.body)
                )
            });
            assert_eq!(sent, body, "JSON body");
        }
        None => {
            assert!(
                request.body.is_empty(),
                "no body expected, got {}",
                String::from_utf8_lossy(&request.body)
            );
            assert_eq!(
                header(request, "content-type"),
                None,
                "no Content-Type without a body"
            );
        }
    }
}

/// Asserts `err` is an `Error::Api` with `status` whose body decoded to the
/// documented error schema with `code` and `message`; returns the details.
fn assert_api_error(
    err: &Error,
    status: u16,
    code: ErrorCode,
    message: &str,
) -> types::ErrorDetails {
    let Error::Api(api) = err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.status, status, "status");
    assert_eq!(err.status(), Some(status), "Error::status()");
    match &api.body {
        ErrorBody::Error(body) => {
            assert_eq!(body.error.code, code, "error code");
            assert_eq!(
                body.error.message.as_deref(),
                Some(message),
                "error message"
            );
            body.error.clone()
        }
        other => panic!("expected ErrorBody::Error, got {other:?}"),
    }
}

fn error_json(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message } })
}

fn link(href: &str) -> Value {
    json!({ "href": href })
}

fn href(link: &Option<types::Link>) -> Option<&str> {
    link.as_ref().map(|l| l.href.as_str())
}

fn storage_href(link: &Option<types::StorageLink>) -> Option<(&str, Option<&str>)> {
    link.as_ref()
        .map(|l| (l.href.as_str(), l.storage_type.as_deref()))
}

fn extent() -> types::Extent {
    types::Extent {
        south_west: types::Point {
            latitude: 46.13267702834806,
            longitude: 7.672120009938448,
        },
        north_east: types::Point {
            latitude: 46.302763954781234,
            longitude: 7.835541640797823,
        },
    }
}

fn extent_json() -> Value {
    json!({
        "southWest": { "latitude": 46.13267702834806, "longitude": 7.672120009938448 },
        "northEast": { "latitude": 46.302763954781234, "longitude": 7.835541640797823 }
    })
}

/// The full iModel of the spec's CreateIModel example, with `state`.
fn imodel_json(state: &str) -> Value {
    json!({
        "id": IMODEL_ID,
        "displayName": "Sun City Renewable-energy Plant",
        "dataCenterLocation": "East US",
        "name": "Sun City Renewable-energy Plant",
        "description": "Overall model of wind and solar farms in Sun City",
        "state": state,
        "createdDateTime": "2020-10-20T10:51:33.1700000Z",
        "iTwinId": ITWIN_ID,
        "isSecured": false,
        "extent": extent_json(),
        "containersEnabled": 0,
        "lastChangesetPushDateTime": null,
        "_links": {
            "creator": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")),
            "changesets": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets")),
            "namedVersions": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/namedversions")),
            "upload": null,
            "complete": null
        }
    })
}

/// Checks the iModel of [`imodel_json`].
fn assert_sun_city_imodel(imodel: &types::IModel, state: IModelState) {
    assert_eq!(imodel.id, uuid(IMODEL_ID));
    assert_eq!(imodel.display_name, "Sun City Renewable-energy Plant");
    assert_eq!(
        imodel.name.as_deref(),
        Some("Sun City Renewable-energy Plant")
    );
    assert_eq!(
        imodel.description.as_deref(),
        Some("Overall model of wind and solar farms in Sun City")
    );
    assert_eq!(imodel.state, Some(state));
    assert_eq!(imodel.itwin_id, Some(uuid(ITWIN_ID)));
    assert_eq!(
        imodel.created_date_time.map(|t| t.to_rfc3339()).as_deref(),
        Some("2020-10-20T10:51:33.170+00:00")
    );
    assert_eq!(imodel.data_center_location.as_deref(), Some("East US"));
    assert_eq!(imodel.is_secured, Some(false));
    assert_eq!(imodel.extent, Some(extent()));
    assert_eq!(imodel.containers_enabled, Some(0));
    assert_eq!(imodel.last_changeset_push_date_time, None);
    assert_eq!(imodel.creator_id, None);
    let links = imodel.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.creator),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
    assert_eq!(
        href(&links.changesets),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets").as_str())
    );
    assert_eq!(
        href(&links.named_versions),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/namedversions").as_str())
    );
    assert_eq!(links.upload, None);
    assert_eq!(links.complete, None);
}

fn create_imodel_body() -> types::CreateIModel {
    types::CreateIModel {
        itwin_id: uuid(ITWIN_ID),
        name: "Sun City Renewable-energy Plant".into(),
        description: Some("Overall model of wind and solar farms in Sun City".into()),
        extent: Some(extent()),
        template: None,
        baseline_file: Some(types::BaselineFileSize { size: 12003548 }),
        containers_enabled: None,
        creation_mode: Some(types::IModelCreationMode::FromBaseline),
        geographic_coordinate_system: None,
    }
}

fn clone_body() -> types::CloneIModel {
    types::CloneIModel {
        itwin_id: uuid(ITWIN_ID),
        name: Some("Sun City Renewable-energy Plant (copy)".into()),
        changeset_id: None,
        description: Some("Clone up to changeset 5".into()),
        changeset_index: Some(5),
        containers_enabled: None,
    }
}

fn fork_body() -> types::ForkIModel {
    types::ForkIModel {
        itwin_id: uuid(ITWIN_ID),
        name: Some("Sun City Renewable-energy Plant (fork)".into()),
        changeset_id: Some(CHANGESET_ID.into()),
        description: None,
        changeset_index: None,
        containers_enabled: Some(0),
        preserve_history: Some(true),
    }
}

fn update_changeset_body() -> types::UpdateChangeset {
    types::UpdateChangeset {
        state: UpdateChangesetState::FileUploaded,
        briefcase_id: 2,
    }
}

fn create_named_version_body() -> types::CreateNamedVersion {
    types::CreateNamedVersion {
        name: "Milestone 1".into(),
        description: Some("Design review".into()),
        changeset_id: Some(CHANGESET_ID.into()),
    }
}

fn update_locks_body() -> types::UpdateLocks {
    types::UpdateLocks {
        briefcase_id: 2,
        changeset_id: Some(CHANGESET_ID.into()),
        locked_objects: Some(vec![
            types::LockedObjects {
                lock_level: LockLevel::Exclusive,
                object_ids: vec!["0x20000000001".into(), "0x20000000002".into()],
            },
            types::LockedObjects {
                lock_level: LockLevel::None,
                object_ids: vec!["0x1".into()],
            },
        ]),
    }
}

fn changeset_json(state: &str) -> Value {
    json!({
        "id": CHANGESET_ID,
        "displayName": "12",
        "description": "Added the solar farm",
        "index": 12,
        "parentId": PARENT_CHANGESET_ID,
        "creatorId": USER_ID,
        "pushDateTime": "2021-03-04T12:00:05.123Z",
        "state": state,
        "containingChanges": 4,
        "fileSize": 4567,
        "briefcaseId": 2,
        "groupId": null,
        "application": { "id": "imodel-bridge-administrator", "name": "iTwin Synchronizer" },
        "synchronizationInfo": { "taskId": "f2b9c1a0-task", "changedFiles": ["SolarFarm.dgn"] },
        "_links": {
            "self": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/12")),
            "creator": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")),
            "namedVersion": null,
            "currentOrPrecedingCheckpoint": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/10/checkpoint")),
            "download": { "href": "https://blob.example.net/changesets/12?sig=abc", "storageType": "azure" },
            "upload": null,
            "complete": null
        }
    })
}

fn assert_changeset_12(changeset: &types::Changeset, state: ChangesetState) {
    assert_eq!(changeset.id, CHANGESET_ID);
    assert_eq!(changeset.display_name, "12");
    assert_eq!(
        changeset.description.as_deref(),
        Some("Added the solar farm")
    );
    assert_eq!(changeset.index, 12);
    assert_eq!(changeset.parent_id.as_deref(), Some(PARENT_CHANGESET_ID));
    assert_eq!(changeset.creator_id, Some(uuid(USER_ID)));
    assert_eq!(
        changeset.push_date_time.map(|t| t.to_rfc3339()).as_deref(),
        Some("2021-03-04T12:00:05.123+00:00")
    );
    assert_eq!(changeset.state, Some(state));
    assert_eq!(changeset.containing_changes, Some(4));
    assert_eq!(changeset.file_size, Some(4567));
    assert_eq!(changeset.briefcase_id, Some(2));
    assert_eq!(changeset.group_id, None);
    let application = changeset.application.as_ref().expect("application");
    assert_eq!(
        application.id.as_deref(),
        Some("imodel-bridge-administrator")
    );
    assert_eq!(application.name.as_deref(), Some("iTwin Synchronizer"));
    let sync = changeset
        .synchronization_info
        .as_ref()
        .expect("synchronizationInfo");
    assert_eq!(sync.task_id, "f2b9c1a0-task");
    assert_eq!(sync.changed_files, Some(vec!["SolarFarm.dgn".to_string()]));
    let links = changeset.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.self_),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/12").as_str())
    );
    assert_eq!(links.named_version, None);
    assert_eq!(
        href(&links.current_or_preceding_checkpoint),
        Some(
            format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/10/checkpoint")
                .as_str()
        )
    );
    assert_eq!(
        storage_href(&links.download),
        Some((
            "https://blob.example.net/changesets/12?sig=abc",
            Some("azure")
        ))
    );
    let shown = format!("{links:?}");
    assert!(
        shown.contains("href: \"https://blob.example.net/changesets/12?<redacted>\""),
        "{shown}"
    );
    assert!(!shown.contains("sig="), "{shown}");
}

fn named_version_json() -> Value {
    json!({
        "id": NAMED_VERSION_ID,
        "displayName": "Milestone 1",
        "name": "Milestone 1",
        "description": "Design review",
        "changesetId": CHANGESET_ID,
        "changesetIndex": 12,
        "createdDateTime": "2021-03-05T08:30:00Z",
        "state": "visible",
        "application": { "id": "imodels-web", "name": "iModels Web" },
        "_links": {
            "creator": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")),
            "changeset": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/{CHANGESET_ID}"))
        }
    })
}

fn assert_milestone_1(version: &types::NamedVersion) {
    assert_eq!(version.id, uuid(NAMED_VERSION_ID));
    assert_eq!(version.display_name, "Milestone 1");
    assert_eq!(version.name.as_deref(), Some("Milestone 1"));
    assert_eq!(version.description.as_deref(), Some("Design review"));
    assert_eq!(version.changeset_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(version.changeset_index, Some(12));
    assert_eq!(
        version.created_date_time.map(|t| t.to_rfc3339()).as_deref(),
        Some("2021-03-05T08:30:00+00:00")
    );
    assert_eq!(version.state, Some(NamedVersionState::Visible));
    assert_eq!(
        version.application.as_ref().and_then(|a| a.name.as_deref()),
        Some("iModels Web")
    );
    let links = version.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.creator),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
    assert_eq!(
        href(&links.changeset),
        Some(
            format!("https://api.bentley.com/imodels/{IMODEL_ID}/changesets/{CHANGESET_ID}")
                .as_str()
        )
    );
}

fn briefcase_json() -> Value {
    json!({
        "id": "2",
        "displayName": "WORKSTATION-42 briefcase 2",
        "briefcaseId": 2,
        "ownerId": USER_ID,
        "acquiredDateTime": "2021-03-06T09:15:00Z",
        "fileSize": 1048576,
        "deviceName": "WORKSTATION-42",
        "application": { "id": "itwin-desktop", "name": "iTwin Desktop" },
        "_links": {
            "owner": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")),
            "checkpoint": null
        }
    })
}

fn assert_briefcase_2(briefcase: &types::Briefcase) {
    assert_eq!(briefcase.id, "2");
    assert_eq!(briefcase.display_name, "WORKSTATION-42 briefcase 2");
    assert_eq!(briefcase.briefcase_id, Some(2));
    assert_eq!(briefcase.owner_id.as_deref(), Some(USER_ID));
    assert_eq!(
        briefcase
            .acquired_date_time
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2021-03-06T09:15:00+00:00")
    );
    assert_eq!(briefcase.file_size, Some(1048576));
    assert_eq!(briefcase.device_name.as_deref(), Some("WORKSTATION-42"));
    assert_eq!(
        briefcase.application.as_ref().and_then(|a| a.id.as_deref()),
        Some("itwin-desktop")
    );
    let links = briefcase.links.as_ref().expect("_links");
    assert_eq!(
        href(&links.owner),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
    assert_eq!(links.checkpoint, None);
}

fn user_json() -> Value {
    json!({
        "id": USER_ID,
        "displayName": "Jane Doe",
        "givenName": "Jane",
        "surname": "Doe",
        "email": "jane.doe@example.com",
        "statistics": {
            "pushedChangesetsCount": 12,
            "lastChangesetPushDate": "2021-03-04T12:00:05Z",
            "createdVersionsCount": 1,
            "briefcasesCount": 2,
            "applications": [
                { "id": "itwin-desktop", "name": "iTwin Desktop", "ownsLocks": true, "ownsExclusiveRootElementLock": false },
                { "id": null, "name": null, "ownsLocks": false, "ownsExclusiveRootElementLock": false }
            ]
        },
        "_links": { "self": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")) }
    })
}

fn assert_jane_doe(user: &types::User) {
    assert_eq!(user.id, uuid(USER_ID));
    assert_eq!(user.display_name, "Jane Doe");
    assert_eq!(user.given_name.as_deref(), Some("Jane"));
    assert_eq!(user.surname.as_deref(), Some("Doe"));
    assert_eq!(user.email.as_deref(), Some("jane.doe@example.com"));
    let stats = user.statistics.as_ref().expect("statistics");
    assert_eq!(stats.pushed_changesets_count, Some(12));
    assert_eq!(
        stats
            .last_changeset_push_date
            .map(|t| t.to_rfc3339())
            .as_deref(),
        Some("2021-03-04T12:00:05+00:00")
    );
    assert_eq!(stats.created_versions_count, Some(1));
    assert_eq!(stats.briefcases_count, Some(2));
    let apps = stats.applications.as_ref().expect("applications");
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[0].id.as_deref(), Some("itwin-desktop"));
    assert_eq!(apps[0].owns_locks, Some(true));
    assert_eq!(apps[0].owns_exclusive_root_element_lock, Some(false));
    assert_eq!(apps[1].id, None);
    assert_eq!(apps[1].name, None);
    assert_eq!(
        href(&user.links.as_ref().expect("_links").self_),
        Some(format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}").as_str())
    );
}

fn paging_json(self_href: &str, next: Option<&str>) -> Value {
    json!({
        "self": link(self_href),
        "prev": null,
        "next": next.map(link)
    })
}

// ---------------------------------------------------------------------------
// Success: one test per operation
// ---------------------------------------------------------------------------

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
async fn get_thumbnail_returns_the_png_bytes_exactly() {
    let server = MockServer::start().await;
    // A PNG signature, an IHDR chunk header and bytes that are not UTF-8.
    let png: Vec<u8> = vec![
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x08, 0x06, 0x00, 0x00, 0x00, 0xFF,
        0xFE, 0x00,
    ];
    mount(
        &server,
        "GET",
        &imodel_path("/thumbnail"),
        ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"),
    )
    .await;

    let bytes: bytes::Bytes = client(&server)
        .get_thumbnail(uuid(IMODEL_ID))
        .size("large".into())
        .send()
        .await
        .expect("GetThumbnail succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/thumbnail"),
            query: Some("size=large"),
            body: None,
            prefer: None,
        },
    );
    assert_eq!(bytes, bytes::Bytes::from(png));
}

#[tokio::test]
async fn get_thumbnail_default_size_sends_no_query() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path("/thumbnail"),
        ResponseTemplate::new(200).set_body_raw(vec![0x89, b'P', b'N', b'G'], "image/png"),
    )
    .await;

    let bytes = client(&server)
        .get_thumbnail(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetThumbnail succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &imodel_path("/thumbnail"),
            query: None,
            body: None,
            prefer: None,
        },
    );
    assert_eq!(&bytes[..], &[0x89, b'P', b'N', b'G']);
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

// ---------------------------------------------------------------------------
// Documented errors: one test per operation
// ---------------------------------------------------------------------------

/// Every operation, to call each one the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    GetIModels,
    CreateIModel,
    GetIModel,
    DeleteIModel,
    UpdateIModel,
    CloneIModel,
    ForkIModel,
    GetChangesets,
    CreateChangeset,
    GetChangeset,
    UpdateChangeset,
    GetNamedVersions,
    CreateNamedVersion,
    GetNamedVersion,
    GetBriefcases,
    AcquireBriefcase,
    GetLocks,
    UpdateLocks,
    GetIModelUsers,
    GetIModelUser,
    GetThumbnail,
    GetBaselineFile,
    CompleteBaselineFileUpload,
    GetIModelCreateOperation,
    // The operations the vendor's document lacks (spec/overlays/endpoints.yaml).
    GetChangesetsExtendedData,
    GetChangesetExtendedData,
    CreateChangesetExtendedData,
    GetChangesetGroups,
    GetChangesetGroup,
    CreateChangesetGroup,
    UpdateChangesetGroup,
    UpdateNamedVersion,
    GetChangesetCheckpoint,
    GetNamedVersionCheckpoint,
    GetLatestCheckpoint,
    RescheduleNamedVersionCheckpoint,
    UploadThumbnail,
    GetIModelPermissions,
    GetBriefcase,
    ReleaseBriefcase,
    ReleaseLocksChunk,
    GetReleasedLocks,
    GetFavoriteIModels,
    AddFavoriteIModel,
    RemoveFavoriteIModel,
    GetRecentIModels,
    AddRecentIModel,
    RemoveRecentIModel,
}

impl Op {
    const ALL: [Op; 48] = [
        Op::GetIModels,
        Op::CreateIModel,
        Op::GetIModel,
        Op::DeleteIModel,
        Op::UpdateIModel,
        Op::CloneIModel,
        Op::ForkIModel,
        Op::GetChangesets,
        Op::CreateChangeset,
        Op::GetChangeset,
        Op::UpdateChangeset,
        Op::GetNamedVersions,
        Op::CreateNamedVersion,
        Op::GetNamedVersion,
        Op::GetBriefcases,
        Op::AcquireBriefcase,
        Op::GetLocks,
        Op::UpdateLocks,
        Op::GetIModelUsers,
        Op::GetIModelUser,
        Op::GetThumbnail,
        Op::GetBaselineFile,
        Op::CompleteBaselineFileUpload,
        Op::GetIModelCreateOperation,
        Op::GetChangesetsExtendedData,
        Op::GetChangesetExtendedData,
        Op::CreateChangesetExtendedData,
        Op::GetChangesetGroups,
        Op::GetChangesetGroup,
        Op::CreateChangesetGroup,
        Op::UpdateChangesetGroup,
        Op::UpdateNamedVersion,
        Op::GetChangesetCheckpoint,
        Op::GetNamedVersionCheckpoint,
        Op::GetLatestCheckpoint,
        Op::RescheduleNamedVersionCheckpoint,
        Op::UploadThumbnail,
        Op::GetIModelPermissions,
        Op::GetBriefcase,
        Op::ReleaseBriefcase,
        Op::ReleaseLocksChunk,
        Op::GetReleasedLocks,
        Op::GetFavoriteIModels,
        Op::AddFavoriteIModel,
        Op::RemoveFavoriteIModel,
        Op::GetRecentIModels,
        Op::AddRecentIModel,
        Op::RemoveRecentIModel,
    ];

    /// The operationId, as `ApiError::operation` reports it: with the
    /// representation a listing of `x-variants` asks for (`send()` of the
    /// default one, `representation`).
    fn id(self) -> &'static str {
        match self {
            Op::GetIModels => "GetIModels (representation)",
            Op::CreateIModel => "CreateIModel",
            Op::GetIModel => "GetIModel",
            Op::DeleteIModel => "DeleteIModel",
            Op::UpdateIModel => "UpdateIModel",
            Op::CloneIModel => "CloneIModel",
            Op::ForkIModel => "ForkIModel",
            Op::GetChangesets => "GetChangesets (representation)",
            Op::CreateChangeset => "CreateChangeset",
            Op::GetChangeset => "GetChangeset",
            Op::UpdateChangeset => "UpdateChangeset",
            Op::GetNamedVersions => "GetNamedVersions (representation)",
            Op::CreateNamedVersion => "CreateNamedVersion",
            Op::GetNamedVersion => "GetNamedVersion",
            Op::GetBriefcases => "GetBriefcases (representation)",
            Op::AcquireBriefcase => "AcquireBriefcase",
            Op::GetLocks => "GetLocks",
            Op::UpdateLocks => "UpdateLocks",
            Op::GetIModelUsers => "GetIModelUsers (representation)",
            Op::GetIModelUser => "GetIModelUser",
            Op::GetThumbnail => "GetThumbnail",
            Op::GetBaselineFile => "GetBaselineFile",
            Op::CompleteBaselineFileUpload => "CompleteBaselineFileUpload",
            Op::GetIModelCreateOperation => "GetIModelCreateOperation",
            Op::GetChangesetsExtendedData => "GetChangesetsExtendedData",
            Op::GetChangesetExtendedData => "GetChangesetExtendedData",
            Op::CreateChangesetExtendedData => "CreateChangesetExtendedData",
            Op::GetChangesetGroups => "GetChangesetGroups",
            Op::GetChangesetGroup => "GetChangesetGroup",
            Op::CreateChangesetGroup => "CreateChangesetGroup",
            Op::UpdateChangesetGroup => "UpdateChangesetGroup",
            Op::UpdateNamedVersion => "UpdateNamedVersion",
            Op::GetChangesetCheckpoint => "GetChangesetCheckpoint",
            Op::GetNamedVersionCheckpoint => "GetNamedVersionCheckpoint",
            Op::GetLatestCheckpoint => "GetLatestCheckpoint",
            Op::RescheduleNamedVersionCheckpoint => "RescheduleNamedVersionCheckpoint",
            Op::UploadThumbnail => "UploadThumbnail",
            Op::GetIModelPermissions => "GetIModelPermissions",
            Op::GetBriefcase => "GetBriefcase",
            Op::ReleaseBriefcase => "ReleaseBriefcase",
            Op::ReleaseLocksChunk => "ReleaseLocksChunk",
            Op::GetReleasedLocks => "GetReleasedLocks",
            Op::GetFavoriteIModels => "GetFavoriteIModels (representation)",
            Op::AddFavoriteIModel => "AddFavoriteIModel",
            Op::RemoveFavoriteIModel => "RemoveFavoriteIModel",
            Op::GetRecentIModels => "GetRecentIModels (representation)",
            Op::AddRecentIModel => "AddRecentIModel",
            Op::RemoveRecentIModel => "RemoveRecentIModel",
        }
    }

    /// The method and the path relative to the base URL.
    fn route(self) -> (&'static str, String) {
        let imodel = |suffix: &str| format!("/{IMODEL_ID}{suffix}");
        match self {
            Op::GetIModels => ("GET", "/".into()),
            Op::CreateIModel => ("POST", "/".into()),
            Op::GetIModel => ("GET", imodel("")),
            Op::DeleteIModel => ("DELETE", imodel("")),
            Op::UpdateIModel => ("PATCH", imodel("")),
            Op::CloneIModel => ("POST", imodel("/clone")),
            Op::ForkIModel => ("POST", imodel("/fork")),
            Op::GetChangesets => ("GET", imodel("/changesets")),
            Op::CreateChangeset => ("POST", imodel("/changesets")),
            Op::GetChangeset => ("GET", imodel(&format!("/changesets/{CHANGESET_ID}"))),
            Op::UpdateChangeset => ("PATCH", imodel(&format!("/changesets/{CHANGESET_ID}"))),
            Op::GetNamedVersions => ("GET", imodel("/namedversions")),
            Op::CreateNamedVersion => ("POST", imodel("/namedversions")),
            Op::GetNamedVersion => ("GET", imodel(&format!("/namedversions/{NAMED_VERSION_ID}"))),
            Op::GetBriefcases => ("GET", imodel("/briefcases")),
            Op::AcquireBriefcase => ("POST", imodel("/briefcases")),
            Op::GetLocks => ("GET", imodel("/locks")),
            Op::UpdateLocks => ("PATCH", imodel("/locks")),
            Op::GetIModelUsers => ("GET", imodel("/users")),
            Op::GetIModelUser => ("GET", imodel(&format!("/users/{USER_ID}"))),
            Op::GetThumbnail => ("GET", imodel("/thumbnail")),
            Op::GetBaselineFile => ("GET", imodel("/baselinefile")),
            Op::CompleteBaselineFileUpload => ("POST", imodel("/baselinefile")),
            Op::GetIModelCreateOperation => ("GET", imodel("/operations/create")),
            Op::GetChangesetsExtendedData => ("GET", imodel("/changesets/extendeddata")),
            Op::GetChangesetExtendedData => ("GET", imodel("/changesets/12/extendeddata")),
            Op::CreateChangesetExtendedData => ("POST", imodel("/changesets/12/extendeddata")),
            Op::GetChangesetGroups => ("GET", imodel("/changesetgroups")),
            Op::GetChangesetGroup => ("GET", imodel(&format!("/changesetgroups/{GROUP_ID}"))),
            Op::CreateChangesetGroup => ("POST", imodel("/changesetgroups")),
            Op::UpdateChangesetGroup => ("PATCH", imodel(&format!("/changesetgroups/{GROUP_ID}"))),
            Op::UpdateNamedVersion => (
                "PATCH",
                imodel(&format!("/namedversions/{NAMED_VERSION_ID}")),
            ),
            Op::GetChangesetCheckpoint => ("GET", imodel("/changesets/12/checkpoint")),
            Op::GetNamedVersionCheckpoint => (
                "GET",
                imodel(&format!("/namedversions/{NAMED_VERSION_ID}/checkpoint")),
            ),
            Op::GetLatestCheckpoint => ("GET", imodel("/briefcases/checkpoint")),
            Op::RescheduleNamedVersionCheckpoint => (
                "PUT",
                imodel(&format!("/namedversions/{NAMED_VERSION_ID}/checkpoint")),
            ),
            Op::UploadThumbnail => ("PUT", imodel("/thumbnail")),
            Op::GetIModelPermissions => ("GET", imodel("/permissions")),
            Op::GetBriefcase => ("GET", imodel("/briefcases/2")),
            Op::ReleaseBriefcase => ("DELETE", imodel("/briefcases/2")),
            Op::ReleaseLocksChunk => ("POST", imodel("/locks/release-chunk")),
            Op::GetReleasedLocks => ("GET", imodel("/locks/released-locks")),
            Op::GetFavoriteIModels => ("GET", "/favorites".into()),
            Op::AddFavoriteIModel => ("PUT", format!("/favorites/{IMODEL_ID}")),
            Op::RemoveFavoriteIModel => ("DELETE", format!("/favorites/{IMODEL_ID}")),
            Op::GetRecentIModels => ("GET", "/recents".into()),
            Op::AddRecentIModel => ("POST", format!("/recents/{IMODEL_ID}")),
            Op::RemoveRecentIModel => ("DELETE", format!("/recents/{IMODEL_ID}")),
        }
    }

    /// The path the server sees: the base URL's path, and no trailing
    /// slash for the collection.
    fn server_path(self) -> String {
        match self.route().1.as_str() {
            "/" => BASE_PATH.to_string(),
            relative => format!("{BASE_PATH}{relative}"),
        }
    }

    /// Calls the operation with its required parameters, discarding the result.
    async fn call(self, client: &Client) -> Result<(), Error> {
        let imodel = uuid(IMODEL_ID);
        match self {
            Op::GetIModels => client.get_imodels(uuid(ITWIN_ID)).send().await.map(drop),
            Op::CreateIModel => client
                .create_imodel(create_imodel_body())
                .send()
                .await
                .map(drop),
            Op::GetIModel => client.get_imodel(imodel).send().await.map(drop),
            Op::DeleteIModel => client.delete_imodel(imodel).send().await,
            Op::UpdateIModel => client
                .update_imodel(
                    imodel,
                    types::UpdateIModel {
                        name: Some("Renamed".into()),
                        ..Default::default()
                    },
                )
                .send()
                .await
                .map(drop),
            Op::CloneIModel => client
                .clone_imodel(imodel, clone_body())
                .send()
                .await
                .map(drop),
            Op::ForkIModel => client
                .fork_imodel(imodel, fork_body())
                .send()
                .await
                .map(drop),
            Op::GetChangesets => client.get_changesets(imodel).send().await.map(drop),
            Op::CreateChangeset => client
                .create_changeset(imodel, create_changeset_body())
                .send()
                .await
                .map(drop),
            Op::GetChangeset => client
                .get_changeset(imodel, CHANGESET_ID)
                .send()
                .await
                .map(drop),
            Op::UpdateChangeset => client
                .update_changeset(imodel, CHANGESET_ID, update_changeset_body())
                .send()
                .await
                .map(drop),
            Op::GetNamedVersions => client.get_named_versions(imodel).send().await.map(drop),
            Op::CreateNamedVersion => client
                .create_named_version(imodel, create_named_version_body())
                .send()
                .await
                .map(drop),
            Op::GetNamedVersion => client
                .get_named_version(imodel, uuid(NAMED_VERSION_ID))
                .send()
                .await
                .map(drop),
            Op::GetBriefcases => client.get_briefcases(imodel).send().await.map(drop),
            Op::AcquireBriefcase => client
                .acquire_briefcase(imodel, types::AcquireBriefcase::default())
                .send()
                .await
                .map(drop),
            Op::GetLocks => client.get_locks(imodel).send().await.map(drop),
            Op::UpdateLocks => client
                .update_locks(imodel, update_locks_body())
                .send()
                .await
                .map(drop),
            Op::GetIModelUsers => client.get_imodel_users(imodel).send().await.map(drop),
            Op::GetIModelUser => client
                .get_imodel_user(imodel, uuid(USER_ID))
                .send()
                .await
                .map(drop),
            Op::GetThumbnail => client.get_thumbnail(imodel).send().await.map(drop),
            Op::GetBaselineFile => client.get_baseline_file(imodel).send().await.map(drop),
            Op::CompleteBaselineFileUpload => client
                .complete_baseline_file_upload(imodel, BTreeMap::new())
                .send()
                .await
                .map(drop),
            Op::GetIModelCreateOperation => client
                .get_imodel_create_operation(imodel)
                .send()
                .await
                .map(drop),
            Op::GetChangesetsExtendedData => client
                .get_changesets_extended_data(imodel)
                .send()
                .await
                .map(drop),
            Op::GetChangesetExtendedData => client
                .get_changeset_extended_data(imodel, "12")
                .send()
                .await
                .map(drop),
            Op::CreateChangesetExtendedData => client
                .create_changeset_extended_data(imodel, "12", extended_data_body())
                .send()
                .await
                .map(drop),
            Op::GetChangesetGroups => client.get_changeset_groups(imodel).send().await.map(drop),
            Op::GetChangesetGroup => client
                .get_changeset_group(imodel, GROUP_ID)
                .send()
                .await
                .map(drop),
            Op::CreateChangesetGroup => client
                .create_changeset_group(imodel, types::CreateChangesetGroup::new("Import"))
                .send()
                .await
                .map(drop),
            Op::UpdateChangesetGroup => client
                .update_changeset_group(imodel, GROUP_ID, close_group_body())
                .send()
                .await
                .map(drop),
            Op::UpdateNamedVersion => client
                .update_named_version(imodel, uuid(NAMED_VERSION_ID), rename_body())
                .send()
                .await
                .map(drop),
            Op::GetChangesetCheckpoint => client
                .get_changeset_checkpoint(imodel, "12")
                .send()
                .await
                .map(drop),
            Op::GetNamedVersionCheckpoint => client
                .get_named_version_checkpoint(imodel, uuid(NAMED_VERSION_ID))
                .send()
                .await
                .map(drop),
            Op::GetLatestCheckpoint => client.get_latest_checkpoint(imodel).send().await.map(drop),
            Op::RescheduleNamedVersionCheckpoint => client
                .reschedule_named_version_checkpoint(imodel, uuid(NAMED_VERSION_ID))
                .send()
                .await
                .map(drop),
            Op::UploadThumbnail => client.upload_thumbnail(imodel, PNG_BYTES).send().await,
            Op::GetIModelPermissions => {
                client.get_imodel_permissions(imodel).send().await.map(drop)
            }
            Op::GetBriefcase => client.get_briefcase(imodel, 2).send().await.map(drop),
            Op::ReleaseBriefcase => client.release_briefcase(imodel, 2).send().await,
            Op::ReleaseLocksChunk => client
                .release_locks_chunk(imodel, types::ReleaseLocksChunk::new(2))
                .send()
                .await
                .map(drop),
            Op::GetReleasedLocks => client.get_released_locks(imodel, 11).send().await.map(drop),
            Op::GetFavoriteIModels => client
                .get_favorite_imodels(uuid(ITWIN_ID))
                .send()
                .await
                .map(drop),
            Op::AddFavoriteIModel => client.add_favorite_imodel(imodel).send().await,
            Op::RemoveFavoriteIModel => client.remove_favorite_imodel(imodel).send().await,
            Op::GetRecentIModels => client
                .get_recent_imodels(uuid(ITWIN_ID))
                .send()
                .await
                .map(drop),
            Op::AddRecentIModel => {
                client
                    .add_recent_imodel(imodel, BTreeMap::new())
                    .send()
                    .await
            }
            Op::RemoveRecentIModel => client.remove_recent_imodel(imodel).send().await,
        }
    }
}

/// Mounts `response` on `op`'s route and calls `op`, which must fail.
async fn fail_with(op: Op, response: ResponseTemplate) -> (MockServer, Error) {
    let server = MockServer::start().await;
    let (http_method, _) = op.route();
    mount(&server, http_method, &op.server_path(), response).await;
    let err = op
        .call(&client(&server))
        .await
        .expect_err(&format!("{} must fail", op.id()));
    (server, err)
}

/// The server answers a documented error status with the documented body:
/// `Error::Api` with that status, the body decoded with its code and message,
/// and the operation, method and path of the request.
async fn check_documented_error(
    op: Op,
    status: u16,
    wire_code: &str,
    code: ErrorCode,
    message: &str,
) {
    let (server, err) = fail_with(op, json_response(status, error_json(wire_code, message))).await;
    assert_api_error(&err, status, code, message);
    let api = err.api().expect("Error::Api");
    let (http_method, relative_path) = op.route();
    assert_eq!(api.operation, op.id());
    assert_eq!(api.method.as_str(), http_method);
    assert_eq!(api.path, relative_path);
    assert_eq!(api.retry_after, None);
    assert_eq!(err.retry_after(), None);
    assert_eq!(only_request(&server).await.url.path(), op.server_path());
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

#[tokio::test]
async fn get_thumbnail_documented_error_is_json_despite_png_success() {
    check_documented_error(
        Op::GetThumbnail,
        404,
        "iModelNotFound",
        ErrorCode::IModelNotFound,
        "Requested iModel is not available.",
    )
    .await;
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

// ---------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Success bodies the client must tolerate or reject cleanly
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// URLs: base URL, percent-encoding
// ---------------------------------------------------------------------------

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    let encoded_path = imodel_path("/changesets/a%2Fb%20c");
    mount(
        &server,
        "GET",
        &encoded_path,
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    client(&server)
        .get_changeset(uuid(IMODEL_ID), "a/b c")
        .send()
        .await
        .expect("GetChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: &encoded_path,
            query: None,
            body: None,
            prefer: None,
        },
    );
}

#[tokio::test]
async fn path_parameters_with_reserved_and_non_ascii_characters_stay_one_segment() {
    let server = MockServer::start().await;
    let encoded_path = imodel_path("/changesets/%3F%23..%2F%C3%BC%25");
    mount(
        &server,
        "PATCH",
        &encoded_path,
        json_response(200, json!({ "changeset": changeset_json("fileUploaded") })),
    )
    .await;

    client(&server)
        .update_changeset(uuid(IMODEL_ID), "?#../ü%", update_changeset_body())
        .send()
        .await
        .expect("UpdateChangeset succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "PATCH",
            path: &encoded_path,
            query: None,
            body: Some(json!({ "state": "fileUploaded", "briefcaseId": 2 })),
            prefer: None,
        },
    );
}

#[tokio::test]
async fn query_values_are_percent_encoded() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(200, json!({ "iModels": [], "_links": {} })),
    )
    .await;

    client(&server)
        .get_imodels(uuid(ITWIN_ID))
        .search("Sun City & Co+ü=1#x")
        .send()
        .await
        .expect("GetIModels succeeds");

    assert_request(
        &only_request(&server).await,
        Sent {
            method: "GET",
            path: BASE_PATH,
            query: Some(&format!(
                "iTwinId={ITWIN_ID}&$search=Sun%20City%20%26%20Co%2B%C3%BC%3D1%23x"
            )),
            body: None,
            prefer: Some("return=representation"),
        },
    );
}

#[tokio::test]
async fn trailing_slash_on_the_base_url_is_ignored() {
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        BASE_PATH,
        json_response(200, json!({ "iModels": [], "_links": {} })),
    )
    .await;
    let client = Client::builder()
        .base_url(format!("{}/", base_url(&server)))
        .bearer_token(TOKEN)
        .build()
        .expect("the client builds");

    assert_eq!(client.base_url(), base_url(&server));
    client
        .get_imodels(uuid(ITWIN_ID))
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
            prefer: Some("return=representation"),
        },
    );
}

#[test]
fn invalid_base_urls_are_rejected() {
    for bad in ["not a url", "ftp://example.com/imodels"] {
        let err = Client::builder().base_url(bad).build().expect_err(bad);
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
    }
}

#[test]
fn default_base_url_is_the_production_server() {
    let client = Client::builder()
        .bearer_token(TOKEN)
        .build()
        .expect("the client builds");
    assert_eq!(client.base_url(), "https://api.bentley.com/imodels");
}

// ---------------------------------------------------------------------------
// Credentials and secrecy
// ---------------------------------------------------------------------------

#[tokio::test]
async fn token_provider_is_asked_before_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(imodel_path("")))
        .respond_with(json_response(
            200,
            json!({ "iModel": imodel_json("initialized") }),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let client = Client::builder()
        .base_url(base_url(&server))
        .token_provider(move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok::<_, BoxError>("dynamic-token".to_string())
            }
        })
        .build()
        .expect("the client builds");

    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("first call");
    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("second call");

    assert_eq!(calls.load(Ordering::SeqCst), 2);
    let requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(
            header(request, "authorization"),
            Some("Bearer dynamic-token")
        );
        assert_eq!(header(request, "accept"), Some(ACCEPT));
    }
    assert!(!format!("{client:?}").contains("dynamic-token"));
}

#[tokio::test]
async fn failing_token_provider_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(base_url(&server))
        .token_provider(|| async {
            Err::<String, BoxError>("the token endpoint is unreachable".into())
        })
        .build()
        .expect("the client builds");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("the provider fails");

    match &err {
        Error::Credentials(source) => {
            assert_eq!(source.to_string(), "the token endpoint is unreachable")
        }
        other => panic!("expected Error::Credentials, got {other:?}"),
    }
    assert!(err
        .to_string()
        .contains("the token endpoint is unreachable"));
    assert_eq!(err.status(), None);
    let requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert!(
        requests.is_empty(),
        "no request may reach the server: {requests:#?}"
    );
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    const SECRET: &str = "s3cr3t-Bearer-value-0123456789";
    let server = MockServer::start().await;
    mount(
        &server,
        "GET",
        &imodel_path(""),
        json_response(
            401,
            error_json("Unauthorized", "The access token is expired."),
        ),
    )
    .await;
    let client = Client::builder()
        .base_url(base_url(&server))
        .bearer_token(SECRET)
        .build()
        .expect("the client builds");

    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(SECRET), "{client_debug}");
    assert!(!format!("{client:#?}").contains(SECRET));

    let builder_debug = format!("{:?}", Client::builder().bearer_token(SECRET));
    assert!(!builder_debug.contains(SECRET), "{builder_debug}");

    let request_debug = format!("{:?}", client.get_imodel(uuid(IMODEL_ID)));
    assert!(!request_debug.contains(SECRET), "{request_debug}");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("401");
    // The secret was really sent, so its absence below means something.
    assert_eq!(
        header(&only_request(&server).await, "authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert_api_error(
        &err,
        401,
        ErrorCode::Unauthorized,
        "The access token is expired.",
    );
    for text in [format!("{err:?}"), format!("{err:#?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[tokio::test]
async fn transport_errors_do_not_leak_the_token() {
    const SECRET: &str = "s3cr3t-transport-token-9876543210";
    // A socket bound to a port without listening refuses connections, and
    // holds the port for the whole test: a port bound and released could be
    // taken by a server of a test running beside this one. (Not a dropped
    // MockServer: wiremock pools its servers and would answer.)
    let held = tokio::net::TcpSocket::new_v4().expect("a socket");
    held.bind(([127, 0, 0, 1], 0).into())
        .expect("bind a free port");
    let port = held.local_addr().expect("the bound address").port();
    let dead_url = format!("http://127.0.0.1:{port}{BASE_PATH}");
    let client = Client::builder()
        .base_url(dead_url)
        .bearer_token(SECRET)
        .build()
        .expect("the client builds");

    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("nobody listens");

    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "GetIModel",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    for text in [format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
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

// ---------------------------------------------------------------------------
// The operations the vendor's document lacks (spec/overlays/endpoints.yaml):
// the exact request of each, the decoded success, and a documented error.
// ---------------------------------------------------------------------------

/// `{"task":"Solar farm"}`, base64-encoded as the service stores it.
const EXTENDED_DATA: &str = "eyJ0YXNrIjoiU29sYXIgZmFybSJ9";
const SAS_TOKEN: &str = "sv=2024-01-01&sig=c2VjcmV0";

fn extended_data_body() -> types::CreateChangesetExtendedData {
    types::CreateChangesetExtendedData::new(EXTENDED_DATA)
}

fn close_group_body() -> types::UpdateChangesetGroup {
    types::UpdateChangesetGroup::new(types::ChangesetGroupState::Completed)
}

fn rename_body() -> types::UpdateNamedVersion {
    types::UpdateNamedVersion {
        name: Some("Milestone 1 (approved)".into()),
        description: None,
        state: Some(NamedVersionState::Hidden),
    }
}

fn extended_data_json(index: i64) -> Value {
    json!({ "changesetId": CHANGESET_ID, "changesetIndex": index, "data": EXTENDED_DATA })
}

fn group_json(state: &str) -> Value {
    json!({
        "id": GROUP_ID,
        "description": "Solar farm import",
        "state": state,
        "creatorId": USER_ID,
        "createdDateTime": "2024-05-02T08:00:00Z",
        "_links": { "creator": link(&format!("https://api.bentley.com/imodels/{IMODEL_ID}/users/{USER_ID}")) }
    })
}

fn checkpoint_json() -> Value {
    json!({
        "changesetId": CHANGESET_ID,
        "changesetIndex": 12,
        "size": 52428800,
        "state": "successful",
        "dbName": "5e19bee0.bim",
        "directoryAccessInfo": {
            "baseUrl": "https://imodelhub.blob.core.windows.net",
            "storage": "checkpoints",
            "baseDirectory": "5e19bee0/12",
            "storageType": "azure",
            "azure": { "sasToken": SAS_TOKEN },
            "google": null
        },
        "_links": {
            "download": { "href": format!("https://imodelhub.blob.core.windows.net/checkpoints/12.bim?{SAS_TOKEN}"), "storageType": "azure" }
        }
    })
}

fn assert_checkpoint_12(checkpoint: &types::Checkpoint) {
    assert_eq!(checkpoint.changeset_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(checkpoint.changeset_index, 12);
    assert_eq!(checkpoint.size, Some(52428800));
    assert_eq!(checkpoint.state, types::CheckpointState::Successful);
    assert_eq!(checkpoint.db_name.as_deref(), Some("5e19bee0.bim"));
    let access = checkpoint
        .directory_access_info
        .as_ref()
        .expect("directoryAccessInfo");
    assert_eq!(access.storage_type.as_deref(), Some("azure"));
    assert_eq!(access.base_directory.as_deref(), Some("5e19bee0/12"));
    assert_eq!(
        access.azure.as_ref().map(|a| a.sas_token.as_str()),
        Some(SAS_TOKEN)
    );
    assert_eq!(access.google, None);
    let links = checkpoint.links.as_ref().expect("_links");
    let download =
        format!("https://imodelhub.blob.core.windows.net/checkpoints/12.bim?{SAS_TOKEN}");
    assert_eq!(
        storage_href(&links.download),
        Some((download.as_str(), Some("azure")))
    );
    // `Debug` of the answer (a user's log line) shows where the file is,
    // never the signature nor the directory's token (`x-secret-query`,
    // `x-secret` in spec/overlays/generator.yaml).
    let shown = format!("{checkpoint:?}");
    assert!(
        shown.contains("\"https://imodelhub.blob.core.windows.net/checkpoints/12.bim?<redacted>\""),
        "{shown}"
    );
    assert!(shown.contains("sas_token: <redacted>"), "{shown}");
    assert!(
        !shown.contains("sig=") && !shown.contains("c2VjcmV0"),
        "{shown}"
    );
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

/// The thumbnail goes as raw image bytes with the image's media type (PNG
/// unless the caller says JPEG): no JSON, and the bytes exactly.
#[tokio::test]
async fn upload_thumbnail_sends_the_image_bytes_as_png_or_jpeg() {
    for (choice, media, bytes) in [
        (None, "image/png", PNG_BYTES),
        (
            Some(types::UploadThumbnailContentType::ImageJpeg),
            "image/jpeg",
            JPEG_BYTES,
        ),
    ] {
        let server = MockServer::start().await;
        let full_path = imodel_path("/thumbnail");
        mount(&server, "PUT", &full_path, ResponseTemplate::new(200)).await;

        let client = client(&server);
        let mut request = client.upload_thumbnail(uuid(IMODEL_ID), bytes);
        if let Some(choice) = choice {
            request = request.content_type(choice);
        }
        request.send().await.expect("UploadThumbnail succeeds");

        let sent = only_request(&server).await;
        assert_eq!(sent.method.as_str(), "PUT");
        assert_eq!(sent.url.path(), full_path);
        assert_eq!(sent.url.query(), None);
        assert_eq!(header(&sent, "content-type"), Some(media));
        assert_eq!(header(&sent, "accept"), Some(ACCEPT));
        assert_eq!(
            header(&sent, "authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(header(&sent, "prefer"), None);
        assert_eq!(sent.body, bytes);
    }
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

fn minimal_imodels_json(self_href: &str) -> Value {
    json!({
        "iModels": [{ "id": IMODEL_ID, "displayName": "Sun City Renewable-energy Plant" }],
        "_links": paging_json(self_href, None)
    })
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

#[tokio::test]
async fn upload_thumbnail_documented_error() {
    check_documented_error(
        Op::UploadThumbnail,
        422,
        "InvalidThumbnailFormat",
        ErrorCode::InvalidThumbnailFormat,
        "Thumbnail format is not supported; use PNG or JPEG.",
    )
    .await;
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
