use crate::paging::query_value;

#[test]
fn a_continuation_token_is_read_from_a_next_link() {
    let link =
        "https://other.example.com/imodels?iTwinId=x&$top=2&$continuationToken=abc%2B%2Fdef%3D%3D";
    assert_eq!(
        query_value(link, "$continuationToken").as_deref(),
        Some("abc+/def==")
    );
    // The name percent-encoded, the value plain, a fragment after it.
    let link = "https://other.example.com/imodels?%24continuationToken=t-1#top";
    assert_eq!(
        query_value(link, "$continuationToken").as_deref(),
        Some("t-1")
    );
}

#[test]
fn a_missing_empty_or_undecodable_token_is_none() {
    for link in [
        "https://other.example.com/imodels",
        "https://other.example.com/imodels?$skip=2",
        "https://other.example.com/imodels?$continuationToken=",
        "https://other.example.com/imodels?$continuationToken",
        "https://other.example.com/imodels?$continuationToken=%FF",
        "https://other.example.com/imodels?x=1#$continuationToken=t",
    ] {
        assert_eq!(query_value(link, "$continuationToken"), None, "{link}");
    }
}
