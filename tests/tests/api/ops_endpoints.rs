//! The operational endpoints of a running server, on SQLite and PostgreSQL: /healthz,
//! /readyz (database ok), /metrics (requests and latency by operation, events appended,
//! errors by code) and GraphiQL on GET /graphql (Accept: text/html) and /graphiql.

use futures::StreamExt;
use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

async fn get(app: &TestApp, path: &str, accept: &str) -> (u16, String, String) {
    get_as(app, Some(&app.office), path, accept).await
}

async fn get_as(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    accept: &str,
) -> (u16, String, String) {
    let mut request = app
        .client()
        .get(format!("{}{path}", app.base))
        .header("accept", accept);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("send");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, content_type, response.text().await.expect("body"))
}

/// The value of the sample `name{labels}` (or `name` without labels) in a Prometheus text.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (key, value) = line.rsplit_once(' ')?;
            (key == series).then(|| value.parse().ok()).flatten()
        })
}

backend_tests!(healthz_and_readyz_answer_200_with_the_database_ok);
async fn healthz_and_readyz_answer_200_with_the_database_ok(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (status, _, body) = get(&app, "/healthz", "*/*").await;
    assert_eq!(status, 200, "{body}");
    let health: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["status"], "ok");

    app.department("教育局").await;
    let (status, _, body) = get(&app, "/readyz", "*/*").await;
    assert_eq!(status, 200, "{body}");
    let ready: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["detail"]["database"], "ok");
    assert_eq!(ready["detail"]["head"], 1);
    app.stop().await;
}

backend_tests!(metrics_count_requests_by_operation_events_appended_and_errors_by_code);
async fn metrics_count_requests_by_operation_events_appended_and_errors_by_code(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for _ in 0..3 {
        app.ok(&app.office, "query Viewer { me { role } }", json!({}))
            .await;
    }
    app.assigned_task("教育局").await;
    app.fails(
        &app.auditor,
        "mutation Forbidden { raiseRectification(input: {source: AUDIT, finding: \"x\"}) \
             { id } }",
        json!({}),
        "FORBIDDEN",
    )
    .await;
    let (status, _) = app.gql(Some("unknown"), "{ me { role } }", json!({})).await;
    assert_eq!(status, 401);

    let (status, content_type, text) = get(&app, "/metrics", "text/plain").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let value = |series: &str| sample(&text, series).unwrap_or_else(|| panic!("{series}"));
    assert_eq!(value("duban_requests_total{operation=\"query.me\"}"), 3.0);
    assert_eq!(
        value("duban_request_duration_seconds_count{operation=\"query.me\"}"),
        3.0
    );
    assert!(value("duban_request_duration_seconds_sum{operation=\"query.me\"}") > 0.0);
    assert_eq!(
        value("duban_requests_total{operation=\"mutation.raiseRectification\"}"),
        1.0
    );
    assert!(!text.contains("Viewer") && !text.contains("Forbidden"));
    let events = app.event_count().await as f64;
    assert!(events >= 4.0, "plan, measure, department, assignment");
    assert_eq!(value("duban_events_appended_total"), events);
    assert_eq!(value("duban_errors_total{code=\"FORBIDDEN\"}"), 1.0);
    assert_eq!(value("duban_errors_total{code=\"UNAUTHENTICATED\"}"), 1.0);
    assert_eq!(value("duban_projection_lag_events"), 0.0);
    app.stop().await;
}

backend_tests!(graphiql_is_served_as_html_on_get_graphql_and_on_graphiql);
async fn graphiql_is_served_as_html_on_get_graphql_and_on_graphiql(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for path in ["/graphql", "/graphiql"] {
        let (status, content_type, body) =
            get(&app, path, "text/html,application/xhtml+xml,*/*;q=0.8").await;
        assert_eq!(status, 200, "{path}");
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        assert!(body.to_lowercase().contains("graphiql"), "{path}");
        assert!(body.contains("/graphql"), "{path}: points at the endpoint");
    }
    // Without text/html, GET /graphql is the API (here: no token, 401).
    let (status, _, _) = get_as(
        &app,
        None,
        "/graphql?query=%7B__typename%7D",
        "application/json",
    )
    .await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_an_office_or_auditor_token_and_stay_bounded_under_made_up_names() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let task = app.assigned_task("教育局").await;
    assert_eq!(get_as(&app, None, "/metrics", "text/plain").await.0, 401);
    assert_eq!(
        get_as(&app, Some("unknown"), "/metrics", "text/plain")
            .await
            .0,
        401
    );
    assert_eq!(
        get_as(&app, Some(&task.token), "/metrics", "text/plain")
            .await
            .0,
        403
    );
    assert_eq!(
        get_as(&app, Some(&app.auditor), "/metrics", "text/plain")
            .await
            .0,
        200
    );

    app.ok(&app.office, "{ me { role } }", json!({})).await;
    let before = get(&app, "/metrics", "text/plain").await.2.len();
    let names = (0..2_000).map(|n| {
        let query =
            format!("query Secret{n} {{ me {{ role }} }} query Other{n} {{ me {{ name }} }}");
        let app = &app;
        async move {
            let body = json!({ "query": query, "operationName": format!("Secret{n}") });
            app.post_raw(&app.office, body.to_string()).await
        }
    });
    let answers = futures::stream::iter(names)
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await;
    assert!(answers.iter().all(|(status, _)| *status == 200));
    let (_, _, text) = get(&app, "/metrics", "text/plain").await;
    assert!(!text.contains("Secret"), "client names leak into /metrics");
    // The series for query.me already existed: only its counts and buckets changed.
    assert!(
        text.len() < before + 200,
        "{} bytes grew to {}",
        before,
        text.len()
    );
    app.stop().await;
}
