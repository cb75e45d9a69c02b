//! The audit read models end to end on both backends: a stream's `history` and the
//! global `events` log paged by cursor without gaps or repeats, every event with actor,
//! role, department, recordedAt and data; `taskAsOf` replaying up to a moment;
//! history, events and verifyIntegrity open to OFFICE and AUDITOR only; and
//! `verifyIntegrity` finding a row tampered with directly in the database.

use serde_json::{Value, json};

use duban_tests::history::{assign, at, measure, plan, progress, submit, t, verify};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod integrity;

const HISTORY: &str = "query($s: String!, $n: Int, $a: String) { history(streamId: $s, \
    first: $n, after: $a) { pageInfo { hasNextPage endCursor } edges { cursor node { \
    position streamId version type recordedAt actor role department { id } data } } } }";
const EVENTS: &str = "query($n: Int, $a: String) { events(first: $n, after: $a) { \
    pageInfo { hasNextPage endCursor } nodes { position streamId type } } }";
const AS_OF: &str = "query($id: ID!, $at: DateTime!) { taskAsOf(id: $id, at: $at) { \
    status progress version } }";
const VERIFY: &str = "{ verifyIntegrity { ok eventsChecked firstBrokenPosition } }";

/// One measure with seven events; returns (task id, lead department id).
async fn world(app: &TestApp) -> (String, String) {
    at(app, "2025-05-01T09:00:00+08:00");
    let housing = app.department("住建局").await;
    let p = plan(app, "实施方案").await;
    let m = measure(app, &p, "一(1)", "新建运动场").await;
    assign(app, &m, &housing, &[], "2025-12-31").await;
    let token = app.department_token(&housing).await;
    at(app, "2025-05-10T10:00:00+08:00");
    progress(app, &token, &m, 40, "完成招标").await;
    at(app, "2025-05-20T10:00:00+08:00");
    progress(app, &app.office, &m, 70, "主体完工").await;
    at(app, "2025-06-01T10:00:00+08:00");
    submit(app, &token, &m).await;
    at(app, "2025-06-02T10:00:00+08:00");
    verify(app, &m, "REJECTED").await;
    at(app, "2025-06-05T10:00:00+08:00");
    progress(app, &token, &m, 90, "整改完毕").await;
    (m, housing)
}

/// Every page of `query` (`history` or `events`) of size `n`.
async fn all_pages(
    app: &TestApp,
    token: &str,
    query: &str,
    field: &str,
    vars: Value,
) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut v = vars.clone();
        v["a"] = after;
        let page = app.ok(token, query, v).await[field].clone();
        let nodes = match page.get("edges") {
            Some(edges) => edges
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"].clone())
                .collect(),
            None => page["nodes"].as_array().expect("nodes").clone(),
        };
        out.extend(nodes);
        if page["pageInfo"]["hasNextPage"] != true {
            return out;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

backend_tests!(
    #[tokio::test]
    history_and_event_log_page_without_gaps_with_attribution
);
async fn history_and_event_log_page_without_gaps_with_attribution(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (m, housing) = world(&app).await;
    let vars = json!({ "s": m, "n": 3 });
    let history = all_pages(&app, &app.auditor, HISTORY, "history", vars).await;
    let versions: Vec<i64> = history
        .iter()
        .map(|e| e["version"].as_i64().expect("v"))
        .collect();
    assert_eq!(versions, (1..=7).collect::<Vec<_>>(), "{backend:?}");
    let types: Vec<&str> = history
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types[1..],
        [
            "TaskAssigned",
            "ProgressReported",
            "ProgressReported",
            "CompletionSubmitted",
            "TaskVerified",
            "ProgressReported"
        ],
        "{backend:?}"
    );
    let by_dept = &history[2];
    assert_eq!(by_dept["role"], "DEPARTMENT", "{backend:?}");
    assert_eq!(by_dept["department"]["id"], housing.as_str());
    assert_eq!(by_dept["actor"], format!("dept {housing}"));
    assert_eq!(by_dept["data"]["percent"], 40, "{by_dept}");
    assert_eq!(by_dept["data"]["note"], "完成招标");
    let by_office = &history[3];
    assert_eq!(
        (&by_office["role"], &by_office["actor"]),
        (&json!("OFFICE"), &json!("test office"))
    );
    assert!(by_office["department"].is_null());
    for (event, when) in history[2..].iter().zip([
        "2025-05-10T10:00:00+08:00",
        "2025-05-20T10:00:00+08:00",
        "2025-06-01T10:00:00+08:00",
        "2025-06-02T10:00:00+08:00",
        "2025-06-05T10:00:00+08:00",
    ]) {
        assert_eq!(
            t(event["recordedAt"].as_str().expect("recordedAt")),
            t(when)
        );
        assert!(event["data"].is_object(), "{event}");
        assert_eq!(event["streamId"], m.as_str());
    }
    let positions: Vec<i64> = history
        .iter()
        .map(|e| {
            e["position"]
                .as_str()
                .expect("position")
                .parse()
                .expect("decimal")
        })
        .collect();
    assert!(positions.is_sorted(), "{backend:?}");

    let log = all_pages(&app, &app.office, EVENTS, "events", json!({ "n": 4 })).await;
    let positions: Vec<i64> = log
        .iter()
        .map(|e| {
            e["position"]
                .as_str()
                .expect("position")
                .parse()
                .expect("decimal")
        })
        .collect();
    let head = app.event_count().await;
    assert_eq!(
        positions,
        (1..=head).collect::<Vec<_>>(),
        "{backend:?}: gaps or repeats"
    );
    assert_eq!(
        log.iter().filter(|e| e["streamId"] == m.as_str()).count(),
        7
    );
    app.fails(&app.office, EVENTS, json!({ "a": "x" }), "BAD_USER_INPUT")
        .await;
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    task_as_of_replays_up_to_the_moment
);
async fn task_as_of_replays_up_to_the_moment(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (m, housing) = world(&app).await;
    let as_of = |at: &'static str| {
        let app = &app;
        let m = m.clone();
        async move {
            app.ok(&app.auditor, AS_OF, json!({ "id": m, "at": at }))
                .await["taskAsOf"]
                .clone()
        }
    };
    assert!(
        as_of("2025-05-01T08:59:59+08:00").await.is_null(),
        "{backend:?}"
    );
    let cases = [
        ("2025-05-01T09:00:00+08:00", "ASSIGNED", 0, 2),
        ("2025-05-10T09:59:59+08:00", "ASSIGNED", 0, 2),
        ("2025-05-10T10:00:00+08:00", "IN_PROGRESS", 40, 3),
        ("2025-06-01T10:00:00+08:00", "PENDING_VERIFICATION", 70, 5),
        ("2025-06-03T00:00:00+08:00", "IN_PROGRESS", 70, 6),
        ("2025-12-01T00:00:00+08:00", "IN_PROGRESS", 90, 7),
    ];
    for (when, status, percent, version) in cases {
        let expected = json!({ "status": status, "progress": percent, "version": version });
        assert_eq!(as_of(when).await, expected, "{backend:?} at {when}");
    }
    let own = app.department_token(&housing).await;
    let vars = json!({ "id": m, "at": "2025-05-10T10:00:00+08:00" });
    assert_eq!(
        app.ok(&own, AS_OF, vars.clone()).await["taskAsOf"]["progress"],
        40
    );
    let stranger = app.department("财政局").await;
    let stranger = app.department_token(&stranger).await;
    app.fails(&stranger, AS_OF, vars, "FORBIDDEN").await;
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    audit_queries_are_for_office_and_auditor_only
);
async fn audit_queries_are_for_office_and_auditor_only(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (m, housing) = world(&app).await;
    let dept = app.department_token(&housing).await;
    let asks = [
        (HISTORY, json!({ "s": m })),
        (EVENTS, json!({})),
        (VERIFY, json!({})),
    ];
    for (query, vars) in asks {
        app.fails(&dept, query, vars.clone(), "FORBIDDEN").await;
        app.ok(&app.office, query, vars.clone()).await;
        app.ok(&app.auditor, query, vars).await;
    }
    app.stop().await;
}
