//! The vendor extensions that describe what a document cannot say in plain
//! OpenAPI: how a listing pages, which representations a header selects,
//! how to wait for long-running work, and multi-step upload flows.
//!
//! Each extension names places in responses with JSON pointers; they are
//! resolved here against the built types, so a pointer that leads nowhere is
//! an error at generation time, not a `None` at run time. The formats are
//! documented in the README ("Vendor extensions").

use serde::Deserialize;
use serde_json::Value;

use super::schemas::Schemas;
use crate::error::{Error, ErrorKind, Pointer, Problems, Result};
use crate::model::{
    Accessor, Download, Encoding, FileNamePart, Flow, FlowArg, FlowBody, FlowFill, FlowNames,
    FlowSource, FlowStep, FlowUpload, Operation, Output, Paging, Repeat, Step, TypeDef, TypeKind,
    TypeRef, TypeSpace, Waiter,
};
use crate::names::{self, Namespace};

pub const VARIANTS: &str = "x-variants";
pub const PAGING: &str = "x-paging";
pub const WAITER: &str = "x-waiter";
pub const UPLOAD_FLOW: &str = "x-upload-flow";
/// Flows without an upload; one object or a list of them.
pub const FLOW: &str = "x-flow";
/// Call an operation again until a boolean in its answer says it was the last.
pub const REPEAT: &str = "x-repeat";
/// Download the file behind a URL in the answer, or in each listed item.
pub const DOWNLOAD: &str = "x-download";
pub const IDEMPOTENT: &str = "x-idempotent";

fn extension<'a>(op: &'a Operation, name: &str) -> Option<&'a Value> {
    op.extensions
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// Reads an extension's value as `T`, with the error located at it.
fn parse<T: for<'de> Deserialize<'de>>(value: &Value, at: &Pointer) -> Result<T> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        // Segment by segment: the path's text writes list items as `a[1]`,
        // which is no JSON pointer.
        let pointer = crate::error::path_to_pointer(e.path(), at.clone());
        Error::at(ErrorKind::Extension, pointer, e.into_inner().to_string())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantsSpec {
    header: String,
    variants: Vec<VariantSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantSpec {
    name: String,
    value: String,
    schema: openapiv3::ReferenceOr<openapiv3::Schema>,
    #[serde(default)]
    default: bool,
}

/// `x-variants`: one operation per representation. The default variant keeps
/// the operation's method name; the others get `<method>_<name>`. Each sends
/// its header value and decodes its own type, and the header is no longer a
/// parameter the caller sets.
pub fn expand_variants(
    op: Operation,
    types: &mut Schemas,
    method_names: &mut Namespace,
    builder_names: &mut Namespace,
) -> Result<Vec<Operation>> {
    let Some(value) = extension(&op, VARIANTS) else {
        return Ok(vec![op]);
    };
    let at = Pointer::from_place(&op.at).key(VARIANTS);
    let spec: VariantsSpec = parse(value, &at)?;
    let defaults = spec.variants.iter().filter(|v| v.default).count();
    if spec.variants.is_empty() || defaults != 1 {
        return Err(at.key("variants").error(
            ErrorKind::Extension,
            "list at least one variant and mark exactly one `default: true` (it keeps the \
             operation's method name)",
        ));
    }
    let mut out = Vec::new();
    for (i, variant) in spec.variants.iter().enumerate() {
        let here = at.key("variants").index(i);
        let hint = format!("{}_{}", op.builder_name, names::camel(&variant.name));
        let ty = types
            .resolve(&variant.schema, &hint, &here.key("schema"))?
            .ty;
        let mut copy = op.clone();
        copy.params
            .retain(|p| !p.wire.eq_ignore_ascii_case(&spec.header));
        copy.fixed_headers
            .push((spec.header.clone(), variant.value.clone()));
        for response in copy.success.iter_mut().filter(|r| r.body.is_some()) {
            response.body = Some((Encoding::Json, ty.clone()));
        }
        copy.output = Output::Body(Encoding::Json, ty);
        copy.variant = Some(variant.name.clone());
        if !variant.default {
            copy.method_name = method_names.claim(&format!(
                "{}_{}",
                op.method_name,
                names::snake(&variant.name)
            ));
            copy.builder_name = builder_names.claim(&format!(
                "{}{}",
                op.builder_name,
                names::camel(&variant.name)
            ));
        }
        out.push(copy);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PagingSpec {
    items: String,
    next: Option<String>,
    page_size: Option<String>,
    max_page_size: Option<u64>,
    offset: Option<String>,
    token: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiterSpec {
    name: String,
    state: String,
    pending: Vec<String>,
    done: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DownloadSpec {
    name: String,
    url: String,
    size: Option<String>,
    /// For a paged listing: each item's file name, `{pointer}`s in text.
    file_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepeatSpec {
    name: String,
    /// A pointer to a boolean in the answer: repeat until it is true.
    until: String,
    /// The most calls (default 10,000).
    max: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FlowSpec {
    name: String,
    /// Required by `x-upload-flow`, refused by `x-flow`.
    size: Option<String>,
    upload_url: Option<String>,
    /// Where the response says what storage the URL is (`azure`, `google`).
    upload_storage_type: Option<String>,
    #[serde(default)]
    upload_headers: indexmap::IndexMap<String, String>,
    /// A pointer to the created resource's id in the first response.
    id: Option<String>,
    #[serde(default)]
    then: Vec<FlowStepSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FlowStepSpec {
    operation: Option<String>,
    wait: Option<String>,
    /// Parameter wire name → a pointer into the first response, or `$name`
    /// for the first call's own required parameter `name`.
    #[serde(default)]
    args: indexmap::IndexMap<String, String>,
    /// The step's body: a JSON constant...
    body: Option<serde_json::Value>,
    /// ...with these values put in: body pointer → a pointer into the first
    /// response, or `$body/…` into the first request's body.
    #[serde(default)]
    body_from: indexmap::IndexMap<String, String>,
}

/// Resolves `x-paging`, `x-waiter`, `x-repeat`, `x-idempotent`,
/// `x-upload-flow` and `x-flow` on
/// every operation, once all types are known; a problem with one is
/// recorded and the others are still read.
pub fn attach(
    operations: &mut [Operation],
    types: &[TypeDef],
    notes: &mut Vec<String>,
    problems: &mut Problems,
) {
    let mut method_names = names::client_methods();
    for op in operations.iter() {
        method_names.claim(&op.method_name);
    }
    for op in operations.iter_mut() {
        let at = Pointer::from_place(&op.at);
        if let Some(value) = extension(op, IDEMPOTENT) {
            op.idempotent = problems.check(parse(value, &at.key(IDEMPOTENT)));
        }
        if let Some(value) = extension(op, PAGING) {
            let here = at.key(PAGING);
            op.paging =
                problems.check(parse(value, &here).and_then(|spec| paging(op, spec, types, &here)));
        }
        if let Some(value) = extension(op, WAITER) {
            let here = at.key(WAITER);
            let waiter = parse(value, &here).and_then(|spec| waiter(op, spec, types, &here));
            op.waiter = problems.check(waiter).map(|(name, mut waiter)| {
                waiter.method = method_names.claim_noted(&name, here.as_str(), notes);
                waiter
            });
        }
        if let Some(value) = extension(op, DOWNLOAD) {
            let here = at.key(DOWNLOAD);
            match parse(value, &here).and_then(|spec| download(op, spec, types, &here)) {
                Ok(mut download) => {
                    download.method = if download.file_name.is_some() {
                        // A builder method: its own namespace.
                        download.method
                    } else {
                        method_names.claim_noted(&download.method, here.as_str(), notes)
                    };
                    op.download = Some(download);
                }
                // One representation of a listing may lack the URL another has
                // (`x-variants`): the method goes on those that have it.
                Err(e) if !op.fixed_headers.is_empty() => notes.push(format!(
                    "no `x-download` method on `{}`, whose representation lacks what it needs: {e}",
                    op.method_name
                )),
                Err(e) => problems.push(e),
            }
        }
        if let Some(value) = extension(op, REPEAT) {
            let here = at.key(REPEAT);
            let repeat = parse(value, &here).and_then(|spec| repeat(op, spec, types, &here));
            op.repeat = problems.check(repeat).map(|mut repeat| {
                repeat.method = method_names.claim_noted(&repeat.method, here.as_str(), notes);
                repeat
            });
        }
    }
    // Flows refer to other operations and waiters: a second pass.
    let mut flows = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let mut specs = Vec::new();
        if let Some(value) = extension(op, UPLOAD_FLOW) {
            let here = Pointer::from_place(&op.at).key(UPLOAD_FLOW);
            specs.push((true, parse::<FlowSpec>(value, &here), here));
        }
        if let Some(value) = extension(op, FLOW) {
            let here = Pointer::from_place(&op.at).key(FLOW);
            // One flow, or a list of them.
            match value {
                Value::Array(list) => specs.extend(list.iter().enumerate().map(|(i, value)| {
                    let here = here.index(i);
                    (false, parse::<FlowSpec>(value, &here), here)
                })),
                value => specs.push((false, parse::<FlowSpec>(value, &here), here)),
            }
        }
        for (uploads, spec, here) in specs {
            let flow = spec.and_then(|spec| flow(op, spec, uploads, operations, types, &here));
            if let Some(mut flow) = problems.check(flow) {
                flow.method = method_names.claim_noted(&flow.method, here.as_str(), notes);
                flows.push((index, flow));
            }
        }
    }
    for (index, flow) in flows {
        operations[index].flows.push(flow);
    }
}

/// An `x-download`: a single resource's file, or (with `file-name`) each
/// item's of a paged listing.
fn download(
    op: &Operation,
    spec: DownloadSpec,
    types: &[TypeDef],
    here: &Pointer,
) -> Result<Download> {
    let root = body_type(op, here)?;
    let (within, file_name) = match &spec.file_name {
        Some(template) => {
            let paging = op.paging.as_ref().ok_or_else(|| {
                here.key("file-name").error(
                    ErrorKind::Extension,
                    "`file-name` is for a paged listing (`x-paging`): each item's file",
                )
            })?;
            let item = paging.item.clone();
            let parts = file_name(template, &item, types, &here.key("file-name"))?;
            (item, Some(parts))
        }
        None => (root, None),
    };
    let url = accessor(types, &within, &spec.url, &here.key("url"))?;
    if url.target != TypeRef::String {
        return Err(here.key("url").error(
            ErrorKind::Extension,
            format!("`{}` must lead to a string (a URL)", spec.url),
        ));
    }
    let size = match &spec.size {
        Some(pointer) => {
            let size = accessor(types, &within, pointer, &here.key("size"))?;
            if !matches!(size.target, TypeRef::I32 | TypeRef::I64) {
                return Err(here.key("size").error(
                    ErrorKind::Extension,
                    format!("`{pointer}` must lead to an integer"),
                ));
            }
            Some(size)
        }
        None => None,
    };
    if file_name.is_none() && op.body.as_ref().is_some_and(|b| b.required) {
        return Err(here.error(
            ErrorKind::Extension,
            "a download reads an operation without a required body",
        ));
    }
    Ok(Download {
        method: names::snake(&spec.name),
        url,
        size,
        file_name,
    })
}

/// `{/id}.cs`: text and `{pointer}`s to text-like fields of `item`.
fn file_name(
    template: &str,
    item: &TypeRef,
    types: &[TypeDef],
    at: &Pointer,
) -> Result<Vec<FileNamePart>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            parts.push(FileNamePart::Text(rest[..open].to_string()));
        }
        let close = rest[open..].find('}').ok_or_else(|| {
            at.error(
                ErrorKind::Extension,
                format!("`{template}`: a `{{` without its `}}`"),
            )
        })?;
        let pointer = &rest[open + 1..open + close];
        let field = accessor(types, item, pointer, at)?;
        if !matches!(
            field.target,
            TypeRef::String | TypeRef::Uuid | TypeRef::I32 | TypeRef::I64
        ) {
            return Err(at.error(
                ErrorKind::Extension,
                format!("`{pointer}` must lead to text, an id or an integer"),
            ));
        }
        parts.push(FileNamePart::Field(field));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push(FileNamePart::Text(rest.to_string()));
    }
    if !parts.iter().any(|p| matches!(p, FileNamePart::Field(_))) {
        return Err(at.error(
            ErrorKind::Extension,
            format!("`{template}` names no field: every item would get the same file"),
        ));
    }
    Ok(parts)
}

/// An `x-repeat`, its method named as asked (`attach` claims it).
fn repeat(op: &Operation, spec: RepeatSpec, types: &[TypeDef], here: &Pointer) -> Result<Repeat> {
    let root = body_type(op, here)?;
    let until = accessor(types, &root, &spec.until, &here.key("until"))?;
    if until.target != TypeRef::Bool {
        return Err(here.key("until").error(
            ErrorKind::Extension,
            format!("`{}` must lead to a boolean", spec.until),
        ));
    }
    if spec.max == Some(0) {
        return Err(here
            .key("max")
            .error(ErrorKind::Extension, "`max` must be at least 1"));
    }
    Ok(Repeat {
        method: names::snake(&spec.name),
        until,
        max: spec.max.unwrap_or(10_000),
    })
}

/// An `x-waiter` and the method name it asks for.
fn waiter(
    op: &Operation,
    spec: WaiterSpec,
    types: &[TypeDef],
    here: &Pointer,
) -> Result<(String, Waiter)> {
    if op.body.as_ref().is_some_and(|b| b.required) {
        return Err(here.error(
            ErrorKind::Extension,
            "a waiter polls an operation without a required body",
        ));
    }
    let root = body_type(op, here)?;
    let state = accessor(types, &root, &spec.state, &here.key("state"))?;
    scalar(&state, types, &here.key("state"))?;
    Ok((
        format!("wait_for_{}", names::snake(&spec.name)),
        Waiter {
            name: spec.name.clone(),
            method: String::new(),
            state,
            pending: spec.pending,
            done: spec.done,
        },
    ))
}

/// The JSON type an operation's success response decodes to.
fn body_type(op: &Operation, at: &Pointer) -> Result<TypeRef> {
    match &op.output {
        Output::Body(Encoding::Json, ty) => Ok(ty.clone()),
        _ => Err(at.error(
            ErrorKind::Extension,
            format!(
                "operation `{}` must have one JSON success body for this extension",
                op.id
            ),
        )),
    }
}

fn paging(op: &Operation, spec: PagingSpec, types: &[TypeDef], at: &Pointer) -> Result<Paging> {
    let root = body_type(op, at)?;
    let items = accessor(types, &root, &spec.items, &at.key("items"))?;
    let TypeRef::Vec(item) = &items.target else {
        return Err(at.key("items").error(
            ErrorKind::Extension,
            format!("`{}` must lead to an array", spec.items),
        ));
    };
    let item = (**item).clone();
    let next = match &spec.next {
        Some(pointer) => {
            let next = accessor(types, &root, pointer, &at.key("next"))?;
            if next.target != TypeRef::String {
                return Err(at.key("next").error(
                    ErrorKind::Extension,
                    format!("`{pointer}` must lead to a string (a URL)"),
                ));
            }
            Some(next)
        }
        None => None,
    };
    let query_param = |wire: &str, key: &str| {
        op.params
            .iter()
            .find(|p| p.wire == wire && p.location == crate::model::Location::Query && !p.required)
            .ok_or_else(|| {
                at.key(key).error(
                    ErrorKind::Extension,
                    format!(
                        "operation `{}` has no optional query parameter `{wire}`",
                        op.id
                    ),
                )
            })
    };
    let page_size = match &spec.page_size {
        Some(wire) => {
            let param = query_param(wire, "page-size")?;
            if !matches!(param.ty, TypeRef::I32 | TypeRef::I64) {
                return Err(at.key("page-size").error(
                    ErrorKind::Extension,
                    format!("parameter `{wire}` must be an integer"),
                ));
            }
            Some((wire.clone(), param.rust.clone()))
        }
        None => None,
    };
    let offset = match &spec.offset {
        Some(wire) => Some(query_param(wire, "offset")?.wire.clone()),
        None => None,
    };
    let token = match &spec.token {
        Some(wire) if spec.next.is_none() => {
            return Err(at.key("token").error(
                ErrorKind::Extension,
                format!(
                    "a continuation token (`{wire}`) is read from the `next` link: give `next` too"
                ),
            ))
        }
        Some(wire) => {
            let param = query_param(wire, "token")?;
            if param.ty != TypeRef::String {
                return Err(at.key("token").error(
                    ErrorKind::Extension,
                    format!("parameter `{wire}` must be a string"),
                ));
            }
            Some(param.wire.clone())
        }
        None => None,
    };
    Ok(Paging {
        items,
        item,
        next,
        page_size,
        max_page_size: spec.max_page_size,
        offset,
        token,
    })
}

fn flow(
    op: &Operation,
    spec: FlowSpec,
    uploads: bool,
    operations: &[Operation],
    types: &[TypeDef],
    at: &Pointer,
) -> Result<Flow> {
    // Values come from the first call's JSON body, or from its response
    // headers (`@location`) when it has only those.
    let root = match &op.output {
        Output::Body(Encoding::Json, ty) => Some(ty.clone()),
        Output::WithHeaders { body: None, .. } => None,
        _ => {
            return Err(at.error(ErrorKind::Extension, format!(
                "operation `{}` must have one JSON success body, or declared response headers only, for a flow",
                op.id
            )))
        }
    };
    let mut upload = match (uploads, spec.size, spec.upload_url) {
        (true, Some(size), Some(url)) => Some(flow_upload(
            op,
            size,
            &url,
            spec.upload_headers,
            root.as_ref()
                .ok_or_else(|| no_body(op, &at.key("upload-url")))?,
            types,
            at,
        )?),
        (true, _, _) => {
            return Err(at.error(
                ErrorKind::Extension,
                "an upload flow needs `size` and `upload-url`",
            ))
        }
        (false, None, None)
            if spec.upload_headers.is_empty() && spec.upload_storage_type.is_none() =>
        {
            None
        }
        (false, _, _) => return Err(at.error(
            ErrorKind::Extension,
            "`x-flow` has no upload (`size`, `upload-url`, `upload-headers`): use `x-upload-flow`",
        )),
    };
    // An upload has a JSON body to point into (`flow_upload` checked it).
    if let (Some(upload), Some(pointer), Some(root)) =
        (upload.as_mut(), &spec.upload_storage_type, &root)
    {
        let here = at.key("upload-storage-type");
        let storage = accessor(types, root, pointer, &here)?;
        if storage.target != TypeRef::String {
            return Err(here.error(
                ErrorKind::Extension,
                "`upload-storage-type` must lead to a string",
            ));
        }
        upload.storage_type = Some(storage);
    }
    let created_id = match &spec.id {
        Some(source) => Some(flow_value(
            op,
            root.as_ref(),
            source,
            None,
            types,
            &at.key("id"),
        )?),
        None => None,
    };
    let mut then = Vec::new();
    for (i, step) in spec.then.iter().enumerate() {
        then.push(flow_step(
            op,
            step,
            root.as_ref(),
            operations,
            types,
            &at.key("then").index(i),
        )?);
    }
    Ok(Flow {
        // The name asked for; `attach` claims it.
        method: names::snake(&spec.name),
        upload,
        created_id,
        needs: Vec::new(),
        then,
        names: flow_names(op, spec.then.len()),
    })
}

/// The flow method's own names, each the plain word unless one of the
/// first call's required parameters (the method's other parameters, which
/// keep their names) has it. The last of `steps` steps binds its answer as
/// `step_{index}`.
fn flow_names(op: &Operation, steps: usize) -> FlowNames {
    let params: Vec<&str> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.rust.as_str())
        .collect();
    let mut ns = Namespace::with_reserved(&params);
    let mut claim = |wanted: &str| ns.claim(wanted);
    FlowNames {
        body: claim("body"),
        file: claim("file"),
        upload: claim("upload"),
        wait: claim("wait"),
        progress: claim("progress"),
        request: claim("request"),
        response: claim("response"),
        created: claim("created"),
        created_json: claim("created_json"),
        sent: claim("sent"),
        size: claim("size"),
        url: claim("url"),
        step_body: claim("step_body"),
        last: claim(&format!("step_{}", steps.saturating_sub(1))),
    }
}

fn flow_upload(
    op: &Operation,
    size: String,
    url: &str,
    headers: indexmap::IndexMap<String, String>,
    root: &TypeRef,
    types: &[TypeDef],
    at: &Pointer,
) -> Result<FlowUpload> {
    if !size.starts_with('/')
        || op
            .body
            .as_ref()
            .is_none_or(|b| b.encoding != Encoding::Json)
    {
        return Err(at.key("size").error(
            ErrorKind::Extension,
            "`size` must be a JSON pointer into the operation's JSON request body",
        ));
    }
    let url = accessor(types, root, url, &at.key("upload-url"))?;
    if url.target != TypeRef::String {
        return Err(at
            .key("upload-url")
            .error(ErrorKind::Extension, "`upload-url` must lead to a string"));
    }
    Ok(FlowUpload {
        size_pointer: size,
        url,
        storage_type: None,
        headers: headers.into_iter().collect(),
    })
}

fn flow_step(
    op: &Operation,
    step: &FlowStepSpec,
    root: Option<&TypeRef>,
    operations: &[Operation],
    types: &[TypeDef],
    here: &Pointer,
) -> Result<FlowStep> {
    let target = match (&step.operation, &step.wait) {
        (Some(id), None) => operations
            .iter()
            .find(|o| &o.id == id && o.fixed_headers.is_empty()),
        // By the waiter's own name: its method may carry a suffix.
        (None, Some(name)) => operations
            .iter()
            .find(|o| o.waiter.as_ref().is_some_and(|w| &w.name == name)),
        _ => {
            return Err(here.error(
                ErrorKind::Extension,
                "a step names either `operation` or `wait`",
            ));
        }
    }
    .ok_or_else(|| {
        here.error(
            ErrorKind::Extension,
            "names no operation or waiter of this document",
        )
    })?;
    let wait = step.wait.is_some();
    let mut args = Vec::new();
    for param in target.params.iter().filter(|p| p.required) {
        let at = here.key("args").key(&param.wire);
        let source = step.args.get(&param.wire).ok_or_else(|| {
            here.key("args").error(
                ErrorKind::Extension,
                format!("missing the argument `{}` of `{}`", param.wire, target.id),
            )
        })?;
        args.push(flow_value(op, root, source, Some(&param.ty), types, &at)?);
    }
    let required_body = target.body.as_ref().filter(|b| b.required);
    let given = step.body.is_some() || !step.body_from.is_empty();
    let (default_body, body) = match required_body {
        None if given => {
            return Err(here.error(
                ErrorKind::Extension,
                format!("`{}` takes no request body", target.id),
            ))
        }
        None => (false, None),
        Some(body) if wait => {
            return Err(here.error(
                ErrorKind::Extension,
                format!("{:?} needs a body; a waiter cannot send one", body.ty),
            ))
        }
        Some(body) if given => (
            false,
            Some(flow_body(op, step, root, &body.ty, types, here)?),
        ),
        Some(body) if defaultable(&body.ty, types) => (true, None),
        Some(_) => {
            return Err(here.error(
                ErrorKind::Extension,
                format!(
                    "`{}` needs a request body: give it with `body` and `body-from`",
                    target.id
                ),
            ))
        }
    };
    let output = body_type(target, here)?;
    Ok(FlowStep {
        method: if wait {
            target
                .waiter
                .as_ref()
                .map(|w| w.method.clone())
                .unwrap_or_default()
        } else {
            target.method_name.clone()
        },
        operation: target.id.clone(),
        wait,
        default_body,
        args,
        body,
        output,
    })
}

/// The error of a pointer into the first response of an operation that
/// answers with headers only.
fn no_body(op: &Operation, at: &Pointer) -> crate::error::Error {
    at.error(
        ErrorKind::Extension,
        format!(
            "`{}` answers with no JSON body: take values from its response headers (`@location`)",
            op.id
        ),
    )
}

/// A value a flow takes from its first call: `$name` (the call's own
/// required parameter), `@header` (the last path segment of a response
/// header, a new resource's id in `Location`), or a JSON pointer into the
/// response body; of type `wanted` when given.
fn flow_value(
    op: &Operation,
    root: Option<&TypeRef>,
    source: &str,
    wanted: Option<&TypeRef>,
    types: &[TypeDef],
    at: &Pointer,
) -> Result<FlowArg> {
    let mismatch = |found: &TypeRef, wanted: &TypeRef| {
        at.error(
            ErrorKind::Extension,
            format!("`{source}` is a {found:?}, but the parameter is a {wanted:?}"),
        )
    };
    if let Some(name) = source.strip_prefix('$') {
        let own = op
            .params
            .iter()
            .find(|p| p.required && p.wire == name)
            .ok_or_else(|| {
                at.error(
                    ErrorKind::Extension,
                    format!("`{source}`: `{}` has no required parameter `{name}`", op.id),
                )
            })?;
        return match wanted {
            Some(wanted) if &own.ty != wanted => Err(mismatch(&own.ty, wanted)),
            _ => Ok(FlowArg::Param(own.rust.clone())),
        };
    }
    if let Some(name) = source.strip_prefix('@') {
        let header = match &op.output {
            Output::WithHeaders { headers, .. } => {
                headers.iter().find(|h| h.wire.eq_ignore_ascii_case(name))
            }
            _ => None,
        }
        .ok_or_else(|| {
            at.error(
                ErrorKind::Extension,
                format!(
                    "`{source}`: `{}` declares no response header `{name}`",
                    op.id
                ),
            )
        })?;
        let ty = wanted.cloned().unwrap_or(TypeRef::String);
        if !matches!(
            ty,
            TypeRef::String | TypeRef::Uuid | TypeRef::I32 | TypeRef::I64
        ) {
            return Err(at.error(
                ErrorKind::Extension,
                format!("`{source}`: a header's segment is text, and the parameter is a {ty:?}"),
            ));
        }
        return Ok(FlowArg::Header {
            rust: header.rust.clone(),
            wire: header.wire.clone(),
            ty,
        });
    }
    let root = root.ok_or_else(|| no_body(op, at))?;
    let arg = accessor(types, root, source, at)?;
    match wanted {
        Some(wanted) if &arg.target != wanted => Err(mismatch(&arg.target, wanted)),
        _ => Ok(FlowArg::Response(arg)),
    }
}

/// A step's body from `body` and `body-from`, each pointer checked against
/// the types at both ends.
fn flow_body(
    op: &Operation,
    step: &FlowStepSpec,
    root: Option<&TypeRef>,
    body_ty: &TypeRef,
    types: &[TypeDef],
    here: &Pointer,
) -> Result<FlowBody> {
    let template = step
        .body
        .clone()
        .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
    if !template.is_object() {
        return Err(here
            .key("body")
            .error(ErrorKind::Extension, "`body` must be an object"));
    }
    let mut fill = Vec::new();
    for (target, source) in &step.body_from {
        let at = here.key("body-from").key(target);
        let into = accessor(types, body_ty, target, &at)?;
        let (from, ty) = match source.strip_prefix("$body") {
            Some(pointer) => {
                let request = op
                    .body
                    .as_ref()
                    .filter(|b| b.encoding == Encoding::Json)
                    .ok_or_else(|| {
                        at.error(
                            ErrorKind::Extension,
                            format!("`{}` has no JSON request body", op.id),
                        )
                    })?;
                let a = accessor(types, &request.ty, pointer, &at)?;
                (FlowSource::Request(pointer.to_string()), a.target)
            }
            None => {
                let root = root.ok_or_else(|| no_body(op, &at))?;
                let a = accessor(types, root, source, &at)?;
                (FlowSource::Response(source.clone()), a.target)
            }
        };
        if ty != into.target {
            return Err(at.error(
                ErrorKind::Extension,
                format!(
                    "`{source}` is a {ty:?}, but `{target}` is a {:?}",
                    into.target
                ),
            ));
        }
        fill.push(FlowFill {
            target: target.clone(),
            from,
        });
    }
    Ok(FlowBody {
        template: template.to_string(),
        fill,
        ty: body_ty.clone(),
    })
}

/// Whether a body type has a `Default` that serialises as `{}`.
fn defaultable(ty: &TypeRef, types: &[TypeDef]) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Named(id) => matches!(
            &types.def(*id).kind,
            TypeKind::Struct { fields, .. } if fields.iter().all(|f| !f.required)
        ),
        _ => false,
    }
}

/// A state must be a string or a string enum, to compare with the lists.
fn scalar(accessor: &Accessor, types: &[TypeDef], at: &Pointer) -> Result<()> {
    let ok = match &accessor.target {
        TypeRef::String => true,
        TypeRef::Named(id) => matches!(types.def(*id).kind, TypeKind::StringEnum { .. }),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(at.error(
            ErrorKind::Extension,
            format!(
                "`{}` must lead to a string or a string enum",
                accessor.pointer
            ),
        ))
    }
}

/// Resolves a JSON pointer into `root`'s fields.
fn accessor(types: &[TypeDef], root: &TypeRef, pointer: &str, at: &Pointer) -> Result<Accessor> {
    if !pointer.starts_with('/') {
        return Err(at.error(
            ErrorKind::Extension,
            format!("`{pointer}` is not a JSON pointer (it must start with `/`)"),
        ));
    }
    let mut current = root.clone();
    let mut steps = Vec::new();
    for key in crate::pointer::tokens(pointer).unwrap_or_default() {
        let fields = types.struct_fields(&current).ok_or_else(|| {
            at.error(
                ErrorKind::Extension,
                format!(
                "`{pointer}`: cannot look up `{key}` in {}, which is not an object with properties",
                types.short_name(&current)
            ),
            )
        })?;
        let field = fields
            .iter()
            .find(|f| f.wire == key && !f.flatten)
            .ok_or_else(|| {
                at.error(
                    ErrorKind::Extension,
                    format!(
                        "`{pointer}`: {} has no property `{key}`",
                        types.short_name(&current)
                    ),
                )
            })?;
        steps.push(Step {
            rust: field.rust.clone(),
            optional: !field.required || field.nullable,
            boxed: field.boxed,
        });
        current = field.ty.clone();
    }
    Ok(Accessor {
        pointer: pointer.to_string(),
        steps,
        target: current,
    })
}
