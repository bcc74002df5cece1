// This file is copied from `templates/examples/` by `cargo xtask codegen`. Do not edit it here.
//! Pulls a range of changesets into a directory as `{id}.cs`, four at a
//! time, keeping the files already there with the right size, with the
//! progress of the whole set.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example pull_changesets -- <iModelId> <afterIndex> <lastIndex> <dir>
//! ```

use imodels_client::{Client, DownloadOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: pull_changesets <iModelId> <afterIndex> <lastIndex> <dir>";
    let imodel_id: imodels_client::uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let after: i64 = args.next().ok_or(usage)?.parse()?;
    let last: i64 = args.next().ok_or(usage)?.parse()?;
    let dir = args.next().ok_or(usage)?;
    std::fs::create_dir_all(&dir)?;
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let options = DownloadOptions::default().progress(|p| match p.total {
        Some(total) => eprintln!("{} / {total} bytes", p.done),
        None => eprintln!("{} bytes", p.done),
    });
    let files = client
        .get_changesets(imodel_id)
        .after_index(after)
        .last_index(last)
        .download_all(&dir, &options, 4)
        .await?;
    println!("{} changesets in {dir}", files.len());
    Ok(())
}
