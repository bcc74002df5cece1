//! Turning document prose into rustdoc that builds without warnings.
//!
//! Descriptions are Markdown written for a web page. Rustdoc reads them as
//! Markdown too, but with two differences that break builds: a bare code
//! fence or an indented block is compiled as a Rust doctest, and a bare URL
//! is a lint warning. Both are rewritten here; nothing else is changed.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line.
pub fn attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "…"]` attributes (crate or module docs) for `text`.
pub fn inner_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #![doc = #lines] )* }
}

/// Joins non-empty parts with a blank line between them.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                in_fence = false;
                out.push("```".to_string());
            } else {
                in_fence = true;
                let lang = trimmed.trim_start_matches('`').trim();
                // Only a fence that names a language other than Rust is
                // left alone by rustdoc's doctest runner.
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!("```{lang}"));
            }
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            // Indentation of four or more would make a code block (a doctest).
            out.push(wrap_bare_urls(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    out
}

/// `see https://x.y/z.` → `see <https://x.y/z>.`, leaving URLs that are
/// already in a Markdown link, an autolink or an HTML attribute alone.
fn wrap_bare_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = find_url(rest) {
        let before = &rest[..start];
        let prev = before.chars().last();
        let url_len = rest[start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']' | '`')
            })
            .unwrap_or(rest.len() - start);
        let mut url = &rest[start..start + url_len];
        while url.ends_with(['.', ',', ';', ':', '!', '?']) {
            url = &url[..url.len() - 1];
        }
        out.push_str(before);
        if matches!(prev, Some('<' | '(' | '"' | '\'' | '`' | '[')) {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &rest[start + url.len()..];
    }
    out.push_str(rest);
    out
}

fn find_url(s: &str) -> Option<usize> {
    match (s.find("https://"), s.find("http://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_urls() {
        let lines = sanitize(
            "See https://example.com/a.\n```\nlet x = 1;\n```\n    indented\n[x](https://e.com)",
        );
        assert_eq!(
            lines,
            vec![
                "See <https://example.com/a>.",
                "```text",
                "let x = 1;",
                "```",
                "indented",
                "[x](https://e.com)"
            ]
        );
    }
}
