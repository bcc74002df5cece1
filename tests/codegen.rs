//! The generator end to end: snapshots of the model and of the emitted code,
//! freshness of the committed crate, determinism, and the errors a user sees
//! for documents the generator cannot take.

use generator::{build, build_with, load_str, load_value, parse_text, ErrorKind, Options};
use tests::{imodels_text, read, root, summary, FIXTURES};

/// The vendor's document as Bentley publishes it (the overlays in
/// `spec/overlays/` do the rest).
const VENDOR_SPEC: &str = "spec/imodels-v2.yaml";

fn model(text: &str) -> generator::model::Api {
    let loaded = load_str(text).unwrap_or_else(|e| panic!("load: {e}"));
    build(&loaded).unwrap_or_else(|e| panic!("build: {e}"))
}

fn generate(text: &str, crate_name: &str) -> Vec<generator::CrateFile> {
    let mut options = Options::new(crate_name);
    options.templates =
        Some(generator::Templates::read(&root().join("templates")).expect("the templates"));
    generator::generate(text, &options).unwrap_or_else(|e| panic!("generate: {e}"))
}

fn file<'a>(files: &'a [generator::CrateFile], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path.to_str() == Some(path))
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

/// The `operations` module: `src/operations.rs`, or `src/operations/mod.rs`
/// and the group modules after it, each under its path.
fn operations(files: &[generator::CrateFile]) -> String {
    if let Some(flat) = files
        .iter()
        .find(|f| f.path.to_str() == Some("src/operations.rs"))
    {
        return flat.contents.clone();
    }
    let parts: Vec<String> = files
        .iter()
        .filter(|f| f.path.starts_with("src/operations"))
        .map(|f| format!("// ==== {}\n{}", f.path.display(), f.contents))
        .collect();
    assert!(!parts.is_empty(), "no operations module");
    parts.join("\n")
}

#[test]
fn imodels_model_snapshot() {
    let api = model(&imodels_text());
    insta::assert_snapshot!("imodels_model", summary(&api));
}

#[test]
fn imodels_lib_rs_snapshot() {
    let files = generate(&imodels_text(), "imodels-client");
    insta::assert_snapshot!("imodels_lib_rs", file(&files, "src/lib.rs"));
    // What the runtime reads from the generated crate (its interface).
    insta::assert_snapshot!("imodels_api_rs", file(&files, "src/api.rs"));
}

/// SHA-256 of `spec/imodels-v2.yaml`: the vendor's document exactly as
/// Bentley publishes it (`../shared/seeds/imodels-v2.seed.yaml`).
const VENDOR_SHA256: &str = "8359e168ff201ac805c27f2c14f16d9aa80c3bcec7038dd9bf57168f4c966c8e";

#[test]
fn the_vendor_document_is_kept_as_published() {
    let path = root().join(VENDOR_SPEC);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let digest = ring::digest::digest(&ring::digest::SHA256, &bytes);
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex, VENDOR_SHA256,
        "{VENDOR_SPEC} is no longer the vendor's document as published: put what you changed \
         in an overlay (spec/overlays/), or, for a new vendor version, update this checksum"
    );
    // Where the shared folder sits beside the repository (as on CI), the
    // published file itself.
    if let Some(published) = tests::shared_file("seeds/imodels-v2.seed.yaml") {
        assert!(
            published == bytes,
            "{VENDOR_SPEC} differs from the published seed"
        );
    }
}

/// A comparison with a file of `../shared/` cannot pass by not looking: on
/// CI (`CI` set) a missing file fails the test that wanted it.
#[test]
fn a_missing_shared_file_fails_on_ci() {
    let missing = std::panic::catch_unwind(|| tests::shared_file("seeds/no-such-seed.yaml"));
    if std::env::var_os("CI").is_some() {
        assert!(missing.is_err(), "a missing shared file passed on CI");
        assert!(tests::shared_file("seeds/imodels-v2.seed.yaml").is_some());
    } else {
        assert!(matches!(missing, Ok(None)));
    }
}

#[test]
fn imodels_spec_keeps_every_seed_operation_and_schema() {
    let api = model(&imodels_text());
    let seed = model(&read(VENDOR_SPEC));
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
        use generator::model::TypeKind;
        match (&def.kind, &ours.kind) {
            (
                TypeKind::Struct {
                    fields: seed_fields,
                    ..
                },
                TypeKind::Struct { fields, .. },
            ) => {
                for f in seed_fields {
                    assert!(
                        fields.iter().any(|g| g.wire == f.wire),
                        "{}.{} is missing",
                        def.name,
                        f.wire
                    );
                }
            }
            // Any other kind must stay the kind the vendor's schema gives: a
            // struct that became an enum or an alias has lost its fields.
            (seed_kind, kind) => assert_eq!(
                std::mem::discriminant(seed_kind),
                std::mem::discriminant(kind),
                "seed schema {} changed kind: {seed_kind:?} became {kind:?}",
                def.name
            ),
        }
    }
}

#[test]
fn every_fixture_file_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".yaml")?.to_string())
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|f| f.stem.to_string()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "tests/fixtures/*.yaml and tests::FIXTURES differ"
    );
}

#[test]
fn fixture_snapshots() {
    for fixture in FIXTURES.iter().filter(|f| !f.renamed) {
        let name = fixture.stem;
        let text = read(&fixture.path());
        insta::assert_snapshot!(format!("{name}_model"), summary(&model(&text)));
        let files = generate(&text, name);
        insta::assert_snapshot!(format!("{name}_types"), file(&files, "src/types.rs"));
        insta::assert_snapshot!(format!("{name}_operations"), operations(&files));
    }
}

/// The committed crate is exactly what the spec gives today (the same check
/// as `cargo xtask codegen --check`).
#[test]
fn generated_client_is_fresh() {
    let files = generate(&imodels_text(), "imodels-client");
    let out = root().join("generated-client");
    let drift = generator::output::drift(&out, &files);
    assert!(
        drift.is_empty(),
        "generated-client is stale, run `cargo xtask codegen`: {drift:?}"
    );
}

#[test]
fn every_generated_file_but_the_surface_carries_the_marker() {
    let imodels = generate(&imodels_text(), "imodels-client");
    let uploads = generate(&read("tests/fixtures/uploads-3.0.yaml"), "uploads-client");
    let unmarked: Vec<String> = imodels
        .iter()
        .chain(&uploads)
        .filter(|f| {
            let first = f.contents.lines().next().unwrap_or_default();
            !first.contains(generator::output::MARKER)
        })
        .map(|f| f.path.display().to_string())
        .collect();
    assert_eq!(unmarked, ["api-surface.json", "api-surface.json"]);
}

#[test]
fn codegen_deletes_what_it_no_longer_generates_and_nothing_else() {
    use generator::output;
    let dir = tempfile::tempdir().expect("temporary directory");
    let uploads = generate(&read("tests/fixtures/uploads-3.0.yaml"), "some-client");
    let written = output::write(dir.path(), &uploads).expect("write");
    assert_eq!(written.changed.len(), uploads.len());
    assert!(written.leftovers.is_empty());
    // A file of the user's, and one in a `target/` directory: not ours.
    std::fs::create_dir_all(dir.path().join("target")).expect("mkdir");
    std::fs::write(
        dir.path().join("target/x.rs"),
        "// This file is generated by `cargo xtask codegen`.\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("src/mine.rs"), "// my own module\n").expect("write");

    // The petstore has no multipart bodies: its crate has no multipart.rs.
    let petstore = generate(&read("tests/fixtures/petstore-3.0.yaml"), "some-client");
    let drift = output::drift(dir.path(), &petstore);
    assert_eq!(drift.leftovers, [dir.path().join("src/multipart.rs")]);
    assert!(drift.changed.contains(&dir.path().join("src/types.rs")));
    assert!(!drift
        .changed
        .contains(&dir.path().join("src/client/mod.rs")));

    let written = output::write(dir.path(), &petstore).expect("write");
    assert_eq!(written, drift);
    assert!(!dir.path().join("src/multipart.rs").exists());
    assert!(dir.path().join("src/mine.rs").exists());
    assert!(dir.path().join("target/x.rs").exists());
    assert!(output::drift(dir.path(), &petstore).is_empty());
}

#[test]
fn output_is_deterministic_and_the_same_from_json() {
    // The overlays give the same document every time, and it the same crate.
    let text = imodels_text();
    assert_eq!(imodels_text(), text);
    let first = generate(&text, "imodels-client");
    let second = generate(&text, "imodels-client");
    assert_eq!(first, second);
    // A YAML document and the same document as JSON give byte-identical code.
    let yaml = read(VENDOR_SPEC);
    let value = parse_text(&yaml).expect("parse");
    let json = serde_json::to_string_pretty(&value).expect("json");
    assert_eq!(generate(&json, "vendor"), generate(&yaml, "vendor"));
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
        "#/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0, 3.1 and 3.2 are supported (convert it first, e.g. with swagger2openapi)"
    );
    assert_eq!(
        error_of("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n"),
        "#/openapi: OpenAPI 4.0.0 is not supported; supported: 3.0.x, 3.1.x and 3.2.x"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Nope'}}\n")),
        "#/paths/~1a/get/responses/200/content/application~1json/schema: $ref `#/components/schemas/Nope` points at no schema: there is no `components/schemas/Nope`"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n")),
        "#/paths/~1b/get/operationId: duplicate operationId `same`: also used at #/paths/~1a/get; every operationId must be unique\n\n\
         To fix it without editing the document, add to the overrides file (or let the generator pick these names: `cargo xtask codegen --auto-rename-duplicates`):\n\
         overrides:\n  - rename-operation: '#/paths/~1b/get'\n    operation-id: get_b"
    );
    // `in: querystring` is the whole query string: no `in: query` beside it
    // (here one declared on the path item, merged into the operation).
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    parameters: [{name: page, in: query, schema: {type: integer}}]\n    get:\n      parameters: [{name: q, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}}}]\n      responses: {'204': {description: ok}}\n"),
        "#/paths/~1a/get/parameters/0: an `in: querystring` parameter is the whole query string: it cannot be combined with the `in: query` parameter `page` of the same operation"
    );
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: object, properties: {b: {type: string}}}}}}}}]\n      responses: {'204': {description: ok}}\n"),
        "#/paths/~1a/get/parameters/0/content/application~1x-www-form-urlencoded/schema: `in: querystring` parameters of this shape (GetAQ) are not supported yet: use an object whose properties are scalars or string enums"
    );
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{name: q, in: querystring, content: {application/json: {schema: {type: object}}}}]\n      responses: {'204': {description: ok}}\n"),
        "#/paths/~1a/get/parameters/0/content/application~1json: `in: querystring` parameters of type `application/json` are not supported yet: use application/x-www-form-urlencoded"
    );
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    additionalOperations:\n      GET: {responses: {'204': {description: ok}}}\n"),
        "#/paths/~1a/additionalOperations/GET: `GET` has its own field in a path item; additionalOperations is for other methods"
    );
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query: {responses: {'200': {description: 5}}}\n"),
        "#/paths/~1a/query/responses/200/description: does not match the OpenAPI schema: invalid type: integer `5`, expected a string"
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

#[test]
fn deep_object_parameters_must_be_flat_objects() {
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      parameters:\n        - {{name: q, in: query, style: deepObject, schema: {{type: object, properties: {{inner: {{type: object, properties: {{b: {{type: string}}}}}}}}}}}}\n      responses: {{'204': {{description: ok}}}}\n")),
        "#/paths/~1a/get/parameters/0: deepObject query parameters of this shape (GetAQ) are not supported yet: use an object whose properties are scalars or string enums"
    );
}

#[test]
fn multipart_bodies_must_be_objects() {
    let doc = |schema: &str| {
        format!("{HEADER}paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n{schema}      responses: {{'204': {{description: ok}}}}\n")
    };
    assert_eq!(
        error_of(&doc("            schema: {type: string, format: binary}\n")),
        "#/paths/~1a/post/requestBody/content/multipart~1form-data/schema: multipart/form-data bodies must be objects (a schema with `properties`), one property per part; this one is `Bytes`"
    );
    assert_eq!(
        error_of(&doc("            schema: {oneOf: [{type: object, properties: {a: {type: string}}}, {type: string}]}\n")),
        "#/paths/~1a/post/requestBody/content/multipart~1form-data/schema: multipart/form-data bodies must be objects (a schema with `properties`), one property per part; this one is a oneOf/anyOf"
    );
    assert_eq!(
        error_of(&doc("            encoding: {a: {contentType: text/plain}}\n")),
        "#/paths/~1a/post/requestBody/content/multipart~1form-data: request bodies of type `multipart/form-data` need a `schema`: an object whose properties are the fields"
    );
}

/// A small document with one paged listing, for the vendor-extension tests.
fn paged_doc(extensions: &str) -> String {
    format!(
        "{HEADER}paths:\n  /items:\n    get:\n      operationId: ListItems\n{extensions}      parameters:\n        - {{name: limit, in: query, schema: {{type: integer}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Page'}}\ncomponents:\n  schemas:\n    Page:\n      type: object\n      required: [items]\n      properties:\n        items: {{type: array, items: {{type: string}}}}\n        next: {{type: string, nullable: true}}\n        state: {{type: integer}}\n"
    )
}

/// A create and a finishing step whose body a flow must make: `x-flow` goes
/// on the create.
fn flow_doc(flow: &str) -> String {
    format!(
        r#"{HEADER}paths:
  /things/{{thingId}}/parts:
    post:
      operationId: CreatePart
      parameters: [{{name: thingId, in: path, required: true, schema: {{type: string}}}}]
      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/NewPart'}}}}}}}}
      responses: {{'201': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Created'}}}}}}}}}}
      x-flow: {flow}
  /things/{{thingId}}/parts/{{partId}}:
    patch:
      operationId: FinishPart
      parameters:
        - {{name: thingId, in: path, required: true, schema: {{type: string}}}}
        - {{name: partId, in: path, required: true, schema: {{type: string}}}}
      requestBody: {{required: true, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Finish'}}}}}}}}
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Created'}}}}}}}}}}
components:
  schemas:
    NewPart: {{type: object, required: [owner], properties: {{owner: {{type: integer}}, note: {{type: string}}}}}}
    Created:
      type: object
      required: [part]
      properties: {{part: {{type: object, required: [id], properties: {{id: {{type: string}}, owner: {{type: integer}}}}}}}}
    Finish: {{type: object, required: [state, owner], properties: {{state: {{type: string}}, owner: {{type: integer}}}}}}
"#
    )
}

#[test]
fn flow_steps_take_arguments_and_bodies_from_earlier_calls() {
    let step = "{operation: FinishPart, args: {thingId: $thingId, partId: /part/id}";
    let api = model(&flow_doc(&format!(
        "{{name: make_part, id: /part/id, then: [{step}, body: {{state: done}}, body-from: {{/owner: $body/owner}}}}]}}"
    )));
    let flow = &api.operations[0].flows[0];
    assert_eq!(flow.method, "make_part");
    assert!(flow.upload.is_none());
    assert_eq!(
        flow.created_id.as_ref().map(|a| match a {
            generator::model::FlowArg::Response(a) => a.pointer.as_str(),
            _ => "not a pointer",
        }),
        Some("/part/id")
    );
    let finish = &flow.then[0];
    assert_eq!(finish.operation, "FinishPart");
    assert!(matches!(&finish.args[0], generator::model::FlowArg::Param(p) if p == "thing_id"));
    assert!(
        matches!(&finish.args[1], generator::model::FlowArg::Response(a) if a.pointer == "/part/id")
    );
    let body = finish.body.as_ref().expect("a body");
    assert_eq!(body.template, r#"{"state":"done"}"#);
    assert_eq!(body.fill[0].target, "/owner");
    assert_eq!(
        body.fill[0].from,
        generator::model::FlowSource::Request("/owner".into())
    );
    // It compiles into a client method (the compile check builds the crates
    // of `tests/fixtures/`; this one is checked for the method's presence).
    let files = generate(
        &flow_doc(&format!(
            "{{name: make_part, id: /part/id, then: [{step}, body: {{state: done}}, body-from: {{/owner: /part/owner}}}}]}}"
        )),
        "flows",
    );
    assert!(operations(&files).contains("pub async fn make_part("));

    let at = "#/paths/~1things~1{thingId}~1parts/post/x-flow";
    assert_eq!(
        error_of(&flow_doc(
            "{name: m, then: [{operation: FinishPart, args: {thingId: $nope, partId: /part/id}, body: {state: x}}]}"
        )),
        format!("{at}/then/0/args/thingId: `$nope`: `CreatePart` has no required parameter `nope`")
    );
    assert_eq!(
        error_of(&flow_doc(&format!(
            "{{name: m, then: [{step}, body-from: {{/owner: /part/id}}}}]}}"
        ))),
        format!("{at}/then/0/body-from/~1owner: `/part/id` is a String, but `/owner` is a I64")
    );
    assert_eq!(
        error_of(&flow_doc(&format!("{{name: m, then: [{step}}}]}}"))),
        format!(
            "{at}/then/0: `FinishPart` needs a request body: give it with `body` and `body-from`"
        )
    );
    assert_eq!(
        error_of(&flow_doc("{name: m, size: /owner, upload-url: /part/id}")),
        format!("{at}: `x-flow` has no upload (`size`, `upload-url`, `upload-headers`): use `x-upload-flow`")
    );
    assert_eq!(
        error_of(&flow_doc("{name: m, id: '@location'}")),
        format!("{at}/id: `@location`: `CreatePart` declares no response header `location`")
    );
    // A list of flows, each at its own index.
    assert_eq!(
        error_of(&flow_doc("[{name: a}, {name: b, id: /part/nope}]")),
        format!("{at}/1/id: `/part/nope`: CreatedPart has no property `nope`")
    );
}

#[test]
fn an_api_version_header_needs_a_place_for_the_version() {
    assert_eq!(
        error_of(&format!(
            "{HEADER}x-api-version: {{header: Accept, value: application/json}}\npaths: {{}}\n"
        )),
        "#/x-api-version/value: must hold `{version}`, where the version goes, and no control characters"
    );
    assert_eq!(
        error_of(&format!(
            "{HEADER}x-api-version: {{header: 'Bad Name', value: 'v{{version}}'}}\npaths: {{}}\n"
        )),
        "#/x-api-version/header: not a valid HTTP header name"
    );
}

/// A waiter whose method name is taken (an operation is called
/// `wait_for_ready`) gets a suffix; a flow's `wait:` step still finds it by
/// its own name.
#[test]
fn a_flow_finds_a_waiter_renamed_by_a_collision() {
    let doc = format!(
        r#"{HEADER}paths:
  /jobs:
    post:
      operationId: StartJob
      responses: {{'201': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Job'}}}}}}}}}}
      x-flow: {{name: start_and_wait, then: [{{wait: ready, args: {{jobId: /id}}}}]}}
  /jobs/{{jobId}}:
    get:
      operationId: GetJob
      parameters: [{{name: jobId, in: path, required: true, schema: {{type: string}}}}]
      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Job'}}}}}}}}}}
      x-waiter: {{name: ready, state: /state, pending: [running], done: [done]}}
  /wait:
    get:
      operationId: wait_for_ready
      responses: {{'204': {{description: ok}}}}
components:
  schemas:
    Job: {{type: object, required: [id, state], properties: {{id: {{type: string}}, state: {{type: string}}}}}}
"#
    );
    let api = model(&doc);
    let waiter = api.operations[1].waiter.as_ref().expect("a waiter");
    assert_eq!(waiter.method, "wait_for_ready_2");
    let flow = &api.operations[0].flows[0];
    assert_eq!(flow.then[0].method, "wait_for_ready_2");
    let files = generate(&doc, "jobs");
    let operations = operations(&files);
    assert!(
        operations.contains("pub async fn start_and_wait("),
        "the flow's method is there"
    );
    assert!(
        operations.contains(".wait_for_ready_2("),
        "and it calls the renamed waiter"
    );
}

#[test]
fn vendor_extensions_are_checked_against_the_types() {
    // A well-formed x-paging resolves to fields and parameters.
    let api = model(&paged_doc(
        "      x-paging: {items: /items, next: /next, page-size: limit, max-page-size: 50}\n      x-idempotent: false\n",
    ));
    let op = &api.operations[0];
    let paging = op.paging.as_ref().expect("paging is resolved");
    assert_eq!(paging.item, generator::model::TypeRef::String);
    assert_eq!(
        paging.page_size,
        Some(("limit".to_string(), "limit".to_string()))
    );
    assert_eq!(paging.max_page_size, Some(50));
    assert_eq!(op.idempotent, Some(false));

    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: /itemz}\n")),
        "#/paths/~1items/get/x-paging/items: `/itemz`: Page has no property `itemz`"
    );
    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: /next}\n")),
        "#/paths/~1items/get/x-paging/items: `/next` must lead to an array"
    );
    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: /items, page-size: top}\n")),
        "#/paths/~1items/get/x-paging/page-size: operation `ListItems` has no optional query parameter `top`"
    );
    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: items}\n")),
        "#/paths/~1items/get/x-paging/items: `items` is not a JSON pointer (it must start with `/`)"
    );
    assert_eq!(
        error_of(&paged_doc("      x-paging: {itemz: /items}\n")),
        "#/paths/~1items/get/x-paging/itemz: unknown field `itemz`, expected one of `items`, `next`, `page-size`, `max-page-size`, `offset`, `token`"
    );
    // A continuation token is read from the `next` link, and is a string
    // query parameter of the operation.
    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: /items, token: limit}\n")),
        "#/paths/~1items/get/x-paging/token: a continuation token (`limit`) is read from the `next` link: give `next` too"
    );
    assert_eq!(
        error_of(&paged_doc(
            "      x-paging: {items: /items, next: /next, token: limit}\n"
        )),
        "#/paths/~1items/get/x-paging/token: parameter `limit` must be a string"
    );
    assert_eq!(
        error_of(&paged_doc("      x-paging: {items: /items, next: /next, token: cursor}\n")),
        "#/paths/~1items/get/x-paging/token: operation `ListItems` has no optional query parameter `cursor`"
    );
    assert_eq!(
        error_of(&paged_doc("      x-download: {name: fetch, url: /state}\n")),
        "#/paths/~1items/get/x-download/url: `/state` must lead to a string (a URL)"
    );
    assert_eq!(
        error_of(&paged_doc(
            "      x-paging: {items: /items}\n      x-download: {name: fetch, url: /next, file-name: 'x.bin'}\n"
        )),
        "#/paths/~1items/get/x-download/file-name: `x.bin` names no field: every item would get the same file"
    );
    assert_eq!(
        error_of(&paged_doc("      x-repeat: {name: again, until: /state}\n")),
        "#/paths/~1items/get/x-repeat/until: `/state` must lead to a boolean"
    );
    assert_eq!(
        error_of(&paged_doc(
            "      x-waiter: {name: done, state: /state, pending: [a], done: [b]}\n"
        )),
        "#/paths/~1items/get/x-waiter/state: `/state` must lead to a string or a string enum"
    );
    assert_eq!(
        error_of(&paged_doc("      x-variants: {header: Prefer, variants: [{name: a, value: x, schema: {$ref: '#/components/schemas/Page'}}]}\n")),
        "#/paths/~1items/get/x-variants/variants: list at least one variant and mark exactly one `default: true` (it keeps the operation's method name)"
    );
}
/// A document with `schemas` component schemas (`S0` … each with a few
/// properties, every one also referring to the next) and one operation per
/// schema.
fn huge_document(schemas: usize) -> String {
    let mut text = format!("{HEADER}paths:\n");
    for i in 0..schemas {
        text.push_str(&format!(
            "  /s{i}/{{id}}:\n    get:\n      operationId: getS{i}\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/S{i}'}}}}}}}}\n"
        ));
    }
    text.push_str("components:\n  schemas:\n");
    for i in 0..schemas {
        let next = (i + 1) % schemas;
        text.push_str(&format!(
            "    S{i}:\n      description: schema number {i}\n      type: object\n      required: [id]\n      properties:\n        id: {{type: string, format: uuid}}\n        count: {{type: integer}}\n        tags: {{type: array, items: {{type: string}}}}\n        kind: {{type: string, enum: [a, b, c]}}\n        next: {{$ref: '#/components/schemas/S{next}'}}\n"
        ));
    }
    text
}

#[test]
fn malformed_documents_get_exact_located_messages() {
    // $ref cycles between schemas that never define a type.
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n")),
        "#/components/schemas/A: $ref cycle #/components/schemas/A → #/components/schemas/B → #/components/schemas/A: a schema that is only a $ref, an array or a map cannot contain itself; give one of them properties or make it a oneOf"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: array, items: {{$ref: '#/components/schemas/A'}}}}\n")),
        "#/components/schemas/A: $ref cycle #/components/schemas/A → #/components/schemas/A: a schema that is only a $ref, an array or a map cannot contain itself; give one of them properties or make it a oneOf"
    );
    // The same cycle used by a query parameter and by a multipart part: the
    // checks that ask whether a type is text must not loop on it.
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    post:\n      parameters: [{{name: q, in: query, schema: {{$ref: '#/components/schemas/A'}}}}]\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {{type: object, properties: {{x: {{$ref: '#/components/schemas/A'}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n")),
        "2 problems:\n\
         #/paths/~1a/post/parameters/0: Query parameters of this shape (A) are not supported yet: use a scalar, a string enum, an array of them, or a oneOf/anyOf of those\n\
         #/components/schemas/A: $ref cycle #/components/schemas/A → #/components/schemas/B → #/components/schemas/A: a schema that is only a $ref, an array or a map cannot contain itself; give one of them properties or make it a oneOf"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {{type: object, properties: {{x: {{$ref: '#/components/schemas/A'}}}}}}\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n")),
        "#/components/schemas/A: $ref cycle #/components/schemas/A → #/components/schemas/B → #/components/schemas/A: a schema that is only a $ref, an array or a map cannot contain itself; give one of them properties or make it a oneOf"
    );
    // Parameter and response $ref cycles.
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a/{{id}}:\n    get:\n      parameters: [{{$ref: '#/components/parameters/P'}}]\n      responses: {{'204': {{description: ok}}}}\ncomponents:\n  parameters:\n    P: {{$ref: '#/components/parameters/Q'}}\n    Q: {{$ref: '#/components/parameters/P'}}\n")),
        "#/paths/~1a~1{id}/get/parameters/0: $ref chain in components/parameters is too long or cyclic"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      responses: {{'200': {{$ref: '#/components/responses/R'}}}}\ncomponents:\n  responses:\n    R: {{$ref: '#/components/responses/S'}}\n    S: {{$ref: '#/components/responses/R'}}\n")),
        "#/paths/~1a/get/responses/200: $ref chain in components/responses is too long or cyclic"
    );
    // A dangling parameter $ref.
    assert_eq!(
        error_of(&format!("{HEADER}paths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/Nope'}}]\n      responses: {{'204': {{description: ok}}}}\n")),
        "#/paths/~1a/get/parameters/0: $ref `#/components/parameters/Nope` points at nothing: there is no `components/parameters/Nope`"
    );
    // A mistake deep inside nested schemas is named where it is.
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b:\n          items:\n            minItems: many\n")),
        "#/components/schemas/A/properties/b/items/minItems: does not match the OpenAPI schema: invalid type: string \"many\", expected usize"
    );
}

#[test]
fn very_deep_nesting_is_an_error_not_a_stack_overflow() {
    let nested = |depth: usize| {
        let mut schema = "{type: string}".to_string();
        for _ in 0..depth {
            schema = format!("{{type: array, items: {schema}}}");
        }
        format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A: {schema}\n")
    };
    // Deepest accepted: it generates (on a test thread's small stack).
    assert!(generator::generate(&nested(31), &Options::new("x")).is_ok());
    let too_deep = error_of(&nested(32));
    assert!(
        too_deep.starts_with("#/components/schemas/A/items/items/"),
        "{too_deep}"
    );
    assert!(
        too_deep.ends_with("/items: schemas nest more than 32 levels deep here; name some of the inner schemas in components/schemas and refer to them with $ref"),
        "{too_deep}"
    );
    // Past what the parsers take at all.
    assert_eq!(
        error_of(&nested(200)),
        "#: not valid YAML (line 6, column 2633): recursion limit exceeded at line 6 column 2633"
    );
}

#[test]
fn names_that_collide_after_case_conversion_get_a_suffix_and_a_note() {
    let api = model(&format!("{HEADER}paths:\n  /a:\n    get: {{operationId: getX, responses: {{'204': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: get_x, responses: {{'204': {{description: ok}}}}}}\ncomponents:\n  schemas:\n    foo_bar: {{type: object, properties: {{a: {{type: string}}}}}}\n    FooBar: {{type: object, properties: {{b: {{type: string}}}}}}\n"));
    let names: Vec<_> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["FooBar", "FooBar2"]);
    let methods: Vec<_> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(methods, ["get_x", "get_x_2"]);
    assert_eq!(
        api.notes,
        [
            "#/components/schemas/FooBar: named `FooBar2` in Rust because `FooBar` is the name of #/components/schemas/foo_bar",
            "#/paths/~1b/get: named `get_x_2` in Rust because `get_x` is the name of #/paths/~1a/get",
        ]
    );
}

#[test]
fn a_huge_document_generates_every_operation_and_type() {
    let text = huge_document(2000);
    assert!(text.len() > 1_000_000, "{} bytes", text.len());
    let api = model(&text);
    assert_eq!(api.operations.len(), 2000);
    // S0 … S1999 and each one's `kind` enum.
    assert_eq!(api.types.len(), 4000);
    let files = generator::generate(&text, &Options::new("huge")).expect("generates");
    assert!(file(&files, "src/types.rs").contains("pub struct S1999 {"));
}

/// Every endpoint of the facts sheet (what Bentley's official TypeScript
/// clients call), as `METHOD /path` with parameters written `{}`.
const FACTS_SHEET_ENDPOINTS: [&str; 48] = [
    "GET /",
    "POST /",
    "GET /{}",
    "PATCH /{}",
    "DELETE /{}",
    "POST /{}/clone",
    "POST /{}/fork",
    "GET /{}/operations/create",
    "GET /{}/baselinefile",
    "POST /{}/baselinefile",
    "GET /{}/changesets",
    "POST /{}/changesets",
    "GET /{}/changesets/{}",
    "PATCH /{}/changesets/{}",
    "GET /{}/changesets/extendeddata",
    "GET /{}/changesets/{}/extendeddata",
    "POST /{}/changesets/{}/extendeddata",
    "GET /{}/changesetgroups",
    "POST /{}/changesetgroups",
    "GET /{}/changesetgroups/{}",
    "PATCH /{}/changesetgroups/{}",
    "GET /{}/namedversions",
    "POST /{}/namedversions",
    "GET /{}/namedversions/{}",
    "PATCH /{}/namedversions/{}",
    "GET /{}/changesets/{}/checkpoint",
    "GET /{}/namedversions/{}/checkpoint",
    "GET /{}/briefcases/checkpoint",
    "PUT /{}/namedversions/{}/checkpoint",
    "GET /{}/thumbnail",
    "PUT /{}/thumbnail",
    "GET /{}/users",
    "GET /{}/users/{}",
    "GET /{}/permissions",
    "GET /{}/briefcases",
    "POST /{}/briefcases",
    "GET /{}/briefcases/{}",
    "DELETE /{}/briefcases/{}",
    "GET /{}/locks",
    "PATCH /{}/locks",
    "POST /{}/locks/release-chunk",
    "GET /{}/locks/released-locks",
    "GET /favorites",
    "PUT /favorites/{}",
    "DELETE /favorites/{}",
    "GET /recents",
    "POST /recents/{}",
    "DELETE /recents/{}",
];

/// `/{iModelId}/changesets/{changesetId}` → `/{}/changesets/{}`.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// The `METHOD path` pairs in the REST tables (section 1) of the facts
/// sheet; a row that names a `_links` href takes the API path it says that
/// href is, and blob-storage rows (`PUT to ...`) are not API calls.
fn facts_sheet_endpoints(text: &str) -> std::collections::BTreeSet<String> {
    let start = text.find("## 1. REST operations").unwrap_or(0);
    let end = text.find("## 2. Paging").unwrap_or(text.len());
    let mut found = std::collections::BTreeSet::new();
    for row in text[start..end].lines().filter(|l| l.starts_with("| ")) {
        let Some(cell) = row.split(" | ").nth(1) else {
            continue;
        };
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let Some(at) = cell.find(&format!("{method} `")) else {
                continue;
            };
            let mut quoted = cell[at..].split('`').skip(1).step_by(2);
            let mut path = quoted.next().unwrap_or_default();
            if path.starts_with("_links") {
                path = quoted.next().unwrap_or_default();
            }
            let path = path.split('?').next().unwrap_or_default();
            found.insert(format!("{method} {}", shape(&format!("/{path}"))).replace(" //", " /"));
        }
    }
    found
}

/// 48 endpoints, each with its own generated method (`x-variants` add a
/// second method for the same endpoint, not a second endpoint).
#[test]
fn every_endpoint_of_the_facts_sheet_has_a_generated_method() {
    let api = model(&imodels_text());
    let ours: std::collections::BTreeSet<String> = api
        .operations
        .iter()
        .map(|op| format!("{} {}", op.http_method, shape(&op.path)))
        .collect();
    let expected: std::collections::BTreeSet<String> = FACTS_SHEET_ENDPOINTS
        .iter()
        .map(|e| e.to_string())
        .collect();
    assert_eq!(expected.len(), 48);
    assert_eq!(ours, expected);
    // Where the shared folder is beside the repository (as on CI), the facts
    // sheet itself says the same.
    if let Some(facts) = tests::shared_file("reference/imodels-api-facts.md") {
        let facts = String::from_utf8(facts).expect("the facts sheet is UTF-8");
        assert_eq!(facts_sheet_endpoints(&facts), expected);
    }
    // Literal segments beside templated siblings each have their own method.
    for (literal, method) in [
        (
            "/{iModelId}/changesets/extendeddata",
            "get_changesets_extended_data",
        ),
        ("/{iModelId}/briefcases/checkpoint", "get_latest_checkpoint"),
        ("/favorites", "get_favorite_imodels"),
        ("/recents", "get_recent_imodels"),
    ] {
        let op = api
            .operations
            .iter()
            .find(|o| o.method_name == method)
            .unwrap_or_else(|| panic!("no {method}"));
        assert_eq!(op.path, literal);
    }
}

/// A flow method's own parameters and bindings (`progress`, `created`,
/// the file's `size`, the upload `url`, …) give way to the first call's
/// required parameters of those names: the method keeps the parameters'
/// names, and what it passes on to the next step is the caller's `size`
/// and `url`, not the file's size and the upload URL.
#[test]
fn flow_bindings_give_way_to_parameters_of_their_names() {
    let text = read("tests/fixtures/runtime-names-3.0.yaml");
    let api = model(&text);
    let op = api
        .operations
        .iter()
        .find(|op| op.id == "startUpload")
        .expect("startUpload");
    let names = &op.flows[0].names;
    let chosen = [
        &names.body,
        &names.file,
        &names.upload,
        &names.progress,
        &names.request,
        &names.response,
        &names.created,
        &names.created_json,
        &names.sent,
        &names.size,
        &names.url,
        &names.step_body,
        &names.last,
    ];
    assert_eq!(
        chosen.map(String::as_str),
        [
            "body",
            "file_2",
            "upload_2",
            "progress_2",
            "request_2",
            "response_2",
            "created_2",
            "created_json_2",
            "sent_2",
            "size_2",
            "url_2",
            "step_body_2",
            "step_0_2",
        ]
    );
    let files = generate(&text, "runtime-names-client");
    let code = operations(&files);
    let start = code
        .find("pub async fn upload_with_busy_names(")
        .expect("the flow method");
    let method = &code[start..];
    let method = &method[..method.find("\n    }\n").expect("its end")];
    for expected in [
        "file_2: impl AsRef<std::path::Path>,",
        "let size_2 = tokio::fs::metadata(file_2)",
        "serde_json::Value::from(size_2)",
        "let url_2 = Some(&created_2)",
        "self.upload_file(&url_2, file_2, &upload_2)",
        // The next step gets the caller's `size`, `url` and `created`.
        ".finish_upload(\n                size.clone(),\n                url.clone(),",
        "created.clone(),\n                step_body_2,",
        "Ok(step_0_2)",
    ] {
        assert!(method.contains(expected), "{expected:?} in:\n{method}");
    }
}

/// The runtime-names fixture names an operation after every method the
/// runtime gives `Client` (the list a unit test checks against the runtime's
/// sources): each gets another name, noted, and nothing else does.
#[test]
fn operations_named_like_runtime_methods_get_other_names() {
    let api = model(&read("tests/fixtures/runtime-names-3.0.yaml"));
    let mut asked: Vec<String> = api
        .operations
        .iter()
        .filter(|op| op.path.starts_with("/m/"))
        .map(|op| generator::snake(&op.id))
        .collect();
    asked.sort();
    let mut runtime: Vec<String> = generator::CLIENT_METHODS
        .iter()
        .map(|m| m.to_string())
        .collect();
    runtime.sort();
    assert_eq!(
        asked, runtime,
        "the fixture names every runtime method, no more"
    );
    for op in api
        .operations
        .iter()
        .filter(|op| op.path.starts_with("/m/"))
    {
        let wanted = generator::snake(&op.id);
        assert_eq!(op.method_name, format!("{wanted}_2"));
        let note = format!(
            "{}: named `{wanted}_2` in Rust because `{wanted}` is a method of the client runtime (`Client::{wanted}`)",
            op.at
        );
        assert!(api.notes.contains(&note), "no note {note:?}");
    }
    // Operations named like the fake's own methods keep their client
    // method; their methods on `Fake` and `Log` get other names, noted.
    // Every other operation's fake methods are named as its client method.
    let mut fake_named: Vec<String> = Vec::new();
    for op in &api.operations {
        if op.path.starts_with("/f/") || generator::FAKE_METHODS.contains(&op.method_name.as_str())
        {
            let wanted = &op.method_name;
            fake_named.push(wanted.clone());
            assert_eq!(op.fake_method, format!("{wanted}_2"), "{}", op.id);
            let note = format!(
                "{}: the test fake's methods for it are `Fake::{wanted}_2` and `Log::{wanted}_2`, because the fake has its own `{wanted}`",
                op.at
            );
            assert!(api.notes.contains(&note), "no note {note:?}");
        } else {
            assert_eq!(op.fake_method, op.method_name, "{}", op.id);
        }
    }
    fake_named.sort();
    let mut fake_only: Vec<String> = generator::FAKE_METHODS
        .iter()
        .filter(|m| !generator::CLIENT_METHODS.contains(m))
        .map(|m| m.to_string())
        .collect();
    fake_only.sort();
    assert_eq!(
        fake_named, fake_only,
        "the fixture names every fake method the client does not have"
    );
    // Parameters named like the builders' own members are renamed too.
    let get_file = api
        .operations
        .iter()
        .find(|o| o.id == "getFile")
        .expect("getFile");
    let names: Vec<(&str, &str)> = get_file
        .params
        .iter()
        .map(|p| (p.wire.as_str(), p.rust.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("client", "client_2"),
            ("send", "send_2"),
            ("error", "error_2"),
            ("decode", "decode_2"),
            ("into_request", "into_request_2"),
            ("send_to", "send_to_2"),
            ("body", "body_2")
        ]
    );
}

/// Error schemas named `Text` and `Empty` (variants every `ErrorBody` has):
/// lib.rs declares and operations.rs decodes the same renamed variants, and
/// api-surface.json spells a `binary` JSON field as the `String` it is.
#[test]
fn error_body_variants_and_surface_types_are_decided_once() {
    let files = generate(&read("tests/fixtures/error-names-3.0.yaml"), "error-names");
    // `ErrorBody` is declared in api.rs (what the runtime reads of the API).
    let api = file(&files, "src/api.rs");
    assert!(api.contains("Text2(crate::types::Text),"), "{api}");
    assert!(api.contains("Empty2(crate::types::Empty),"), "{api}");
    let operations = operations(&files);
    assert!(
        operations.contains("crate::ErrorBody::Text2"),
        "{operations}"
    );
    assert!(
        operations.contains("crate::ErrorBody::Empty2"),
        "{operations}"
    );
    let surface =
        generator::surface::Surface::from_json(file(&files, "api-surface.json")).expect("surface");
    let attachment = surface
        .types
        .iter()
        .find(|t| t.name == "Attachment")
        .expect("Attachment");
    let generator::surface::Shape::Struct { fields, .. } = &attachment.shape else {
        panic!("{attachment:?}");
    };
    let content = fields
        .iter()
        .find(|f| f.name == "content")
        .expect("content");
    assert_eq!(content.ty, "Option<String>");
    assert!(file(&files, "src/types.rs").contains("pub content: Option<String>,"));
}

/// `$ref`s to places that are not components are read, and what they point
/// at is one type, shared.
#[test]
fn refs_to_any_place_share_one_type() {
    let api = model(&read("tests/fixtures/refused-3.1.yaml"));
    let field = |ty: &str, name: &str| {
        let Some(generator::model::TypeKind::Struct { fields, .. }) =
            api.type_named(ty).map(|t| &t.kind)
        else {
            panic!("{ty} is not a struct");
        };
        fields
            .iter()
            .find(|f| f.wire == name)
            .expect("field")
            .ty
            .clone()
    };
    use generator::model::{TypeRef, TypeSpace};
    let index = api.types.name_index();
    let named = |name: &str| TypeRef::Named(index[name]);
    let state = field("Archive", "state");
    assert_eq!(state, named("ArchiveState"));
    assert_eq!(field("Job", "state"), state);
    let line = named("OrderLine");
    assert_eq!(
        field("Order", "lines"),
        TypeRef::Vec(Box::new(line.clone()))
    );
    assert_eq!(field("Receipt", "first"), line);
    // Where the types are defined: as the document wrote it.
    assert_eq!(
        api.type_named("ArchiveState").expect("ArchiveState").origin,
        "#/components/schemas/Archive/properties/state"
    );
    assert_eq!(
        api.type_named("OrderLine").expect("OrderLine").origin,
        "#/components/schemas/Order/$defs/Line"
    );
    let op = |id: &str| api.operations.iter().find(|o| o.id == id).expect(id);
    for id in ["replaceArchive", "sealArchive", "copyArchive"] {
        assert_eq!(op(id).params[0].wire, "archiveId", "{id}");
    }
    assert_eq!(op("copyArchive").output, op("getArchive").output);
    assert_eq!(op("copyArchive").body, op("replaceArchive").body);
    // Without `responses`: `()`.
    assert_eq!(op("replaceArchive").output, generator::model::Output::Unit);
    assert!(api.auth.contains(&generator::model::AuthScheme::MutualTls {
        scheme: "tls".into()
    }));
}

/// A problem inside a moved `$ref` target is named where the document
/// wrote it, not where the generator moved it.
#[test]
fn problems_in_a_ref_target_name_its_own_place() {
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {{type: strin}}\n    C:\n      properties:\n        d: {{$ref: '#/components/schemas/A/properties/b'}}\n")),
        "#/components/schemas/A/properties/b/type: unknown type `strin`; expected one of string, integer, number, boolean, array, object, null"
    );
    assert_eq!(
        error_of(&format!("{HEADER}paths: {{}}\ncomponents:\n  schemas:\n    C:\n      properties:\n        d: {{$ref: '#/components/schemas/A/properties/nope'}}\n    A: {{type: object}}\n")),
        "#/components/schemas/C/properties/d: $ref `#/components/schemas/A/properties/nope` points at nothing in this document"
    );
}

/// OpenAPI 3.2 operations may leave out `responses` too.
#[test]
fn operations_without_responses_return_unit() {
    let api = model("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query: {operationId: search}\n    additionalOperations:\n      LOCK: {operationId: lock}\n");
    let outputs: Vec<_> = api
        .operations
        .iter()
        .map(|o| (o.http_method.as_str(), &o.output))
        .collect();
    use generator::model::Output::Unit;
    assert_eq!(outputs, [("QUERY", &Unit), ("LOCK", &Unit)]);
    assert_eq!(
        api.notes,
        [
            "#/paths/~1a/query: no `responses`: the method returns `()` for any success status and an error for any other",
            "#/paths/~1a/additionalOperations/LOCK: no `responses`: the method returns `()` for any success status and an error for any other",
        ]
    );
}

/// What the 3.2 rewrite records beside the document (a sequential body, an
/// `in: querystring` parameter, a device flow) is found by the builder at
/// the place it names: a shared querystring parameter, a sequence under a
/// status range written in lower case, inside a `query` operation.
#[test]
fn what_3_2_records_is_found_where_the_builder_looks() {
    let api = model(
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    query:\n      operationId: search\n      parameters: [{$ref: '#/components/parameters/Filter'}]\n      responses:\n        2xx:\n          description: ok\n          content:\n            application/jsonl: {itemSchema: {type: string}}\ncomponents:\n  parameters:\n    Filter: {name: filter, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}}}\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        deviceAuthorization: {deviceAuthorizationUrl: 'https://a.example/device', tokenUrl: 'https://a.example/token', scopes: {read: r}}\nsecurity: [{oauth: []}]\n",
    );
    let [op] = api.operations.as_slice() else {
        panic!("one operation: {:?}", api.operations);
    };
    assert_eq!(op.http_method, "QUERY");
    let locations: Vec<_> = op
        .params
        .iter()
        .map(|p| (p.wire.as_str(), p.location))
        .collect();
    assert_eq!(
        locations,
        [("filter", generator::model::Location::QueryString)]
    );
    let items = op.items.as_ref().expect("read item by item");
    assert_eq!(
        (items.media_type.as_str(), &items.item),
        ("application/jsonl", &generator::model::TypeRef::String)
    );
    let flows: Vec<_> = api
        .oauth2_flows
        .iter()
        .map(|f| {
            (
                f.flow.as_str(),
                f.url.as_str(),
                f.token_url.as_str(),
                f.scopes.clone(),
            )
        })
        .collect();
    assert_eq!(
        flows,
        [(
            "deviceAuthorization",
            "https://a.example/device",
            "https://a.example/token",
            vec!["read".to_string()]
        )]
    );
    // A shared querystring parameter that does not fit is reported once:
    // the placeholder put in its place is a plain `in: query` one.
    assert_eq!(
        error_of("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Filter'}]\n      responses: {'204': {description: ok}}\ncomponents:\n  parameters:\n    Filter: {name: filter, in: querystring, required: 5, content: {application/x-www-form-urlencoded: {schema: {type: object, properties: {a: {type: string}}}}}}\n"),
        "#/components/parameters/Filter: does not match the OpenAPI schema: invalid type: integer `5`, expected a boolean"
    );
}

/// A `$ref` is a URI fragment: a component name with a space, a non-ASCII
/// letter or a `/` is percent-encoded or escaped in it, and every lookup
/// of a component (schemas, shared responses) reads it back the same way.
#[test]
fn percent_encoded_component_refs_name_the_component() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    get:\n      operationId: getThing\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing%20Name'}\n        '404': {$ref: '#/components/responses/Not%20Found'}\ncomponents:\n  responses:\n    Not Found:\n      description: missing\n      content:\n        application/json:\n          schema: {$ref: '#/components/schemas/%C3%89tat'}\n  schemas:\n    Thing Name:\n      type: object\n      properties:\n        state: {$ref: '#/components/schemas/%C3%89tat'}\n        kind: {$ref: '#/components/schemas/a~1b'}\n    État:\n      type: object\n      properties:\n        code: {type: integer}\n    a/b: {type: string, enum: [x, y]}\n";
    let files = generator::generate(text, &Options::new("x")).expect("generates");
    let file = |name: &str| {
        files
            .iter()
            .find(|f| f.path.to_str() == Some(name))
            .map(|f| f.contents.clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let types = file("src/types.rs");
    for expected in [
        "pub struct ThingName {",
        "pub state: Option<État>,",
        "pub kind: Option<AB>,",
        "pub struct État {",
        "pub enum AB {",
    ] {
        assert!(types.contains(expected), "{expected} in:\n{types}");
    }
    let operations = file("src/operations.rs");
    assert!(
        operations.contains("type Output = crate::types::ThingName;"),
        "the success type in:\n{operations}"
    );
    // The one error body is the API's default decoding, in `api.rs`.
    let api = file("src/api.rs");
    assert!(
        api.contains("response.error_body::<crate::types::État>("),
        "the error body in:\n{api}"
    );
}

/// A 3.0 document written with 3.1 spellings reads as 3.1 would, with one
/// note per spelling.
#[test]
fn spellings_of_3_1_in_a_3_0_document_are_read_with_a_note() {
    let api = model(&read("tests/fixtures/spellings-3.0.yaml"));
    let Some(generator::model::TypeKind::Struct { fields, .. }) =
        api.type_named("Item").map(|t| &t.kind)
    else {
        panic!("Item");
    };
    let label = fields.iter().find(|f| f.wire == "label").expect("label");
    assert_eq!(
        (label.ty.clone(), label.nullable),
        (generator::model::TypeRef::String, true)
    );
    let parent = fields.iter().find(|f| f.wire == "parent").expect("parent");
    let parent_type = parent
        .ty
        .named()
        .map(|id| api.types[id.index()].name.as_str());
    assert_eq!(parent_type, Some("Ref"));
    assert!(parent.nullable);
    assert!(
        api.notes.contains(&"#/components/schemas/Item/properties/label: `type` as a list (`[string, \"null\"]`) is OpenAPI 3.1, in an OpenAPI 3.0.3 document: read as 3.1 reads it (2 places; this is the first)".to_string()),
        "{:?}",
        api.notes
    );
    assert_eq!(api.notes.len(), 5, "{:?}", api.notes);
    // The same document declared 3.1 reads the same, without the notes.
    let as_3_1 =
        read("tests/fixtures/spellings-3.0.yaml").replace("openapi: 3.0.3", "openapi: 3.1.0");
    let api_3_1 = model(&as_3_1);
    assert_eq!(api_3_1.types, api.types);
    assert!(api_3_1.notes.is_empty(), "{:?}", api_3_1.notes);
}

const DUPLICATES: &str = "tests/fixtures/duplicate-ids-3.0.yaml";

/// Reused operationIds (Bentley's iTwin documents): every duplicate is
/// reported in one run, with one overrides fragment that fixes them all.
#[test]
fn every_duplicate_operation_id_is_reported_with_one_fix() {
    let error = generator::generate(&read(DUPLICATES), &Options::new("x")).expect_err("duplicates");
    assert_eq!(
        error.to_string(),
        "3 problems:\n\
         #/paths/~1{id}/get/operationId: duplicate operationId `GetItwin`: also used at #/paths/~1/get; every operationId must be unique\n\
         #/paths/~1{id}~1repositories~1{repositoryId}/get/operationId: duplicate operationId `GetRepository`: also used at #/paths/~1{id}~1repositories/get; every operationId must be unique\n\
         #/paths/~1{id}~1repositories~1{repositoryId}/delete/operationId: duplicate operationId `GetRepository`: also used at #/paths/~1{id}~1repositories/get; every operationId must be unique\n\
         \n\
         To fix them all without editing the document, add to the overrides file (or let the generator pick these names: `cargo xtask codegen --auto-rename-duplicates`):\n\
         overrides:\n\
         \x20 - rename-operation: '#/paths/~1{id}/get'\n\
         \x20   operation-id: get_id\n\
         \x20 - rename-operation: '#/paths/~1{id}~1repositories~1{repositoryId}/get'\n\
         \x20   operation-id: get_id_repositories_repositoryId\n\
         \x20 - rename-operation: '#/paths/~1{id}~1repositories~1{repositoryId}/delete'\n\
         \x20   operation-id: delete_id_repositories_repositoryId"
    );

    // The fragment, pasted into an overrides file, fixes the document; the
    // opt-in renaming gives the same methods, each with a note.
    let fix = error.fix.as_deref().expect("a fix");
    let fragment = &fix[fix.find("overrides:").expect("the fragment")..];
    let mut document = parse_text(&read(DUPLICATES)).expect("parse");
    generator::overrides::Overrides::parse(fragment, "overrides.yaml")
        .expect("the fragment parses")
        .apply(&mut document)
        .expect("the fragment applies");
    let fixed = build(&load_value(document).expect("load")).expect("fixed");
    let mut options = Options::new("x");
    options.auto_rename_duplicates = true;
    let renamed =
        build_with(&load_str(&read(DUPLICATES)).expect("load"), &options).expect("renamed");
    let methods = |api: &generator::model::Api| {
        api.operations
            .iter()
            .map(|o| o.method_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        methods(&renamed),
        [
            "get_itwin",
            "get_id",
            "get_repository",
            "get_id_repositories_repository_id",
            "delete_id_repositories_repository_id"
        ]
    );
    assert_eq!(methods(&fixed), methods(&renamed));
    assert_eq!(
        renamed.notes,
        [
            "#/paths/~1{id}/get: operationId `GetItwin` is also used at #/paths/~1/get: renamed `get_id` (auto-rename-duplicates)",
            "#/paths/~1{id}~1repositories~1{repositoryId}/get: operationId `GetRepository` is also used at #/paths/~1{id}~1repositories/get: renamed `get_id_repositories_repositoryId` (auto-rename-duplicates)",
            "#/paths/~1{id}~1repositories~1{repositoryId}/delete: operationId `GetRepository` is also used at #/paths/~1{id}~1repositories/get: renamed `delete_id_repositories_repositoryId` (auto-rename-duplicates)",
        ]
    );
}

/// Different kinds of problems, in different stages, told in one run, each
/// at its place: a schema the typed parse refuses, a response that does not
/// fit, a dangling `$ref`, a shape the builder does not support, a
/// duplicate id. The rest of the document does not add problems of its own.
#[test]
fn every_problem_is_told_at_once() {
    let text = format!(
        "{HEADER}paths:\n\
         \x20 /a:\n    get: {{operationId: same, responses: {{'200': {{description: 5}}}}}}\n\
         \x20 /b:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n\
         \x20 /c:\n    get: {{operationId: same, responses: {{'204': {{description: ok}}}}}}\n\
         \x20 /d:\n    get:\n      parameters: [{{name: q, in: query, schema: {{type: object, properties: {{a: {{type: string}}}}}}}}]\n      responses: {{'204': {{description: ok}}}}\n\
         \x20 /e:\n    get:\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Nope'}}}}}}}}}}\n\
         \x20 /f:\n    get:\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}}}\n\
         components:\n  schemas:\n    A: {{type: strin}}\n    B: {{type: object, properties: {{n: {{type: integer, minimum: x}}}}}}\n"
    );
    let error = generator::generate(&text, &Options::new("x")).expect_err("problems");
    let kinds: Vec<ErrorKind> = error.problems.iter().map(|p| p.kind).collect();
    use ErrorKind::{Invalid, Reference, Unsupported};
    assert_eq!(
        kinds,
        [Invalid, Invalid, Invalid, Unsupported, Reference, Invalid]
    );
    let problems: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    // In the order the stages find them: the schema check, the typed parse
    // (paths, then components), the model builder, the duplicates.
    assert_eq!(
        problems,
        [
            "#/components/schemas/B/properties/n/minimum: does not match the OpenAPI schema: invalid type: string \"x\", expected a JSON number",
            "#/paths/~1a/get/responses/200/description: does not match the OpenAPI schema: invalid type: integer `5`, expected a string",
            "#/components/schemas/A/type: unknown type `strin`; expected one of string, integer, number, boolean, array, object, null",
            "#/paths/~1d/get/parameters/0: Query parameters of this shape (GetDQ) are not supported yet: use a scalar, a string enum, an array of them, or a oneOf/anyOf of those",
            "#/paths/~1e/get/responses/200/content/application~1json/schema: $ref `#/components/schemas/Nope` points at no schema: there is no `components/schemas/Nope`",
            "#/paths/~1c/get/operationId: duplicate operationId `same`: also used at #/paths/~1b/get; every operationId must be unique",
        ]
    );
    assert!(error
        .fix
        .as_deref()
        .is_some_and(|f| f.contains("'#/paths/~1c/get'")));
}

/// A group's cargo feature never takes a name the crate's own `Cargo.toml`
/// declares: every feature the template writes besides the groups' is in
/// `generator::RESERVED_FEATURES`.
#[test]
fn group_features_avoid_the_crates_own_features() {
    let api = model(&imodels_text());
    let manifest = read("generated-client/Cargo.toml");
    let features = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("a [features] table")
        .split("\n[")
        .next()
        .unwrap_or_default();
    let declared: Vec<&str> = features
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains(" = "))
        .filter_map(|l| l.split(" = ").next())
        .collect();
    let groups: Vec<&str> = api.groups.iter().map(|g| g.feature.as_str()).collect();
    assert_eq!(groups.len(), 8, "{groups:?}");
    for feature in &groups {
        assert!(declared.contains(feature), "{feature} not in {declared:?}");
    }
    let own: Vec<&&str> = declared.iter().filter(|f| !groups.contains(f)).collect();
    assert!(
        own.contains(&&"http2") && own.contains(&&"default"),
        "{own:?}"
    );
    for feature in own {
        assert!(
            generator::RESERVED_FEATURES.contains(feature),
            "the template declares `{feature}`, which RESERVED_FEATURES does not list"
        );
    }
}

/// Each type knows which groups (tags) use it; a component schema no
/// operation uses stays with everything it holds, always compiled; a type
/// made for a place nothing uses goes, with a note.
#[test]
fn types_record_the_groups_that_use_them() {
    let api = model(&format!("{HEADER}paths:\n  /a:\n    get:\n      tags: [first]\n      operationId: getA\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/A'}}}}}}}}}}\n  /b:\n    get:\n      tags: [second]\n      operationId: getB\n      responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/B'}}}}}}}}}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{c: {{$ref: '#/components/schemas/C'}}}}}}\n    B: {{type: object, properties: {{c: {{$ref: '#/components/schemas/C'}}}}}}\n    C: {{type: object, properties: {{n: {{type: integer}}}}}}\n    Webhook: {{type: object, properties: {{kind: {{type: string, enum: [p, q]}}}}}}\n"));
    let groups: Vec<&str> = api.groups.iter().map(|g| g.feature.as_str()).collect();
    assert_eq!(groups, ["first", "second"]);
    let used: Vec<(&str, &[usize])> = api
        .types
        .iter()
        .map(|t| (t.name.as_str(), t.used_by.as_slice()))
        .collect();
    assert_eq!(
        used,
        [
            ("A", &[0][..]),
            ("B", &[1][..]),
            ("C", &[0, 1][..]),
            ("Webhook", &[0, 1][..]),
            ("WebhookKind", &[0, 1][..]),
        ]
    );
    // (`imodels_model` shows a type left out: `Prefer`, whose only use
    // `x-variants` replaced.)
    assert!(api.notes.is_empty(), "{:?}", api.notes);
}
