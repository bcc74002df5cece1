//! The public API of a generated crate, as data: what a user of the crate can
//! name and call. Written into every generated crate as `api-surface.json`
//! so that the next generation can say what changed ([`crate::report`]) even
//! when the previous document has been overwritten.
//!
//! Deterministic: items in model order, types spelled as Rust paths without
//! crate prefixes, pretty-printed JSON with a trailing newline.

use serde::{Deserialize, Serialize};

use super::spelling;
use crate::model::{Api, Output, TypeDef, TypeKind, TypeRef};

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
    /// The module of its builder and output types (`operations::imodels`),
    /// and the cargo feature that compiles it, when the API has groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
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
        /// `#[non_exhaustive]` (only answers hold it): callers build it with
        /// `new`, never with a struct literal.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        non_exhaustive: bool,
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
        let types = &api.types;
        let operations = api
            .operations
            .iter()
            .map(|op| {
                let member = |name: &str, ty: &TypeRef| Member {
                    name: name.to_string(),
                    ty: spelling::elsewhere(types, ty),
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
                let group = op.group.and_then(|g| api.groups.get(g));
                OperationSurface {
                    module: group.map(|g| format!("operations::{}", g.module)),
                    feature: group
                        .filter(|_| api.groups.len() > 1)
                        .map(|g| g.feature.clone()),
                    extras: extras(types, op),
                    name: op.method_name.clone(),
                    endpoint: format!("{} {}", op.http_method, op.path),
                    args,
                    setters,
                    output: spelling::output(types, op),
                }
            })
            .collect();
        let type_surfaces = api
            .types
            .iter()
            .map(|def| TypeSurface {
                name: def.name.clone(),
                shape: match &def.kind {
                    TypeKind::Struct { fields, additional } => Shape::Struct {
                        fields: fields
                            .iter()
                            .map(|f| Member {
                                name: f.rust.clone(),
                                ty: spelling::field(types, f),
                            })
                            .collect(),
                        additional: additional.as_ref().map(|t| spelling::in_types(types, t)),
                        non_exhaustive: def.response_only,
                    },
                    TypeKind::Multipart { parts } => Shape::Struct {
                        fields: parts
                            .iter()
                            .map(|p| Member {
                                name: p.field.rust.clone(),
                                ty: spelling::part(types, p),
                            })
                            .collect(),
                        additional: None,
                        non_exhaustive: false,
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
                                ty: spelling::variant(types, v),
                            })
                            .collect(),
                    },
                    TypeKind::Alias(target) => Shape::Alias {
                        target: spelling::in_types(types, target),
                    },
                },
            })
            .collect();
        Surface {
            base_url: api.base_url.clone(),
            operations,
            types: type_surfaces,
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

/// The methods beside `send()` that extensions add, each with what it
/// yields.
fn extras(types: &[TypeDef], op: &crate::model::Operation) -> Vec<Member> {
    let mut out = Vec::new();
    if let Some(paging) = &op.paging {
        out.push(Member {
            name: "into_stream".into(),
            ty: format!("Stream<{}>", spelling::elsewhere(types, &paging.item)),
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
            ty: format!("Stream<{}>", spelling::elsewhere(types, &items.item)),
        });
    }
    if let Some(waiter) = &op.waiter {
        out.push(Member {
            name: format!("Client::{}", waiter.method),
            ty: "waiter".into(),
        });
    }
    if let Some(repeat) = &op.repeat {
        out.push(Member {
            name: format!("Client::{}", repeat.method),
            ty: "repeat".into(),
        });
    }
    for flow in &op.flows {
        out.push(Member {
            name: format!("Client::{}", flow.method),
            ty: if flow.upload.is_some() {
                "upload flow"
            } else {
                "flow"
            }
            .into(),
        });
    }
    out
}
