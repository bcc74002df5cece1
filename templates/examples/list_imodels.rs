//! Lists every iModel of an iTwin, page after page, as a stream.
//!
//! ```text
//! IMODELS_TOKEN=… cargo run --example list_imodels -- <iTwinId>
//! ```
//!
//! `IMODELS_BASE_URL` points the client elsewhere (a test server, say).

use futures_util::{StreamExt, TryStreamExt};
use imodels_client::{Client, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let itwin_id: uuid::Uuid = std::env::args().nth(1).ok_or("usage: list_imodels <iTwinId>")?.parse()?;
    let mut builder = Client::builder()
        .bearer_token(std::env::var("IMODELS_TOKEN")?)
        // The default already retries 429s (after `Retry-After`) and, for
        // reads, 502/503/504; this allows more attempts.
        .retry_policy(RetryPolicy::default().max_attempts(6));
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // `Prefer: return=minimal`: each item is a `MinimalIModel`. Pages are
    // fetched as the stream is read, 1000 items at a time.
    let mut imodels = client.get_imodels_minimal(itwin_id).top(1000).into_stream();
    let mut count = 0;
    while let Some(imodel) = imodels.try_next().await? {
        count += 1;
        println!("{}  {}", imodel.id, imodel.display_name);
    }
    println!("{count} iModels");

    // The full representation, newest first, only the first ten.
    let newest: Vec<_> = client
        .get_imodels(itwin_id)
        .order_by("createdDateTime desc")
        .into_stream()
        .take(10)
        .try_collect()
        .await?;
    for imodel in newest {
        println!("{} created {:?}", imodel.display_name, imodel.created_date_time);
    }
    Ok(())
}
