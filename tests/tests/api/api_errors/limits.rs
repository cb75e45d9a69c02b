//! The request limits: a query nested too deep or too complex is refused before it runs
//! (HTTP 400, BAD_USER_INPUT, no `data`), a body over the limit (16 MiB) is refused with HTTP 413 and
//! BAD_USER_INPUT, and the standard introspection query is admitted by both limits.

use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, backend_tests, error_codes, spawn_app};

/// graphql-js `getIntrospectionQuery()` with its default options, as GraphiQL sends it.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue {
  name description type { ...TypeRef } defaultValue
}
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}
"#;

/// `{ task(id: …) { parent { parent … { id } } } }` with `levels` fields in the chain.
fn nested_query(levels: usize) -> String {
    let parents = levels - 2;
    format!(
        "{{ task(id: \"task-00000000-0000-7000-8000-000000000000\") {{ {} id {} }} }}",
        "parent { ".repeat(parents),
        "}".repeat(parents)
    )
}

/// Asserts a request refused before execution: 400, BAD_USER_INPUT, no `data`, and a
/// message containing `words`.
fn refused(status: u16, body: &Value, words: &str) {
    assert_eq!(status, 400, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(error_codes(body), ["BAD_USER_INPUT"], "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(words), "{message}");
}

async fn run_depth(app: &TestApp) {
    let (status, body) = app
        .gql(Some(&app.office), &nested_query(16), json!({}))
        .await;
    assert_eq!(status, 200, "16 levels are allowed: {body}");
    assert!(body["data"]["task"].is_null());
    let (status, body) = app
        .gql(Some(&app.office), &nested_query(17), json!({}))
        .await;
    refused(status, &body, "nested too deep");
}

backend_tests!(query_nested_deeper_than_sixteen_levels_is_refused_with_400);
async fn query_nested_deeper_than_sixteen_levels_is_refused_with_400(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    run_depth(&app).await;
    app.stop().await;
}

backend_tests!(query_over_the_complexity_limit_is_refused_with_400);
async fn query_over_the_complexity_limit_is_refused_with_400(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Each alias costs 2 (me and name): 2 × 2400 = 4800 is admitted, 2 × 2600 is not.
    let aliases = |n: usize| -> String {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: me {{ name }}")).collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let (status, body) = app.gql(Some(&app.office), &aliases(2400), json!({})).await;
    assert_eq!(status, 200, "under the limit");
    assert_eq!(body["data"]["a2399"]["name"], "test office");
    let (status, body) = app.gql(Some(&app.office), &aliases(2600), json!({})).await;
    refused(status, &body, "too complex");
    app.stop().await;
}

backend_tests!(body_over_the_limit_is_refused_with_413_and_records_nothing);
async fn body_over_the_limit_is_refused_with_413_and_records_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let before = app.event_count().await;
    let limit = duban::http::graphql_over_http::MAX_BODY_BYTES;
    let name = "局".repeat(limit / 3 + 1); // just over the limit in UTF-8
    let (status, body) = app
        .gql(
            Some(&app.office),
            "mutation($n: String!) { registerDepartment(input: {name: $n, kind: OTHER}) \
                 { id } }",
            json!({ "n": name }),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    assert!(body.get("data").is_none());
    assert_eq!(error_codes(&body), ["BAD_USER_INPUT"], "{body}");
    assert_eq!(app.event_count().await, before);
    app.stop().await;
}

backend_tests!(standard_introspection_query_is_admitted);
async fn standard_introspection_query_is_admitted(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for token in [&app.office, &app.auditor] {
        let data = app.ok(token, INTROSPECTION, json!({})).await;
        let schema = &data["__schema"];
        assert_eq!(schema["queryType"]["name"], "Query");
        assert_eq!(schema["mutationType"]["name"], "Mutation");
        assert_eq!(schema["subscriptionType"]["name"], "Subscription");
        let types = schema["types"].as_array().expect("types");
        for name in ["Task", "TaskConnection", "DomainEvent", "Verdict"] {
            assert!(types.iter().any(|t| t["name"] == name), "{name} listed");
        }
    }
    app.stop().await;
}
