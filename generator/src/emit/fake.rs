//! `src/testing.rs` (cargo feature `testing`): the runtime's fake
//! (`fake.rs`) and, per operation, the method of `Fake` that says what it
//! answers and the method of `Log` that lists what it received, typed by
//! the operation's answer and body, named as its client method is (`Operation::fake_method`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::gates::Gates;
use super::rust::{ident, ty, Context};
use super::{part, Part};
use crate::model::{Api, Encoding, Operation, PathPart, Status, TypeDef};

/// In parts printed one at a time (see [`super::Part`]): the module's head,
/// then one per operation.
pub fn module<'a>(api: &'a Api, gates: Gates<'a>) -> Vec<Part<'a>> {
    let head = part(|| {
        let doc = docs::inner_attrs(&docs::Doc::ours(
            "A fake of the API for the tests of code that uses this crate (cargo feature `testing`).\n\n[`Fake::start`] starts a local server; [`Fake::client`] is a client that sends to it. Each operation has a method of [`Fake`], named as the client's, that says what it answers (`returns`, `fails`, `pages` for a sequence of answers: a listing's pages, linked to each other as its paging says, or a waiter's polls), and a method of [`Log`] (from [`Fake::received`]) with the requests it received, bodies decoded. Calls that nothing expects get status [`UNEXPECTED_STATUS`]; [`Fake::verify`] lists them and the unmet `times`.",
        ));
        quote! {
            #doc
            pub use crate::fake::{Answer, Expectation, Fake, Log, Received, Unmet, UNEXPECTED_STATUS};
            use crate::fake::Part;
        }
    });
    let impls = api.operations.iter().map(move |op| {
        part(move || {
            let gate = op.group.and_then(|g| gates.all(&[g]));
            operation(&api.types, op, gate)
        })
    });
    std::iter::once(head).chain(impls).collect()
}

fn operation(types: &[TypeDef], op: &Operation, gate: Option<TokenStream>) -> TokenStream {
    let method = ident(&op.fake_method);
    let id = &op.id;
    let http = &op.http_method;
    let parts = op.path_parts.iter().map(|p| match p {
        PathPart::Literal(text) => quote!(Part::Literal(#text)),
        PathPart::Param(name) => quote!(Part::Param(#name)),
    });
    let parts = quote!(&[#(#parts),*]);
    let success = op.success.first();
    let answer = match success.and_then(|r| r.body.as_ref()) {
        Some((Encoding::Json, t)) => ty(types, t, Context::Elsewhere),
        _ => quote!(()),
    };
    let status = match success.map(|r| r.status) {
        Some(Status::Code(c)) => c,
        _ => 200,
    };
    let body = match &op.body {
        Some(b) if b.encoding == Encoding::Json => ty(types, &b.ty, Context::Elsewhere),
        _ => quote!(()),
    };
    let expect_doc = format!(
        " What `{id}` (`{http} {}`) answers: with any path parameters, or those given by `path_param`.",
        op.path
    );
    let log_doc = format!(
        " The `{id}` (`{http} {}`) requests received, in order.",
        op.path
    );
    // A listing's pages link to each other as its `x-paging` says.
    let linked = op.paging.as_ref().and_then(|p| {
        let next = &p.next.as_ref()?.pointer;
        let items = &p.items.pointer;
        let offset = match &p.offset {
            Some(name) => quote!(Some(#name)),
            None => quote!(None),
        };
        Some(quote!(.linked(#next, #items, #offset)))
    });
    quote! {
        #gate
        impl Fake {
            #[doc = #expect_doc]
            pub fn #method(&self) -> Expectation<'_, #answer> {
                self.expect(#id, #http, #parts, #status)#linked
            }
        }
        #gate
        impl Log {
            #[doc = #log_doc]
            pub fn #method(&self) -> Vec<Received<#body>> {
                self.of(#http, #parts)
            }
        }
    }
}
