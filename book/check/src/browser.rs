//! Opens a page in headless Chromium: its DOM after the scripts ran, and a screenshot.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _, Result};

/// The names Chromium's binary goes by.
pub const CHROMIUM: &[&str] = &["chromium", "chromium-browser"];

/// How to install Chromium, for the skip notice.
pub const CHROMIUM_INSTALL: &str = "install it with `sudo apt-get install chromium`";

/// How long one page may take before Chromium is stopped.
const PATIENCE: Duration = Duration::from_secs(60);

/// Loads `url` in a fresh headless Chromium (1280×1600), saves a PNG of it to `screenshot`
/// and returns the DOM as the page's scripts left it. Host names other than 127.0.0.1 do
/// not resolve, so nothing the page asks for can leave the machine.
pub fn render(chromium: &Path, url: &str, screenshot: &Path) -> Result<String> {
    let profile = tempfile::Builder::new()
        .prefix("book-check-chromium-")
        .tempdir()
        .context("cannot create a profile folder for Chromium")?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1280,1600",
            "--virtual-time-budget=5000",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {}", chromium.display()))?;
    let read_all = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().context("stdout is piped")?));
    let stderr = read_all(Box::new(child.stderr.take().context("stderr is piped")?));

    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > PATIENCE {
            let _ = child.kill();
            let _ = child.wait();
            bail!("Chromium did not finish {url} within {} s", PATIENCE.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let dom = stdout.join().unwrap_or_default();
    let log = stderr.join().unwrap_or_default();
    if !status.success() || dom.trim().is_empty() {
        bail!("Chromium could not render {url} ({status}); it said:\n{log}");
    }
    if !screenshot.is_file() {
        bail!(
            "Chromium rendered {url} but wrote no screenshot to {}; it said:\n{log}",
            screenshot.display()
        );
    }
    Ok(dom)
}

/// The text of the first `<title>` of an HTML document, with the basic entities decoded.
pub fn title(html: &str) -> Option<String> {
    let start = html.find("<title>")? + "<title>".len();
    let end = start + html[start..].find("</title>")?;
    Some(decode_entities(html[start..end].trim()))
}

/// Decodes the entities an HTML serialiser writes in text: `&amp;`, `&lt;`, `&gt;`,
/// `&quot;`, `&#39;` and `&nbsp;`.
pub fn decode_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Absolute `http(s)://` addresses that a document loads from elsewhere: the `href` of its
/// `<link>` elements and the `src` of its `<script>`, `<img>` and `<iframe>` elements.
pub fn external_resources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (tag, attribute) in
        [("<link", "href"), ("<script", "src"), ("<img", "src"), ("<iframe", "src")]
    {
        let mut rest = html;
        while let Some(start) = rest.find(tag) {
            let element = &rest[start..];
            let end = element.find('>').unwrap_or(element.len());
            let element = &element[..end];
            if let Some(value) = attribute_value(element, attribute) {
                let lower = value.to_ascii_lowercase();
                if lower.starts_with("http:")
                    || lower.starts_with("https:")
                    || lower.starts_with("//")
                {
                    found.push(value.to_string());
                }
            }
            rest = &rest[start + end.max(1)..];
        }
    }
    found
}

fn attribute_value<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    for quote in ['"', '\''] {
        let pattern = format!(" {name}={quote}");
        if let Some(start) = element.find(&pattern) {
            let value = &element[start + pattern.len()..];
            return value.split(quote).next();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_titles() {
        let html = "<html><head><title>A &amp; B - Book</title></head></html>";
        assert_eq!(title(html).as_deref(), Some("A & B - Book"));
    }

    #[test]
    fn finds_resources_from_other_hosts() {
        let html = r#"<link rel="stylesheet" href="css/general.css">
            <link href='https://fonts.example.org/x.css' rel="stylesheet">
            <script src="//cdn.example.org/x.js"></script><script src="book.js"></script>
            <a href="https://example.org">a link is not a resource</a>"#;
        assert_eq!(
            external_resources(html),
            ["https://fonts.example.org/x.css", "//cdn.example.org/x.js"]
        );
    }
}
