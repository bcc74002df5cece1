//! The formatted text of the regular shapes, written directly: what
//! `prettyplease` prints for them, byte for byte, without building their
//! tokens, parsing them with `syn` and printing the tree (most of the
//! generator's time went there).
//!
//! A leaf of `emit`: the emitters decide every name, type and doc as
//! before and hand the decisions to [`Text`]; it only lays out lines. It
//! knows only lines that prettyplease never breaks: doc comments (a
//! `///` line is never wrapped) and lines short enough that no group on
//! them can reach prettyplease's margin (89 columns). A line it cannot
//! vouch for (too long, a literal or type it does not spell) makes the
//! whole [`Text`] fail, and the caller prints that item through the token
//! path instead, so long lines still wrap exactly as prettyplease wraps
//! them.

use proc_macro2::{Spacing, TokenStream, TokenTree};

use super::docs::{self, Doc};

/// The longest line written as text: prettyplease's margin. A break is
/// only taken in a group that does not fit in what is left of the line, so
/// a line of at most 89 columns (indentation included) is printed whole
/// (`types::tests::a_struct_whose_line_would_wrap_falls_back` holds the
/// margin to prettyplease's at 89 and 90 columns).
pub const WIDTH: usize = 89;

/// Lines of Rust being written; [`Text::finish`] gives them unless some
/// line could not be vouched for.
#[derive(Default)]
pub struct Text {
    out: String,
    fits: bool,
}

impl Text {
    pub fn new() -> Self {
        Text {
            out: String::new(),
            fits: true,
        }
    }

    /// One line at `indent` levels (of four spaces), checked against
    /// [`WIDTH`].
    pub fn line(&mut self, indent: usize, line: &str) {
        if 4 * indent + line.chars().count() > WIDTH {
            self.fits = false;
        }
        self.raw(indent, line);
    }

    /// A line prettyplease never breaks (a doc comment, or one this module
    /// writes already broken the way prettyplease breaks it).
    pub fn raw(&mut self, indent: usize, line: &str) {
        if !self.fits {
            return;
        }
        for _ in 0..indent {
            self.out.push_str("    ");
        }
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// Lines that prettyplease prints the same whatever surrounds them
    /// (fixed code, written as it prints it), at `indent`.
    pub fn fixed(&mut self, indent: usize, lines: &str) {
        for line in lines.lines().filter(|l| !l.is_empty()) {
            self.raw(indent, line);
        }
    }

    /// A `#[cfg(…)]` line for `features` as `gates` spells it:
    /// `feature = "a"` alone, or `any(…)` of several.
    pub fn cfg_any(&mut self, features: &[&str]) {
        let spelled: Vec<String> = features
            .iter()
            .map(|f| format!("feature = {}", self.str_lit(f)))
            .collect();
        match spelled.as_slice() {
            [one] => self.line(0, &format!("#[cfg({one})]")),
            many => self.line(0, &format!("#[cfg(any({}))]", many.join(", "))),
        }
    }

    /// `#[doc = "…"]` attributes for `doc`, as [`docs::attrs`] makes them.
    pub fn doc(&mut self, indent: usize, doc: &Doc) {
        for line in docs::lines(doc) {
            self.doc_line(indent, &line);
        }
    }

    /// `#[doc = line]` (`line` as the attribute's string holds it, so
    /// usually with a leading space): prettyplease prints a one-line doc
    /// that does not start with `/` as `///` and the line, trailing spaces
    /// cut.
    pub fn doc_line(&mut self, indent: usize, line: &str) {
        if line.contains('\n') || line.starts_with('/') {
            self.fits = false;
            return;
        }
        self.raw(indent, &format!("///{}", line.trim_end_matches(' ')));
    }

    /// The text, or `None` when some line has to go through prettyplease.
    pub fn finish(self) -> Option<String> {
        self.fits.then_some(self.out)
    }

    /// Marks the text as one to print through the token path.
    pub fn fail(&mut self) {
        self.fits = false;
    }

    /// `value` as a string literal the way `quote` writes a `&str` and
    /// prettyplease prints it; fails the text for anything but printable
    /// ASCII without quotes or backslashes (whose escapes are left to the
    /// token path).
    pub fn str_lit(&mut self, value: &str) -> String {
        if !value
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
        {
            self.fits = false;
        }
        format!("\"{value}\"")
    }

    /// A type's tokens (as `rust::ty` makes them) as prettyplease prints
    /// them: paths, generic arguments and commas; anything else (a
    /// reference, a lifetime, `impl …`) fails the text.
    pub fn ty(&mut self, tokens: TokenStream) -> String {
        match type_text(tokens) {
            Some(text) => text,
            None => {
                self.fits = false;
                String::new()
            }
        }
    }
}

/// See [`Text::ty`].
fn type_text(tokens: TokenStream) -> Option<String> {
    let mut out = String::new();
    let mut colon = false;
    for (i, token) in tokens.into_iter().enumerate() {
        match token {
            // `impl Into<String>`, an argument's type.
            TokenTree::Ident(ident) if i == 0 && ident == "impl" => out.push_str("impl "),
            TokenTree::Ident(ident) if !colon => out.push_str(&ident.to_string()),
            TokenTree::Punct(p) => match (p.as_char(), p.spacing(), colon) {
                (':', Spacing::Joint, false) => colon = true,
                (':', Spacing::Alone, true) => {
                    colon = false;
                    out.push_str("::");
                }
                ('<', _, false) => out.push('<'),
                ('>', _, false) => out.push('>'),
                (',', _, false) => out.push_str(", "),
                _ => return None,
            },
            _ => return None,
        }
    }
    (!colon).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// What prettyplease prints for `tokens`, the reference every shape's
    /// text is held to.
    pub fn pretty(tokens: TokenStream) -> String {
        let file: syn::File = syn::parse2(tokens).expect("the test's tokens parse");
        prettyplease::unparse(&file)
    }

    #[test]
    fn types_are_spelled_as_prettyplease_prints_them() {
        for tokens in [
            quote!(Option<chrono::DateTime<chrono::Utc>>),
            quote!(std::collections::BTreeMap<String, Vec<crate::types::A>>),
            quote!(Box<Node>),
        ] {
            let mut text = Text::new();
            let spelled = text.ty(tokens.clone());
            assert!(text.finish().is_some());
            assert_eq!(
                pretty(quote!(type T = #tokens;)),
                format!("type T = {spelled};\n")
            );
        }
        let mut text = Text::new();
        text.ty(quote!(&'a crate::Client));
        assert!(
            text.finish().is_none(),
            "a reference is left to the token path"
        );
    }

    #[test]
    fn a_long_line_or_an_odd_literal_falls_back() {
        let mut text = Text::new();
        text.line(1, &"x".repeat(WIDTH - 4));
        assert!(text.finish().is_some());
        let mut text = Text::new();
        text.line(1, &"x".repeat(WIDTH - 3));
        assert!(text.finish().is_none());
        let mut text = Text::new();
        text.str_lit("a \"quoted\" word");
        assert!(text.finish().is_none());
        let mut text = Text::new();
        text.doc_line(0, "/ starts with a slash");
        assert!(text.finish().is_none());
    }
}
