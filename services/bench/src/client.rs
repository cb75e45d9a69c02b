//! A lean GraphQL-over-HTTP client for the closed loops of workload 1: one keep-alive
//! connection per client, the request head built once, the answer's head parsed with
//! `httparse` (the parser inside hyper).
//!
//! Why not `reqwest` there: client and server share the machine's two cores, and the
//! limit they are compared with, pgbench, is a lean C client sending prepared
//! statements. `reqwest` parses the URL (with IDNA) and the answer's JSON tree on every
//! request and drives each connection from a task of its own; that CPU came out of
//! the server's share. This client sends the same HTTP request and still checks every
//! answer: status 200 and no `errors` member.

use std::io::Write as _;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::db::BenchResult;

/// One keep-alive HTTP/1.1 connection to `/graphql` with a bearer token.
pub struct GqlConnection {
    stream: TcpStream,
    /// The request up to the value of Content-Length.
    head: Vec<u8>,
    /// The request being sent, then the answer being read.
    buf: Vec<u8>,
}

#[derive(Serialize)]
struct Body<'a, V> {
    query: &'a str,
    variables: &'a V,
}

/// What of an answer is checked: only whether it carries errors.
#[derive(Deserialize)]
struct Answer {
    errors: Option<serde::de::IgnoredAny>,
}

impl GqlConnection {
    /// Connects to `base` (`http://host:port`) as the holder of `token`.
    pub async fn open(base: &str, token: &str) -> BenchResult<Self> {
        let authority = base
            .strip_prefix("http://")
            .ok_or_else(|| format!("not an http:// address: {base}"))?
            .trim_end_matches('/');
        let stream = TcpStream::connect(authority).await?;
        stream.set_nodelay(true)?;
        let head = format!(
            "POST /graphql HTTP/1.1\r\nHost: {authority}\r\nAuthorization: Bearer {token}\r\n\
             Accept: application/graphql-response+json\r\nContent-Type: application/json\r\n\
             Content-Length: "
        )
        .into_bytes();
        Ok(Self {
            stream,
            head,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends `query` with `variables`; Ok when the answer is 200 without `errors`.
    pub async fn post<V: Serialize>(&mut self, query: &str, variables: &V) -> BenchResult<()> {
        let body = serde_json::to_vec(&Body { query, variables })?;
        self.buf.clear();
        self.buf.extend_from_slice(&self.head);
        write!(self.buf, "{}\r\n\r\n", body.len())?;
        self.buf.extend_from_slice(&body);
        self.stream.write_all(&self.buf).await?;
        self.buf.clear();
        let (status, body_at, length) = loop {
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Err("the server closed the connection".into());
            }
            if let Some(head) = parse_head(&self.buf)? {
                break head;
            }
        };
        while self.buf.len() < body_at + length {
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Err("the server closed the connection mid-answer".into());
            }
        }
        check_answer(status, &self.buf[body_at..body_at + length])
    }
}

/// Ok for status 200 with an answer without `errors`.
fn check_answer(status: u16, body: &[u8]) -> BenchResult<()> {
    if status != 200 {
        return Err(format!("HTTP {status}: {}", String::from_utf8_lossy(body)).into());
    }
    let answer: Answer = serde_json::from_slice(body)?;
    if answer.errors.is_some() {
        return Err(format!("GraphQL errors: {}", String::from_utf8_lossy(body)).into());
    }
    Ok(())
}

/// One connection per closed-loop client, each opened on its client's first call.
pub struct Connections {
    base: String,
    token: String,
    slots: Vec<tokio::sync::Mutex<Option<GqlConnection>>>,
}

impl Connections {
    /// Room for `clients` connections to `base` with `token`.
    pub fn new(base: &str, token: &str, clients: usize) -> Self {
        Self {
            base: base.to_string(),
            token: token.to_string(),
            slots: (0..clients)
                .map(|_| tokio::sync::Mutex::new(None))
                .collect(),
        }
    }

    /// [`GqlConnection::post`] on client `i`'s connection; a connection that failed is
    /// dropped, and the client's next call opens a new one.
    pub async fn post<V: Serialize>(
        &self,
        i: usize,
        query: &str,
        variables: &V,
    ) -> BenchResult<()> {
        let mut slot = self.slots.get(i).ok_or("no such client")?.lock().await;
        let conn = match &mut *slot {
            Some(conn) => conn,
            None => slot.insert(GqlConnection::open(&self.base, &self.token).await?),
        };
        let result = conn.post(query, variables).await;
        if result.is_err() {
            *slot = None;
        }
        result
    }
}

/// The status, where the body starts and its length, once the head is complete.
fn parse_head(buf: &[u8]) -> BenchResult<Option<(u16, usize, usize)>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut response = httparse::Response::new(&mut headers);
    let httparse::Status::Complete(body_at) = response.parse(buf)? else {
        return Ok(None);
    };
    let length = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| std::str::from_utf8(h.value).ok()?.trim().parse().ok())
        .ok_or("an answer without Content-Length")?;
    Ok(Some((response.code.unwrap_or(0), body_at, length)))
}

#[cfg(test)]
mod tests {
    use super::{check_answer, parse_head};

    #[test]
    fn an_answer_passes_only_with_status_200_and_no_errors() {
        assert!(check_answer(200, br#"{"data":{"me":{"name":"x"}}}"#).is_ok());
        let errors = br#"{"errors":[{"message":"no"}],"data":null}"#;
        assert!(check_answer(200, errors).is_err());
        assert!(check_answer(400, br#"{"data":null}"#).is_err());
        assert!(check_answer(200, b"not json").is_err());
    }

    #[test]
    fn a_head_is_read_once_complete_with_its_status_and_body_length() {
        let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 13\r\n\r\n{\"data\":null}";
        assert_eq!(parse_head(&answer[..20]).unwrap(), None);
        assert_eq!(parse_head(answer).unwrap(), Some((200, 39, 13)));
    }

    #[test]
    fn an_answer_without_a_length_is_refused() {
        assert!(parse_head(b"HTTP/1.1 200 OK\r\n\r\n").is_err());
    }
}
