//! Generators of hostile HTTP: malformed and corrupted JSON, random bytes, lone
//! surrogates and invalid UTF-8, oversized bodies, batches, wrong content types and
//! methods, GET with mutations, unacceptable `Accept`, writes by those who may not write,
//! and requests without a valid token.

use serde_json::json;

use super::documents::UNICODE;
use super::request::{BAD, Expect, GQL, Hostile, JSON, Tokens};
use super::rng::Rng;

const MAX_BODY: usize = duban::http::graphql_over_http::MAX_BODY_BYTES;

const VALID: [&str; 5] = [
    "{ me { name role } }",
    "{ plans { id title phases { name } } }",
    "{ tasks(first: 10) { totalCount nodes { id status } } }",
    "{ board { totals { open } } }",
    "{ events(first: 3) { nodes { type } } }",
];

fn valid_body(rng: &mut Rng) -> Vec<u8> {
    json!({ "query": rng.pick(&VALID) })
        .to_string()
        .into_bytes()
}

/// A valid body cut short: never JSON.
pub fn truncated_json(rng: &mut Rng, t: &Tokens) -> Hostile {
    let mut body = valid_body(rng);
    body.truncate(rng.range(0, body.len()));
    Hostile::post(
        "truncated_json",
        t,
        Some(GQL),
        body,
        Expect::Refused(400, BAD),
    )
}

/// A valid body with a few bytes replaced.
pub fn corrupted_json(rng: &mut Rng, t: &Tokens) -> Hostile {
    let mut body = valid_body(rng);
    for _ in 0..rng.range(1, 6) {
        let at = rng.range(0, body.len());
        body[at] = rng.next() as u8;
    }
    Hostile::post("corrupted_json", t, Some(JSON), body, Expect::Any)
}

/// Random bytes.
pub fn random_bytes(rng: &mut Rng, t: &Tokens) -> Hostile {
    let len = rng.range(0, 4096);
    Hostile::post("random_bytes", t, None, rng.bytes(len), Expect::Any)
}

/// JSON with lone surrogate escapes or bytes that are not UTF-8.
pub fn bad_encoding(rng: &mut Rng, t: &Tokens) -> Hostile {
    let body: Vec<u8> = match rng.range(0, 4) {
        0 => br#"{"query":"{ task(id: \"\ud800\") { id } }"}"#.to_vec(),
        1 => br#"{"query":"{ me { name } }","variables":{"x":"\udc00\u0000"}}"#.to_vec(),
        2 => [
            &br#"{"query":"{ me { name } }","variables":{"x":""#[..],
            &[0xff, 0xfe, 0xc0, 0x80],
            br#""}}"#,
        ]
        .concat(),
        _ => [
            &br#"{"query":"{ me { na"#[..],
            &[0xed, 0xa0, 0x80],
            br#"me } }"}"#,
        ]
        .concat(),
    };
    Hostile::post(
        "bad_encoding",
        t,
        Some(GQL),
        body,
        Expect::Refused(400, BAD),
    )
}

/// A body over the limit.
pub fn oversized(rng: &mut Rng, t: &Tokens) -> Hostile {
    let pad = " ".repeat(MAX_BODY + rng.range(1, 65_536));
    let body = format!(r#"{{"query":"{{ me {{ name }} }}","pad":"{pad}"}}"#);
    Hostile::post(
        "oversized",
        t,
        Some(GQL),
        body.into_bytes(),
        Expect::Refused(413, BAD),
    )
}

/// A JSON array of requests: batches are not served.
pub fn batched(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(0, 200);
    let batch: Vec<_> = (0..n)
        .map(|_| json!({ "query": rng.pick(&VALID) }))
        .collect();
    let body = serde_json::to_vec(&batch).expect("json");
    Hostile::post("batched", t, Some(JSON), body, Expect::Refused(400, BAD))
}

/// A valid body with a content type other than JSON.
pub fn wrong_content_type(rng: &mut Rng, t: &Tokens) -> Hostile {
    let content_type = rng.pick(&[
        None,
        Some("text/plain"),
        Some("application/graphql"),
        Some("multipart/form-data; boundary=x"),
        Some("application/x-www-form-urlencoded"),
        Some("application/json; charset=latin1"),
        Some("application/jsonx"),
    ]);
    let body = valid_body(rng);
    Hostile::post(
        "wrong_content_type",
        t,
        Some(GQL),
        body,
        Expect::Refused(415, BAD),
    )
    .header("content-type", content_type.map(str::to_string))
}

fn get(kind: &'static str, t: &Tokens, query_string: String, expect: Expect) -> Hostile {
    Hostile {
        kind,
        method: reqwest::Method::GET,
        query_string: Some(query_string),
        headers: vec![
            ("authorization", format!("Bearer {}", t.office)),
            ("accept", GQL.into()),
        ],
        body: Vec::new(),
        expect,
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A mutation over GET: 405.
pub fn get_mutation(rng: &mut Rng, t: &Tokens) -> Hostile {
    let mutation = rng.pick(&[
        "mutation { registerDepartment(input: {name: \"x\", kind: SCHOOL}) { id } }",
        "mutation M { urgeTask(input: {taskId: \"x\", note: \"y\"}) { id } }",
        "mutation { __typename }",
    ]);
    get(
        "get_mutation",
        t,
        format!("query={}", encode(mutation)),
        Expect::Refused(405, BAD),
    )
}

/// Random query strings over GET.
pub fn get_random(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(0, 300);
    let raw: String = (0..n)
        .map(|_| {
            *rng.pick(&[
                "query",
                "=",
                "&",
                "%",
                "%7B",
                "%00",
                "variables",
                "%ZZ",
                "{",
                "me",
                "+",
                "operationName",
                "%E2%80%AE",
            ])
        })
        .collect();
    get("get_random", t, raw, Expect::Any)
}

/// PUT, DELETE, PATCH: 405.
pub fn wrong_method(rng: &mut Rng, t: &Tokens) -> Hostile {
    let mut h = Hostile::post(
        "wrong_method",
        t,
        Some(GQL),
        valid_body(rng),
        Expect::Refused(405, BAD),
    );
    h.method = rng
        .pick(&[
            reqwest::Method::PUT,
            reqwest::Method::DELETE,
            reqwest::Method::PATCH,
        ])
        .clone();
    h
}

/// An `Accept` that allows neither response type: 406.
pub fn bad_accept(rng: &mut Rng, t: &Tokens) -> Hostile {
    let accept = rng.pick(&[
        "text/html",
        "application/xml",
        "image/png",
        "application/json; charset=latin1",
    ]);
    Hostile::post(
        "bad_accept",
        t,
        Some(accept),
        valid_body(rng),
        Expect::Refused(406, BAD),
    )
}

/// Writes with valid shapes by an auditor or a department (FORBIDDEN), and lifecycle
/// commands by the office on tasks that do not exist (NOT_FOUND), with unicode notes and
/// idempotency keys (a key with NUL may be refused as input first).
pub fn forbidden_writes(rng: &mut Rng, t: &Tokens) -> Hostile {
    let s = format!("{}{}", rng.pick(&UNICODE), rng.next());
    let key = format!("{}{}", rng.pick(&UNICODE), rng.next());
    let refusal = |code| {
        if key.contains('\0') {
            Expect::Any
        } else {
            Expect::Code(code)
        }
    };
    if rng.chance(50) {
        let id = format!(
            "{:08x}-0000-4000-8000-{:012x}",
            rng.next() as u32,
            rng.next() >> 16
        );
        let field = rng.pick(&[
            "urgeTask",
            "escalateTask",
            "cancelTask",
            "reopenRectification",
        ]);
        let query = format!(
            "mutation($t: ID!, $n: String!, $k: String) {{ {field}(input: {{taskId: $t, \
             note: $n, commandId: $k}}) {{ id }} }}"
        );
        let vars = json!({ "t": id, "n": s, "k": key });
        return Hostile::graphql(
            "missing_task_writes",
            t,
            Some(GQL),
            &query,
            vars,
            refusal("NOT_FOUND"),
        );
    }
    let query = *rng.pick(&[
        "mutation($s: String!, $k: String) { registerDepartment(input: {name: $s, kind: SCHOOL, commandId: $k}) { id } }",
        "mutation($s: String!, $k: String) { draftPlan(input: {title: $s, region: $s, periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\", commandId: $k}) { id } }",
        "mutation($s: String!, $k: String) { raiseRectification(input: {source: COMPLAINT, finding: $s, commandId: $k}) { id } }",
        "mutation($s: String!, $k: String) { importPlan(input: {text: $s, region: \"鲤城区\", commandId: $k}) { plan { id } } }",
    ]);
    let token = if rng.chance(50) {
        &t.auditor
    } else {
        &t.department
    };
    let vars = json!({ "s": s, "k": key });
    Hostile::graphql(
        "forbidden_writes",
        t,
        Some(GQL),
        query,
        vars,
        refusal("FORBIDDEN"),
    )
    .header("authorization", Some(format!("Bearer {token}")))
}

/// Any request with its token removed or replaced by garbage: 401 (unless it is refused
/// earlier for its size or method).
pub fn unauthenticated(rng: &mut Rng, mut h: Hostile) -> Hostile {
    let garbage = [
        "Bearer",
        "Bearer ",
        "Bearer dbn_nope",
        "Basic dXNlcjpwYXNz",
        "bearer \tx",
        "Token abc",
    ];
    let value = if rng.chance(30) {
        None
    } else {
        Some(rng.pick(&garbage).to_string())
    };
    h = h.header("authorization", value);
    let refused_before_auth =
        matches!(h.expect, Expect::Refused(413 | 405, _)) && h.method != reqwest::Method::GET;
    if !refused_before_auth {
        h.expect = Expect::Refused(401, "UNAUTHENTICATED");
    }
    h.kind = "unauthenticated";
    h
}
