//! Clones an iModel into another iTwin and waits until the clone is ready.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example clone_and_wait -- <iModelId> <target iTwinId> <new name>
//! ```

use imodels_client::types::CloneIModel;
use imodels_client::{Client, Error, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: clone_and_wait <iModelId> <target iTwinId> <new name>";
    let source: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let itwin_id = args.next().ok_or(usage)?;
    let name = args.next().ok_or(usage)?;
    let mut builder = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    let body = CloneIModel {
        name: Some(name),
        ..CloneIModel::new(itwin_id.parse()?)
    };
    // Clone, take the new id from the `Location` header, wait until the
    // service has made it, read it: one call.
    match client.clone_imodel_and_wait(source, body, &WaitOptions::default()).await {
        Ok(imodel) => println!("cloned into {} ({})", imodel.imodel.id, imodel.imodel.display_name),
        Err(Error::Flow(failed)) => {
            if let Some(id) = &failed.created_id {
                eprintln!("the clone {id} exists, but step `{}` failed", failed.step);
            }
            match failed.source {
                Error::OperationFailed { state, .. } => eprintln!("the clone failed: {state}"),
                other => return Err(other.into()),
            }
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
