//! JSON pointers (RFC 6901), the one place that writes and reads them.
//!
//! The generator spells a place in a document `#/paths/~1a/get`: `#`, then
//! each reference token after a `/`, with `~` written `~0` and `/` written
//! `~1`. Unescaping replaces `~1` before `~0`, so `~01` reads as `~1` (a
//! tilde then a one), never as `/`. A `$ref` is a URI fragment as well, so
//! its tokens may also be percent-encoded (`%7Bid%7D` for `{id}`):
//! [`fragment_tokens`] decodes those, [`tokens`] does not.
//!
//! [`crate::error::Pointer`] builds pointers segment by segment with
//! [`escape`]; everything that takes one apart uses this module.

use std::borrow::Cow;

use serde_json::Value;

/// One reference token as written in a pointer: `a/b~c` → `a~1b~0c`.
pub(crate) fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// One reference token as meant: `a~1b~0c` → `a/b~c`, `~01` → `~1`. A `~`
/// followed by anything but `0` or `1` is kept as written.
pub(crate) fn unescape(token: &str) -> Cow<'_, str> {
    if !token.contains('~') {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('~', Some('1')) => {
                out.push('/');
                chars.next();
            }
            ('~', Some('0')) => {
                out.push('~');
                chars.next();
            }
            (c, _) => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// The unescaped tokens of a pointer written `#/a/b~1c` or `/a/b~1c`
/// (`a`, `b/c`); `#` and the empty pointer are the whole document (no
/// tokens). `None` when the text is not a pointer (`a/b`). An empty token
/// (`#/a//b`, `#/a/`) is a key like any other: the empty string.
pub(crate) fn tokens(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('#').unwrap_or(pointer);
    if rest.is_empty() {
        return Some(Vec::new());
    }
    Some(
        rest.strip_prefix('/')?
            .split('/')
            .map(|t| unescape(t).into_owned())
            .collect(),
    )
}

/// The unescaped tokens of a local `$ref` (`#/a~1b/%7Bc%7D` → `a/b`,
/// `{c}`), or `None` for one into another file (not starting with `#`) or
/// one that is not a pointer. Each token is percent-decoded, then unescaped
/// (so `%7E1` is `/`, as RFC 6901 section 6 reads it); a `%2F` is a `/`
/// inside its token, not a separator. Bytes that do not decode (or decode
/// to something that is not UTF-8) are kept as written.
pub(crate) fn fragment_tokens(reference: &str) -> Option<Vec<String>> {
    let rest = reference.strip_prefix('#')?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    Some(
        rest.strip_prefix('/')?
            .split('/')
            .map(|t| unescape(&percent_decode(t)).into_owned())
            .collect(),
    )
}

/// The name of the component a local `$ref` names, when it names one of
/// `#/components/<section>/` directly: read as every `$ref` is
/// ([`fragment_tokens`]: percent-decoded, then unescaped), so
/// `#/components/schemas/a%20b` and `#/components/schemas/a~1b` name `a b`
/// and `a/b`. `None` for a `$ref` elsewhere, deeper
/// (`…/schemas/A/properties/b`) or into another file.
pub(crate) fn component_of_ref(reference: &str, section: &str) -> Option<String> {
    match fragment_tokens(reference)?.as_slice() {
        [components, kind, name] if components == "components" && kind == section => {
            Some(name.clone())
        }
        _ => None,
    }
}

/// A `$ref` to the component `name` of `#/components/<section>/`, written
/// so that [`component_of_ref`] reads `name` back: `~` and `/` escaped, `%`
/// percent-encoded (a bare schema name in a discriminator mapping).
pub(crate) fn ref_to_component(section: &str, name: &str) -> String {
    format!(
        "#/components/{section}/{}",
        escape(name).replace('%', "%25")
    )
}

/// `%7B` → `{`; a `%` not followed by two hex digits is kept, and so is
/// the whole token when the decoded bytes are not UTF-8.
fn percent_decode(token: &str) -> Cow<'_, str> {
    if !token.contains('%') {
        return Cow::Borrowed(token);
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits: at most 0xFF, so the cast keeps every bit.
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(_) => Cow::Borrowed(token),
    }
}

/// A pointer's parent and its last token, unescaped: `#/a/b~1c` →
/// (`#/a`, `b/c`); `None` when there is no `/` (`#`).
pub(crate) fn split_last(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, unescape(last).into_owned()))
}

/// The key of the entry directly under `prefix` that `reference` names,
/// unescaped: `#/components/schemas/A~1B` below `#/components/schemas/` is
/// `A/B`; `None` when the reference is not under `prefix` or goes deeper
/// (`…/schemas/A/properties/b`).
pub(crate) fn key_below(reference: &str, prefix: &str) -> Option<String> {
    let key = reference.strip_prefix(prefix)?;
    (!key.contains('/')).then(|| unescape(key).into_owned())
}

/// What follows `base` in `pointer` when `pointer` is `base` itself (an
/// empty rest) or a place inside it (a rest starting with `/`): `#/a/b`
/// is within `#/a`, `#/ab` is not.
pub(crate) fn within<'p>(pointer: &'p str, base: &str) -> Option<&'p str> {
    let rest = pointer.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

/// An array index token: `0` or digits without a leading zero.
pub(crate) fn index(token: &str) -> Option<usize> {
    let digits = !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit());
    if !digits || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// The value the unescaped `tokens` lead to in `doc`.
pub(crate) fn value_at<'a>(doc: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(doc, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(index(token)?),
        _ => None,
    })
}

/// The value the unescaped `tokens` lead to in `doc`, to change.
pub(crate) fn value_at_mut<'a>(doc: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(doc, |value, token| match value {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => items.get_mut(index(token)?),
        _ => None,
    })
}

/// The value at `pointer` (`#/a/b~1c` or `/a/b~1c`) in `doc`, to change.
pub(crate) fn pointee_mut<'a>(doc: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    value_at_mut(doc, &tokens(pointer)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escaping_round_trips() {
        for token in [
            "", "a", "a/b", "a~b", "~1", "~0", "/~", "~/~/", "{id}", "é/ü",
        ] {
            let escaped = escape(token);
            assert!(!escaped.contains('/'), "{escaped}");
            assert_eq!(unescape(&escaped), token);
        }
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(escape("~1"), "~01");
    }

    #[test]
    fn unescaping_replaces_one_before_zero() {
        assert_eq!(unescape("a~1b"), "a/b");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(unescape("~10"), "/0");
        assert_eq!(unescape("~0~1"), "~/");
        // Not an escape: kept as written.
        assert_eq!(unescape("~2"), "~2");
        assert_eq!(unescape("a~"), "a~");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn tokens_of_a_pointer() {
        let t = |p: &str| tokens(p).map(|v| v.join("|"));
        assert_eq!(tokens("#"), Some(vec![]));
        assert_eq!(tokens(""), Some(vec![]));
        assert_eq!(t("#/paths/~1a~1{id}/get"), Some("paths|/a/{id}|get".into()));
        assert_eq!(t("/a/~01"), Some("a|~1".into()));
        // Empty tokens are keys too.
        assert_eq!(tokens("#/"), Some(vec![String::new()]));
        assert_eq!(
            tokens("#/a//b"),
            Some(vec!["a".into(), String::new(), "b".into()])
        );
        assert_eq!(tokens("a/b"), None);
        assert_eq!(tokens("#a"), None);
        // No percent-decoding in a plain pointer.
        assert_eq!(t("#/%7Bid%7D"), Some("%7Bid%7D".into()));
    }

    #[test]
    fn tokens_of_a_reference_are_percent_decoded_then_unescaped() {
        let t = |p: &str| fragment_tokens(p).map(|v| v.join("|"));
        assert_eq!(
            t("#/paths/~1a~1%7Bid%7D/get"),
            Some("paths|/a/{id}|get".into())
        );
        assert_eq!(t("#/a%7E1b"), Some("a/b".into()));
        assert_eq!(t("#/a%2Fb/c"), Some("a/b|c".into()));
        assert_eq!(t("#/~01"), Some("~1".into()));
        // Not an escape, or not UTF-8: kept as written.
        assert_eq!(t("#/100%/%zz"), Some("100%|%zz".into()));
        assert_eq!(t("#/%FF"), Some("%FF".into()));
        assert_eq!(fragment_tokens("#"), Some(vec![]));
        assert_eq!(fragment_tokens("other.yaml#/a"), None);
        assert_eq!(fragment_tokens("#a"), None);
    }

    #[test]
    fn components_named_by_a_reference() {
        let schemas = |r: &str| component_of_ref(r, "schemas");
        assert_eq!(schemas("#/components/schemas/A"), Some("A".into()));
        assert_eq!(schemas("#/components/schemas/a%20b"), Some("a b".into()));
        assert_eq!(
            schemas("#/components/schemas/a~1b~0c"),
            Some("a/b~c".into())
        );
        assert_eq!(schemas("#/components/schemas/a%2Fb"), Some("a/b".into()));
        assert_eq!(
            schemas("#/components/schemas/%C3%89t%C3%A9"),
            Some("Été".into())
        );
        assert_eq!(schemas("#/components/schemas/Été"), Some("Été".into()));
        assert_eq!(schemas("#/components/schemas/100%"), Some("100%".into()));
        assert_eq!(schemas("#/components/schemas/"), Some(String::new()));
        assert_eq!(schemas("#/components/schemas/A/properties/b"), None);
        assert_eq!(schemas("#/components/responses/A"), None);
        assert_eq!(schemas("#/components/schemas"), None);
        assert_eq!(schemas("other.yaml#/components/schemas/A"), None);
        assert_eq!(
            component_of_ref("#/components/responses/a%20b", "responses"),
            Some("a b".into())
        );
        for name in ["A", "a b", "a/b~c", "100%", "%41", "Été", ""] {
            let reference = ref_to_component("schemas", name);
            assert_eq!(schemas(&reference).as_deref(), Some(name), "{reference}");
        }
        assert_eq!(
            ref_to_component("schemas", "%41/b"),
            "#/components/schemas/%2541~1b"
        );
    }

    #[test]
    fn split_last_unescapes_the_last_token() {
        assert_eq!(split_last("#/a/b~1c"), Some(("#/a", "b/c".into())));
        assert_eq!(split_last("#/a~1b/~01"), Some(("#/a~1b", "~1".into())));
        assert_eq!(split_last("#/a/"), Some(("#/a", String::new())));
        assert_eq!(split_last("#"), None);
    }

    #[test]
    fn keys_below_a_prefix() {
        let schemas = "#/components/schemas/";
        assert_eq!(
            key_below("#/components/schemas/A~1B", schemas),
            Some("A/B".into())
        );
        assert_eq!(
            key_below("#/components/schemas/A/properties/b", schemas),
            None
        );
        assert_eq!(key_below("#/components/responses/A", schemas), None);
    }

    #[test]
    fn within_a_base() {
        assert_eq!(within("#/a/b", "#/a"), Some("/b"));
        assert_eq!(within("#/a", "#/a"), Some(""));
        assert_eq!(within("#/ab", "#/a"), None);
        assert_eq!(within("#/b", "#/a"), None);
    }

    #[test]
    fn indices_are_rfc_6901_ones() {
        assert_eq!(index("0"), Some(0));
        assert_eq!(index("12"), Some(12));
        assert_eq!(index("01"), None);
        assert_eq!(index("+1"), None);
        assert_eq!(index("-"), None);
        assert_eq!(index(""), None);
    }

    #[test]
    fn values_at_pointers() {
        let mut doc = json!({"a/b": [{"~": 1}, 2], "": {"x": 3}});
        *pointee_mut(&mut doc, "#/a~1b/0/~0").expect("present") = json!(5);
        assert_eq!(doc["a/b"][0]["~"], 5);
        assert_eq!(pointee_mut(&mut doc, "/a~1b/1"), Some(&mut json!(2)));
        assert_eq!(pointee_mut(&mut doc, "#//x"), Some(&mut json!(3)));
        assert!(pointee_mut(&mut doc, "#/a~1b/01").is_none());
        assert!(pointee_mut(&mut doc, "#/a~1b/2").is_none());
        assert!(pointee_mut(&mut doc, "#/missing").is_none());
        assert_eq!(
            pointee_mut(&mut doc, "#").map(|v| v.is_object()),
            Some(true)
        );
        let tokens = tokens("#/a~1b/0/~0").expect("a pointer");
        assert_eq!(value_at(&doc, &tokens), Some(&json!(5)));
    }
}
