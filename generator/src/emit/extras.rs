//! What the vendor extensions add to the client: paged streams, streamed
//! downloads, waiters and upload flows.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::Gates;
use super::rust::{arg_type, body_output_type, ident, ty, Context};
use crate::model::{
    Accessor, Download, Encoding, FileNamePart, Flow, FlowArg, FlowBody, FlowNames, FlowSource,
    Operation, Output, Paging, Repeat, Status, TypeDef, Waiter,
};

/// Methods on an operation's builder beside `send()`.
pub fn builder_methods(types: &[TypeDef], op: &Operation, output: &TokenStream) -> TokenStream {
    let send_to = matches!(op.output, Output::Body(Encoding::Binary, _)).then(|| {
        quote! {
            /// Sends the request and streams the response body into `writer`
            /// as it arrives, without holding it in memory; returns the
            /// number of bytes written.
            pub async fn send_to<W>(self, writer: &mut W) -> Result<u64, crate::Error>
            where
                W: tokio::io::AsyncWrite + Unpin + ?Sized,
            {
                let client = self.client;
                let request = crate::client::operation::Operation::into_request(self)?;
                let response = client.execute_raw(request).await?;
                if !response.is_success() {
                    let response = response.read(client.max_response_bytes()).await?;
                    return Err(crate::client::operation::error::<Self>(response));
                }
                response.write_to(writer).await
            }
        }
    });
    let paging = op
        .paging
        .as_ref()
        .map(|p| paging_methods(types, op, p, output));
    let download_all = op
        .download
        .as_ref()
        .and_then(|d| Some((d, d.file_name.as_ref()?, op.paging.as_ref()?)))
        .map(|(d, name, paging)| download_all_method(types, op, d, name, paging));
    quote!(#send_to #paging #download_all)
}

fn paging_methods(
    types: &[TypeDef],
    op: &Operation,
    paging: &Paging,
    page: &TokenStream,
) -> TokenStream {
    let item = ty(types, &paging.item, Context::Elsewhere);
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
            let request = crate::client::operation::Operation::into_request(self);
            crate::paging::pages(&client, request, crate::paging::Paging {
                decode: crate::client::operation::decode::<Self>,
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
pub fn client_methods(types: &[TypeDef], op: &Operation, gates: Gates) -> TokenStream {
    let waiter = op.waiter.as_ref().map(|w| waiter_method(types, op, w));
    let repeat = op.repeat.as_ref().map(|r| repeat_method(types, op, r));
    let download = op
        .download
        .as_ref()
        .filter(|d| d.file_name.is_none())
        .map(|d| download_method(types, op, d));
    // A flow that calls into other groups needs their features too.
    let flows = op.flows.iter().map(|f| {
        let gate = gates.all(&f.needs);
        let method = flow_method(types, op, f);
        quote!(#gate #method)
    });
    quote!(#waiter #repeat #download #(#flows)*)
}

fn waiter_method(types: &[TypeDef], op: &Operation, waiter: &Waiter) -> TokenStream {
    let method = ident(&waiter.method);
    let call = ident(&op.method_name);
    let output = match &op.output {
        Output::Body(e, t) => body_output_type(types, *e, t),
        _ => quote!(()),
    };
    let OwnParams {
        args,
        converts,
        passes,
    } = own_params(types, op);
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

/// The statements that set the expected size on `options` from `root`.
fn expected_size(download: &Download, root: TokenStream) -> Option<TokenStream> {
    download.size.as_ref().map(|size| {
        let get = borrowed(size, root);
        quote! {
            if let Some(size) = #get.and_then(|size| u64::try_from(*size).ok()) {
                options = options.expected_size(size);
            }
        }
    })
}

/// The URL in `root`, or an error naming where it should have been.
fn download_url(op: &Operation, download: &Download, root: TokenStream) -> TokenStream {
    let get = borrowed(&download.url, root);
    let op_id = &op.id;
    let reason = format!(
        "the answer has no `{}` to download from",
        download.url.pointer
    );
    quote!(#get.cloned().ok_or_else(|| crate::Error::InvalidResponse { operation: #op_id, status: 200, reason: #reason.into() }))
}

fn download_method(types: &[TypeDef], op: &Operation, download: &Download) -> TokenStream {
    let method = ident(&download.method);
    let call = ident(&op.method_name);
    let OwnParams {
        args,
        converts,
        passes,
    } = own_params(types, op);
    // The refresher closure clones what it captured for each call.
    let again = op
        .params
        .iter()
        .filter(|p| p.required && !is_copy(&p.ty))
        .map(|p| {
            let name = ident(&p.rust);
            quote!(let #name = #name.clone();)
        });
    let url = download_url(op, download, quote!(&resource));
    let size = expected_size(download, quote!(&resource));
    let options_binding = if size.is_some() {
        quote!(let mut options)
    } else {
        quote!(let options)
    };
    let doc = format!(
        " Reads [`{call}`](Self::{call}) and downloads the file at its `{url}` into `path` with [`Client::download_to_file_with`](crate::Client::download_to_file_with): the whole file or nothing at `path`, resumed after a broken connection{size}. A URL refused with `401` or `403` (expired) is replaced by reading [`{call}`](Self::{call}) again. Returns the file's size.",
        call = op.method_name,
        url = download.url.pointer,
        size = match &download.size {
            Some(s) => format!(", checked against `{}` (a file of that size already at `path` is kept)", s.pointer),
            None => String::new(),
        },
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(
            &self,
            #(#args,)*
            path: impl AsRef<std::path::Path>,
            options: &crate::DownloadOptions,
        ) -> Result<u64, crate::Error> {
            #(#converts)*
            let resource = self.#call(#(#passes),*).send().await?;
            let url = #url?;
            #options_binding = options.clone();
            #size
            let client = self.clone();
            let options = options.refresh_url(move || {
                let client = client.clone();
                #(#again)*
                async move {
                    let resource = client.#call(#(#passes),*).send().await?;
                    #url
                }
            });
            self.download_to_file_with(&url, path, &options).await
        }
    }
}

fn download_all_method(
    types: &[TypeDef],
    op: &Operation,
    download: &Download,
    name: &[FileNamePart],
    paging: &Paging,
) -> TokenStream {
    let method = ident(&download.method);
    let item_ty = ty(types, &paging.item, Context::Elsewhere);
    let url = download_url(op, download, quote!(&item));
    let size = expected_size(download, quote!(&item));
    let options_binding = if size.is_some() {
        quote!(let mut options)
    } else {
        quote!(let options)
    };
    let mut template = String::new();
    let pieces = name.iter().map(|part| match part {
        FileNamePart::Text(text) => {
            template.push_str(text);
            quote!(name.push_str(#text);)
        }
        FileNamePart::Field(field) => {
            template.push_str(&format!("{{{}}}", field.pointer));
            let get = borrowed(field, quote!(&item));
            let op_id = &op.id;
            let reason = format!("an item has no `{}` to name its file", field.pointer);
            quote! {
                let part = #get.ok_or_else(|| crate::Error::InvalidResponse { operation: #op_id, status: 200, reason: #reason.into() })?;
                name.push_str(&part.to_string());
            }
        }
    }).collect::<Vec<_>>();
    let doc = format!(
        " Downloads the file of every item of the listing into `dir`, as `{template}`, at most `parallel` at once (at least 1), each with [`Client::download_to_file_with`](crate::Client::download_to_file_with) and `options`: whole files or none, resumed after a broken connection{size}. The progress callback of `options` sees the whole set: the bytes of every file so far, and the sum of the sizes known so far. Items are read page by page as downloads finish; the first failure ends it. Returns the files' paths, in the listing's order.",
        size = match &download.size {
            Some(s) => format!(", checked against each item's `{}` (a file of that size already there is kept, not downloaded again)", s.pointer),
            None => String::new(),
        },
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(
            self,
            dir: impl AsRef<std::path::Path>,
            options: &crate::DownloadOptions,
            parallel: usize,
        ) -> Result<Vec<std::path::PathBuf>, crate::Error> {
            use futures_util::{StreamExt, TryStreamExt};
            let client = self.client.clone();
            let dir = dir.as_ref().to_path_buf();
            let set = crate::transfer::SetProgress::new(options);
            self.into_stream()
                .map(|item: Result<#item_ty, crate::Error>| {
                    let client = client.clone();
                    let dir = dir.clone();
                    let set = set.clone();
                    #options_binding = options.clone();
                    async move {
                        let item = item?;
                        let url = #url?;
                        #size
                        let mut name = String::new();
                        #(#pieces)*
                        let path = dir.join(crate::client::encoding::file_name(name)?);
                        let (options, file) = set.file(&options);
                        let size = client.download_to_file_with(&url, &path, &options).await?;
                        set.complete(&file, size);
                        Ok::<_, crate::Error>(path)
                    }
                })
                .buffered(parallel.max(1))
                .try_collect()
                .await
        }
    }
}

fn repeat_method(types: &[TypeDef], op: &Operation, repeat: &Repeat) -> TokenStream {
    let method = ident(&repeat.method);
    let call = ident(&op.method_name);
    let output = match &op.output {
        Output::Body(e, t) => body_output_type(types, *e, t),
        _ => quote!(()),
    };
    let OwnParams {
        mut args,
        converts,
        mut passes,
    } = own_params(types, op);
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let body_ty = ty(types, &body.ty, Context::Elsewhere);
        args.push(quote!(body: #body_ty));
        passes.push(quote!(body.clone()));
    }
    let until = borrowed(&repeat.until, quote!(&answer));
    let max = repeat.max;
    let op_id = &op.id;
    let reason = format!(
        "`{}` was still not true after {max} calls",
        repeat.until.pointer
    );
    let doc = format!(
        " Calls [`{call}`](Self::{call}) (`{op_id}`) again and again, with the same arguments, until the answer's `{pointer}` is true, and returns that last answer. At most {max} calls: a server that never says it is done ends the loop with [`Error::InvalidResponse`](crate::Error::InvalidResponse). Each call is retried as [`{call}`](Self::{call}) is.",
        call = op.method_name,
        pointer = repeat.until.pointer,
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(&self, #(#args),*) -> Result<#output, crate::Error> {
            #(#converts)*
            for _ in 0..#max {
                let answer = self.#call(#(#passes),*).send().await?;
                if #until.copied().unwrap_or(false) {
                    return Ok(answer);
                }
            }
            Err(crate::Error::InvalidResponse { operation: #op_id, status: 200, reason: #reason.into() })
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

fn flow_method(types: &[TypeDef], op: &Operation, flow: &Flow) -> TokenStream {
    let method = ident(&flow.method);
    let flow_name = &flow.method;
    let create = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let op_id = &op.id;
    // The names build chose for the method's own parameters and bindings.
    let n = &flow.names;
    let [body, file, upload_options, wait, progress, request, response, created, created_json, sent, size, url, step_body_name, last_name] =
        [
            &n.body,
            &n.file,
            &n.upload,
            &n.wait,
            &n.progress,
            &n.request,
            &n.response,
            &n.created,
            &n.created_json,
            &n.sent,
            &n.size,
            &n.url,
            &n.step_body,
            &n.last,
        ]
        .map(|n| ident(n));
    let names = &flow.names;
    let status = op
        .success
        .iter()
        .find_map(|r| match r.status {
            Status::Code(c) => Some(c),
            _ => None,
        })
        .unwrap_or(200);
    // The flow's own parameters are the first call's; steps may reuse them.
    let OwnParams {
        args,
        converts,
        mut passes,
    } = own_params(types, op);
    let body_ty = op
        .body
        .as_ref()
        .map(|b| ty(types, &b.ty, Context::Elsewhere))
        .unwrap_or_default();
    if op.body.as_ref().is_some_and(|b| b.required) {
        passes.push(quote!(#body));
    }
    // A first call without a body takes none; an optional one is required
    // of the flow (it is what the flow creates from).
    let body_arg = op.body.as_ref().map(|_| quote!(#body: #body_ty,));
    let set_body = op
        .body
        .as_ref()
        .filter(|b| !b.required)
        .map(|_| quote!(.body(#body)));
    let missing = |a: &Accessor| {
        let reason = format!("the response has no `{}`", a.pointer);
        quote!(crate::Error::InvalidResponse { operation: #op_id, status: #status, reason: #reason.into() })
    };
    let uses = |source: fn(&FlowSource) -> bool| {
        flow.then
            .iter()
            .filter_map(|s| s.body.as_ref())
            .any(|b| b.fill.iter().any(|f| source(&f.from)))
    };
    let keep_request = uses(|s| matches!(s, FlowSource::Request(_))).then(|| {
        quote! {
            let #sent = serde_json::to_value(&#body)
                .map_err(|e| #progress.failed(#op_id, crate::Error::InvalidRequest(format!("the request body: {e}"))))?;
        }
    });
    let keep_response = uses(|s| matches!(s, FlowSource::Response(_))).then(|| {
        quote! {
            let #created_json = serde_json::to_value(&#created)
                .map_err(|e| #progress.failed(#op_id, crate::Error::InvalidRequest(format!("the response: {e}"))))?;
        }
    });
    let created_id = flow.created_id.as_ref().map(|arg| {
        let id = match arg {
            FlowArg::Response(a) => {
                let get = borrowed(a, quote!(&#created));
                quote!(#get.map(|id| id.to_string()))
            }
            FlowArg::Header { rust, .. } => {
                let field = ident(rust);
                quote!(#created.#field.as_deref().map(crate::client::encoding::last_segment).map(str::to_string))
            }
            FlowArg::Param(rust) => {
                let name = ident(rust);
                quote!(Some(#name.to_string()))
            }
        };
        quote!(#progress.created(#id);)
    });
    let (file_args, read_size, upload) = match &flow.upload {
        Some(upload) => {
            let size_pointer = &upload.size_pointer;
            let url_value = borrowed(&upload.url, quote!(&#created));
            let url_missing = missing(&upload.url);
            let headers = upload.headers.iter().map(|(k, v)| quote!(.header(#k, #v)));
            // The link's storage decides how the file goes (one PUT or Azure blocks).
            let storage = upload.storage_type.as_ref().map(|a| {
                let kind = borrowed(a, quote!(&#created));
                quote! {
                    let #upload_options = match #kind {
                        Some(kind) => #upload_options.storage_type(kind),
                        None => #upload_options,
                    };
                }
            });
            (
                quote! {
                    #file: impl AsRef<std::path::Path>,
                    #upload_options: &crate::UploadOptions,
                },
                quote! {
                    let #file = #file.as_ref();
                    let #size = tokio::fs::metadata(#file)
                        .await
                        // Before anything is sent: the error as it is.
                        .map_err(|e| crate::Error::io(format!("cannot read {}", #file.display()), e))?
                        .len();
                },
                Some((
                    quote!(#request.patch_json_body(#size_pointer, serde_json::Value::from(#size)).map_err(|e| #progress.failed(#op_id, e))?;),
                    quote! {
                        let #url = #url_value.cloned().ok_or_else(|| #progress.failed("upload", #url_missing))?;
                        #progress.uploading_to(&#url);
                        let #upload_options = #upload_options.clone() #(#headers)*;
                        #storage
                        self.upload_file(&#url, #file, &#upload_options).await.map_err(|e| #progress.failed("upload", e))?;
                        #progress.done("upload");
                    },
                )),
            )
        }
        None => (quote!(), quote!(), None),
    };
    let request_binding = if upload.is_some() {
        quote!(let mut #request)
    } else {
        quote!(let #request)
    };
    let (patch_size, do_upload) = match upload {
        Some((patch, upload)) => (Some(patch), Some(upload)),
        None => (None, None),
    };
    let mut output = match &op.output {
        Output::Body(e, t) => body_output_type(types, *e, t),
        _ => quote!(()),
    };
    let mut result = quote!(#created);
    let mut steps = Vec::new();
    let mut step_docs = Vec::new();
    let uses_wait = flow.then.iter().any(|s| s.wait);
    for (i, step) in flow.then.iter().enumerate() {
        let call = ident(&step.method);
        let step_op = &step.operation;
        let values = step.args.iter().map(|a| match a {
            FlowArg::Response(a) => {
                let get = borrowed(a, quote!(&#created));
                let err = missing(a);
                quote!(#get.cloned().ok_or_else(|| #progress.failed(#step_op, #err))?)
            }
            FlowArg::Header { rust, wire, ty: t } => {
                let field = ident(rust);
                let t = ty(types, t, Context::Elsewhere);
                let reason = format!("the `{wire}` header is missing or does not end with the id");
                quote! {
                    #created.#field.as_deref()
                        .map(crate::client::encoding::last_segment)
                        .and_then(|segment| segment.parse::<#t>().ok())
                        .ok_or_else(|| #progress.failed(#step_op, crate::Error::InvalidResponse {
                            operation: #op_id, status: #status, reason: #reason.into(),
                        }))?
                }
            }
            FlowArg::Param(rust) => {
                let name = ident(rust);
                let copy = op.params.iter().any(|p| &p.rust == rust && is_copy(&p.ty));
                if copy {
                    quote!(#name)
                } else {
                    quote!(#name.clone())
                }
            }
        });
        let last = i + 1 == flow.then.len();
        let binding = if last { quote!(#last_name) } else { quote!(_) };
        let fail = quote!(.map_err(|e| #progress.failed(#step_op, e))?);
        steps.push(match (&step.body, step.wait, step.default_body) {
            (_, true, _) => quote!(let #binding = self.#call(#(#values,)* #wait).await #fail;),
            (Some(body), _, _) => {
                let make = step_body(types, body, step_op, names);
                quote! {
                    let #step_body_name = { #make };
                    let #binding = self.#call(#(#values,)* #step_body_name).send().await #fail;
                }
            }
            (None, _, true) => {
                quote!(let #binding = self.#call(#(#values,)* Default::default()).send().await #fail;)
            }
            (None, _, false) => quote!(let #binding = self.#call(#(#values),*).send().await #fail;),
        });
        steps.push(quote!(#progress.done(#step_op);));
        step_docs.push(format!(
            "[`{}`](Self::{}){}",
            step.method,
            step.method,
            match &step.body {
                Some(b) if !b.fill.is_empty() => format!(
                    " with `{}`{}",
                    b.template,
                    b.fill
                        .iter()
                        .map(|f| format!(
                            ", `{}` from {}",
                            f.target,
                            match &f.from {
                                FlowSource::Response(p) => format!("the first response's `{p}`"),
                                FlowSource::Request(p) => format!("the request body's `{p}`"),
                            }
                        ))
                        .collect::<String>()
                ),
                Some(b) => format!(" with `{}`", b.template),
                None => String::new(),
            }
        ));
        if last {
            result = quote!(#last_name);
            output = ty(types, &step.output, Context::Elsewhere);
        }
    }
    let wait_arg = uses_wait.then(|| quote!(#wait: &crate::WaitOptions,));
    let mut doc_steps = vec![format!("[`{}`](Self::{})", op.method_name, op.method_name)];
    if let Some(upload) = &flow.upload {
        doc_steps[0].push_str(&format!(
            " with `{}` set to the file's size",
            upload.size_pointer
        ));
        doc_steps.push(format!(
            "uploads the file to `{}` with [`Client::upload_file`](crate::Client::upload_file) (streamed from disk, no credentials, retried){}{}",
            upload.url.pointer,
            match &upload.storage_type {
                Some(a) => format!(
                    ", as the storage `{}` names (`azure`: staged blocks above the threshold)",
                    a.pointer
                ),
                None => String::new(),
            },
            if upload.headers.is_empty() {
                String::new()
            } else {
                format!(
                    " with {}",
                    upload
                        .headers
                        .iter()
                        .map(|(k, v)| format!("`{k}: {v}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        ));
    }
    doc_steps.extend(step_docs);
    let doc = format!(
        " Does the whole flow in one call:\n\n{}.\n\n Returns what the last step returns. A step that fails ends the flow with [`Error::Flow`](crate::Error::Flow), which names the step{} and holds its error.",
        doc_steps
            .iter()
            .enumerate()
            .map(|(i, d)| format!(" {}. {d}", i + 1))
            .collect::<Vec<_>>()
            .join(";\n"),
        match &flow.created_id {
            Some(FlowArg::Response(a)) => format!(", the id the first call created (`{}`)", a.pointer),
            Some(FlowArg::Header { wire, .. }) => {
                format!(", the id the first call created (the end of its `{wire}` header)")
            }
            Some(FlowArg::Param(_)) => ", the id it works on".to_string(),
            None => String::new(),
        } + if flow.upload.is_some() { " and the upload URL" } else { "" },
    );
    quote! {
        #[doc = #doc]
        pub async fn #method(
            &self,
            #(#args,)*
            #body_arg
            #file_args
            #wait_arg
        ) -> Result<#output, crate::Error> {
            let mut #progress = crate::error::FlowProgress::new(#flow_name);
            #(#converts)*
            #read_size
            #keep_request
            #request_binding = crate::client::operation::Operation::into_request(self.#create(#(#passes),*)#set_body).map_err(|e| #progress.failed(#op_id, e))?;
            #patch_size
            let #response = self.execute(#request).await.map_err(|e| #progress.failed(#op_id, e))?;
            let #created = crate::client::operation::decode::<#builder>(#response).map_err(|e| #progress.failed(#op_id, e))?;
            #created_id
            #progress.done(#op_id);
            #keep_response
            #do_upload
            #(#steps)*
            Ok(#result)
        }
    }
}

/// The statements that make a step's body (the value of a block).
fn step_body(types: &[TypeDef], body: &FlowBody, step_op: &str, names: &FlowNames) -> TokenStream {
    let [progress, created_json, sent] =
        [&names.progress, &names.created_json, &names.sent].map(|n| ident(n));
    let template = &body.template;
    let body_ty = ty(types, &body.ty, Context::Elsewhere);
    let fills = body.fill.iter().map(|f| {
        let target = &f.target;
        let (source, pointer, what) = match &f.from {
            FlowSource::Response(p) => (quote!(#created_json), p, "the first response"),
            FlowSource::Request(p) => (quote!(#sent), p, "the request body"),
        };
        let reason = format!("{what} has no `{pointer}`");
        quote! {
            let value = #source.pointer(#pointer).cloned().ok_or_else(|| {
                #progress.failed(#step_op, crate::Error::InvalidRequest(#reason.into()))
            })?;
            crate::client::request::set_json_pointer(&mut value_out, #target, value);
        }
    });
    let binding = if body.fill.is_empty() {
        quote!(let value_out)
    } else {
        quote!(let mut value_out)
    };
    quote! {
        #binding: serde_json::Value = serde_json::from_str(#template)
            .map_err(|e| #progress.failed(#step_op, crate::Error::InvalidRequest(format!("the step's body: {e}"))))?;
        #(#fills)*
        serde_json::from_value::<#body_ty>(value_out)
            .map_err(|e| #progress.failed(#step_op, crate::Error::InvalidRequest(format!("the step's body: {e}"))))?
    }
}

/// A client method's own copies of an operation's required parameters.
struct OwnParams {
    /// The method's arguments (`name: impl Into<String>`, ...).
    args: Vec<TokenStream>,
    /// Statements that turn the `impl Into<String>` ones into `String`s.
    converts: Vec<TokenStream>,
    /// Each passed on to the operation, as often as needed: `Copy` ones as
    /// they are, the others cloned.
    passes: Vec<TokenStream>,
}

fn own_params(types: &[TypeDef], op: &Operation) -> OwnParams {
    let mut own = OwnParams {
        args: Vec::new(),
        converts: Vec::new(),
        passes: Vec::new(),
    };
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.rust);
        let (arg, into) = arg_type(types, &p.ty);
        own.args.push(quote!(#name: #arg));
        if into {
            own.converts.push(quote!(let #name: String = #name.into();));
        }
        own.passes.push(if is_copy(&p.ty) {
            quote!(#name)
        } else {
            quote!(#name.clone())
        });
    }
    own
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
