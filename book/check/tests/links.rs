//! The book builds cleanly, and everything it points at exists: included code (never
//! empty, and the exercises' code from their shipped copies), linked pages and their
//! headings, images, chapters of SUMMARY.md, and a chapter for every exercise of the
//! course.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path};

use book_check::include::{self, normalize};
use book_check::markdown::{self, Link};
use book_check::summary::Summary;
use book_check::{
    book_dir, build_book, course_exercises, files_with_extension, repo_root, require_tool, src_dir,
    MDBOOK_INSTALL, SHIPPED_COPIES,
};

/// Every markdown file of the book: its path relative to `src` (with `/`) and its text.
fn sources() -> Vec<(String, String)> {
    let src = src_dir();
    files_with_extension(&src, "md")
        .unwrap()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (relative(&src, &path), text)
        })
        .collect()
}

fn summary() -> Summary {
    let text = std::fs::read_to_string(src_dir().join("SUMMARY.md")).unwrap();
    Summary::parse(&text).unwrap()
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    let parts: Vec<String> =
        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Fails with every problem at once, one per line.
fn assert_none(problems: &[String], what: &str) {
    assert!(problems.is_empty(), "{what}:\n  {}", problems.join("\n  "));
}

#[test]
fn mdbook_builds_the_book_without_warnings() {
    let Some(mdbook) = require_tool(&["mdbook"], MDBOOK_INSTALL) else {
        return;
    };
    let dest = tempfile::tempdir().unwrap();
    let log = build_book(&mdbook, dest.path()).unwrap();
    assert!(
        log.problems.is_empty(),
        "mdbook build {} warned:\n{}\n\nits whole output:\n{}",
        book_dir().display(),
        log.problems.join("\n"),
        log.output
    );
    for entry in &summary().entries {
        let Some(path) = &entry.path else { continue };
        let html = dest.path().join(path).with_extension("html");
        assert!(html.is_file(), "{path} was not rendered to {}", html.display());
    }
    // The heading ids that the link check below computes are the ones mdBook wrote.
    let mut problems = Vec::new();
    for (page, text) in sources() {
        if page == "SUMMARY.md" {
            continue;
        }
        let html = std::fs::read_to_string(dest.path().join(&page).with_extension("html")).unwrap();
        for id in markdown::heading_ids(&text).unwrap_or_default() {
            if !html.contains(&format!("id=\"{id}\"")) {
                problems.push(format!("{page}: #{id} is not an id of the built page"));
            }
        }
    }
    assert_none(&problems, "heading ids computed differently from mdBook's");
    // What the include check resolves is what mdBook put in the page.
    for (page, text) in sources() {
        if page == "SUMMARY.md" {
            continue;
        }
        let html = std::fs::read_to_string(dest.path().join(&page).with_extension("html")).unwrap();
        let dir = src_dir().join(&page).parent().unwrap().to_path_buf();
        for include in include::includes(&text) {
            let Ok(shown) = include::resolve(&dir, &include) else { continue };
            let longest = shown.lines().max_by_key(|line| line.trim().len()).unwrap_or("");
            let escaped =
                longest.trim().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            if !html.contains(&escaped) && !html.contains(&escaped.replace('"', "&quot;")) {
                problems.push(format!(
                    "{page}:{}: {} should show {longest:?}, which is not in the built page",
                    include.line, include.written
                ));
            }
        }
    }
    assert_none(&problems, "includes resolved differently from mdBook's");
}

#[test]
fn no_include_is_empty() {
    let src = src_dir();
    let mut problems = Vec::new();
    let mut count = 0;
    for (page, text) in sources() {
        let dir = src.join(&page).parent().unwrap().to_path_buf();
        for include in include::includes(&text) {
            count += 1;
            if let Err(why) = include::resolve(&dir, &include) {
                problems.push(format!("{page}:{}: {}: {why}", include.line, include.written));
            }
        }
    }
    assert!(count > 0, "no chapter under {} has an {{{{#include}}}}", src.display());
    assert_none(&problems, "includes that mdBook would render empty, or not as meant");
}

#[test]
fn exercise_code_is_included_from_the_shipped_copy() {
    let src = src_dir();
    let exercises = repo_root().join("exercises");
    let shipped = book_dir().join(SHIPPED_COPIES);
    let mut problems = Vec::new();
    for (page, text) in sources() {
        let dir = src.join(&page).parent().unwrap().to_path_buf();
        for include in include::includes(&text) {
            let file = normalize(&dir.join(&include.path));
            if let Ok(inside) = file.strip_prefix(&exercises) {
                problems.push(format!(
                    "{page}:{}: {} includes the learner's own file, which shows their edits once they start: include the shipped copy book/{SHIPPED_COPIES}/exercises/{} instead (`cargo xtask sync-book` rewrites the include and makes the copy)",
                    include.line,
                    include.written,
                    relative(Path::new(""), inside),
                ));
            }
            if file.starts_with(&shipped) && !file.is_file() {
                problems.push(format!(
                    "{page}:{}: {} includes a copy that is not there: run `cargo xtask sync-book`",
                    include.line, include.written
                ));
            }
        }
    }
    assert_none(&problems, "chapters that include exercises/ directly");
}

#[test]
fn links_and_images_resolve() {
    let src = src_dir();
    let pages = sources();
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut problems = Vec::new();
    for (page, text) in &pages {
        match markdown::heading_ids(text) {
            Ok(found) => {
                ids.insert(page.clone(), found.into_iter().collect());
            }
            Err(error) => problems.push(format!("{page}: {error:#}")),
        }
    }
    for (page, text) in &pages {
        let dir = Path::new(page).parent().unwrap_or(Path::new(""));
        for link in markdown::links(text) {
            if let Some(problem) = check_link(&src, page, dir, &link, &ids) {
                problems.push(format!("{page}:{}: {problem}", link.line));
            }
        }
    }
    assert_none(&problems, "broken links");
}

/// What is wrong with `link` on `page`, if anything.
fn check_link(
    src: &Path,
    page: &str,
    dir: &Path,
    link: &Link,
    ids: &HashMap<String, BTreeSet<String>>,
) -> Option<String> {
    if link.is_external() {
        return None; // no network in tests; the book has few and they are stable
    }
    let (file, fragment) = link.split();
    if file.starts_with('/') {
        return Some(format!(
            "{}: write links relative to the page; the book may not be served at /",
            link.target
        ));
    }
    let target = if file.is_empty() {
        page.to_string()
    } else {
        let joined = normalize(&dir.join(file));
        if joined.components().next() == Some(Component::ParentDir) || joined.as_os_str().is_empty()
        {
            return Some(format!(
                "{}: points outside book/src, which mdBook does not copy",
                link.target
            ));
        }
        relative(Path::new(""), &joined)
    };
    let path = src.join(&target);
    if !path.is_file() {
        return Some(format!("{}: {target} does not exist", link.target));
    }
    let fragment = fragment.filter(|f| !f.is_empty())?;
    if !target.ends_with(".md") {
        return None;
    }
    let known = ids.get(&target)?;
    if known.contains(fragment) {
        return None;
    }
    Some(format!(
        "{}: {target} has no heading with the id #{fragment}; it has #{}",
        link.target,
        known.iter().cloned().collect::<Vec<_>>().join(", #")
    ))
}

#[test]
fn summary_lists_every_page_and_only_existing_ones() {
    let src = src_dir();
    let summary = summary();
    let mut problems = Vec::new();
    let listed: BTreeSet<String> = summary.entries.iter().filter_map(|e| e.path.clone()).collect();
    for entry in &summary.entries {
        match &entry.path {
            None => problems.push(format!("{:?} is a draft without a page", entry.title)),
            Some(path) if !src.join(path).is_file() => {
                problems.push(format!("{:?} names {path}, which does not exist", entry.title));
            }
            Some(_) => {}
        }
    }
    for (page, _) in sources() {
        if page != "SUMMARY.md" && !listed.contains(&page) {
            problems.push(format!("{page} is not in SUMMARY.md, so mdBook would not render it"));
        }
    }
    assert_none(&problems, "SUMMARY.md and the pages under src/ disagree");
}

#[test]
fn every_exercise_has_its_chapter() {
    let summary = summary();
    let exercises = course_exercises().unwrap();
    assert!(!exercises.is_empty(), "exercises/course.toml lists no exercise");
    let mut problems = Vec::new();
    for name in &exercises {
        let page = format!("exercises/{name}.md");
        let number = name.split('_').next().unwrap_or(name);
        let Some(entry) = summary.entry(&page) else {
            problems.push(format!("exercise {name} has no chapter {page} in SUMMARY.md"));
            continue;
        };
        if !entry.title.starts_with(&format!("{number} ")) {
            problems.push(format!(
                "the chapter of {name} is titled {:?}; start it with its number, \"{number} · …\"",
                entry.title
            ));
        }
        let Ok(text) = std::fs::read_to_string(src_dir().join(&page)) else {
            continue; // reported by the SUMMARY test
        };
        let included: Vec<String> = markdown::includes(&text).into_iter().map(|i| i.path).collect();
        for folder in [format!("{SHIPPED_COPIES}/exercises"), "solutions".to_string()] {
            let wanted = format!("{folder}/{name}/");
            if !included.iter().any(|path| path.contains(&wanted)) {
                problems.push(format!(
                    "{page} includes no code from {wanted}; show the code with {{{{#include}}}}"
                ));
            }
        }
    }
    for entry in &summary.entries {
        let Some(slug) = entry
            .path
            .as_deref()
            .and_then(|p| p.strip_prefix("exercises/"))
            .and_then(|p| p.strip_suffix(".md"))
        else {
            continue;
        };
        if !exercises.iter().any(|name| name == slug) {
            problems.push(format!(
                "SUMMARY.md has a chapter exercises/{slug}.md, but exercises/course.toml has no exercise {slug}"
            ));
        }
    }
    assert_none(&problems, "exercises and chapters disagree");
}

#[test]
fn solutions_are_shown_only_in_closed_details() {
    let mut problems = Vec::new();
    for (page, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for include in markdown::includes(&text) {
            if !include.path.contains("solutions/") {
                continue;
            }
            // The innermost <details> still open at the include's line.
            let mut open: Vec<&str> = Vec::new();
            for line in &lines[..include.line - 1] {
                let line = line.trim();
                if line.starts_with("<details") {
                    open.push(line);
                } else if line.starts_with("</details>") {
                    open.pop();
                }
            }
            match open.last() {
                None => problems.push(format!(
                    "{page}:{}: the solution is shown outside a <details> block",
                    include.line
                )),
                Some(tag) if tag.contains(" open") => problems.push(format!(
                    "{page}:{}: the solution's <details> block starts open",
                    include.line
                )),
                Some(_) => {}
            }
        }
    }
    assert_none(&problems, "solutions in plain sight");
}

#[test]
fn glossary_is_alphabetical() {
    let text = std::fs::read_to_string(src_dir().join("appendix/glossary.md")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let terms: Vec<&str> = lines
        .windows(2)
        .filter(|pair| !pair[0].trim().is_empty() && pair[1].starts_with(": "))
        .map(|pair| pair[0].trim())
        .collect();
    assert!(terms.len() >= 10, "the glossary has only {terms:?}");
    let key = |term: &str| term.replace('`', "").to_lowercase();
    let mut sorted = terms.clone();
    sorted.sort_by_key(|term| key(term));
    assert_eq!(terms, sorted, "glossary terms out of alphabetical order");
}
