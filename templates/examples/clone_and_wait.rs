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
    let accepted = client.clone_imodel(source, body).send().await?;
    // The new iModel's URL ends with its id.
    let location = accepted.location.ok_or("the service sent no Location header")?;
    let new_id: uuid::Uuid = location.rsplit('/').next().unwrap_or_default().parse()?;

    match client.wait_for_imodel_created(new_id, &WaitOptions::default()).await {
        Ok(_) => {
            let imodel = client.get_imodel(new_id).send().await?;
            println!("cloned into {} ({})", imodel.imodel.id, imodel.imodel.display_name);
        }
        Err(Error::OperationFailed { state, .. }) => eprintln!("the clone failed: {state}"),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
