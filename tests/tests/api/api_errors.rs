//! Every error code of the contract that the API can produce, over real HTTP on SQLite
//! and PostgreSQL: UNAUTHENTICATED (HTTP 401), FORBIDDEN (in [`roles`]), NOT_FOUND,
//! BAD_USER_INPUT naming the field, INVALID_TRANSITION, VERSION_CONFLICT, and the request
//! limits (depth, complexity, body size) next to the admitted introspection query (in
//! [`limits`]). INTERNAL is not provoked: it needs a broken database.

mod limits;
mod roles;

use serde_json::{Value, json};

use duban_tests::{Backend, backend_tests, error_codes, spawn_app};

const UNKNOWN_TASK: &str = "task-00000000-0000-7000-8000-000000000000";

/// The first error's `extensions`.
fn extensions(body: &Value) -> &Value {
    &body["errors"][0]["extensions"]
}

backend_tests!(missing_or_unknown_token_is_http_401_unauthenticated);
async fn missing_or_unknown_token_is_http_401_unauthenticated(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for token in [None, Some("not-a-token"), Some("dbn_0000000000000000")] {
        let (status, body) = app.gql(token, "{ me { role } }", json!({})).await;
        assert_eq!(status, 401, "{token:?}: {body}");
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
        assert!(body.get("data").is_none(), "{body}");
    }
    let before = app.event_count().await;
    let (status, _) = app
        .gql(
            None,
            "mutation { registerDepartment(input: {name: \"x\", kind: OTHER}) { id } }",
            json!({}),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(app.event_count().await, before, "nothing recorded");
    app.stop().await;
}

backend_tests!(unknown_task_plan_and_department_ids_are_not_found);
async fn unknown_task_plan_and_department_ids_are_not_found(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.plan_with_task().await;
    let dept = app.department("教育局").await;
    let assign = "mutation($t: ID!, $l: ID!) { assignTask(input: {taskId: $t, leadId: $l, \
                      due: \"2025-09-30\"}) { id } }";
    let body = app
        .fails(
            &app.office,
            assign,
            json!({ "t": UNKNOWN_TASK, "l": dept }),
            "NOT_FOUND",
        )
        .await;
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains(UNKNOWN_TASK), "names the id: {message}");
    app.fails(
        &app.office,
        assign,
        json!({ "t": setup.task_id, "l": "department-00000000-0000-7000-8000-000000000000" }),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        &app.office,
        "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"快\"}) { id } }",
        json!({ "t": UNKNOWN_TASK }),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        &app.office,
        "mutation { defineMeasure(input: {planId: \"plan-00000000-0000-7000-8000-000000000000\", \
             title: \"x\"}) { id } }",
        json!({}),
        "NOT_FOUND",
    )
    .await;
    app.fails(
        &app.office,
        "mutation($m: ID!) { scheduleMilestone(input: {measureId: $m, title: \"x\", \
             due: \"2025-09-30\"}) { id } }",
        json!({ "m": UNKNOWN_TASK }),
        "NOT_FOUND",
    )
    .await;
    app.stop().await;
}

backend_tests!(invalid_input_is_bad_user_input_naming_the_field);
async fn invalid_input_is_bad_user_input_naming_the_field(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let before = app.event_count().await;
    let cases = [
        (
            "percent",
            "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 150, \
                 note: \"x\"}) { id } }",
            json!({ "t": setup.task_id }),
        ),
        (
            "title",
            "mutation($p: ID!) { defineMeasure(input: {planId: $p, title: \"  \"}) { id } }",
            json!({ "p": setup.plan_id }),
        ),
        (
            "taskId",
            "mutation { urgeTask(input: {taskId: \"not-an-id\", note: \"x\"}) { id } }",
            json!({}),
        ),
        (
            "severity",
            "mutation { raiseRectification(input: {source: AUDIT, finding: \"x\", \
                 severity: 7}) { id } }",
            json!({}),
        ),
        (
            "name",
            "mutation { registerDepartment(input: {name: \"教育局\", kind: BUREAU}) { id } }",
            json!({}),
        ),
        (
            "periodEnd",
            "mutation { draftPlan(input: {title: \"x\", region: \"y\", \
                 periodStart: \"2025-12-31\", periodEnd: \"2025-01-01\"}) { id } }",
            json!({}),
        ),
        (
            "due",
            "mutation($t: ID!) { extendDeadline(input: {taskId: $t, due: \"2025-08-01\", \
                 reason: \"earlier is not an extension\"}) { id } }",
            json!({ "t": setup.task_id }),
        ),
    ];
    for (field, query, vars) in cases {
        let body = app.fails(&app.office, query, vars, "BAD_USER_INPUT").await;
        assert_eq!(extensions(&body)["field"], field, "{body}");
    }
    assert_eq!(app.event_count().await, before, "nothing recorded");
    app.stop().await;
}

backend_tests!(command_from_the_wrong_status_is_an_invalid_transition_naming_the_status);
async fn command_from_the_wrong_status_is_an_invalid_transition_naming_the_status(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let verify = "mutation($t: ID!) { verifyTask(input: {taskId: $t, verdict: ACCEPTED}) \
                      { id } }";
    let body = app
        .fails(
            &app.office,
            verify,
            json!({ "t": setup.task_id }),
            "INVALID_TRANSITION",
        )
        .await;
    assert_eq!(extensions(&body)["from"], "ASSIGNED", "{body}");

    app.ok(
        &app.office,
        "mutation($t: ID!) { cancelTask(input: {taskId: $t, note: \"撤销\"}) { id } }",
        json!({ "t": setup.task_id }),
    )
    .await;
    let before = app.event_count().await;
    let body = app
        .fails(
            &setup.token,
            "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 10, \
                 note: \"x\"}) { id } }",
            json!({ "t": setup.task_id }),
            "INVALID_TRANSITION",
        )
        .await;
    assert_eq!(extensions(&body)["from"], "CANCELLED", "{body}");
    assert_eq!(app.event_count().await, before);
    app.stop().await;
}

backend_tests!(stale_expected_version_is_a_version_conflict_and_records_nothing);
async fn stale_expected_version_is_a_version_conflict_and_records_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let urge = "mutation($t: ID!, $v: Int) { urgeTask(input: {taskId: $t, note: \"快\", \
                    expectedVersion: $v}) { version } }";
    let before = app.event_count().await;
    let body = app
        .fails(
            &app.office,
            urge,
            json!({ "t": setup.task_id, "v": 1 }),
            "VERSION_CONFLICT",
        )
        .await;
    assert_eq!(extensions(&body)["expected"], 1, "{body}");
    assert_eq!(extensions(&body)["actual"], 2, "{body}");
    assert_eq!(app.event_count().await, before);

    let current = app
        .ok(&app.office, urge, json!({ "t": setup.task_id, "v": 2 }))
        .await;
    assert_eq!(current["urgeTask"]["version"], 3);
    app.stop().await;
}
