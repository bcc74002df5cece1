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
use crate::error::{Pointer, Problems, Result};
use crate::model::{
    Accessor, Encoding, FlowStep, Operation, Output, Paging, Step, TypeDef, TypeKind, TypeRef,
    UploadFlow, Waiter,
};
use crate::names::{self, Namespace};

pub const VARIANTS: &str = "x-variants";
pub const PAGING: &str = "x-paging";
pub const WAITER: &str = "x-waiter";
pub const UPLOAD_FLOW: &str = "x-upload-flow";
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
        let path = e.path().to_string();
        let at = if path == "." {
            at.clone()
        } else {
            path.split('.').fold(at.clone(), |p, s| p.key(s))
        };
        at.error(e.into_inner().to_string())
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
    let at = Pointer::from_ref(&op.at).key(VARIANTS);
    let spec: VariantsSpec = parse(value, &at)?;
    let defaults = spec.variants.iter().filter(|v| v.default).count();
    if spec.variants.is_empty() || defaults != 1 {
        return Err(at.key("variants").error(
            "list at least one variant and mark exactly one `default: true` (it keeps the operation's method name)",
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
struct FlowSpec {
    name: String,
    size: String,
    upload_url: String,
    /// Where the response says what storage the URL is (`azure`, `google`).
    #[serde(default)]
    upload_storage_type: Option<String>,
    #[serde(default)]
    upload_headers: indexmap::IndexMap<String, String>,
    #[serde(default)]
    then: Vec<FlowStepSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlowStepSpec {
    operation: Option<String>,
    wait: Option<String>,
    #[serde(default)]
    args: indexmap::IndexMap<String, String>,
}

/// Resolves `x-paging`, `x-waiter`, `x-idempotent` and `x-upload-flow` on
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
        let at = Pointer::from_ref(&op.at);
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
    }
    // Flows refer to other operations and waiters: a second pass.
    let mut flows = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        if let Some(value) = extension(op, UPLOAD_FLOW) {
            let here = Pointer::from_ref(&op.at).key(UPLOAD_FLOW);
            let flow = parse(value, &here)
                .and_then(|spec| upload_flow(op, spec, operations, types, &here));
            if let Some(mut flow) = problems.check(flow) {
                flow.method = method_names.claim_noted(&flow.method, here.as_str(), notes);
                flows.push((index, flow));
            }
        }
    }
    for (index, flow) in flows {
        operations[index].upload_flow = Some(flow);
    }
}

/// An `x-waiter` and the method name it asks for.
fn waiter(
    op: &Operation,
    spec: WaiterSpec,
    types: &[TypeDef],
    here: &Pointer,
) -> Result<(String, Waiter)> {
    if op.body.as_ref().is_some_and(|b| b.required) {
        return Err(here.error("a waiter polls an operation without a required body"));
    }
    let root = body_type(op, here)?;
    let state = accessor(types, &root, &spec.state, &here.key("state"))?;
    scalar(&state, types, &here.key("state"))?;
    Ok((
        format!("wait_for_{}", names::snake(&spec.name)),
        Waiter {
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
        _ => Err(at.error(format!(
            "operation `{}` must have one JSON success body for this extension",
            op.id
        ))),
    }
}

fn paging(op: &Operation, spec: PagingSpec, types: &[TypeDef], at: &Pointer) -> Result<Paging> {
    let root = body_type(op, at)?;
    let items = accessor(types, &root, &spec.items, &at.key("items"))?;
    let TypeRef::Vec(item) = &items.target else {
        return Err(at
            .key("items")
            .error(format!("`{}` must lead to an array", spec.items)));
    };
    let item = (**item).clone();
    let next = match &spec.next {
        Some(pointer) => {
            let next = accessor(types, &root, pointer, &at.key("next"))?;
            if next.target != TypeRef::String {
                return Err(at
                    .key("next")
                    .error(format!("`{pointer}` must lead to a string (a URL)")));
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
                at.key(key).error(format!(
                    "operation `{}` has no optional query parameter `{wire}`",
                    op.id
                ))
            })
    };
    let page_size = match &spec.page_size {
        Some(wire) => {
            let param = query_param(wire, "page-size")?;
            if !matches!(param.ty, TypeRef::I32 | TypeRef::I64) {
                return Err(at
                    .key("page-size")
                    .error(format!("parameter `{wire}` must be an integer")));
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
            return Err(at.key("token").error(format!(
                "a continuation token (`{wire}`) is read from the `next` link: give `next` too"
            )))
        }
        Some(wire) => {
            let param = query_param(wire, "token")?;
            if param.ty != TypeRef::String {
                return Err(at
                    .key("token")
                    .error(format!("parameter `{wire}` must be a string")));
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

fn upload_flow(
    op: &Operation,
    spec: FlowSpec,
    operations: &[Operation],
    types: &[TypeDef],
    at: &Pointer,
) -> Result<UploadFlow> {
    let root = body_type(op, at)?;
    if !spec.size.starts_with('/')
        || op
            .body
            .as_ref()
            .is_none_or(|b| b.encoding != Encoding::Json)
    {
        return Err(at
            .key("size")
            .error("`size` must be a JSON pointer into the operation's JSON request body"));
    }
    let upload_url = accessor(types, &root, &spec.upload_url, &at.key("upload-url"))?;
    if upload_url.target != TypeRef::String {
        return Err(at
            .key("upload-url")
            .error("`upload-url` must lead to a string"));
    }
    let upload_storage_type = match &spec.upload_storage_type {
        None => None,
        Some(pointer) => {
            let here = at.key("upload-storage-type");
            let storage = accessor(types, &root, pointer, &here)?;
            if storage.target != TypeRef::String {
                return Err(here.error("`upload-storage-type` must lead to a string"));
            }
            Some(storage)
        }
    };
    let mut then = Vec::new();
    for (i, step) in spec.then.iter().enumerate() {
        let here = at.key("then").index(i);
        let target = match (&step.operation, &step.wait) {
            (Some(id), None) => operations
                .iter()
                .find(|o| &o.id == id && o.fixed_headers.is_empty()),
            (None, Some(name)) => {
                let method = format!("wait_for_{}", names::snake(name));
                operations
                    .iter()
                    .find(|o| o.waiter.as_ref().is_some_and(|w| w.method == method))
            }
            _ => {
                return Err(here.error("a step names either `operation` or `wait`"));
            }
        }
        .ok_or_else(|| here.error("names no operation or waiter of this document"))?;
        let wait = step.wait.is_some();
        let mut args = Vec::new();
        for param in target.params.iter().filter(|p| p.required) {
            let pointer = step.args.get(&param.wire).ok_or_else(|| {
                here.key("args").error(format!(
                    "missing the argument `{}` of `{}`",
                    param.wire, target.id
                ))
            })?;
            let arg = accessor(types, &root, pointer, &here.key("args").key(&param.wire))?;
            if arg.target != param.ty {
                return Err(here.key("args").key(&param.wire).error(format!(
                    "`{pointer}` is a {:?}, but parameter `{}` is a {:?}",
                    arg.target, param.wire, param.ty
                )));
            }
            args.push(arg);
        }
        let default_body = match target.body.as_ref().filter(|b| b.required) {
            None => false,
            Some(body) if wait => {
                return Err(here.error(format!(
                    "{:?} needs a body; a waiter cannot send one",
                    body.ty
                )))
            }
            Some(body) if defaultable(&body.ty, types) => true,
            Some(_) => {
                return Err(here.error(format!(
                    "`{}` needs a request body that a flow cannot make up",
                    target.id
                )))
            }
        };
        let output = body_type(target, &here)?;
        then.push(FlowStep {
            method: if wait {
                target
                    .waiter
                    .as_ref()
                    .map(|w| w.method.clone())
                    .unwrap_or_default()
            } else {
                target.method_name.clone()
            },
            wait,
            default_body,
            args,
            output,
        });
    }
    Ok(UploadFlow {
        // The name asked for; `attach` claims it.
        method: names::snake(&spec.name),
        size_pointer: spec.size,
        upload_url,
        upload_storage_type,
        upload_headers: spec.upload_headers.into_iter().collect(),
        then,
    })
}

/// Whether a body type has a `Default` that serialises as `{}`.
fn defaultable(ty: &TypeRef, types: &[TypeDef]) -> bool {
    match ty {
        TypeRef::Map(_) => true,
        TypeRef::Named(name) => matches!(
            types.iter().find(|t| &t.name == name).map(|t| &t.kind),
            Some(TypeKind::Struct { fields, .. }) if fields.iter().all(|f| !f.required)
        ),
        _ => false,
    }
}

/// A state must be a string or a string enum, to compare with the lists.
fn scalar(accessor: &Accessor, types: &[TypeDef], at: &Pointer) -> Result<()> {
    let ok = match &accessor.target {
        TypeRef::String => true,
        TypeRef::Named(name) => matches!(
            types.iter().find(|t| &t.name == name).map(|t| &t.kind),
            Some(TypeKind::StringEnum { .. })
        ),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(at.error(format!(
            "`{}` must lead to a string or a string enum",
            accessor.pointer
        )))
    }
}

/// Resolves a JSON pointer into `root`'s fields.
fn accessor(types: &[TypeDef], root: &TypeRef, pointer: &str, at: &Pointer) -> Result<Accessor> {
    if !pointer.starts_with('/') {
        return Err(at.error(format!(
            "`{pointer}` is not a JSON pointer (it must start with `/`)"
        )));
    }
    let mut current = root.clone();
    let mut steps = Vec::new();
    for token in pointer.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        let fields = struct_fields(types, &current).ok_or_else(|| {
            at.error(format!(
                "`{pointer}`: cannot look up `{key}` in {}, which is not an object with properties",
                current.short_name()
            ))
        })?;
        let field = fields
            .iter()
            .find(|f| f.wire == key && !f.flatten)
            .ok_or_else(|| {
                at.error(format!(
                    "`{pointer}`: {} has no property `{key}`",
                    current.short_name()
                ))
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

fn struct_fields<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<&'t [crate::model::Field]> {
    let mut current = ty.clone();
    for _ in 0..16 {
        let TypeRef::Named(name) = &current else {
            return None;
        };
        match &types.iter().find(|t| &t.name == name)?.kind {
            TypeKind::Struct { fields, .. } => return Some(fields),
            TypeKind::Alias(inner) => current = inner.clone(),
            _ => return None,
        }
    }
    None
}
