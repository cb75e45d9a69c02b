//! FORBIDDEN: a department acting on another department's task, a department trying the
//! office's mutations, an auditor trying any mutation; none of them records anything.

use serde_json::{Value, json};

use duban_tests::{AssignedTask, Backend, TestApp, backend_tests, spawn_app};

/// One mutation of each kind, with valid input, on the task of `setup`.
fn every_mutation(setup: &AssignedTask, dept: &str) -> Vec<(&'static str, String, Value)> {
    let task = json!({ "t": setup.task_id });
    let note = "mutation($t: ID!) { OP(input: {taskId: $t, note: \"说明\"}) { id } }";
    let mut cases = vec![
        (
            "registerDepartment",
            "mutation { registerDepartment(input: {name: \"新单位\", kind: OTHER}) { id } }".into(),
            json!({}),
        ),
        (
            "draftPlan",
            "mutation { draftPlan(input: {title: \"t\", region: \"r\", periodStart: \"2025-01-01\", \
             periodEnd: \"2025-12-31\"}) { id } }"
                .into(),
            json!({}),
        ),
        (
            "importPlan",
            "mutation { importPlan(input: {text: \"鲤城区实施方案\\n一、重点任务\\n1.改善办学条件。\
             （牵头单位：教育局）\"}) { plan { id } } }"
                .into(),
            json!({}),
        ),
        (
            "defineMeasure",
            "mutation($p: ID!) { defineMeasure(input: {planId: $p, title: \"t\"}) { id } }".into(),
            json!({ "p": setup.plan_id }),
        ),
        (
            "scheduleMilestone",
            "mutation($t: ID!) { scheduleMilestone(input: {measureId: $t, title: \"t\", \
             due: \"2025-08-01\"}) { id } }"
                .into(),
            task.clone(),
        ),
        (
            "raiseRectification",
            "mutation { raiseRectification(input: {source: AUDIT, finding: \"f\"}) { id } }".into(),
            json!({}),
        ),
        (
            "assignTask",
            "mutation($t: ID!, $d: ID!) { assignTask(input: {taskId: $t, leadId: $d, \
             due: \"2025-10-01\"}) { id } }"
                .into(),
            json!({ "t": setup.task_id, "d": dept }),
        ),
        (
            "verifyTask",
            "mutation($t: ID!) { verifyTask(input: {taskId: $t, verdict: ACCEPTED}) { id } }"
                .into(),
            task.clone(),
        ),
        (
            "extendDeadline",
            "mutation($t: ID!) { extendDeadline(input: {taskId: $t, due: \"2025-12-31\", \
             reason: \"r\"}) { id } }"
                .into(),
            task.clone(),
        ),
    ];
    for op in [
        "urgeTask",
        "escalateTask",
        "cancelTask",
        "reopenRectification",
    ] {
        cases.push((op, note.replace("OP", op), task.clone()));
    }
    cases
}

/// The two mutations a department may make on its own tasks.
fn department_mutations(setup: &AssignedTask) -> Vec<(&'static str, String, Value)> {
    let task = json!({ "t": setup.task_id });
    vec![
        (
            "reportProgress",
            "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 50, note: \"n\"}) \
             { id } }"
                .into(),
            task.clone(),
        ),
        (
            "submitForVerification",
            "mutation($t: ID!) { submitForVerification(input: {taskId: $t, summary: \"s\"}) \
             { id } }"
                .into(),
            task,
        ),
    ]
}

/// Asserts each case fails FORBIDDEN for `token` and that the log did not grow.
async fn all_forbidden(app: &TestApp, token: &str, cases: Vec<(&str, String, Value)>) {
    let before = app.event_count().await;
    for (name, query, vars) in cases {
        let body = app.fails(token, &query, vars, "FORBIDDEN").await;
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{name}: a message to act on");
    }
    assert_eq!(app.event_count().await, before, "nothing recorded");
}

backend_tests!(department_reporting_on_another_departments_task_is_forbidden_and_records_nothing);
async fn department_reporting_on_another_departments_task_is_forbidden_and_records_nothing(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let mine = app.assigned_task("财政局").await;
    let theirs = app.assigned_task("人社局").await;
    all_forbidden(&app, &mine.token, department_mutations(&theirs)).await;
    app.fails(
        &mine.token,
        "query($t: ID!) { task(id: $t) { id } }",
        json!({ "t": theirs.task_id }),
        "FORBIDDEN",
    )
    .await;
    app.stop().await;
}

backend_tests!(cooperating_department_may_report_but_not_submit);
async fn cooperating_department_may_report_but_not_submit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("财政局").await;
    let helper = app.department("人社局").await;
    app.ok(
        &app.office,
        "mutation($t: ID!, $l: ID!, $c: [ID!]) { assignTask(input: {taskId: $t, leadId: $l, \
             cooperatingIds: $c, due: \"2025-09-30\"}) { id } }",
        json!({ "t": setup.task_id, "l": setup.department_id, "c": [helper] }),
    )
    .await;
    let token = app.department_token(&helper).await;
    let [report, submit]: [_; 2] = department_mutations(&setup).try_into().expect("two");
    app.ok(&token, &report.1, report.2).await;
    all_forbidden(&app, &token, vec![submit]).await;
    app.stop().await;
}

backend_tests!(department_is_forbidden_the_offices_mutations_even_on_its_own_task);
async fn department_is_forbidden_the_offices_mutations_even_on_its_own_task(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("财政局").await;
    let cases = every_mutation(&setup, &setup.department_id);
    all_forbidden(&app, &setup.token, cases).await;
    app.stop().await;
}

backend_tests!(auditor_is_forbidden_every_mutation);
async fn auditor_is_forbidden_every_mutation(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("财政局").await;
    let mut cases = every_mutation(&setup, &setup.department_id);
    cases.extend(department_mutations(&setup));
    all_forbidden(&app, &app.auditor, cases).await;
    app.stop().await;
}
