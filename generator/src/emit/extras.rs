//! What the vendor extensions add to the client: paged streams, streamed
//! downloads, waiters and upload flows.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::{arg_type, body_output_type};
use super::types::{ident, ty, Context};
use crate::model::{Accessor, Encoding, Operation, Output, Paging, Status, UploadFlow, Waiter};

/// Methods on an operation's builder beside `send()`.
pub fn builder_methods(op: &Operation, output: &TokenStream) -> TokenStream {
    let send_to = matches!(op.output, Output::Body(Encoding::Binary, _)).then(|| {
        quote! {
            /// Sends the request and streams the response body into `writer`
            /// as it arrives, without holding it in memory; returns the
            /// number of bytes written.
            pub async fn send_to<W>(self, writer: &mut W) -> Result<u64, crate::Error>
            where
                W: tokio::io::AsyncWrite + Unpin + ?Sized,
            {
                let (client, request) = self.into_request()?;
                let response = client.execute_raw(request).await?;
                if !response.is_success() {
                    let response = response.read(client.max_response_bytes()).await?;
                    return Err(Self::error(response));
                }
                response.write_to(writer).await
            }
        }
    });
    let paging = op.paging.as_ref().map(|p| paging_methods(op, p, output));
    quote!(#send_to #paging)
}

fn paging_methods(op: &Operation, paging: &Paging, page: &TokenStream) -> TokenStream {
    let item = ty(&paging.item, Context::Elsewhere);
    let items_ref = borrowed(&paging.items, quote!(page));
    let items_owned = owned(&paging.items, quote!(page));
    let next = match &paging.next {
        Some(next) => {
            let link = borrowed(next, quote!(page));
            quote!(Some(|page: &#page| #link.cloned()))
        }
        None => quote!(None),
    };
    let page_size = match &paging.page_size {
        Some((_, rust)) => {
            let field = ident(rust);
            quote!(self.#field.and_then(|size| u64::try_from(size).ok()))
        }
        None => quote!(None),
    };
    let page_size_param = option_str(paging.page_size.as_ref().map(|(wire, _)| wire.as_str()));
    let offset_param = option_str(paging.offset.as_deref());
    let token_param = option_str(paging.token.as_deref());
    let max = match paging.max_page_size {
        Some(max) => quote!(Some(#max)),
        None => quote!(None),
    };
    let how = match (&paging.next, &paging.offset) {
        (Some(next), Some(offset)) => format!(
            " Follows each page's `{}` link while it is on the API's origin; a link elsewhere is not followed (credentials would go with it), and the next page is asked for with {} instead.",
            next.pointer,
            match &paging.token {
                Some(token) => format!("the link's `{token}` when it has one, else `{offset}`"),
                None => format!("`{offset}`"),
            }
        ),
        (Some(next), None) => format!(" Follows each page's `{}` link while it is on the API's origin.", next.pointer),
        (None, Some(offset)) => format!(" Asks for each next page with `{offset}` until a page comes back short."),
        (None, None) => String::new(),
    };
    let pages_doc = format!(
        " Every page of `{}`, fetched lazily: a page is requested when the stream is polled past the one before, so `take(n)` or dropping the stream stops the requests.{how}",
        op.id
    );
    let items_doc = format!(
        " Every item of every page of `{}`, fetched lazily, one page in memory at a time (see [`Self::pages`]).",
        op.id
    );
    quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> impl crate::Stream<Item = Result<#page, crate::Error>> + Send + Unpin + 'static {
            let client = self.client.clone();
            let page_size = #page_size;
            let request = self.into_request().map(|(_, request)| request);
            crate::paging::pages(&client, request, crate::paging::Paging {
                decode: Self::decode,
                count: |page: &#page| #items_ref.map_or(0, |items| items.len()),
                next: #next,
                page_size_param: #page_size_param,
                offset_param: #offset_param,
                token_param: #token_param,
                page_size,
                max_page_size: #max,
            })
        }

        #[doc = #items_doc]
        pub fn into_stream(self) -> impl crate::Stream<Item = Result<#item, crate::Error>> + Send + Unpin + 'static {
            crate::paging::items(self.pages(), |page: #page| #items_owned.unwrap_or_default())
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// `Option<&T>` of the field an accessor leads to, from `&root`.
fn borrowed(accessor: &Accessor, root: TokenStream) -> TokenStream {
    let mut out = quote!(Some(#root));
    for step in &accessor.steps {
        let f = ident(&step.rust);
        out = match (step.optional, step.boxed) {
            (false, false) => quote!(#out.map(|v| &v.#f)),
            (false, true) => quote!(#out.map(|v| &*v.#f)),
            (true, false) => quote!(#out.and_then(|v| v.#f.as_ref())),
            (true, true) => quote!(#out.and_then(|v| v.#f.as_deref())),
        };
    }
    out
}

/// `Option<T>` of the field an accessor leads to, taken out of `root`.
fn owned(accessor: &Accessor, root: TokenStream) -> TokenStream {
    let mut out = quote!(Some(#root));
    for step in &accessor.steps {
        let f = ident(&step.rust);
        out = match (step.optional, step.boxed) {
            (false, false) => quote!(#out.map(|v| v.#f)),
            (false, true) => quote!(#out.map(|v| *v.#f)),
            (true, false) => quote!(#out.and_then(|v| v.#f)),
            (true, true) => quote!(#out.and_then(|v| v.#f.map(|b| *b))),
        };
    }
    out
}

/// Methods on the client that an operation's extensions add.
pub fn client_methods(op: &Operation) -> TokenStream {
    let waiter = op.waiter.as_ref().map(|w| waiter_method(op, w));
    let flow = op.upload_flow.as_ref().map(|f| flow_method(op, f));
    quote!(#waiter #flow)
}

fn waiter_method(op: &Operation, waiter: &Waiter) -> TokenStream {
    let method = ident(&waiter.method);
    let call = ident(&op.method_name);
    let output = match &op.output {
        Output::Body(e, t) => body_output_type(*e, t),
        _ => quote!(()),
    };
    let mut args = Vec::new();
    let mut converts = Vec::new();
    let mut passes = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.rust);
        let (arg, into) = arg_type(&p.ty);
        args.push(quote!(#name: #arg));
        if into {
            converts.push(quote!(let #name: String = #name.into();));
        }
        passes.push(if is_copy(&p.ty) {
            quote!(#name)
        } else {
            quote!(#name.clone())
        });
    }
    let state = borrowed(&waiter.state, quote!(value));
    let pending = &waiter.pending;
    let done = &waiter.done;
    let op_id = &op.id;
    let doc = format!(
        " Polls [`{call}`](Self::{call}) (`{op_id}`) until `{pointer}` is {done_list}, and returns that last response.\n\n Keeps polling while it is {pending_list}; any other state ends the wait with [`Error::OperationFailed`](crate::Error::OperationFailed), and running out of time with [`Error::WaitTimedOut`](crate::Error::WaitTimedOut). Drop the future to stop waiting.",
        pointer = waiter.state.pointer,
        done_list = quoted_list(done),
        pending_list = quoted_list(pending),
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(&self, #(#args,)* options: &crate::WaitOptions) -> Result<#output, crate::Error> {
            #(#converts)*
            crate::wait::wait_until(
                #op_id,
                options,
                crate::wait::States { pending: &[#(#pending),*], done: &[#(#done),*] },
                |value: &#output| #state.map(|state| state.to_string()),
                || self.#call(#(#passes),*).send(),
            )
            .await
        }
    }
}

fn quoted_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.as_slice() {
        [] => "none".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn flow_method(op: &Operation, flow: &UploadFlow) -> TokenStream {
    let method = ident(&flow.method);
    let create = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let op_id = &op.id;
    let status = op
        .success
        .iter()
        .find_map(|r| match r.status {
            Status::Code(c) => Some(c),
            _ => None,
        })
        .unwrap_or(200);
    let mut args = Vec::new();
    let mut passes = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.rust);
        let (arg, _) = arg_type(&p.ty);
        args.push(quote!(#name: #arg));
        passes.push(quote!(#name));
    }
    let body_ty = op
        .body
        .as_ref()
        .map(|b| ty(&b.ty, Context::Elsewhere))
        .unwrap_or_default();
    if op.body.as_ref().is_some_and(|b| b.required) {
        passes.push(quote!(body));
    }
    let body_arg = quote!(body: #body_ty,);
    let set_body = (!op.body.as_ref().is_some_and(|b| b.required)).then(|| quote!(.body(body)));
    let size_pointer = &flow.size_pointer;
    let missing = |a: &Accessor| {
        let reason = format!("the response has no `{}`", a.pointer);
        quote!(crate::Error::InvalidResponse { operation: #op_id, status: #status, reason: #reason.into() })
    };
    let url = borrowed(&flow.upload_url, quote!(&created));
    let url_missing = missing(&flow.upload_url);
    let headers = flow
        .upload_headers
        .iter()
        .map(|(k, v)| quote!(.header(#k, #v)));
    // The link's storage decides how the file goes (one PUT or Azure blocks).
    let storage = flow.upload_storage_type.as_ref().map(|a| {
        let kind = borrowed(a, quote!(&created));
        quote! {
            let upload = match #kind {
                Some(kind) => upload.storage_type(kind),
                None => upload,
            };
        }
    });
    let mut output = match &op.output {
        Output::Body(e, t) => body_output_type(*e, t),
        _ => quote!(()),
    };
    let mut result = quote!(created);
    let mut steps = Vec::new();
    let mut step_docs = Vec::new();
    for (i, step) in flow.then.iter().enumerate() {
        let call = ident(&step.method);
        let values = step.args.iter().map(|a| {
            let get = borrowed(a, quote!(&created));
            let err = missing(a);
            quote!(#get.cloned().ok_or_else(|| #err)?)
        });
        let name = ident(&format!("step_{i}"));
        let last = i + 1 == flow.then.len();
        let binding = if last { quote!(#name) } else { quote!(_) };
        steps.push(if step.wait {
            quote!(let #binding = self.#call(#(#values,)* wait).await?;)
        } else if step.default_body {
            quote!(let #binding = self.#call(#(#values,)* Default::default()).send().await?;)
        } else {
            quote!(let #binding = self.#call(#(#values),*).send().await?;)
        });
        step_docs.push(format!(
            "{}. [`{}`](Self::{})",
            i + 3,
            step.method,
            step.method
        ));
        if last {
            result = quote!(#name);
            output = ty(&step.output, Context::Elsewhere);
        }
    }
    let doc = format!(
        " Does the whole upload flow in one call:\n\n 1. [`{create}`](Self::{create}) with `{size_pointer}` set to the file's size;\n 2. uploads the file to `{url_ptr}` with [`Client::upload_file`](crate::Client::upload_file) (streamed from disk, no credentials, retried){storage_note}{header_note};\n{rest}\n\n Returns what the last step returns. Each step's failure is returned as it is, so the error says which step failed (its operation).",
        create = op.method_name,
        url_ptr = flow.upload_url.pointer,
        storage_note = match &flow.upload_storage_type {
            Some(a) => format!(", as the storage `{}` names (`azure`: staged blocks above the threshold)", a.pointer),
            None => String::new(),
        },
        header_note = if flow.upload_headers.is_empty() {
            String::new()
        } else {
            format!(
                " with {}",
                flow.upload_headers
                    .iter()
                    .map(|(k, v)| format!("`{k}: {v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        rest = step_docs
            .iter()
            .map(|d| format!(" {d}"))
            .collect::<Vec<_>>()
            .join(";\n"),
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(
            &self,
            #(#args,)*
            #body_arg
            file: impl AsRef<std::path::Path>,
            upload: &crate::UploadOptions,
            wait: &crate::WaitOptions,
        ) -> Result<#output, crate::Error> {
            let _ = wait;
            let file = file.as_ref();
            let size = tokio::fs::metadata(file)
                .await
                .map_err(|e| crate::Error::io(format!("cannot read {}", file.display()), e))?
                .len();
            let (client, mut request) = self.#create(#(#passes),*)#set_body.into_request()?;
            request.patch_json_body(#size_pointer, serde_json::Value::from(size))?;
            let created = #builder::decode(client.execute(request).await?)?;
            let url = #url.cloned().ok_or_else(|| #url_missing)?;
            let upload = upload.clone() #(#headers)*;
            #storage
            self.upload_file(&url, file, &upload).await?;
            #(#steps)*
            Ok(#result)
        }
    }
}

/// Types that are `Copy` in the generated code (no `.clone()` needed).
fn is_copy(t: &crate::model::TypeRef) -> bool {
    use crate::model::TypeRef;
    matches!(
        t,
        TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
    )
}
