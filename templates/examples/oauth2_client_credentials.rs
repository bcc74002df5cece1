//! A service application's tokens: the OAuth2 client credentials flow,
//! from the document's token URL and scopes, refreshed before they expire
//! (needs the crate's `oauth2` feature).
//!
//! ```text
//! IMODELS_CLIENT_ID=… IMODELS_CLIENT_SECRET=… \
//!   cargo run --example oauth2_client_credentials --features oauth2 -- <iTwinId>
//! ```
//!
//! `IMODELS_TOKEN_URL` asks another token endpoint, `IMODELS_BASE_URL`
//! another API (a test server, say).

use imodels_client::{Client, OAuth2};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let itwin_id: uuid::Uuid = std::env::args()
        .nth(1)
        .ok_or("usage: oauth2_client_credentials <iTwinId>")?
        .parse()?;
    let mut tokens = OAuth2::client_credentials(
        std::env::var("IMODELS_CLIENT_ID")?,
        std::env::var("IMODELS_CLIENT_SECRET")?,
    );
    if let Ok(url) = std::env::var("IMODELS_TOKEN_URL") {
        tokens = tokens.token_url(url);
    }
    // With the document's defaults only, this is
    // `Client::builder().oauth2_client_credentials(id, secret)`.
    let mut builder = Client::builder().token_provider(tokens);
    if let Ok(url) = std::env::var("IMODELS_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build()?;

    // The first request gets a token; the next ones reuse it until shortly
    // before it expires. A 401 (a revoked token) gets one new token and one
    // retry.
    let page = client.get_imodels_minimal(itwin_id).top(5).send().await?;
    for imodel in &page.imodels {
        println!("{} {}", imodel.id, imodel.display_name);
    }
    Ok(())
}
