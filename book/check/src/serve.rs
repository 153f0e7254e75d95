//! A tiny HTTP file server for the built book: GET only, on 127.0.0.1, one thread per
//! connection, and a log of every request with the status it got.

use std::io::{self, BufRead as _, BufReader, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// One request the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The method, `GET` unless something unexpected asked.
    pub method: String,
    /// The path as requested, without the query string.
    pub path: String,
    /// The status the server answered with.
    pub status: u16,
}

/// Serves the files under a folder until dropped.
#[derive(Debug)]
pub struct FileServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Served>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FileServer {
    /// Starts serving `root` on a free port of 127.0.0.1.
    pub fn start(root: &Path) -> io::Result<FileServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (root, log, stop) = (root.to_path_buf(), Arc::clone(&log), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (root, log) = (root.clone(), Arc::clone(&log));
                    std::thread::spawn(move || answer(stream, &root, &log));
                }
            })
        };
        Ok(FileServer { addr, log, stop, thread: Some(thread) })
    }

    /// The address of `path` (relative to the served folder) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Every request answered so far, in the order they were answered.
    pub fn served(&self) -> Vec<Served> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request from `stream`, logs it, answers it and closes the connection. The log
/// is written before the answer, so a client that has its answer finds its request logged.
fn answer(mut stream: TcpStream, root: &Path, log: &Mutex<Vec<Served>>) -> Option<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    // Read (and ignore) the headers, up to the blank line.
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut words = request_line.split_whitespace();
    let (method, target) = (words.next()?.to_string(), words.next()?.to_string());
    let path = target.split(['?', '#']).next().unwrap_or("").to_string();

    let (status, content_type, body) = if method != "GET" {
        (405, "text/plain; charset=utf-8", b"GET only\n".to_vec())
    } else {
        match file_for(root, &path).and_then(|file| std::fs::read(&file).ok().map(|b| (file, b))) {
            Some((file, body)) => (200, content_type(&file), body),
            None => (404, "text/plain; charset=utf-8", b"not found\n".to_vec()),
        }
    };
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    log.lock().unwrap_or_else(PoisonError::into_inner).push(Served { method, path, status });
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body))
        .and_then(|()| stream.flush());
    let _ = stream.shutdown(Shutdown::Both);
    Some(())
}

/// The file a request path names under `root`: `/` and folders mean their `index.html`;
/// anything that would climb out of `root` names nothing.
fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty() && *s != ".") {
        if segment == ".." || segment.contains('\\') {
            return None;
        }
        file.push(segment);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by its extension.
pub fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn get(server: &FileServer, path: &str) -> String {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn serves_files_logs_requests_and_refuses_to_climb() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<title>hi</title>").unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        std::fs::write(dir.path().join("images/a b.svg"), "<svg/>").unwrap();
        let server = FileServer::start(dir.path()).unwrap();

        let home = get(&server, "/");
        assert!(home.starts_with("HTTP/1.1 200 OK\r\n"), "{home}");
        assert!(home.contains("Content-Type: text/html; charset=utf-8\r\n"));
        assert!(home.ends_with("<title>hi</title>"));
        let svg = get(&server, "/images/a%20b.svg?x=1");
        assert!(svg.contains("Content-Type: image/svg+xml\r\n"), "{svg}");
        assert!(get(&server, "/../etc/passwd").starts_with("HTTP/1.1 404"));
        assert!(get(&server, "/nope.css").starts_with("HTTP/1.1 404"));

        let mut log: Vec<_> = server.served().into_iter().map(|s| (s.path, s.status)).collect();
        log.sort();
        assert_eq!(
            log,
            [
                ("/".to_string(), 200),
                ("/../etc/passwd".to_string(), 404),
                ("/images/a%20b.svg".to_string(), 200),
                ("/nope.css".to_string(), 404),
            ]
        );
    }
}
