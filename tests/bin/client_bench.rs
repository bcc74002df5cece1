//! Client benchmarks against a local server (see BENCHMARKS.md).
//!
//! ```text
//! cargo build --release -p tests --bin client-bench
//! /usr/bin/time -v target/release/client-bench paging 10000     # peak RSS while streaming 10,000 iModels
//! /usr/bin/time -v target/release/client-bench paging 100000    # ... and 100,000: flat memory means the same peak
//! target/release/client-bench overhead 2000                      # generated client vs plain reqwest, same requests
//! ```
//!
//! The server is in the same process (wiremock, request recording off), so
//! the peak RSS includes it; what matters is that it does not grow with the
//! number of items.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use imodels_client::types::IModelResponse;
use imodels_client::{Client, RetryPolicy};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ITWIN_ID: &str = "ad0ba809-9241-48ad-9eb0-c8038c1a1d51";
const PAGE: usize = 1000;

/// Serves `total` iModels in pages of 1000, chained by `_links.next`.
struct Pages {
    base: String,
    total: usize,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let skip: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "$skip")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let end = (skip + PAGE).min(self.total);
        let items: Vec<Value> = (skip..end)
            .map(|n| {
                json!({
                    "id": Uuid::from_u128(n as u128).to_string(),
                    "displayName": format!("iModel number {n}"),
                    "name": format!("iModel number {n}"),
                    "description": "A benchmark iModel with a description of ordinary length.",
                    "state": "initialized",
                    "createdDateTime": "2020-10-20T10:51:33.1700000Z",
                    "iTwinId": ITWIN_ID,
                    "dataCenterLocation": "East US",
                })
            })
            .collect();
        let next = (end < self.total).then(|| {
            json!({ "href": format!("{}?iTwinId={ITWIN_ID}&$skip={end}&$top={PAGE}", self.base) })
        });
        ResponseTemplate::new(200).set_body_json(json!({
            "iModels": items,
            "_links": { "self": null, "prev": null, "next": next }
        }))
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

async fn paging(total: usize) {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let base = format!("{}/imodels", server.uri());
    Mock::given(method("GET"))
        .and(path("/imodels"))
        .respond_with(Pages {
            base: base.clone(),
            total,
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(base)
        .bearer_token("bench")
        .build()
        .expect("the client builds");
    let started = Instant::now();
    let mut stream = client
        .get_imodels(Uuid::parse_str(ITWIN_ID).expect("uuid"))
        .top(PAGE as i64)
        .into_stream();
    let mut count = 0usize;
    let mut names = 0usize;
    while let Some(imodel) = stream.try_next().await.expect("pages load") {
        count += 1;
        names += imodel.display_name.len();
    }
    assert_eq!(count, total);
    println!(
        "paging: {count} items ({names} name bytes) in {:?}; peak RSS {} KiB",
        started.elapsed(),
        peak_rss_kib().unwrap_or(0)
    );
}

async fn overhead(requests: usize) {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    let id = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";
    Mock::given(method("GET"))
        .and(path(format!("/imodels/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "iModel": { "id": id, "displayName": "Sun City", "name": "Sun City", "state": "initialized" }
        })))
        .mount(&server)
        .await;
    let base = format!("{}/imodels", server.uri());
    let client = Client::builder()
        .base_url(&base)
        .bearer_token("bench")
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("the client builds");
    let plain = reqwest::Client::new();
    let uuid = Uuid::parse_str(id).expect("uuid");
    let url = format!("{base}/{id}");

    let generated = || async {
        client
            .get_imodel(uuid)
            .send()
            .await
            .expect("the request succeeds");
    };
    let by_hand = || async {
        let response = plain
            .get(&url)
            .header("accept", "application/vnd.bentley.itwin-platform.v2+json")
            .bearer_auth("bench")
            .send()
            .await
            .expect("the request succeeds");
        let bytes = response.bytes().await.expect("the body arrives");
        let _: IModelResponse = serde_json::from_slice(&bytes).expect("the body decodes");
    };
    // Warm both connection pools, then alternate rounds so drift hits both.
    for _ in 0..200 {
        generated().await;
        by_hand().await;
    }
    let (mut ours, mut theirs) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..10 {
        let t = Instant::now();
        for _ in 0..requests / 10 {
            generated().await;
        }
        ours += t.elapsed();
        let t = Instant::now();
        for _ in 0..requests / 10 {
            by_hand().await;
        }
        theirs += t.elapsed();
    }
    let n = (requests / 10 * 10) as u32;
    println!(
        "overhead: generated client {:?}/request, plain reqwest {:?}/request, ratio {:.3}",
        ours / n,
        theirs / n,
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    match what.as_str() {
        "paging" => paging(n).await,
        "overhead" => overhead(n).await,
        _ => eprintln!("usage: client-bench paging <items> | overhead <requests>"),
    }
}
