//! The fuzz cases: the documents, their mutations, and the property each
//! generated case must hold. Shared by `fuzz.rs` and by the fixture
//! compile check (`tests/compile_fixtures.rs`), which compiles a sample of
//! the fixed seed's documents that generate.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Map, Value};

/// How long one case may take before we call it a hang. Generous, because a
/// debug build on a shared machine is slow; a real hang does not finish at all.
pub const CASE_TIME_LIMIT: Duration = Duration::from_secs(30);

/// The stack the generator gets: that of a program's main thread on Linux,
/// where `cargo xtask codegen` runs it.
pub const STACK_SIZE: usize = 8 * 1024 * 1024;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// The documents to mutate: the iModels document (the vendor's file with
/// our overlays), the fixtures, and (when the shared folder sits beside the
/// repository, as on the team's machines and CI) two small real-world
/// documents.
pub fn corpus() -> Vec<(String, Value, bool)> {
    let root = workspace_root();
    let config = root.join("spec/codegen.yaml");
    let imodels = generator::Sources::from_config(&config)
        .and_then(|sources| sources.load())
        .unwrap_or_else(|e| panic!("{}: {e}", config.display()));
    let mut documents = vec![(config.display().to_string(), imodels.merged.document, true)];
    let mut files = Vec::new();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures"))
        .map(|dir| {
            dir.filter_map(|e| e.ok().map(|e| e.path()))
                // Single documents only: multi-document fixtures live in folders.
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    fixtures.sort();
    files.extend(fixtures);
    let shared = root.join("../shared/specs");
    for name in ["keeper.json", "propolis-server.json"] {
        let path = shared.join(name);
        if path.exists() {
            files.push(path);
        } else if std::env::var_os("CI").is_some() {
            // CI lays the shared folder beside the repository: without it
            // these documents would silently drop out of the fuzz pass.
            panic!("{} is missing", path.display());
        } else {
            eprintln!("NOT FUZZED: {} is missing; CI fails here", path.display());
        }
    }
    documents.extend(files.into_iter().map(|path| {
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        let value = generator::parse_text(&text)
            .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
        let yaml = path.extension().is_some_and(|e| e != "json");
        (path.display().to_string(), value, yaml)
    }));
    documents
}

/// One change to the document's JSON value. Numbers pick nodes and targets
/// modulo what exists, so every mutation applies to every document.
#[derive(Debug, Clone)]
pub enum Mutation {
    DeleteKey(u32),
    SwapType(u32, u8),
    InsertRef(u32, u32, u8),
    Nest(u32, u16, u8),
    Copy(u32, u32),
}

/// One change to the text after the value is written out again.
#[derive(Debug, Clone)]
pub enum TextMutation {
    None,
    Truncate(u32),
    InsertBytes(u32, Vec<u8>),
}

#[derive(Debug, Clone)]
pub struct Case {
    pub document: usize,
    pub mutations: Vec<Mutation>,
    pub as_yaml: bool,
    pub text: TextMutation,
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<u32>().prop_map(Mutation::DeleteKey),
        3 => (any::<u32>(), any::<u8>()).prop_map(|(n, k)| Mutation::SwapType(n, k)),
        3 => (any::<u32>(), any::<u32>(), any::<u8>()).prop_map(|(n, t, k)| Mutation::InsertRef(n, t, k)),
        1 => (any::<u32>(), 1u16..400, any::<u8>()).prop_map(|(n, d, k)| Mutation::Nest(n, d, k)),
        2 => (any::<u32>(), any::<u32>()).prop_map(|(a, b)| Mutation::Copy(a, b)),
    ]
}

pub fn text_mutation() -> impl Strategy<Value = TextMutation> {
    prop_oneof![
        6 => Just(TextMutation::None),
        1 => any::<u32>().prop_map(TextMutation::Truncate),
        1 => (any::<u32>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| TextMutation::InsertBytes(at, bytes)),
    ]
}

pub fn case(documents: usize) -> impl Strategy<Value = Case> {
    (
        0..documents,
        proptest::collection::vec(mutation(), 1..6),
        any::<bool>(),
        text_mutation(),
    )
        .prop_map(|(document, mutations, as_yaml, text)| Case {
            document,
            mutations,
            as_yaml,
            text,
        })
}

#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Paths to every node, parents before children.
pub fn node_paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    path.push(Step::Key(k.clone()));
                    walk(v, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(v, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

pub fn node_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

pub fn pointer_of(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

pub fn pick(paths: &[Vec<Step>], n: u32) -> &[Step] {
    &paths[n as usize % paths.len()]
}

pub fn apply(doc: &mut Value, mutation: &Mutation) {
    let paths = node_paths(doc);
    match *mutation {
        Mutation::DeleteKey(n) => {
            let path = pick(&paths, n);
            if let Some((Step::Key(k), parent)) = path.split_last() {
                if let Some(Value::Object(map)) = node_mut(doc, parent) {
                    map.shift_remove(k);
                }
            }
        }
        Mutation::SwapType(n, kind) => {
            let replacement = match kind % 7 {
                0 => Value::Null,
                1 => Value::Bool(kind % 2 == 0),
                2 => Value::from(-(kind as i64) * 1_000_000_007),
                3 => Value::from(0.5),
                4 => Value::String(["", "object", "x", "{id}", "#/"][kind as usize % 5].into()),
                5 => Value::Array(vec![Value::Null]),
                _ => Value::Object(Map::new()),
            };
            if let Some(node) = node_mut(doc, pick(&paths, n)) {
                *node = replacement;
            }
        }
        Mutation::InsertRef(n, target, kind) => {
            let node_path = pick(&paths, n).to_vec();
            let reference = match kind % 5 {
                // Any place in the document, the node itself, or its parent:
                // the last two make cycles.
                0 => pointer_of(pick(&paths, target)),
                1 => pointer_of(&node_path),
                2 => pointer_of(&node_path[..node_path.len().saturating_sub(1)]),
                3 => format!("#/components/schemas/Missing{target}"),
                _ => ["", "#", "other.yaml#/x", "#/components/schemas/", "%%"][target as usize % 5]
                    .to_string(),
            };
            if let Some(node) = node_mut(doc, &node_path) {
                let mut map = Map::new();
                map.insert("$ref".into(), Value::String(reference));
                *node = Value::Object(map);
            }
        }
        Mutation::Nest(n, depth, kind) => {
            if let Some(node) = node_mut(doc, pick(&paths, n)) {
                let mut inner = node.take();
                for level in 0..depth {
                    let mut map = Map::new();
                    match (kind as u16 + level) % 4 {
                        0 => {
                            map.insert("type".into(), "array".into());
                            map.insert("items".into(), inner);
                        }
                        1 => {
                            let mut props = Map::new();
                            props.insert("p".into(), inner);
                            map.insert("properties".into(), Value::Object(props));
                        }
                        2 => {
                            map.insert("allOf".into(), Value::Array(vec![inner]));
                        }
                        _ => {
                            map.insert("oneOf".into(), Value::Array(vec![inner]));
                        }
                    }
                    inner = Value::Object(map);
                }
                *node = inner;
            }
        }
        Mutation::Copy(from, to) => {
            let source = node_mut(doc, pick(&paths, from)).map(|v| v.clone());
            if let (Some(source), Some(node)) = (source, node_mut(doc, pick(&paths, to))) {
                *node = source;
            }
        }
    }
}

pub fn render(case: &Case, corpus: &[(String, Value, bool)]) -> String {
    let (_, original, yaml) = &corpus[case.document];
    let mut doc = original.clone();
    for m in &case.mutations {
        apply(&mut doc, m);
    }
    let mut text = if case.as_yaml && *yaml {
        serde_yaml::to_string(&doc).unwrap_or_default()
    } else {
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    };
    match &case.text {
        TextMutation::None => {}
        TextMutation::Truncate(at) => {
            let mut cut = *at as usize % (text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        TextMutation::InsertBytes(at, bytes) => {
            let mut raw = text.into_bytes();
            let at = *at as usize % (raw.len() + 1);
            raw.splice(at..at, bytes.iter().copied());
            text = String::from_utf8_lossy(&raw).into_owned();
        }
    }
    text
}

/// Whether `pointer` (`#/a/b`) names a place in `document`: the node
/// itself, or, for a key the message says is missing, its parent object.
pub fn resolves(document: &Value, pointer: &str, message: &str) -> bool {
    let Some(path) = pointer.strip_prefix('#') else {
        return false;
    };
    if document.pointer(path).is_some() {
        return true;
    }
    let Some((parent, key)) = path.rsplit_once('/') else {
        return false;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    document.pointer(parent).is_some_and(Value::is_object)
        && message.contains("missing")
        && message.contains(&key)
}

/// Runs the generator on `text` in a thread of its own (so a hang can be
/// told from slowness) and checks the property: files, or problems that
/// each say something and point at a place the document has (where the
/// text still parses; a truncated one is located at `#`), none of them a
/// generator bug (`ErrorKind::Internal`).
pub fn check(text: String) -> Result<(), String> {
    check_outcome(text).map(drop)
}

/// [`check`], giving the files when the document generated.
pub fn check_outcome(text: String) -> Result<Option<Vec<generator::CrateFile>>, String> {
    let (tx, rx) = mpsc::channel();
    let document = generator::parse_text(&text).ok();
    let worker = std::thread::Builder::new()
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let result = generator::generate(&text, &generator::Options::new("fuzzed"));
            let _ = tx.send(result);
        })
        .map_err(|e| format!("cannot start a thread: {e}"))?;
    match rx.recv_timeout(CASE_TIME_LIMIT) {
        Ok(Ok(files)) => Ok(Some(files)),
        Ok(Err(e)) if e.problems.is_empty() => Err(format!("an error without problems: {e:?}")),
        // Every problem is located and says something.
        Ok(Err(e)) => {
            for p in &e.problems {
                if !p.pointer.starts_with('#') || p.message.is_empty() {
                    return Err(format!("error without a location: {p:?}"));
                }
                if p.kind == generator::ErrorKind::Internal {
                    return Err(format!("a generator bug: {p:?}"));
                }
                if let Some(document) = &document {
                    if !resolves(document, &p.pointer, &p.message) {
                        return Err(format!(
                            "error at a place the document does not have: {p:?}"
                        ));
                    }
                }
            }
            Ok(None)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("no answer within {CASE_TIME_LIMIT:?}: a hang?"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(payload) => Err(format!(
                "panicked: {}",
                payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            )),
            Ok(()) => Err("the worker stopped without an answer".into()),
        },
    }
}

/// The seed every run tries, beside one that changes from run to run: the
/// fixed cases make a regression fail on every run (not one run in many),
/// the rotating ones keep looking further.
pub const FIXED_SEED: u64 = 19;

/// How many cases each seed runs (`FUZZ_CASES`, else 40).
pub fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40)
}

/// A proptest runner that draws from `seed`.
pub fn runner(seed: u64, cases: u32) -> TestRunner {
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        // Each shrinking step reruns the generator; a hanging case costs
        // CASE_TIME_LIMIT per step.
        max_shrink_iters: 64,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    )
}

/// One fuzz pass of `cases` cases drawn from `seed`.
pub fn fuzz(corpus: &[(String, Value, bool)], seed: u64, cases: u32) -> Result<(), String> {
    let result = runner(seed, cases).run(&case(corpus.len()), |case| {
        let text = render(&case, corpus);
        check(text).map_err(|message| {
            // Printed as found: shrinking a hang takes a while.
            eprintln!("failing case (FUZZ_SEED={seed}): {message}: {case:?}");
            TestCaseError::fail(format!("{message} (document {})", corpus[case.document].0))
        })
    });
    result.map_err(|failure| format!("FUZZ_SEED={seed}: {failure}"))
}
