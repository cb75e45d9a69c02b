//! Generators of hostile GraphQL documents: invalid syntax, deep nesting, thousands of
//! aliases, too many directives, fragment cycles (values are in `values.rs`).

use serde_json::json;

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

/// A random `Accept`: the two response types, none, or a wildcard.
pub fn accept(rng: &mut Rng) -> Option<&'static str> {
    *rng.pick(&[Some(GQL), Some(JSON), None, Some("*/*")])
}

/// A string of `len` characters mixing ASCII, CJK and the unicode edge cases.
pub fn text(rng: &mut Rng, len: usize) -> String {
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
    // A few hundred levels once overflowed the parser's stack; tens of thousands did not.
    let n = if rng.chance(50) {
        rng.range(2, 1_000)
    } else {
        rng.range(2, 50_000)
    };
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
