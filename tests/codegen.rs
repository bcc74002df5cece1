//! The generator end to end: snapshots of the model and of the emitted code,
//! freshness of the committed crate, determinism, and the errors a user sees
//! for documents the generator cannot take.

use generator::{build, load, Options};
use tests::{read, root, summary};

const IMODELS_SPEC: &str = "spec/imodels-v2.yaml";
const FIXTURES: &[&str] = &[
    "petstore-3.0",
    "catalog-3.1",
    "params-forms-3.0",
    "discriminator-3.0",
    "names-3.0",
];

fn model(text: &str) -> generator::model::Api {
    let loaded = load::load_str(text).unwrap_or_else(|e| panic!("load: {e}"));
    build::build(&loaded).unwrap_or_else(|e| panic!("build: {e}"))
}

fn generate(text: &str, crate_name: &str) -> Vec<generator::CrateFile> {
    let mut options = Options::new(crate_name);
    options.templates = Some(root().join("templates"));
    generator::generate(text, &options).unwrap_or_else(|e| panic!("generate: {e}"))
}

fn file<'a>(files: &'a [generator::CrateFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn imodels_model_snapshot() {
    let api = model(&read(IMODELS_SPEC));
    insta::assert_snapshot!("imodels_model", summary(&api));
}

#[test]
fn imodels_lib_rs_snapshot() {
    let files = generate(&read(IMODELS_SPEC), "imodels-client");
    insta::assert_snapshot!("imodels_lib_rs", file(&files, "src/lib.rs"));
}

#[test]
fn imodels_spec_keeps_every_seed_operation_and_schema() {
    let api = model(&read(IMODELS_SPEC));
    let seed = std::fs::read_to_string(root().join("../shared/seeds/imodels-v2.seed.yaml"));
    let Ok(seed) = seed else {
        // The seeds live beside the repository; without them there is nothing to compare.
        eprintln!("../shared/seeds not found; skipping the seed comparison");
        return;
    };
    let seed = model(&seed);
    for op in &seed.operations {
        let ours = api.operations.iter().find(|o| o.id == op.id);
        let ours = ours.unwrap_or_else(|| panic!("seed operation {} is missing", op.id));
        assert_eq!(
            (&ours.http_method, &ours.path),
            (&op.http_method, &op.path),
            "{}",
            op.id
        );
    }
    assert_eq!(seed.operations.len(), 21);
    let seed_components: Vec<_> = seed
        .types
        .iter()
        .filter(|t| t.origin.matches('/').count() == 3)
        .collect();
    assert_eq!(seed_components.len(), 12);
    for def in seed_components {
        let ours = api
            .type_named(&def.name)
            .unwrap_or_else(|| panic!("seed schema {} is missing", def.name));
        if let (
            generator::model::TypeKind::Struct {
                fields: seed_fields,
                ..
            },
            generator::model::TypeKind::Struct { fields, .. },
        ) = (&def.kind, &ours.kind)
        {
            for f in seed_fields {
                assert!(
                    fields.iter().any(|g| g.wire == f.wire),
                    "{}.{} is missing",
                    def.name,
                    f.wire
                );
            }
        }
    }
}

#[test]
fn fixture_snapshots() {
    for name in FIXTURES {
        let text = read(&format!("tests/fixtures/{name}.yaml"));
        insta::assert_snapshot!(format!("{name}_model"), summary(&model(&text)));
        let files = generate(&text, name);
        insta::assert_snapshot!(format!("{name}_types"), file(&files, "src/types.rs"));
        insta::assert_snapshot!(
            format!("{name}_operations"),
            file(&files, "src/operations.rs")
        );
    }
}

/// The committed crate is exactly what the spec gives today (the same check
/// as `cargo xtask codegen --check`).
#[test]
fn generated_client_is_fresh() {
    let files = generate(&read(IMODELS_SPEC), "imodels-client");
    let out = root().join("generated-client");
    let stale: Vec<_> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(out.join(&f.path)).ok().as_deref() != Some(f.contents.as_str())
        })
        .map(|f| f.path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "generated-client is stale, run `cargo xtask codegen`: {stale:?}"
    );
    // No leftovers from an older generation either.
    let mut on_disk: Vec<_> = std::fs::read_dir(out.join("src"))
        .expect("generated-client/src")
        .map(|e| format!("src/{}", e.expect("entry").file_name().to_string_lossy()))
        .collect();
    on_disk.sort();
    let mut expected: Vec<_> = files
        .iter()
        .map(|f| f.path.display().to_string())
        .filter(|p| p.starts_with("src/"))
        .collect();
    expected.sort();
    assert_eq!(on_disk, expected);
}

#[test]
fn output_is_deterministic_and_the_same_from_json() {
    let text = read(IMODELS_SPEC);
    let first = generate(&text, "imodels-client");
    let second = generate(&text, "imodels-client");
    assert_eq!(first, second);
    // The same document as JSON gives byte-identical code.
    let value: serde_json::Value =
        serde_json::to_value(load::parse_text(&text).expect("parse")).expect("value");
    let json = serde_json::to_string_pretty(&value).expect("json");
    assert_eq!(generate(&json, "imodels-client"), first);
}

fn error_of(text: &str) -> String {
    match generator::generate(text, &Options::new("x")) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn errors_name_the_place_in_the_document() {
    assert_eq!(
        error_of("openapi: [unclosed"),
        "#: not valid YAML (line 2, column 1): did not find expected ',' or ']' at line 2 column 1, while parsing a flow sequence at line 1 column 10"
    );
    assert_eq!(
        error_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        "#/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0 and 3.1 are supported (convert it first, e.g. with swagger2openapi)"
    );
    assert_eq!(
        error_of("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n"),
        "#/openapi: OpenAPI 4.0.0 is not supported; supported: 3.0.x and 3.1.x"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\n")),
        "#/paths/~1a/get/responses/200/content/application~1json/schema: $ref `#/components/schemas/Nope` points at no schema: there is no `components/schemas/Nope`"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n")),
        "#/paths/~1b/get/operationId: duplicate operationId `same`: also used at #/paths/~1a/get; every operationId must be unique"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a/{{id}}:\n    get: {{responses: {{'204': {{description: ok}}}}}}\n")),
        "#/paths/~1a~1{id}: the path template names `{id}` but no path parameter `id` is declared"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: strin}}\n")),
        "#/components/schemas/A/type: unknown type `strin`; expected one of string, integer, number, boolean, array, object, null"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get: {{responses: {{'200': {{description: 5}}}}}}\n")),
        "#/paths/~1a/get/responses/200/description: does not match the OpenAPI schema: invalid type: integer `5`, expected a string"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      parameters:\n        - {{name: q, in: query, schema: {{oneOf: [{{type: string}}, {{type: object, properties: {{a: {{type: string}}}}}}]}}}}\n      responses: {{'204': {{description: ok}}}}\n")),
        "#/paths/~1a/get/parameters/0: Query parameters of this shape (GetAQ) are not supported yet: use a scalar, a string enum, an array of them, or a oneOf/anyOf of those"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {{type: object, properties: {{tags: {{type: array, items: {{type: string}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n")),
        "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema: form request bodies of this shape (PostABody) are not supported yet: use an object whose properties are scalars or string enums"
    );
}
