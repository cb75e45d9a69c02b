//! The office's actions on a running task: `extendDeadline`, `urgeTask`, `escalateTask`,
//! `cancelTask`, and `reopenRectification` on a closed rectification item.

use serde_json::json;

use duban_tests::{ASSIGNED_DUE, Backend, backend_tests, spawn_app};

use super::{SUBMIT, VERIFY, history, history_types};

backend_tests!(extended_deadline_moves_the_due_date_and_history_keeps_the_old_one);
async fn extended_deadline_moves_the_due_date_and_history_keeps_the_old_one(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let extended = app
        .ok(
            &app.office,
            "mutation($t: ID!) { extendDeadline(input: {taskId: $t, due: \"2025-12-31\", \
                 reason: \"资金未到位\"}) { due status overdue } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(extended["extendDeadline"]["due"], "2025-12-31");
    assert_eq!(extended["extendDeadline"]["status"], "ASSIGNED");
    let events = history(&app, &setup.task_id).await;
    let last = events.last().expect("an event");
    assert_eq!(last["type"], "DeadlineExtended");
    assert_eq!(last["data"]["previous_due"], ASSIGNED_DUE, "{last}");
    assert_eq!(last["data"]["reason"], "资金未到位");
    app.stop().await;
}

backend_tests!(urging_is_recorded_and_escalation_flags_the_task);
async fn urging_is_recorded_and_escalation_flags_the_task(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let urged = app
        .ok(
            &app.office,
            "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) \
                 { status escalated version } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(urged["urgeTask"]["status"], "ASSIGNED");
    assert_eq!(urged["urgeTask"]["escalated"], false);
    assert_eq!(urged["urgeTask"]["version"], 3);

    let escalated = app
        .ok(
            &app.office,
            "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) \
                 { status escalated } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(escalated["escalateTask"]["escalated"], true);
    assert_eq!(escalated["escalateTask"]["status"], "ASSIGNED");

    let types = history_types(&app, &setup.task_id).await;
    assert_eq!(types[types.len() - 2..], ["TaskUrged", "TaskEscalated"]);
    app.stop().await;
}

backend_tests!(cancelled_task_is_cancelled_with_its_reason);
async fn cancelled_task_is_cancelled_with_its_reason(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let setup = app.assigned_task("教育局").await;
    let cancelled = app
        .ok(
            &app.office,
            "mutation($t: ID!) { cancelTask(input: {taskId: $t, note: \"方案调整\"}) \
                 { status } }",
            json!({ "t": setup.task_id }),
        )
        .await;
    assert_eq!(cancelled["cancelTask"]["status"], "CANCELLED");
    let events = history(&app, &setup.task_id).await;
    let last = events.last().expect("an event");
    assert_eq!(last["type"], "TaskCancelled");
    assert_eq!(last["data"]["note"], "方案调整", "{last}");
    app.stop().await;
}

backend_tests!(closed_rectification_is_reopened_to_in_progress);
async fn closed_rectification_is_reopened_to_in_progress(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let raised = app
        .ok(
            &app.office,
            "mutation { raiseRectification(input: {source: AUDIT, finding: \"生均图书不足\"}) \
                 { id } }",
            json!({}),
        )
        .await;
    let id = raised["raiseRectification"]["id"].as_str().expect("id");
    let school = app.department("第一中心小学").await;
    app.assign(id, &school, "2025-08-31").await;
    let token = app.department_token(&school).await;
    app.ok(&token, SUBMIT, json!({ "t": id })).await;
    let closed = app
        .ok(&app.office, VERIFY, json!({ "t": id, "v": "ACCEPTED" }))
        .await;
    assert_eq!(closed["verifyTask"]["status"], "CLOSED");

    let reopened = app
        .ok(
            &app.office,
            "mutation($t: ID!) { reopenRectification(input: {taskId: $t, \
                 note: \"复查发现反弹\"}) { status } }",
            json!({ "t": id }),
        )
        .await;
    assert_eq!(reopened["reopenRectification"]["status"], "IN_PROGRESS");
    let types = history_types(&app, id).await;
    assert_eq!(
        types.last().map(String::as_str),
        Some("RectificationReopened")
    );
    app.stop().await;
}
