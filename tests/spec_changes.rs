//! When the spec changes: a vendor's API split over several documents,
//! fixed by an overrides file without editing it, and the report of what
//! changed in the generated crate's public API.

use std::path::PathBuf;

use generator::overrides::Overrides;
use generator::report;
use generator::surface::Surface;
use generator::Document;
use tests::{read, root, summary};

fn split(name: &str) -> PathBuf {
    root().join("tests/fixtures/split").join(name)
}

/// A message with the workspace root taken out of the paths it names, as a
/// user who runs the generator from the root sees it. (Tests do not change
/// the current directory: that would change it for every test running
/// beside them.)
fn from_root(message: String) -> String {
    message.replace(&format!("{}/", root().display()), "")
}

/// The split fixture's two documents merged, with the overrides beside them
/// (as `cargo xtask codegen --spec imodels.yaml --spec changesets.yaml`
/// reads them) or without.
fn split_merged(with_overrides: bool) -> generator::Result<generator::Merged> {
    let specs = [split("imodels.yaml"), split("changesets.yaml")];
    if with_overrides {
        let merged = generator::load_with_overrides(&specs, None)?;
        assert_eq!(merged.overrides, Some(split("overrides.yaml")));
        Ok(merged)
    } else {
        generator::load_files(&specs)
    }
}

fn split_document(with_overrides: bool) -> generator::Result<serde_json::Value> {
    split_merged(with_overrides).map(|m| m.document)
}

fn model_of(document: serde_json::Value) -> generator::Result<generator::model::Api> {
    generator::build(&generator::load_value(document)?)
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
    for name in ["Links", "Link", "Application", "Changeset", "ModelError"] {
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
    let described = from_root(merged.describe(&error));
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
        generator::ErrorKind::Invalid,
        "#/paths/~1imodels~1{iModelId}~1changesets/get",
        "x at #/components/schemas/Changeset.",
    );
    assert_eq!(
        from_root(merged.describe(&elsewhere)),
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
    let error = generator::load_files(&[split("imodels.yaml"), split("conflict.yaml")])
        .expect_err("conflict");
    assert_eq!(error.kind(), Some(generator::ErrorKind::Merge));
    assert_eq!(
        from_root(error.to_string()),
        "tests/fixtures/split/conflict.yaml#/paths/~1imodels/get: conflicts with \
         tests/fixtures/split/imodels.yaml#/paths/~1imodels/get, which says something different; \
         fix one of them with an overrides entry"
    );
}

fn doc(name: &str, text: &str) -> Document {
    Document {
        name: name.into(),
        requested: true,
        value: generator::parse_text(text).expect("parse"),
    }
}

#[test]
fn a_schema_declared_twice_differently_names_both_files_and_an_identical_one_merges() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let a =
        format!("{head}components: {{schemas: {{A: {{type: string}}, B: {{type: integer}}}}}}\n");
    let same =
        format!("{head}components: {{schemas: {{A: {{type: string}}, C: {{type: boolean}}}}}}\n");
    let merged = generator::merge_documents(vec![doc("a.yaml", &a), doc("same.yaml", &same)])
        .expect("merge");
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
    let error = generator::merge_documents(vec![doc("a.yaml", &a), doc("b.yaml", &other)])
        .expect_err("conflict");
    assert_eq!(error.kind(), Some(generator::ErrorKind::Merge));
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
    let error = generator::load_files(std::slice::from_ref(&main)).expect_err("unsupported ref");
    assert_eq!(error.kind(), Some(generator::ErrorKind::Unsupported));
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
    let api = generator::build(&generator::load_str(&text).expect("load")).expect("build");
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
- `types::Item`: no longer `#[non_exhaustive]`
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
        "public API: 10 change(s), 4 breaking
    base URL: default base URL changed from https://api.example.com/v1 to https://api.example.com/v2
  ! list_items: argument tenant: String added
  … and 8 more"
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

#[test]
fn a_struct_becoming_non_exhaustive_is_breaking_and_the_reverse_is_not() {
    let before = surface("tests/fixtures/report/before.yaml");
    let mut after = before.clone();
    let mut changed = 0;
    for def in &mut after.types {
        if let generator::surface::Shape::Struct { non_exhaustive, .. } = &mut def.shape {
            *non_exhaustive = !*non_exhaustive;
            changed += 1;
        }
    }
    assert!(changed > 0, "the fixture has a struct");
    let report = report::diff(&before, &after);
    let flipped_on = report.changes.iter().filter(|c| c.breaking).count();
    let flipped_off = report.changes.len() - flipped_on;
    let markdown = report.markdown();
    if flipped_on > 0 {
        assert!(
            markdown.contains("now `#[non_exhaustive]`: no struct literals outside the crate"),
            "{markdown}"
        );
    }
    if flipped_off > 0 {
        assert!(
            markdown.contains("no longer `#[non_exhaustive]`"),
            "{markdown}"
        );
    }
    assert_eq!(report.changes.len(), changed, "{markdown}");
    let back = report::diff(&after, &before);
    assert_eq!(
        back.changes.iter().filter(|c| c.breaking).count(),
        flipped_off,
        "{}",
        back.markdown()
    );
    assert_eq!(Surface::from_json(&after.to_json()), Ok(after));
}

/// Writes `files` (name, text) into a temporary directory.
fn files_in(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, text).expect("write");
    }
    dir
}

#[test]
fn a_config_applies_its_documents_then_its_overlays_then_the_overrides() {
    let dir = files_in(&[
        (
            "vendor.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n",
        ),
        (
            "overlays/add.yaml",
            "overlay: 1.0.0\ninfo: {title: add, version: '1'}\nactions:\n  - target: $.paths\n    update:\n      /b:\n        get:\n          operationId: getA\n          responses: {'204': {description: ok}}\n",
        ),
        (
            "overlays/mark.yaml",
            "overlay: 1.1.0\ninfo: {title: mark, version: '1'}\nactions:\n  - target: $.paths.*.get\n    update: {x-idempotent: true}\n",
        ),
        // Applied last, so it can name the operation an overlay added.
        (
            "fix.yaml",
            "overrides:\n  - rename-operation: '#/paths/~1b/get'\n    operation-id: getB\n",
        ),
        (
            "codegen.yaml",
            "documents: [vendor.yaml]\noverlays: [overlays/add.yaml, overlays/mark.yaml]\noverrides: fix.yaml\n",
        ),
    ]);
    let sources =
        generator::Sources::from_config(&dir.path().join("codegen.yaml")).expect("config");
    assert_eq!(sources.documents, [dir.path().join("vendor.yaml")]);
    assert_eq!(sources.overrides, Some(dir.path().join("fix.yaml")));
    let prepared = sources.load().expect("load");
    let doc = prepared.document();
    assert_eq!(doc["paths"]["/b"]["get"]["operationId"], "getB");
    assert_eq!(doc["paths"]["/a"]["get"]["x-idempotent"], true);
    assert_eq!(doc["paths"]["/b"]["get"]["x-idempotent"], true);
    let applied: Vec<(String, Vec<String>)> = prepared
        .applied
        .iter()
        .map(|a| {
            let overlays = format!("{}/", dir.path().join("overlays").display());
            (a.action.replace(&overlays, ""), a.nodes.clone())
        })
        .collect();
    assert_eq!(
        applied,
        [
            (
                "add.yaml#/actions/0".to_string(),
                vec!["#/paths".to_string()]
            ),
            (
                "mark.yaml#/actions/0".to_string(),
                vec!["#/paths/~1a/get".to_string(), "#/paths/~1b/get".to_string()]
            ),
        ]
    );
    // An error in what an overlay added names the overlay, one in the
    // vendor's document names the document.
    let added = dir.path().join("overlays/add.yaml");
    let error = generator::Error::at(
        generator::ErrorKind::Invalid,
        "#/paths/~1b/get/responses",
        "bad",
    );
    assert_eq!(
        prepared.merged.describe(&error),
        format!(
            "#/paths/~1b/get/responses (added by {}): bad",
            added.display()
        )
    );
    let error = generator::Error::at(generator::ErrorKind::Invalid, "#/paths/~1a/get", "bad");
    assert_eq!(
        prepared.merged.describe(&error),
        format!(
            "{}#/paths/~1a/get: bad",
            dir.path().join("vendor.yaml").display()
        )
    );
}

#[test]
fn a_config_that_does_not_fit_is_a_located_error() {
    let dir = files_in(&[
        ("typo.yaml", "documents: [a.yaml]\noverlay: [b.yaml]\n"),
        ("empty.yaml", "overlays: [b.yaml]\n"),
        ("list.yaml", "documents: a.yaml\n"),
    ]);
    let error = |name: &str| {
        generator::Sources::from_config(&dir.path().join(name))
            .expect_err("bad config")
            .to_string()
            .replace(&dir.path().display().to_string(), "DIR")
    };
    assert_eq!(
        error("typo.yaml"),
        "DIR/typo.yaml#/overlay: unknown field `overlay` (a config has documents, overlays, overrides)"
    );
    assert_eq!(
        error("empty.yaml"),
        "DIR/empty.yaml#/documents: needs at least one document"
    );
    assert_eq!(
        error("list.yaml"),
        "DIR/list.yaml#/documents: must be a list of file names"
    );
}

/// After a vendor update that fixed (or moved) what one of our corrections
/// targets, `cargo xtask codegen` fails naming the overlay, the action and
/// its target: stale fixes are loud.
#[test]
fn a_vendor_update_makes_a_stale_correction_loud() {
    let config = root().join(tests::IMODELS_CONFIG);
    let mut sources = generator::Sources::from_config(&config).expect("config");
    // The vendor's next version, in which the thumbnail operation moved.
    let vendor = read("spec/imodels-v2.yaml")
        .replace("  /{iModelId}/thumbnail:\n", "  /{iModelId}/preview:\n");
    let dir = files_in(&[("imodels-v2.yaml", &vendor)]);
    sources.documents = vec![dir.path().join("imodels-v2.yaml")];
    let error = from_root(sources.load().expect_err("stale correction").to_string());
    let target = "$.paths['/{iModelId}/thumbnail'].get";
    let corrections = read("spec/overlays/corrections.yaml");
    let overlay = generator::overlay::Overlay::parse(&corrections, "c").expect("overlay");
    let index = overlay
        .actions
        .iter()
        .position(|a| a.target == target)
        .expect("the thumbnail correction");
    assert_eq!(
        error,
        format!(
            "spec/overlays/corrections.yaml#/actions/{index}: target `{target}` matches nothing in \
             the document (stale after a change to the document? fix or delete the action)"
        )
    );
}

/// The loop a user lives: the vendor republishes its document split per
/// area (`tests/fixtures/imodels-split/`, built from the published seed),
/// the same overlays apply to it, and the crate is the same, byte for byte.
#[test]
fn the_vendor_document_split_per_area_gives_the_same_crate() {
    let config = root().join("tests/fixtures/imodels-split/codegen.yaml");
    let split = generator::Sources::from_config(&config).expect("config");
    let single =
        generator::Sources::from_config(&root().join(tests::IMODELS_CONFIG)).expect("config");
    // The same overlays (spelled through the fixture's directory).
    let canonical = |paths: &[PathBuf]| -> Vec<PathBuf> {
        paths
            .iter()
            .map(|p| std::fs::canonicalize(p).expect("an overlay"))
            .collect()
    };
    assert_eq!(canonical(&split.overlays), canonical(&single.overlays));
    // The split holds the vendor's paths and schemas, in its order.
    let vendor = generator::load_files(&single.documents)
        .expect("vendor")
        .document;
    let parts = generator::load_files(&split.documents)
        .expect("split")
        .document;
    assert_eq!(parts["paths"], vendor["paths"]);
    assert_eq!(
        parts["components"]["schemas"],
        vendor["components"]["schemas"]
    );
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("a mapping").keys().cloned().collect()
    };
    assert_eq!(keys(&parts["paths"]), keys(&vendor["paths"]));
    assert_eq!(
        keys(&parts["components"]["schemas"]),
        keys(&vendor["components"]["schemas"])
    );
    assert_eq!(split.documents.len(), 9);

    let generate = |sources: &generator::Sources| {
        let prepared = sources.load().unwrap_or_else(|e| panic!("{e}"));
        let mut options = generator::Options::new("imodels-client");
        options.templates =
            Some(generator::Templates::read(&root().join("templates")).expect("the templates"));
        generator::generate_value(prepared.merged.document, &options)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let from_split = generate(&split);
    let from_single = generate(&single);
    assert_eq!(from_split.len(), from_single.len());
    for (a, b) in from_split.iter().zip(&from_single) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} differs", a.path.display());
    }
}
