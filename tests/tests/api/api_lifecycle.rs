//! The task lifecycle over the GraphQL API, on SQLite and PostgreSQL: `assignTask`,
//! `reportProgress`, `submitForVerification`, `verifyTask` (accepted and rejected),
//! `extendDeadline`, `urgeTask`, `escalateTask`, `cancelTask` and `reopenRectification`,
//! each checked in the task it returns and in the task's recorded history. The office's
//! own actions (extend, urge, escalate, cancel, reopen) are in [`office_actions`].

mod office_actions;

use serde_json::{Value, json};

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

const PROGRESS: &str = "mutation($t: ID!, $p: Int!, $n: String!) { reportProgress(input: \
    {taskId: $t, percent: $p, note: $n, evidence: [\"https://example.org/photo.jpg\"]}) \
    { status progress lastProgressAt version } }";
pub(crate) const SUBMIT: &str = "mutation($t: ID!) { submitForVerification(input: {taskId: $t, \
    summary: \"已完成\"}) { status version } }";
pub(crate) const VERIFY: &str = "mutation($t: ID!, $v: Verdict!) { verifyTask(input: {taskId: $t, \
    verdict: $v, remarks: \"核查\"}) { status closedLate version } }";

/// The types of the task's recorded events, oldest first, as the office reads them.
pub(crate) async fn history_types(app: &TestApp, task_id: &str) -> Vec<String> {
    history(app, task_id)
        .await
        .iter()
        .map(|e| e["type"].as_str().expect("type").to_string())
        .collect()
}

/// The task's recorded events (type, actor, role, department, data), oldest first.
pub(crate) async fn history(app: &TestApp, task_id: &str) -> Vec<Value> {
    let data = app
        .ok(
            &app.office,
            "query($t: ID!) { task(id: $t) { history { nodes { type actor role \
             department { id } data } } } }",
            json!({ "t": task_id }),
        )
        .await;
    data["task"]["history"]["nodes"]
        .as_array()
        .expect("history")
        .clone()
}

backend_tests!(accepted_task_goes_from_assigned_through_progress_and_submission_to_closed);
async fn accepted_task_goes_from_assigned_through_progress_and_submission_to_closed(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.plan_with_task().await;
    let lead = app.department("财政局").await;
    let helper = app.department("人社局").await;
    let assigned = app
        .ok(
            &app.office,
            "mutation($t: ID!, $l: ID!, $c: [ID!]) { assignTask(input: {taskId: $t, \
                 leadId: $l, cooperatingIds: $c, due: \"2025-09-30\"}) { status due \
                 lead { id } cooperating { id } version } }",
            json!({ "t": setup.task_id, "l": lead, "c": [helper] }),
        )
        .await;
    let task = &assigned["assignTask"];
    assert_eq!(task["status"], "ASSIGNED");
    assert_eq!(task["due"], "2025-09-30");
    assert_eq!(task["lead"]["id"], lead.as_str());
    assert_eq!(task["cooperating"], json!([{ "id": helper }]));
    assert_eq!(task["version"], 2);

    let lead_token = app.department_token(&lead).await;
    let helper_token = app.department_token(&helper).await;
    let vars = json!({ "t": setup.task_id, "p": 40, "n": "配合完成资金测算" });
    let progressed = app.ok(&helper_token, PROGRESS, vars).await;
    assert_eq!(progressed["reportProgress"]["status"], "IN_PROGRESS");
    assert_eq!(progressed["reportProgress"]["progress"], 40);
    let vars = json!({ "t": setup.task_id, "p": 90, "n": "资金已拨付" });
    let progressed = app.ok(&lead_token, PROGRESS, vars).await;
    assert_eq!(progressed["reportProgress"]["progress"], 90);
    assert_eq!(
        progressed["reportProgress"]["lastProgressAt"],
        "2025-07-01T09:00:00+08:00"
    );

    let submitted = app
        .ok(&lead_token, SUBMIT, json!({ "t": setup.task_id }))
        .await;
    assert_eq!(
        submitted["submitForVerification"]["status"],
        "PENDING_VERIFICATION"
    );

    let verified = app
        .ok(
            &app.office,
            VERIFY,
            json!({ "t": setup.task_id, "v": "ACCEPTED" }),
        )
        .await;
    assert_eq!(verified["verifyTask"]["status"], "CLOSED");
    assert_eq!(verified["verifyTask"]["closedLate"], false);
    assert_eq!(verified["verifyTask"]["version"], 6);

    let events = history(&app, &setup.task_id).await;
    let types: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    assert_eq!(
        types,
        [
            "MeasureDefined",
            "TaskAssigned",
            "ProgressReported",
            "ProgressReported",
            "CompletionSubmitted",
            "TaskVerified"
        ]
    );
    let by_helper = &events[2];
    assert_eq!(by_helper["role"], "DEPARTMENT");
    assert_eq!(by_helper["department"]["id"], helper.as_str());
    assert_eq!(events[5]["role"], "OFFICE");
    app.stop().await;
}

backend_tests!(rejected_verification_returns_the_task_to_in_progress);
async fn rejected_verification_returns_the_task_to_in_progress(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    app.ok(&setup.token, SUBMIT, json!({ "t": setup.task_id }))
        .await;
    let rejected = app
        .ok(
            &app.office,
            VERIFY,
            json!({ "t": setup.task_id, "v": "REJECTED" }),
        )
        .await;
    assert_eq!(rejected["verifyTask"]["status"], "IN_PROGRESS");
    let events = history(&app, &setup.task_id).await;
    let last = events.last().expect("an event");
    assert_eq!(last["type"], "TaskVerified");
    assert_eq!(last["data"]["verdict"], "REJECTED", "{last}");

    // It can be submitted again and then accepted.
    app.ok(&setup.token, SUBMIT, json!({ "t": setup.task_id }))
        .await;
    let accepted = app
        .ok(
            &app.office,
            VERIFY,
            json!({ "t": setup.task_id, "v": "ACCEPTED" }),
        )
        .await;
    assert_eq!(accepted["verifyTask"]["status"], "CLOSED");
    app.stop().await;
}

backend_tests!(reassigning_an_open_task_changes_the_lead_and_records_both_assignments);
async fn reassigning_an_open_task_changes_the_lead_and_records_both_assignments(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let other = app.department("住建局").await;
    let reassigned = app.assign(&setup.task_id, &other, "2025-10-31").await;
    assert_eq!(reassigned["status"], "ASSIGNED");
    let task = app
        .ok(
            &app.office,
            "query($t: ID!) { task(id: $t) { lead { id } due } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(task["task"]["lead"]["id"], other.as_str());
    assert_eq!(task["task"]["due"], "2025-10-31");
    let types = history_types(&app, &setup.task_id).await;
    assert_eq!(types, ["MeasureDefined", "TaskAssigned", "TaskAssigned"]);
    app.stop().await;
}
