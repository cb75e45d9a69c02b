//! A hostile request, what it must be answered with, and how an answer is judged.

use serde_json::{Value, json};

/// The response type with 4xx document errors.
pub const GQL: &str = "application/graphql-response+json";
/// The legacy response type (document errors are answered 200).
pub const JSON: &str = "application/json";
/// The code of request, document and input errors.
pub const BAD: &str = "BAD_USER_INPUT";
/// The codes the contract allows; `INTERNAL` is never a fair answer to user input.
const CODES: [&str; 6] = [
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "INVALID_TRANSITION",
    "VERSION_CONFLICT",
];

/// The tokens the generators use.
pub struct Tokens {
    /// OFFICE.
    pub office: String,
    /// AUDITOR.
    pub auditor: String,
    /// DEPARTMENT.
    pub department: String,
}

/// What the answer to a hostile request must be (beyond: no 5xx, no hang, coded errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Nothing more.
    Any,
    /// This status, with this code among the errors and no `data`.
    Refused(u16, &'static str),
    /// 200 with `data` and no errors.
    Success,
    /// This code among the errors.
    Code(&'static str),
}

/// One generated request.
#[derive(Debug, Clone)]
pub struct Hostile {
    /// The generator's name.
    pub kind: &'static str,
    /// The HTTP method.
    pub method: reqwest::Method,
    /// The query string of a GET, without `?`.
    pub query_string: Option<String>,
    /// `(name, value)` headers, including `authorization`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The expected answer.
    pub expect: Expect,
}

impl Hostile {
    /// A POST of `body` with `Content-Type: application/json`, `Accept: accept` and the
    /// office token.
    pub fn post(
        kind: &'static str,
        t: &Tokens,
        accept: Option<&str>,
        body: Vec<u8>,
        expect: Expect,
    ) -> Hostile {
        let mut headers = vec![
            ("authorization", format!("Bearer {}", t.office)),
            ("content-type", JSON.to_string()),
        ];
        if let Some(accept) = accept {
            headers.push(("accept", accept.to_string()));
        }
        Hostile {
            kind,
            method: reqwest::Method::POST,
            query_string: None,
            headers,
            body,
            expect,
        }
    }

    /// A POST of `{"query": query, "variables": variables}`.
    pub fn graphql(
        kind: &'static str,
        t: &Tokens,
        accept: Option<&str>,
        query: &str,
        variables: Value,
        expect: Expect,
    ) -> Hostile {
        let body = json!({ "query": query, "variables": variables }).to_string();
        Hostile::post(kind, t, accept, body.into_bytes(), expect)
    }

    /// Sets header `name` (replacing it, or removing it when `None`).
    pub fn header(mut self, name: &'static str, value: Option<String>) -> Hostile {
        self.headers.retain(|(n, _)| *n != name);
        if let Some(value) = value {
            self.headers.push((name, value));
        }
        self
    }
}

/// The status of a document error for this `Accept`: 400, or 200 for `application/json`.
pub fn doc_status(accept: Option<&str>) -> u16 {
    if accept == Some(GQL) { 400 } else { 200 }
}

/// Judges an answer; `Err` says what is wrong.
pub fn judge(expect: Expect, status: u16, body: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(body);
    let short: String = text.chars().take(300).collect();
    if status >= 500 {
        return Err(format!("server error {status}: {short}"));
    }
    let json: Option<Value> = serde_json::from_slice(body).ok();
    let errors = json
        .as_ref()
        .and_then(|j| j.get("errors"))
        .and_then(Value::as_array);
    if status >= 400 && errors.is_none_or(|e| e.is_empty()) {
        return Err(format!("{status} without GraphQL errors: {short}"));
    }
    let mut codes = Vec::new();
    for error in errors.into_iter().flatten() {
        match error["extensions"]["code"].as_str() {
            Some(code) if CODES.contains(&code) => codes.push(code),
            _ => {
                return Err(format!(
                    "an error without a contract code, or INTERNAL: {error}"
                ));
            }
        }
    }
    let has_data = json.as_ref().is_some_and(|j| j.get("data").is_some());
    match expect {
        Expect::Any => Ok(()),
        Expect::Refused(want, code) if status == want && codes.contains(&code) && !has_data => {
            Ok(())
        }
        Expect::Success if status == 200 && has_data && codes.is_empty() => Ok(()),
        Expect::Code(code) if codes.contains(&code) => Ok(()),
        _ => Err(format!("expected {expect:?}, got {status}: {short}")),
    }
}
