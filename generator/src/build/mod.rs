//! `openapiv3::OpenAPI` → [`crate::model::Api`].

mod alias_cycles;
mod extensions;
mod multipart;
mod operations;
mod schemas;
mod sequence;

use openapiv3::{OpenAPI, SecurityScheme};

use crate::error::{Pointer, Result};
use crate::load::Loaded;
use crate::model::{Api, AuthScheme};

pub use schemas::variants;
pub use sequence::framing_of;

/// The root-level vendor extension that lists headers for every request.
pub const DEFAULT_HEADERS_EXTENSION: &str = "x-default-request-headers";

/// Builds the intermediate model of a loaded document.
pub fn build(loaded: &Loaded) -> Result<Api> {
    let doc = &loaded.document;
    let empty = indexmap::IndexMap::new();
    let components = doc.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut types = schemas::Schemas::new(components);
    types.define_components()?;

    let auth = auth_schemes(doc);
    let mut operations = operations::build_all(doc, &mut types)?;
    sequence::attach(doc, &mut operations, &mut types)?;
    let error_bodies = operations::error_bodies(&operations);
    alias_cycles::check(&types.types)?;
    types.box_recursive_types();
    extensions::attach(&mut operations, &types.types)?;

    let mut notes = loaded.notes.clone();
    notes.append(&mut types.notes);
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        base_url: base_url(doc),
        default_headers: default_headers(doc)?,
        auth,
        operations,
        types: types.types,
        error_bodies,
        notes,
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

fn default_headers(doc: &OpenAPI) -> Result<Vec<(String, String)>> {
    let Some(value) = doc.extensions.get(DEFAULT_HEADERS_EXTENSION) else {
        return Ok(Vec::new());
    };
    let at = Pointer::root().key(DEFAULT_HEADERS_EXTENSION);
    let map = value
        .as_object()
        .ok_or_else(|| at.error("must map header names to string values"))?;
    map.iter()
        .map(|(name, value)| {
            let value = value
                .as_str()
                .ok_or_else(|| at.key(name).error("a header value must be a string"))?;
            if !is_http_token(name) {
                return Err(at.key(name).error("not a valid HTTP header name"));
            }
            if value.bytes().any(|b| b.is_ascii_control()) {
                return Err(at
                    .key(name)
                    .error("a header value cannot contain control characters"));
            }
            Ok((name.clone(), value.to_string()))
        })
        .collect()
}

/// An RFC 9110 token: what HTTP header and method names are made of.
pub(crate) fn is_http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn auth_schemes(doc: &OpenAPI) -> Vec<AuthScheme> {
    let Some(components) = &doc.components else {
        return Vec::new();
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
        .collect()
}
