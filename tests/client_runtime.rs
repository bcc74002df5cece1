//! What the generated client does across requests: paging, retries,
//! timeouts, waiting for long-running work, the baseline upload flow,
//! streamed transfers, size limits and logs. Every test runs against local
//! wiremock servers and asserts on what the servers received, not only on
//! what the client returned.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{StreamExt, TryStreamExt};
use imodels_client::types::{CloneIModel, CreateIModel};
use imodels_client::{Client, Error, RetryPolicy, UploadOptions, WaitOptions};
use serde_json::{json, Value};
use tests::imodels::*;
use tests::mock::*;
use uuid::Uuid;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn create_body() -> CreateIModel {
    serde_json::from_value(json!({ "iTwinId": ITWIN_ID, "name": "Sun City" }))
        .expect("a CreateIModel")
}

fn ids(items: &[imodels_client::types::MinimalIModel]) -> Vec<Uuid> {
    items.iter().map(|m| m.id).collect()
}

fn expected_ids(range: std::ops::Range<usize>) -> Vec<Uuid> {
    range.map(|n| Uuid::from_u128(n as u128)).collect()
}

// ---------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------

#[tokio::test]
async fn stream_follows_next_links_across_pages_with_the_same_headers() {
    let server = MockServer::start().await;
    let base = format!("{}{BASE_PATH}", server.uri());
    let page2 = format!("{base}?iTwinId={ITWIN_ID}&$skip=2&$top=2");
    let page3 = format!("{base}?iTwinId={ITWIN_ID}&$skip=4&$top=2");
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .and(query_param("$skip", "4"))
        .respond_with(json_response(200, page(4, 1, None)))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .and(query_param("$skip", "2"))
        .respond_with(json_response(200, page(2, 2, Some(page3.clone()))))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 2, Some(page2.clone()))))
        .with_priority(2)
        .mount(&server)
        .await;

    let items: Vec<_> = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .top(2)
        .into_stream()
        .try_collect()
        .await
        .expect("all pages load");

    assert_eq!(ids(&items), expected_ids(0..5));
    let requests = received(&server).await;
    let sent: Vec<String> = requests.iter().map(path_and_query).collect();
    assert_eq!(
        sent,
        [
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$top=2"),
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$skip=2&$top=2"),
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$skip=4&$top=2"),
        ]
    );
    for request in &requests {
        assert_eq!(
            header_of(request, "prefer").as_deref(),
            Some("return=minimal")
        );
        assert_eq!(
            header_of(request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn pages_are_fetched_lazily() {
    let server = MockServer::start().await;
    let next = format!("{}{BASE_PATH}?iTwinId={ITWIN_ID}&$skip=3", server.uri());
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 3, Some(next))))
        .mount(&server)
        .await;

    let first_two: Vec<_> = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .into_stream()
        .take(2)
        .try_collect::<Vec<_>>()
        .await
        .expect("the first page loads");

    assert_eq!(ids(&first_two), expected_ids(0..2));
    assert_eq!(
        received(&server).await.len(),
        1,
        "only the first page was asked for"
    );
}

#[tokio::test]
async fn a_next_link_on_another_origin_is_not_followed_and_offset_paging_takes_over() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, page(100, 2, None)))
        .mount(&elsewhere)
        .await;
    let foreign = format!("{}/imodels?iTwinId={ITWIN_ID}&$skip=2", elsewhere.uri());
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .and(query_param("$skip", "2"))
        .respond_with(json_response(200, page(2, 1, None)))
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 2, Some(foreign))))
        .with_priority(2)
        .mount(&api)
        .await;

    let items: Vec<_> = client(&api)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .into_stream()
        .try_collect()
        .await
        .expect("all pages load");

    assert_eq!(ids(&items), expected_ids(0..3));
    assert!(
        received(&elsewhere).await.is_empty(),
        "nothing, and no token, went to the other origin"
    );
    let sent: Vec<String> = received(&api).await.iter().map(path_and_query).collect();
    assert_eq!(
        sent,
        [
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}"),
            // The page size is the first page's, as the caller set none.
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$skip=2&$top=2"),
        ]
    );
}

/// The service's preferred paging is a continuation token: when the `next`
/// link cannot be followed (another origin), the client asks its own origin
/// with the link's token, not with an offset, and nothing goes elsewhere.
#[tokio::test]
async fn a_foreign_next_link_with_a_continuation_token_is_resumed_by_its_token() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, page(100, 2, None)))
        .mount(&elsewhere)
        .await;
    let foreign = format!(
        "{}/imodels?iTwinId={ITWIN_ID}&$top=2&$continuationToken=eyJpIjoyfQ%3D%3D",
        elsewhere.uri()
    );
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .and(query_param("$continuationToken", "eyJpIjoyfQ=="))
        .respond_with(json_response(200, page(2, 1, None)))
        .with_priority(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 2, Some(foreign))))
        .with_priority(2)
        .mount(&api)
        .await;

    let items: Vec<_> = client(&api)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .top(2)
        .skip(0)
        .into_stream()
        .try_collect()
        .await
        .expect("all pages load");

    assert_eq!(ids(&items), expected_ids(0..3));
    assert!(
        received(&elsewhere).await.is_empty(),
        "nothing went to the other origin"
    );
    let sent: Vec<String> = received(&api).await.iter().map(path_and_query).collect();
    assert_eq!(
        sent,
        [
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$top=2&$skip=0"),
            // The token instead of the caller's $skip, the page size kept.
            format!("{BASE_PATH}?iTwinId={ITWIN_ID}&$continuationToken=eyJpIjoyfQ%3D%3D&$top=2"),
        ]
    );
}

/// A listing resumes from a token saved earlier: the first request carries
/// it, and the stream goes on from there.
#[tokio::test]
async fn a_listing_resumes_from_a_saved_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/changesetgroups")))
        .and(query_param("$continuationToken", "saved"))
        .respond_with(json_response(
            200,
            json!({
                "changesetGroups": [{ "id": "g3", "state": "completed" }],
                "_links": { "self": null, "prev": null, "next": null }
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let groups: Vec<_> = client(&server)
        .get_changeset_groups(uuid(IMODEL_ID))
        .continuation_token("saved")
        .into_stream()
        .try_collect()
        .await
        .expect("the listing resumes");

    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].id, "g3");
}

#[tokio::test]
async fn full_representation_pages_stream_full_imodels() {
    let server = MockServer::start().await;
    let full = json!({
        "id": IMODEL_ID, "displayName": "Sun City", "name": "Sun City",
        "state": "initialized", "iTwinId": ITWIN_ID
    });
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(
            200,
            json!({ "iModels": [full], "_links": { "self": null, "prev": null, "next": null } }),
        ))
        .mount(&server)
        .await;

    let items: Vec<imodels_client::types::IModel> = client(&server)
        .get_imodels(uuid(ITWIN_ID))
        .into_stream()
        .try_collect()
        .await
        .expect("the page loads");

    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].state,
        Some(imodels_client::types::IModelState::Initialized)
    );
    let requests = received(&server).await;
    assert_eq!(
        header_of(&requests[0], "prefer").as_deref(),
        Some("return=representation")
    );
}

#[tokio::test]
async fn a_page_size_over_the_maximum_is_refused_before_sending() {
    let server = MockServer::start().await;
    let first = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .top(1001)
        .pages()
        .next()
        .await
        .expect("the stream yields the error");
    assert!(
        matches!(&first, Err(Error::Paging { reason, .. }) if reason.contains("1000")),
        "{first:?}"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn a_next_link_back_to_the_same_page_stops_with_an_error() {
    let server = MockServer::start().await;
    let same = format!("{}{BASE_PATH}?iTwinId={ITWIN_ID}&$skip=2", server.uri());
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 2, Some(same))))
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .pages()
        .collect()
        .await;

    assert_eq!(results.len(), 3, "two pages, then the error: {results:?}");
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(matches!(&results[2], Err(Error::Paging { .. })));
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------
// Retries and timeouts
// ---------------------------------------------------------------------------

async fn mount_sequence(
    server: &MockServer,
    http_method: &str,
    at: &str,
    first: ResponseTemplate,
    times: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method(http_method))
        .and(path(at))
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

fn too_many_requests(retry_after: &str) -> ResponseTemplate {
    json_response(
        429,
        json!({ "error": { "code": "TooManyRequests", "message": "Slow down." } }),
    )
    .insert_header("retry-after", retry_after)
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_seconds() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    mount_sequence(
        &server,
        "GET",
        &at,
        too_many_requests("1"),
        1,
        json_response(200, imodel_response()),
    )
    .await;

    let started = Instant::now();
    let got = client(&server).get_imodel(uuid(IMODEL_ID)).send().await;

    assert!(got.is_ok(), "{got:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_429_is_retried_after_an_http_date_even_for_a_post() {
    use std::time::SystemTime;
    let server = MockServer::start().await;
    // The date is made when the 429 is served, two seconds on: a date fixed
    // before the mocks are mounted could be eaten up by a slow start on a
    // loaded machine. Each answer records when its request arrived.
    let arrivals: Arc<Mutex<Vec<SystemTime>>> = Arc::default();
    let retry_at: Arc<Mutex<Option<SystemTime>>> = Arc::default();
    Mock::given(method("POST"))
        .and(path(BASE_PATH))
        .respond_with({
            let (arrivals, retry_at) = (arrivals.clone(), retry_at.clone());
            move |_: &wiremock::Request| {
                let now = SystemTime::now();
                let mut arrivals = arrivals.lock().expect("arrivals");
                arrivals.push(now);
                if arrivals.len() > 1 {
                    return json_response(201, imodel_response());
                }
                let when = httpdate::fmt_http_date(now + Duration::from_secs(2));
                // What the header says: whole seconds, so between 1 and 2 s on.
                *retry_at.lock().expect("retry_at") = httpdate::parse_http_date(&when).ok();
                too_many_requests(&when)
            }
        })
        .mount(&server)
        .await;

    let body = create_body();
    let got = client(&server).create_imodel(body).send().await;

    assert!(got.is_ok(), "{got:?}");
    let arrivals = arrivals.lock().expect("arrivals").clone();
    let retry_at = retry_at
        .lock()
        .expect("retry_at")
        .expect("a 429 was served");
    assert_eq!(arrivals.len(), 2, "{arrivals:?}");
    assert!(
        retry_at.duration_since(arrivals[0]).unwrap_or_default() >= Duration::from_secs(1),
        "the date asks for a wait of at least a second"
    );
    // Not before the date (a little slack for clock granularity).
    assert!(
        arrivals[1] + Duration::from_millis(20) >= retry_at,
        "retried {:?} before the date",
        retry_at.duration_since(arrivals[1]).unwrap_or_default()
    );
    let requests = received(&server).await;
    assert_eq!(
        requests.len(),
        2,
        "a 429 was not processed, so a POST may be sent again"
    );
    assert_eq!(
        requests[0].body, requests[1].body,
        "the same body both times"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_returns_the_429_at_once() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    mount_sequence(
        &server,
        "GET",
        &at,
        too_many_requests("3600"),
        5,
        json_response(200, imodel_response()),
    )
    .await;

    let started = Instant::now();
    let err = client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("429");

    // "At once" against an hour: a wide bound that a loaded machine meets.
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_503_is_retried_for_a_get_until_it_passes() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    mount_sequence(
        &server,
        "GET",
        &at,
        ResponseTemplate::new(503),
        2,
        json_response(200, imodel_response()),
    )
    .await;

    let got = client(&server).get_imodel(uuid(IMODEL_ID)).send().await;

    assert!(got.is_ok(), "{got:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_503_is_never_retried_for_a_post_that_may_have_been_processed() {
    let server = MockServer::start().await;
    mount_sequence(
        &server,
        "POST",
        BASE_PATH,
        ResponseTemplate::new(503),
        1,
        json_response(201, imodel_response()),
    )
    .await;

    let body = create_body();
    let err = client(&server)
        .create_imodel(body)
        .send()
        .await
        .expect_err("503");

    assert_eq!(err.status(), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

/// The writes that set an absolute state (`x-idempotent: true` in
/// spec/overlays/generator.yaml) are retried after a 503 with the same body;
/// a create beside them is not.
#[tokio::test]
async fn a_503_is_retried_for_writes_that_set_an_absolute_state_only() {
    let server = MockServer::start().await;
    let locks = format!("{BASE_PATH}/{IMODEL_ID}/locks");
    mount_sequence(
        &server,
        "PATCH",
        &locks,
        ResponseTemplate::new(503),
        1,
        json_response(
            200,
            json!({ "lock": { "briefcaseId": 2, "lockedObjects": [] } }),
        ),
    )
    .await;
    let chunk = format!("{BASE_PATH}/{IMODEL_ID}/locks/release-chunk");
    mount_sequence(
        &server,
        "POST",
        &chunk,
        ResponseTemplate::new(503),
        1,
        json_response(200, json!({ "isLastChunk": true })),
    )
    .await;
    let groups = format!("{BASE_PATH}/{IMODEL_ID}/changesetgroups");
    mount_sequence(
        &server,
        "POST",
        &groups,
        ResponseTemplate::new(503),
        1,
        json_response(
            201,
            json!({ "changesetGroup": { "id": "g", "state": "inProgress" } }),
        ),
    )
    .await;

    let client = client(&server);
    let release = imodels_client::types::UpdateLocks {
        briefcase_id: 2,
        changeset_id: None,
        locked_objects: Some(vec![imodels_client::types::LockedObjects {
            lock_level: imodels_client::types::LockLevel::None,
            object_ids: vec!["0x1".into()],
        }]),
    };
    client
        .update_locks(uuid(IMODEL_ID), release)
        .send()
        .await
        .expect("UpdateLocks is retried and succeeds");
    let answer = client
        .release_locks_chunk(
            uuid(IMODEL_ID),
            imodels_client::types::ReleaseLocksChunk::new(2),
        )
        .send()
        .await
        .expect("ReleaseLocksChunk is retried and succeeds");
    assert!(answer.is_last_chunk);
    let err = client
        .create_changeset_group(
            uuid(IMODEL_ID),
            imodels_client::types::CreateChangesetGroup::new("Import"),
        )
        .send()
        .await
        .expect_err("a create is not retried");
    assert_eq!(err.status(), Some(503));

    let requests = received(&server).await;
    let count = |p: &str| requests.iter().filter(|r| r.url.path() == p).count();
    assert_eq!((count(&locks), count(&chunk), count(&groups)), (2, 2, 1));
    let bodies: Vec<&[u8]> = requests
        .iter()
        .filter(|r| r.url.path() == locks)
        .map(|r| r.body.as_slice())
        .collect();
    assert_eq!(bodies[0], bodies[1], "the retry sends the same body");
}

#[tokio::test]
async fn retries_give_up_after_the_last_attempt() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;

    let client = builder(&server)
        .retry_policy(quick_retries().max_attempts(3))
        .build()
        .expect("the client builds");
    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("502");

    assert_eq!(err.status(), Some(502));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_slow_server_times_out_and_an_idempotent_request_is_tried_again() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(json_response(200, imodel_response()).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;

    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry_policy(quick_retries().max_attempts(2))
        .build()
        .expect("the client builds");
    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("timeout");

    // No wall-clock bound (two 200 ms timeouts need not end within any
    // given time on a loaded machine): the server answers every request
    // after 3 s, so an error that is a timeout, after two requests, is the
    // timeout cutting both attempts short.
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(received(&server).await.len(), 2);
}

// ---------------------------------------------------------------------------
// Long-running work
// ---------------------------------------------------------------------------

fn fast_wait() -> WaitOptions {
    WaitOptions::default()
        .interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(20))
        .timeout(Duration::from_secs(5))
}

fn create_operation(state: &str) -> Value {
    json!({ "createOperation": { "state": state, "clonedFrom": null, "forkedFrom": null } })
}

#[tokio::test]
async fn clone_then_wait_until_the_create_operation_succeeds() {
    let server = MockServer::start().await;
    let new_id = "9f2b1b43-0a0e-4e4f-8c7d-7b3c0a8f5e21";
    Mock::given(method("POST"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/clone")))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "location",
            format!("https://api.bentley.com/imodels/{new_id}").as_str(),
        ))
        .mount(&server)
        .await;
    let poll_path = format!("{BASE_PATH}/{new_id}/operations/create");
    mount_sequence(
        &server,
        "GET",
        &poll_path,
        json_response(200, create_operation("scheduled")),
        2,
        json_response(200, create_operation("successful")),
    )
    .await;

    let client = client(&server);
    let accepted = client
        .clone_imodel(
            uuid(IMODEL_ID),
            serde_json::from_value::<CloneIModel>(
                json!({ "iTwinId": ITWIN_ID, "name": "Sun City copy" }),
            )
            .expect("a CloneIModel"),
        )
        .send()
        .await
        .expect("CloneIModel is accepted");
    let location = accepted.location.expect("a Location header");
    let created = location.rsplit('/').next().map(uuid).expect("an id");
    let done = client
        .wait_for_imodel_created(created, &fast_wait())
        .await
        .expect("the clone finishes");

    assert_eq!(done.create_operation.state.to_string(), "successful");
    let polls = received(&server)
        .await
        .iter()
        .filter(|r| r.url.path() == poll_path)
        .count();
    assert_eq!(polls, 3, "two pending answers, then success");
}

#[tokio::test]
async fn a_failed_fork_ends_the_wait_with_its_state() {
    let server = MockServer::start().await;
    let poll_path = format!("{BASE_PATH}/{IMODEL_ID}/operations/create");
    mount_sequence(
        &server,
        "GET",
        &poll_path,
        json_response(200, create_operation("scheduled")),
        1,
        json_response(200, create_operation("mainIModelIsMissingFederationGuids")),
    )
    .await;

    let err = client(&server)
        .wait_for_imodel_created(uuid(IMODEL_ID), &fast_wait())
        .await
        .expect_err("the fork failed");

    assert!(
        matches!(&err, Error::OperationFailed { state, .. } if state == "mainIModelIsMissingFederationGuids"),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_wait_that_runs_out_of_time_says_the_last_state() {
    let server = MockServer::start().await;
    let poll_path = format!("{BASE_PATH}/{IMODEL_ID}/operations/create");
    Mock::given(method("GET"))
        .and(path(poll_path))
        .respond_with(json_response(200, create_operation("scheduled")))
        .mount(&server)
        .await;

    let err = client(&server)
        .wait_for_imodel_created(
            uuid(IMODEL_ID),
            // Long enough for several polls however loaded the machine is
            // (each poll is a local round trip, 10-20 ms apart).
            &fast_wait().timeout(Duration::from_secs(1)),
        )
        .await
        .expect_err("still scheduled");

    match &err {
        Error::WaitTimedOut {
            last_state, waited, ..
        } => {
            assert_eq!(last_state.as_deref(), Some("scheduled"));
            assert!(*waited >= Duration::from_secs(1));
        }
        other => panic!("expected WaitTimedOut, got {other:?}"),
    }
    assert!(received(&server).await.len() >= 2);
}

// ---------------------------------------------------------------------------
// The baseline upload flow and streamed transfers
// ---------------------------------------------------------------------------

fn baseline(state: &str) -> Value {
    json!({ "baselineFile": { "id": IMODEL_ID, "displayName": "base.bim", "fileSize": 1, "state": state } })
}

#[tokio::test]
async fn create_from_a_baseline_file_uploads_it_streamed_without_credentials() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let upload_href = format!("{}/container/base.bim?sv=2024&sig=abc", blob.uri());
    let mut created = imodel_response();
    created["iModel"]["state"] = json!("notInitialized");
    created["iModel"]["_links"] = json!({
        "upload": { "href": upload_href, "storageType": "azure" },
        "complete": { "href": format!("https://api.bentley.com/imodels/{IMODEL_ID}/baselinefile") }
    });
    Mock::given(method("POST"))
        .and(path(BASE_PATH))
        .respond_with(json_response(201, created))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .and(path("/container/base.bim"))
        .and(header("x-ms-blob-type", "BlockBlob"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&blob)
        .await;
    let baseline_path = format!("{BASE_PATH}/{IMODEL_ID}/baselinefile");
    Mock::given(method("POST"))
        .and(path(baseline_path.as_str()))
        .respond_with(json_response(200, baseline("initializationScheduled")))
        .mount(&api)
        .await;
    mount_sequence(
        &api,
        "GET",
        &baseline_path,
        json_response(200, baseline("initializationScheduled")),
        1,
        json_response(200, baseline("initialized")),
    )
    .await;
    let mut initialized = imodel_response();
    initialized["iModel"]["state"] = json!("initialized");
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}")))
        .respond_with(json_response(200, initialized))
        .mount(&api)
        .await;

    // 5 MiB and a bit, not a multiple of the upload's chunk size.
    let contents: Vec<u8> = (0..5 * 1024 * 1024 + 123)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("base.bim");
    std::fs::write(&file, &contents).expect("the file is written");
    let reports = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&reports);
    let upload =
        UploadOptions::default().progress(move |p| seen.lock().expect("not poisoned").push(p));

    let body = create_body();
    let imodel = client(&api)
        .create_imodel_from_baseline_file(body, &file, &upload, &fast_wait())
        .await
        .expect("the whole flow succeeds");

    assert_eq!(
        imodel.imodel.state,
        Some(imodels_client::types::IModelState::Initialized)
    );
    // The blob store got the exact bytes, the Azure header, and no token.
    let puts = received(&blob).await;
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0].body.len(), contents.len());
    assert!(
        puts[0].body == contents,
        "the uploaded bytes differ from the file"
    );
    assert_eq!(
        header_of(&puts[0], "x-ms-blob-type").as_deref(),
        Some("BlockBlob")
    );
    assert_eq!(header_of(&puts[0], "authorization"), None);
    assert_ne!(
        header_of(&puts[0], "accept").as_deref(),
        Some("application/vnd.bentley.itwin-platform.v2+json"),
        "no API headers on blob requests"
    );
    assert_eq!(
        header_of(&puts[0], "content-length"),
        Some(contents.len().to_string())
    );
    assert_eq!(puts[0].url.query(), Some("sv=2024&sig=abc"));
    // The API saw: create with the file's size, complete with `{}`, polls, read back.
    let calls = received(&api).await;
    let summary: Vec<String> = calls
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        summary,
        [
            format!("POST {BASE_PATH}"),
            format!("POST {baseline_path}"),
            format!("GET {baseline_path}"),
            format!("GET {baseline_path}"),
            format!("GET {BASE_PATH}/{IMODEL_ID}"),
        ]
    );
    let create: Value = serde_json::from_slice(&calls[0].body).expect("JSON");
    assert_eq!(create["baselineFile"], json!({ "size": contents.len() }));
    assert_eq!(create["iTwinId"], json!(ITWIN_ID));
    let complete: Value = serde_json::from_slice(&calls[1].body).expect("JSON");
    assert_eq!(complete, json!({}));
    for call in &calls {
        assert_eq!(
            header_of(call, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
    let reports = reports.lock().expect("not poisoned");
    assert_eq!(
        reports.last().map(|p| (p.done, p.total)),
        Some((contents.len() as u64, Some(contents.len() as u64)))
    );
    assert!(
        reports.len() > 10,
        "progress came in chunks: {}",
        reports.len()
    );
}

/// An API that creates an iModel whose upload link points at `blob` with
/// storage `azure`, then accepts the completion and reports it initialized.
async fn baseline_api(api: &MockServer, blob: &MockServer) {
    let mut created = imodel_response();
    created["iModel"]["_links"] = json!({
        "upload": { "href": format!("{}/c/base.bim?sv=2024&sig=abc", blob.uri()), "storageType": "azure" }
    });
    Mock::given(method("POST"))
        .and(path(BASE_PATH))
        .respond_with(json_response(201, created))
        .mount(api)
        .await;
    let baseline_path = format!("{BASE_PATH}/{IMODEL_ID}/baselinefile");
    Mock::given(method("POST"))
        .and(path(baseline_path.as_str()))
        .respond_with(json_response(200, baseline("initializationScheduled")))
        .mount(api)
        .await;
    Mock::given(method("GET"))
        .and(path(baseline_path.as_str()))
        .respond_with(json_response(200, baseline("initialized")))
        .mount(api)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}")))
        .respond_with(json_response(200, imodel_response()))
        .mount(api)
        .await;
}

#[tokio::test]
async fn a_blob_503_once_is_resent_whole_and_the_flow_completes() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    baseline_api(&api, &blob).await;
    mount_sequence(
        &blob,
        "PUT",
        "/c/base.bim",
        ResponseTemplate::new(503),
        1,
        ResponseTemplate::new(201),
    )
    .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("base.bim");
    let contents: Vec<u8> = (0..70_000u32).map(|i| (i % 253) as u8).collect();
    std::fs::write(&file, &contents).expect("written");

    client(&api)
        .create_imodel_from_baseline_file(
            create_body(),
            &file,
            &UploadOptions::default(),
            &fast_wait(),
        )
        .await
        .expect("the flow completes after the blob store's 503");

    let puts = received(&blob).await;
    assert_eq!(puts.len(), 2, "the file was sent twice");
    for put in &puts {
        assert!(put.body == contents, "each attempt sent the whole file");
        assert_eq!(
            header_of(put, "x-ms-blob-type").as_deref(),
            Some("BlockBlob")
        );
        assert_eq!(header_of(put, "authorization"), None);
    }
    let calls: Vec<String> = received(&api)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        calls[1],
        format!("POST {BASE_PATH}/{IMODEL_ID}/baselinefile")
    );
}

#[tokio::test]
async fn the_links_storage_type_sends_a_large_file_as_azure_blocks() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    baseline_api(&api, &blob).await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&blob)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("base.bim");
    let contents: Vec<u8> = (0..5_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &contents).expect("written");
    // No storage given: the flow takes `azure` from the link.
    let upload = UploadOptions::default()
        .block_threshold(1000)
        .block_size(2000);

    client(&api)
        .create_imodel_from_baseline_file(create_body(), &file, &upload, &fast_wait())
        .await
        .expect("the flow completes");

    let requests = received(&blob).await;
    let comps: Vec<String> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "comp")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(comps, ["block", "block", "block", "blocklist"]);
    let mut blocks: Vec<&wiremock::Request> = requests[..3].iter().collect();
    blocks.sort_by_key(|r| r.url.query().map(str::to_string));
    let sent: Vec<u8> = blocks.iter().flat_map(|r| r.body.clone()).collect();
    assert!(sent == contents, "the blocks, by id, are the file");
    assert!(requests
        .iter()
        .all(|r| header_of(r, "x-ms-blob-type").is_none()));
    assert!(requests
        .iter()
        .all(|r| header_of(r, "authorization").is_none()));
}

#[tokio::test]
async fn a_failed_upload_stops_the_flow_with_the_blob_store_error() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let mut created = imodel_response();
    created["iModel"]["_links"] =
        json!({ "upload": { "href": format!("{}/c/f?sig=1", blob.uri()) } });
    Mock::given(method("POST"))
        .and(path(BASE_PATH))
        .respond_with(json_response(201, created))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_string("<Error><Code>AuthenticationFailed</Code></Error>"),
        )
        .mount(&blob)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("f.bim");
    std::fs::write(&file, b"0123456789").expect("written");

    let body = create_body();
    let err = client(&api)
        .create_imodel_from_baseline_file(body, &file, &UploadOptions::default(), &fast_wait())
        .await
        .expect_err("the upload fails");

    let api_error = err.api().expect("an HTTP error");
    assert_eq!((api_error.operation, api_error.status), ("upload", 403));
    assert!(err.to_string().contains("AuthenticationFailed"), "{err}");
    // What exists already, to resume or clean up: the new iModel and where
    // its file goes; the signature stays out of what is printed.
    let Error::Flow(flow) = &err else {
        panic!("expected a flow error, got {err:?}")
    };
    assert_eq!(
        (flow.flow, flow.step),
        ("create_imodel_from_baseline_file", "upload")
    );
    assert_eq!(flow.created_id.as_deref(), Some(IMODEL_ID));
    assert_eq!(flow.completed, ["CreateIModel"]);
    assert_eq!(
        flow.upload_url(),
        Some(format!("{}/c/f?sig=1", blob.uri()).as_str())
    );
    assert!(err.to_string().contains(IMODEL_ID), "{err}");
    assert!(!format!("{err} {err:?}").contains("sig="), "{err:?}");
    assert_eq!(
        received(&api).await.len(),
        1,
        "no complete call after a failed upload"
    );
}

#[tokio::test]
async fn a_missing_file_is_an_io_error_before_anything_is_sent() {
    let api = MockServer::start().await;
    let body = create_body();
    let err = client(&api)
        .create_imodel_from_baseline_file(
            body,
            "/no/such/file.bim",
            &UploadOptions::default(),
            &fast_wait(),
        )
        .await
        .expect_err("no file");
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/file.bim"), "{err}");
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn thumbnail_streams_into_a_writer() {
    let server = MockServer::start().await;
    let png: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/thumbnail")))
        .respond_with(ResponseTemplate::new(200).set_body_raw(png.clone(), "image/png"))
        .mount(&server)
        .await;

    let mut out = Vec::new();
    let written = client(&server)
        .get_thumbnail(uuid(IMODEL_ID))
        .send_to(&mut out)
        .await
        .expect("the download succeeds");

    assert_eq!(written, png.len() as u64);
    assert!(out == png);
    let requests = received(&server).await;
    assert_eq!(
        header_of(&requests[0], "authorization"),
        Some(format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn downloads_from_handed_out_urls_carry_no_credentials() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"changeset bytes".to_vec(), "application/octet-stream"),
        )
        .mount(&blob)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let target = dir.path().join("cs.bin");

    let written = client(&api)
        .download_to_file(&format!("{}/cs/1?sig=2", blob.uri()), &target)
        .await
        .expect("the download succeeds");

    assert_eq!(written, 15);
    assert_eq!(std::fs::read(&target).expect("written"), b"changeset bytes");
    let got = received(&blob).await;
    assert_eq!(header_of(&got[0], "authorization"), None);
    // Even a URL on the API's own origin gets no token from `download`.
    let own = format!("{}/imodels/x", api.uri());
    let _ = client(&api).download(&own, &mut Vec::new()).await;
    let to_api = received(&api).await;
    assert_eq!(to_api.len(), 1);
    assert_eq!(header_of(&to_api[0], "authorization"), None);
}

// ---------------------------------------------------------------------------
// Limits and malformed responses
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_body_over_the_limit_is_a_typed_error() {
    let server = MockServer::start().await;
    let huge = json!({ "iModel": { "id": IMODEL_ID, "displayName": "x".repeat(100_000) } });
    Mock::given(method("GET"))
        .respond_with(json_response(200, huge))
        .mount(&server)
        .await;

    let client = builder(&server)
        .max_response_bytes(10_000)
        .build()
        .expect("builds");
    let err = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("too large");

    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                status: 200,
                limit: 10_000,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "truncated JSON",
            r#"{"iModel": {"id": "5e19bee0-3aea"#,
            "EOF",
        ),
        (
            "wrong field type",
            r#"{"iModel": {"id": 42, "displayName": "x"}}"#,
            "invalid type",
        ),
        ("empty body", "", "EOF"),
        (
            "HTML",
            "<html><body>Bad gateway</body></html>",
            "expected value",
        ),
    ];
    for (what, body, says) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_raw(body.as_bytes().to_vec(), "application/json"),
            )
            .mount(&server)
            .await;
        let err = client(&server)
            .get_imodel(uuid(IMODEL_ID))
            .send()
            .await
            .expect_err(what);
        match &err {
            Error::Decode {
                status: 200,
                body: kept,
                source,
                ..
            } => {
                assert_eq!(kept, body, "{what}: the body is kept for diagnosis");
                assert!(source.to_string().contains(says), "{what}: {source}");
            }
            other => panic!("{what}: expected Decode, got {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------

#[tokio::test]
async fn requests_are_traced_with_their_fields_and_never_the_token() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    mount_sequence(
        &server,
        "GET",
        &at,
        ResponseTemplate::new(503),
        1,
        json_response(200, imodel_response()),
    )
    .await;
    let (captured, _guard) = capture_logs();

    client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("the retry succeeds");

    let logs = captured.text();
    assert!(logs.contains("operation=\"GetIModel\""), "{logs}");
    assert!(logs.contains("method=GET"), "{logs}");
    assert!(logs.contains(&format!("path=/{IMODEL_ID}")), "{logs}");
    assert!(
        logs.contains("attempt=1") && logs.contains("attempt=2"),
        "{logs}"
    );
    assert!(
        logs.contains("status=503") && logs.contains("status=200"),
        "{logs}"
    );
    assert!(logs.contains("retrying"), "{logs}");
    assert!(
        !logs.contains(TOKEN),
        "the token leaked into the logs: {logs}"
    );
}

#[test]
fn the_client_and_its_options_do_not_show_the_token() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_token(TOKEN)
        .build()
        .expect("builds");
    let shown = format!("{client:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

// ---------------------------------------------------------------------------
// 500s, default headers and per-call headers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_500_is_retried_for_idempotent_requests_unless_turned_off() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}");
    mount_sequence(
        &server,
        "GET",
        &at,
        ResponseTemplate::new(500),
        1,
        json_response(200, imodel_response()),
    )
    .await;
    client(&server)
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("the retry succeeds");
    assert_eq!(received(&server).await.len(), 2);

    server.reset().await;
    mount_sequence(
        &server,
        "GET",
        &at,
        ResponseTemplate::new(500),
        1,
        json_response(200, imodel_response()),
    )
    .await;
    let error = builder(&server)
        .retry_policy(quick_retries().retry_internal_server_error(false))
        .build()
        .expect("the client builds")
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("500, not retried");
    assert_eq!(error.status(), Some(500));
    assert_eq!(received(&server).await.len(), 1);

    // A POST that may have been processed is not sent twice.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let error = client(&server)
        .create_imodel(create_body())
        .send()
        .await
        .expect_err("500");
    assert_eq!(error.status(), Some(500));
    assert_eq!(received(&server).await.len(), 1);
}

/// The official clients retry every 5xx: one in the middle of a listing
/// must not end the stream.
#[tokio::test]
async fn a_500_in_the_middle_of_a_listing_is_retried_and_the_stream_completes() {
    let server = MockServer::start().await;
    let second = format!("{}{BASE_PATH}?iTwinId={ITWIN_ID}&page=2", server.uri());
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .and(query_param("page", "2"))
        .respond_with(InTurn::new(vec![
            ResponseTemplate::new(500),
            json_response(200, page(2, 2, None)),
        ]))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE_PATH))
        .respond_with(json_response(200, page(0, 2, Some(second))))
        .with_priority(2)
        .mount(&server)
        .await;

    let items: Vec<_> = client(&server)
        .get_imodels_minimal(uuid(ITWIN_ID))
        .into_stream()
        .try_collect()
        .await
        .expect("every page loads");

    assert_eq!(ids(&items), expected_ids(0..4));
    let sent: Vec<String> = received(&server).await.iter().map(path_and_query).collect();
    assert_eq!(
        sent.len(),
        3,
        "the first page, the 500, its retry: {sent:?}"
    );
    assert_eq!(sent[1], sent[2]);
}

/// Completing a pushed changeset sets an absolute state (`x-idempotent`):
/// a 502 on it is retried, so the changeset is not left waiting for its file.
#[tokio::test]
async fn completing_a_changeset_is_retried_after_a_502() {
    let server = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}/changesets/{CHANGESET_ID}");
    mount_sequence(
        &server,
        "PATCH",
        &at,
        ResponseTemplate::new(502),
        1,
        json_response(
            200,
            json!({ "changeset": { "id": CHANGESET_ID, "index": 5 } }),
        ),
    )
    .await;

    let _ = client(&server)
        .update_changeset(
            uuid(IMODEL_ID),
            CHANGESET_ID,
            imodels_client::types::UpdateChangeset::new(
                imodels_client::types::UpdateChangesetState::FileUploaded,
                2,
            ),
        )
        .send()
        .await;

    let got = received(&server).await;
    assert_eq!(got.len(), 2, "the 502, then the retry");
    assert_eq!(got[0].body, got[1].body);
    assert_eq!(
        serde_json::from_slice::<Value>(&got[1].body).expect("JSON"),
        json!({ "state": "fileUploaded", "briefcaseId": 2 })
    );
}

#[tokio::test]
async fn default_and_per_call_headers_go_to_the_api_only_and_keep_the_timeouts() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}")))
        .respond_with(json_response(200, imodel_response()))
        .mount(&api)
        .await;
    // `slow` below has the API at the server's root: this is its `get_imodel`.
    Mock::given(method("GET"))
        .and(path(format!("/{IMODEL_ID}")))
        .respond_with(json_response(200, imodel_response()).set_delay(Duration::from_secs(5)))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("blob"))
        .mount(&blob)
        .await;
    let v3 = "application/vnd.bentley.itwin-platform.v3+json";
    let client = builder(&api)
        .default_header("X-Correlation-Id", "team-default")
        .default_header("Accept", v3)
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("the client builds");

    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("plain call");
    client
        .get_imodel(uuid(IMODEL_ID))
        .header("X-Correlation-Id", "case-4711")
        .header("X-Extra", "1")
        .send()
        .await
        .expect("call with its own headers");
    client
        .download(&format!("{}/cs?sig=x", blob.uri()), &mut Vec::new())
        .await
        .expect("download");
    let error = client
        .get_imodel(uuid(IMODEL_ID))
        .header("X-Bad", "line\nbreak")
        .send()
        .await
        .expect_err("not a header value");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    let got = received(&api).await;
    assert_eq!(got.len(), 2, "the bad header sent nothing");
    let values = |r: &wiremock::Request, name: &str| -> Vec<String> {
        r.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    };
    assert_eq!(values(&got[0], "x-correlation-id"), ["team-default"]);
    assert_eq!(
        values(&got[0], "accept"),
        [v3],
        "replaces the document's Accept"
    );
    assert_eq!(
        values(&got[1], "x-correlation-id"),
        ["case-4711"],
        "replaces the default"
    );
    assert_eq!(values(&got[1], "x-extra"), ["1"]);
    let to_blob = received(&blob).await;
    assert_eq!(header_of(&to_blob[0], "x-correlation-id"), None);
    let blob_accept = header_of(&to_blob[0], "accept").unwrap_or_default();
    assert!(!blob_accept.contains("bentley"), "{blob_accept}");

    // The builder's timeout still applies beside the headers.
    let slow = Client::builder()
        .base_url(api.uri())
        .bearer_token(TOKEN)
        .default_header("X-Correlation-Id", "team-default")
        .timeout(Duration::from_millis(300))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("the client builds");
    // An API call: transfers to handed-out URLs have a stall timeout
    // instead (runtime `tests::transfer_*`).
    let error = slow.get_imodel(uuid(IMODEL_ID)).send().await;
    assert!(error.is_err_and(|e| e.is_timeout()));

    let error = Client::builder()
        .base_url(api.uri())
        .default_header("Bad Name", "x")
        .build()
        .expect_err("not a header name");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

// ---------------------------------------------------------------------------
// Flows: push a changeset, create and wait
// ---------------------------------------------------------------------------

fn created_changeset(upload_href: &str) -> Value {
    json!({ "changeset": {
        "id": CHANGESET_ID, "displayName": "5", "index": 5, "briefcaseId": 2,
        "state": "waitingForFile",
        "_links": { "upload": { "href": upload_href, "storageType": "azure" } }
    } })
}

#[tokio::test]
async fn push_changeset_creates_uploads_and_completes_it() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let upload_href = format!("{}/cs/{CHANGESET_ID}?sv=2024&sig=abc", blob.uri());
    let changesets = format!("{BASE_PATH}/{IMODEL_ID}/changesets");
    Mock::given(method("POST"))
        .and(path(changesets.as_str()))
        .respond_with(json_response(201, created_changeset(&upload_href)))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&blob)
        .await;
    // The completing PATCH answered 502 once: retried (it sets an absolute state).
    mount_sequence(
        &api,
        "PATCH",
        &format!("{changesets}/{CHANGESET_ID}"),
        ResponseTemplate::new(502),
        1,
        json_response(
            200,
            json!({ "changeset": { "id": CHANGESET_ID, "displayName": "5", "index": 5, "state": "fileUploaded" } }),
        ),
    )
    .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join(format!("{CHANGESET_ID}.cs"));
    std::fs::write(&file, b"changeset contents").expect("written");

    let pushed = client(&api)
        .push_changeset(
            uuid(IMODEL_ID),
            create_changeset_body(),
            &file,
            &UploadOptions::default(),
        )
        .await
        .expect("the push succeeds");

    assert_eq!(pushed.changeset.index, 5);
    let to_api = received(&api).await;
    let sent: Vec<String> = to_api
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            format!("POST {changesets}"),
            format!("PATCH {changesets}/{CHANGESET_ID}"),
            format!("PATCH {changesets}/{CHANGESET_ID}"),
        ]
    );
    let create: Value = serde_json::from_slice(&to_api[0].body).expect("JSON");
    assert_eq!(create["fileSize"], json!(18), "the file's own size");
    assert_eq!(create["briefcaseId"], json!(2));
    let complete: Value = serde_json::from_slice(&to_api[2].body).expect("JSON");
    assert_eq!(
        complete,
        json!({ "state": "fileUploaded", "briefcaseId": 2 })
    );
    let to_blob = received(&blob).await;
    assert_eq!(to_blob.len(), 1);
    assert_eq!(to_blob[0].body, b"changeset contents");
    assert_eq!(
        header_of(&to_blob[0], "x-ms-blob-type").as_deref(),
        Some("BlockBlob")
    );
    assert_eq!(header_of(&to_blob[0], "authorization"), None);
}

#[tokio::test]
async fn a_push_that_fails_to_complete_says_which_changeset_exists() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let upload_href = format!("{}/cs/{CHANGESET_ID}?sig=abc", blob.uri());
    let changesets = format!("{BASE_PATH}/{IMODEL_ID}/changesets");
    Mock::given(method("POST"))
        .and(path(changesets.as_str()))
        .respond_with(json_response(201, created_changeset(&upload_href)))
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&blob)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(json_response(
            409,
            json!({ "error": { "code": "ChangesetExists", "message": "Changeset already exists." } }),
        ))
        .mount(&api)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("cs.cs");
    std::fs::write(&file, b"x").expect("written");

    let err = client(&api)
        .push_changeset(
            uuid(IMODEL_ID),
            create_changeset_body(),
            &file,
            &UploadOptions::default(),
        )
        .await
        .expect_err("the completion is refused");

    let Error::Flow(flow) = &err else {
        panic!("expected a flow error, got {err:?}")
    };
    assert_eq!(
        (flow.flow, flow.step),
        ("push_changeset", "UpdateChangeset")
    );
    assert_eq!(flow.created_id.as_deref(), Some(CHANGESET_ID));
    assert_eq!(flow.completed, ["CreateChangeset", "upload"]);
    assert_eq!(
        err.status(),
        Some(409),
        "the step's own error is still at hand"
    );
    assert!(err.to_string().contains("UpdateChangeset"), "{err}");
}

#[tokio::test]
async fn create_imodel_and_wait_returns_the_imodel_once_the_service_made_it() {
    let server = MockServer::start().await;
    let mut created = imodel_response();
    created["iModel"]["state"] = json!("notInitialized");
    Mock::given(method("POST"))
        .and(path(BASE_PATH))
        .respond_with(json_response(201, created))
        .mount(&server)
        .await;
    let poll_path = format!("{BASE_PATH}/{IMODEL_ID}/operations/create");
    mount_sequence(
        &server,
        "GET",
        &poll_path,
        json_response(200, create_operation("scheduled")),
        1,
        json_response(200, create_operation("successful")),
    )
    .await;
    let mut initialized = imodel_response();
    initialized["iModel"]["state"] = json!("initialized");
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}")))
        .respond_with(json_response(200, initialized))
        .mount(&server)
        .await;

    let imodel = client(&server)
        .create_imodel_and_wait(create_body(), &fast_wait())
        .await
        .expect("created");

    assert_eq!(
        imodel.imodel.state.map(|s| s.to_string()).as_deref(),
        Some("initialized")
    );
    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(
        sent,
        [
            format!("POST {BASE_PATH}"),
            format!("GET {poll_path}"),
            format!("GET {poll_path}"),
            format!("GET {BASE_PATH}/{IMODEL_ID}"),
        ]
    );
}

#[tokio::test]
async fn release_all_locks_releases_chunks_until_the_last() {
    let server = MockServer::start().await;
    let chunk = |last: bool| json_response(200, json!({ "isLastChunk": last }));
    Mock::given(method("POST"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/locks/release-chunk")))
        .respond_with(InTurn::new(vec![
            chunk(false),
            ResponseTemplate::new(503),
            chunk(false),
            chunk(true),
        ]))
        .mount(&server)
        .await;

    let last = client(&server)
        .release_all_locks(
            uuid(IMODEL_ID),
            imodels_client::types::ReleaseLocksChunk::new(2),
        )
        .await
        .expect("every lock is released");

    assert!(last.is_last_chunk);
    let got = received(&server).await;
    assert_eq!(
        got.len(),
        4,
        "three chunks, one of them retried after a 503"
    );
    for request in &got {
        assert_eq!(
            serde_json::from_slice::<Value>(&request.body).expect("JSON"),
            json!({ "briefcaseId": 2 })
        );
    }
}

#[tokio::test]
async fn clone_imodel_and_wait_takes_the_new_id_from_location() {
    let server = MockServer::start().await;
    let new_id = "9f2b1b43-0a0e-4e4f-8c7d-7b3c0a8f5e21";
    Mock::given(method("POST"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/clone")))
        .respond_with(ResponseTemplate::new(202).insert_header(
            "location",
            format!("https://api.bentley.com/iModels/{new_id}").as_str(),
        ))
        .mount(&server)
        .await;
    let poll_path = format!("{BASE_PATH}/{new_id}/operations/create");
    mount_sequence(
        &server,
        "GET",
        &poll_path,
        json_response(200, create_operation("scheduled")),
        1,
        json_response(200, create_operation("successful")),
    )
    .await;
    let mut clone = imodel_response();
    clone["iModel"]["id"] = json!(new_id);
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{new_id}")))
        .respond_with(json_response(200, clone))
        .mount(&server)
        .await;
    let body = || {
        serde_json::from_value::<CloneIModel>(json!({ "iTwinId": ITWIN_ID, "name": "Copy" }))
            .expect("a CloneIModel")
    };

    let imodel = client(&server)
        .clone_imodel_and_wait(uuid(IMODEL_ID), body(), &fast_wait())
        .await
        .expect("the clone is made");
    assert_eq!(imodel.imodel.id, uuid(new_id));
    let sent: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(
        sent,
        [
            format!("{BASE_PATH}/{IMODEL_ID}/clone"),
            poll_path.clone(),
            poll_path,
            format!("{BASE_PATH}/{new_id}")
        ]
    );

    // A failed clone says which iModel exists and what failed.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(202)
                .insert_header("location", format!("/iModels/{new_id}").as_str()),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(
            200,
            create_operation("mainIModelIsMissingFederationGuids"),
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .clone_imodel_and_wait(uuid(IMODEL_ID), body(), &fast_wait())
        .await
        .expect_err("the clone failed");
    let Error::Flow(flow) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(flow.step, "GetIModelCreateOperation");
    assert_eq!(flow.created_id.as_deref(), Some(new_id));
    assert!(
        matches!(&flow.source, Error::OperationFailed { .. }),
        "{err:?}"
    );

    // No Location header: an error naming it, nothing polled.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    let err = client(&server)
        .clone_imodel_and_wait(uuid(IMODEL_ID), body(), &fast_wait())
        .await
        .expect_err("no Location");
    assert!(err.to_string().contains("`Location` header"), "{err}");
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------
// Downloads: checkpoints, and a range of changesets
// ---------------------------------------------------------------------------

fn checkpoint(href: &str, size: u64) -> Value {
    json!({ "checkpoint": {
        "changesetIndex": 5, "state": "successful", "size": size,
        "_links": { "download": { "href": href } }
    } })
}

/// An expired URL (403) is replaced by reading the checkpoint again, as the
/// official client re-reads the resource for a fresh link.
#[tokio::test]
async fn a_checkpoint_download_refreshes_an_expired_url() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let at = format!("{BASE_PATH}/{IMODEL_ID}/changesets/{CHANGESET_ID}/checkpoint");
    let old = format!("{}/cp/old?sig=expired", blob.uri());
    let fresh = format!("{}/cp/fresh?sig=fresh", blob.uri());
    Mock::given(method("GET"))
        .and(path(at.as_str()))
        .respond_with(InTurn::new(vec![
            json_response(200, checkpoint(&old, 10)),
            json_response(200, checkpoint(&fresh, 10)),
        ]))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/cp/old"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&blob)
        .await;
    Mock::given(method("GET"))
        .and(path("/cp/fresh"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"0123456789".to_vec(), "application/octet-stream"),
        )
        .mount(&blob)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let target = dir.path().join("cp.bim");

    let size = client(&api)
        .download_changeset_checkpoint(
            uuid(IMODEL_ID),
            CHANGESET_ID,
            &target,
            &imodels_client::DownloadOptions::default(),
        )
        .await
        .expect("the download succeeds with the fresh URL");

    assert_eq!(size, 10);
    assert_eq!(std::fs::read(&target).expect("written"), b"0123456789");
    assert_eq!(
        received(&api).await.len(),
        2,
        "read once, then again for a fresh URL"
    );
    let to_blob: Vec<String> = received(&blob)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(to_blob, ["/cp/old", "/cp/fresh"]);
    assert!(received(&blob)
        .await
        .iter()
        .all(|r| header_of(r, "authorization").is_none()));
}

fn changeset_item(id: &str, href: &str, size: u64) -> Value {
    json!({ "id": id, "displayName": id, "index": 1, "fileSize": size,
            "_links": { "download": { "href": href } } })
}

#[tokio::test]
async fn download_all_pulls_a_range_skipping_files_already_there() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let ids = ["a".repeat(40), "b".repeat(40), "c".repeat(40)];
    let items: Vec<Value> = ids
        .iter()
        .map(|id| changeset_item(id, &format!("{}/cs/{id}?sig=s", blob.uri()), 3))
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}/changesets")))
        .respond_with(json_response(
            200,
            json!({ "changesets": items, "_links": { "next": null } }),
        ))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"xyz".to_vec(), "application/octet-stream"),
        )
        .mount(&blob)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    // The second changeset is already there with the right size.
    std::fs::write(dir.path().join(format!("{}.cs", ids[1])), b"old").expect("written");

    let reports = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&reports);
    let options = imodels_client::DownloadOptions::default()
        .progress(move |p| seen.lock().expect("not poisoned").push(p));

    let paths = client(&api)
        .get_changesets(uuid(IMODEL_ID))
        .after_index(4)
        .last_index(7)
        .download_all(dir.path(), &options, 2)
        .await
        .expect("every file is there");

    let expected: Vec<std::path::PathBuf> = ids
        .iter()
        .map(|id| dir.path().join(format!("{id}.cs")))
        .collect();
    assert_eq!(paths, expected, "in the listing's order");
    assert_eq!(std::fs::read(&expected[0]).expect("read"), b"xyz");
    assert_eq!(
        std::fs::read(&expected[1]).expect("read"),
        b"old",
        "kept, not downloaded again"
    );
    let to_blob: Vec<String> = received(&blob)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(to_blob.len(), 2, "{to_blob:?}");
    assert!(!to_blob.contains(&format!("/cs/{}", ids[1])));
    let listing = &received(&api).await[0];
    assert_eq!(listing.url.query(), Some("afterIndex=4&lastIndex=7"));
    // Progress is the whole set's: three files of 3 bytes, one of them kept.
    let reports = reports.lock().expect("not poisoned").clone();
    let last = reports.last().expect("progress was reported");
    assert_eq!((last.done, last.total), (9, Some(9)), "{reports:?}");
    assert!(
        reports.windows(2).all(|w| w[0].done <= w[1].done),
        "{reports:?}"
    );
}

#[tokio::test]
async fn download_all_refuses_a_file_name_that_leaves_the_directory() {
    let api = MockServer::start().await;
    let blob = MockServer::start().await;
    let items = vec![changeset_item(
        "../../escape",
        &format!("{}/cs/x?sig=s", blob.uri()),
        3,
    )];
    Mock::given(method("GET"))
        .respond_with(json_response(
            200,
            json!({ "changesets": items, "_links": { "next": null } }),
        ))
        .mount(&api)
        .await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let inner = dir.path().join("pull");
    std::fs::create_dir(&inner).expect("created");

    let err = client(&api)
        .get_changesets(uuid(IMODEL_ID))
        .download_all(&inner, &imodels_client::DownloadOptions::default(), 1)
        .await
        .expect_err("refused");

    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(received(&blob).await.is_empty(), "nothing downloaded");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("listed").count(),
        1,
        "nothing written beside it"
    );
}

#[tokio::test]
async fn the_api_version_travels_in_accept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, imodel_response()))
        .mount(&server)
        .await;
    builder(&server)
        .api_version("v3")
        .build()
        .expect("the client builds")
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("answered");
    let got = received(&server).await;
    assert_eq!(
        header_of(&got[0], "accept").as_deref(),
        Some("application/vnd.bentley.itwin-platform.v3+json")
    );
}

#[tokio::test]
async fn send_with_response_keeps_the_status_and_headers_and_builders_clone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json_response(200, imodel_response())
                .insert_header("etag", "\"v7\"")
                .insert_header("x-correlation-id", "corr-1"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let request = client.get_imodel(uuid(IMODEL_ID)).header("X-Case", "1");
    let again = request.clone();

    let answered = request.send_with_response().await.expect("answered");
    let body = again
        .send()
        .await
        .expect("the clone sends the same request");

    assert_eq!(answered.status, 200);
    assert_eq!(answered.headers["etag"], "\"v7\"");
    assert_eq!(answered.headers["x-correlation-id"], "corr-1");
    assert_eq!(answered.body.imodel.id, body.imodel.id);
    let got = received(&server).await;
    assert_eq!(got.len(), 2);
    assert_eq!(path_and_query(&got[0]), path_and_query(&got[1]));
    assert_eq!(
        header_of(&got[1], "x-case").as_deref(),
        Some("1"),
        "the clone kept its header"
    );
}

// ---------------------------------------------------------------------------
// OAuth2 tokens (the `oauth2` feature)
// ---------------------------------------------------------------------------

const CLIENT_SECRET: &str = "client-secret-3f9d1c";
const FIRST_TOKEN: &str = "access-token-one-8e21ab";
const SECOND_TOKEN: &str = "access-token-two-47cd90";

fn token_answer(token: &str) -> ResponseTemplate {
    json_response(
        200,
        json!({ "access_token": token, "token_type": "Bearer", "expires_in": 3600 }),
    )
}

/// A token endpoint that hands out [`FIRST_TOKEN`], then [`SECOND_TOKEN`],
/// and a client of `api` that gets its tokens there.
async fn oauth_client(api: &MockServer) -> (MockServer, Client) {
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/connect/token"))
        .respond_with(InTurn::new(vec![
            token_answer(FIRST_TOKEN),
            token_answer(SECOND_TOKEN),
        ]))
        .mount(&tokens)
        .await;
    let provider = imodels_client::OAuth2::client_credentials("service-app", CLIENT_SECRET)
        .token_url(format!("{}/connect/token", tokens.uri()));
    let client = Client::builder()
        .base_url(format!("{}{BASE_PATH}", api.uri()))
        .token_provider(provider)
        .retry_policy(quick_retries())
        .build()
        .expect("the client builds");
    (tokens, client)
}

fn bearers(requests: &[wiremock::Request]) -> Vec<String> {
    requests
        .iter()
        .map(|r| header_of(r, "authorization").unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_revoked_token_gets_one_refresh_and_the_request_one_retry() {
    let (logs, _guard) = capture_logs();
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE_PATH}/{IMODEL_ID}")))
        .respond_with(InTurn::new(vec![
            ResponseTemplate::new(401),
            json_response(200, imodel_response()),
        ]))
        .mount(&api)
        .await;
    let (tokens, client) = oauth_client(&api).await;
    client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect("answered after a new token");
    assert_eq!(
        bearers(&received(&api).await),
        [
            format!("Bearer {FIRST_TOKEN}"),
            format!("Bearer {SECOND_TOKEN}")
        ]
    );
    let token_requests = received(&tokens).await;
    assert_eq!(token_requests.len(), 2, "one token, one refresh");
    let form = String::from_utf8_lossy(&token_requests[0].body).to_string();
    assert_eq!(form, "grant_type=client_credentials&scope=itwin-platform");
    let text = logs.text();
    for secret in [CLIENT_SECRET, FIRST_TOKEN, SECOND_TOKEN] {
        assert!(!text.contains(secret), "{secret} logged: {text}");
        assert!(!format!("{client:?}").contains(secret));
    }
    assert!(text.contains("token rejected"), "{text}");
}

#[tokio::test]
async fn a_second_401_is_the_error() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    let (tokens, client) = oauth_client(&api).await;
    let error = client
        .get_imodel(uuid(IMODEL_ID))
        .send()
        .await
        .expect_err("still unauthorized");
    assert_eq!(error.status(), Some(401));
    assert_eq!(received(&api).await.len(), 2, "one retry, no more");
    assert_eq!(received(&tokens).await.len(), 2);
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(SECOND_TOKEN) && !shown.contains(CLIENT_SECRET),
        "{shown}"
    );
}

#[tokio::test]
async fn twenty_concurrent_calls_share_one_token_request() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, imodel_response()))
        .mount(&api)
        .await;
    let (tokens, client) = oauth_client(&api).await;
    let calls = (0..20).map(|_| client.get_imodel(uuid(IMODEL_ID)).send());
    for outcome in futures_util::future::join_all(calls).await {
        outcome.expect("answered");
    }
    assert_eq!(received(&tokens).await.len(), 1);
    let sent = bearers(&received(&api).await);
    assert_eq!(sent.len(), 20);
    assert!(sent.iter().all(|b| *b == format!("Bearer {FIRST_TOKEN}")));
}
