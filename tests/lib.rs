//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

pub mod mock;

/// A fixture document of `tests/fixtures/`: `codegen` snapshots its model
/// and code, `compile_fixtures` compiles its crate and runs its tests.
pub struct Fixture {
    /// The file's name without `.yaml`.
    pub stem: &'static str,
    /// The name of the crate generated from it.
    pub crate_name: &'static str,
    /// Generated with `auto_rename_duplicates` (its operationIds repeat).
    pub renamed: bool,
}

impl Fixture {
    const fn new(stem: &'static str, crate_name: &'static str) -> Fixture {
        Fixture {
            stem,
            crate_name,
            renamed: false,
        }
    }

    /// The document's path from the workspace root.
    pub fn path(&self) -> String {
        format!("tests/fixtures/{}.yaml", self.stem)
    }
}

/// Every fixture document, the one list both test modules read
/// (`every_fixture_file_is_listed` holds it to the folder).
pub const FIXTURES: &[Fixture] = &[
    Fixture::new("petstore-3.0", "petstore-client"),
    Fixture::new("catalog-3.1", "catalog-client"),
    Fixture::new("changes-3.2", "changes-client"),
    Fixture::new("params-forms-3.0", "params-forms-client"),
    Fixture::new("discriminator-3.0", "discriminator-client"),
    Fixture::new("names-3.0", "names-client"),
    Fixture::new("enums-defaults-3.0", "enums-defaults-client"),
    Fixture::new("uploads-3.0", "uploads-client"),
    Fixture::new("runtime-names-3.0", "runtime-names-client"),
    Fixture::new("error-names-3.0", "error-names-client"),
    Fixture::new("refused-3.1", "refused-client"),
    Fixture::new("spellings-3.0", "spellings-client"),
    Fixture {
        stem: "duplicate-ids-3.0",
        crate_name: "duplicate-ids-client",
        renamed: true,
    },
];

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Reads a file below the workspace root.
pub fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Reads a file of the shared folder beside the repository (`../shared/`,
/// as on CI). A missing file is an error where it must be there (`CI` set):
/// a test that compares against it would otherwise pass without looking.
/// Elsewhere (a checkout without the shared folder) it says so on stderr and
/// gives `None`, so the caller skips only that comparison.
pub fn shared_file(relative: &str) -> Option<Vec<u8>> {
    let path = root().join("..").join("shared").join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if std::env::var_os("CI").is_some() => panic!(
            "{} is missing ({e}); CI lays the shared folder beside the repository",
            path.display()
        ),
        Err(e) => {
            eprintln!(
                "NOT CHECKED: {} is missing ({e}); CI fails here",
                path.display()
            );
            None
        }
    }
}

/// What `cargo xtask codegen` generates the iModels client from.
pub const IMODELS_CONFIG: &str = "spec/codegen.yaml";

/// The iModels document as `cargo xtask codegen` reads it: the vendor's file
/// with the overlays `spec/codegen.yaml` lists applied.
pub fn imodels_document() -> serde_json::Value {
    let config = root().join(IMODELS_CONFIG);
    generator::Sources::from_config(&config)
        .and_then(|sources| sources.load())
        .unwrap_or_else(|e| panic!("{}: {e}", config.display()))
        .merged
        .document
}

/// [`imodels_document`] as JSON text.
pub fn imodels_text() -> String {
    serde_json::to_string_pretty(&imodels_document()).expect("a JSON value prints")
}

/// [`imodels_document`] in a temporary JSON file, for tools that read a
/// file (the Prism contract mock); deleted when dropped.
pub fn imodels_document_file() -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new()
        .prefix("imodels-")
        .suffix(".json")
        .tempfile()
        .expect("a temporary file");
    std::io::Write::write_all(&mut file, imodels_text().as_bytes()).expect("write the document");
    file
}

/// Values the iModels suites share: the document's own example IDs (the
/// contract suite needs them, since Prism answers with the examples), the
/// default `Accept`, and request bodies.
pub mod imodels {
    use imodels_client::types;
    use uuid::Uuid;

    /// The `Accept` value every request carries (`x-default-request-headers`).
    pub const ACCEPT: &str = "application/vnd.bentley.itwin-platform.v2+json";
    pub const ITWIN_ID: &str = "ad0ba809-9241-48ad-9eb0-c8038c1a1d51";
    pub const IMODEL_ID: &str = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";
    pub const TEMPLATE_IMODEL_ID: &str = "b44460c9-b61d-422c-9422-d36497c3dd04";
    pub const CHANGESET_ID: &str = "1f2e04b666edce395e37a795e2231e995cbf8349";
    pub const PARENT_CHANGESET_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    pub const NAMED_VERSION_ID: &str = "3c0e9a8e-7f6b-4f1c-9a0e-4d5b6c7d8e9f";
    pub const USER_ID: &str = "42101fba-847a-4f4e-85a8-a4bed89065e4";
    pub const GROUP_ID: &str = "7c1b9f52-3e4d-4a8b-9c6e-2f0d1a3b5c7e";
    /// The start of a PNG file (its signature and the IHDR chunk's length and type).
    pub const PNG_BYTES: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    /// The start of a JPEG file (SOI and an APP0 marker).
    pub const JPEG_BYTES: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00";

    pub fn uuid(text: &str) -> Uuid {
        Uuid::parse_str(text).expect("a valid UUID literal")
    }

    /// A changeset with every field the document lists.
    pub fn create_changeset_body() -> types::CreateChangeset {
        types::CreateChangeset {
            id: CHANGESET_ID.into(),
            description: Some("Added the solar farm".into()),
            parent_id: Some(PARENT_CHANGESET_ID.into()),
            briefcase_id: 2,
            containing_changes: Some(4),
            file_size: 4567,
            synchronization_info: Some(types::SynchronizationInfo {
                task_id: "f2b9c1a0-task".into(),
                changed_files: Some(vec!["SolarFarm.dgn".into(), "WindFarm.dgn".into()]),
            }),
            group_id: None,
        }
    }
}

use generator::model::{Api, Output, Status, TypeDef, TypeKind, TypeRef, TypeSpace};

/// How the model summary writes where a flow takes a value from.
fn flow_arg(types: &[TypeDef], arg: &generator::model::FlowArg) -> String {
    match arg {
        generator::model::FlowArg::Response(a) => a.pointer.clone(),
        generator::model::FlowArg::Param(p) => format!("${p}"),
        generator::model::FlowArg::Header { wire, ty: t, .. } => {
            format!("@{wire}:{}", debug(types, t))
        }
    }
}

/// A compact, readable rendering of a model: one line per operation and per
/// type. Snapshots of this are short enough to read in full, unlike a
/// field-by-field dump, and still change whenever the model does.
pub fn summary(api: &Api) -> String {
    let types = &api.types;
    let mut out = String::new();
    let base = api.base_url.as_deref().unwrap_or("-");
    out.push_str(&format!(
        "api {:?} {:?} base={base}\n",
        api.title, api.version
    ));
    for (name, value) in &api.default_headers {
        out.push_str(&format!("header {name}: {value}\n"));
    }
    out.push_str(&format!("auth {:?}\n", api.auth));
    for note in &api.notes {
        out.push_str(&format!("note {note}\n"));
    }
    out.push_str(&format!(
        "error bodies: {}\n\n",
        api.error_bodies
            .iter()
            .map(|v| format!("{}({})", v.rust, ty(types, &v.ty)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    if let Some(undeclared) = &api.undeclared_error {
        // Inserted before the blank line that ends the header.
        out.truncate(out.len() - 1);
        out.push_str(&format!("undeclared error: {}\n\n", ty(types, undeclared)));
    }
    for op in &api.operations {
        let params: Vec<String> = op
            .params
            .iter()
            .map(|p| {
                let opt = if p.required { "" } else { "?" };
                let rename = if p.rust == p.wire {
                    String::new()
                } else {
                    format!("={}", p.wire)
                };
                format!(
                    "{:?}:{}{rename}{opt}: {} {:?}",
                    p.location,
                    p.rust,
                    ty(types, &p.ty),
                    p.style
                )
            })
            .collect();
        let body = op
            .body
            .as_ref()
            .map(|b| {
                format!(
                    " body{}: {} ({})",
                    if b.required { "" } else { "?" },
                    ty(types, &b.ty),
                    b.media_type
                )
            })
            .unwrap_or_default();
        let output = match &op.output {
            Output::Unit => "()".to_string(),
            Output::Body(e, t) => format!("{} [{e:?}]", ty(types, t)),
            Output::WithHeaders {
                name,
                body,
                headers,
            } => format!(
                "{name} {{ {}{} }}",
                body.as_ref()
                    .map(|(_, t)| format!("body: {}, ", ty(types, t)))
                    .unwrap_or_default(),
                headers
                    .iter()
                    .map(|h| format!("{}={}", h.rust, h.wire))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Output::PerStatus { name, .. } => format!(
                "{name} {{ {} }}",
                op.success
                    .iter()
                    .map(|r| format!(
                        "{}: {}",
                        status(r.status),
                        r.body
                            .as_ref()
                            .map(|(_, t)| ty(types, t))
                            .unwrap_or("()".into())
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let errors: Vec<String> = op
            .errors
            .iter()
            .map(|r| {
                format!(
                    "{}={}",
                    status(r.status),
                    r.body
                        .as_ref()
                        .map(|(_, t)| ty(types, t))
                        .unwrap_or_default()
                )
            })
            .collect();
        let auth = if op.authenticated { "" } else { " [no auth]" };
        out.push_str(&format!(
            "op {} {} {} -> {}({}){body} -> {output}; errors: [{}]{auth}\n",
            op.id,
            op.http_method,
            op.path,
            op.method_name,
            params.join(", "),
            errors.join(", ")
        ));
        out.push_str(&extensions(types, op));
    }
    out.push('\n');
    for def in &api.types {
        let shape = match &def.kind {
            TypeKind::Struct { fields, additional } => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| {
                        let mut t = ty(types, &f.ty);
                        if f.boxed {
                            t = format!("Box<{t}>");
                        }
                        if f.flatten {
                            return format!("..{t}");
                        }
                        let opt = match (f.required, f.nullable) {
                            (true, false) => "",
                            (true, true) => "?null",
                            (false, false) => "?",
                            (false, true) => "??",
                        };
                        let rename = if f.rust == f.wire {
                            String::new()
                        } else {
                            format!("={}", f.wire)
                        };
                        format!("{}{rename}{opt}: {t}", f.rust)
                    })
                    .collect();
                let extra = additional
                    .as_ref()
                    .map(|t| format!(", ..map<{}>", ty(types, t)))
                    .unwrap_or_default();
                format!("struct {{ {}{extra} }}", fields.join(", "))
            }
            TypeKind::StringEnum { variants } => format!(
                "enum {{ {} }}",
                variants
                    .iter()
                    .map(|v| format!("{}={:?}", v.rust, v.wire))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::IntegerEnum { variants } => format!(
                "int enum {{ {} }}",
                variants
                    .iter()
                    .map(|v| format!("{}={}", v.rust, v.value))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::Union {
                variants,
                discriminator,
            } => format!(
                "union{} {{ {} }}",
                discriminator
                    .as_ref()
                    .map(|d| format!(
                        " by {}[{}]",
                        d.property,
                        d.values
                            .iter()
                            .map(|(wire, rust)| format!("{wire:?}={rust}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .unwrap_or_default(),
                variants
                    .iter()
                    .map(|v| format!(
                        "{}({}{})",
                        v.rust,
                        ty(types, &v.ty),
                        if v.boxed { ", boxed" } else { "" }
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TypeKind::Alias(t) => format!("= {}", ty(types, t)),
            TypeKind::Multipart { parts } => format!(
                "multipart {{ {} }}",
                parts
                    .iter()
                    .map(|p| {
                        let opt = if p.field.required { "" } else { "?" };
                        let many = if p.repeated { "*" } else { "" };
                        let content_type = p
                            .content_type
                            .as_ref()
                            .map(|t| format!(" as {t}"))
                            .unwrap_or_default();
                        format!(
                            "{}{opt}: {:?}{many} {}{content_type}",
                            p.field.rust,
                            p.kind,
                            ty(types, &p.field.ty)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push_str(&format!("type {} {shape}  @{}\n", def.name, def.origin));
    }
    out
}

fn status(s: Status) -> String {
    match s {
        Status::Code(c) => c.to_string(),
        Status::Range(r) => format!("{r}XX"),
        Status::Default => "default".into(),
    }
}

fn ty(types: &[TypeDef], t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => types.name(*id).to_string(),
        TypeRef::Vec(inner) => format!("Vec<{}>", ty(types, inner)),
        TypeRef::Map(inner) => format!("Map<{}>", ty(types, inner)),
        other => format!("{other:?}"),
    }
}

/// The indented lines that describe what an operation's vendor extensions
/// add: fixed headers, idempotency, paging, waiters and upload flows (and
/// what OpenAPI 3.2 adds: item-by-item sequential bodies).
fn extensions(types: &[TypeDef], op: &generator::model::Operation) -> String {
    let mut out = String::new();
    for (name, value) in &op.fixed_headers {
        out.push_str(&format!("  sends {name}: {value}\n"));
    }
    if let Some(idempotent) = op.idempotent {
        out.push_str(&format!("  idempotent: {idempotent}\n"));
    }
    if let Some(p) = &op.paging {
        out.push_str(&format!(
            "  paging items={} ({}) next={} page-size={} max={} offset={}{}\n",
            p.items.pointer,
            ty(types, &p.item),
            p.next.as_ref().map_or("-", |n| n.pointer.as_str()),
            p.page_size.as_ref().map_or("-", |(wire, _)| wire.as_str()),
            p.max_page_size.map_or("-".into(), |m| m.to_string()),
            p.offset.as_deref().unwrap_or("-"),
            p.token
                .as_deref()
                .map_or(String::new(), |t| format!(" token={t}")),
        ));
    }
    if let Some(items) = &op.items {
        out.push_str(&format!(
            "  items {} ({:?}) of {}\n",
            items.media_type,
            items.framing,
            ty(types, &items.item)
        ));
    }
    if let Some(w) = &op.waiter {
        out.push_str(&format!(
            "  waiter {} state={} pending={:?} done={:?}\n",
            w.method, w.state.pointer, w.pending, w.done
        ));
    }
    if let Some(d) = &op.download {
        let name = d.file_name.as_ref().map_or(String::new(), |parts| {
            let parts: Vec<String> = parts
                .iter()
                .map(|p| match p {
                    generator::model::FileNamePart::Text(t) => t.clone(),
                    generator::model::FileNamePart::Field(f) => format!("{{{}}}", f.pointer),
                })
                .collect();
            format!(" file-name={}", parts.concat())
        });
        out.push_str(&format!(
            "  download {} url={} size={}{name}\n",
            d.method,
            d.url.pointer,
            d.size.as_ref().map_or("-", |s| s.pointer.as_str())
        ));
    }
    if let Some(r) = &op.repeat {
        out.push_str(&format!(
            "  repeat {} until={} max={}\n",
            r.method, r.until.pointer, r.max
        ));
    }
    for f in &op.flows {
        let steps: Vec<String> = f
            .then
            .iter()
            .map(|s| {
                let args: Vec<String> = s.args.iter().map(|a| flow_arg(types, a)).collect();
                let body = s.body.as_ref().map_or(String::new(), |b| {
                    let fill: Vec<String> = b
                        .fill
                        .iter()
                        .map(|f| format!("{}<-{:?}", f.target, f.from))
                        .collect();
                    format!(" body={} {}", b.template, fill.join(" "))
                });
                format!("{}({}){body}", s.method, args.join(", "))
            })
            .collect();
        let upload = f.upload.as_ref().map_or(String::new(), |u| {
            format!(
                " size={} upload={} headers={:?}",
                u.size_pointer, u.url.pointer, u.headers
            )
        });
        out.push_str(&format!(
            "  flow {}{upload} id={} then {}\n",
            f.method,
            f.created_id
                .as_ref()
                .map_or("-".to_string(), |a| flow_arg(types, a)),
            steps.join(" -> ")
        ));
    }
    out
}

/// A type as `Debug` wrote it when a named type held its name
/// (`Named("Id")`), so that snapshots read the same.
fn debug(types: &[TypeDef], t: &TypeRef) -> String {
    match t {
        TypeRef::Named(id) => format!("Named({:?})", types.name(*id)),
        TypeRef::Vec(inner) => format!("Vec({})", debug(types, inner)),
        TypeRef::Map(inner) => format!("Map({})", debug(types, inner)),
        other => format!("{other:?}"),
    }
}
