//! The grader's shape, kept by tests: commands over a core, and no two modules that
//! import each other. A module may use its own descendants and they may use it (the
//! usual `mod` and `super::`); any other pair that imports both ways is a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// How long the top-level parser may grow before it holds more than parsing.
const CLI_LINE_LIMIT: usize = 200;

/// Every module of the grader's library: its path (`server::persistent`) and the
/// code outside its tests.
fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default().to_string();
                found.insert(module_path(src, &path), code);
            }
        }
    }
    found
}

/// `src/server/mod.rs` → `server`, `src/server/docker.rs` → `server::docker`,
/// `src/lib.rs` → `` (the crate).
fn module_path(src: &Path, file: &Path) -> String {
    let relative: PathBuf = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> =
        relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts.join("::")
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or_default();
        return vec![path.trim_end_matches("::self").to_string()];
    };
    let prefix = tree[..open].trim_end_matches("::");
    let inner = &tree[open + 1..tree.len() - 1];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (index, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            expand(item).into_iter().map(|rest| match rest.as_str() {
                "self" => prefix.to_string(),
                _ if prefix.is_empty() => rest,
                _ => format!("{prefix}::{rest}"),
            })
        })
        .collect()
}

/// The module a path names: its longest prefix that is a module.
fn owning_module<'m>(path: &str, modules: &'m BTreeMap<String, String>) -> Option<&'m str> {
    let segments: Vec<&str> = path.split("::").collect();
    (1..=segments.len())
        .rev()
        .map(|len| segments[..len].join("::"))
        .find_map(|candidate| modules.get_key_value(&candidate).map(|(name, _)| name.as_str()))
}

/// What each module imports from the others: `use crate::…`, `use super::…`, and
/// `crate::…` paths written in the code.
fn imports(modules: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut graph = BTreeMap::new();
    for (name, code) in modules {
        let parent = name.rsplit_once("::").map_or("", |(parent, _)| parent);
        let mut named = Vec::new();
        for statement in code.split("use ").skip(1) {
            let Some((tree, _)) = statement.split_once(';') else { continue };
            if let Some(tree) = tree.strip_prefix("crate::") {
                named.extend(expand(tree));
            } else if let Some(tree) = tree.strip_prefix("super::") {
                let prefix = if parent.is_empty() { String::new() } else { format!("{parent}::") };
                named.extend(expand(tree).into_iter().map(|path| format!("{prefix}{path}")));
            }
        }
        for (index, _) in code.match_indices("crate::") {
            let rest = &code[index + "crate::".len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
            named.push(rest[..end.unwrap_or(rest.len())].trim_end_matches(':').to_string());
        }
        let targets = named
            .iter()
            .filter_map(|path| owning_module(path, modules))
            .filter(|target| *target != name && !target.is_empty())
            .collect();
        graph.insert(name.as_str(), targets);
    }
    graph
}

/// Whether one module is the other's ancestor (the crate is everyone's).
fn related(a: &str, b: &str) -> bool {
    a.is_empty()
        || b.is_empty()
        || b.starts_with(&format!("{a}::"))
        || a.starts_with(&format!("{b}::"))
}

/// The pairs of unrelated modules that import each other.
fn cycles(modules: &BTreeMap<String, String>) -> Vec<String> {
    let graph = imports(modules);
    let mut found = Vec::new();
    for (a, targets) in &graph {
        for b in targets {
            let back = graph.get(b).is_some_and(|their| their.contains(a));
            if a < b && back && !related(a, b) {
                found.push(format!("{a} <-> {b}"));
            }
        }
    }
    found
}

fn grader_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn no_two_modules_import_each_other() {
    let found = cycles(&modules(&grader_src()));
    assert!(
        found.is_empty(),
        "these modules import each other; move what both need to a module of its own:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_binary_uses_the_command_line_parser() {
    let users: Vec<String> = modules(&grader_src())
        .into_iter()
        .filter(|(name, code)| !name.is_empty() && name != "cli" && code.contains("crate::cli"))
        .map(|(name, _)| name)
        .collect();
    assert_eq!(users, Vec::<String>::new(), "commands go in commands/, not through cli");
    let lines = fs::read_to_string(grader_src().join("cli.rs")).unwrap().lines().count();
    assert!(
        lines < CLI_LINE_LIMIT,
        "cli.rs has {lines} lines: it keeps the top-level parser and dispatch only"
    );
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_allows_parents() {
    let modules: BTreeMap<String, String> = [
        ("a", "use crate::b::Thing;\n"),
        ("b", "use crate::{a::{self, Other}, c};\n"),
        ("c", "mod d;\nuse self::d::X;\n"),
        ("c::d", "use super::Y;\nfn f() { crate::a::g() }\n"),
    ]
    .into_iter()
    .map(|(name, code)| (name.to_string(), code.to_string()))
    .collect();
    assert_eq!(cycles(&modules), ["a <-> b"]);
    assert_eq!(expand("x::{y, z::{self, w}}"), ["x::y", "x::z", "x::z::w"]);
    let graph = imports(&modules);
    assert_eq!(graph["c::d"], BTreeSet::from(["a", "c"]));
}
