//! `openapiv3::OpenAPI` → [`crate::model::Api`].

mod alias_cycles;
mod extensions;
mod groups;
mod multipart;
mod operations;
mod reach;
mod schemas;
mod sequence;

use openapiv3::{OpenAPI, SecurityScheme};

use crate::error::{ErrorKind, Pointer, Problems, Result};
use crate::load::Loaded;
use crate::model::{Api, AuthScheme, OAuth2Flow};
use crate::Options;

pub use groups::RESERVED_FEATURES;

/// The root-level vendor extension that lists headers for every request.
pub const DEFAULT_HEADERS_EXTENSION: &str = "x-default-request-headers";
/// `{header, value}`: the header that carries the API version, `{version}`
/// in its value.
pub const API_VERSION_EXTENSION: &str = "x-api-version";

/// How the note of an operation renamed by `auto_rename_duplicates` ends.
pub const AUTO_RENAMED: &str = " (auto-rename-duplicates)";

/// Builds the intermediate model of a loaded document.
pub fn build(loaded: &Loaded) -> Result<Api> {
    build_with(loaded, &Options::default())
}

/// [`build`] with the run's options (`auto_rename_duplicates`). Every
/// problem found is reported: an operation or schema with a problem is left
/// out and the others are still built, so that one run names them all.
pub fn build_with(loaded: &Loaded, options: &Options) -> Result<Api> {
    let doc = &loaded.document;
    let mut problems = Problems::default();
    let empty = indexmap::IndexMap::new();
    let components = doc.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut types = schemas::Schemas::new(components);
    types.define_components(&mut problems);

    let auth = auth_schemes(doc, &loaded.mutual_tls);
    let mut groups = groups::Groups::new(doc);
    let oauth2_flows = oauth2_flows(doc, &loaded.oas32);
    let mut operations = operations::build_all(
        doc,
        &loaded.oas32,
        &mut types,
        options.auto_rename_duplicates,
        &mut groups,
        &mut problems,
    );
    let (groups, group_of) = groups.finish();
    for op in &mut operations {
        op.group = op.group.and_then(|claimed| group_of[claimed]);
    }
    sequence::attach(
        doc,
        &loaded.oas32,
        &mut operations,
        &mut types,
        &mut problems,
    );
    // Every type is made: from here on a type's id is its index in the
    // crate's list.
    let (mut types, mut type_notes) = types.finish(&mut operations);
    let error_bodies = operations::error_bodies(&operations, &types, &mut type_notes);
    alias_cycles::check(&types, &mut problems);
    schemas::box_recursive_types(&mut types);
    schemas::constructor_bindings(&mut types);
    extensions::attach(&mut operations, &types, &mut type_notes, &mut problems);
    groups::flow_needs(&mut operations);
    let default_headers = problems.check(default_headers(doc)).unwrap_or_default();
    let api_version = problems.check(api_version(doc)).flatten();

    // Places under a `$ref` target that was moved into components are named
    // as the document wrote them.
    let moved = &loaded.relocations;
    let mut notes = loaded.notes.clone();
    notes.extend(type_notes.iter().map(|n| moved.original_text(n)));
    for def in &mut types {
        def.origin = moved.original(&def.origin);
    }
    let mut error_bodies = error_bodies;
    let unused = reach::prune(&mut types, &mut operations, &mut error_bodies, groups.len());
    notes.extend(unused_note(&unused));
    operations::name_builders(&mut operations, &types);
    operations::name_fake_methods(&mut operations, &mut notes);
    if let Some(error) = problems.into_error() {
        return Err(moved.original_error(error));
    }
    let undeclared_error = operations::undeclared_error(&error_bodies, &types);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        base_url: base_url(doc),
        default_headers,
        api_version,
        auth,
        oauth2_flows,
        operations,
        groups,
        types,
        undeclared_error,
        error_bodies,
        notes,
    })
}

/// One note for the types left out because no operation uses them,
/// naming the first few.
fn unused_note(unused: &[String]) -> Option<String> {
    const SHOWN: usize = 8;
    let (first, rest) = unused.split_at(unused.len().min(SHOWN));
    let more = match rest.len() {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    (!first.is_empty()).then(|| {
        format!(
            "{} type(s) made for places no operation uses were left out: {}{more}",
            unused.len(),
            first.join(", ")
        )
    })
}

fn base_url(doc: &OpenAPI) -> Option<String> {
    let server = doc.servers.first()?;
    let mut url = server.url.clone();
    if let Some(variables) = &server.variables {
        for (name, variable) in variables {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
    }
    Some(url.trim_end_matches('/').to_string())
}

fn api_version(doc: &OpenAPI) -> Result<Option<(String, String)>> {
    let Some(value) = doc.extensions.get(API_VERSION_EXTENSION) else {
        return Ok(None);
    };
    let at = Pointer::root().key(API_VERSION_EXTENSION);
    let text = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
            .ok_or_else(|| at.key(key).error(ErrorKind::Extension, "must be a string"))
    };
    let (header, template) = (text("header")?, text("value")?);
    if !crate::http::is_http_token(&header) {
        return Err(at
            .key("header")
            .error(ErrorKind::Extension, "not a valid HTTP header name"));
    }
    if !template.contains("{version}") || template.bytes().any(|b| b.is_ascii_control()) {
        return Err(at.key("value").error(
            ErrorKind::Extension,
            "must hold `{version}`, where the version goes, and no control characters",
        ));
    }
    Ok(Some((header, template)))
}

fn default_headers(doc: &OpenAPI) -> Result<Vec<(String, String)>> {
    let Some(value) = doc.extensions.get(DEFAULT_HEADERS_EXTENSION) else {
        return Ok(Vec::new());
    };
    let at = Pointer::root().key(DEFAULT_HEADERS_EXTENSION);
    let map = value.as_object().ok_or_else(|| {
        at.error(
            ErrorKind::Extension,
            "must map header names to string values",
        )
    })?;
    map.iter()
        .map(|(name, value)| {
            let value = value.as_str().ok_or_else(|| {
                at.key(name)
                    .error(ErrorKind::Extension, "a header value must be a string")
            })?;
            if !crate::http::is_http_token(name) {
                return Err(at
                    .key(name)
                    .error(ErrorKind::Extension, "not a valid HTTP header name"));
            }
            if value.bytes().any(|b| b.is_ascii_control()) {
                return Err(at.key(name).error(
                    ErrorKind::Extension,
                    "a header value cannot contain control characters",
                ));
            }
            Ok((name.clone(), value.to_string()))
        })
        .collect()
}

/// The OAuth2 flows the client can get tokens with, the first scheme's of
/// each kind (the implicit and password flows are left to the caller).
fn oauth2_flows(doc: &OpenAPI, rewritten: &crate::oas32::Rewritten) -> Vec<OAuth2Flow> {
    let mut found: Vec<OAuth2Flow> = Vec::new();
    let schemes = doc
        .components
        .iter()
        .flat_map(|c| c.security_schemes.iter());
    for (name, scheme) in schemes.filter_map(|(name, s)| Some((name, s.as_item()?))) {
        let SecurityScheme::OAuth2 { flows, .. } = scheme else {
            continue;
        };
        let names = |scopes: &indexmap::IndexMap<String, String>| scopes.keys().cloned().collect();
        let mut candidates = Vec::new();
        if let Some(f) = &flows.client_credentials {
            candidates.push((
                "clientCredentials",
                String::new(),
                f.token_url.clone(),
                names(&f.scopes),
            ));
        }
        if let Some(f) = &flows.authorization_code {
            candidates.push((
                "authorizationCode",
                f.authorization_url.clone(),
                f.token_url.clone(),
                names(&f.scopes),
            ));
        }
        if let Some(device) = rewritten.device_flow(name) {
            candidates.push((
                "deviceAuthorization",
                device.url.clone(),
                device.token_url.clone(),
                device.scopes.clone(),
            ));
        }
        for (flow, url, token_url, scopes) in candidates {
            if !found.iter().any(|f| f.flow == flow) {
                found.push(OAuth2Flow {
                    flow: flow.to_string(),
                    url,
                    token_url,
                    scopes,
                });
            }
        }
    }
    found
}

fn auth_schemes(doc: &OpenAPI, mutual_tls: &[String]) -> Vec<AuthScheme> {
    let mutual = mutual_tls.iter().map(|scheme| AuthScheme::MutualTls {
        scheme: scheme.clone(),
    });
    let Some(components) = &doc.components else {
        return mutual.collect();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(key, scheme)| {
            let scheme = scheme.as_item()?;
            let name = key.clone();
            Some(match scheme {
                SecurityScheme::HTTP { scheme: http, .. } if http.eq_ignore_ascii_case("basic") => {
                    AuthScheme::Basic { scheme: name }
                }
                SecurityScheme::HTTP { .. }
                | SecurityScheme::OAuth2 { .. }
                | SecurityScheme::OpenIDConnect { .. } => AuthScheme::Bearer { scheme: name },
                SecurityScheme::APIKey {
                    location,
                    name: param,
                    ..
                } => match location {
                    openapiv3::APIKeyLocation::Header => AuthScheme::ApiKeyHeader {
                        scheme: name,
                        name: param.clone(),
                    },
                    openapiv3::APIKeyLocation::Query => AuthScheme::ApiKeyQuery {
                        scheme: name,
                        name: param.clone(),
                    },
                    openapiv3::APIKeyLocation::Cookie => AuthScheme::ApiKeyCookie {
                        scheme: name,
                        name: param.clone(),
                    },
                },
            })
        })
        .chain(mutual)
        .collect()
}
