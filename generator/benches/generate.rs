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

/// (label, text) of every document to measure that exists here.
fn documents() -> Vec<(String, String)> {
    let root = root();
    [
        root.join("spec/imodels-v2.yaml"),
        root.join("../shared/specs/propolis-server.json"),
        root.join("../shared/specs/api.github.com.json"),
    ]
    .into_iter()
    .filter_map(|path| {
        let text = std::fs::read_to_string(&path).ok()?;
        let label = path.file_name()?.to_string_lossy().into_owned();
        Some((label, text))
    })
    .collect()
}

fn stages(c: &mut Criterion) {
    let options = generator::Options::new("bench-client");
    for (label, text) in documents() {
        let mut group = c.benchmark_group(label.as_str());
        group.sample_size(20);
        group.bench_function("parse_text", |b| {
            b.iter(|| generator::load::parse_text(&text))
        });
        group.bench_function("load_str", |b| b.iter(|| generator::load::load_str(&text)));
        let Ok(loaded) = generator::load::load_str(&text) else {
            continue;
        };
        group.bench_function("build", |b| b.iter(|| generator::build::build(&loaded)));
        // The GitHub description does not build yet (a oneOf path parameter):
        // its figures stop at load.
        let Ok(api) = generator::build::build(&loaded) else {
            continue;
        };
        group.bench_function("emit", |b| {
            b.iter(|| generator::emit::emit_crate(&api, &options))
        });
        group.bench_function("generate", |b| {
            b.iter(|| generator::generate(&text, &options))
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
