//! Reads `SUMMARY.md`: the book's table of contents.
//!
//! Only what the book uses is understood: an optional `# Title` first, `# Part` headings,
//! and entries `[Title](path.md)` or `- [Title](path.md)` (nested with indentation). An
//! entry with an empty path is a draft chapter.

use anyhow::{bail, Result};

use crate::markdown;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The title shown in the sidebar, which mdBook also puts in the page's `<title>`.
    pub title: String,
    /// The chapter's file, relative to `src`; `None` for a draft.
    pub path: Option<String>,
    /// The part (`# Part …` heading) the entry sits under, if any.
    pub part: Option<String>,
}

/// The table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The `# Title` above every entry, if there is one.
    pub title: Option<String>,
    /// The part titles, in order.
    pub parts: Vec<String>,
    /// Every entry, in order.
    pub entries: Vec<Entry>,
}

impl Summary {
    /// Parses the text of a `SUMMARY.md`.
    pub fn parse(text: &str) -> Result<Summary> {
        let mut summary = Summary { title: None, parts: Vec::new(), entries: Vec::new() };
        for (number, line) in markdown::prose_lines(text) {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.chars().all(|c| c == '-') {
                continue; // blank lines and separators
            }
            if let Some(heading) = trimmed.strip_prefix("# ") {
                let heading = heading.trim().to_string();
                if summary.title.is_none() && summary.entries.is_empty() && summary.parts.is_empty()
                {
                    summary.title = Some(heading);
                } else {
                    summary.parts.push(heading);
                }
                continue;
            }
            let item = trimmed
                .strip_prefix("- ")
                .or_else(|| trimmed.strip_prefix("* "))
                .unwrap_or(trimmed);
            let Some((title, path)) = parse_link(item) else {
                bail!("SUMMARY.md line {number} is not an entry [Title](path.md): {line:?}");
            };
            summary.entries.push(Entry {
                title: title.to_string(),
                path: (!path.is_empty()).then(|| path.to_string()),
                part: summary.parts.last().cloned(),
            });
        }
        Ok(summary)
    }

    /// The entry whose file is `path` (relative to `src`).
    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.path.as_deref() == Some(path))
    }
}

/// Splits `[Title](path)` that makes up the whole of `item`.
fn parse_link(item: &str) -> Option<(&str, &str)> {
    let rest = item.strip_prefix('[')?;
    let (title, rest) = rest.split_once("](")?;
    let path = rest.strip_suffix(')')?;
    Some((title.trim(), path.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_parts_and_entries() {
        let text = "# Summary\n\n[Introduction](introduction.md)\n\n# Part I\n\n\
                    - [One](a/one.md)\n  - [Nested](a/nested.md)\n- [Draft]()\n\n---\n\n\
                    [Suffix](z.md)\n";
        let summary = Summary::parse(text).unwrap();
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        assert_eq!(summary.parts, ["Part I"]);
        let paths: Vec<_> = summary.entries.iter().map(|e| e.path.as_deref()).collect();
        assert_eq!(
            paths,
            [Some("introduction.md"), Some("a/one.md"), Some("a/nested.md"), None, Some("z.md")]
        );
        assert_eq!(summary.entries[0].part, None);
        assert_eq!(summary.entries[2].part.as_deref(), Some("Part I"));
        assert_eq!(summary.entry("a/one.md").unwrap().title, "One");
    }

    #[test]
    fn rejects_what_it_does_not_understand() {
        assert!(Summary::parse("# T\n\nsome prose\n").is_err());
    }
}
