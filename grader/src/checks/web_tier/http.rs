//! A tiny HTTP/1.1 client, enough to play the web client of exercise 11: one `GET`
//! per TCP connection (`Connection: close`), as curl would send it; the answer's
//! status line, headers and body, read by `Content-Length`, chunks, or to the end.

use std::io::{Read as _, Write as _};
use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{bail, ensure, Context as _, Result};

use crate::runner::Connector;

/// Bytes of an answer read at most; more is an error.
const MAX_ANSWER: usize = 1024 * 1024;

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The status code, such as 200.
    pub status: u16,
    /// The headers, names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

/// Sends `GET path` to `addr` and reads the answer, each step within `timeout`; the
/// connection is opened where the program runs (`connector`).
pub fn get(
    connector: &Connector,
    addr: SocketAddr,
    path: &str,
    timeout: Duration,
) -> Result<Answer> {
    let mut stream =
        connector.connect(addr, timeout).with_context(|| format!("cannot connect to {addr}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUser-Agent: grader\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).context("cannot send the request")?;
    let mut raw = Vec::new();
    let mut buffer = [0; 16 * 1024];
    loop {
        if let Some(answer) = parse(&raw, false)? {
            return Ok(answer);
        }
        let read = match stream.read(&mut buffer) {
            Ok(read) => read,
            Err(error) if raw.is_empty() => {
                return Err(error)
                    .context("no answer came (the connection was closed or timed out)")
            }
            Err(error) => return Err(error).context("the answer stopped half-way"),
        };
        if read == 0 {
            return parse(&raw, true)?.context(if raw.is_empty() {
                "the server closed the connection without answering"
            } else {
                "the server closed the connection in the middle of its answer"
            });
        }
        raw.extend_from_slice(&buffer[..read]);
        ensure!(raw.len() <= MAX_ANSWER, "the answer is longer than {} KiB", MAX_ANSWER / 1024);
    }
}

/// Reads an answer from `raw`: `None` while it is incomplete and more may come
/// (`ended` is false), an error if it cannot be an HTTP answer.
fn parse(raw: &[u8], ended: bool) -> Result<Option<Answer>> {
    let Some(head_end) = raw.windows(4).position(|window| window == b"\r\n\r\n") else {
        return Ok(None);
    };
    let head = std::str::from_utf8(&raw[..head_end]).context("the headers are not text")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_of(status_line)?;
    let headers = lines
        .map(|line| {
            let (name, value) = line
                .split_once(':')
                .with_context(|| format!("a header without a colon: {line:?}"))?;
            Ok((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect::<Result<Vec<_>>>()?;
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let rest = &raw[head_end + 4..];
    let body = if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        match dechunk(rest)? {
            Some(body) => body,
            None if ended => bail!("the chunked body ended early"),
            None => return Ok(None),
        }
    } else if let Some(length) = header("content-length") {
        let length: usize = length
            .parse()
            .with_context(|| format!("Content-Length is not a number: {length:?}"))?;
        if rest.len() < length {
            ensure!(
                !ended,
                "the body is shorter ({} bytes) than Content-Length says ({length})",
                rest.len()
            );
            return Ok(None);
        }
        rest[..length].to_vec()
    } else if ended {
        rest.to_vec()
    } else {
        return Ok(None);
    };
    let body = String::from_utf8(body).context("the body is not UTF-8 text")?;
    Ok(Some(Answer { status, headers, body }))
}

/// The code in a status line such as `HTTP/1.1 404 Not Found`.
fn status_of(line: &str) -> Result<u16> {
    let mut parts = line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    ensure!(version.starts_with("HTTP/1."), "not an HTTP/1 status line: {line:?}");
    let code = parts.next().unwrap_or_default();
    code.parse().with_context(|| format!("no status code in {line:?}"))
}

/// The body of a chunked answer, or `None` if its last chunk has not come yet.
fn dechunk(mut rest: &[u8]) -> Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = rest.windows(2).position(|window| window == b"\r\n") else {
            return Ok(None);
        };
        let size_text = std::str::from_utf8(&rest[..line_end]).unwrap_or_default();
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .with_context(|| format!("a chunk size that is not hexadecimal: {size_text:?}"))?;
        let chunk_start = line_end + 2;
        if size == 0 {
            return Ok(Some(body));
        }
        if rest.len() < chunk_start + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&rest[chunk_start..chunk_start + size]);
        rest = &rest[chunk_start + size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_headers_and_a_body_by_its_length() {
        let raw = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"error\":\"x\"}";
        let answer = parse(raw, false).unwrap().unwrap();
        assert_eq!(answer.status, 404);
        assert_eq!(answer.headers[0], ("content-type".into(), "application/json".into()));
        assert_eq!(answer.body, "{\"error\":\"x\"}");
        assert_eq!(parse(&raw[..raw.len() - 1], false).unwrap(), None);
        assert!(parse(&raw[..raw.len() - 1], true).is_err());
    }

    #[test]
    fn reads_chunks_and_bodies_that_end_with_the_connection() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n";
        assert_eq!(parse(chunked, false).unwrap().unwrap().body, "[1,2]");
        let until_closed = b"HTTP/1.0 200 OK\r\n\r\n[]";
        assert_eq!(parse(until_closed, false).unwrap(), None);
        assert_eq!(parse(until_closed, true).unwrap().unwrap().body, "[]");
    }

    #[test]
    fn refuses_what_is_not_http() {
        assert!(parse(b"SSH-2.0-OpenSSH\r\n\r\n", true).is_err());
        assert!(parse(b"HTTP/1.1 abc\r\n\r\n", true).is_err());
    }
}
