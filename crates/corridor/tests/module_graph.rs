//! The house rules every crate of the workspace keeps: no circle of imports between the files
//! of a crate, and no source file over 1,000 lines outside tests; and in the hub's crate, where
//! each subdomain owns its state, no struct field visible outside its module.
//!
//! A file depends on another when it names a path into the other's module (`crate::a::b`,
//! `super::x`, `self::child` or a child module by name), in a `use` or in code. Declaring a
//! module (`mod child;`) is not a dependency; neither is a file's own test module. The check
//! reads the sources as text: comments and string literals are skipped, so a path in a doc
//! comment is not an import.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Beyond this a file is split by meaning (the style guide's limit).
const MAX_SOURCE_LINES: usize = 1_000;

/// Crates whose modules reach each other's state only through methods.
const STATE_OWNING_CRATES: [&str; 1] = ["corridor-settlement"];

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

/// Identifiers, `::`, braces and commas of Rust source, with comments, strings and character
/// literals left out.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i = skip_block_comment(&chars, i);
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && is_raw_string(&chars, i) {
            i = skip_raw_string(&chars, i);
        } else if c == '"' {
            i = skip_string(&chars, i);
        } else if c == '\'' {
            i = skip_char_or_lifetime(&chars, i);
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let preceded_by_dollar = start > 0 && chars[start - 1] == '$';
            let word: String = chars[start..i].iter().collect();
            out.push(if preceded_by_dollar {
                Token::Other
            } else {
                Token::Ident(word)
            });
        } else {
            out.push(match (c, next) {
                (':', Some(':')) => {
                    i += 1;
                    Token::PathSep
                }
                ('{', _) => Token::Open,
                ('}', _) => Token::Close,
                (',', _) => Token::Comma,
                _ => Token::Other,
            });
            i += 1;
        }
    }
    out
}

fn skip_block_comment(chars: &[char], mut i: usize) -> usize {
    let mut depth = 0;
    while i < chars.len() {
        if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
            depth += 1;
            i += 2;
        } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

fn is_raw_string(chars: &[char], i: usize) -> bool {
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
        && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
}

fn skip_raw_string(chars: &[char], i: usize) -> usize {
    let mut j = i + 1;
    let mut hashes = 0;
    while chars.get(j) == Some(&'#') {
        hashes += 1;
        j += 1;
    }
    j += 1;
    while j < chars.len() {
        if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
            return j + 1 + hashes;
        }
        j += 1;
    }
    j
}

fn skip_string(chars: &[char], mut i: usize) -> usize {
    i += 1;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// A character literal (`'a'`, `'\n'`, `'\u{1F600}'`) is skipped; a lifetime (`'a`) is not a
/// literal and only its quote is.
fn skip_char_or_lifetime(chars: &[char], i: usize) -> usize {
    if chars.get(i + 1) == Some(&'\\') {
        let mut j = i + 2;
        while j < chars.len() && chars[j] != '\'' {
            j += 1;
        }
        return j + 1;
    }
    if chars.get(i + 2) == Some(&'\'') {
        return i + 3;
    }
    i + 1
}

/// One source file as a module of its crate.
#[derive(Debug)]
struct ModuleFile {
    path: PathBuf,
    /// `["fx", "rate"]` for `crate::fx::rate`; empty for the crate root.
    module: Vec<String>,
    /// Submodules declared in this file that live in files of their own.
    children: BTreeSet<String>,
}

/// `mod name;` declarations of a file (inline modules `mod name { .. }` stay in the file).
fn declared_file_modules(tokens: &[Token], source: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for window in tokens.windows(2) {
        if let [Token::Ident(kw), Token::Ident(name)] = window
            && kw == "mod"
            && declares_file_module(source, name)
        {
            names.insert(name.clone());
        }
    }
    names
}

fn declares_file_module(source: &str, name: &str) -> bool {
    source.lines().any(|line| {
        let line = line.trim();
        line.strip_suffix(';')
            .and_then(|l| l.rsplit_once("mod "))
            .is_some_and(|(_, declared)| declared.trim() == name)
    })
}

fn child_file(dir: &Path, is_mod_root: bool, parent_stem: &str, name: &str) -> Option<PathBuf> {
    let base = if is_mod_root {
        dir.to_path_buf()
    } else {
        dir.join(parent_stem)
    };
    [
        base.join(format!("{name}.rs")),
        base.join(name).join("mod.rs"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Every file module of the crate whose root is `root` (`src/lib.rs` or `src/main.rs`).
fn crate_files(root: &Path) -> Vec<ModuleFile> {
    let mut files = Vec::new();
    let mut pending = vec![(root.to_path_buf(), Vec::<String>::new())];
    while let Some((path, module)) = pending.pop() {
        let source = std::fs::read_to_string(&path).expect("read source file");
        let children = declared_file_modules(&tokens(&source), &source);
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let is_mod_root = module.is_empty() || stem == "mod";
        let dir = path.parent().expect("source file has a directory");
        for child in &children {
            let Some(child_path) = child_file(dir, is_mod_root, &stem, child) else {
                continue;
            };
            let mut child_module = module.clone();
            child_module.push(child.clone());
            pending.push((child_path, child_module));
        }
        files.push(ModuleFile {
            path,
            module,
            children,
        });
    }
    files
}

/// The paths a file names into modules of its crate, made absolute (`crate::...`).
/// A re-export (`pub use`) is not a use: it is followed to the file defining the item when
/// another file names it (see `resolve`).
fn referenced_paths(file: &ModuleFile, tokens: &[Token]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = i == 0 || tokens[i - 1] != Token::PathSep;
        if let (true, Token::Ident(first)) = (starts_path, &tokens[i])
            && let Some(base) = path_base(file, first, tokens.get(i + 1))
        {
            let re_export =
                i > 0 && tokens[i - 1] == Token::Ident("use".into()) && follows_pub(tokens, i - 1);
            let (mut found, next) = read_path_tree(tokens, i + 1, base);
            if !re_export {
                paths.append(&mut found);
            }
            i = next.max(i + 1);
            continue;
        }
        i += 1;
    }
    paths
}

/// Where a path starting with `first` begins, if it is one into the crate's own modules.
fn path_base(file: &ModuleFile, first: &str, after: Option<&Token>) -> Option<Vec<String>> {
    if after != Some(&Token::PathSep) {
        return None;
    }
    match first {
        "crate" => Some(Vec::new()),
        "self" => Some(file.module.clone()),
        "super" => Some(file.module[..file.module.len().saturating_sub(1)].to_vec()),
        child if file.children.contains(child) => {
            let mut base = file.module.clone();
            base.push(child.to_owned());
            Some(base)
        }
        _ => None,
    }
}

/// Reads `::a::b`, `::{a, b::c}` or `::super::x` after a path's first segment; returns every
/// complete path and the index after the path.
fn read_path_tree(
    tokens: &[Token],
    mut i: usize,
    mut base: Vec<String>,
) -> (Vec<Vec<String>>, usize) {
    let mut paths = Vec::new();
    while tokens.get(i) == Some(&Token::PathSep) {
        match tokens.get(i + 1) {
            Some(Token::Ident(segment)) if segment == "super" => {
                base.pop();
                i += 2;
            }
            Some(Token::Ident(segment)) => {
                base.push(segment.clone());
                i += 2;
            }
            Some(Token::Open) => {
                i += 2;
                loop {
                    match tokens.get(i) {
                        Some(Token::Ident(segment)) => {
                            let mut inner = base.clone();
                            if segment != "self" {
                                inner.push(segment.clone());
                            }
                            let (mut found, next) = read_path_tree(tokens, i + 1, inner);
                            paths.append(&mut found);
                            i = next;
                        }
                        Some(Token::Comma) | Some(Token::Other) => i += 1,
                        Some(Token::Close) | None => return (paths, i + 1),
                        Some(_) => i += 1,
                    }
                }
            }
            _ => break,
        }
    }
    paths.push(base);
    (paths, i)
}

/// The file holding the deepest module named by `path`.
fn file_of(path: &[String], by_module: &BTreeMap<Vec<String>, usize>) -> Option<usize> {
    (0..=path.len())
        .rev()
        .find_map(|n| by_module.get(&path[..n]).copied())
}

/// The names a file re-exports (`pub use a::b::Name;`, `pub(crate) use ..`) with the path each
/// stands for: a crate root or `mod.rs` that only gathers its children's items is a facade,
/// and a path through it depends on the file that defines the item.
fn re_exports(file: &ModuleFile, tokens: &[Token]) -> BTreeMap<String, Vec<String>> {
    let mut names = BTreeMap::new();
    for (i, token) in tokens.iter().enumerate() {
        if *token != Token::Ident("use".into()) || !follows_pub(tokens, i) {
            continue;
        }
        let Some(Token::Ident(first)) = tokens.get(i + 1) else {
            continue;
        };
        let Some(base) = path_base(file, first, tokens.get(i + 2)) else {
            continue;
        };
        for path in read_path_tree(tokens, i + 2, base).0 {
            if let Some(name) = path.last() {
                names.insert(name.clone(), path.clone());
            }
        }
    }
    names
}

/// `pub use`, or `pub(crate) use` and `pub(super) use`.
fn follows_pub(tokens: &[Token], use_at: usize) -> bool {
    let word = |at: usize| match tokens.get(at) {
        Some(Token::Ident(w)) => Some(w.as_str()),
        _ => None,
    };
    match use_at.checked_sub(1).and_then(word) {
        Some("pub") => true,
        _ => {
            use_at >= 4
                && word(use_at - 4) == Some("pub")
                && matches!(word(use_at - 2), Some("crate" | "super"))
        }
    }
}

/// The file a path leads to, through re-exports (a bounded number of hops: re-exports may
/// point at each other, but a real item is always a few hops away).
fn resolve(
    path: &[String],
    by_module: &BTreeMap<Vec<String>, usize>,
    files: &[ModuleFile],
    exports: &[BTreeMap<String, Vec<String>>],
) -> Option<usize> {
    let mut path = path.to_vec();
    let mut file = file_of(&path, by_module)?;
    for _ in 0..8 {
        let depth = files[file].module.len();
        let Some(target) = path.get(depth).and_then(|name| exports[file].get(name)) else {
            return Some(file);
        };
        let mut next = target.clone();
        next.extend_from_slice(&path[depth + 1..]);
        path = next;
        file = file_of(&path, by_module)?;
    }
    Some(file)
}

/// Edges between the files of one crate: `edges[a]` holds every file `a` depends on.
fn dependencies(files: &[ModuleFile]) -> Vec<BTreeSet<usize>> {
    let by_module: BTreeMap<Vec<String>, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.clone(), i))
        .collect();
    let sources: Vec<Vec<Token>> = files
        .iter()
        .map(|file| {
            let source = std::fs::read_to_string(&file.path).expect("read source file");
            tokens(&without_test_module(&source))
        })
        .collect();
    let exports: Vec<_> = files
        .iter()
        .zip(&sources)
        .map(|(file, tokens)| re_exports(file, tokens))
        .collect();
    files
        .iter()
        .enumerate()
        .map(|(from, file)| {
            referenced_paths(file, &sources[from])
                .iter()
                .filter_map(|path| resolve(path, &by_module, files, &exports))
                .filter(|&to| to != from && !is_test_module(&files[to]))
                .collect()
        })
        .collect()
}

/// A file's `#[cfg(test)] mod tests { .. }` reaches into its parent by design; it is cut off
/// at its attribute, which by convention closes the file.
fn without_test_module(source: &str) -> String {
    match source.find("#[cfg(test)]\nmod tests {") {
        Some(at) => source[..at].to_owned(),
        None => source.to_owned(),
    }
}

fn is_test_module(file: &ModuleFile) -> bool {
    file.module.last().is_some_and(|m| m == "tests")
}

/// One circle of files, if the graph has any.
fn find_cycle(edges: &[BTreeSet<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    fn visit(
        node: usize,
        edges: &[BTreeSet<usize>],
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        marks[node] = Mark::OnStack;
        stack.push(node);
        for &next in &edges[node] {
            match marks[next] {
                Mark::OnStack => {
                    let start = stack.iter().position(|&n| n == next).expect("on the stack");
                    return Some(stack[start..].to_vec());
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, edges, marks, stack) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[node] = Mark::Done;
        None
    }
    let mut marks = vec![Mark::New; edges.len()];
    (0..edges.len()).find_map(|n| {
        if marks[n] != Mark::New {
            return None;
        }
        visit(n, edges, &mut marks, &mut Vec::new())
    })
}

fn workspace_crate_roots() -> Vec<PathBuf> {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut roots: Vec<PathBuf> = std::fs::read_dir(&crates)
        .expect("read crates/")
        .filter_map(Result::ok)
        .flat_map(|entry| {
            let src = entry.path().join("src");
            [src.join("lib.rs"), src.join("main.rs")]
        })
        .filter(|p| p.is_file())
        .collect();
    roots.sort();
    roots
}

#[test]
fn no_crate_has_a_circle_of_imports_between_its_files() {
    let mut circles = Vec::new();
    for root in workspace_crate_roots() {
        let files = crate_files(&root);
        if let Some(cycle) = find_cycle(&dependencies(&files)) {
            let names: Vec<String> = cycle
                .iter()
                .map(|&i| files[i].path.display().to_string())
                .collect();
            circles.push(names.join(" -> "));
        }
    }
    assert!(
        circles.is_empty(),
        "circles of imports:\n{}",
        circles.join("\n")
    );
}

#[test]
fn no_source_file_is_over_the_limit() {
    let mut long = Vec::new();
    for root in workspace_crate_roots() {
        for file in crate_files(&root) {
            let source = std::fs::read_to_string(&file.path).expect("read source file");
            let lines = without_test_module(&source).lines().count();
            if lines > MAX_SOURCE_LINES {
                long.push(format!("{} ({lines} lines)", file.path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_SOURCE_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// `pub(crate) name: Type` or `pub(super) name: Type`, a field another module could reach.
fn is_visible_field(line: &str) -> bool {
    let line = line.trim_start();
    line.strip_prefix("pub(crate) ")
        .or_else(|| line.strip_prefix("pub(super) "))
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

#[test]
fn the_hub_keeps_its_state_behind_methods() {
    let mut visible = Vec::new();
    for root in workspace_crate_roots() {
        let in_scope = STATE_OWNING_CRATES.iter().any(|name| {
            root.parent()
                .and_then(Path::parent)
                .is_some_and(|dir| dir.ends_with(name))
        });
        if !in_scope {
            continue;
        }
        for file in crate_files(&root) {
            let source = std::fs::read_to_string(&file.path).expect("read source file");
            for (n, line) in without_test_module(&source).lines().enumerate() {
                if is_visible_field(line) {
                    visible.push(format!(
                        "{}:{}: {}",
                        file.path.display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        visible.is_empty(),
        "fields visible outside their module:\n{}",
        visible.join("\n")
    );
}

#[test]
fn the_check_sees_a_circle_and_ignores_comments_and_strings() {
    let a = tokens("use crate::b::Thing; // crate::c::Other\nconst S: &str = \"crate::d::X\";");
    let file = ModuleFile {
        path: PathBuf::from("a.rs"),
        module: vec!["a".into()],
        children: BTreeSet::new(),
    };
    assert_eq!(
        referenced_paths(&file, &a),
        vec![vec!["b".to_owned(), "Thing".to_owned()]]
    );

    let grouped = tokens("use super::{x::{One, Two}, y};");
    let nested = ModuleFile {
        path: PathBuf::from("p/q.rs"),
        module: vec!["p".into(), "q".into()],
        children: BTreeSet::new(),
    };
    let paths = referenced_paths(&nested, &grouped);
    assert!(paths.contains(&vec!["p".to_owned(), "x".to_owned(), "One".to_owned()]));
    assert!(paths.contains(&vec!["p".to_owned(), "y".to_owned()]));

    let edges = vec![
        BTreeSet::from([1]),
        BTreeSet::from([2]),
        BTreeSet::from([0]),
    ];
    assert_eq!(find_cycle(&edges), Some(vec![0, 1, 2]));
    let tree = vec![BTreeSet::from([1, 2]), BTreeSet::from([2]), BTreeSet::new()];
    assert_eq!(find_cycle(&tree), None);

    assert!(is_visible_field("    pub(crate) balance: u128,"));
    assert!(!is_visible_field(
        "    pub(crate) fn balance(&self) -> u128 {"
    ));
}
