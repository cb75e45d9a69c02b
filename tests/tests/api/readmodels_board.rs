//! The scheduling board (`board`) end to end on both backends: one row per lead
//! department with its counts and average progress, the RED / YELLOW / GREEN rules at
//! their boundaries (overdue; due within 14 days under 80 %; 30 days without a report),
//! the row order, the agenda order, the totals, plan scoping, and that every role
//! (departments included) may read it.

use serde_json::{Value, json};

use duban_tests::history::{assign, at, close, escalate, measure, plan, progress, submit, tick};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

const BOARD: &str = "query($p: ID) { board(planId: $p) { asOf \
    rows { department { name } light averageProgress counts { ...C } } \
    totals { ...C } agenda { id } } } \
    fragment C on BoardCounts { open overdue dueSoon pendingVerification closed closedLate escalated }";

/// The tasks of the scenario, by the rule each one exercises.
struct World {
    plan: String,
    overdue: String,
    stale: String,
    at_risk: String,
    escalated: String,
    pending: String,
}

/// Builds the history; the clock ends at 2025-07-01 09:00 Asia/Shanghai.
async fn world(app: &TestApp) -> World {
    at(app, "2025-06-01T09:00:00+08:00");
    let [fin, hr, edu, housing, health] = [
        app.department("财政局").await,
        app.department("人社局").await,
        app.department("教育局").await,
        app.department("住建局").await,
        app.department("卫健委").await,
    ];
    let p1 = plan(app, "优质均衡实施方案").await;
    let p2 = plan(app, "另一方案").await;
    let mut m = Vec::new();
    for i in 1..=9 {
        m.push(measure(app, &p1, &format!("一({i})"), &format!("措施{i}")).await);
    }
    let other = measure(app, &p2, "一(1)", "别的方案的措施").await;
    assign(app, &m[0], &fin, &[], "2025-06-20").await;
    assign(app, &m[1], &fin, &[], "2025-06-25").await;
    // Assigned exactly 30 days before the board is read, never reported on: stale.
    assign(app, &m[5], &edu, &[], "2025-12-31").await;
    assign(app, &other, &housing, &[], "2025-06-20").await;
    at(app, "2025-06-01T09:00:01+08:00");
    // One second less than 30 days: not stale.
    assign(app, &m[6], &health, &[], "2025-12-31").await;
    assign(app, &m[7], &health, &[], "2025-12-31").await;
    at(app, "2025-06-10T10:00:00+08:00");
    let fin_token = app.department_token(&fin).await;
    progress(app, &fin_token, &m[0], 30, "已启动").await;
    at(app, "2025-06-15T10:00:00+08:00");
    assign(app, &m[2], &hr, &[], "2025-07-15").await; // today + 14 days
    assign(app, &m[3], &housing, &[], "2025-07-15").await;
    assign(app, &m[4], &housing, &[], "2025-07-16").await; // today + 15 days
    at(app, "2025-06-26T09:00:00+08:00");
    assert_eq!(
        tick(app).await,
        3,
        "m1, m2 and the other plan's task went overdue"
    );
    at(app, "2025-06-28T10:00:00+08:00");
    close(app, &m[1]).await; // closed late
    at(app, "2025-06-30T10:00:00+08:00");
    progress(app, &app.office, &m[2], 79, "推进中").await;
    progress(app, &app.office, &m[3], 80, "推进中").await;
    progress(app, &app.office, &m[4], 10, "推进中").await;
    let health_token = app.department_token(&health).await;
    submit(app, &health_token, &m[7]).await;
    escalate(app, &m[6]).await;
    at(app, "2025-07-01T09:00:00+08:00");
    assert_eq!(tick(app).await, 0, "nothing new is overdue");
    World {
        plan: p1,
        overdue: m[0].clone(),
        stale: m[5].clone(),
        at_risk: m[2].clone(),
        escalated: m[6].clone(),
        pending: m[7].clone(),
    }
}

fn counts(c: [i64; 7]) -> Value {
    json!({ "open": c[0], "overdue": c[1], "dueSoon": c[2], "pendingVerification": c[3],
            "closed": c[4], "closedLate": c[5], "escalated": c[6] })
}

async fn board(app: &TestApp, token: &str, plan: Option<&str>) -> Value {
    app.ok(token, BOARD, json!({ "p": plan })).await["board"].clone()
}

fn row<'a>(board: &'a Value, name: &str) -> &'a Value {
    board["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["department"]["name"] == name)
        .unwrap_or_else(|| panic!("no row for {name}: {board}"))
}

backend_tests!(
    #[tokio::test]
    board_rows_counts_lights_and_agenda
);
async fn board_rows_counts_lights_and_agenda(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let b = board(&app, &app.office, Some(&w.plan)).await;
    let names: Vec<&str> = b["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["department"]["name"].as_str().expect("name"))
        .collect();
    // RED first, then YELLOW, then GREEN; by name within a light.
    assert_eq!(
        names,
        ["财政局", "人社局", "教育局", "住建局", "卫健委"],
        "{backend:?}"
    );
    let expected = [
        ("财政局", "RED", [1, 1, 0, 0, 1, 1, 0], 30.0),
        ("人社局", "YELLOW", [1, 0, 1, 0, 0, 0, 0], 79.0),
        ("教育局", "YELLOW", [1, 0, 0, 0, 0, 0, 0], 0.0),
        ("住建局", "GREEN", [2, 0, 1, 0, 0, 0, 0], 45.0),
        ("卫健委", "GREEN", [2, 0, 0, 1, 0, 0, 1], 0.0),
    ];
    for (name, light, c, average) in expected {
        let r = row(&b, name);
        assert_eq!(r["light"], light, "{backend:?} {name}: {r}");
        assert_eq!(r["counts"], counts(c), "{backend:?} {name}");
        assert_eq!(
            r["averageProgress"].as_f64(),
            Some(average),
            "{backend:?} {name}"
        );
    }
    assert_eq!(b["totals"], counts([7, 1, 2, 1, 1, 1, 1]), "{backend:?}");
    let agenda: Vec<&str> = b["agenda"]
        .as_array()
        .expect("agenda")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    // Overdue, escalated, at risk (by due date: due soon, then stale), awaiting
    // verification.
    let order = [&w.overdue, &w.escalated, &w.at_risk, &w.stale, &w.pending];
    assert_eq!(agenda, order.map(String::as_str), "{backend:?}");
    let as_of = chrono::DateTime::parse_from_rfc3339(b["asOf"].as_str().expect("asOf"))
        .expect("asOf is RFC 3339");
    assert_eq!(as_of, app.app.clock.now(), "{backend:?}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    board_is_scoped_by_plan_and_readable_by_every_role
);
async fn board_is_scoped_by_plan_and_readable_by_every_role(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let scoped = board(&app, &app.office, Some(&w.plan)).await;
    let everything = board(&app, &app.office, None).await;
    // The other plan's overdue task turns 住建局 RED only on the unscoped board.
    assert_eq!(row(&scoped, "住建局")["light"], "GREEN", "{backend:?}");
    assert_eq!(row(&everything, "住建局")["light"], "RED", "{backend:?}");
    assert_eq!(row(&everything, "住建局")["counts"]["overdue"], 1);
    assert_eq!(everything["totals"]["overdue"], 2, "{backend:?}");
    assert_eq!(everything["rows"][0]["light"], "RED");
    assert_eq!(everything["rows"][1]["light"], "RED");
    let hr = app.department("民政局").await;
    let dept_token = app.department_token(&hr).await;
    // A department reads the county's rows and counts; the agenda names only its
    // own tasks (民政局 has none).
    let mut for_department = scoped.clone();
    for_department["agenda"] = json!([]);
    assert_eq!(
        board(&app, &dept_token, Some(&w.plan)).await,
        for_department
    );
    assert_eq!(board(&app, &app.auditor, Some(&w.plan)).await, scoped);
    let (status, body) = app.gql(None, BOARD, json!({})).await;
    assert_eq!(status, 401, "{body}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    agenda_count_is_the_whole_agenda_the_viewer_may_see
);
async fn agenda_count_is_the_whole_agenda_the_viewer_may_see(backend: Backend) {
    const COUNTED: &str = "query($n: Int) { board { agendaCount agenda(first: $n) { id } } }";
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    // The office: every agenda task, however few are asked for: the plan's overdue,
    // at-risk, stale, escalated and pending tasks and the other plan's overdue one.
    for n in [0, 2, 100] {
        let b = app.ok(&app.office, COUNTED, json!({ "n": n })).await["board"].clone();
        assert_eq!(b["agendaCount"], 6, "{backend:?} first: {n}: {b}");
        assert_eq!(b["agenda"].as_array().expect("agenda").len(), n.min(6));
    }
    // 卫健委 leads the escalated and the pending task: its count is those two.
    let departments = app
        .ok(&app.office, "{ departments { id name } }", json!({}))
        .await;
    let health = departments["departments"]
        .as_array()
        .expect("departments")
        .iter()
        .find(|d| d["name"] == "卫健委")
        .expect("卫健委")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let token = app.department_token(&health).await;
    let b = app.ok(&token, COUNTED, json!({ "n": 1 })).await["board"].clone();
    assert_eq!(b["agendaCount"], 2, "{backend:?}: {b}");
    let shown: Vec<&str> = b["agenda"]
        .as_array()
        .expect("agenda")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(shown.len(), 1, "{backend:?}");
    assert!(
        [w.escalated.as_str(), w.pending.as_str()].contains(&shown[0]),
        "{backend:?}: {shown:?}"
    );
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    agenda_pages_with_first
);
async fn agenda_pages_with_first(backend: Backend) {
    const PAGED: &str = "query($p: ID, $n: Int) { board(planId: $p) { \
        agenda(first: $n) { id } all: agenda { id } } }";
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("agenda")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_string())
            .collect()
    };
    let b = app
        .ok(&app.office, PAGED, json!({ "p": w.plan, "n": 2 }))
        .await["board"]
        .clone();
    let all = ids(&b["all"]);
    assert_eq!(all.len(), 5, "{backend:?}");
    assert_eq!(
        ids(&b["agenda"]),
        all[..2],
        "{backend:?}: the top of the agenda"
    );
    for n in [0, 5, 100] {
        let b = app
            .ok(&app.office, PAGED, json!({ "p": w.plan, "n": n }))
            .await["board"]
            .clone();
        assert_eq!(ids(&b["agenda"]), all[..n.min(5)], "{backend:?} first: {n}");
    }
    app.fails(
        &app.office,
        PAGED,
        json!({ "p": w.plan, "n": -1 }),
        "BAD_USER_INPUT",
    )
    .await;
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    a_cached_board_follows_new_events_and_the_clock
);
async fn a_cached_board_follows_new_events_and_the_clock(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let w = world(&app).await;
    let light = |b: &Value| row(b, "教育局")["light"].clone();
    // 09:00 is exactly 30 days after the assignment: stale.
    let first = board(&app, &app.office, Some(&w.plan)).await;
    assert_eq!(light(&first), "YELLOW", "{backend:?}");
    assert_eq!(board(&app, &app.office, Some(&w.plan)).await, first);
    // One second earlier it is not stale yet, and 09:00 again it is.
    at(&app, "2025-07-01T08:59:59+08:00");
    let earlier = board(&app, &app.office, Some(&w.plan)).await;
    assert_eq!(light(&earlier), "GREEN", "{backend:?}: {earlier}");
    at(&app, "2025-07-01T09:00:00+08:00");
    assert_eq!(board(&app, &app.office, Some(&w.plan)).await, first);
    // A progress report (a new event) makes it fresh at the same instant.
    progress(&app, &app.office, &w.stale, 10, "已启动").await;
    let after = board(&app, &app.office, Some(&w.plan)).await;
    assert_eq!(light(&after), "GREEN", "{backend:?}: {after}");
    assert_eq!(after["asOf"], first["asOf"]);
    app.stop().await;
}
