//! Mutation fuzzing of the whole pipeline (load → build → emit).
//!
//! Real documents are mutated at random (keys deleted, values swapped for
//! another JSON type, `$ref`s pointed at random, cyclic or missing targets,
//! subtrees copied elsewhere or nested deeply, the text truncated or sprinkled
//! with random bytes) and fed to [`generator::generate`]. The property: it
//! returns, in bounded time, either files or an [`generator::Error`] whose
//! pointer starts with `#` and whose message is not empty. A panic, a stack
//! overflow (which aborts the test binary) or a hang fails the test.
//!
//! `cargo test` runs a short pass. For a longer one:
//!
//! ```sh
//! FUZZ_CASES=5000 cargo test --release -p openapi-rust-generator --test fuzz
//! ```
//!
//! `FUZZ_SEED=<u64>` replays one run (the seed of a failing run is printed).
//! A case that ever fails is kept at the end of this file as a regression test.

#[path = "fuzz/cases.rs"]
mod cases;

use std::time::Duration;

use cases::*;
use proptest::test_runner::TestCaseError;
use serde_json::Value;

/// [`FIXED_SEED`] and a seed from the clock; `FUZZ_SEED` replays one seed
/// alone.
fn seeds() -> Vec<u64> {
    match std::env::var("FUZZ_SEED").ok().and_then(|v| v.parse().ok()) {
        Some(seed) => vec![seed],
        None => {
            let rotating = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            vec![FIXED_SEED, rotating]
        }
    }
}

#[test]
fn mutated_documents_never_panic_or_hang() {
    let corpus = corpus();
    let cases = cases();
    let seeds = seeds();
    println!("FUZZ_SEED={seeds:?} FUZZ_CASES={cases}");
    let failures: Vec<String> = seeds
        .iter()
        .filter_map(|seed| fuzz(&corpus, *seed, cases).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{}\n(replay one with FUZZ_SEED=<seed>; keep the case as a regression test below)",
        failures.join("\n")
    );
}

/// The property's pointer check can fail: a pointer to a place the
/// document lacks is caught, a missing key's parent is accepted.
#[test]
fn pointers_must_name_a_place_in_the_document() {
    let document = serde_json::json!({"info": {"title": "t"}, "paths": {"/a/b": {}}});
    assert!(resolves(&document, "#/paths/~1a~1b", "anything"));
    assert!(resolves(&document, "#", "anything"));
    assert!(resolves(
        &document,
        "#/info/version",
        "missing field `version`"
    ));
    assert!(!resolves(&document, "#/info/version", "not a string"));
    assert!(!resolves(
        &document,
        "#/components/schemas/A",
        "missing field `A`"
    ));
    assert!(!resolves(&document, "/paths", "anything"));
}

/// A schema `depth` levels deep around `leaf`, which has a mistake.
fn deep_mistake(depth: usize, leaf: Value) -> String {
    let mut schema = leaf;
    for level in 0..depth {
        schema = match level % 3 {
            0 => serde_json::json!({"type": "array", "items": schema}),
            1 => serde_json::json!({"properties": {"p": schema}}),
            _ => serde_json::json!({"allOf": [schema]}),
        };
    }
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": schema}},
    })
    .to_string()
}

/// Found by this fuzzer: a mistake 300 (then 44) schemas deep made the typed parse
/// retry every enclosing schema, about 2^depth parses (a hang). Now it is
/// found in one pass and named precisely.
#[test]
fn regression_deep_mistake_is_found_fast() {
    let started = std::time::Instant::now();
    let bad_keyword = serde_json::json!({"type": "string", "maxLength": "long"});
    // Found second: a part of an allOf that is not a schema at all.
    let not_a_schema = serde_json::json!({"allOf": ["#/"]});
    for leaf in [&bad_keyword, &not_a_schema] {
        assert_eq!(check(deep_mistake(30, leaf.clone())), Ok(()));
    }
    // About 2^30 parses before the fix: hours. Well under a second now, so
    // a minute (a debug build on a loaded machine) still tells them apart.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(60), "{elapsed:?}");
    let err = generator::generate(&deep_mistake(6, bad_keyword), &generator::Options::new("x"))
        .expect_err("maxLength must be a number");
    assert_eq!(
        err.to_string(),
        "#/components/schemas/A/allOf/0/properties/p/items/allOf/0/properties/p/items/maxLength: \
         does not match the OpenAPI schema: invalid type: string \"long\", expected usize"
    );
}

/// Overlays are input too: the iModels overlays, mutated like documents
/// (their targets, updates and fields deleted, retyped, copied), applied in
/// order to the vendor's document. The property: each applies or gives an
/// error naming its file; no panic. It runs on a thread with the stack of a
/// program's main thread, where `cargo xtask codegen` applies overlays: a
/// mutation nests values hundreds deep (deeper than the YAML and JSON
/// parsers let text be), and the default 2 MiB of a test thread overflowed
/// once in a debug build.
#[test]
fn mutated_overlays_never_panic() {
    let worker = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(overlay_fuzz)
        .expect("a thread");
    if let Err(panic) = worker.join() {
        std::panic::resume_unwind(panic);
    }
}

fn overlay_fuzz() {
    let root = workspace_root();
    let config = root.join("spec/codegen.yaml");
    let sources = generator::Sources::from_config(&config).expect("config");
    let vendor = generator::load_files(&sources.documents)
        .expect("the vendor's document")
        .document;
    let overlays: Vec<(String, Value)> = sources
        .overlays
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("read an overlay");
            let value = generator::parse_text(&text).expect("parse an overlay");
            (path.display().to_string(), value)
        })
        .collect();
    let strategy = (
        0..overlays.len(),
        proptest::collection::vec(mutation(), 1..6),
    );
    let mut failures = Vec::new();
    for seed in seeds() {
        let result = runner(seed, cases()).run(&strategy, |(which, mutations)| {
            let mut doc = vendor.clone();
            for (i, (name, overlay)) in overlays.iter().enumerate() {
                let mut overlay = overlay.clone();
                if i == which {
                    for m in &mutations {
                        apply(&mut overlay, m);
                    }
                }
                let outcome = generator::overlay::Overlay::from_value(&overlay, name)
                    .and_then(|o| o.apply(&mut doc));
                if let Err(e) = outcome {
                    let unlocated = e
                        .problems
                        .iter()
                        .any(|p| !p.pointer.starts_with(name.as_str()) || p.message.is_empty());
                    if e.problems.is_empty() || unlocated {
                        return Err(TestCaseError::fail(format!("unlocated error: {e:?}")));
                    }
                    // A broken overlay is the overlay's problem, not the
                    // document's or the generator's.
                    if !e
                        .problems
                        .iter()
                        .all(|p| p.kind == generator::ErrorKind::Overlay)
                    {
                        return Err(TestCaseError::fail(format!(
                            "not an overlay problem: {e:?}"
                        )));
                    }
                    break;
                }
            }
            Ok(())
        });
        if let Err(failure) = result {
            failures.push(format!("FUZZ_SEED={seed}: {failure}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
