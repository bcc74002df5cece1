//! Turning text into rustdoc that builds without warnings.
//!
//! Two kinds of text make up the generated docs, and they are told apart by
//! how they come in, never by what they look like: [`Doc::ours`] is the
//! generator's own text, whose intra-doc links (``[`Client`](crate::Client)``)
//! and markup are meant and are kept as written; [`Doc::vendor`] is prose
//! from the document (descriptions, summaries, titles), Markdown written for
//! a web page, which rustdoc would read differently:
//!
//! - a bare code fence or an indented block is compiled as a Rust doctest:
//!   fences get the `text` language, lines lose their indentation;
//! - `[x]`, ``[`X`]`` and `[x](path)` are intra-doc links into a crate that
//!   has no such items: the brackets are escaped (`\[x\]`); a link to a URL
//!   (`[x](https://…)`, `[x](../page)`, `[x](#part)`) stays a link;
//! - `<T>` is an (unclosed) HTML tag: `<` becomes `&lt;`, but an autolink
//!   (`<https://…>`) stays one;
//! - a bare URL is a lint warning: it becomes an autolink.
//!
//! Code spans and fenced blocks are left exactly as written, and the rest of
//! the Markdown (lists, emphasis, headings) is untouched, so the text stays
//! readable Markdown. Wire names and values the generator quotes in its own
//! text go through [`code`], which makes a code span of any text.

use proc_macro2::TokenStream;
use quote::quote;

/// Markdown ready for rustdoc.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc(String);

impl Doc {
    /// The generator's own text, kept as written.
    pub fn ours(text: impl Into<String>) -> Doc {
        Doc(text.into())
    }

    /// Prose from the document, escaped (see the module docs).
    pub fn vendor(text: &str) -> Doc {
        Doc(sanitize(text).join("\n"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `#[doc = "…"]` attributes for `doc`, one per line.
pub fn attrs(doc: &Doc) -> TokenStream {
    let lines = lines(doc);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "…"]` attributes (crate or module docs) for `doc`.
pub fn inner_attrs(doc: &Doc) -> TokenStream {
    let lines = lines(doc);
    quote! { #( #![doc = #lines] )* }
}

pub(super) fn lines(doc: &Doc) -> Vec<String> {
    doc.0
        .trim()
        .lines()
        .map(|l| format!(" {}", l.trim_end()))
        .collect()
}

/// Joins non-empty parts with a blank line between them.
pub fn paragraphs(parts: impl IntoIterator<Item = Option<Doc>>) -> Doc {
    Doc(parts
        .into_iter()
        .flatten()
        .map(|p| p.0.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n"))
}

/// A Markdown code span showing `text` exactly, whatever backticks it holds.
pub fn code(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A span that starts or ends with a backtick needs a space inside
    // (which Markdown strips again).
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The lines of `text` for rustdoc: fences named, indentation removed, and
/// each paragraph's inline text escaped (see the module docs).
fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut in_fence = false;
    let flush = |paragraph: &mut Vec<&str>, out: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.extend(inline(&paragraph.join("\n")).lines().map(str::to_string));
            paragraph.clear();
        }
    };
    for raw in text.trim().lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut out);
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
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut out);
            out.push(String::new());
        } else {
            // Indentation of four or more would make a code block (a doctest).
            paragraph.push(trimmed);
        }
    }
    flush(&mut paragraph, &mut out);
    if in_fence {
        out.push("```".to_string());
    }
    out
}

/// One paragraph's inline Markdown, escaped for rustdoc. Code spans can
/// run over line ends, so this sees the whole paragraph.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some(c) = rest.chars().next() else { break };
        match c {
            // An escape the author wrote stays one.
            '\\' if rest[1..].starts_with(|n: char| n.is_ascii_punctuation()) => {
                out.push_str(&rest[..2]);
                i += 2;
            }
            '`' => {
                let span = code_span(rest);
                out.push_str(&rest[..span]);
                i += span;
            }
            '<' => match autolink(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    i += len;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            '[' => match url_link(rest) {
                Some((label, tail)) => {
                    out.push('[');
                    out.push_str(&inline(label));
                    out.push_str(tail);
                    i += 1 + label.len() + tail.len();
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            'h' if rest.starts_with("https://") || rest.starts_with("http://") => {
                let len = bare_url(rest);
                out.push('<');
                out.push_str(&rest[..len]);
                out.push('>');
                i += len;
            }
            _ => {
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The length of the code span `text` starts with (a run of backticks up to
/// the next run of the same length), or of the run alone when nothing
/// closes it (then the backticks are literal).
fn code_span(text: &str) -> usize {
    let run = text.len() - text.trim_start_matches('`').len();
    let mut at = run;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let len = text[start..].len() - text[start..].trim_start_matches('`').len();
        if len == run {
            return start + len;
        }
        at = start + len;
    }
    run
}

/// The length of the autolink `text` starts with (`<scheme:…>`), if it is one.
fn autolink(text: &str) -> Option<usize> {
    let end = text.find('>')?;
    let inner = &text[1..end];
    let (scheme, rest) = inner.split_once(':')?;
    let scheme_ok = scheme.len() >= 2
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    // `<a::B>` would be one in CommonMark too, but it is a path, not a link.
    let rest_ok = (rest.starts_with("//") || scheme.eq_ignore_ascii_case("mailto"))
        && !rest.contains(|c: char| c.is_whitespace() || c == '<');
    (scheme_ok && rest_ok).then_some(end + 1)
}

/// For `[label](destination)` where the destination is a URL (it has a `/`,
/// or is a `#fragment` or `mailto:`), the label and `](destination)`.
/// Anything else in brackets would be read by rustdoc as a path.
fn url_link(text: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    let mut close = None;
    let mut i = 1;
    while i < text.len() {
        match text.as_bytes()[i] {
            b'\\' => i += 1,
            b'`' => {
                i += code_span(&text[i..]);
                continue;
            }
            b'[' => depth += 1,
            b']' if depth == 0 => {
                close = Some(i);
                break;
            }
            b']' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    let close = close?;
    let after = &text[close + 1..];
    if !after.starts_with('(') {
        return None;
    }
    let mut depth = 0usize;
    let end = after.char_indices().skip(1).find_map(|(j, c)| match c {
        '(' => {
            depth += 1;
            None
        }
        ')' if depth == 0 => Some(j),
        ')' => {
            depth -= 1;
            None
        }
        _ => None,
    })?;
    let destination = after[1..end].trim();
    let destination = destination.split_whitespace().next().unwrap_or_default();
    let is_url = destination.contains('/')
        || destination.starts_with('#')
        || destination.starts_with("mailto:");
    is_url.then(|| (&text[1..close], &text[close..close + 2 + end]))
}

/// The length of the bare URL `text` starts with, without the punctuation
/// that ends the sentence around it.
fn bare_url(text: &str) -> usize {
    let mut url = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']' | '`'))
        .map_or(text, |end| &text[..end]);
    while url.ends_with(['.', ',', ';', ':', '!', '?']) {
        url = &url[..url.len() - 1];
    }
    url.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(text: &str) -> String {
        Doc::vendor(text).0
    }

    #[test]
    fn fences_and_indentation() {
        assert_eq!(
            vendor("Text\n```\nlet x = 1;\n```\n    indented\n```rust\nfn f() {}"),
            "Text\n```text\nlet x = 1;\n```\nindented\n```text\nfn f() {}\n```"
        );
        // What is inside a fence is shown as written.
        assert_eq!(vendor("```json\n[\"<a>\"]\n```"), "```json\n[\"<a>\"]\n```");
    }

    #[test]
    fn angle_brackets_are_text() {
        assert_eq!(
            vendor("A Vec<T> of <branch>."),
            "A Vec&lt;T> of &lt;branch>."
        );
        assert_eq!(vendor("`Vec<T>` stays code"), "`Vec<T>` stays code");
        assert_eq!(vendor("see <https://e.com/a>"), "see <https://e.com/a>");
        assert_eq!(vendor("a <std::vec>"), "a &lt;std::vec>");
    }

    #[test]
    fn brackets_are_not_intra_doc_links() {
        assert_eq!(vendor("data[0] and [a]"), "data\\[0\\] and \\[a\\]");
        assert_eq!(vendor("A [`Node`] here"), "A \\[`Node`\\] here");
        assert_eq!(
            vendor("a [`Silo`](crate::views::Silo)"),
            "a \\[`Silo`\\](crate::views::Silo)"
        );
        // An escape the document wrote is kept, not doubled.
        assert_eq!(vendor("\\[x\\]"), "\\[x\\]");
    }

    #[test]
    fn links_to_urls_stay_links() {
        assert_eq!(vendor("[x](https://e.com)"), "[x](https://e.com)");
        assert_eq!(
            vendor("[x](../guide.md) [y](#part)"),
            "[x](../guide.md) [y](#part)"
        );
        assert_eq!(
            vendor("[see `a[0]`](https://e.com/(b))."),
            "[see `a[0]`](https://e.com/(b))."
        );
        assert_eq!(
            vendor("[a [b]](https://e.com)"),
            "[a \\[b\\]](https://e.com)"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            vendor("See https://example.com/a. Or (http://e.com/b)"),
            "See <https://example.com/a>. Or (<http://e.com/b>)"
        );
        assert_eq!(vendor("`https://e.com` is code"), "`https://e.com` is code");
    }

    #[test]
    fn code_spans_run_over_lines_not_paragraphs() {
        // Kept: the span closes in the same paragraph.
        assert_eq!(vendor("a `x[0]\ny[1]` b"), "a `x[0]\ny[1]` b");
        // A span that never closes in its paragraph is literal backticks,
        // and what follows it is text (the blank line ends the paragraph).
        assert_eq!(
            vendor("Example ```rust use a::{B};\n\nv[0] ```"),
            "Example ```rust use a::{B};\n\nv\\[0\\] ```"
        );
    }

    #[test]
    fn markdown_stays_markdown() {
        let text = "Some *emphasis*, **strong** and `code`.\n\n- one\n- two `[x]`\n\n# Heading";
        assert_eq!(vendor(text), text);
    }

    #[test]
    fn ours_is_kept() {
        let doc = Doc::ours("See [`Client`](crate::Client) and [`Fake::start`].");
        assert_eq!(
            doc.as_str(),
            "See [`Client`](crate::Client) and [`Fake::start`]."
        );
        let joined = paragraphs([Some(doc), None, Some(Doc::vendor("[a]"))]);
        assert_eq!(
            joined.as_str(),
            "See [`Client`](crate::Client) and [`Fake::start`].\n\n\\[a\\]"
        );
    }

    #[test]
    fn code_spans_of_any_text() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`a"), "`` `a ``");
    }
}
