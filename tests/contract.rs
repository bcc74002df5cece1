//! Contract suite: every operation of the generated iModels client
//! (`imodels-client`) is called once against Stoplight Prism mocking the
//! document the client is generated from (the vendor's `spec/imodels-v2.yaml`
//! with the overlays `spec/codegen.yaml` lists, written to a temporary JSON
//! file for each mock) with request validation, and the suite fails if
//! Prism finds anything in a request that the document does not allow.
//!
//! Prism reports a bad request in one of two ways (both are checked): its own
//! `application/problem+json` 4xx answer, or, when the document defines a
//! fitting 4xx itself, that response with the violations in an
//! `sl-violations` header. Requests go through a recording relay
//! (`contract/recorder.rs`) because the client's typed results do not expose
//! response headers. As a third signal, Prism's log for each request (they
//! run one at a time) must say that it passed validation.
//!
//! The wiremock tests in `client_behaviour.rs` check the requests against what
//! we meant; this suite checks them against what the document says. Prism's
//! responses are generated from the document, so every success response must
//! also decode into the client's types. No paging: Prism's static `_links.next`
//! is never null.
//!
//! Prism comes from `contract/package.json` (installed by `cargo xtask test`
//! with `npm ci --ignore-scripts`); without it these tests fail, saying so.

#[path = "contract/prism.rs"]
mod prism;
#[path = "contract/recorder.rs"]
mod recorder;

use std::collections::BTreeMap;
use std::future::Future;

use imodels_client::types::{
    self, GetLocksLockLevel, GetThumbnailSize, IModelState, LockLevel, NamedVersionState,
    UpdateChangesetState,
};
use imodels_client::{Client, Error};
use prism::Prism;
use recorder::{Exchange, Recorder};
use tests::imodels::*;

/// What Prism mocks: the document `cargo xtask codegen` reads (the vendor's
/// file with our overlays), written to a temporary file.
const SPEC: &str = "the iModels document (spec/codegen.yaml)";
const TOKEN: &str = "contract-token";

/// Prism on the iModels document and the relay in front of it.
struct Mock {
    // Field order: the relay stops before Prism is killed, and the document
    // is deleted after.
    recorder: Recorder,
    prism: Prism,
    _file: tempfile::NamedTempFile,
    /// The document Prism mocks.
    document: serde_json::Value,
    /// Every request body sent so far.
    sent: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl Mock {
    /// Starts Prism with `options` after `mock <the document>`.
    async fn start(options: &[&str]) -> Mock {
        Mock::start_on(tests::imodels_document(), options).await
    }

    /// Starts Prism on `document` (written to a temporary JSON file).
    async fn start_on(document: serde_json::Value, options: &[&str]) -> Mock {
        let mut file = tempfile::Builder::new()
            .prefix("imodels-")
            .suffix(".json")
            .tempfile()
            .expect("a temporary file");
        let text = serde_json::to_string_pretty(&document).expect("a JSON value prints");
        std::io::Write::write_all(&mut file, text.as_bytes()).expect("write the document");
        let prism = Prism::start(file.path(), options);
        let recorder = Recorder::start(prism.port()).await;
        Mock {
            recorder,
            prism,
            _file: file,
            document,
            sent: Default::default(),
        }
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(self.recorder.uri())
            .bearer_token(TOKEN)
            .build()
            .expect("the client builds")
    }

    /// Runs one call and returns what the client got, the one exchange it
    /// caused, and what Prism logged about it.
    async fn one<T>(
        &self,
        call: impl Future<Output = Result<T, Error>>,
    ) -> Result<Outcome<T>, String> {
        self.recorder.take();
        let log_start = self.prism.output().len();
        let result = call.await;
        let mut exchanges = self.recorder.take();
        if exchanges.len() != 1 {
            return Err(format!(
                "expected exactly one request, got {}: {exchanges:#?}",
                exchanges.len()
            ));
        }
        let exchange = exchanges.remove(0)?;
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(exchange.request_body.clone());
        }
        let log = self.prism.log_since(log_start, REQUEST_LOGGED).await;
        Ok(Outcome {
            result,
            exchange,
            log,
        })
    }
}

/// Prism logs one of these when it is done with a request.
const REQUEST_LOGGED: [&str; 2] = ["> Responding with", "Request terminated"];

/// Prism's log line for a request without violations.
const PASSED: &str = "The request passed the validation rules";

struct Outcome<T> {
    result: Result<T, Error>,
    exchange: Exchange,
    /// Prism's log lines about this request (requests run one at a time).
    log: String,
}

/// Why Prism's answer shows the request broke the document, if it does.
fn violation<T>(outcome: &Outcome<T>) -> Option<String> {
    let exchange = &outcome.exchange;
    let mut problems = Vec::new();
    if let Some(violations) = exchange.header("sl-violations").and_then(breaking) {
        problems.push(format!("sl-violations: {violations}"));
    }
    let content_type = exchange.header("content-type").unwrap_or_default();
    if content_type.starts_with("application/problem+json") {
        problems.push(format!("Prism's own answer: {}", exchange.body_text()));
    }
    if !(200..300).contains(&exchange.status) {
        problems.push(format!("status {}", exchange.status));
    }
    if !outcome.log.contains(PASSED) {
        problems.push(format!(
            "Prism's log does not say \"{PASSED}\":\n{}",
            outcome.log
        ));
    }
    report(exchange, problems)
}

/// The violations in an `sl-violations` header that break the document,
/// if there are any. Prism also lists the use of a `deprecated: true`
/// parameter (`$skip`, which the service still takes) as a warning: that is
/// allowed, not a violation. A header that is not the JSON list Prism writes
/// is reported whole.
fn breaking(header: &str) -> Option<String> {
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(header)
    else {
        return Some(header.to_string());
    };
    let left: Vec<&serde_json::Value> = list
        .iter()
        .filter(|v| !(v["code"] == "deprecated" && v["severity"] == "Warning"))
        .collect();
    (!left.is_empty()).then(|| serde_json::to_string(&left).unwrap_or_default())
}

#[test]
fn only_deprecation_warnings_are_allowed_in_sl_violations() {
    let deprecated = r#"[{"location":["request","query","$skip"],"severity":"Warning","code":"deprecated","message":"Query param $skip is deprecated"}]"#;
    assert_eq!(breaking(deprecated), None);
    let invalid = r#"[{"location":["request","query","$top"],"severity":"Error","code":"maximum","message":"must be <= 1000"}]"#;
    let both = format!(
        "[{},{}]",
        &deprecated[1..deprecated.len() - 1],
        &invalid[1..invalid.len() - 1]
    );
    assert_eq!(breaking(&both).as_deref(), Some(invalid));
    assert_eq!(breaking("not json").as_deref(), Some("not json"));
}

fn report(exchange: &Exchange, problems: Vec<String>) -> Option<String> {
    if problems.is_empty() {
        None
    } else {
        Some(format!(
            "{} {} -> {}",
            exchange.method,
            exchange.target,
            problems.join("; ")
        ))
    }
}

/// The only answer a sound `GetThumbnail` request can get from Prism.
///
/// The service sends PNG bytes although the request's `Accept` is the vendor
/// JSON type it recommends for every call (the official clients send exactly
/// that); the document says `image/png`, truthfully, so Prism's content
/// negotiation finds nothing for that `Accept` and answers 406. Prism
/// validates the request *before* it negotiates the success response: an
/// invalid request gets the document's 422 (or 401) with `sl-violations`
/// instead, as `requests_that_break_the_document_are_reported` shows, and
/// Prism's log says the request passed validation. So this exact 406, with no
/// violations and that log line, means "valid".
fn thumbnail_verdict<T>(outcome: &Outcome<T>) -> Option<String> {
    let exchange = &outcome.exchange;
    let mut problems = Vec::new();
    if let Some(violations) = exchange.header("sl-violations") {
        problems.push(format!("sl-violations: {violations}"));
    }
    let body: serde_json::Value = serde_json::from_slice(&exchange.body).unwrap_or_default();
    let expected_detail = format!("Unable to find content for {ACCEPT}");
    let is_negotiation_only = exchange.status == 406
        && body["type"] == "https://stoplight.io/prism/errors#NOT_ACCEPTABLE"
        && body["detail"] == expected_detail.as_str();
    if !is_negotiation_only {
        problems.push(format!(
            "expected Prism's 406 for the PNG response, got {} {}",
            exchange.status,
            exchange.body_text()
        ));
    }
    if !outcome.log.contains(PASSED) {
        problems.push(format!(
            "Prism's log does not say \"{PASSED}\":\n{}",
            outcome.log
        ));
    }
    report(exchange, problems)
}

/// Checks one successful call: Prism accepted the request, and the client
/// decoded Prism's response into what Prism sent ([`decoded_differs`]).
async fn check<T: std::fmt::Debug + serde::Serialize>(
    mock: &Mock,
    failures: &mut Vec<String>,
    name: &str,
    call: impl Future<Output = Result<T, Error>>,
) {
    // A minimal representation is decoded from the full one Prism sends:
    // what the minimal schema does not declare is left over by design.
    let minimal = MINIMAL
        .iter()
        .find(|(call, _)| *call == name)
        .map(|(_, schema)| format!("#/components/schemas/{schema}"));
    let document = &mock.document;
    check_with(mock, failures, name, call, |decoded, exchange| {
        let undeclared = |at: &str| {
            minimal
                .as_deref()
                .is_some_and(|schema| !declares(document, schema, at))
        };
        decoded_differs(decoded, &exchange.body, &undeclared)
    })
    .await
}

/// The property names the document's request bodies declare (through
/// `$ref`s, `items`, `oneOf`/`anyOf` and nested objects) that no body in
/// `sent` has anywhere, sorted. By name, not by place: a name sent in one
/// body counts for every body that declares it.
fn unsent_request_properties(document: &serde_json::Value, sent: &[Vec<u8>]) -> Vec<String> {
    use serde_json::Value;
    use std::collections::BTreeSet;
    fn declared(
        document: &Value,
        node: &Value,
        seen: &mut BTreeSet<String>,
        out: &mut BTreeSet<String>,
    ) {
        if let Some(target) = node["$ref"].as_str() {
            if seen.insert(target.to_string()) {
                if let Some(n) = target.strip_prefix('#').and_then(|p| document.pointer(p)) {
                    declared(document, n, seen, out);
                }
            }
            return;
        }
        if let Some(properties) = node["properties"].as_object() {
            for (name, schema) in properties {
                out.insert(name.clone());
                declared(document, schema, seen, out);
            }
        }
        for key in ["items", "additionalProperties"] {
            if node[key].is_object() {
                declared(document, &node[key], seen, out);
            }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for branch in node[key].as_array().into_iter().flatten() {
                declared(document, branch, seen, out);
            }
        }
    }
    fn keys(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut wanted = BTreeSet::new();
    let operations = document["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    for operation in operations {
        let media = operation["requestBody"]["content"].as_object();
        for content in media.into_iter().flat_map(|m| m.values()) {
            declared(
                document,
                &content["schema"],
                &mut BTreeSet::new(),
                &mut wanted,
            );
        }
    }
    let mut got = BTreeSet::new();
    for body in sent {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            keys(&value, &mut got);
        }
    }
    wanted.difference(&got).cloned().collect()
}

#[test]
fn request_properties_never_sent_are_found() {
    let document = serde_json::json!({
        "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/A"}
        }}}}}},
        "components": {"schemas": {
            "A": {"properties": {"a": {}, "b": {"properties": {"c": {}}}, "self": {"$ref": "#/components/schemas/A"}}}
        }}
    });
    let sent = [br#"{"a":1}"#.to_vec(), b"not json".to_vec()];
    assert_eq!(
        unsent_request_properties(&document, &sent),
        ["b", "c", "self"]
    );
    let all = [br#"{"a":1,"b":{"c":2},"self":{}}"#.to_vec()];
    assert!(unsent_request_properties(&document, &all).is_empty());
}

/// The calls that ask for the minimal representation (`x-variants` in
/// spec/overlays/generator.yaml), and its schema. The document gives these
/// operations the full representation's schema, so Prism answers with it.
const MINIMAL: &[(&str, &str)] = &[
    ("get_imodels_minimal", "MinimalIModelList"),
    ("get_changesets_minimal", "MinimalChangesetList"),
    ("get_named_versions_minimal", "MinimalNamedVersionList"),
    ("get_briefcases_minimal", "MinimalBriefcaseList"),
    ("get_imodel_users_minimal", "MinimalUserList"),
    ("get_favorite_imodels_minimal", "MinimalIModelList"),
    ("get_recent_imodels_minimal", "MinimalIModelList"),
];

/// Whether the schema at `schema` (a pointer into `document`) declares the
/// place `at` (`/namedVersions/0/name`): through `$ref`s, `items` for an
/// index, `properties` for a key, any `oneOf`/`anyOf` branch.
fn declares(document: &serde_json::Value, schema: &str, at: &str) -> bool {
    fn walk(document: &serde_json::Value, node: &serde_json::Value, path: &[&str]) -> bool {
        if let Some(target) = node["$ref"].as_str() {
            return target
                .strip_prefix('#')
                .and_then(|p| document.pointer(p))
                .is_some_and(|n| walk(document, n, path));
        }
        let Some((first, rest)) = path.split_first() else {
            return true;
        };
        let branches = ["oneOf", "anyOf"]
            .iter()
            .filter_map(|k| node[*k].as_array())
            .flatten();
        for branch in branches {
            if walk(document, branch, path) {
                return true;
            }
        }
        let child = if first.parse::<usize>().is_ok() && node.get("items").is_some() {
            &node["items"]
        } else {
            &node["properties"][*first]
        };
        !child.is_null() && walk(document, child, rest)
    }
    let path: Vec<&str> = at.split('/').skip(1).collect();
    schema
        .strip_prefix('#')
        .and_then(|p| document.pointer(p))
        .is_some_and(|node| walk(document, node, &path))
}

/// [`check`] for a result that is the `Location` header, not a body.
async fn check_location<T: std::fmt::Debug>(
    mock: &Mock,
    failures: &mut Vec<String>,
    name: &str,
    call: impl Future<Output = Result<T, Error>>,
    location: fn(&T) -> Option<&str>,
) {
    check_with(mock, failures, name, call, |decoded, exchange| {
        let sent = exchange.header("location");
        (location(decoded) != sent)
            .then(|| format!("Location {sent:?} decoded as {:?}", location(decoded)))
    })
    .await
}

/// [`check`] with `differs` telling how the decoded value differs from
/// what Prism sent.
async fn check_with<T: std::fmt::Debug>(
    mock: &Mock,
    failures: &mut Vec<String>,
    name: &str,
    call: impl Future<Output = Result<T, Error>>,
    differs: impl Fn(&T, &Exchange) -> Option<String>,
) {
    match mock.one(call).await {
        Err(e) => failures.push(format!("{name}: {e}")),
        Ok(outcome) => {
            if let Some(v) = violation(&outcome) {
                failures.push(format!("{name}: {v}"));
            } else {
                match &outcome.result {
                    Err(e) => failures.push(format!(
                        "{name}: Prism accepted the request but the client failed: {e} (body: {})",
                        outcome.exchange.body_text()
                    )),
                    Ok(decoded) => {
                        if let Some(d) = differs(decoded, &outcome.exchange) {
                            failures.push(format!("{name}: {d}"));
                        }
                    }
                }
            }
        }
    }
}

/// How the value the client decoded differs from the body it decoded it
/// from, if it does: the value is written back to JSON and compared with
/// the body, nulls and empty objects dropped on both sides (an absent
/// optional field is `None`, written as nothing), numbers by value (`1`
/// and `1.0`), date-times by instant. `Ok` alone proves little: serde
/// ignores names it does not know, so a field whose wire name the client
/// gets wrong decodes as `None`; this comparison sees the field left over.
/// A call with no typed result (`()`) has nothing to compare.
///
/// `undeclared(place)`: a place the body may hold that the decoded type
/// does not (for the minimal representations, see [`MINIMAL`]).
fn decoded_differs<T: serde::Serialize>(
    decoded: &T,
    body: &[u8],
    undeclared: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let decoded = match serde_json::to_value(decoded) {
        Ok(serde_json::Value::Null) => return None,
        Ok(value) => value,
        Err(e) => return Some(format!("the decoded value does not serialise: {e}")),
    };
    let sent: serde_json::Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return Some(format!("decoded a body that is not JSON ({e})")),
    };
    let mut differences = Vec::new();
    compare(
        &prune(&sent),
        &prune(&decoded),
        "",
        undeclared,
        &mut differences,
    );
    (!differences.is_empty()).then(|| {
        format!(
            "the decoded value is not what Prism sent (wire name or type wrong?): {}",
            differences.join("; ")
        )
    })
}

/// `value` without nulls, and without objects left empty by that.
fn prune(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), prune(v)))
                .filter(|(_, v)| !v.is_null() && v.as_object().is_none_or(|m| !m.is_empty()))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(prune).collect()),
        other => other.clone(),
    }
}

/// Records at which JSON pointer `sent` and `decoded` differ.
fn compare(
    sent: &serde_json::Value,
    decoded: &serde_json::Value,
    at: &str,
    undeclared: &dyn Fn(&str) -> bool,
    differences: &mut Vec<String>,
) {
    use serde_json::Value;
    match (sent, decoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}/{key}");
                match b.get(key) {
                    Some(other) => compare(value, other, &here, undeclared, differences),
                    None if undeclared(&here) => {}
                    None => differences.push(format!("{here} sent, not decoded")),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                differences.push(format!("{at}/{key} decoded, not sent"));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{at}/{i}"), undeclared, differences);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (Value::String(a), Value::String(b)) if a == b || same_instant(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => differences.push(format!("{at}: sent {a}, decoded {b}")),
    }
}

/// Whether two RFC 3339 date-times name the same instant (the client writes
/// them with its own precision).
fn same_instant(a: &str, b: &str) -> bool {
    match (
        chrono::DateTime::parse_from_rfc3339(a),
        chrono::DateTime::parse_from_rfc3339(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
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

fn create_imodel_body() -> types::CreateIModel {
    types::CreateIModel {
        itwin_id: uuid(ITWIN_ID),
        name: "Sun City Renewable-energy Plant".into(),
        description: Some("Overall model of wind and solar farms in Sun City".into()),
        extent: Some(extent()),
        template: Some(types::IModelTemplate {
            imodel_id: uuid(TEMPLATE_IMODEL_ID),
            changeset_id: Some(CHANGESET_ID.into()),
        }),
        baseline_file: None,
        containers_enabled: Some(7),
        creation_mode: Some(types::IModelCreationMode::FromIModelVersion),
        geographic_coordinate_system: None,
    }
}

#[tokio::test]
async fn every_operation_sends_requests_the_document_allows() {
    // Static mode: Prism answers with the document's examples.
    let mock = Mock::start(&[]).await;
    assert_every_operation_passes(&mock).await;
}

/// The same calls with responses Prism generates from the schemas instead of
/// the examples (a fixed seed keeps them reproducible): the client decodes
/// every shape the document allows, not only the examples'. The document
/// forbids extra properties here ([`forbid_additional_properties`]): a
/// request field whose wire name is wrong is then a violation, and the
/// generated responses hold only declared properties, so the decoded value
/// must be all of the body.
#[tokio::test]
async fn every_operation_decodes_responses_generated_from_the_schemas() {
    let mut document = tests::imodels_document();
    forbid_additional_properties(&mut document);
    let mock = Mock::start_on(document, &["--dynamic", "--seed", "1"]).await;
    assert_every_operation_passes(&mock).await;
}

/// Sets `additionalProperties: false` on every object schema with
/// `properties` that says nothing about other properties (the iModels
/// document never does, and uses no `allOf`, whose parts this would break).
/// Serde ignores unknown names, so without this a request field under a
/// wrong name is accepted by the mock as an extra property.
fn forbid_additional_properties(document: &mut serde_json::Value) {
    use serde_json::Value;
    fn schema(node: &mut Value) {
        let Some(map) = node.as_object_mut() else {
            return;
        };
        if map.get("properties").is_some_and(Value::is_object)
            && !map.contains_key("additionalProperties")
            && !map.contains_key("allOf")
        {
            map.insert("additionalProperties".into(), Value::Bool(false));
        }
        for (key, child) in map.iter_mut() {
            match key.as_str() {
                "properties" => child
                    .as_object_mut()
                    .into_iter()
                    .flatten()
                    .for_each(|(_, p)| schema(p)),
                "items" | "additionalProperties" | "not" => schema(child),
                "oneOf" | "anyOf" => child.as_array_mut().into_iter().flatten().for_each(schema),
                _ => {}
            }
        }
    }
    fn document_node(node: &mut Value) {
        match node {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match key.as_str() {
                        "schema" => schema(child),
                        "schemas" => child
                            .as_object_mut()
                            .into_iter()
                            .flatten()
                            .for_each(|(_, s)| schema(s)),
                        "example" | "examples" => {}
                        _ => document_node(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(document_node),
            _ => {}
        }
    }
    document_node(document);
}

/// Calls every operation once and fails, listing them all, if Prism
/// reported any request or the client could not decode any response.
async fn assert_every_operation_passes(mock: &Mock) {
    let client = mock.client();
    let imodel = uuid(IMODEL_ID);
    let mut failures = Vec::new();
    let f = &mut failures;
    let m = mock;

    // iModels
    let get_imodels = client
        .get_imodels(uuid(ITWIN_ID))
        .top(10)
        .skip(20)
        .order_by("name desc")
        .search("Sun City")
        .state(IModelState::Initialized)
        .send();
    check(m, f, "get_imodels", get_imodels).await;
    let minimal = client.get_imodels_minimal(uuid(ITWIN_ID)).top(10).send();
    check(m, f, "get_imodels_minimal", minimal).await;
    let create = client.create_imodel(create_imodel_body()).send();
    check(m, f, "create_imodel", create).await;
    // From a baseline file, with a coordinate system: the optional fields
    // the call above leaves out are each sent once.
    let from_baseline = types::CreateIModel {
        template: None,
        baseline_file: Some(types::BaselineFileSize::new(4567)),
        creation_mode: Some(types::IModelCreationMode::FromBaseline),
        geographic_coordinate_system: Some(types::GeographicCoordinateSystem::new("EPSG:2056")),
        ..create_imodel_body()
    };
    let create = client.create_imodel(from_baseline).send();
    check(m, f, "create_imodel from a baseline", create).await;
    check(m, f, "get_imodel", client.get_imodel(imodel).send()).await;
    check(m, f, "delete_imodel", client.delete_imodel(imodel).send()).await;
    let update = types::UpdateIModel {
        name: Some("Sun City Renewable-energy Plant (renamed)".into()),
        description: Some("Renamed after the design review".into()),
        extent: Some(extent()),
    };
    check(
        m,
        f,
        "update_imodel",
        client.update_imodel(imodel, update).send(),
    )
    .await;
    let clone = types::CloneIModel {
        itwin_id: uuid(ITWIN_ID),
        name: Some("Sun City Renewable-energy Plant (copy)".into()),
        changeset_id: None,
        description: Some("Clone up to changeset 5".into()),
        changeset_index: Some(5),
        containers_enabled: Some(0),
    };
    let clone = client.clone_imodel(imodel, clone).send();
    check_location(m, f, "clone_imodel", clone, |r| r.location.as_deref()).await;
    let fork = types::ForkIModel {
        itwin_id: uuid(ITWIN_ID),
        name: Some("Sun City Renewable-energy Plant (fork)".into()),
        changeset_id: Some(CHANGESET_ID.into()),
        description: Some("Fork for the what-if study".into()),
        changeset_index: None,
        containers_enabled: Some(0),
        preserve_history: Some(true),
    };
    let fork = client.fork_imodel(imodel, fork).send();
    check_location(m, f, "fork_imodel", fork, |r| r.location.as_deref()).await;
    let operation = client.get_imodel_create_operation(imodel).send();
    check(m, f, "get_imodel_create_operation", operation).await;

    // Changesets
    let get_changesets = client
        .get_changesets(imodel)
        .after_index(3)
        .last_index(9)
        .order_by("index desc")
        .top(5)
        .skip(0)
        .send();
    check(m, f, "get_changesets", get_changesets).await;
    let minimal = client.get_changesets_minimal(imodel).top(5).send();
    check(m, f, "get_changesets_minimal", minimal).await;
    let changeset = types::CreateChangeset {
        group_id: Some(GROUP_ID.into()),
        ..create_changeset_body()
    };
    let create = client.create_changeset(imodel, changeset).send();
    check(m, f, "create_changeset", create).await;
    let get = client.get_changeset(imodel, CHANGESET_ID).send();
    check(m, f, "get_changeset", get).await;
    let uploaded = types::UpdateChangeset {
        state: UpdateChangesetState::FileUploaded,
        briefcase_id: 2,
    };
    let update = client
        .update_changeset(imodel, CHANGESET_ID, uploaded)
        .send();
    check(m, f, "update_changeset", update).await;

    // Named versions
    let list = client
        .get_named_versions(imodel)
        .name("Milestone 1")
        .state(NamedVersionState::Visible)
        .order_by("changesetIndex desc")
        .top(1)
        .send();
    check(m, f, "get_named_versions", list).await;
    let minimal = client.get_named_versions_minimal(imodel).top(1).send();
    check(m, f, "get_named_versions_minimal", minimal).await;
    let version = types::CreateNamedVersion {
        name: "Milestone 1".into(),
        description: Some("Design review".into()),
        changeset_id: Some(CHANGESET_ID.into()),
    };
    let create = client.create_named_version(imodel, version).send();
    check(m, f, "create_named_version", create).await;
    let get = client
        .get_named_version(imodel, uuid(NAMED_VERSION_ID))
        .send();
    check(m, f, "get_named_version", get).await;

    // Briefcases and locks
    let list = client
        .get_briefcases(imodel)
        .owner_id("me")
        .order_by("acquiredDateTime desc")
        .top(100)
        .send();
    check(m, f, "get_briefcases", list).await;
    let minimal = client.get_briefcases_minimal(imodel).owner_id("me").send();
    check(m, f, "get_briefcases_minimal", minimal).await;
    let device = types::AcquireBriefcase {
        device_name: Some("Design workstation 7".into()),
    };
    let acquire = client.acquire_briefcase(imodel, device).send();
    check(m, f, "acquire_briefcase", acquire).await;
    let list = client
        .get_locks(imodel)
        .briefcase_id(2)
        .lock_level(GetLocksLockLevel::Exclusive)
        .top(50)
        .skip(0)
        .send();
    check(m, f, "get_locks", list).await;
    let locks = types::UpdateLocks {
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
    };
    check(
        m,
        f,
        "update_locks",
        client.update_locks(imodel, locks).send(),
    )
    .await;

    // Users
    let list = client
        .get_imodel_users(imodel)
        .top(10)
        .skip(10)
        .order_by("surname")
        .send();
    check(m, f, "get_imodel_users", list).await;
    let minimal = client.get_imodel_users_minimal(imodel).top(10).send();
    check(m, f, "get_imodel_users_minimal", minimal).await;
    let get = client.get_imodel_user(imodel, uuid(USER_ID)).send();
    check(m, f, "get_imodel_user", get).await;

    // Baseline file
    check(
        m,
        f,
        "get_baseline_file",
        client.get_baseline_file(imodel).send(),
    )
    .await;
    let complete = client
        .complete_baseline_file_upload(imodel, BTreeMap::new())
        .send();
    check(m, f, "complete_baseline_file_upload", complete).await;

    // Thumbnail: see `thumbnail_verdict` for why the answer is a 406.
    let thumbnail = client
        .get_thumbnail(imodel)
        .size(GetThumbnailSize::Large)
        .send();
    match mock.one(thumbnail).await {
        Err(e) => f.push(format!("get_thumbnail: {e}")),
        Ok(outcome) => {
            if let Some(v) = thumbnail_verdict(&outcome) {
                f.push(format!("get_thumbnail: {v}"));
            } else if !matches!(&outcome.result, Err(Error::Api(api)) if api.status == 406) {
                let result = &outcome.result;
                f.push(format!(
                    "get_thumbnail: the client did not report the 406: {result:?}"
                ));
            }
        }
    }

    assert_the_operations_of_issue_13_pass(m, f).await;

    // Every property a request body may have was sent at least once: a field
    // never sent is a wire name never checked.
    let sent = mock.sent.lock().map(|s| s.clone()).unwrap_or_default();
    let unsent = unsent_request_properties(&mock.document, &sent);
    if !unsent.is_empty() {
        f.push(format!(
            "request body properties no call sent: {}",
            unsent.join(", ")
        ));
    }

    assert!(
        failures.is_empty(),
        "Prism found {} operation(s) whose request does not match {SPEC}:\n  {}\n\nPrism's log:\n{}",
        failures.len(),
        failures.join("\n  "),
        mock.prism.output()
    );
}

/// The operations the vendor's document lacks (spec/overlays/endpoints.yaml),
/// each called once as the others are, and the continuation tokens every
/// list now takes.
async fn assert_the_operations_of_issue_13_pass(m: &Mock, f: &mut Vec<String>) {
    let client = m.client();
    let imodel = uuid(IMODEL_ID);

    // Continuation tokens on the vendor's lists.
    let token = "eyJza2lwIjoxMDB9";
    let list = client
        .get_imodels(uuid(ITWIN_ID))
        .continuation_token(token)
        .send();
    check(m, f, "get_imodels with a token", list).await;
    let list = client
        .get_changesets(imodel)
        .continuation_token(token)
        .send();
    check(m, f, "get_changesets with a token", list).await;

    // Changeset extended data.
    let list = client
        .get_changesets_extended_data(imodel)
        .top(10)
        .skip(0)
        .continuation_token(token)
        .send();
    check(m, f, "get_changesets_extended_data", list).await;
    let get = client.get_changeset_extended_data(imodel, "12").send();
    check(m, f, "get_changeset_extended_data", get).await;
    let data = types::CreateChangesetExtendedData::new("eyJ0YXNrIjoiU29sYXIgZmFybSJ9");
    let create = client
        .create_changeset_extended_data(imodel, CHANGESET_ID, data)
        .send();
    check(m, f, "create_changeset_extended_data", create).await;

    // Changeset groups.
    let list = client.get_changeset_groups(imodel).top(5).send();
    check(m, f, "get_changeset_groups", list).await;
    let group = types::CreateChangesetGroup::new("Solar farm import");
    let create = client.create_changeset_group(imodel, group).send();
    check(m, f, "create_changeset_group", create).await;
    let get = client.get_changeset_group(imodel, GROUP_ID).send();
    check(m, f, "get_changeset_group", get).await;
    let close = types::UpdateChangesetGroup::new(types::ChangesetGroupState::Completed);
    let update = client
        .update_changeset_group(imodel, GROUP_ID, close)
        .send();
    check(m, f, "update_changeset_group", update).await;

    // Named versions and checkpoints.
    let rename = types::UpdateNamedVersion {
        name: Some("Milestone 1 (approved)".into()),
        description: Some("Approved at the design review".into()),
        state: Some(NamedVersionState::Hidden),
    };
    let update = client
        .update_named_version(imodel, uuid(NAMED_VERSION_ID), rename)
        .send();
    check(m, f, "update_named_version", update).await;
    let get = client.get_changeset_checkpoint(imodel, CHANGESET_ID).send();
    check(m, f, "get_changeset_checkpoint", get).await;
    let get = client
        .get_named_version_checkpoint(imodel, uuid(NAMED_VERSION_ID))
        .send();
    check(m, f, "get_named_version_checkpoint", get).await;
    let reschedule = client
        .reschedule_named_version_checkpoint(imodel, uuid(NAMED_VERSION_ID))
        .send();
    check(m, f, "reschedule_named_version_checkpoint", reschedule).await;
    let get = client.get_latest_checkpoint(imodel).send();
    check(m, f, "get_latest_checkpoint", get).await;

    // Thumbnail upload, in both media types, and permissions.
    let png = client.upload_thumbnail(imodel, PNG_BYTES).send();
    check(m, f, "upload_thumbnail (PNG)", png).await;
    let jpeg = client
        .upload_thumbnail(imodel, JPEG_BYTES)
        .content_type(types::UploadThumbnailContentType::ImageJpeg)
        .send();
    check(m, f, "upload_thumbnail (JPEG)", jpeg).await;
    let get = client.get_imodel_permissions(imodel).send();
    check(m, f, "get_imodel_permissions", get).await;

    // Briefcases and locks.
    check(
        m,
        f,
        "get_briefcase",
        client.get_briefcase(imodel, 2).send(),
    )
    .await;
    let release = client.release_briefcase(imodel, 2).send();
    check(m, f, "release_briefcase", release).await;
    let chunk = types::ReleaseLocksChunk {
        briefcase_id: 2,
        changeset_id: Some(CHANGESET_ID.into()),
    };
    let release = client.release_locks_chunk(imodel, chunk).send();
    check(m, f, "release_locks_chunk", release).await;
    let released = client
        .get_released_locks(imodel, 11)
        .top(100)
        .continuation_token(token)
        .send();
    check(m, f, "get_released_locks", released).await;

    // Favorites and recents.
    let list = client
        .get_favorite_imodels(uuid(ITWIN_ID))
        .top(10)
        .continuation_token(token)
        .send();
    check(m, f, "get_favorite_imodels", list).await;
    let minimal = client.get_favorite_imodels_minimal(uuid(ITWIN_ID)).send();
    check(m, f, "get_favorite_imodels_minimal", minimal).await;
    let add = client.add_favorite_imodel(imodel).send();
    check(m, f, "add_favorite_imodel", add).await;
    let remove = client.remove_favorite_imodel(imodel).send();
    check(m, f, "remove_favorite_imodel", remove).await;
    let list = client.get_recent_imodels(uuid(ITWIN_ID)).top(5).send();
    check(m, f, "get_recent_imodels", list).await;
    let minimal = client.get_recent_imodels_minimal(uuid(ITWIN_ID)).send();
    check(m, f, "get_recent_imodels_minimal", minimal).await;
    let add = client.add_recent_imodel(imodel, BTreeMap::new()).send();
    check(m, f, "add_recent_imodel", add).await;
    let remove = client.remove_recent_imodel(imodel).send();
    check(m, f, "remove_recent_imodel", remove).await;
}

/// The checks above can fail: requests that break the document are caught,
/// each by the check the suite relies on.
#[tokio::test]
async fn requests_that_break_the_document_are_reported() {
    let mock = Mock::start(&[]).await;
    let client = mock.client();
    let imodel = uuid(IMODEL_ID);

    // A query value outside the document's range (`$top` is at most 1000).
    let outcome = mock
        .one(client.get_imodels(uuid(ITWIN_ID)).top(5000).send())
        .await
        .expect("one exchange");
    let found = violation(&outcome).expect("$top=5000 is reported");
    assert!(
        found.contains("sl-violations") && found.contains("$top"),
        "{found}"
    );
    assert!(outcome.result.is_err(), "the client sees an error");

    // A request body that breaks the schema (latitude is at most 90).
    let mut far_north = extent();
    far_north.north_east.latitude = 91.0;
    let update = types::UpdateIModel {
        extent: Some(far_north),
        ..Default::default()
    };
    let outcome = mock
        .one(client.update_imodel(imodel, update).send())
        .await
        .expect("one exchange");
    let found = violation(&outcome).expect("latitude 91 is reported");
    assert!(found.contains("latitude"), "{found}");

    // No credentials although the document requires OAuth2.
    let anonymous = Client::builder()
        .base_url(mock.recorder.uri())
        .build()
        .expect("the client builds");
    let outcome = mock
        .one(anonymous.get_imodel(imodel).send())
        .await
        .expect("one exchange");
    let found = violation(&outcome).expect("a request without a token is reported");
    assert!(found.contains("status 401"), "{found}");

    // A thumbnail size the document does not list: not the 406 that
    // `thumbnail_verdict` accepts, so an invalid thumbnail request is caught.
    let huge = client
        .get_thumbnail(imodel)
        .size(GetThumbnailSize::Other("huge".into()))
        .send();
    let outcome = mock.one(huge).await.expect("one exchange");
    let found = thumbnail_verdict(&outcome).expect("size=huge is reported");
    assert!(
        found.contains("sl-violations") && found.contains("size"),
        "{found}"
    );

    // The thumbnail without the token: also caught.
    let outcome = mock
        .one(anonymous.get_thumbnail(imodel).send())
        .await
        .expect("one exchange");
    assert!(
        thumbnail_verdict(&outcome).is_some(),
        "a thumbnail request without a token is reported: {:?}",
        outcome.exchange
    );

    // And a sound thumbnail request gets exactly the accepted 406.
    let outcome = mock
        .one(client.get_thumbnail(imodel).send())
        .await
        .expect("one exchange");
    assert_eq!(thumbnail_verdict(&outcome), None, "{:?}", outcome.exchange);
}

/// The contract suite fails on a misnamed optional field, both ways.
///
/// In a request: against the document with extra properties forbidden,
/// Prism reports a body field under a name the document does not have (a
/// client whose wire name for `description` were `descripton`); against
/// the document as published it does not, which is why the suite uses the
/// strict one. In a response: a body whose field the client's type does not
/// know by that name decodes (`Ok`, the field `None`), and
/// [`decoded_differs`] reports the field left over.
#[tokio::test]
async fn a_misnamed_optional_field_is_reported() {
    let typo = r#"{"name":"Sun City","descripton":"a field under a wrong name"}"#;
    // A bare reqwest 0.13 client needs a rustls crypto provider, which the
    // crate's client installs (its `ring` feature) when it is built.
    Client::builder()
        .bearer_token(TOKEN)
        .build()
        .expect("the crate's client");
    let send = |mock: &Mock| {
        let request = reqwest::Client::new()
            .patch(format!("{}/{IMODEL_ID}", mock.recorder.uri()))
            .header("authorization", format!("Bearer {TOKEN}"))
            .header("accept", ACCEPT)
            .header("content-type", "application/json")
            .body(typo);
        async move {
            // The verdict is in the exchange the relay recorded.
            let _ = request.send().await;
            Ok::<(), Error>(())
        }
    };
    let mut document = tests::imodels_document();
    forbid_additional_properties(&mut document);
    let strict = Mock::start_on(document, &[]).await;
    let outcome = strict.one(send(&strict)).await.expect("one exchange");
    let found = violation(&outcome).expect("the misnamed field is reported");
    assert!(found.contains("descripton"), "{found}");
    drop(strict);
    let lenient = Mock::start(&[]).await;
    let outcome = lenient.one(send(&lenient)).await.expect("one exchange");
    assert_eq!(
        violation(&outcome),
        None,
        "the published document allows it"
    );

    // The response side, on the body Prism sends for `getIModel`.
    let client = lenient.client();
    let outcome = lenient
        .one(client.get_imodel(uuid(IMODEL_ID)).send())
        .await
        .expect("one exchange");
    let body = outcome.exchange.body_text();
    let decoded = outcome.result.expect("the example decodes");
    assert_eq!(decoded_differs(&decoded, body.as_bytes(), &|_| false), None);
    assert!(body.contains("\"description\""), "{body}");
    let misnamed = body.replacen("\"description\"", "\"descriptionText\"", 1);
    let decoded: types::IModelResponse =
        serde_json::from_str(&misnamed).expect("serde ignores the unknown name");
    assert_eq!(decoded.imodel.description, None);
    let found = decoded_differs(&decoded, misnamed.as_bytes(), &|_| false)
        .expect("the left-over field is reported");
    assert!(
        found.contains("/iModel/descriptionText sent, not decoded"),
        "{found}"
    );
}

/// A failing test leaves no Prism behind: the guard kills it while the
/// panic unwinds.
#[test]
fn prism_stops_when_a_test_fails() {
    let document = tests::imodels_document_file();
    let spec = document.path().to_path_buf();
    let started = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = started.clone();
    let failed = std::panic::catch_unwind(move || {
        let running = Prism::start(&spec, &[]);
        if let Ok(mut seen) = seen.lock() {
            *seen = Some(running.pid());
        }
        assert!(
            std::net::TcpStream::connect(("127.0.0.1", running.port())).is_ok(),
            "Prism listens while the guard lives"
        );
        panic!("a failing contract test");
    });
    assert!(failed.is_err(), "the closure panicked");
    let pid = started
        .lock()
        .ok()
        .and_then(|p| *p)
        .expect("Prism started and reported its process");
    // The process itself is gone (killed and reaped by the guard's drop),
    // rather than "its port is free": a parallel test may take a free port.
    assert!(
        !std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "Prism's process {pid} still runs after the panic"
    );
}
