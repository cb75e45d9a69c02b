//! Builders of task histories for the read-model tests: every change goes through a
//! GraphQL mutation (the normal command path) while the test moves the fixed clock.
//!
//! Times are written as RFC 3339 with the Asia/Shanghai offset, e.g.
//! `"2024-06-30T23:59:59+08:00"`.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::TestApp;

/// Parses an RFC 3339 time.
pub fn t(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

/// Moves the app's fixed clock to `rfc3339`.
pub fn at(app: &TestApp, rfc3339: &str) {
    app.app.clock.set(t(rfc3339));
}

fn id(data: &Value, field: &str) -> String {
    data[field]["id"].as_str().expect("an id").to_string()
}

/// Drafts a plan for 2024–2026 as the office; returns its id.
pub async fn plan(app: &TestApp, title: &str) -> String {
    let q = "mutation($t: String!) { draftPlan(input: {title: $t, region: \"鲤城区\", \
             periodStart: \"2024-01-01\", periodEnd: \"2026-12-31\"}) { id } }";
    id(
        &app.ok(&app.office, q, json!({ "t": title })).await,
        "draftPlan",
    )
}

/// Defines a measure of `plan`; returns its task id.
pub async fn measure(app: &TestApp, plan: &str, code: &str, title: &str) -> String {
    let q = "mutation($p: ID!, $c: String, $t: String!) { defineMeasure(input: \
             {planId: $p, code: $c, title: $t}) { id } }";
    let vars = json!({ "p": plan, "c": code, "t": title });
    id(&app.ok(&app.office, q, vars).await, "defineMeasure")
}

/// What a rectification item is about.
#[derive(Debug, Clone, Copy)]
pub struct Finding<'a> {
    /// `SELF_INSPECTION`, `SUPERVISION`, `AUDIT` or `COMPLAINT`.
    pub source: &'a str,
    /// The finding.
    pub finding: &'a str,
    /// The standard.
    pub standard: &'a str,
    /// The measured value.
    pub measured: &'a str,
    /// The school or unit.
    pub unit: &'a str,
}

/// Raises a rectification item under `plan`; returns its task id.
pub async fn rectification(app: &TestApp, plan: &str, f: Finding<'_>) -> String {
    let q = "mutation($p: ID, $s: RectificationSource!, $f: String!, $st: String, \
             $m: String, $u: String) { raiseRectification(input: {planId: $p, source: $s, \
             finding: $f, standard: $st, measured: $m, unit: $u, severity: 2}) { id } }";
    let vars = json!({ "p": plan, "s": f.source, "f": f.finding, "st": f.standard,
                       "m": f.measured, "u": f.unit });
    id(&app.ok(&app.office, q, vars).await, "raiseRectification")
}

/// Assigns `task` to `lead` (with `cooperating`) due on `due` (YYYY-MM-DD).
pub async fn assign(app: &TestApp, task: &str, lead: &str, cooperating: &[&str], due: &str) {
    let q = "mutation($t: ID!, $l: ID!, $c: [ID!], $d: Date!) { assignTask(input: \
             {taskId: $t, leadId: $l, cooperatingIds: $c, due: $d}) { id } }";
    let vars = json!({ "t": task, "l": lead, "c": cooperating, "d": due });
    app.ok(&app.office, q, vars).await;
}

/// Reports `percent` on `task` with `token`, with `note`.
pub async fn progress(app: &TestApp, token: &str, task: &str, percent: i32, note: &str) {
    let q = "mutation($t: ID!, $p: Int!, $n: String!) { reportProgress(input: \
             {taskId: $t, percent: $p, note: $n}) { id } }";
    app.ok(token, q, json!({ "t": task, "p": percent, "n": note }))
        .await;
}

/// Submits `task` for verification with `token`.
pub async fn submit(app: &TestApp, token: &str, task: &str) {
    let q = "mutation($t: ID!) { submitForVerification(input: {taskId: $t, \
             summary: \"已完成，请验收\"}) { id } }";
    app.ok(token, q, json!({ "t": task })).await;
}

/// The office verifies `task` (`ACCEPTED` or `REJECTED`).
pub async fn verify(app: &TestApp, task: &str, verdict: &str) {
    let q = "mutation($t: ID!, $v: Verdict!) { verifyTask(input: {taskId: $t, \
             verdict: $v}) { id } }";
    app.ok(&app.office, q, json!({ "t": task, "v": verdict }))
        .await;
}

/// The office extends `task`'s deadline to `due`.
pub async fn extend(app: &TestApp, task: &str, due: &str) {
    let q = "mutation($t: ID!, $d: Date!) { extendDeadline(input: {taskId: $t, due: $d, \
             reason: \"因施工延期\"}) { id } }";
    app.ok(&app.office, q, json!({ "t": task, "d": due })).await;
}

/// The office escalates `task` (挂牌督办).
pub async fn escalate(app: &TestApp, task: &str) {
    let q = "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"挂牌督办\"}) { id } }";
    app.ok(&app.office, q, json!({ "t": task })).await;
}

/// Reports 100 %, submits and accepts `task`, all at the current clock, as the office.
pub async fn close(app: &TestApp, task: &str) {
    progress(app, &app.office, task, 100, "全部完成").await;
    submit(app, &app.office, task).await;
    verify(app, task, "ACCEPTED").await;
}

/// One pass of the overdue clock; returns how many tasks it marked.
pub async fn tick(app: &TestApp) -> usize {
    app.app.tick().await.expect("clock pass")
}

/// The types of the events of one stream, oldest first (read from the store).
pub async fn event_types(app: &TestApp, stream: &str) -> Vec<String> {
    app.app
        .store
        .read_stream(stream, duban_store::StreamBound::All)
        .await
        .expect("read stream")
        .into_iter()
        .map(|e| e.event_type)
        .collect()
}

/// How many `TaskOverdue` events `stream` holds.
pub async fn overdue_count(app: &TestApp, stream: &str) -> usize {
    event_types(app, stream)
        .await
        .iter()
        .filter(|t| *t == "TaskOverdue")
        .count()
}
