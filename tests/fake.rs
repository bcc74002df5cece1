//! The typed fake of the `testing` feature (`imodels_client::testing`):
//! expectations met and unmet, unexpected calls, paging across pages, a
//! waiter's polls, and the typed record of what the client sent.

use std::time::Duration;

use futures_util::TryStreamExt;
use imodels_client::testing::{Fake, UNEXPECTED_STATUS};
use imodels_client::types::{CreateIModel, CreateOperationResponse, IModelResponse};
use imodels_client::{Error, WaitOptions};
use serde_json::{json, Value};
use tests::imodels::{IMODEL_ID, ITWIN_ID};

fn typed<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid value of the type")
}

fn imodel() -> IModelResponse {
    typed(json!({ "iModel": { "id": IMODEL_ID, "displayName": "Sun City", "name": "Sun City" } }))
}

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a uuid")
}

#[tokio::test]
async fn an_expectation_answers_and_its_count_is_met() {
    let fake = Fake::start().await;
    fake.get_imodel()
        .path_param("iModelId", IMODEL_ID)
        .times(1)
        .returns(imodel())
        .await;
    let client = fake.client().expect("a client");
    let got = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModel");
    assert_eq!(got.imodel.name.as_deref(), Some("Sun City"));
    assert_eq!(fake.verify(), Ok(()));
    let received = fake.received().await.get_imodel();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path_param("iModelId"), Some(IMODEL_ID));
}

#[tokio::test]
async fn unmet_counts_and_unexpected_calls_are_reported() {
    let fake = Fake::start().await;
    // Only this iModel is expected; another is not.
    fake.get_imodel()
        .path_param("iModelId", IMODEL_ID)
        .times(2)
        .returns(imodel())
        .await;
    let client = fake.client().expect("a client");
    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("GetIModel");
    let other = "00000000-0000-0000-0000-000000000001";
    let err = client
        .get_imodel(uuid(other))
        .send()
        .await
        .expect_err("nothing expects this iModel");
    match &err {
        Error::Api(e) => assert_eq!(e.status, UNEXPECTED_STATUS),
        other => panic!("expected an API error, got {other:?}"),
    }
    let unmet = fake.verify().expect_err("one call short, one unexpected");
    assert_eq!(
        unmet.problems,
        vec![
            format!("unexpected call: GET /{other}"),
            "GetIModel: expected 2 call(s), got 1".to_string(),
        ]
    );
}

#[tokio::test]
async fn fails_answers_with_the_status_and_error_body() {
    let fake = Fake::start().await;
    fake.get_imodel()
        .fails(
            404,
            json!({ "error": { "code": "iModelNotFound", "message": "gone" } }),
        )
        .await;
    let client = fake.client().expect("a client");
    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("404");
    match &err {
        Error::Api(e) => assert_eq!(e.status, 404),
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(err.to_string().contains("IModelNotFound"), "{err}");
}

#[tokio::test]
async fn a_listing_is_read_across_the_pages_the_fake_links() {
    let fake = Fake::start().await;
    let item = |n: u128| json!({ "id": uuid::Uuid::from_u128(n).to_string(), "displayName": format!("iModel {n}") });
    // No `next` links: the fake writes them from the listing's `x-paging`.
    let page = |items: Vec<Value>| {
        typed(json!({ "iModels": items, "_links": { "self": null, "prev": null, "next": null } }))
    };
    fake.get_imodels_minimal()
        .times(3)
        .pages([
            page(vec![item(1), item(2)]),
            page(vec![item(3), item(4)]),
            page(vec![item(5)]),
        ])
        .await;
    let client = fake.client().expect("a client");
    let names: Vec<String> = client
        .get_imodels_minimal(uuid(ITWIN_ID))
        .top(2)
        .into_stream()
        .map_ok(|m| m.display_name)
        .try_collect()
        .await
        .expect("every page");
    assert_eq!(
        names,
        ["iModel 1", "iModel 2", "iModel 3", "iModel 4", "iModel 5"]
    );
    assert_eq!(fake.verify(), Ok(()));
    let received = fake.received().await.get_imodels_minimal();
    let skips: Vec<Option<&str>> = received.iter().map(|r| r.query("$skip")).collect();
    assert_eq!(skips, [None, Some("2"), Some("4")]);
    // The links keep the first request's other parameters.
    for r in &received {
        assert_eq!(r.query("iTwinId"), Some(ITWIN_ID));
        assert_eq!(r.query("$top"), Some("2"));
    }
}

#[tokio::test]
async fn a_link_the_test_wrote_is_kept_and_an_offset_between_pages_is_unexpected() {
    let fake = Fake::start().await;
    let item = |n: u128| json!({ "id": uuid::Uuid::from_u128(n).to_string(), "displayName": format!("iModel {n}") });
    // The first page's own link skips one item too few: no page starts there.
    let odd = format!("{}/?iTwinId={ITWIN_ID}&$skip=1", fake.uri());
    fake.get_imodels_minimal()
        .pages([
            typed(json!({ "iModels": [item(1), item(2)], "_links": { "next": { "href": odd } } })),
            typed(json!({ "iModels": [item(3)], "_links": {} })),
        ])
        .await;
    let client = fake.client().expect("a client");
    let err = client
        .get_imodels_minimal(uuid(ITWIN_ID))
        .into_stream()
        .try_collect::<Vec<_>>()
        .await
        .expect_err("no page starts at 1");
    assert_eq!(err.status(), Some(UNEXPECTED_STATUS), "{err}");
    let received = fake.received().await.get_imodels_minimal();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].query("$skip"), Some("1"));
}

#[tokio::test]
async fn a_waiter_polls_through_the_answers_in_turn() {
    let fake = Fake::start().await;
    let state = |s: &str| -> CreateOperationResponse {
        typed(json!({ "createOperation": { "state": s } }))
    };
    fake.get_imodel_create_operation()
        .path_param("iModelId", IMODEL_ID)
        .times(3)
        .pages([
            state("scheduled"),
            state("waitingForFile"),
            state("successful"),
        ])
        .await;
    let client = fake.client().expect("a client");
    let options = WaitOptions::default()
        .interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(1));
    client
        .wait_for_imodel_created(uuid(IMODEL_ID), &options)
        .await
        .expect("done on the third poll");
    assert_eq!(fake.verify(), Ok(()));
    assert_eq!(fake.received().await.get_imodel_create_operation().len(), 3);
}

#[tokio::test]
async fn the_body_the_client_sent_is_recorded_typed() {
    let fake = Fake::start().await;
    fake.create_imodel().times(1).returns(imodel()).await;
    let client = fake.client().expect("a client");
    let body: CreateIModel =
        typed(json!({ "iTwinId": ITWIN_ID, "name": "Sun City", "description": "wind and solar" }));
    client
        .create_imodel(body)
        .send()
        .await
        .expect("CreateIModel");
    let received = fake.received().await.create_imodel();
    assert_eq!(received.len(), 1);
    let sent = received[0].body.as_ref().expect("a CreateIModel body");
    assert_eq!(sent.name, "Sun City");
    assert_eq!(sent.itwin_id, uuid(ITWIN_ID));
    assert_eq!(sent.description.as_deref(), Some("wind and solar"));
    assert_eq!(fake.verify(), Ok(()));
}
