// This file is copied from the generator's runtime by `cargo xtask codegen`. Do not edit it by hand.
//! Azure staged block uploads: the file as blocks (Put Block,
//! `?comp=block&blockid=…`), a few at once, each retried on its own, then
//! Put Block List (`?comp=blocklist`) naming every block in order.

use std::path::Path;

use base64::Engine as _;
use futures_util::{StreamExt, TryStreamExt};

use super::progress::Counter;
use super::upload::{put, Source, UploadOptions};
use super::wire::Target;
use crate::client::Client;
use crate::error::Error;

/// Azure's limit of blocks in one blob.
const MAX_BLOCKS: u64 = 50_000;

/// The id of block `index`: Azure needs ids of one length within a blob,
/// base64-encoded; `blk-` and eight digits make 16 characters, no padding.
pub(crate) fn block_id(index: u64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("blk-{index:08}"))
}

/// The Put Block List body committing `ids` in this order.
pub(crate) fn block_list(ids: &[String]) -> String {
    let mut xml = String::from(r#"<?xml version="1.0" encoding="utf-8"?><BlockList>"#);
    for id in ids {
        xml.push_str("<Latest>");
        xml.push_str(id);
        xml.push_str("</Latest>");
    }
    xml.push_str("</BlockList>");
    xml
}

/// Azure's largest block: 4000 MiB.
const MAX_BLOCK_SIZE: u64 = 4000 * 1024 * 1024;

/// The block size for a file of `total` bytes: the chosen one within
/// Azure's 4000 MiB, or larger when the file would need more than Azure's
/// 50 000 blocks.
pub(crate) fn block_size(chosen: u64, total: u64) -> u64 {
    chosen
        .clamp(1, MAX_BLOCK_SIZE)
        .max(total.div_ceil(MAX_BLOCKS))
}

pub(super) async fn upload(
    client: &Client,
    target: &Target,
    path: &Path,
    total: u64,
    options: &UploadOptions,
    counter: &Counter,
) -> Result<(), Error> {
    let size = block_size(options.block_size, total);
    let count = total.div_ceil(size);
    let ids: Vec<String> = (0..count).map(block_id).collect();
    let stall = options.stall_timeout;
    // `buffer_unordered` starts a block only when fewer than `parallelism`
    // are in flight, and each streams its range from disk: memory stays
    // bounded whatever the file's size. The first failure drops the others.
    futures_util::stream::iter(ids.iter().enumerate())
        .map(|(index, id)| async move {
            let offset = (index as u64).saturating_mul(size);
            let len = size.min(total.saturating_sub(offset));
            let mut parts = target.request("upload block", reqwest::Method::PUT);
            parts.query("comp", &"block");
            parts.query("blockid", id);
            let source = Source::File { path, offset, len };
            put(client, target, &parts, &source, stall, counter).await
        })
        .buffer_unordered(options.parallelism.max(1))
        .try_collect::<()>()
        .await?;
    let mut parts = target.request("upload block list", reqwest::Method::PUT);
    parts.query("comp", &"blocklist");
    for (name, value) in &options.headers {
        if !name.eq_ignore_ascii_case("x-ms-blob-type") {
            parts.header(name, value)?;
        }
    }
    let body = Source::Bytes("application/xml", block_list(&ids).into());
    put(client, target, &parts, &body, stall, counter).await
}
