use crate::client::encoding::{component, cookie_pair, path_param, push_query};

#[test]
fn reserved_characters_are_escaped_in_a_component() {
    assert_eq!(component("a b&c=d/e?f#g"), "a%20b%26c%3Dd%2Fe%3Ff%23g");
    assert_eq!(
        component("!'()*+,;:@[]{}|\\^`\"<>"),
        "%21%27%28%29%2A%2B%2C%3B%3A%40%5B%5D%7B%7D%7C%5C%5E%60%22%3C%3E"
    );
    assert_eq!(component("100%"), "100%25");
    assert_eq!(component("line\nbreak\t"), "line%0Abreak%09");
}

#[test]
fn unreserved_characters_and_dollar_are_kept() {
    assert_eq!(component("AZaz09-._~$top"), "AZaz09-._~$top");
}

#[test]
fn unicode_is_percent_encoded_as_utf8() {
    assert_eq!(component("é€🦀"), "%C3%A9%E2%82%AC%F0%9F%A6%80");
}

#[test]
fn a_path_parameter_stays_one_segment() {
    assert_eq!(path_param("p", &"a/b c").unwrap(), "a%2Fb%20c");
    assert_eq!(path_param("p", &"?x=1#frag").unwrap(), "%3Fx%3D1%23frag");
    assert_eq!(path_param("p", &42).unwrap(), "42");
    // Dots that are not a whole segment are ordinary characters.
    assert_eq!(path_param("p", &"...").unwrap(), "...");
    assert_eq!(path_param("p", &"a..b").unwrap(), "a..b");
    assert_eq!(path_param("p", &"%2E%2E").unwrap(), "%252E%252E");
}

#[test]
fn query_pairs_are_joined_with_ampersands() {
    let mut query = String::new();
    push_query(&mut query, "$top", "10");
    push_query(&mut query, "$filter", "name eq 'a&b'");
    assert_eq!(query, "$top=10&$filter=name%20eq%20%27a%26b%27");
}

#[test]
fn a_cookie_value_cannot_end_the_cookie() {
    assert_eq!(cookie_pair("session", "a b;c=d"), "session=a%20b%3Bc%3Dd");
}

#[test]
fn dot_segments_and_empty_path_values_are_refused() {
    for value in ["", ".", ".."] {
        let error = path_param("changesetId", &value).expect_err(value);
        let text = error.to_string();
        assert!(
            matches!(error, crate::Error::InvalidRequest(_)) && text.contains("`changesetId`"),
            "{value:?}: {text}"
        );
    }
}

#[test]
fn the_last_segment_of_a_location() {
    use crate::client::encoding::last_segment;
    assert_eq!(last_segment("https://api.example.com/imodels/ab12"), "ab12");
    assert_eq!(
        last_segment("https://api.example.com/iModels/ab12/?x=1#f"),
        "ab12"
    );
    assert_eq!(last_segment("/imodels/ab12"), "ab12");
    assert_eq!(last_segment("ab12"), "ab12");
    assert_eq!(last_segment(""), "");
}
