//! Finds the iModel of a name in an iTwin, creating it when there is none,
//! and tests that function with the crate's typed fake (feature `testing`).
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example find_or_create --features testing -- <iTwinId> <name>
//! cargo test --example find_or_create --features testing
//! ```

use futures_util::TryStreamExt;
use imodels_client::types::CreateIModel;
use imodels_client::{Client, Error};

/// The id of the iModel named `name` in the iTwin, created if missing.
async fn find_or_create(client: &Client, itwin_id: uuid::Uuid, name: &str) -> Result<uuid::Uuid, Error> {
    let found = client.get_imodels_minimal(itwin_id).name(name).into_stream().try_next().await?;
    if let Some(imodel) = found {
        return Ok(imodel.id);
    }
    let created = client.create_imodel(CreateIModel::new(itwin_id, name.to_string())).send().await?;
    Ok(created.imodel.id)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: find_or_create <iTwinId> <name>";
    let itwin_id: uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let name = args.next().ok_or(usage)?;
    let client = Client::builder().bearer_token(std::env::var("IMODELS_TOKEN")?).build()?;
    println!("{}", find_or_create(&client, itwin_id, &name).await?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::find_or_create;
    use imodels_client::testing::Fake;
    use imodels_client::types::{IModelResponse, MinimalIModelList};
    use serde_json::json;

    const ITWIN: &str = "ad0ba809-9241-48ad-9eb0-c8038c1a1d51";
    const IMODEL: &str = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";

    fn listing(items: serde_json::Value) -> MinimalIModelList {
        serde_json::from_value(json!({ "iModels": items, "_links": { "self": null, "prev": null, "next": null } }))
            .expect("a listing")
    }

    #[tokio::test]
    async fn an_existing_imodel_is_found_and_nothing_is_created() {
        let fake = Fake::start().await;
        fake.get_imodels_minimal()
            .times(1)
            .returns(listing(json!([{ "id": IMODEL, "displayName": "Sun City" }])))
            .await;
        let client = fake.client().expect("a client");
        let id = find_or_create(&client, ITWIN.parse().expect("uuid"), "Sun City").await.expect("found");
        assert_eq!(id.to_string(), IMODEL);
        // A CreateIModel call would be listed as unexpected.
        fake.verify().expect("only the listing was called");
        let listed = fake.received().await.get_imodels_minimal();
        assert_eq!(listed[0].query("name"), Some("Sun City"));
    }

    #[tokio::test]
    async fn a_missing_imodel_is_created_with_the_name() {
        let fake = Fake::start().await;
        fake.get_imodels_minimal().returns(listing(json!([]))).await;
        let created: IModelResponse =
            serde_json::from_value(json!({ "iModel": { "id": IMODEL, "displayName": "Sun City", "name": "Sun City" } }))
                .expect("an iModel");
        fake.create_imodel().times(1).returns(created).await;
        let client = fake.client().expect("a client");
        let id = find_or_create(&client, ITWIN.parse().expect("uuid"), "Sun City").await.expect("created");
        assert_eq!(id.to_string(), IMODEL);
        fake.verify().expect("listed, then created once");
        let sent = fake.received().await.create_imodel();
        let body = sent[0].body.as_ref().expect("a CreateIModel body");
        assert_eq!((body.name.as_str(), body.itwin_id.to_string().as_str()), ("Sun City", ITWIN));
    }
}
