//! The crate's non-Rust files, from tera templates.

use serde::Serialize;

use super::{crate_example, CrateFile, Features, Options};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Api, TypeSpace};
use crate::options::TEMPLATE_NAMES;

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

/// The operations of one group (a tag), for the README's list and the
/// features of `Cargo.toml`.
#[derive(Serialize)]
struct GroupSummary<'a> {
    tag: &'a str,
    module: &'a str,
    feature: &'a str,
    description: Option<String>,
    operations: Vec<OperationSummary<'a>>,
}

#[derive(Serialize)]
struct Paged<'a> {
    method_name: &'a str,
    item: String,
}

impl<'a> OperationSummary<'a> {
    fn of(op: &'a crate::model::Operation) -> Self {
        OperationSummary {
            method_name: &op.method_name,
            http_method: &op.http_method,
            path: &op.path,
            summary: op.summary.as_deref().unwrap_or(&op.id),
        }
    }
}

#[derive(Serialize)]
struct Named<'a> {
    method_name: &'a str,
    operation: &'a str,
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
    /// Where the credential goes, in words (`the \`X-Api-Key\` header`).
    credential: String,
    /// The document has a `mutualTLS` security scheme.
    mutual_tls: bool,
    operations: Vec<OperationSummary<'a>>,
    /// The operations by group; empty when the document has no tags.
    groups: Vec<GroupSummary<'a>>,
    /// Each group has a cargo feature (there are several).
    group_features: bool,
    example: String,
    /// An operation's client method, for the README's fake example.
    fake_example: &'a str,
    type_count: usize,
    /// Listings with `pages()`/`into_stream()` (`x-paging`).
    paged: Vec<Paged<'a>>,
    /// `wait_for_…` methods (`x-waiter`).
    waiters: Vec<Named<'a>>,
    /// The header that carries the API version (`x-api-version`).
    version_header: Option<&'a str>,
    /// Flows (`x-upload-flow`, `x-flow`).
    flows: Vec<Named<'a>>,
    /// Downloads of a resource's file (`x-download`), on the client.
    file_downloads: Vec<Named<'a>>,
    /// Downloads of every listed item's file (`x-download` with
    /// `file-name`), on a listing's builder.
    set_downloads: Vec<Named<'a>>,
    /// Any operation streams its body with `send_to` (binary responses).
    has_downloads: bool,
    /// The example programs, by file stem.
    examples: Vec<String>,
    /// The OAuth2 flows the crate's `oauth2` feature gets tokens with.
    oauth2_flows: &'a [crate::model::OAuth2Flow],
}

fn credential_placement(api: &Api) -> String {
    use crate::model::AuthScheme;
    match super::preferred_auth(api) {
        None | Some(AuthScheme::Bearer { .. } | AuthScheme::MutualTls { .. }) => {
            "`Authorization: Bearer <token>`".into()
        }
        Some(AuthScheme::Basic { .. }) => "`Authorization: Basic <credential>`".into(),
        Some(AuthScheme::ApiKeyHeader { name, .. }) => format!("the `{name}` header"),
        Some(AuthScheme::ApiKeyQuery { name, .. }) => format!("the `{name}` query parameter"),
        Some(AuthScheme::ApiKeyCookie { name, .. }) => format!("the `{name}` cookie"),
    }
}

pub fn render(api: &Api, options: &Options, features: &Features) -> Result<Vec<CrateFile>> {
    let examples = examples(options);
    let mut tera = tera::Tera::default();
    // The output is Markdown and TOML, not HTML.
    tera.autoescape_on(vec![]);
    for (name, built_in) in BUILT_IN {
        let text = match &options.templates {
            Some(templates) => templates.get(name).ok_or_else(|| {
                Error::general(ErrorKind::Config, format!("the templates have no {name}"))
            })?,
            None => built_in,
        };
        tera.add_raw_template(name, text).map_err(|e| {
            Error::general(ErrorKind::Config, format!("template {name}: {}", chain(&e)))
        })?;
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
        oauth2_flows: &api.oauth2_flows,
        credential: credential_placement(api),
        mutual_tls: api
            .auth
            .iter()
            .any(|a| matches!(a, crate::model::AuthScheme::MutualTls { .. })),
        operations: api.operations.iter().map(OperationSummary::of).collect(),
        groups: api
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| GroupSummary {
                tag: &g.tag,
                module: &g.module,
                feature: &g.feature,
                description: g.description.as_deref().map(super::operations::one_line),
                operations: api
                    .operations
                    .iter()
                    .filter(|op| op.group == Some(i))
                    .map(OperationSummary::of)
                    .collect(),
            })
            .collect(),
        group_features: api.groups.len() > 1,
        example: crate_example(api, options),
        fake_example: api
            .operations
            .first()
            .map_or("operation", |op| op.method_name.as_str()),
        type_count: api.types.len(),
        paged: api
            .operations
            .iter()
            .filter_map(|op| {
                op.paging.as_ref().map(|p| Paged {
                    method_name: &op.method_name,
                    item: api.types.short_name(&p.item),
                })
            })
            .collect(),
        waiters: api
            .operations
            .iter()
            .filter_map(|op| {
                op.waiter.as_ref().map(|w| Named {
                    method_name: &w.method,
                    operation: &op.id,
                })
            })
            .collect(),
        flows: api
            .operations
            .iter()
            .flat_map(|op| {
                op.flows.iter().map(|f| Named {
                    method_name: &f.method,
                    operation: &op.id,
                })
            })
            .collect(),
        version_header: api.api_version.as_ref().map(|(header, _)| header.as_str()),
        file_downloads: api
            .operations
            .iter()
            .filter_map(|op| {
                let d = op.download.as_ref().filter(|d| d.file_name.is_none())?;
                Some(Named {
                    method_name: &d.method,
                    operation: &op.id,
                })
            })
            .collect(),
        set_downloads: api
            .operations
            .iter()
            .filter_map(|op| {
                let d = op.download.as_ref().filter(|d| d.file_name.is_some())?;
                // The listing's method, and (in `operation`) the builder's.
                Some(Named {
                    method_name: &op.method_name,
                    operation: &d.method,
                })
            })
            .collect(),
        has_downloads: api.operations.iter().any(|op| {
            matches!(
                op.output,
                crate::model::Output::Body(crate::model::Encoding::Binary, _)
            )
        }),
        examples: examples
            .iter()
            .filter_map(|f| {
                f.path
                    .file_stem()
                    .map(|stem| stem.to_string_lossy().into_owned())
            })
            .collect(),
    };
    let context = tera::Context::from_serialize(&context).map_err(|e| {
        Error::general(
            ErrorKind::Internal,
            format!("template context: {}", chain(&e)),
        )
    })?;
    let mut files = TEMPLATE_NAMES
        .iter()
        .map(|(template, output)| {
            let contents = tera.render(template, &context).map_err(|e| {
                Error::general(
                    ErrorKind::Config,
                    format!("template {template}: {}", chain(&e)),
                )
            })?;
            Ok(CrateFile {
                path: output.into(),
                contents,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    files.extend(examples);
    Ok(files)
}

/// Example programs for the crate's `examples/`: the templates' examples,
/// copied as written (they are API-specific, so they live beside the API's
/// templates, not in the generator).
fn examples(options: &Options) -> Vec<CrateFile> {
    let Some(templates) = options.templates.as_ref().filter(|_| options.examples) else {
        return Vec::new();
    };
    templates
        .examples
        .iter()
        .map(|(name, text)| CrateFile {
            path: std::path::Path::new("examples").join(name),
            contents: format!(
                "// This file is copied from `templates/examples/` by `cargo xtask codegen`. Do not edit it here.\n{text}"
            ),
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
