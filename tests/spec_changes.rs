//! When the spec changes: a vendor's API split over several documents,
//! fixed by an overrides file without editing it, and the report of what
//! changed in the generated crate's public API.

use std::path::PathBuf;

use generator::documents::{self, Document};
use generator::overrides::Overrides;
use generator::report;
use generator::surface::Surface;
use tests::{read, root, summary};

fn split(name: &str) -> PathBuf {
    // Relative paths, as a user types them, so messages are stable.
    PathBuf::from(format!("tests/fixtures/split/{name}"))
}

/// The split fixture's two documents merged, with the overrides beside them
/// (as `cargo xtask codegen --spec imodels.yaml --spec changesets.yaml`
/// reads them) or without.
fn split_merged(with_overrides: bool) -> generator::Result<documents::Merged> {
    std::env::set_current_dir(root()).expect("cd to the workspace root");
    let specs = [split("imodels.yaml"), split("changesets.yaml")];
    if with_overrides {
        let merged = documents::load_with_overrides(&specs, None)?;
        assert_eq!(merged.overrides, Some(split("overrides.yaml")));
        Ok(merged)
    } else {
        documents::load_files(&specs)
    }
}

fn split_document(with_overrides: bool) -> generator::Result<serde_json::Value> {
    split_merged(with_overrides).map(|m| m.document)
}

fn model_of(document: serde_json::Value) -> generator::Result<generator::model::Api> {
    generator::build::build(&generator::load::load_value(document)?)
}

#[test]
fn split_documents_merge_into_one_api_fixed_by_overrides() {
    let api = model_of(split_document(true).expect("merge")).expect("model");
    insta::assert_snapshot!("split_model", summary(&api));
    // What the overrides did, asserted on their own so a snapshot review
    // cannot miss it.
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["getIModels", "getIModel", "getChangesets"]);
    assert_eq!(
        api.base_url.as_deref(),
        Some("https://api.example.com/imodels")
    );
    let imodel = api.type_named("IModel").expect("IModel");
    let generator::model::TypeKind::Struct { fields, .. } = &imodel.kind else {
        panic!("IModel is not a struct: {imodel:?}");
    };
    let fields: Vec<(&str, bool)> = fields
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(fields, [("id", true), ("displayName", false)]);
    // Components reached only through external refs are merged, and every
    // external ref became a local one.
    let text = serde_json::to_string(&split_document(true).expect("merge")).expect("json");
    assert!(!text.contains(".yaml#"), "an external $ref is left");
    for name in ["Links", "Link", "Application", "Changeset", "Error"] {
        assert!(api.type_named(name).is_some(), "{name} is missing");
    }
}

#[test]
fn without_overrides_the_duplicate_operation_id_names_both_places_and_the_fix() {
    let error = model_of(split_document(false).expect("merge")).expect_err("duplicate id");
    assert_eq!(
        error.to_string(),
        "#/paths/~1imodels~1{iModelId}/get/operationId: duplicate operationId `getIModels`: \
         also used at #/paths/~1imodels/get; every operationId must be unique\n\n\
         To fix it without editing the document, add to the overrides file \
         (or let the generator pick these names: `cargo xtask codegen --auto-rename-duplicates`):\n\
         overrides:\n  - rename-operation: '#/paths/~1imodels~1{iModelId}/get'\n    operation-id: get_imodels_iModelId"
    );
}

#[test]
fn with_several_documents_an_error_names_the_files_of_both_places() {
    let merged = split_merged(false).expect("merge");
    let error = model_of(merged.document.clone()).expect_err("duplicate id");
    let described = merged.describe(&error);
    assert!(
        described.starts_with(
            "tests/fixtures/split/imodels.yaml#/paths/~1imodels~1{iModelId}/get/operationId: \
             duplicate operationId `getIModels`: also used at \
             tests/fixtures/split/imodels.yaml#/paths/~1imodels/get; every operationId"
        ),
        "{described}"
    );
    // The overrides entry it suggests points into the merged document.
    assert!(described.ends_with("  - rename-operation: '#/paths/~1imodels~1{iModelId}/get'\n    operation-id: get_imodels_iModelId"), "{described}");
    let elsewhere = generator::Error::at(
        "#/paths/~1imodels~1{iModelId}~1changesets/get",
        "x at #/components/schemas/Changeset.",
    );
    assert_eq!(
        merged.describe(&elsewhere),
        "tests/fixtures/split/changesets.yaml#/paths/~1imodels~1{iModelId}~1changesets/get: \
         x at tests/fixtures/split/changesets.yaml#/components/schemas/Changeset."
    );
}

#[test]
fn an_override_whose_target_is_gone_names_the_file_and_the_entry() {
    let mut document = split_document(false).expect("merge");
    let overrides = Overrides::parse(
        "overrides:\n  - base-url: https://x.example.com\n  - rename-operation: '#/paths/~1gone/get'\n    operation-id: x\n",
        "spec/overrides.yaml",
    )
    .expect("parse");
    assert_eq!(
        overrides.apply(&mut document).expect_err("stale").to_string(),
        "spec/overrides.yaml#/overrides/1: `rename-operation` target `#/paths/~1gone/get` is not an operation in the document"
    );
    let merge = Overrides::parse(
        "overrides:\n  - merge: '#/components/schemas/Nope'\n    value: {type: object}\n",
        "o.yaml",
    )
    .expect("parse");
    assert_eq!(
        merge.apply(&mut document).expect_err("stale").to_string(),
        "o.yaml#/overrides/0: `merge` target `#/components/schemas/Nope` does not exist in the document"
    );
}

#[test]
fn a_path_declared_twice_differently_names_both_files() {
    std::env::set_current_dir(root()).expect("cd to the workspace root");
    let error = documents::load_files(&[split("imodels.yaml"), split("conflict.yaml")])
        .expect_err("conflict");
    assert_eq!(
        error.to_string(),
        "tests/fixtures/split/conflict.yaml#/paths/~1imodels/get: conflicts with \
         tests/fixtures/split/imodels.yaml#/paths/~1imodels/get, which says something different; \
         fix one of them with an overrides entry"
    );
}

fn doc(name: &str, text: &str) -> Document {
    Document {
        name: name.into(),
        requested: true,
        value: generator::load::parse_text(text).expect("parse"),
    }
}

#[test]
fn a_schema_declared_twice_differently_names_both_files_and_an_identical_one_merges() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let a =
        format!("{head}components: {{schemas: {{A: {{type: string}}, B: {{type: integer}}}}}}\n");
    let same =
        format!("{head}components: {{schemas: {{A: {{type: string}}, C: {{type: boolean}}}}}}\n");
    let merged = documents::merge(vec![doc("a.yaml", &a), doc("same.yaml", &same)]).expect("merge");
    let names: Vec<&String> = merged.document["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .collect();
    assert_eq!(names, ["A", "B", "C"]);
    assert_eq!(
        merged.file_of("#/components/schemas/C/type"),
        Some("same.yaml")
    );
    assert_eq!(merged.file_of("#/components/schemas/A"), Some("a.yaml"));

    let other = format!("{head}components: {{schemas: {{B: {{type: string}}}}}}\n");
    let error =
        documents::merge(vec![doc("a.yaml", &a), doc("b.yaml", &other)]).expect_err("conflict");
    assert_eq!(
        error.to_string(),
        "b.yaml#/components/schemas/B: conflicts with a.yaml#/components/schemas/B, which says \
         something different; fix one of them with an overrides entry"
    );
}

#[test]
fn an_external_ref_into_another_files_paths_is_a_located_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let main = dir.path().join("main.yaml");
    std::fs::write(
        &main,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: 'other.yaml#/paths/~1b/get/responses/200'}\n",
    )
    .expect("write");
    let error = documents::load_files(std::slice::from_ref(&main)).expect_err("unsupported ref");
    assert_eq!(
        error.to_string(),
        format!(
            "{}#/paths/~1a/get/responses/200/$ref: external $ref `other.yaml#/paths/~1b/get/responses/200`: \
             only refs to `#/components/...` in another file can be merged",
            main.display()
        )
    );
}

fn surface(path: &str) -> Surface {
    let text = read(path);
    let api =
        generator::build::build(&generator::load::load_str(&text).expect("load")).expect("build");
    Surface::of(&api)
}

#[test]
fn the_change_report_says_what_changed_and_what_breaks() {
    let before = surface("tests/fixtures/report/before.yaml");
    let after = surface("tests/fixtures/report/after.yaml");
    let report = report::diff(&before, &after);
    assert_eq!(
        report.markdown(),
        "# Public API changes

**Breaking**: semver needs a new major version (or minor, before 1.0).

## Breaking changes

- `list_items`: argument `tenant: String` added
- `delete_item`: operation removed (was `DELETE /items/{id}`)
- `types::Item`: field `size` is now `Option<i64>` (was `Option<i32>`)
- `types::Item`: field `legacy_code: Option<String>` removed

## Other changes

- `base URL`: default base URL changed from `https://api.example.com/v1` to `https://api.example.com/v2`
- `list_items`: setter `filter: String` added
- `create_item`: operation added (`POST /items`)
- `types::Item`: field `owner: Option<String>` added
- `types::State`: variant `Deleted` added
"
    );
    assert!(report.is_breaking());
    assert_eq!(
        report::diff(&after, &after).summary(5),
        "public API unchanged"
    );
    assert_eq!(
        report.summary(2),
        "public API: 9 change(s), 4 breaking
    base URL: default base URL changed from https://api.example.com/v1 to https://api.example.com/v2
  ! list_items: argument tenant: String added
  … and 7 more"
    );
}

#[test]
fn a_new_enum_variant_alone_is_not_breaking_and_the_surface_round_trips() {
    let before = surface("tests/fixtures/report/before.yaml");
    let mut after = before.clone();
    for def in &mut after.types {
        if let generator::surface::Shape::Enum { variants, .. } = &mut def.shape {
            variants.push("Deleted".into());
        }
    }
    let report = report::diff(&before, &after);
    assert!(!report.is_breaking());
    assert_eq!(report.changes.len(), 1);
    assert_eq!(Surface::from_json(&after.to_json()), Ok(after));
}
