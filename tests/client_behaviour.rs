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

// One module per resource; the cross-cutting behaviour in its own modules.
mod baselines;
mod bodies;
mod briefcases;
mod changesets;
mod checkpoints;
mod credentials;
mod errors;
mod imodels;
mod locks;
mod named_versions;
mod thumbnails;
mod urls;
mod users;

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

fn minimal_imodels_json(self_href: &str) -> Value {
    json!({
        "iModels": [{ "id": IMODEL_ID, "displayName": "Sun City Renewable-energy Plant" }],
        "_links": paging_json(self_href, None)
    })
}
