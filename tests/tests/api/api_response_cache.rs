//! The response cache over real HTTP, on SQLite and PostgreSQL: a repeated dashboard
//! query is answered from it, and never once anything it depends on has changed (an
//! event, the token that asks, and for the board one second of age or its midnight);
//! an answer that does not depend on the moment is kept until the next event; the audit
//! queries always run.

use serde_json::{Value, json};

use duban_tests::history::{at, progress};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

const BOARD: &str = "query($p: ID) { board(planId: $p) { asOf totals { open dueSoon } \
    rows { department { name } light counts { open } averageProgress } } }";

/// Queries answered from the cache so far.
fn cached(app: &TestApp) -> f64 {
    let text = app.app.metrics.render();
    text.lines()
        .find_map(|l| l.strip_prefix("duban_cached_answers_total "))
        .and_then(|v| v.trim().parse().ok())
        .expect("duban_cached_answers_total is exported")
}

async fn board(app: &TestApp, plan: &str) -> Value {
    app.ok(&app.office, BOARD, json!({ "p": plan })).await
}

backend_tests!(a_repeated_query_is_answered_from_the_cache_until_an_event_changes_it);
async fn a_repeated_query_is_answered_from_the_cache_until_an_event_changes_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let task = app.assigned_task("教育局").await;
    let first = board(&app, &task.plan_id).await;
    let before = cached(&app);
    let again = board(&app, &task.plan_id).await;
    assert_eq!(cached(&app), before + 1.0, "the second board was kept");
    assert_eq!(again, first);

    // Another plan filter is another answer.
    let county = app.ok(&app.office, BOARD, json!({ "p": null })).await;
    assert_eq!(cached(&app), before + 1.0);
    assert_eq!(county["board"]["totals"], first["board"]["totals"]);

    progress(&app, &task.token, &task.task_id, 60, "完成一半以上").await;
    let after = board(&app, &task.plan_id).await;
    assert_eq!(cached(&app), before + 1.0, "an event makes it stale");
    assert_eq!(after["board"]["rows"][0]["averageProgress"], 60.0);
    assert_eq!(first["board"]["rows"][0]["averageProgress"], 0.0);
    app.stop().await;
}

backend_tests!(a_kept_board_is_not_used_once_a_second_old_or_past_its_midnight);
async fn a_kept_board_is_not_used_once_a_second_old_or_past_its_midnight(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let task = app.assigned_task("教育局").await;
    at(&app, "2025-07-02T10:00:00+08:00");
    let first = board(&app, &task.plan_id).await;
    let kept = cached(&app);
    at(&app, "2025-07-02T10:00:00.900+08:00");
    let same = board(&app, &task.plan_id).await;
    assert_eq!(cached(&app), kept + 1.0);
    assert_eq!(same["board"]["asOf"], first["board"]["asOf"]);

    at(&app, "2025-07-02T10:00:01.100+08:00");
    let later = board(&app, &task.plan_id).await;
    assert_eq!(cached(&app), kept + 1.0, "older than a second");
    assert_ne!(later["board"]["asOf"], first["board"]["asOf"]);

    // Half a second before midnight and half a second after: the board of the new
    // day, although the first answer is younger than a second.
    at(&app, "2025-07-02T23:59:59.500+08:00");
    let evening = board(&app, &task.plan_id).await;
    at(&app, "2025-07-03T00:00:00+08:00");
    let midnight = board(&app, &task.plan_id).await;
    assert_eq!(cached(&app), kept + 1.0, "the board changes at midnight");
    assert_ne!(midnight["board"]["asOf"], evening["board"]["asOf"]);
    app.stop().await;
}

backend_tests!(answers_are_kept_per_token_and_audit_queries_always_run);
async fn answers_are_kept_per_token_and_audit_queries_always_run(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let me = "{ me { name role } }";
    let office = app.ok(&app.office, me, json!({})).await;
    let auditor = app.ok(&app.auditor, me, json!({})).await;
    assert_eq!(office["me"]["role"], "OFFICE");
    assert_eq!(auditor["me"]["role"], "AUDITOR", "not the office's answer");

    let task = app.assigned_task("教育局").await;
    let history = "query($s: String!) { history(streamId: $s) { nodes { type } } }";
    let vars = json!({ "s": task.task_id });
    let before = cached(&app);
    let one = app.ok(&app.auditor, history, vars.clone()).await;
    let two = app.ok(&app.auditor, history, vars).await;
    assert_eq!(one, two);
    assert_eq!(cached(&app), before, "history is never kept");
    app.stop().await;
}

backend_tests!(an_answer_that_does_not_depend_on_the_moment_is_kept_until_the_next_event);
async fn an_answer_that_does_not_depend_on_the_moment_is_kept_until_the_next_event(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let task = app.assigned_task("教育局").await;
    let worklist = "query($d: ID!) { worklist(departmentId: $d) { id progress } }";
    let vars = json!({ "d": task.department_id });
    at(&app, "2025-07-02T10:00:00+08:00");
    let first = app.ok(&app.office, worklist, vars.clone()).await;
    let kept = cached(&app);
    at(&app, "2025-07-09T10:00:00+08:00");
    let week_later = app.ok(&app.office, worklist, vars.clone()).await;
    assert_eq!(cached(&app), kept + 1.0, "a week later, no event: kept");
    assert_eq!(week_later, first);

    progress(&app, &task.token, &task.task_id, 30, "开始施工").await;
    let after = app.ok(&app.office, worklist, vars).await;
    assert_eq!(cached(&app), kept + 1.0, "an event makes it stale");
    assert_eq!(after["worklist"][0]["progress"], 30);
    app.stop().await;
}
