//! A chapter's `{{#include}}`s, and what mdBook 0.5 puts in their place.
//!
//! [`includes`] finds them; [`resolve`] reads the included file and takes the part the
//! include names, with mdBook's rules (`mdbook-driver`'s `links` preprocessor):
//!
//! - `path` is the whole file;
//! - `path:name` is the lines between `ANCHOR: name` and `ANCHOR_END: name`, without
//!   those lines and without any other line holding an `ANCHOR:` marker (or an
//!   `ANCHOR_END:` of another anchor);
//! - `path:10` is line 10, `path:10:20` lines 10 to 20, `path:10:` line 10 to the end,
//!   `path::20` lines 1 to 20.
//!
//! `{{#rustdoc_include}}` takes the same parts; mdBook keeps the rest of the file as
//! hidden lines, so the part is what the reader sees. What the book cannot mean (a line
//! 0, a range that ends before it starts, words where a line number goes) is an error
//! here, where mdBook would quietly include something else.

use std::path::{Component, Path, PathBuf};

/// Which of mdBook's two include expressions an include is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{{#include …}}`.
    Include,
    /// `{{#rustdoc_include …}}`.
    RustdocInclude,
}

/// The part of a file an include takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The whole file: `path`.
    Whole,
    /// Between `ANCHOR: name` and `ANCHOR_END: name`: `path:name`.
    Anchor(String),
    /// Lines, counted from 1, both ends included; `None` is the file's start or end:
    /// `path:10` (`Some(10)`, `Some(10)`), `path:10:20`, `path:10:`, `path::20`.
    Lines {
        /// The first line, or the file's first.
        first: Option<usize>,
        /// The last line, or the file's last.
        last: Option<usize>,
    },
    /// A selector this check does not read the way the book would mean it, and why.
    Unsupported(String),
}

/// An include found in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// 1-based line of the include.
    pub line: usize,
    /// `include` or `rustdoc_include`.
    pub kind: Kind,
    /// The file, relative to the chapter's folder, as written.
    pub path: String,
    /// The part of the file it takes.
    pub selection: Selection,
    /// The whole expression as written, `{{#include path:anchor}}`.
    pub written: String,
}

impl Include {
    /// The anchor's name, for an include of an anchor.
    pub fn anchor(&self) -> Option<&str> {
        match &self.selection {
            Selection::Anchor(name) => Some(name),
            _ => None,
        }
    }
}

/// Every `{{#include}}` and `{{#rustdoc_include}}` in `text`, code blocks included:
/// that is where they usually are. Escaped ones (`\{{#include …}}`) are left out, as
/// mdBook leaves them alone.
pub fn includes(text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut offset = 0;
        while let Some(start) = line[offset..].find("{{").map(|at| offset + at) {
            let Some(end) = line[start..].find("}}").map(|at| start + at) else { break };
            offset = end + 2;
            if line[..start].ends_with('\\') {
                continue;
            }
            let Some(body) = line[start + 2..end].trim_start().strip_prefix('#') else {
                offset = start + 2;
                continue;
            };
            let mut words = body.split_whitespace();
            let kind = match words.next() {
                Some("include") => Kind::Include,
                Some("rustdoc_include") => Kind::RustdocInclude,
                _ => continue,
            };
            let Some(target) = words.next() else { continue };
            let (path, selector) = match target.split_once(':') {
                Some((path, selector)) => (path, Some(selector)),
                None => (target, None),
            };
            found.push(Include {
                line: index + 1,
                kind,
                path: path.to_string(),
                selection: parse_selector(selector),
                written: line[start..end + 2].to_string(),
            });
        }
    }
    found
}

/// The selection an include's part after the first `:` names.
fn parse_selector(selector: Option<&str>) -> Selection {
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return Selection::Whole;
    };
    let parts: Vec<&str> = selector.split(':').collect();
    let number = |part: &str| -> Result<Option<usize>, String> {
        if part.is_empty() {
            return Ok(None);
        }
        match part.parse::<usize>() {
            Ok(0) => Err("lines are counted from 1, and this names line 0".to_string()),
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(format!("{part:?} is not a line number")),
        }
    };
    let first_is_name = !parts[0].is_empty() && parts[0].parse::<usize>().is_err();
    let lines = match parts.as_slice() {
        [name] if first_is_name => return Selection::Anchor((*name).to_string()),
        [name, ..] if first_is_name => {
            return Selection::Unsupported(format!(
                "an anchor's name is one word, and this is {name:?} followed by more after a `:`"
            ))
        }
        [first] => number(first).map(|first| (first, first)),
        [first, last] => number(first).and_then(|first| Ok((first, number(last)?))),
        _ => Err("it has more than two `:`-separated parts after the path".to_string()),
    };
    match lines {
        Ok((Some(first), Some(last))) if last < first => Selection::Unsupported(format!(
            "the range ends at line {last}, before it starts at line {first}"
        )),
        Ok((first, last)) => Selection::Lines { first, last },
        Err(why) => Selection::Unsupported(why),
    }
}

/// The text mdBook puts in place of `include`, found in a chapter in the folder
/// `chapter_dir`; or, when that text would be empty or is not what the book can mean,
/// why, in words that say what to fix.
pub fn resolve(chapter_dir: &Path, include: &Include) -> Result<String, String> {
    const FORMS: &str = "write path, path:anchor, path:N, path:N:M, path:N: or path::M";
    if let Selection::Unsupported(why) = &include.selection {
        return Err(format!(
            "the part after the path is not one mdBook reads as meant ({why}): {FORMS}"
        ));
    }
    let file = normalize(&chapter_dir.join(&include.path));
    let source = std::fs::read_to_string(&file).map_err(|error| {
        format!(
            "{} cannot be read ({error}): fix the path, which is relative to the chapter",
            include.path
        )
    })?;
    let text =
        select(&source, &include.selection).map_err(|why| format!("{}: {why}", include.path))?;
    if text.trim().is_empty() {
        let what = match &include.selection {
            Selection::Anchor(name) => format!(
                "the anchor `{name}` has nothing between `ANCHOR: {name}` and `ANCHOR_END: {name}`"
            ),
            _ => "the part it takes is empty or only blank lines".to_string(),
        };
        return Err(format!("{}: {what}, so mdBook would show an empty block", include.path));
    }
    Ok(text)
}

/// The part of `source` that `selection` takes, as mdBook takes it, or why it is not
/// there. Anchors must have both their start and their end (without an end mdBook would
/// take the rest of the file, which the book never means).
pub fn select(source: &str, selection: &Selection) -> Result<String, String> {
    match selection {
        Selection::Whole => Ok(source.lines().collect::<Vec<_>>().join("\n")),
        Selection::Lines { first, last } => {
            let count = source.lines().count();
            let first = first.unwrap_or(1);
            if first > count {
                return Err(format!(
                    "the include starts at line {first}, and the file has {count} lines"
                ));
            }
            let last = last.unwrap_or(count).min(count);
            Ok(source.lines().skip(first - 1).take(last + 1 - first).collect::<Vec<_>>().join("\n"))
        }
        Selection::Anchor(name) => anchored(source, name),
        Selection::Unsupported(why) => Err(why.clone()),
    }
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`, without marker lines.
fn anchored(source: &str, name: &str) -> Result<String, String> {
    let mut kept = Vec::new();
    let mut inside = false;
    for line in source.lines() {
        if inside {
            match marker(line, "ANCHOR_END:") {
                Some(end) if end == name => return Ok(kept.join("\n")),
                Some(_) => {}
                None if marker(line, "ANCHOR:").is_some() => {}
                None => kept.push(line),
            }
        } else if marker(line, "ANCHOR:") == Some(name) {
            inside = true;
        }
    }
    if inside {
        return Err(format!(
            "`ANCHOR: {name}` has no `ANCHOR_END: {name}` after it (mdBook would take the rest of the file): add `// ANCHOR_END: {name}` where the part ends"
        ));
    }
    let names = anchor_names(source);
    let known = if names.is_empty() {
        "it has no anchors".to_string()
    } else {
        format!("its anchors are {}", names.join(", "))
    };
    Err(format!(
        "there is no `ANCHOR: {name}` ({known}): put `// ANCHOR: {name}` and `// ANCHOR_END: {name}` around the part, or include an anchor it has"
    ))
}

/// Every anchor `source` starts, in order.
pub fn anchor_names(source: &str) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for name in source.lines().filter_map(|line| marker(line, "ANCHOR:")) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The name after the first `keyword` in `line` that has one, as mdBook's
/// `ANCHOR:\s*([\w_-]+)` finds it.
fn marker<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    line.match_indices(keyword).find_map(|(at, _)| {
        let rest = line[at + keyword.len()..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    })
}

/// `path` with `.` and `..` worked out, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "use x;\n// ANCHOR: stub\npub fn f() {\n    // ANCHOR: inner\n    todo!()\n    // ANCHOR_END: inner\n}\n// ANCHOR_END: stub\n// ANCHOR: empty\n// ANCHOR_END: empty\n// ANCHOR: blank\n\n// ANCHOR_END: blank\n// ANCHOR: open\nlast line\n";

    #[test]
    fn finds_includes_with_their_selections() {
        let text = "```rust\n{{#include ../../a/lib.rs:stub}}\n```\n{{#include b.rs}} {{ #rustdoc_include c.rs:2:5 }}\n\\{{#include escaped.rs}} {{#title T}} {{#include d.rs:3}} {{#include e.rs::4}} {{#include f.rs:7:}}\n";
        let found = includes(text);
        let summary: Vec<_> =
            found.iter().map(|i| (i.line, i.kind, i.path.as_str(), i.selection.clone())).collect();
        let lines = |first, last| Selection::Lines { first, last };
        assert_eq!(
            summary,
            [
                (2, Kind::Include, "../../a/lib.rs", Selection::Anchor("stub".into())),
                (4, Kind::Include, "b.rs", Selection::Whole),
                (4, Kind::RustdocInclude, "c.rs", lines(Some(2), Some(5))),
                (5, Kind::Include, "d.rs", lines(Some(3), Some(3))),
                (5, Kind::Include, "e.rs", lines(None, Some(4))),
                (5, Kind::Include, "f.rs", lines(Some(7), None)),
            ]
        );
        assert_eq!(found[0].written, "{{#include ../../a/lib.rs:stub}}");
        assert_eq!(found[0].anchor(), Some("stub"));
    }

    #[test]
    fn selectors_the_book_cannot_mean_are_refused() {
        for (selector, why) in [
            ("0", "counted from 1"),
            ("5:2", "ends at line 2, before it starts at line 5"),
            ("3:x", "\"x\" is not a line number"),
            ("1:2:3", "more than two"),
            ("stub:2", "followed by more"),
        ] {
            match parse_selector(Some(selector)) {
                Selection::Unsupported(message) => {
                    assert!(message.contains(why), "{selector}: {message}")
                }
                other => panic!("{selector} was read as {other:?}"),
            }
        }
    }

    #[test]
    fn a_good_anchor_gives_its_lines_without_markers() {
        let stub = select(SOURCE, &Selection::Anchor("stub".into())).unwrap();
        assert_eq!(stub, "pub fn f() {\n    todo!()\n}");
        let inner = select(SOURCE, &Selection::Anchor("inner".into())).unwrap();
        assert_eq!(inner, "    todo!()");
    }

    #[test]
    fn a_missing_anchor_is_named_with_the_ones_there_are() {
        let error = select(SOURCE, &Selection::Anchor("main".into())).unwrap_err();
        assert!(error.starts_with("there is no `ANCHOR: main`"), "{error}");
        assert!(error.contains("its anchors are stub, inner, empty, blank, open"), "{error}");
        let error = select("fn main() {}\n", &Selection::Anchor("main".into())).unwrap_err();
        assert!(error.contains("it has no anchors"), "{error}");
    }

    #[test]
    fn an_anchor_without_its_end_is_refused() {
        let error = select(SOURCE, &Selection::Anchor("open".into())).unwrap_err();
        assert!(error.contains("has no `ANCHOR_END: open`"), "{error}");
    }

    #[test]
    fn empty_anchors_resolve_to_an_error_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lib.rs"), SOURCE).unwrap();
        for anchor in ["empty", "blank"] {
            let text = format!("{{{{#include lib.rs:{anchor}}}}}");
            let include = &includes(&text)[0];
            let error = resolve(dir.path(), include).unwrap_err();
            assert_eq!(
                error,
                format!("lib.rs: the anchor `{anchor}` has nothing between `ANCHOR: {anchor}` and `ANCHOR_END: {anchor}`, so mdBook would show an empty block")
            );
        }
        let good = &includes("{{#include ./sub/../lib.rs:stub}}")[0];
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(resolve(dir.path(), good).unwrap(), "pub fn f() {\n    todo!()\n}");
        let missing = &includes("{{#include gone.rs:stub}}")[0];
        let error = resolve(dir.path(), missing).unwrap_err();
        assert!(error.starts_with("gone.rs cannot be read"), "{error}");
    }

    #[test]
    fn line_ranges_follow_mdbook() {
        let source = "one\ntwo\nthree\nfour\n";
        let lines = |first, last| Selection::Lines { first, last };
        assert_eq!(select(source, &lines(Some(2), Some(3))).unwrap(), "two\nthree");
        assert_eq!(select(source, &lines(Some(2), Some(2))).unwrap(), "two");
        assert_eq!(select(source, &lines(Some(3), None)).unwrap(), "three\nfour");
        assert_eq!(select(source, &lines(None, Some(2))).unwrap(), "one\ntwo");
        assert_eq!(select(source, &lines(Some(3), Some(99))).unwrap(), "three\nfour");
        assert_eq!(select(source, &Selection::Whole).unwrap(), "one\ntwo\nthree\nfour");
        let error = select(source, &lines(Some(5), None)).unwrap_err();
        assert_eq!(error, "the include starts at line 5, and the file has 4 lines");
    }

    #[test]
    fn markers_are_found_as_mdbook_finds_them() {
        assert_eq!(marker("// ANCHOR: stub", "ANCHOR:"), Some("stub"));
        assert_eq!(marker("/* ANCHOR:a-b_c */", "ANCHOR:"), Some("a-b_c"));
        assert_eq!(marker("// ANCHOR_END: stub", "ANCHOR:"), None);
        assert_eq!(marker("// ANCHOR: ", "ANCHOR:"), None);
        assert_eq!(marker("ANCHOR: , ANCHOR: late", "ANCHOR:"), Some("late"));
    }
}
