//! Azure staged block uploads: the blocks, their ids, the block list, the
//! retries and the bound on requests at once.

use std::time::Duration;

use base64::Engine as _;

use super::blob_server::{client_with_timeout, contents, status, temp_dir, Reply, Server};
use crate::transfer::blocks::{block_id, block_list, block_size};
use crate::{Storage, UploadOptions};

fn decode(id: &str) -> String {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(id)
        .expect("a base64 block id");
    String::from_utf8(bytes).expect("UTF-8")
}

#[tokio::test]
async fn a_file_above_the_threshold_goes_as_blocks_then_the_exact_block_list() {
    // The second request (a block) is answered 503 once.
    let blob = Server::start(|request, index| {
        if index == 1 && request.query_param("comp").as_deref() == Some("block") {
            status(503)
        } else {
            Reply::SlowRead(100, Duration::from_millis(5), Box::new(status(201)))
        }
    })
    .await;
    let dir = temp_dir();
    let path = dir.path().join("big.bim");
    let data = contents(1000);
    std::fs::write(&path, &data).expect("written");
    let options = UploadOptions::default()
        .storage(Storage::Azure)
        .block_threshold(500)
        .block_size(300)
        .parallelism(2)
        .header("x-ms-blob-type", "BlockBlob")
        .header("x-ms-blob-content-type", "application/octet-stream");

    let sent = client_with_timeout(Duration::from_secs(10))
        .upload_file(&blob.url("/c/big.bim?sv=2024&sig=abc"), &path, &options)
        .await
        .expect("the staged upload completes");

    assert_eq!(sent, 1000);
    let got = blob.received();
    let (lists, blocks): (Vec<_>, Vec<_>) = got
        .iter()
        .partition(|r| r.query_param("comp").as_deref() == Some("blocklist"));
    assert_eq!(blocks.len(), 5, "4 blocks, one sent twice");
    assert_eq!(lists.len(), 1);
    assert_eq!(
        got.last().map(|r| r.query_param("comp")),
        Some(Some("blocklist".into()))
    );
    // Every block request: the SAS query kept, a block id, no blob type, no token.
    let mut by_id = std::collections::BTreeMap::new();
    for block in &blocks {
        assert_eq!(block.method, "PUT");
        assert!(block
            .query()
            .is_some_and(|q| q.starts_with("sv=2024&sig=abc&comp=block&blockid=")));
        assert_eq!(block.header("x-ms-blob-type"), None);
        assert_eq!(block.header("authorization"), None);
        let id = block.query_param("blockid").expect("a block id");
        assert_eq!(id.len(), 16, "ids of one length: {id}");
        assert_eq!(
            block.header("content-length"),
            Some(block.body.len().to_string().as_str())
        );
        if block.complete {
            by_id.insert(decode(&id), block.body.clone());
        }
    }
    let names: Vec<&String> = by_id.keys().collect();
    assert_eq!(
        names,
        [
            "blk-00000000",
            "blk-00000001",
            "blk-00000002",
            "blk-00000003"
        ]
    );
    let sizes: Vec<usize> = by_id.values().map(Vec::len).collect();
    assert_eq!(sizes, [300, 300, 300, 100]);
    assert!(
        by_id.values().flatten().copied().eq(data.iter().copied()),
        "the blocks are the file"
    );
    // The list names every block, in order, as the blocks were named.
    let list = &lists[0];
    let expected: String = (0..4)
        .map(|i| format!("<Latest>{}</Latest>", block_id(i)))
        .collect();
    assert_eq!(
        String::from_utf8_lossy(&list.body),
        format!(r#"<?xml version="1.0" encoding="utf-8"?><BlockList>{expected}</BlockList>"#)
    );
    assert_eq!(list.header("x-ms-blob-type"), None);
    assert_eq!(
        list.header("x-ms-blob-content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(list.header("authorization"), None);
    assert!(
        blob.max_in_flight() <= 2,
        "{} at once",
        blob.max_in_flight()
    );
}

#[tokio::test]
async fn blocks_run_in_parallel_up_to_the_bound() {
    let blob = Server::start(|_, _| {
        // Each block takes at least 300 ms to read.
        Reply::SlowRead(500, Duration::from_millis(150), Box::new(status(201)))
    })
    .await;
    let dir = temp_dir();
    let path = dir.path().join("big.bim");
    std::fs::write(&path, contents(6000)).expect("written");
    let options = UploadOptions::default()
        .storage(Storage::Azure)
        .block_threshold(0)
        .block_size(1000)
        .parallelism(3);

    client_with_timeout(Duration::from_secs(10))
        .upload_file(&blob.url("/c/big.bim"), &path, &options)
        .await
        .expect("uploaded");

    assert_eq!(blob.received().len(), 7);
    // Never more than the bound; more than one at once (a loaded machine
    // may start the third late).
    let most = blob.max_in_flight();
    assert!((2..=3).contains(&most), "{most} at once");
}

#[tokio::test]
async fn at_the_threshold_or_for_google_it_is_one_put() {
    let blob = Server::start(|_, _| status(201)).await;
    let dir = temp_dir();
    let path = dir.path().join("f.bim");
    std::fs::write(&path, contents(500)).expect("written");
    let client = client_with_timeout(Duration::from_secs(10));
    let small = UploadOptions::default()
        .block_threshold(500)
        .block_size(100);
    client
        .upload_file(
            &blob.url("/c/f"),
            &path,
            &small.clone().storage(Storage::Azure),
        )
        .await
        .expect("azure");
    client
        .upload_file(
            &blob.url("/c/f"),
            &path,
            &small.block_threshold(10).storage(Storage::Google),
        )
        .await
        .expect("google");

    let got = blob.received();
    assert_eq!(got.len(), 2);
    assert!(got
        .iter()
        .all(|r| r.query().is_none() && r.body.len() == 500));
    assert_eq!(got[0].header("x-ms-blob-type"), Some("BlockBlob"));
    assert_eq!(got[1].header("x-ms-blob-type"), None);
}

#[tokio::test]
async fn a_block_that_keeps_failing_fails_the_upload_without_a_block_list() {
    let blob = Server::start(|request, _| {
        if request
            .query_param("blockid")
            .map(|id| decode(&id))
            .as_deref()
            == Some("blk-00000001")
        {
            status(500)
        } else {
            status(201)
        }
    })
    .await;
    let dir = temp_dir();
    let path = dir.path().join("big.bim");
    std::fs::write(&path, contents(300)).expect("written");
    let options = UploadOptions::default()
        .storage(Storage::Azure)
        .block_threshold(100)
        .block_size(100)
        .parallelism(1);

    let err = client_with_timeout(Duration::from_secs(10))
        .upload_file(&blob.url("/c/big.bim?sig=abc"), &path, &options)
        .await
        .expect_err("a block keeps failing");

    let api = err.api().expect("an HTTP error");
    assert_eq!((api.operation, api.status), ("upload block", 500));
    let got = blob.received();
    assert!(got
        .iter()
        .all(|r| r.query_param("comp").as_deref() == Some("block")));
    assert_eq!(
        got.len(),
        1 + 4,
        "block 0, then block 1 four times; block 2 never"
    );
}

#[test]
fn block_ids_are_of_one_length_and_sizes_respect_the_block_limit() {
    assert_eq!(decode(&block_id(0)), "blk-00000000");
    assert_eq!(decode(&block_id(49_999)), "blk-00049999");
    assert_eq!(block_id(0).len(), block_id(99_999_999).len());
    assert!(block_list(&[]).ends_with("<BlockList></BlockList>"));
    const MIB: u64 = 1024 * 1024;
    assert_eq!(block_size(8 * MIB, 100 * MIB), 8 * MIB);
    // 1 TiB needs blocks of more than 8 MiB to stay within 50 000 of them.
    let size = block_size(8 * MIB, 1024 * 1024 * MIB);
    assert!(size > 8 * MIB);
    assert!((1024 * 1024 * MIB).div_ceil(size) <= 50_000);
    assert_eq!(block_size(0, 0), 1);
    assert_eq!(
        block_size(u64::MAX, 100),
        4000 * MIB,
        "Azure's largest block"
    );
    assert!(block_size(1, u64::MAX) >= u64::MAX / 50_000);
}
