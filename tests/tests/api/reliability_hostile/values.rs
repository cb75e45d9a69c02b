//! Generators of hostile values: variables of the wrong type, unicode edge cases in
//! arguments and documents, huge strings and lists, page sizes over the limit.

use serde_json::{Value, json};

use super::documents::{accept, text};
use super::request::{BAD, Expect, Hostile, Tokens};
use super::rng::Rng;

/// Variables of the wrong type for their declaration.
pub fn wrong_types(rng: &mut Rng, t: &Tokens) -> Hostile {
    let wrong = [
        json!(1.5),
        json!(true),
        json!([1]),
        json!({"a": 1}),
        json!("x"),
        json!(1e40),
        json!(-1),
        json!(501),
        json!(2_147_483_648_i64),
    ];
    let (query, name) = *rng.pick(&[
        ("query($v: ID!) { task(id: $v) { id } }", "v"),
        ("query($v: Int) { tasks(first: $v) { totalCount } }", "v"),
        ("query($v: TaskFilter) { tasks(filter: $v) { totalCount } }", "v"),
        ("query($v: DateTime!) { taskAsOf(id: \"00000000-0000-0000-0000-000000000000\", at: $v) { id } }", "v"),
        ("query($v: Int!) { quarterlyDispatch(year: 2025, quarter: $v) { year } }", "v"),
    ]);
    let mut value = rng.pick(&wrong).clone();
    if query.contains("TaskFilter") {
        value = rng
            .pick(&[
                json!({"kind": "NOPE"}),
                json!({"status": 3}),
                json!({"overdue": "yes"}),
                json!({"zzz": 1}),
                json!("str"),
            ])
            .clone();
    }
    if query.contains("quarter:") {
        value = rng
            .pick(&[
                json!(0),
                json!(5),
                json!(-1),
                json!("x"),
                json!(2_147_483_648_i64),
            ])
            .clone();
    }
    Hostile::graphql(
        "wrong_types",
        t,
        accept(rng),
        query,
        json!({ name: value }),
        Expect::Code(BAD),
    )
}

/// Unicode edge cases as arguments of read-only queries.
pub fn unicode_arguments(rng: &mut Rng, t: &Tokens) -> Hostile {
    let len = rng.range(1, 40);
    let s = text(rng, len);
    let (query, expect) = *rng.pick(&[
        ("query($s: ID!) { task(id: $s) { id } }", Expect::Code(BAD)),
        ("query($s: ID!) { plan(id: $s) { id } }", Expect::Code(BAD)),
        (
            "query($s: ID) { worklist(departmentId: $s) { id } }",
            Expect::Code(BAD),
        ),
        (
            "query($s: String) { events(after: $s) { nodes { type } } }",
            Expect::Code(BAD),
        ),
        (
            "query($s: String!) { history(streamId: $s) { nodes { type } } }",
            Expect::Success,
        ),
        (
            "query($s: String) { tasks(filter: {unit: $s}) { totalCount } }",
            Expect::Success,
        ),
        (
            "query($s: String) { rectificationLedger(after: $s) { totalCount } }",
            Expect::Any,
        ),
    ]);
    // No stream name holds NUL (and PostgreSQL text cannot): refused as input.
    let expect = if query.contains("history") && s.contains('\0') {
        Expect::Code(BAD)
    } else {
        expect
    };
    Hostile::graphql(
        "unicode_arguments",
        t,
        accept(rng),
        query,
        json!({ "s": s }),
        expect,
    )
}

/// Unicode in the document itself, outside and inside string literals.
pub fn unicode_document(rng: &mut Rng, t: &Tokens) -> Hostile {
    let len = rng.range(1, 20);
    let s = text(rng, len);
    let query = match rng.range(0, 3) {
        0 => format!("{{ m{s} {{ name }} }}"),
        1 => format!("{{ task(id: \"{s}\") {{ id }} }}"),
        _ => format!("{{ me {{ name }} }} {s}"),
    };
    Hostile::graphql(
        "unicode_document",
        t,
        accept(rng),
        &query,
        json!({}),
        Expect::Any,
    )
}

/// A string of up to 200 000 characters in a filter: answered normally.
pub fn huge_string(rng: &mut Rng, t: &Tokens) -> Hostile {
    let len = rng.range(1_000, 200_000);
    let query = "query($u: String) { tasks(filter: {unit: $u}) { totalCount } }";
    Hostile::graphql(
        "huge_string",
        t,
        accept(rng),
        query,
        json!({ "u": text(rng, len) }),
        Expect::Success,
    )
}

/// A list of up to 20 000 statuses; with one bad item it is refused.
pub fn huge_list(rng: &mut Rng, t: &Tokens) -> Hostile {
    let statuses = ["DEFINED", "ASSIGNED", "IN_PROGRESS", "CLOSED", "CANCELLED"];
    let n = rng.range(1, 20_000);
    let mut list: Vec<Value> = (0..n).map(|_| json!(rng.pick(&statuses))).collect();
    let mut expect = Expect::Success;
    if rng.chance(50) {
        let at = rng.range(0, n);
        list[at] = json!(text(rng, 3));
        expect = Expect::Code(BAD);
    }
    let query = "query($s: [TaskStatus!]) { tasks(filter: {status: $s}) { totalCount } }";
    Hostile::graphql(
        "huge_list",
        t,
        accept(rng),
        query,
        json!({ "s": list }),
        expect,
    )
}

/// `first` outside 0..=500 on every paged field.
pub fn page_size(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n: i64 = if rng.chance(50) {
        rng.range(501, i32::MAX as usize) as i64
    } else {
        -(rng.range(1, i32::MAX as usize) as i64)
    };
    let query = *rng.pick(&[
        "query($n: Int) { tasks(first: $n) { totalCount } }",
        "query($n: Int) { events(first: $n) { nodes { type } } }",
        "query($n: Int) { rectificationLedger(first: $n) { totalCount } }",
        "query($n: Int) { plans { tasks(first: $n) { totalCount } } }",
    ]);
    Hostile::graphql(
        "page_size",
        t,
        accept(rng),
        query,
        json!({ "n": n }),
        Expect::Code(BAD),
    )
}
