//! What changed in a generated crate's public API between two generations,
//! and whether semver would call each change breaking.
//!
//! The rules, from the caller's side (the Cargo book's semver chapter):
//! removing or retyping anything a caller names is breaking; a new method
//! argument is breaking (every call must change), a new builder setter is
//! not; a new required struct field is breaking (it must be supplied), a new
//! optional one is not; a new string-enum variant is not breaking when the
//! enum has an `Other` catch-all (the value was already accepted, as
//! `Other`); a new union variant is (untagged unions have no catch-all). A
//! changed endpoint or base URL does not change the Rust API and is listed as
//! not breaking, but listed.

use std::collections::HashMap;

use crate::emit::surface::{Member, OperationSurface, Shape, Surface, TypeSurface};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub breaking: bool,
    /// What it concerns: `get_items`, `types::Item`, `base URL`.
    pub item: String,
    /// What happened, one line of Markdown.
    pub text: String,
}

/// Every change, in the order of the new surface (removals after).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// Compares the API before and after.
pub fn diff(before: &Surface, after: &Surface) -> Report {
    let mut report = Report::default();
    if before.base_url != after.base_url {
        report.push(
            false,
            "base URL",
            format!(
                "default base URL changed from {} to {}",
                shown(&before.base_url),
                shown(&after.base_url)
            ),
        );
    }
    // The surfaces name their items: one index per side, built once.
    let old_ops = by_name(&before.operations, |o| &o.name);
    let new_ops = by_name(&after.operations, |o| &o.name);
    let old_types = by_name(&before.types, |t| &t.name);
    let new_types = by_name(&after.types, |t| &t.name);
    for op in &after.operations {
        match old_ops.get(op.name.as_str()) {
            None => report.push(
                false,
                &op.name,
                format!("operation added (`{}`)", op.endpoint),
            ),
            Some(old) => operation(&mut report, old, op),
        }
    }
    for op in &before.operations {
        if !new_ops.contains_key(op.name.as_str()) {
            report.push(
                true,
                &op.name,
                format!("operation removed (was `{}`)", op.endpoint),
            );
        }
    }
    for def in &after.types {
        let item = format!("types::{}", def.name);
        match old_types.get(def.name.as_str()) {
            None => report.push(false, &item, "type added".to_string()),
            Some(old) => type_change(&mut report, &item, old, def),
        }
    }
    for def in &before.types {
        if !new_types.contains_key(def.name.as_str()) {
            report.push(true, &format!("types::{}", def.name), "type removed".into());
        }
    }
    report
}

/// Items by name; the first of a name, should two share one.
fn by_name<T>(items: &[T], name: impl Fn(&T) -> &String) -> HashMap<&str, &T> {
    let mut index = HashMap::with_capacity(items.len());
    for item in items {
        index.entry(name(item).as_str()).or_insert(item);
    }
    index
}

fn feature_words(feature: &Option<String>) -> String {
    feature
        .as_ref()
        .map_or("every build".to_string(), |f| format!("feature `{f}`"))
}

fn shown(url: &Option<String>) -> String {
    url.as_ref()
        .map_or("(none)".to_string(), |u| format!("`{u}`"))
}

fn operation(report: &mut Report, old: &OperationSurface, new: &OperationSurface) {
    let item = &new.name;
    if old.endpoint != new.endpoint {
        report.push(
            false,
            item,
            format!("now calls `{}` (was `{}`)", new.endpoint, old.endpoint),
        );
    }
    if old.module != new.module {
        // Its builder and output types are named by another path now.
        report.push(
            true,
            item,
            format!(
                "moved to `{}` (was `{}`)",
                new.module.as_deref().unwrap_or("operations"),
                old.module.as_deref().unwrap_or("operations")
            ),
        );
    }
    if old.feature != new.feature {
        // A crate built with only some features may lose the method.
        report.push(
            new.feature.is_some(),
            item,
            format!(
                "compiled by {} (was {})",
                feature_words(&new.feature),
                feature_words(&old.feature)
            ),
        );
    }
    members(report, item, "argument", &old.args, &new.args, |_| true);
    let setters = (&old.setters, &new.setters);
    members(report, item, "setter", setters.0, setters.1, |_| false);
    members(report, item, "method", &old.extras, &new.extras, |_| false);
    if old.output != new.output {
        report.push(
            true,
            item,
            format!("returns `{}` (was `{}`)", new.output, old.output),
        );
    }
}

/// Members added, removed and retyped; `added_breaks` says whether a new one
/// breaks callers (an argument does, a setter does not).
fn members(
    report: &mut Report,
    item: &str,
    what: &str,
    old: &[Member],
    new: &[Member],
    added_breaks: impl Fn(&Member) -> bool,
) {
    for m in new {
        match old.iter().find(|o| o.name == m.name) {
            None => report.push(
                added_breaks(m),
                item,
                format!("{what} `{}: {}` added", m.name, m.ty),
            ),
            Some(o) if o.ty != m.ty => report.push(
                true,
                item,
                format!("{what} `{}` is now `{}` (was `{}`)", m.name, m.ty, o.ty),
            ),
            Some(_) => {}
        }
    }
    for o in old {
        if !new.iter().any(|m| m.name == o.name) {
            report.push(true, item, format!("{what} `{}: {}` removed", o.name, o.ty));
        }
    }
}

fn type_change(report: &mut Report, item: &str, old: &TypeSurface, new: &TypeSurface) {
    match (&old.shape, &new.shape) {
        (
            Shape::Struct {
                fields: old_fields,
                additional: old_more,
                non_exhaustive: was_non_exhaustive,
            },
            Shape::Struct {
                fields,
                additional,
                non_exhaustive,
            },
        ) => {
            if non_exhaustive != was_non_exhaustive {
                // A struct literal outside the crate stops compiling.
                let (breaking, now) = if *non_exhaustive {
                    (
                        true,
                        "now `#[non_exhaustive]`: no struct literals outside the crate",
                    )
                } else {
                    (false, "no longer `#[non_exhaustive]`")
                };
                report.push(breaking, item, now.into());
            }
            // A new required field must be supplied; a new optional one not.
            let required = |f: &Member| !f.ty.starts_with("Option<");
            members(report, item, "field", old_fields, fields, required);
            if old_more != additional {
                report.push(
                    true,
                    item,
                    format!(
                        "other properties are now {} (were {})",
                        more(additional),
                        more(old_more)
                    ),
                );
            }
        }
        (
            Shape::Enum {
                variants: old_variants,
                open: was_open,
            },
            Shape::Enum { variants, open },
        ) => {
            for v in variants {
                if !old_variants.contains(v) {
                    report.push(!*was_open, item, format!("variant `{v}` added"));
                }
            }
            for v in old_variants {
                if !variants.contains(v) {
                    report.push(true, item, format!("variant `{v}` removed"));
                }
            }
            if was_open != open {
                report.push(true, item, "the `Other` catch-all changed".into());
            }
        }
        (
            Shape::Union {
                variants: old_variants,
            },
            Shape::Union { variants },
        ) => members(report, item, "variant", old_variants, variants, |_| true),
        (Shape::Alias { target: old_target }, Shape::Alias { target }) => {
            if old_target != target {
                report.push(
                    true,
                    item,
                    format!("now an alias of `{target}` (was `{old_target}`)"),
                );
            }
        }
        (old_shape, shape) => report.push(
            true,
            item,
            format!("is now {} (was {})", kind(shape), kind(old_shape)),
        ),
    }
}

fn more(additional: &Option<String>) -> String {
    additional
        .as_ref()
        .map_or("not kept".to_string(), |t| format!("kept as `{t}`"))
}

fn kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::Struct { .. } => "a struct",
        Shape::Enum { .. } => "an enum",
        Shape::Union { .. } => "a union",
        Shape::Alias { .. } => "an alias",
    }
}

impl Report {
    fn push(&mut self, breaking: bool, item: &str, text: String) {
        self.changes.push(Change {
            breaking,
            item: item.to_string(),
            text,
        });
    }

    /// Whether any change is breaking (the crate needs a new major version).
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// A few lines for the terminal: a count, then each change, breaking
    /// ones marked `!`, at most `limit` of them.
    pub fn summary(&self, limit: usize) -> String {
        if self.changes.is_empty() {
            return "public API unchanged".to_string();
        }
        let breaking = self.changes.iter().filter(|c| c.breaking).count();
        let mut out = format!(
            "public API: {} change(s), {breaking} breaking",
            self.changes.len()
        );
        for c in self.changes.iter().take(limit) {
            let mark = if c.breaking { '!' } else { ' ' };
            out.push_str(&format!(
                "\n  {mark} {}: {}",
                c.item,
                c.text.replace('`', "")
            ));
        }
        if self.changes.len() > limit {
            out.push_str(&format!("\n  … and {} more", self.changes.len() - limit));
        }
        out
    }

    /// The Markdown report: breaking changes first, then the others.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# Public API changes\n\n");
        if self.changes.is_empty() {
            out.push_str("No change to the public API.\n");
            return out;
        }
        let verdict = if self.is_breaking() {
            "**Breaking**: semver needs a new major version (or minor, before 1.0)."
        } else {
            "Not breaking: a new minor (or patch) version will do."
        };
        out.push_str(verdict);
        out.push('\n');
        for (title, breaking) in [("Breaking changes", true), ("Other changes", false)] {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {title}\n\n"));
            for c in changes {
                out.push_str(&format!("- `{}`: {}\n", c.item, c.text));
            }
        }
        out
    }
}
