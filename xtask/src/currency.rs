//! `cargo xtask deps`: fails when a direct dependency of the generated
//! crates (`templates/Cargo.toml.tera`) or of the runtime
//! (`generator/runtime/Cargo.toml`) asks for a major version older than the
//! newest one on crates.io (for `0.x` versions the minor is the major, as
//! Cargo reads them: `0.12` is behind `0.13`).
//!
//! It reads crates.io's sparse index (the same file `cargo` itself reads,
//! one JSON line per published version) with `curl`, which every CI image
//! and developer machine has: no HTTP client crate is compiled into the
//! xtask for one request a dependency. Each request has a time limit
//! (`--connect-timeout 5 --max-time 20`), so it never hangs. When the index
//! cannot be reached at all (offline), it says so and passes, except under
//! CI (`CI` set), where crates.io is reachable and a skipped check would
//! hide a stale dependency; `XTASK_DEPS_OFFLINE=1` skips it deliberately.

use std::path::Path;
use std::process::Command;

/// The manifests whose direct dependencies must be on their newest major.
const MANIFESTS: &[&str] = &["templates/Cargo.toml.tera", "generator/runtime/Cargo.toml"];
const INDEX: &str = "https://index.crates.io";

pub fn run(root: &Path) -> Result<(), String> {
    let mut wanted: Vec<(String, String, &str)> = Vec::new();
    for manifest in MANIFESTS {
        let text = std::fs::read_to_string(root.join(manifest))
            .map_err(|e| format!("cannot read {manifest}: {e}"))?;
        for (name, version) in requirements(&text) {
            if !wanted.iter().any(|(n, v, _)| *n == name && *v == version) {
                wanted.push((name, version, manifest));
            }
        }
    }
    if std::env::var_os("XTASK_DEPS_OFFLINE").is_some() {
        println!("dependency currency check skipped (XTASK_DEPS_OFFLINE is set)");
        return Ok(());
    }
    let mut behind = Vec::new();
    let mut fetched_any = false;
    for (name, requirement, manifest) in &wanted {
        let lines = match index_entry(name) {
            Ok(lines) => lines,
            Err(e) if !fetched_any => return offline(&e),
            Err(e) => return Err(e),
        };
        fetched_any = true;
        let newest = newest_stable(&lines)
            .ok_or_else(|| format!("crates.io lists no stable version of `{name}`"))?;
        let req = parse(requirement)
            .ok_or_else(|| format!("{manifest}: cannot read `{name}`'s version `{requirement}`"))?;
        if major(newest) > major(req) {
            behind.push(format!(
                "  {manifest}: {name} = \"{requirement}\", newest is {}.{}.{}",
                newest.0, newest.1, newest.2
            ));
        }
    }
    if behind.is_empty() {
        println!(
            "all {} direct dependencies are on their newest major version",
            wanted.len()
        );
        Ok(())
    } else {
        Err(format!(
            "direct dependencies a major version behind crates.io:\n{}\nMove them (keep \
             templates/Cargo.toml.tera and generator/runtime/Cargo.toml at the same versions), \
             then run `cargo xtask codegen`.",
            behind.join("\n")
        ))
    }
}

fn offline(error: &str) -> Result<(), String> {
    let message = format!("cannot reach the crates.io index ({error})");
    if std::env::var_os("CI").is_some() {
        Err(format!(
            "{message}; CI must reach it (set XTASK_DEPS_OFFLINE=1 to skip the check)"
        ))
    } else {
        println!("dependency currency check skipped: {message}");
        Ok(())
    }
}

/// `(name, version requirement)` of each dependency with a version in the
/// `[dependencies]` and `[dev-dependencies]` tables (template lines skipped).
fn requirements(manifest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_deps = matches!(line, "[dependencies]" | "[dev-dependencies]");
            continue;
        }
        if !in_deps || line.starts_with('#') || line.starts_with('{') {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim();
        let version = if value.starts_with('"') {
            Some(value)
        } else {
            value
                .split_once("version")
                .and_then(|(_, rest)| rest.trim_start().strip_prefix('='))
                .map(str::trim_start)
        };
        let Some(version) = version.and_then(|v| v.strip_prefix('"')?.split('"').next()) else {
            continue;
        };
        out.push((name.trim().to_string(), version.to_string()));
    }
    out
}

/// The index file's path for `name` (<https://doc.rust-lang.org/cargo/reference/registry-index.html>).
fn index_path(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    match name.len() {
        1 => format!("1/{name}"),
        2 => format!("2/{name}"),
        3 => format!("3/{}/{name}", &name[..1]),
        _ => format!("{}/{}/{name}", &name[..2], &name[2..4]),
    }
}

fn index_entry(name: &str) -> Result<String, String> {
    let url = format!("{INDEX}/{}", index_path(name));
    let out = Command::new("curl")
        .args(["-sSfL", "--connect-timeout", "5", "--max-time", "20", &url])
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{url}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{url}: not UTF-8"))
}

/// The newest version neither yanked nor a pre-release.
fn newest_stable(index: &str) -> Option<(u64, u64, u64)> {
    index
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|entry| entry["yanked"] != serde_json::Value::Bool(true))
        .filter_map(|entry| entry["vers"].as_str().and_then(parse))
        .max()
}

/// `1`, `0.13`, `1.2.3` (a caret requirement's numbers); `None` for a
/// pre-release or anything else.
fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let version = version.strip_prefix('^').unwrap_or(version);
    if version.contains(['-', '+']) {
        return None;
    }
    let mut parts = version.split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

/// What Cargo treats as the major version: the first non-zero number.
fn major((a, b, c): (u64, u64, u64)) -> (u64, u64, u64) {
    match (a, b) {
        (0, 0) => (0, 0, c),
        (0, _) => (0, b, 0),
        _ => (a, 0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_requirements_from_both_forms_and_skips_template_lines() {
        let manifest = "[package]\nname = \"x\"\n[dependencies]\n# a comment\n\
                        reqwest = { version = \"0.13\", default-features = false }\n\
                        {%- if features.uuid %}\nuuid = { version = \"1\", features = [\"serde\"] }\n\
                        serde_json = \"1\"\ntempfile.workspace = true\n[features]\nring = [\"rustls/ring\"]\n";
        assert_eq!(
            requirements(manifest),
            [("reqwest", "0.13"), ("uuid", "1"), ("serde_json", "1")]
                .map(|(n, v)| (n.to_string(), v.to_string()))
        );
    }

    #[test]
    fn a_zero_major_compares_its_minor() {
        assert!(major(parse("0.13.5").unwrap()) > major(parse("0.12").unwrap()));
        assert_eq!(
            major(parse("0.12.28").unwrap()),
            major(parse("0.12").unwrap())
        );
        assert_eq!(major(parse("1.49.0").unwrap()), major(parse("1").unwrap()));
        assert!(major(parse("2.0.0").unwrap()) > major(parse("1").unwrap()));
        assert_eq!(parse("1.0.0-rc.1"), None);
    }

    #[test]
    fn the_newest_version_skips_yanked_and_pre_releases() {
        let index = r#"{"name":"a","vers":"0.12.0","yanked":false}
{"name":"a","vers":"0.14.0-alpha.1","yanked":false}
{"name":"a","vers":"0.13.1","yanked":true}
{"name":"a","vers":"0.13.0","yanked":false}"#;
        assert_eq!(newest_stable(index), Some((0, 13, 0)));
    }

    #[test]
    fn index_paths_follow_the_name_length_rule() {
        assert_eq!(index_path("a"), "1/a");
        assert_eq!(index_path("h2"), "2/h2");
        assert_eq!(index_path("url"), "3/u/url");
        assert_eq!(index_path("Reqwest"), "re/qw/reqwest");
    }
}
