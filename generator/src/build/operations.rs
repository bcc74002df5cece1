//! Paths and operations → [`Operation`]s.

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response as OaResponse, StatusCode,
};

use super::schemas::Schemas;
use crate::error::{Error, ErrorKind, Pointer, Problems, Result};
use crate::model::{
    Body, Encoding, Location, MediaTypes, Operation, Output, Param, PathPart, Response,
    ResponseHeader, Status, Style, TypeId, TypeRef, TypeSpace, UnionVariant,
};
use crate::names::{self, Namespace};
use crate::oas32::Rewritten;

/// Every operation of the document, in path order then method order. An
/// operation with problems is left out and its problems recorded, so one run
/// reports them all; duplicate operationIds are renamed instead when
/// `auto_rename` is set (with a note each), else reported together with one
/// overrides fragment that fixes them all.
pub fn build_all(
    doc: &OpenAPI,
    rewritten: &Rewritten,
    types: &mut Schemas,
    auto_rename: bool,
    groups: &mut super::groups::Groups,
    problems: &mut Problems,
) -> Vec<Operation> {
    let empty = Components::default();
    let components = doc.components.as_ref().unwrap_or(&empty);
    let secured_by_default =
        !doc.security.as_ref().is_none_or(Vec::is_empty) || components.security_schemes.is_empty();

    let mut method_names = crate::names::client_methods();
    let mut builder_names = Namespace::default();
    let mut ids = OperationIds::of(doc, rewritten);
    let mut operations = Vec::new();
    let paths = Pointer::root().key("paths");

    for (path, item) in doc.paths.iter() {
        let path_at = paths.key(path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                problems.push(path_at.error(
                    ErrorKind::Unsupported,
                    format!("path item $ref `{reference}` is not supported yet"),
                ));
                continue;
            }
        };
        // The fixed methods, then OpenAPI 3.2's `query` and custom methods.
        let Some(methods) = problems.check(crate::oas32::operations_of(item, &path_at, rewritten))
        else {
            continue;
        };
        for (method, at, op) in methods {
            let method = method.as_str();
            let Some(id) = ids.claim(
                op.operation_id.as_deref(),
                method,
                path,
                &at,
                auto_rename,
                &mut types.notes,
            ) else {
                continue;
            };
            let builder_name = builder_names.claim(&names::camel(&id));
            let ctx = OpContext {
                components,
                rewritten,
                at: &at,
                builder: &builder_name,
            };
            let mut found = Problems::default();

            let mut params = Vec::new();
            let mut param_names = crate::names::builder_members();
            let merged = found
                .check(merge_parameters(
                    &item.parameters,
                    &op.parameters,
                    components,
                    rewritten,
                    &path_at,
                    &at,
                ))
                .unwrap_or_default();
            let mut querystring_at = None;
            for (param, param_at) in merged {
                if is_querystring(param, &param_at, rewritten) {
                    querystring_at = Some(param_at.clone());
                }
                if let Some(param) =
                    found.check(ctx.param(param, &param_at, types, &mut param_names))
                {
                    params.push(param);
                }
            }
            // Checks of the parameters together, when each could be read
            // (a missing one would make them fail for nothing).
            let path_parts = if found.is_empty() {
                found.check(check_querystring(&params, querystring_at.as_ref()));
                params.sort_by_key(|p| p.location != crate::model::Location::Path);
                found.check(path_parts(path, &params, &path_at))
            } else {
                None
            };

            let body = match &op.request_body {
                Some(body) => found
                    .check(ctx.body(body, types, &mut param_names))
                    .flatten(),
                None => None,
            };
            let responses = found.check(ctx.responses(&op.responses, types));
            if let Some(error) = found.into_error() {
                problems.push(error);
                continue;
            }
            // Without problems, every part was built.
            let (Some(path_parts), Some((success, errors))) = (path_parts, responses) else {
                continue;
            };
            let output = output(&builder_name, &success);
            let authenticated = match &op.security {
                Some(requirements) => !requirements.is_empty(),
                None => secured_by_default,
            };

            let op = Operation {
                group: Some(groups.claim(&op.tags)),
                variant: None,
                method_name: method_names.claim_noted(
                    &names::snake(&id),
                    at.as_str(),
                    &mut types.notes,
                ),
                // Chosen once every operation has its method: `name_fake_methods`.
                fake_method: String::new(),
                builder_name,
                id,
                http_method: method.to_uppercase(),
                path: path.clone(),
                path_parts,
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                params,
                body,
                success,
                errors,
                output,
                authenticated,
                extensions: op
                    .extensions
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                at: at.as_str().to_string(),
                fixed_headers: Vec::new(),
                idempotent: None,
                paging: None,
                waiter: None,
                repeat: None,
                download: None,
                flows: Vec::new(),
                items: None,
            };
            if let Some(expanded) = problems.check(super::extensions::expand_variants(
                op,
                types,
                &mut method_names,
                &mut builder_names,
            )) {
                operations.extend(expanded);
            }
        }
    }
    if let Some(error) = ids.into_error() {
        problems.push(error);
    }
    operations
}

/// The operationIds of a document: each operation's own, or one made from
/// its method and path, and the duplicates among them.
struct OperationIds {
    /// Every id the document spells out, so that a made-up name never takes one.
    written: std::collections::HashSet<String>,
    /// Ids given so far, and where.
    given: HashMap<String, Pointer>,
    /// Duplicates (reported when not renamed), and the rename that fixes each.
    duplicates: Vec<(Error, String)>,
}

impl OperationIds {
    fn of(doc: &OpenAPI, rewritten: &Rewritten) -> Self {
        let written = doc
            .paths
            .iter()
            .filter_map(|(path, item)| Some((path, item.as_item()?)))
            .flat_map(|(path, item)| {
                let at = Pointer::root().key("paths").key(path);
                crate::oas32::operations_of(item, &at, rewritten).unwrap_or_default()
            })
            .filter_map(|(_, _, op)| op.operation_id.clone())
            .collect();
        OperationIds {
            written,
            given: HashMap::new(),
            duplicates: Vec::new(),
        }
    }

    /// The id of the operation at `at`, or `None` when it is a duplicate that
    /// is not to be renamed (then recorded).
    fn claim(
        &mut self,
        written: Option<&str>,
        method: &str,
        path: &str,
        at: &Pointer,
        auto_rename: bool,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        let id = written.map_or_else(
            || format!("{method}_{}", path.replace(['{', '}'], "")),
            str::to_string,
        );
        let Some(first) = self.given.get(&id).cloned() else {
            self.given.insert(id.clone(), at.clone());
            return Some(id);
        };
        let base = crate::overrides::suggested_operation_id(method, path);
        let renamed = std::iter::once(base.clone())
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|candidate| {
                !self.written.contains(candidate) && !self.given.contains_key(candidate)
            })
            .unwrap_or(base);
        self.given.insert(renamed.clone(), at.clone());
        if auto_rename {
            notes.push(format!(
                "{at}: operationId `{id}` is also used at {first}: renamed `{renamed}`{}",
                super::AUTO_RENAMED
            ));
            return Some(renamed);
        }
        self.duplicates.push((
            at.key("operationId").error(ErrorKind::Invalid, format!(
                "duplicate operationId `{id}`: also used at {first}; every operationId must be unique"
            )),
            crate::overrides::rename_entry(at.as_str(), &renamed),
        ));
        None
    }

    /// The duplicates, with one overrides fragment that renames them all.
    fn into_error(self) -> Option<Error> {
        let mut problems = Problems::default();
        let mut entries = Vec::new();
        for (error, entry) in self.duplicates {
            problems.push(error);
            entries.push(entry);
        }
        let mut error = problems.into_error()?;
        let them = if entries.len() == 1 { "it" } else { "them all" };
        error.fix = Some(format!(
            "To fix {them} without editing the document, add to the overrides file \
             (or let the generator pick these names: `cargo xtask codegen --auto-rename-duplicates`):\n\
             overrides:\n{}",
            entries.join("\n")
        ));
        Some(error)
    }
}

/// The distinct JSON error-body types, in first-use order, each with the
/// name of its `ErrorBody` variant: the one place that names them (the
/// emitter's `lib.rs` and `operations.rs` both read it). `Empty` and `Text`
/// are variants every `ErrorBody` has; an error type of that name gets a
/// suffix and a note.
pub fn error_bodies(
    operations: &[Operation],
    types: &[crate::model::TypeDef],
    notes: &mut Vec<String>,
) -> Vec<UnionVariant> {
    let mut names = Namespace::with_reserved_as(
        &["Empty", "Text"],
        "a variant every `ErrorBody` has (`ErrorBody::{}`)",
    );
    let mut seen: Vec<TypeRef> = Vec::new();
    let mut out = Vec::new();
    for response in operations.iter().flat_map(|op| &op.errors) {
        if let Some((Encoding::Json, ty)) = &response.body {
            if !seen.contains(ty) {
                seen.push(ty.clone());
                let owner = match ty {
                    TypeRef::Named(id) => types.def(*id).origin.clone(),
                    other => types.short_name(other),
                };
                let short = names::camel(&types.short_name(ty));
                let wanted = names::type_name_toward_root(&short);
                let rust = names.claim_noted(wanted, &format!("{owner} (as an error body)"), notes);
                out.push(UnionVariant {
                    rust,
                    ty: ty.clone(),
                    boxed: false,
                });
            }
        }
    }
    out
}

/// What an error status no operation lists is decoded as (see
/// [`crate::model::Api::undeclared_error`]): the sole error body, if it is a
/// component's type. One operation's inline 404 schema says nothing of
/// another operation's 500.
pub fn undeclared_error(
    error_bodies: &[UnionVariant],
    types: &[crate::model::TypeDef],
) -> Option<TypeRef> {
    let [only] = error_bodies else {
        return None;
    };
    let shared = match &only.ty {
        TypeRef::Named(id) => types.def(*id).origin.starts_with("#/components/"),
        _ => false,
    };
    shared.then(|| only.ty.clone())
}

struct OpContext<'a> {
    components: &'a Components,
    rewritten: &'a Rewritten,
    at: &'a Pointer,
    builder: &'a str,
}

/// Path-level parameters overridden by operation-level ones with the same
/// name and location, each with the place it was written.
fn merge_parameters<'a>(
    path_level: &'a [ReferenceOr<Parameter>],
    op_level: &'a [ReferenceOr<Parameter>],
    components: &'a Components,
    rewritten: &Rewritten,
    path_at: &Pointer,
    op_at: &Pointer,
) -> Result<Vec<(&'a Parameter, Pointer)>> {
    let mut merged: IndexMap<(String, &'static str), (&'a Parameter, Pointer)> = IndexMap::new();
    for (list, base) in [(path_level, path_at), (op_level, op_at)] {
        for (i, param) in list.iter().enumerate() {
            let at = base.key("parameters").index(i);
            let (param, at) = resolve_param(param, components, &at)?;
            let location = match param {
                Parameter::Path { .. } => "path",
                Parameter::Query { .. } if is_querystring(param, &at, rewritten) => "querystring",
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            merged.insert(
                (param.parameter_data_ref().name.clone(), location),
                (param, at),
            );
        }
    }
    Ok(merged.into_values().collect())
}

fn resolve_param<'a>(
    param: &'a ReferenceOr<Parameter>,
    components: &'a Components,
    at: &Pointer,
) -> Result<(&'a Parameter, Pointer)> {
    resolve_component(param, &components.parameters, "parameters", at)
}

/// Follows `#/components/<kind>/<name>` references (chains included), to
/// the item and the place it is written.
fn resolve_component<'a, T>(
    item: &'a ReferenceOr<T>,
    map: &'a IndexMap<String, ReferenceOr<T>>,
    kind: &str,
    at: &Pointer,
) -> Result<(&'a T, Pointer)> {
    let mut current = item;
    let mut place = at.clone();
    for _ in 0..32 {
        match current {
            ReferenceOr::Item(item) => return Ok((item, place)),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{kind}/");
                let key = crate::pointer::component_of_ref(reference, kind).ok_or_else(|| {
                    at.error(
                        ErrorKind::Reference,
                        crate::refs::unresolved(reference, &prefix),
                    )
                })?;
                place = Pointer::root().key("components").key(kind).key(&key);
                current = map.get(&key).ok_or_else(|| {
                    at.error(ErrorKind::Reference, format!("$ref `{reference}` points at nothing: there is no `components/{kind}/{key}`"))
                })?;
            }
        }
    }
    Err(at.error(
        ErrorKind::Reference,
        format!("$ref chain in components/{kind} is too long or cyclic"),
    ))
}

impl OpContext<'_> {
    fn param(
        &self,
        param: &Parameter,
        at: &Pointer,
        types: &mut Schemas,
        names_in_use: &mut Namespace,
    ) -> Result<Param> {
        let data = param.parameter_data_ref();
        if is_querystring(param, at, self.rewritten) {
            return self.querystring(data, at, types, names_in_use);
        }
        let (location, style) = match param {
            Parameter::Path { .. } => (Location::Path, Style::Comma),
            Parameter::Header { .. } => (Location::Header, Style::Comma),
            Parameter::Cookie { .. } => (Location::Cookie, Style::Comma),
            Parameter::Query { style, .. } => (
                Location::Query,
                match (
                    style,
                    data.explode.unwrap_or(matches!(style, QueryStyle::Form)),
                ) {
                    (QueryStyle::Form, true) => Style::FormExploded,
                    (QueryStyle::Form, false) => Style::Comma,
                    (QueryStyle::SpaceDelimited, _) => Style::SpaceDelimited,
                    (QueryStyle::PipeDelimited, _) => Style::PipeDelimited,
                    (QueryStyle::DeepObject, _) => Style::DeepObject,
                },
            ),
        };
        let hint = self.param_hint(at, &data.name);
        let resolved = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                types.resolve(schema, &hint, &at.key("schema"))?
            }
            ParameterSchemaOrContent::Content(content) => {
                // A parameter with `content` is serialised as that media type;
                // only JSON is meaningful in a URL or header.
                let (_, media) = content.first().ok_or_else(|| {
                    at.key("content")
                        .error(ErrorKind::Invalid, "`content` must name one media type")
                })?;
                match &media.schema {
                    Some(schema) => types.resolve(schema, &hint, &at.key("content"))?,
                    None => {
                        return Err(at.key("content").error(
                            ErrorKind::Unsupported,
                            "a parameter's media type needs a schema",
                        ))
                    }
                }
            }
        };
        check_param_type(&resolved.ty, location, style, types, at)?;
        let union = matches!(&resolved.ty, TypeRef::Named(id) if types.is_param_union(*id));
        Ok(Param {
            wire: data.name.clone(),
            rust: names_in_use.claim(&names::snake(&data.name)),
            location,
            required: data.required || location == Location::Path,
            ty: resolved.ty,
            style,
            description: data.description.clone().or(resolved.description),
            deprecated: data.deprecated.unwrap_or(false),
            union,
        })
    }

    /// The name a parameter's inline schema gets: a shared parameter's is
    /// named after the parameter alone, and (see `Schemas::resolve`)
    /// declared once.
    fn param_hint(&self, at: &Pointer, name: &str) -> String {
        if at.as_str().starts_with("#/components/") {
            names::camel(name)
        } else {
            format!("{}_{}", self.builder, names::camel(name))
        }
    }

    /// An OpenAPI 3.2 `in: querystring` parameter: the whole query string,
    /// described by one `application/x-www-form-urlencoded` media type whose
    /// schema is an object of text-like properties (encoded like a form body).
    fn querystring(
        &self,
        data: &openapiv3::ParameterData,
        at: &Pointer,
        types: &mut Schemas,
        names_in_use: &mut Namespace,
    ) -> Result<Param> {
        let content = match &data.format {
            ParameterSchemaOrContent::Content(content) => content,
            ParameterSchemaOrContent::Schema(_) => {
                return Err(at.key("schema").error(
                    ErrorKind::Invalid,
                    "an `in: querystring` parameter is described by `content`, not `schema`",
                ))
            }
        };
        let (media_type, media) = match content.first() {
            Some(only) if content.len() == 1 => only,
            _ => {
                return Err(at
                    .key("content")
                    .error(ErrorKind::Invalid, "`content` must name one media type"))
            }
        };
        let here = at.key("content").key(media_type);
        if encoding_of(media_type, None) != Encoding::Form {
            return Err(here.error(
                ErrorKind::Unsupported,
                format!(
                    "`in: querystring` parameters of type `{media_type}` are not supported yet: \
                 use application/x-www-form-urlencoded"
                ),
            ));
        }
        let Some(schema) = &media.schema else {
            return Err(here.error(
                ErrorKind::Unsupported,
                "a parameter's media type needs a schema",
            ));
        };
        let hint = self.param_hint(at, &data.name);
        let here = here.key("schema");
        let resolved = types.resolve(schema, &hint, &here)?;
        check_form_type(&resolved.ty, types, &here, "`in: querystring` parameters")?;
        Ok(Param {
            wire: data.name.clone(),
            rust: names_in_use.claim(&names::snake(&data.name)),
            location: Location::QueryString,
            required: data.required,
            ty: resolved.ty,
            style: Style::FormExploded,
            description: data.description.clone().or(resolved.description),
            deprecated: data.deprecated.unwrap_or(false),
            union: false,
        })
    }

    fn body(
        &self,
        body: &ReferenceOr<RequestBody>,
        types: &mut Schemas,
        names_in_use: &mut Namespace,
    ) -> Result<Option<Body>> {
        let at = self.at.key("requestBody");
        let (body, at) =
            resolve_component(body, &self.components.request_bodies, "requestBodies", &at)?;
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let encoding = encoding_of(media_type, media.schema.as_ref());
        let here = at.key("content").key(media_type).key("schema");
        let ty = match (encoding, &media.schema) {
            (Encoding::Binary, _) => TypeRef::Bytes,
            (Encoding::Text, _) => TypeRef::String,
            (Encoding::Form, Some(schema)) => {
                let ty = types.resolve(schema, &self.body_hint(&at), &here)?.ty;
                check_form_type(&ty, types, &here, "form request bodies")?;
                ty
            }
            (Encoding::Multipart, Some(schema)) => {
                let ty = types.resolve(schema, &self.body_hint(&at), &here)?.ty;
                super::multipart::form(types, ty, media, &here)?
            }
            (Encoding::Form | Encoding::Multipart, None) => {
                return Err(at.key("content").key(media_type).error(
                    ErrorKind::Unsupported,
                    format!(
                        "request bodies of type `{media_type}` need a `schema`: an object whose \
                     properties are the fields"
                    ),
                ))
            }
            (Encoding::Json, Some(schema)) => {
                types.resolve(schema, &self.body_hint(&at), &here)?.ty
            }
            (Encoding::Json, None) => TypeRef::Json,
        };
        // Raw bytes in one of several media types: the caller says which.
        let binary: Vec<&String> = body
            .content
            .iter()
            .filter(|(m, media)| encoding_of(m, media.schema.as_ref()) == Encoding::Binary)
            .map(|(m, _)| m)
            .collect();
        let media_types = if encoding == Encoding::Binary && binary.len() > 1 {
            let choice = openapiv3::Schema {
                schema_data: openapiv3::SchemaData {
                    description: Some("A media type the request body may be sent as.".into()),
                    ..Default::default()
                },
                schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(
                    openapiv3::StringType {
                        enumeration: binary.iter().map(|m| Some(m.to_string())).collect(),
                        ..Default::default()
                    },
                )),
            };
            let hint = format!("{}_ContentType", self.builder);
            let resolved = types.resolve(&ReferenceOr::Item(choice), &hint, &at.key("content"))?;
            Some(MediaTypes {
                ty: resolved.ty,
                setter: names_in_use.claim("content_type"),
            })
        } else {
            None
        };
        Ok(Some(Body {
            media_type: media_type.clone(),
            encoding,
            ty,
            required: body.required,
            description: body.description.clone(),
            media_types,
        }))
    }

    /// The name an inline request-body schema gets.
    fn body_hint(&self, at: &Pointer) -> String {
        match crate::pointer::key_below(at.as_str(), "#/components/requestBodies/") {
            Some(key) => names::camel(&key),
            None => format!("{}_Body", self.builder),
        }
    }

    fn responses(
        &self,
        responses: &openapiv3::Responses,
        types: &mut Schemas,
    ) -> Result<(Vec<Response>, Vec<Response>)> {
        let at = self.at.key("responses");
        let mut all: Vec<(Status, &OaResponse, Pointer)> = Vec::new();
        for (code, response) in &responses.responses {
            let (status, key) = match code {
                StatusCode::Code(c) => (Status::Code(*c), c.to_string()),
                StatusCode::Range(r) => (Status::Range(*r), format!("{r}XX")),
            };
            let (response, here) = resolve_component(
                response,
                &self.components.responses,
                "responses",
                &at.key(&key),
            )?;
            all.push((status, response, here));
        }
        if let Some(default) = &responses.default {
            let (response, here) = resolve_component(
                default,
                &self.components.responses,
                "responses",
                &at.key("default"),
            )?;
            all.push((Status::Default, response, here));
        }
        let is_success = |s: &Status| matches!(s, Status::Code(200..=299) | Status::Range(2));
        let any_success = all.iter().any(|(s, ..)| is_success(s));

        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, response, here) in all {
            let is_ok = is_success(&status) || (!any_success && status == Status::Default);
            let suffix = match status {
                Status::Code(c) => c.to_string(),
                Status::Range(r) => format!("{r}XX"),
                Status::Default => "Default".into(),
            };
            let hint = if let Some(key) =
                crate::pointer::key_below(here.as_str(), "#/components/responses/")
            {
                names::camel(&key)
            } else if is_ok {
                format!("{}_{suffix}_Response", self.builder)
            } else {
                format!("{}_{suffix}_Error", self.builder)
            };
            let body = match pick_media(&response.content) {
                None => None,
                Some((media_type, media)) => {
                    let encoding = encoding_of(media_type, media.schema.as_ref());
                    let schema_at = here.key("content").key(media_type).key("schema");
                    let ty = match (encoding, &media.schema) {
                        (Encoding::Binary, _) => TypeRef::Bytes,
                        (Encoding::Text, _) => TypeRef::String,
                        (Encoding::Json | Encoding::Form | Encoding::Multipart, Some(schema)) => {
                            types.resolve(schema, &hint, &schema_at)?.ty
                        }
                        (_, None) => TypeRef::Json,
                    };
                    // A response can only be read as JSON, bytes or text.
                    let encoding = if matches!(encoding, Encoding::Form | Encoding::Multipart) {
                        Encoding::Binary
                    } else {
                        encoding
                    };
                    let ty = if encoding == Encoding::Binary {
                        TypeRef::Bytes
                    } else {
                        ty
                    };
                    Some((encoding, ty))
                }
            };
            let headers = if is_ok {
                self.response_headers(response)
            } else {
                Vec::new()
            };
            let entry = Response {
                status,
                description: response.description.clone(),
                body,
                headers,
            };
            if is_ok {
                success.push(entry);
            } else if entry.body.is_some() {
                errors.push(entry);
            }
        }
        Ok((success, errors))
    }

    fn response_headers(&self, response: &OaResponse) -> Vec<ResponseHeader> {
        let mut names_in_use = Namespace::with_reserved(&["body"]);
        response
            .headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("content-type"))
            .map(|(name, header)| ResponseHeader {
                wire: name.clone(),
                rust: names_in_use.claim(&names::snake(name)),
                description: header.as_item().and_then(|h| h.description.clone()),
            })
            .collect()
    }
}

/// A form body (`application/x-www-form-urlencoded`) is encoded with
/// `serde_urlencoded`, which writes an object of text-like fields; nested
/// objects and arrays would fail at run time, so they are refused here.
fn check_form_type(ty: &TypeRef, types: &Schemas, at: &Pointer, what: &str) -> Result<()> {
    let fields = match ty {
        TypeRef::Named(id) => match &types.types.def(*id).kind {
            crate::model::TypeKind::Struct {
                fields,
                additional: None,
            } => Some(fields),
            _ => None,
        },
        _ => None,
    };
    match fields {
        Some(fields) if fields.iter().all(|f| !f.flatten && types.is_text(&f.ty)) => Ok(()),
        _ => Err(at.error(
            ErrorKind::Unsupported,
            format!(
                "{what} of this shape ({}) are not supported yet: use an object whose \
             properties are scalars or string enums",
                types.types.short_name(ty)
            ),
        )),
    }
}

/// Whether the parameter at `at` is OpenAPI 3.2's `in: querystring`,
/// rewritten by `oas32.rs` as an `in: query` parameter.
fn is_querystring(param: &Parameter, at: &Pointer, rewritten: &Rewritten) -> bool {
    matches!(param, Parameter::Query { .. }) && rewritten.is_querystring(at)
}

/// An `in: querystring` parameter is the whole query string: it cannot share
/// it with `in: query` parameters, or with another `in: querystring`.
fn check_querystring(params: &[Param], at: Option<&Pointer>) -> Result<()> {
    let Some(at) = at else {
        return Ok(());
    };
    let count = |location| params.iter().filter(|p| p.location == location).count();
    if count(Location::QueryString) > 1 {
        return Err(at.error(ErrorKind::Invalid,
            "an operation can have only one `in: querystring` parameter (it is the whole query string)",
        ));
    }
    match params.iter().find(|p| p.location == Location::Query) {
        Some(query) => Err(at.error(
            ErrorKind::Invalid,
            format!(
            "an `in: querystring` parameter is the whole query string: it cannot be combined with \
             the `in: query` parameter `{}` of the same operation",
            query.wire
        ),
        )),
        None => Ok(()),
    }
}

/// Parameters are written as text: scalars, string enums, and lists of them.
fn check_param_type(
    ty: &TypeRef,
    location: Location,
    style: Style,
    types: &Schemas,
    at: &Pointer,
) -> Result<()> {
    let scalar = |ty: &TypeRef| types.is_text(ty);
    // `style: deepObject`: an object of scalars, `name[key]=value` each.
    if location == Location::Query
        && style == Style::DeepObject
        && matches!(ty, TypeRef::Named(id) if !types.is_text(ty) && !types.is_param_union(*id))
    {
        return check_form_type(ty, types, at, "deepObject query parameters");
    }
    let ok = match ty {
        TypeRef::Vec(inner) => scalar(inner) && style != Style::DeepObject,
        TypeRef::Named(id) if types.is_param_union(*id) => style != Style::DeepObject,
        other => scalar(other),
    };
    if ok {
        Ok(())
    } else {
        Err(at.error(ErrorKind::Unsupported, format!(
            "{location:?} parameters of this shape ({}) are not supported yet: use a scalar, a string \
             enum, an array of them, or a oneOf/anyOf of those",
            types.types.short_name(ty)
        )))
    }
}

impl Schemas<'_> {
    /// Whether a named type is a `oneOf`/`anyOf` whose every branch is
    /// written as text (a scalar, or an array of scalars): such a union can
    /// be a parameter, written as whichever branch the value holds.
    pub fn is_param_union(&self, id: TypeId) -> bool {
        let crate::model::TypeKind::Union { variants, .. } = &self.types.def(id).kind else {
            return false;
        };
        !variants.is_empty()
            && variants.iter().all(|v| match &v.ty {
                TypeRef::Vec(inner) => self.is_text(inner),
                other => self.is_text(other),
            })
    }

    /// Whether a type is written as plain text (see [`TypeSpace::is_text`]).
    pub(super) fn is_text(&self, ty: &TypeRef) -> bool {
        self.types.is_text(ty)
    }
}

fn path_parts(path: &str, params: &[Param], at: &Pointer) -> Result<Vec<PathPart>> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| at.error(ErrorKind::Invalid, "unclosed `{` in the path template"))?;
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_string()));
        }
        let name = &rest[open + 1..close];
        if !params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == name)
        {
            return Err(at.error(
                ErrorKind::Invalid,
                format!(
                "the path template names `{{{name}}}` but no path parameter `{name}` is declared"
            ),
            ));
        }
        parts.push(PathPart::Param(name.to_string()));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_string()));
    }
    for param in params.iter().filter(|p| p.location == Location::Path) {
        if !parts.contains(&PathPart::Param(param.wire.clone())) {
            return Err(at.error(
                ErrorKind::Invalid,
                format!(
                    "path parameter `{}` does not appear in the path template",
                    param.wire
                ),
            ));
        }
    }
    Ok(parts)
}

/// The media type a client should use: JSON first, then the others in a
/// fixed order, so the choice does not depend on how the document orders them.
fn pick_media(
    content: &IndexMap<String, openapiv3::MediaType>,
) -> Option<(&String, &openapiv3::MediaType)> {
    let rank = |media: &str| -> u8 {
        let m = media.to_ascii_lowercase();
        if m == "application/json" {
            0
        } else if m.ends_with("+json") || m.ends_with("/json") {
            1
        } else if m == "application/x-www-form-urlencoded" {
            2
        } else if m == "multipart/form-data" {
            3
        } else if m.starts_with("text/") {
            5
        } else {
            4
        }
    };
    content.iter().min_by_key(|(media, _)| rank(media))
}

fn encoding_of(media_type: &str, schema: Option<&ReferenceOr<openapiv3::Schema>>) -> Encoding {
    let m = media_type.to_ascii_lowercase();
    let m = m.split(';').next().unwrap_or_default().trim();
    if m == "application/json" || m.ends_with("+json") || m.ends_with("/json") {
        Encoding::Json
    } else if m == "application/x-www-form-urlencoded" {
        Encoding::Form
    } else if m == "multipart/form-data" {
        Encoding::Multipart
    } else if m.starts_with("text/") {
        Encoding::Text
    } else if m == "*/*" {
        // "anything": JSON if the schema is structured, bytes otherwise.
        match schema
            .and_then(ReferenceOr::as_item)
            .map(|s| &s.schema_kind)
        {
            Some(openapiv3::SchemaKind::Type(openapiv3::Type::String(_))) | None => {
                Encoding::Binary
            }
            _ => Encoding::Json,
        }
    } else {
        Encoding::Binary
    }
}

fn output(builder: &str, success: &[Response]) -> Output {
    let headers: Vec<ResponseHeader> = {
        let mut by_wire: BTreeMap<String, ResponseHeader> = BTreeMap::new();
        let mut order = Vec::new();
        for h in success.iter().flat_map(|r| &r.headers) {
            let key = h.wire.to_ascii_lowercase();
            if let std::collections::btree_map::Entry::Vacant(slot) = by_wire.entry(key.clone()) {
                order.push(key);
                slot.insert(h.clone());
            }
        }
        order
            .into_iter()
            .filter_map(|k| by_wire.remove(&k))
            .collect()
    };
    let mut bodies: Vec<&Option<(Encoding, TypeRef)>> = Vec::new();
    for r in success {
        if !bodies.contains(&&r.body) {
            bodies.push(&r.body);
        }
    }
    match bodies.as_slice() {
        [] | [None] if headers.is_empty() => Output::Unit,
        [] | [None] => Output::WithHeaders {
            name: format!("{builder}Response"),
            body: None,
            headers,
        },
        [Some((encoding, ty))] if headers.is_empty() => Output::Body(*encoding, ty.clone()),
        [Some(body)] => Output::WithHeaders {
            name: format!("{builder}Response"),
            body: Some(body.clone()),
            headers,
        },
        _ => Output::PerStatus {
            name: format!("{builder}Response"),
            // Distinct statuses give distinct names.
            variants: success
                .iter()
                .map(|r| (r.status, status_variant(r.status)))
                .collect(),
        },
    }
}

/// The variant of a per-status output enum for a status.
fn status_variant(status: Status) -> String {
    match status {
        Status::Code(c) => format!("Status{c}"),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Default".to_string(),
    }
}

/// Names each request builder `<Operation>Request`, once every type is
/// named, so that a builder never shares a name with a type
/// (`types::CreateIModel`, the body, beside `CreateIModelRequest`) nor
/// with an operation's output type; a taken name gets a number.
/// Names each operation's methods on the test fake: the client method's
/// name, unless the fake's runtime has it (`names::FAKE_METHODS`); run once
/// every operation, `x-variants` copies included, has its client method.
pub fn name_fake_methods(operations: &mut [Operation], notes: &mut Vec<String>) {
    let mut names = crate::names::fake_methods();
    for op in operations {
        op.fake_method = names.claim(&op.method_name);
        if op.fake_method != op.method_name {
            notes.push(format!(
                "{}: the test fake's methods for it are `Fake::{fake}` and `Log::{fake}`, because the fake has its own `{}`",
                op.at,
                op.method_name,
                fake = op.fake_method,
            ));
        }
    }
}

pub fn name_builders(operations: &mut [Operation], types: &[crate::model::TypeDef]) {
    let mut names = Namespace::default();
    for t in types {
        names.claim(&t.name);
    }
    for op in operations.iter() {
        if let Output::WithHeaders { name, .. } | Output::PerStatus { name, .. } = &op.output {
            names.claim(name);
        }
    }
    for op in operations {
        op.builder_name = names.claim(&format!("{}Request", op.builder_name));
    }
}
