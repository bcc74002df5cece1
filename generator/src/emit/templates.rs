//! The crate's non-Rust files, from tera templates.

use serde::Serialize;

use super::{crate_example, CrateFile, Features, Options};
use crate::error::{Error, Result};
use crate::model::Api;

/// Template files a templates directory must provide, and the crate file
/// each one renders.
pub const TEMPLATE_NAMES: &[(&str, &str)] = &[
    ("Cargo.toml.tera", "Cargo.toml"),
    ("README.md.tera", "README.md"),
];

const BUILT_IN: &[(&str, &str)] = &[
    (
        "Cargo.toml.tera",
        include_str!("../../../templates/Cargo.toml.tera"),
    ),
    (
        "README.md.tera",
        include_str!("../../../templates/README.md.tera"),
    ),
];

#[derive(Serialize)]
struct OperationSummary<'a> {
    method_name: &'a str,
    http_method: &'a str,
    path: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct Context<'a> {
    crate_name: &'a str,
    crate_ident: String,
    crate_version: &'a str,
    title: &'a str,
    api_version: &'a str,
    description: &'a str,
    base_url: Option<&'a str>,
    default_headers: &'a [(String, String)],
    features: Features,
    operations: Vec<OperationSummary<'a>>,
    example: String,
    type_count: usize,
}

pub fn render(api: &Api, options: &Options, features: &Features) -> Result<Vec<CrateFile>> {
    let mut tera = tera::Tera::default();
    // The output is Markdown and TOML, not HTML.
    tera.autoescape_on(vec![]);
    for (name, built_in) in BUILT_IN {
        let text = match &options.templates {
            Some(dir) => {
                let path = dir.join(name);
                std::fs::read_to_string(&path).map_err(|e| {
                    Error::general(format!("cannot read template {}: {e}", path.display()))
                })?
            }
            None => built_in.to_string(),
        };
        tera.add_raw_template(name, &text)
            .map_err(|e| Error::general(format!("template {name}: {}", chain(&e))))?;
    }
    let context = Context {
        crate_name: &options.crate_name,
        crate_ident: options.crate_name.replace('-', "_"),
        crate_version: &options.crate_version,
        title: &api.title,
        api_version: &api.version,
        description: api.description.as_deref().unwrap_or_default().trim(),
        base_url: api.base_url.as_deref(),
        default_headers: &api.default_headers,
        features: *features,
        operations: api
            .operations
            .iter()
            .map(|op| OperationSummary {
                method_name: &op.method_name,
                http_method: &op.http_method,
                path: &op.path,
                summary: op.summary.as_deref().unwrap_or(&op.id),
            })
            .collect(),
        example: crate_example(api, options),
        type_count: api.types.len(),
    };
    let context = tera::Context::from_serialize(&context)
        .map_err(|e| Error::general(format!("template context: {}", chain(&e))))?;
    TEMPLATE_NAMES
        .iter()
        .map(|(template, output)| {
            let contents = tera
                .render(template, &context)
                .map_err(|e| Error::general(format!("template {template}: {}", chain(&e))))?;
            Ok(CrateFile {
                path: output.into(),
                contents,
            })
        })
        .collect()
}

/// Tera's errors put the useful part in their sources.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}
