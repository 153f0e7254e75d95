//! The built book, served over HTTP and opened in headless Chromium, shows the right
//! pages with everything they load, and loads nothing from other hosts.
//!
//! Screenshots land in `target/book-screenshots/` for people to look at.

use std::path::{Path, PathBuf};

use book_check::browser::{self, CHROMIUM, CHROMIUM_INSTALL};
use book_check::serve::{FileServer, Served};
use book_check::summary::Summary;
use book_check::{
    book_title, build_book, files_with_extension, require_tool, src_dir, MDBOOK_INSTALL,
};

/// The pages opened in the browser, and the name of each one's screenshot.
const PAGES: [(&str, &str); 2] =
    [("introduction.md", "introduction.png"), ("lab/two-hosts.md", "lab-two-hosts.png")];

/// The image the lab chapter must load.
const LAB_DIAGRAM: &str = "/images/two-host-lab.svg";

fn screenshot_dir() -> PathBuf {
    // CARGO_TARGET_TMPDIR is target/tmp; its parent is cargo's target directory.
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("book-screenshots")
}

/// Builds the book into a temporary folder, or returns `None` when mdbook is missing.
fn built_book() -> Option<tempfile::TempDir> {
    let mdbook = require_tool(&["mdbook"], MDBOOK_INSTALL)?;
    let dest = tempfile::tempdir().unwrap();
    let log = build_book(&mdbook, dest.path()).unwrap();
    assert!(log.problems.is_empty(), "mdbook warned:\n{}", log.problems.join("\n"));
    Some(dest)
}

#[test]
fn chapters_render_in_a_browser() {
    let Some(chromium) = require_tool(CHROMIUM, CHROMIUM_INSTALL) else {
        return;
    };
    let Some(book) = built_book() else { return };
    let summary =
        Summary::parse(&std::fs::read_to_string(src_dir().join("SUMMARY.md")).unwrap()).unwrap();
    let book_title = book_title().unwrap();
    let shots = screenshot_dir();
    std::fs::create_dir_all(&shots).unwrap();
    let server = FileServer::start(book.path()).unwrap();

    let mut requests_of_page: Vec<(&str, Vec<Served>)> = Vec::new();
    for (page, shot) in PAGES {
        let html = page.replace(".md", ".html");
        let before = server.served().len();
        let screenshot = shots.join(shot);
        let _ = std::fs::remove_file(&screenshot);
        let dom = browser::render(&chromium, &server.url(&html), &screenshot).unwrap();

        let chapter = summary.entry(page).unwrap_or_else(|| panic!("{page} is not in SUMMARY.md"));
        let expected = format!("{} - {book_title}", chapter.title);
        assert_eq!(
            browser::title(&dom).as_deref(),
            Some(expected.as_str()),
            "the <title> of {html}"
        );
        let requests = server.served()[before..].to_vec();
        assert!(
            requests.iter().any(|r| r.path == format!("/{html}") && r.status == 200),
            "{html} was not served: {requests:#?}"
        );
        requests_of_page.push((page, requests));
    }

    let lab = &requests_of_page[1].1;
    assert!(
        lab.iter().any(|r| r.path == LAB_DIAGRAM && r.status == 200),
        "the lab chapter did not load {LAB_DIAGRAM}; it asked for:\n{lab:#?}"
    );
    let failed: Vec<String> = requests_of_page
        .iter()
        .flat_map(|(page, requests)| {
            requests
                .iter()
                .filter(|r| r.status != 200)
                .map(move |r| format!("{page}: {} {} → {}", r.method, r.path, r.status))
        })
        .collect();
    assert!(failed.is_empty(), "requests that failed:\n  {}", failed.join("\n  "));
    // Every page asked for the fonts of its theme from this server, not from elsewhere.
    for (page, requests) in &requests_of_page {
        assert!(
            requests.iter().any(|r| r.path.ends_with(".woff2")),
            "{page} loaded no font from the book itself: {requests:#?}"
        );
    }
    eprintln!("screenshots: {}", shots.display());
}

#[test]
fn built_pages_load_nothing_from_other_hosts() {
    let Some(book) = built_book() else { return };
    let mut problems = Vec::new();
    let pages = files_with_extension(book.path(), "html").unwrap();
    assert!(pages.len() > 5, "only {} pages were built", pages.len());
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        for url in browser::external_resources(&html) {
            problems.push(format!("{}: loads {url}", page.display()));
        }
    }
    for sheet in files_with_extension(book.path(), "css").unwrap() {
        let css = std::fs::read_to_string(&sheet).unwrap().to_lowercase();
        for pattern in ["url(http", "url(\"http", "url('http", "url(//", "@import"] {
            if css.contains(pattern) {
                problems.push(format!("{}: contains {pattern}", sheet.display()));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the built book loads resources from other hosts:\n  {}",
        problems.join("\n  ")
    );
}
