//! Generators of hostile GraphQL documents and variables: invalid syntax, deep nesting,
//! thousands of aliases, too many directives, fragment cycles, wrong variable types,
//! huge strings and lists, unicode edge cases, page sizes over the limit.

use serde_json::{Value, json};

use super::request::{BAD, Expect, GQL, Hostile, JSON, Tokens, doc_status};
use super::rng::Rng;

/// Query depth and complexity limits of the schema (services/duban/src/graphql/mod.rs).
const MAX_DEPTH: usize = duban::graphql::MAX_DEPTH;
const MAX_COMPLEXITY: usize = duban::graphql::MAX_COMPLEXITY;

/// Strings that trouble text handling: RTL overrides, NUL and other controls, emoji with
/// joiners and flags, stacked combining marks, BOM, non-characters, CJK, zero width.
pub const UNICODE: [&str; 14] = [
    "\u{202E}gnp.exe",
    "مرحبا بالعالم",
    "\u{0}",
    "nul\u{0}inside",
    "😀👨‍👩‍👧‍👦🇨🇳",
    "e\u{301}\u{302}\u{303}\u{304}\u{305}",
    "\u{FEFF}",
    "\u{FFFF}\u{FFFE}",
    "\u{10FFFF}",
    "鲤城区教育局",
    "\u{200B}\u{200D}",
    "\u{1}\u{1F}\u{7F}",
    "\r\n\t",
    "'; DROP TABLE events; --",
];

fn accept(rng: &mut Rng) -> Option<&'static str> {
    *rng.pick(&[Some(GQL), Some(JSON), None, Some("*/*")])
}

/// A string of `len` characters mixing ASCII, CJK and the unicode edge cases.
fn text(rng: &mut Rng, len: usize) -> String {
    let mut s = String::new();
    let mut chars = 0;
    while chars < len {
        let piece = match rng.range(0, 4) {
            0 => *rng.pick(&UNICODE),
            1 => "督办",
            _ => ["a", "b", "x", "y", "z"][rng.range(0, 5)],
        };
        s.push_str(piece);
        chars += piece.chars().count();
    }
    s
}

/// Random tokens of GraphQL put together.
pub fn invalid_graphql(rng: &mut Rng, t: &Tokens) -> Hostile {
    const PARTS: [&str; 30] = [
        "{",
        "}",
        "(",
        ")",
        ":",
        "$",
        "...",
        "@",
        "query",
        "mutation",
        "fragment",
        "on",
        "me",
        "tasks",
        "first",
        "1",
        "\"s\"",
        "[",
        "]",
        "!",
        "=",
        "#",
        "\n",
        "name",
        "id",
        "__typename",
        "subscription",
        "\"\"\"",
        "-",
        "1e999",
    ];
    let n = rng.range(1, 200);
    let query: Vec<&str> = (0..n).map(|_| *rng.pick(&PARTS)).collect();
    Hostile::graphql(
        "invalid_graphql",
        t,
        accept(rng),
        &query.join(" "),
        json!({}),
        Expect::Any,
    )
}

/// A chain of `parent` selections: refused past the depth limit.
pub fn deep_selection(rng: &mut Rng, t: &Tokens) -> Hostile {
    let k = if rng.chance(30) {
        rng.range(0, MAX_DEPTH - 2)
    } else {
        rng.range(MAX_DEPTH - 2, 400)
    };
    let query = format!(
        "{{ tasks(first: 1) {{ nodes {{ {} id {} }} }} }}",
        "parent {".repeat(k),
        "}".repeat(k)
    );
    // tasks, nodes, k parents and id.
    let depth = k + 3;
    let a = accept(rng);
    let expect = if depth <= MAX_DEPTH {
        Expect::Success
    } else {
        Expect::Refused(doc_status(a), BAD)
    };
    Hostile::graphql("deep_selection", t, a, &query, json!({}), expect)
}

/// Thousands of nested braces or list brackets in the document.
pub fn deep_syntax(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(2, 50_000);
    let query = match rng.range(0, 3) {
        0 => "{".repeat(n),
        1 => format!("{}{}", "{ a ".repeat(n), "}".repeat(n)),
        _ => format!(
            "{{ tasks(filter: {{kind: {}MEASURE{}}}) {{ totalCount }} }}",
            "[".repeat(n),
            "]".repeat(n)
        ),
    };
    let a = accept(rng);
    Hostile::graphql(
        "deep_syntax",
        t,
        a,
        &query,
        json!({}),
        Expect::Refused(doc_status(a), BAD),
    )
}

/// Deeply nested JSON in a variable.
pub fn deep_variables(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(1, 2000);
    let body = format!(
        "{{\"query\":\"query($f: TaskFilter) {{ tasks(filter: $f) {{ totalCount }} }}\",\"variables\":{{\"f\":{}1{}}}}}",
        "[".repeat(n),
        "]".repeat(n)
    );
    Hostile::post(
        "deep_variables",
        t,
        accept(rng),
        body.into_bytes(),
        Expect::Code(BAD),
    )
}

/// `n` aliases of `me { name }`: refused past the complexity limit.
pub fn aliases(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(1, 2 * MAX_COMPLEXITY);
    let fields: String = (0..n).map(|i| format!("a{i}: me {{ name }} ")).collect();
    let a = accept(rng);
    let expect = if 2 * n <= MAX_COMPLEXITY {
        Expect::Success
    } else {
        Expect::Refused(doc_status(a), BAD)
    };
    Hostile::graphql(
        "aliases",
        t,
        a,
        &format!("{{ {fields}}}"),
        json!({}),
        expect,
    )
}

/// `n` directives on one field: `@include` is not repeatable, so more than one is
/// refused (and thousands do no harm).
pub fn directives(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(1, 200);
    let query = format!("{{ me {} {{ name }} }}", "@include(if: true) ".repeat(n));
    let a = accept(rng);
    let expect = if n == 1 {
        Expect::Success
    } else {
        Expect::Refused(doc_status(a), BAD)
    };
    Hostile::graphql("directives", t, a, &query, json!({}), expect)
}

/// Fragments that spread each other in a cycle, or unknown operations.
pub fn fragments(rng: &mut Rng, t: &Tokens) -> Hostile {
    let n = rng.range(1, 500);
    let mut query = String::from("{ ...F0 }");
    for i in 0..n {
        query.push_str(&format!(
            " fragment F{i} on Query {{ me {{ name }} ...F{} }}",
            (i + 1) % n
        ));
    }
    let a = accept(rng);
    let mut h = Hostile::graphql(
        "fragments",
        t,
        a,
        &query,
        json!({}),
        Expect::Refused(doc_status(a), BAD),
    );
    if rng.chance(30) {
        let body = json!({ "query": "query A { me { name } } query B { me { role } }", "operationName": text(rng, 5) });
        h.body = body.to_string().into_bytes();
    }
    h
}

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
