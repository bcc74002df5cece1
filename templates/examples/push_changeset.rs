//! Pushes a changeset file from a local briefcase: creates the changeset
//! with the file's size, uploads the file to blob storage and completes the
//! push, in one call. If a step fails, says what exists already.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example push_changeset -- <iModelId> <briefcaseId> <changesetId> <parentId|-> <file.cs>
//! ```

use imodels_client::types::CreateChangeset;
use imodels_client::{Client, Error, UploadOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: push_changeset <iModelId> <briefcaseId> <changesetId> <parentId|-> <file.cs>";
    let imodel_id: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let briefcase_id: i64 = args.next().ok_or(usage)?.parse()?;
    let changeset_id = args.next().ok_or(usage)?;
    let parent_id = args.next().ok_or(usage)?;
    let file = args.next().ok_or(usage)?;
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let body = CreateChangeset {
        description: Some("Pushed from Rust".into()),
        parent_id: (parent_id != "-").then_some(parent_id),
        // The flow puts the file's own size here.
        ..CreateChangeset::new(changeset_id, briefcase_id, 0)
    };
    let progress = UploadOptions::default().progress(|p| eprintln!("{} / {} bytes", p.done, p.total.unwrap_or_default()));
    match client.push_changeset(imodel_id, body, &file, &progress).await {
        Ok(pushed) => println!("pushed changeset #{}", pushed.changeset.index),
        Err(Error::Flow(failed)) => {
            eprintln!("step `{}` failed after {:?}", failed.step, failed.completed);
            if let Some(id) = &failed.created_id {
                eprintln!("changeset {id} exists and waits for its file; push it again to finish");
            }
            return Err(failed.source.into());
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
