//! The generator library alone, stage by stage, on the iModels document and
//! (when the shared folder sits beside the repository) larger real ones.
//!
//! `cargo bench -p openapi-rust-generator --bench generate`; see BENCHMARKS.md.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The iModels document: the vendor's file with the overlays of
/// `spec/codegen.yaml` applied (what `cargo xtask codegen` reads).
fn imodels() -> generator::Sources {
    generator::Sources::from_config(&root().join("spec/codegen.yaml")).expect("spec/codegen.yaml")
}

/// (label, text) of every document to measure that exists here. The iModels
/// document is written back as YAML, as it was measured before overlays.
fn documents() -> Vec<(String, String)> {
    let root = root();
    let imodels = imodels().load().expect("the iModels overlays apply");
    let imodels = serde_yaml::to_string(imodels.document()).expect("YAML");
    let mut documents = vec![("imodels (overlaid)".to_string(), imodels)];
    documents.extend(
        [
            root.join("../shared/specs/propolis-server.json"),
            root.join("../shared/specs/api.github.com.json"),
        ]
        .into_iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let label = path.file_name()?.to_string_lossy().into_owned();
            Some((label, text))
        }),
    );
    documents
}

fn stages(c: &mut Criterion) {
    // Reading the vendor's document and the overlays and applying them:
    // what the overlays add to a `cargo xtask codegen` of the iModels client.
    let sources = imodels();
    let mut group = c.benchmark_group("imodels sources");
    group.sample_size(20);
    group.bench_function("load (merge + overlays)", |b| b.iter(|| sources.load()));
    group.finish();
    let options = generator::Options::new("bench-client");
    for (label, text) in documents() {
        let mut group = c.benchmark_group(label.as_str());
        group.sample_size(20);
        group.bench_function("parse_text", |b| b.iter(|| generator::parse_text(&text)));
        group.bench_function("load_str", |b| b.iter(|| generator::load_str(&text)));
        let Ok(loaded) = generator::load_str(&text) else {
            continue;
        };
        group.bench_function("build", |b| b.iter(|| generator::build(&loaded)));
        // The GitHub description does not build yet (a oneOf path parameter):
        // its figures stop at load.
        let Ok(api) = generator::build(&loaded) else {
            continue;
        };
        group.bench_function("emit", |b| b.iter(|| generator::emit_crate(&api, &options)));
        group.bench_function("generate", |b| {
            b.iter(|| generator::generate(&text, &options))
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
