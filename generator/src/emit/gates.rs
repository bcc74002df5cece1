//! The `#[cfg(feature = …)]` attributes of an API whose operations come in
//! several groups (`model::Group`): a group's module, the types only some
//! groups use, and the methods that call into other groups.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::model::Group;

/// The groups that have features: none when there are fewer than two.
#[derive(Clone, Copy)]
pub struct Gates<'a> {
    groups: &'a [Group],
}

impl<'a> Gates<'a> {
    pub fn new(groups: &'a [Group]) -> Self {
        Gates {
            groups: if groups.len() < 2 { &[] } else { groups },
        }
    }

    /// `#[cfg(…)]` for what any of `groups` needs; nothing when every
    /// group (or none, or no feature at all) is named.
    pub fn any(&self, groups: &[usize]) -> Option<TokenStream> {
        self.any_features(groups)
            .map(|features| cfg(quote!(any), &features))
    }

    /// The features [`Gates::any`] names (for the text path).
    pub fn any_features(&self, groups: &[usize]) -> Option<Vec<&'a str>> {
        let features = self.features(groups);
        (!features.is_empty() && features.len() != self.groups.len()).then_some(features)
    }

    /// `#[cfg(…)]` for what needs all of `groups`.
    pub fn all(&self, groups: &[usize]) -> Option<TokenStream> {
        let features = self.features(groups);
        (!features.is_empty()).then(|| cfg(quote!(all), &features))
    }

    /// `#![cfg_attr(…, allow(dead_code))]` for a build without every
    /// group: the runtime's helpers that only the left-out groups call are
    /// unused there. The build with every group (the default) still finds
    /// dead code.
    pub fn partial_build_allowances(&self) -> Option<TokenStream> {
        let features: Vec<&str> = self.groups.iter().map(|g| g.feature.as_str()).collect();
        (!features.is_empty()).then(|| {
            quote!(#![cfg_attr(not(all(#(feature = #features),*)), allow(dead_code, unused_imports))])
        })
    }

    fn features(&self, groups: &[usize]) -> Vec<&'a str> {
        groups
            .iter()
            .filter_map(|&g| self.groups.get(g))
            .map(|g| g.feature.as_str())
            .collect()
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg(combine: TokenStream, features: &[&str]) -> TokenStream {
    match features {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(#combine(#(feature = #many),*))]),
    }
}

/// `attr` before every item of `items`: the items a type's emission
/// writes (a struct, its impls) share one gate. An item ends at a `;` or
/// at a `{…}` block, with a `;` that directly follows the block (`const X:
/// T = T { … };`) kept in it.
pub fn each_item(attr: Option<TokenStream>, items: TokenStream) -> TokenStream {
    let Some(attr) = attr else {
        return items;
    };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            out.extend(attr.clone());
            out.extend(item.drain(..));
        }
    }
    if !item.is_empty() {
        out.extend(attr);
        out.extend(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(n: usize) -> Vec<Group> {
        (0..n)
            .map(|i| Group {
                tag: format!("t{i}"),
                module: format!("t{i}"),
                feature: format!("t{i}"),
                description: None,
            })
            .collect()
    }

    fn text(t: Option<TokenStream>) -> String {
        t.map(|t| t.to_string()).unwrap_or_default()
    }

    #[test]
    fn a_gate_names_some_groups_never_all_or_none() {
        let three = groups(3);
        let gates = Gates::new(&three);
        assert_eq!(
            text(gates.any(&[0, 2])),
            quote!(#[cfg(any(feature = "t0", feature = "t2"))]).to_string()
        );
        assert_eq!(text(gates.any(&[0, 1, 2])), "");
        assert_eq!(text(gates.any(&[])), "");
        assert_eq!(
            text(gates.all(&[1])),
            quote!(#[cfg(feature = "t1")]).to_string()
        );
        // One group: no features at all.
        let one = groups(1);
        assert_eq!(text(Gates::new(&one).any(&[0])), "");
        assert_eq!(text(Gates::new(&one).all(&[0])), "");
    }

    #[test]
    fn every_item_gets_the_gate() {
        let items = quote! {
            /// Doc.
            #[derive(Debug)]
            pub struct A { x: u8 }
            impl A { fn f() {} }
            pub struct B(u8);
            const C: A = A { x: 1 };
            pub type D = Vec<u8>;
        };
        let gated = each_item(Some(quote!(#[cfg(x)])), items);
        let file: syn::File = syn::parse2(gated).unwrap();
        assert_eq!(file.items.len(), 5);
        for item in &file.items {
            let text = quote!(#item).to_string();
            assert!(text.contains("# [cfg (x)]"), "{text}");
        }
    }
}
