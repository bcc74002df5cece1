//! Sequential success bodies (OpenAPI 3.2 `itemSchema`): the item type of
//! each operation whose success response is a stream of JSON values.
//!
//! [`crate::oas32`] moved each such `itemSchema` to the media type's
//! `schema` and recorded the media type's place
//! ([`crate::oas32::Rewritten::is_sequence`]); the
//! operation's `send()` still returns the whole body (bytes or text), and
//! [`attach`] adds the item type for the emitter's item-by-item method.

use openapiv3::{OpenAPI, ReferenceOr, StatusCode};

use super::schemas::Schemas;
use crate::error::{Pointer, Problems};
use crate::model::{ItemStream, Operation};
use crate::names;

/// Sets [`Operation::items`] for every operation with a marked success body.
pub fn attach(
    doc: &OpenAPI,
    rewritten: &crate::oas32::Rewritten,
    operations: &mut [Operation],
    types: &mut Schemas,
    problems: &mut Problems,
) {
    let paths = Pointer::root().key("paths");
    for (path, item) in doc.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        let path_at = paths.key(path);
        // The operations were built from the same list, which had no error then.
        let methods = crate::oas32::operations_of(item, &path_at, rewritten).unwrap_or_default();
        for (_, at, op) in methods {
            let Some(model) = operations.iter_mut().find(|o| o.at == at.as_str()) else {
                continue;
            };
            for (status, response) in &op.responses.responses {
                let success = match status {
                    StatusCode::Code(code) => (200..300).contains(code),
                    StatusCode::Range(range) => *range == 2,
                };
                if !success {
                    continue;
                }
                let (response, response_at) = match response {
                    ReferenceOr::Item(response) => {
                        (response, at.key("responses").key(status.to_string()))
                    }
                    // A shared response (the builder already checked the ref).
                    ReferenceOr::Reference { reference } => {
                        let name = crate::pointer::component_of_ref(reference, "responses");
                        let shared = name.and_then(|name| {
                            let responses = &doc.components.as_ref()?.responses;
                            responses.get(&name)?.as_item()
                        });
                        let Some(shared) = shared else { continue };
                        (shared, Pointer::from_ref(reference))
                    }
                };
                for (media_type, media) in &response.content {
                    let media_at = response_at.key("content").key(media_type);
                    let marked = rewritten.is_sequence(&media_at);
                    let (true, Some(framing), Some(schema)) =
                        (marked, crate::http::framing_of(media_type), &media.schema)
                    else {
                        continue;
                    };
                    let hint = format!("{}Item", names::camel(&model.builder_name));
                    let schema_at = media_at.key("schema");
                    let Some(resolved) = problems.check(types.resolve(schema, &hint, &schema_at))
                    else {
                        continue;
                    };
                    model.items = Some(ItemStream {
                        media_type: media_type.clone(),
                        framing,
                        item: resolved.ty,
                    });
                }
            }
        }
    }
}
