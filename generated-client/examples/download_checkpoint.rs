// This file is copied from `templates/examples/` by `cargo xtask codegen`. Do not edit it here.
//! Downloads the checkpoint of a changeset (or, without one, the latest) to
//! a file: the whole file or nothing, resumed after a broken connection,
//! with a fresh URL when the handed-out one expires.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example download_checkpoint -- <iModelId> <file.bim> [changesetId|index]
//! ```

use imodels_client::{Client, DownloadOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: download_checkpoint <iModelId> <file.bim> [changesetId|index]";
    let imodel_id: imodels_client::uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let file = args.next().ok_or(usage)?;
    let changeset = args.next();
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let options = DownloadOptions::default();
    let size = match changeset {
        Some(changeset) => {
            client
                .download_changeset_checkpoint(imodel_id, changeset, &file, &options)
                .await?
        }
        None => client.download_latest_checkpoint(imodel_id, &file, &options).await?,
    };
    println!("{file}: {size} bytes");
    Ok(())
}
