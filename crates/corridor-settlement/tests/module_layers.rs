//! The crate's house rules about its own source, checked on every test run: imports between
//! its files form no circle (a module uses lower modules, never one that uses it back), no
//! struct field is `pub(crate)` (a module's state is reached through its methods), and no
//! source file passes 1,000 lines.
//!
//! `cargo test -p corridor-settlement --test module_layers -- --nocapture` prints every
//! edge (`from -> to`) it found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, as its path relative to `src/`.
fn files(dir: &Path, found: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src is readable")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(src()).expect("under src");
            found.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The module path of a file: `hub/mod.rs` is `hub`, `hub/fx.rs` is `hub::fx`.
fn module_of(file: &str) -> Vec<String> {
    let stem = file.trim_end_matches(".rs");
    let mut parts: Vec<String> = stem.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The file that defines the longest prefix of `path` that is a module of the crate.
fn file_of(path: &[String], modules: &BTreeMap<Vec<String>, String>) -> Option<String> {
    (1..=path.len())
        .rev()
        .find_map(|n| modules.get(&path[..n]).cloned())
}

/// The code of `text` before its unit tests, without comments.
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or(text);
    body.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Module paths `text` names: `crate::a::b` and `super::c`, including `use` groups' heads.
fn named_paths(text: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (anchor, base) in [("crate::", Vec::new()), ("super::", parent(here))] {
        let mut rest = text;
        while let Some(at) = rest.find(anchor) {
            let after = &rest[at + anchor.len()..];
            let path: Vec<String> = after
                .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .next()
                .unwrap_or("")
                .split("::")
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            let mut full = base.clone();
            full.extend(path);
            paths.push(full);
            rest = after;
        }
    }
    paths
}

fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

/// Every `use` edge between two files of the crate.
fn edges() -> BTreeSet<(String, String)> {
    let mut all = Vec::new();
    files(&src(), &mut all);
    let modules: BTreeMap<Vec<String>, String> =
        all.iter().map(|f| (module_of(f), f.clone())).collect();
    let mut edges = BTreeSet::new();
    for file in &all {
        let text = std::fs::read_to_string(src().join(file)).expect("a source file");
        let here = module_of(file);
        for path in named_paths(&code(&text), &here) {
            if let Some(target) = file_of(&path, &modules)
                && target != *file
                && target != "lib.rs"
            {
                edges.insert((file.clone(), target));
            }
        }
    }
    edges
}

/// A circle among `edges`, if there is one.
fn find_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges {
        next.entry(from).or_default().push(to);
    }
    // 0: not seen, 1: on the current path, 2: done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, 1);
        path.push(node);
        for &to in next.get(node).map_or(&[][..], Vec::as_slice) {
            match state.get(to).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|n| *n == to).unwrap_or(0);
                    let mut circle: Vec<String> =
                        path[start..].iter().map(|n| n.to_string()).collect();
                    circle.push(to.to_string());
                    return Some(circle);
                }
                0 => {
                    if let Some(circle) = visit(to, next, state, path) {
                        return Some(circle);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }
    let nodes: Vec<&str> = next.keys().copied().collect();
    for node in nodes {
        if state.get(node).copied().unwrap_or(0) == 0
            && let Some(circle) = visit(node, &next, &mut state, &mut Vec::new())
        {
            return Some(circle);
        }
    }
    None
}

#[test]
fn imports_between_the_crates_files_form_no_circle() {
    let edges = edges();
    for (from, to) in &edges {
        println!("{from} -> {to}");
    }
    assert!(edges.len() > 40, "too few edges found: the scan is broken");
    assert!(
        edges.contains(&("outbox.rs".into(), "payment.rs".into())),
        "the scan misses plain `use crate::` imports"
    );
    assert_eq!(find_cycle(&edges), None, "a circle of imports");
}

#[test]
fn the_cycle_check_finds_a_circle() {
    let circle: BTreeSet<(String, String)> = [("a.rs", "b.rs"), ("b.rs", "c.rs"), ("c.rs", "a.rs")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert!(find_cycle(&circle).is_some());
}

#[test]
fn no_field_is_crate_visible_and_no_file_is_over_1000_lines() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    for file in all {
        let text = std::fs::read_to_string(src().join(&file)).expect("a source file");
        assert!(
            text.lines().count() <= 1_000,
            "{file} has {} lines",
            text.lines().count()
        );
        for (n, line) in code(&text).lines().enumerate() {
            let field = line
                .trim_start()
                .strip_prefix("pub(crate) ")
                .or_else(|| line.trim_start().strip_prefix("pub(super) "))
                .and_then(|rest| rest.split_once(':'))
                .is_some_and(|(name, _)| {
                    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                });
            assert!(!field, "{file}:{}: a crate-visible field: {line}", n + 1);
        }
    }
}
