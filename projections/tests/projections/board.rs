//! The scheduling board: every count, each light condition at its boundary, the row
//! order and the agenda order.

use chrono::Duration;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_projections::board::AgendaReason;
use duban_projections::{Board, BoardCounts, Light, board};

use crate::world::{World, day, sh};

fn row(b: &Board, dept: DepartmentId) -> &duban_projections::BoardRow {
    b.rows
        .iter()
        .find(|r| r.department_id == dept)
        .expect("a row")
}

fn light(b: &Board, dept: DepartmentId) -> Light {
    row(b, dept).light
}

/// A world with a plan and departments named `names`.
fn setup(at: &str, names: &[&str]) -> (World, PlanId, Vec<DepartmentId>) {
    let mut w = World::at(at);
    let depts = names.iter().map(|n| w.department(n)).collect();
    let plan = w.plan("规划");
    (w, plan, depts)
}

fn assigned(w: &mut World, plan: PlanId, lead: DepartmentId, due: &str) -> TaskId {
    let t = w.measure(plan, None, "任务");
    w.assign(t, lead, due);
    t
}

#[test]
fn each_count_follows_its_rule() {
    let (mut w, plan, d) = setup("2024-03-01T09:00:00", &["教育局", "财政局"]);
    let (a, b) = (d[0], d[1]);
    let _defined = w.measure(plan, None, "未交办");
    let _assigned_only = assigned(&mut w, plan, a, "2024-12-31");
    let t_progress = assigned(&mut w, plan, a, "2024-12-31");
    w.progress(t_progress, 30);
    let t_pending = assigned(&mut w, plan, a, "2024-12-31");
    w.progress(t_pending, 90).submit(t_pending);
    let t_closed = assigned(&mut w, plan, a, "2024-12-31");
    w.close(t_closed);
    let t_late = assigned(&mut w, plan, a, "2024-03-10");
    let t_cancelled = assigned(&mut w, plan, a, "2024-12-31");
    w.try_cancel(t_cancelled).unwrap();
    let t_escalated = assigned(&mut w, plan, a, "2024-12-31");
    w.progress(t_escalated, 60).escalate(t_escalated);
    let t_escalated_closed = assigned(&mut w, plan, a, "2024-12-31");
    w.escalate(t_escalated_closed).close(t_escalated_closed);
    let t_cooperating = w.measure(plan, None, "配合");
    w.try_assign(t_cooperating, b, &[a], day("2024-12-31"))
        .unwrap();
    w.set("2024-03-11T00:00:00")
        .mark_overdue(t_late)
        .close(t_late);
    assert!(w.task(t_late).closed_late);

    let now = sh("2024-03-12T09:00:00");
    let board = board(&w.model(), Some(plan), now);
    let expected_a = BoardCounts {
        open: 4, // assigned, in progress, pending, escalated; not defined/closed/cancelled
        overdue: 0,
        due_soon: 0,
        pending_verification: 1,
        closed: 3,
        closed_late: 1,
        escalated: 1, // the closed escalated task no longer counts
    };
    assert_eq!(row(&board, a).counts, expected_a);
    assert_eq!(
        row(&board, a).average_progress,
        (0.0 + 30.0 + 90.0 + 60.0) / 4.0
    );
    assert_eq!(
        row(&board, b).counts.open,
        1,
        "a cooperating task counts for its lead only"
    );
    assert_eq!(board.rows.len(), 2, "rows are per lead department");
    let mut sum = expected_a;
    sum.open += 1;
    assert_eq!(board.totals, sum);
    assert_eq!(board.as_of, now);
}

#[test]
fn average_progress_is_zero_without_open_tasks() {
    let (mut w, plan, d) = setup("2024-03-01T09:00:00", &["教育局"]);
    let t = assigned(&mut w, plan, d[0], "2024-12-31");
    w.progress(t, 100).close(t);
    let board = board(&w.model(), None, w.now);
    assert_eq!(row(&board, d[0]).average_progress, 0.0);
    assert_eq!(row(&board, d[0]).counts.closed, 1);
    assert_eq!(light(&board, d[0]), Light::Green);
}

#[test]
fn tasks_without_a_lead_count_only_in_the_totals_and_other_plans_not_at_all() {
    let (mut w, plan, d) = setup("2024-03-01T09:00:00", &["教育局"]);
    let other = w.plan("另一规划");
    w.measure(plan, None, "未交办");
    let t = assigned(&mut w, other, d[0], "2024-12-31");
    w.progress(t, 10);
    let b = board(&w.model(), Some(plan), w.now);
    assert!(b.rows.is_empty());
    assert_eq!(b.totals, BoardCounts::default());
    let all = board(&w.model(), None, w.now);
    assert_eq!(all.rows.len(), 1);
    assert_eq!(all.totals.open, 1);
}

#[test]
fn overdue_is_what_the_clock_recorded_for_the_current_due_date() {
    let (mut w, plan, d) = setup("2024-04-01T09:00:00", &["教育局"]);
    let t = assigned(&mut w, plan, d[0], "2024-04-10");
    w.set("2024-04-11T00:00:00");
    let before = board(&w.model(), None, w.now);
    assert_eq!(
        before.totals.overdue, 0,
        "past due, but the clock has not recorded it"
    );
    w.mark_overdue(t);
    let marked = board(&w.model(), None, w.now);
    assert_eq!(marked.totals.overdue, 1);
    assert_eq!(light(&marked, d[0]), Light::Red);
    w.try_extend(t, day("2024-06-30")).unwrap();
    let extended = board(&w.model(), None, w.now);
    assert_eq!(
        extended.totals.overdue, 0,
        "a later deadline clears the flag"
    );
    assert_eq!(light(&extended, d[0]), Light::Green);
}

#[test]
fn red_wins_over_yellow() {
    let (mut w, plan, d) = setup("2024-04-01T09:00:00", &["教育局"]);
    let late = assigned(&mut w, plan, d[0], "2024-04-01");
    assigned(&mut w, plan, d[0], "2024-04-05"); // due soon, no progress: yellow
    w.set("2024-04-02T00:00:00").mark_overdue(late);
    let b = board(&w.model(), None, w.now);
    assert_eq!(light(&b, d[0]), Light::Red);
    assert_eq!(row(&b, d[0]).counts.overdue, 1);
    assert_eq!(row(&b, d[0]).counts.due_soon, 1);
}

#[test]
fn due_soon_reaches_14_days_ahead_including_today_in_shanghai() {
    let (mut w, plan, d) = setup("2024-06-01T09:00:00", &["今天", "十四天", "十五天", "昨天"]);
    assigned(&mut w, plan, d[0], "2024-06-01");
    assigned(&mut w, plan, d[1], "2024-06-15");
    let t15 = assigned(&mut w, plan, d[2], "2024-06-16");
    let yesterday = assigned(&mut w, plan, d[3], "2024-05-31");
    let b = board(&w.model(), None, sh("2024-06-01T23:59:59"));
    assert_eq!(row(&b, d[0]).counts.due_soon, 1);
    assert_eq!(row(&b, d[1]).counts.due_soon, 1);
    assert_eq!(row(&b, d[2]).counts.due_soon, 0);
    assert_eq!(row(&b, d[3]).counts.due_soon, 0, "past due is not due soon");
    assert_eq!(light(&b, d[0]), Light::Yellow);
    assert_eq!(light(&b, d[1]), Light::Yellow);
    assert_eq!(light(&b, d[2]), Light::Green);
    assert_eq!(b.totals.due_soon, 2);
    // 2024-06-01T16:00Z is already 2024-06-02 in Shanghai: 06-16 is now 14 days ahead.
    let b = board(&w.model(), None, sh("2024-06-02T00:00:00"));
    assert_eq!(row(&b, d[2]).counts.due_soon, 1);
    assert_eq!(light(&b, d[2]), Light::Yellow);
    assert_eq!(row(&b, d[0]).counts.due_soon, 0, "due yesterday now");
    let _ = (t15, yesterday);
}

#[test]
fn progress_under_80_is_at_risk_and_80_is_not() {
    let (mut w, plan, d) = setup("2024-06-01T09:00:00", &["七十九", "八十"]);
    let t79 = assigned(&mut w, plan, d[0], "2024-06-05");
    let t80 = assigned(&mut w, plan, d[1], "2024-06-05");
    w.progress(t79, 79).progress(t80, 80);
    let b = board(&w.model(), None, w.now);
    assert_eq!(light(&b, d[0]), Light::Yellow);
    assert_eq!(light(&b, d[1]), Light::Green);
    assert_eq!(
        row(&b, d[1]).counts.due_soon,
        1,
        "still due soon, just not at risk"
    );
    assert_eq!(row(&b, d[0]).average_progress, 79.0);
}

#[test]
fn a_submitted_task_is_in_the_offices_hands_not_at_risk() {
    let (mut w, plan, d) = setup("2024-06-01T09:00:00", &["教育局"]);
    let t = assigned(&mut w, plan, d[0], "2024-06-05");
    w.progress(t, 10).submit(t);
    let b = board(&w.model(), None, sh("2024-08-01T09:00:00"));
    assert_eq!(
        light(&b, d[0]),
        Light::Green,
        "neither at risk nor stale while awaiting verification"
    );
    assert_eq!(b.agenda[0].reason, AgendaReason::AwaitingVerification);
}

#[test]
fn thirty_days_without_progress_is_stale() {
    let (mut w, plan, d) = setup("2024-03-01T09:00:00", &["无进展", "有进展", "改派"]);
    let assigned_at = w.now;
    assigned(&mut w, plan, d[0], "2024-12-31");
    let reported = assigned(&mut w, plan, d[1], "2024-12-31");
    let reassigned = assigned(&mut w, plan, d[2], "2024-12-31");
    w.advance(Duration::days(10)).progress(reported, 20);
    w.assign(reassigned, d[2], "2024-11-30");
    let model = w.model();
    let at = |offset: Duration| board(&model, None, assigned_at + offset);
    let just_before = at(Duration::days(30) - Duration::seconds(1));
    assert_eq!(light(&just_before, d[0]), Light::Green);
    let exactly = at(Duration::days(30));
    assert_eq!(
        light(&exactly, d[0]),
        Light::Yellow,
        "no report for exactly 30 days"
    );
    assert_eq!(light(&exactly, d[1]), Light::Green, "reported 20 days ago");
    assert_eq!(
        light(&exactly, d[2]),
        Light::Green,
        "re-assigned 20 days ago"
    );
    let later = at(Duration::days(40));
    assert_eq!(light(&later, d[1]), Light::Yellow);
    assert_eq!(light(&later, d[2]), Light::Yellow);
}

#[test]
fn rows_run_red_yellow_green_then_by_name() {
    let (mut w, plan, d) = setup(
        "2024-04-01T09:00:00",
        &["b-green", "a-green", "z-red", "y-yellow"],
    );
    assigned(&mut w, plan, d[0], "2024-12-31");
    assigned(&mut w, plan, d[1], "2024-12-31");
    let late = assigned(&mut w, plan, d[2], "2024-04-01");
    assigned(&mut w, plan, d[3], "2024-04-03");
    w.set("2024-04-02T00:00:00").mark_overdue(late);
    let b = board(&w.model(), None, w.now);
    let order: Vec<_> = b.rows.iter().map(|r| r.department_id).collect();
    assert_eq!(order, [d[2], d[3], d[1], d[0]]);
}

#[test]
fn the_agenda_runs_overdue_escalated_at_risk_then_awaiting_verification() {
    let (mut w, plan, d) = setup("2024-05-01T09:00:00", &["教育局"]);
    let a = d[0];
    let stale = assigned(&mut w, plan, a, "2024-12-31");
    w.set("2024-05-20T09:00:00");
    let o5 = assigned(&mut w, plan, a, "2024-06-05");
    let o3 = assigned(&mut w, plan, a, "2024-06-07");
    let o2 = assigned(&mut w, plan, a, "2024-06-08");
    let o2b = assigned(&mut w, plan, a, "2024-06-08");
    let escalated = assigned(&mut w, plan, a, "2024-12-31");
    let risk_a = assigned(&mut w, plan, a, "2024-06-20");
    let risk_b = assigned(&mut w, plan, a, "2024-06-20");
    let verify_late = assigned(&mut w, plan, a, "2024-12-31");
    let verify_soon = assigned(&mut w, plan, a, "2024-06-15");
    let fine = assigned(&mut w, plan, a, "2024-12-31");
    let closed_escalated = assigned(&mut w, plan, a, "2024-12-31");
    w.set("2024-06-09T00:00:00");
    for t in [o5, o3, o2, o2b] {
        w.mark_overdue(t);
    }
    w.escalate(o3)
        .escalate(escalated)
        .escalate(closed_escalated)
        .close(closed_escalated);
    for t in [escalated, fine, verify_late, verify_soon, o5, o3, o2, o2b] {
        w.progress(t, 50);
    }
    w.progress(risk_a, 10).progress(risk_b, 10);
    w.submit(verify_late).submit(verify_soon);

    let b = board(&w.model(), Some(plan), sh("2024-06-10T10:00:00"));
    let (first, second) = if o2 < o2b { (o2, o2b) } else { (o2b, o2) };
    let (risk_1, risk_2) = if risk_a < risk_b {
        (risk_a, risk_b)
    } else {
        (risk_b, risk_a)
    };
    let got: Vec<_> = b.agenda.iter().map(|i| i.task_id).collect();
    assert_eq!(
        got,
        [
            o5,
            o3,
            first,
            second,
            escalated,
            risk_1,
            risk_2,
            stale,
            verify_soon,
            verify_late
        ]
    );
    let reasons: Vec<_> = b.agenda.iter().map(|i| i.reason).collect();
    use AgendaReason::*;
    assert_eq!(
        reasons,
        [
            Overdue,
            Overdue,
            Overdue,
            Overdue,
            Escalated,
            AtRisk,
            AtRisk,
            AtRisk,
            AwaitingVerification,
            AwaitingVerification
        ]
    );
    assert!(!got.contains(&fine) && !got.contains(&closed_escalated));
}
