//! Saves an iModel's thumbnail to a file, streamed (never all in memory).
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example download_thumbnail -- <iModelId> thumbnail.png
//! ```

use imodels_client::types::GetThumbnailSize;
use imodels_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: download_thumbnail <iModelId> <file.png>";
    let imodel_id: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let path = args.next().ok_or(usage)?;
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let mut file = tokio::fs::File::create(&path).await?;
    let bytes = client.get_thumbnail(imodel_id).size(GetThumbnailSize::Large).send_to(&mut file).await?;
    println!("wrote {bytes} bytes to {path}");
    Ok(())
}
