// This file is copied from `templates/examples/` by `cargo xtask codegen`. Do not edit it here.
//! Creates an iModel from a local Baseline File (`.bim`) in one call:
//! create → upload the file to blob storage (streamed, with progress) →
//! complete → wait until initialized → read the iModel back.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example create_from_baseline -- <iTwinId> <name> <file.bim>
//! ```

use std::time::Duration;

use imodels_client::types::CreateIModel;
use imodels_client::{Client, UploadOptions, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: create_from_baseline <iTwinId> <name> <file.bim>";
    let itwin_id = args.next().ok_or(usage)?;
    let name = args.next().ok_or(usage)?;
    let file = args.next().ok_or(usage)?;
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // `baselineFile.size` is filled in from the file.
    let body = CreateIModel::new(itwin_id.parse()?, name);
    let upload = UploadOptions::default().progress(|p| {
        eprint!("\ruploaded {} of {} bytes", p.done, p.total.unwrap_or_default());
    });
    let wait = WaitOptions::default().timeout(Duration::from_secs(600));
    let created = client.create_imodel_from_baseline_file(body, &file, &upload, &wait).await?;
    eprintln!();
    println!("created {} ({:?})", created.imodel.id, created.imodel.state);
    Ok(())
}
