//! The generator's layers, checked: no import cycles between its modules,
//! and no stage reaching into a later one.
//!
//! The compiler enforces privacy but not direction: `emit::extras` and
//! `emit::operations` could call each other, or `load` reach into `build`,
//! and everything would still compile. This test reads the sources with syn,
//! collects every path a module names (`use` items and paths in code, not
//! the contents of `quote!`, which are the generated crate's paths, and not
//! `#[cfg(test)]` items), and fails naming the files of each cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module by its path below the crate root (`["emit", "extras"]`).
type Module = Vec<String>;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                source_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(src: &Path, file: &Path) -> Module {
    let relative = file.strip_prefix(src).expect("a file below src");
    let mut parts: Module = relative
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Every path a file names, as written (`crate::names::snake`,
/// `super::gates::Gates`, `types::emit`), outside test-only items.
#[derive(Default)]
struct Paths(Vec<Vec<String>>);

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Impl(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test_only(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        use_paths(&item.tree, &mut Vec::new(), &mut self.0);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

/// The module a path names, if it is one of the crate's: the longest
/// prefix that is a known module, read from `here`.
fn target(here: &Module, path: &[String], modules: &BTreeSet<Module>) -> Option<Module> {
    let (mut base, rest, anchored): (Module, &[String], bool) = match path.first()?.as_str() {
        "crate" => (Vec::new(), &path[1..], true),
        "super" => {
            let ups = path.iter().take_while(|s| *s == "super").count();
            (
                here[..here.len().saturating_sub(ups)].to_vec(),
                &path[ups..],
                true,
            )
        }
        "self" => (here.clone(), &path[1..], true),
        // A child module named without `self::` (2018 paths).
        _ => (here.clone(), path, false),
    };
    let mut found = anchored.then(|| base.clone());
    for segment in rest {
        base.push(segment.clone());
        if !modules.contains(&base) {
            break;
        }
        found = Some(base.clone());
    }
    found
}

/// Edges between the modules one level below `parent` (every deeper module
/// counted as its ancestor at that level); a module's use of its own parent
/// or children is not an edge.
fn level_edges(
    parent: &[String],
    uses: &BTreeMap<Module, BTreeSet<Module>>,
) -> BTreeMap<String, BTreeSet<String>> {
    let child = |m: &Module| -> Option<String> {
        (m.len() > parent.len() && m.starts_with(parent)).then(|| m[parent.len()].clone())
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, targets) in uses {
        let Some(a) = child(from) else { continue };
        for to in targets {
            if let Some(b) = child(to) {
                if a != b {
                    edges.entry(a.clone()).or_default().insert(b);
                }
            }
        }
    }
    edges
}

/// Each cycle once, as the modules along it.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn reaches(
        edges: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in edges.get(from).into_iter().flatten() {
            if next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if reaches(edges, next, to, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut found = Vec::new();
    let mut covered: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for start in edges.keys() {
        let mut path = vec![start.clone()];
        if reaches(edges, start, start, &mut path, &mut BTreeSet::new()) {
            let members: BTreeSet<String> = path.iter().cloned().collect();
            if covered.insert(members) {
                found.push(path);
            }
        }
    }
    found
}

struct Crate {
    uses: BTreeMap<Module, BTreeSet<Module>>,
    /// Every path each module's non-test code writes, as its segments.
    paths: BTreeMap<Module, Vec<Vec<String>>>,
}

fn read_crate() -> Crate {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<Module> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut uses = BTreeMap::new();
    let mut all_paths = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a readable source file");
        let ast = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths::default();
        paths.visit_file(&ast);
        let here = module_of(&src, file);
        let targets: BTreeSet<Module> = paths
            .0
            .iter()
            .filter_map(|p| target(&here, p, &modules))
            .filter(|t| *t != here)
            .collect();
        uses.insert(here.clone(), targets);
        all_paths.insert(here, paths.0);
    }
    Crate {
        uses,
        paths: all_paths,
    }
}

fn describe(parent: &[String], cycle: &[String]) -> String {
    let name = |m: &String| {
        let mut path = parent.to_vec();
        path.push(m.clone());
        path.join("::")
    };
    let mut text: Vec<String> = cycle.iter().map(name).collect();
    text.push(name(&cycle[0]));
    text.join(" → ")
}

#[test]
fn no_module_cycles_at_any_level() {
    let krate = read_crate();
    let parents: BTreeSet<Module> = krate
        .uses
        .keys()
        .map(|m| m[..m.len().saturating_sub(1)].to_vec())
        .collect();
    let mut problems = Vec::new();
    for parent in &parents {
        for cycle in cycles(&level_edges(parent, &krate.uses)) {
            problems.push(describe(parent, &cycle));
        }
    }
    assert!(
        problems.is_empty(),
        "import cycles:\n  {}",
        problems.join("\n  ")
    );
}

/// The stages in the order data flows; a module may use its own stage and
/// earlier ones, never a later one.
const STAGES: &[&[&str]] = &[
    &[
        "error",
        "http",
        "names",
        "options",
        "pointer",
        "schema_walk",
    ],
    &[
        "sources",
        "documents",
        "overlay",
        "overrides",
        "refs",
        "normalize",
        "oas32",
        "precheck",
        "load",
    ],
    &["model"],
    &["build"],
    &["emit", "report", "output"],
    &["cli"],
];

#[test]
fn no_stage_reaches_into_a_later_one() {
    let krate = read_crate();
    let rank = |m: &Module| {
        let top = m.first()?;
        STAGES.iter().position(|s| s.contains(&top.as_str()))
    };
    let mut problems = Vec::new();
    for (from, targets) in &krate.uses {
        let Some(a) = rank(from) else { continue };
        for to in targets {
            if let Some(b) = rank(to) {
                if b > a {
                    problems.push(format!("{} uses {}", from.join("::"), to.join("::")));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "stages reaching forward:\n  {}",
        problems.join("\n  ")
    );
}

/// The model builder and the emitter are functions of the document and the
/// options: what they need from files (templates, examples) the driver
/// reads and hands over (`Options::templates`), so a build script or a test
/// can run them from memory.
#[test]
fn building_and_emitting_do_no_io() {
    let krate = read_crate();
    let pure = ["model", "build", "emit"];
    let io = [
        ["std", "fs"],
        ["std", "net"],
        ["std", "process"],
        ["std", "env"],
    ];
    let mut problems = Vec::new();
    for (module, paths) in &krate.paths {
        if !module
            .first()
            .is_some_and(|top| pure.contains(&top.as_str()))
        {
            continue;
        }
        for path in paths {
            if io.iter().any(|p| path.len() >= 2 && path[..2] == *p) {
                problems.push(format!("{}: {}", module.join("::"), path.join("::")));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "I/O in the pure stages:\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn every_top_level_module_has_a_stage() {
    let krate = read_crate();
    let tops: BTreeSet<&String> = krate.uses.keys().filter_map(|m| m.first()).collect();
    let missing: Vec<_> = tops
        .into_iter()
        .filter(|t| !STAGES.iter().any(|s| s.contains(&t.as_str())))
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a stage in STAGES: {missing:?}"
    );
}

#[test]
fn the_checker_sees_a_cycle_and_a_path_through_super() {
    let modules: BTreeSet<Module> = [
        vec!["emit".into()],
        vec!["emit".into(), "a".into()],
        vec!["emit".into(), "b".into()],
    ]
    .into_iter()
    .collect();
    let a: Module = vec!["emit".into(), "a".into()];
    let b: Module = vec!["emit".into(), "b".into()];
    let via_super = ["super", "b", "thing"].map(String::from);
    assert_eq!(target(&a, &via_super, &modules), Some(b.clone()));
    let via_crate = ["crate", "emit", "a", "f"].map(String::from);
    assert_eq!(target(&b, &via_crate, &modules), Some(a.clone()));
    let uses = BTreeMap::from([
        (a.clone(), BTreeSet::from([b.clone()])),
        (b, BTreeSet::from([a])),
    ]);
    let found = cycles(&level_edges(&["emit".to_owned()], &uses));
    assert_eq!(found, vec![vec!["a".to_owned(), "b".to_owned()]]);
}
