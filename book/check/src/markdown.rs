//! What the checks need to know about a chapter's markdown: its `{{#include}}`s (found
//! and resolved in [`crate::include`]), its links and images, and the ids mdBook 0.5
//! gives its headings.
//!
//! This is a small scanner, not a CommonMark parser. It understands what the book uses and
//! says so when it meets something it would get wrong (setext headings).

use std::collections::HashSet;

use anyhow::{bail, Result};

/// The lines outside fenced code blocks, with their 1-based numbers.
pub fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut lines = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |c| trimmed.chars().take_while(|x| *x == c).count());
        match (fence, marker) {
            (None, Some(c)) if run >= 3 => fence = Some((c, run)),
            (Some((c, open)), Some(m))
                if m == c && run >= open && trimmed[run..].trim().is_empty() =>
            {
                fence = None;
            }
            (None, _) => lines.push((index + 1, line)),
            (Some(_), _) => {}
        }
    }
    lines
}

pub use crate::include::{includes, Include};

/// A link or image target found in a chapter's prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// 1-based line.
    pub line: usize,
    /// The target as written: `page.md#anchor`, `../images/x.svg`, `https://…`.
    pub target: String,
}

impl Link {
    /// Whether the target leaves the book (has a scheme such as `https:` or `mailto:`).
    pub fn is_external(&self) -> bool {
        let scheme = self.target.split_once(':').map(|(s, _)| s);
        scheme.is_some_and(|s| {
            !s.is_empty()
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        })
    }

    /// The file part and the `#fragment` part (either may be empty).
    pub fn split(&self) -> (&str, Option<&str>) {
        match self.target.split_once('#') {
            Some((file, fragment)) => (file, Some(fragment)),
            None => (&self.target, None),
        }
    }
}

/// Every inline link `[text](target)`, image `![alt](target)`, reference definition
/// `[label]: target`, and HTML `href="…"`/`src="…"` outside code.
pub fn links(text: &str) -> Vec<Link> {
    let mut found = Vec::new();
    for (line_no, line) in prose_lines(text) {
        let line = strip_code_spans(line);
        let mut push = |target: &str| {
            let target = target.trim().trim_start_matches('<').trim_end_matches('>');
            if !target.is_empty() {
                found.push(Link { line: line_no, target: target.to_string() });
            }
        };
        let mut rest = line.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let end = after.find(')').unwrap_or(after.len());
            // A title may follow the target: [text](target "title").
            push(after[..end].split_whitespace().next().unwrap_or(""));
            rest = &after[end..];
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') && !trimmed.starts_with("[^") {
            if let Some((_, target)) = trimmed.split_once("]:") {
                push(target.split_whitespace().next().unwrap_or(""));
            }
        }
        for attribute in ["href=\"", "src=\""] {
            let mut rest = line.as_str();
            while let Some(start) = rest.find(attribute) {
                let after = &rest[start + attribute.len()..];
                let end = after.find('"').unwrap_or(after.len());
                push(&after[..end]);
                rest = &after[end..];
            }
        }
    }
    found
}

/// The ids mdBook 0.5 gives the headings and definition-list terms of a chapter, plus any
/// `id="…"` written in raw HTML. Fails on setext headings, which this scanner does not read.
pub fn heading_ids(text: &str) -> Result<HashSet<String>> {
    let mut used = HashSet::new();
    let mut explicit = HashSet::new();
    let lines = prose_lines(text);
    for (i, &(number, line)) in lines.iter().enumerate() {
        let next = lines.get(i + 1).filter(|(n, _)| *n == number + 1).map(|(_, l)| *l);
        let trimmed = line.trim();
        if let Some(next) = next {
            let underline = next.trim();
            let is_underline = !underline.is_empty()
                && (underline.chars().all(|c| c == '=') || underline.chars().all(|c| c == '-'));
            if is_underline && !trimmed.is_empty() && !trimmed.starts_with('|') {
                bail!(
                    "line {number}: a setext heading (text underlined with {underline:?}); \
                     write `# …` headings, or leave a blank line before a `---` rule"
                );
            }
        }
        let heading = atx_heading(line);
        let term = (next.is_some_and(is_definition) && !trimmed.is_empty() && !is_definition(line))
            .then_some(trimmed);
        for content in heading.into_iter().chain(term) {
            if let Some(id) = custom_id(content) {
                explicit.insert(id.to_string());
            } else {
                let id = id_from_content(&inline_text(content));
                unique_id(&id, &mut used);
            }
        }
        let mut rest = line;
        while let Some(start) = rest.find(" id=\"") {
            let after = &rest[start + 5..];
            let end = after.find('"').unwrap_or(after.len());
            explicit.insert(after[..end].to_string());
            rest = &after[end..];
        }
    }
    used.extend(explicit);
    Ok(used)
}

/// The text of an ATX heading (`## Text ##`), if `line` is one.
fn atx_heading(line: &str) -> Option<&str> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let line = line.trim();
    let level = line.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let rest = rest.trim();
    // A closing sequence of #s, when separated by a space, is not part of the text.
    let closed = rest.trim_end_matches('#');
    Some(if closed.is_empty() || closed.ends_with(' ') { closed.trim_end() } else { rest })
}

/// A definition's first line: `: text`.
fn is_definition(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with(": ") || line.starts_with(":\t")
}

/// The id of a trailing attribute block `{#id .class}` of a heading.
fn custom_id(content: &str) -> Option<&str> {
    let start = content.rfind('{')?;
    let block = content[start..].strip_prefix('{')?.strip_suffix('}')?;
    block.split_whitespace().find_map(|w| w.strip_prefix('#'))
}

/// The plain text of a line of inline markdown, roughly as mdBook renders it: code spans
/// keep their content, links keep their text, emphasis stars, HTML tags and entities go,
/// and (outside code) smart punctuation turns `--` and `---` into dashes.
pub fn inline_text(markdown: &str) -> String {
    let mut text = String::new();
    let mut rest = markdown;
    while !rest.is_empty() {
        if rest.starts_with('`') {
            let ticks = rest.chars().take_while(|c| *c == '`').count();
            let fence = &rest[..ticks];
            if let Some(end) = rest[ticks..].find(fence) {
                let code = &rest[ticks..ticks + end];
                let code = if code.starts_with(' ') && code.ends_with(' ') && code.trim() != "" {
                    &code[1..code.len() - 1]
                } else {
                    code
                };
                text.push_str(code);
                rest = &rest[ticks + end + ticks..];
                continue;
            }
        }
        let next = rest.find('`').unwrap_or(rest.len()).max(1);
        text.push_str(&prose_text(&rest[..next]));
        rest = &rest[next..];
    }
    text
}

fn prose_text(prose: &str) -> String {
    let mut out = String::new();
    let mut chars = prose.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            '*' | '[' => {}
            ']' if prose[i..].starts_with("](") => {
                // Skip the link's target.
                let end = prose[i..].find(')').map_or(prose.len(), |e| i + e);
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            '<' => {
                let end = prose[i..].find('>').map_or(prose.len(), |e| i + e);
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            '&' if prose[i..].find(';').is_some_and(|e| {
                e > 1 && prose[i + 1..i + e].chars().all(|c| c.is_ascii_alphanumeric() || c == '#')
            }) =>
            {
                let end = i + prose[i..].find(';').unwrap_or(0);
                while chars.peek().is_some_and(|(j, _)| *j <= end) {
                    chars.next();
                }
            }
            _ => out.push(c),
        }
    }
    out.replace("---", "\u{2014}").replace("--", "\u{2013}")
}

/// mdBook 0.5's id for a heading's text (`mdbook_html::utils::id_from_content`).
pub fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook 0.5's way of keeping ids unique: `id`, then `id-1`, `id-2`, …
pub fn unique_id(id: &str, used: &mut HashSet<String>) -> String {
    if used.insert(id.to_string()) {
        return id.to_string();
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("some suffix is free")
}

/// `line` with its code spans removed.
fn strip_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let fence = &rest[start..start + ticks];
        let after = &rest[start + ticks..];
        match after.find(fence) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(fence);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_mdbook() {
        // The cases of mdBook's own test of `id_from_content`.
        assert_eq!(
            id_from_content("`--passes`: add more rustdoc passes"),
            "--passes-add-more-rustdoc-passes"
        );
        assert_eq!(
            id_from_content("Method-call 🐙 expressions \u{1f47c}"),
            "method-call--expressions-"
        );
        assert_eq!(id_from_content("_-_12345"), "_-_12345");
        assert_eq!(id_from_content("中文標題 CJK title"), "中文標題-cjk-title");
        assert_eq!(id_from_content("Über"), "über");
    }

    #[test]
    fn heading_ids_are_unique_and_read_inline_markdown() {
        let text = "# Intro\n\n## Run `cargo grader check 01`\n\n## Intro\n\n\
                    ```\n# not a heading\n```\n\n### ERROR 2003 -- can't connect\n\n\
                    ## Custom {#mine}\n\n## A [link](x.md) and *stress*\n\n\
                    bind-address\n: where the server listens\n\n<span id=\"raw\"></span>\n";
        let ids = heading_ids(text).unwrap();
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(
            ids,
            [
                "a-link-and-stress",
                "bind-address",
                "error-2003--cant-connect",
                "intro",
                "intro-1",
                "mine",
                "raw",
                "run-cargo-grader-check-01",
            ]
        );
    }

    #[test]
    fn setext_headings_are_refused() {
        assert!(heading_ids("Title\n=====\n").is_err());
        assert!(heading_ids("text\n\n---\n").is_ok());
    }

    #[test]
    fn finds_links_outside_code() {
        let text = "See [a](a.md#x) and ![d](../images/d.svg \"t\").\n`[no](code.md)`\n\
                    ```\n[no](fence.md)\n```\n[ref]: https://example.org\n<img src=\"i.png\">\n";
        let targets: Vec<_> = links(text).into_iter().map(|l| l.target).collect();
        assert_eq!(targets, ["a.md#x", "../images/d.svg", "https://example.org", "i.png"]);
        let link = Link { line: 1, target: "a.md#x".into() };
        assert!(!link.is_external());
        assert_eq!(link.split(), ("a.md", Some("x")));
    }
}
