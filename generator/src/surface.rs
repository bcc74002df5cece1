//! The public API of a generated crate, as data: what a user of the crate can
//! name and call. Written into every generated crate as `api-surface.json`
//! so that the next generation can say what changed ([`crate::report`]) even
//! when the previous document has been overwritten.
//!
//! Deterministic: items in model order, types spelled as Rust paths without
//! crate prefixes, pretty-printed JSON with a trailing newline.

use serde::{Deserialize, Serialize};

use crate::model::{Api, Output, PartKind, TypeKind, TypeRef};

/// Everything a caller of the crate depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Surface {
    /// The default base URL (`Client::builder()` without `.base_url`).
    pub base_url: Option<String>,
    pub operations: Vec<OperationSurface>,
    pub types: Vec<TypeSurface>,
}

/// One client method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationSurface {
    /// Rust method name on `Client`.
    pub name: String,
    /// `GET /path/{id}`: not part of the Rust API, but what it calls.
    pub endpoint: String,
    /// Arguments of the method (required parameters, then a required body).
    pub args: Vec<Member>,
    /// Setters of the request builder (optional parameters, optional body).
    pub setters: Vec<Member>,
    /// The `Ok` type of `send()`.
    pub output: String,
    /// Other public methods the operation gives (vendor extensions: paged
    /// streams, `send_to`, waiters and upload flows on the client).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<Member>,
}

/// A named thing with a Rust type: argument, setter, field, union variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
}

/// One public type of `types`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeSurface {
    pub name: String,
    #[serde(flatten)]
    pub shape: Shape,
}

/// What kind of type, with the parts a caller can name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Shape {
    /// Fields with their types (`Option<…>` when optional or nullable), and
    /// the type of the catch-all map of other properties.
    Struct {
        fields: Vec<Member>,
        additional: Option<String>,
    },
    /// A string enum; `open` when unknown values land in an `Other` variant.
    Enum { variants: Vec<String>, open: bool },
    /// A `oneOf`/`anyOf`: variant names and types.
    Union { variants: Vec<Member> },
    /// `pub type Name = target;`
    Alias { target: String },
}

/// The file name in the generated crate.
pub const FILE: &str = "api-surface.json";

impl Surface {
    /// The surface of the crate emitted for `api`.
    pub fn of(api: &Api) -> Self {
        let operations = api
            .operations
            .iter()
            .map(|op| {
                let member = |name: &str, ty: &TypeRef| Member {
                    name: name.to_string(),
                    ty: rust(ty),
                };
                let mut args: Vec<Member> = op
                    .params
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| member(&p.rust, &p.ty))
                    .collect();
                let mut setters: Vec<Member> = op
                    .params
                    .iter()
                    .filter(|p| !p.required)
                    .map(|p| member(&p.rust, &p.ty))
                    .collect();
                if let Some(body) = &op.body {
                    let into = if body.required {
                        &mut args
                    } else {
                        &mut setters
                    };
                    into.push(member("body", &body.ty));
                    if let Some(choice) = &body.media_types {
                        setters.push(member(&choice.setter, &choice.ty));
                    }
                }
                OperationSurface {
                    extras: extras(op),
                    name: op.method_name.clone(),
                    endpoint: format!("{} {}", op.http_method, op.path),
                    args,
                    setters,
                    output: match &op.output {
                        Output::Unit => "()".to_string(),
                        Output::Body(_, ty) => rust(ty),
                        Output::WithHeaders { name, .. } | Output::PerStatus { name } => {
                            name.clone()
                        }
                    },
                }
            })
            .collect();
        let types = api
            .types
            .iter()
            .map(|def| TypeSurface {
                name: def.name.clone(),
                shape: match &def.kind {
                    TypeKind::Struct { fields, additional } => Shape::Struct {
                        fields: fields.iter().map(|f| field(f, rust(&f.ty))).collect(),
                        additional: additional.as_ref().map(rust),
                    },
                    TypeKind::Multipart { parts } => Shape::Struct {
                        fields: parts
                            .iter()
                            .map(|p| {
                                let ty = match (p.kind, p.repeated) {
                                    (PartKind::File, false) => "FilePart".to_string(),
                                    (PartKind::File, true) => "Vec<FilePart>".to_string(),
                                    _ => rust(&p.field.ty),
                                };
                                field(&p.field, ty)
                            })
                            .collect(),
                        additional: None,
                    },
                    TypeKind::StringEnum { variants } => Shape::Enum {
                        variants: variants.iter().map(|v| v.rust.clone()).collect(),
                        // The emitter gives every string enum `Other(String)`.
                        open: true,
                    },
                    TypeKind::IntegerEnum { variants } => Shape::Enum {
                        variants: variants.iter().map(|v| v.rust.clone()).collect(),
                        // And every integer enum `Other(i64)`.
                        open: true,
                    },
                    TypeKind::Union { variants, .. } => Shape::Union {
                        variants: variants
                            .iter()
                            .map(|v| Member {
                                name: v.rust.clone(),
                                ty: rust(&v.ty),
                            })
                            .collect(),
                    },
                    TypeKind::Alias(target) => Shape::Alias {
                        target: rust(target),
                    },
                },
            })
            .collect();
        Surface {
            base_url: api.base_url.clone(),
            operations,
            types,
        }
    }

    /// The `api-surface.json` text.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads an `api-surface.json`.
    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A struct field with its Rust type (`Option<…>` when it may be absent).
fn field(f: &crate::model::Field, ty: String) -> Member {
    Member {
        name: f.rust.clone(),
        ty: if f.required && !f.nullable {
            ty
        } else {
            format!("Option<{ty}>")
        },
    }
}

/// The methods beside `send()` that extensions add, each with what it
/// yields.
fn extras(op: &crate::model::Operation) -> Vec<Member> {
    let mut out = Vec::new();
    if let Some(paging) = &op.paging {
        out.push(Member {
            name: "into_stream".into(),
            ty: format!("Stream<{}>", rust(&paging.item)),
        });
        out.push(Member {
            name: "pages".into(),
            ty: "Stream<page>".into(),
        });
    }
    if matches!(op.output, Output::Body(crate::model::Encoding::Binary, _)) {
        out.push(Member {
            name: "send_to".into(),
            ty: "u64".into(),
        });
    }
    if let Some(items) = &op.items {
        out.push(Member {
            name: "send_items".into(),
            ty: format!("Stream<{}>", rust(&items.item)),
        });
    }
    if let Some(waiter) = &op.waiter {
        out.push(Member {
            name: format!("Client::{}", waiter.method),
            ty: "waiter".into(),
        });
    }
    if let Some(flow) = &op.upload_flow {
        out.push(Member {
            name: format!("Client::{}", flow.method),
            ty: "upload flow".into(),
        });
    }
    out
}

/// A type as a caller writes it (without the crate's module paths).
pub fn rust(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime<Utc>".into(),
        TypeRef::Date => "NaiveDate".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", rust(inner)),
    }
}
