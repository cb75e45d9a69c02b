//! The quarterly dispatch: the quarter's boundary in Asia/Shanghai, every count, the
//! on-time rate, the ranking and the lists for the circular.

use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::time::Quarter;
use duban_projections::{Dispatch, DispatchCounts, DispatchRow, dispatch};

use crate::world::{World, day, sh};

fn q(year: i32, quarter: u32) -> Quarter {
    Quarter::new(year, quarter).unwrap()
}

fn row(d: &Dispatch, dept: DepartmentId) -> &DispatchRow {
    d.rows
        .iter()
        .find(|r| r.department_id == dept)
        .expect("a row")
}

fn assigned(w: &mut World, plan: PlanId, lead: DepartmentId, due: &str) -> TaskId {
    let t = w.measure(plan, None, "任务");
    w.assign(t, lead, due);
    t
}

#[test]
fn the_quarter_ends_at_midnight_in_shanghai() {
    let mut w = World::at("2024-03-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let t = assigned(&mut w, plan, a, "2024-12-31");
    w.set("2024-06-30T23:59:59").progress(t, 10);
    w.set("2024-07-01T00:00:00").progress(t, 20).close(t);
    let q2 = dispatch(&w.envelopes, Some(plan), q(2024, 2));
    assert_eq!(
        row(&q2, a).counts.progress_reports,
        1,
        "23:59:59 counts, 00:00:00 does not"
    );
    assert_eq!(row(&q2, a).counts.closed, 0);
    let q3 = dispatch(&w.envelopes, Some(plan), q(2024, 3));
    assert_eq!(row(&q3, a).counts.progress_reports, 1);
    assert_eq!(row(&q3, a).counts.closed, 1);
    assert_eq!(
        row(&q3, a).counts.open_at_start,
        1,
        "closed at 00:00 on the first day: open at the start"
    );
    // 2024-06-30T16:00:00Z is 2024-07-01 00:00 in Shanghai.
    assert_eq!(
        sh("2024-07-01T00:00:00").to_rfc3339(),
        "2024-06-30T16:00:00+00:00"
    );
}

#[test]
fn a_past_quarter_shows_what_the_office_knew_then() {
    let mut w = World::at("2024-04-02T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let t = assigned(&mut w, plan, a, "2024-06-20");
    w.set("2024-06-21T00:00:00").mark_overdue(t);
    w.set("2025-03-01T09:00:00").close(t);
    let later = assigned(&mut w, plan, a, "2024-06-01");
    let q2 = dispatch(&w.envelopes, Some(plan), q(2024, 2));
    let r = row(&q2, a);
    assert_eq!(r.counts.closed, 0);
    assert_eq!(
        r.counts.assigned, 1,
        "the task assigned in 2025 is not known"
    );
    assert_eq!(r.counts.overdue_at_end, 1);
    assert_eq!(q2.overdue_at_end.len(), 1);
    assert_eq!(q2.overdue_at_end[0].task_id, t);
    assert_eq!(r.on_time_rate, Some(0.0));
    let _ = later;
}

/// The scenario of `every_count_follows_its_rule`.
struct Scenario {
    w: World,
    plan: PlanId,
    a: DepartmentId,
    b: DepartmentId,
    a4: TaskId,
}

fn scenario() -> Scenario {
    let mut w = World::at("2024-01-10T09:00:00");
    let a = w.department("教育局");
    let b = w.department("财政局");
    let plan = w.plan("规划");
    let other_plan = w.plan("另一规划");
    // Q1: a2 assigned and closed; a1 and a3 still running at the start of Q2.
    let a2 = assigned(&mut w, plan, a, "2024-03-31");
    w.set("2024-02-01T09:00:00");
    let a1 = w.measure(plan, None, "a1");
    w.try_assign(a1, a, &[b], day("2024-05-31")).unwrap();
    w.set("2024-03-01T09:00:00");
    let a3 = assigned(&mut w, plan, a, "2024-04-30");
    w.set("2024-03-20T09:00:00").close(a2);
    // Q2, from its first instant.
    w.set("2024-04-01T00:00:00");
    let a4 = assigned(&mut w, plan, a, "2024-06-30");
    w.set("2024-04-02T09:00:00");
    let c1 = assigned(&mut w, plan, a, "2024-06-15");
    w.set("2024-04-03T09:00:00").try_cancel(c1).unwrap();
    w.set("2024-04-05T09:00:00");
    let b1 = assigned(&mut w, plan, b, "2024-05-15");
    w.set("2024-04-06T09:00:00").assign(b1, a, "2024-09-30");
    w.set("2024-04-10T09:00:00");
    let a5 = assigned(&mut w, plan, a, "2024-12-31");
    w.set("2024-04-20T09:00:00").assign(a5, a, "2024-11-30");
    w.progress(a1, 40);
    let b_actor = w.dept_actor(b);
    w.try_progress(a1, 60, &b_actor).unwrap();
    w.set("2024-05-01T00:00:00").mark_overdue(a3);
    w.set("2024-05-10T09:00:00").submit(a3);
    w.set("2024-05-12T09:00:00").try_verify(a3, true).unwrap();
    w.set("2024-05-20T09:00:00").submit(a1);
    w.set("2024-05-25T09:00:00").try_verify(a1, true).unwrap();
    w.submit(a5).try_verify(a5, false).unwrap();
    w.submit(a5);
    let elsewhere = assigned(&mut w, other_plan, a, "2024-12-31");
    w.progress(elsewhere, 10);
    // Q3: none of this may show in Q2.
    w.set("2024-07-01T00:00:00").progress(a5, 90);
    w.set("2024-07-02T09:00:00").close(a4);
    Scenario { w, plan, a, b, a4 }
}

#[test]
fn every_count_follows_its_rule() {
    let s = scenario();
    let d = dispatch(&s.w.envelopes, Some(s.plan), q(2024, 2));
    let a = row(&d, s.a);
    assert_eq!(
        a.counts,
        DispatchCounts {
            open_at_start: 2,    // a1, a3 (a2 closed in Q1, a4 assigned at 00:00 of Q2)
            assigned: 4,         // a4, c1, b1 (taken over from 财政局), a5 (re-assigned: once)
            progress_reports: 2, // both on a1, one by the cooperating 财政局
            submitted: 4,        // a1, a3, a5 twice
            closed: 2,           // a1, a3
            closed_late: 1,      // a3
            went_overdue: 1,     // a3
            overdue_at_end: 1,   // a4, due on the quarter's last day
        }
    );
    // Due within Q2: a1 (on time), a3 (late), a4 (not done); c1 was cancelled.
    assert_eq!((a.punctuality.due, a.punctuality.on_time), (3, 1));
    assert_eq!(a.on_time_rate, Some(1.0 / 3.0));
    let b = row(&d, s.b);
    assert_eq!(
        b.counts,
        DispatchCounts {
            assigned: 1,
            ..DispatchCounts::default()
        }
    );
    assert_eq!(b.on_time_rate, None);
    let mut totals = a.counts;
    totals.add(&b.counts);
    assert_eq!(d.totals, totals);
    assert_eq!(d.on_time_rate, Some(1.0 / 3.0));
    assert_eq!((d.year, d.quarter), (2024, 2));
    assert_eq!(d.plan_title.as_deref(), Some("规划"));

    assert_eq!(d.overdue_at_end.len(), 1);
    let item = &d.overdue_at_end[0];
    assert_eq!(
        (item.task_id, item.department_id, item.days_overdue),
        (s.a4, s.a, 1)
    );
    assert_eq!(item.department, "教育局");
    assert_eq!(d.closed_late.len(), 1);
    assert_eq!(d.closed_late[0].closed_at, sh("2024-05-12T09:00:00"));

    let everything = dispatch(&s.w.envelopes, None, q(2024, 2));
    assert_eq!(
        row(&everything, s.a).counts.progress_reports,
        3,
        "another plan's report counts without a plan"
    );
    assert_eq!(row(&everything, s.a).counts.assigned, 5);
}

#[test]
fn overdue_at_end_is_by_due_date_at_the_quarters_end() {
    let mut w = World::at("2024-05-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let last_day = assigned(&mut w, plan, a, "2024-06-30");
    assigned(&mut w, plan, a, "2024-07-01");
    let long_ago = assigned(&mut w, plan, a, "2024-05-10");
    let d = dispatch(&w.envelopes, None, q(2024, 2));
    assert_eq!(
        row(&d, a).counts.overdue_at_end,
        2,
        "unmarked by the clock, still past due"
    );
    assert_eq!(row(&d, a).counts.went_overdue, 0);
    let listed: Vec<_> = d
        .overdue_at_end
        .iter()
        .map(|i| (i.task_id, i.days_overdue))
        .collect();
    assert_eq!(
        listed,
        [(long_ago, 52), (last_day, 1)],
        "most days overdue first"
    );
}

#[test]
fn closing_on_the_due_date_is_on_time_and_a_second_later_is_not() {
    let mut w = World::at("2024-05-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let on_time = assigned(&mut w, plan, a, "2024-05-31");
    let late = assigned(&mut w, plan, a, "2024-05-31");
    w.submit(on_time).submit(late);
    w.set("2024-05-31T23:59:59")
        .try_verify(on_time, true)
        .unwrap();
    w.set("2024-06-01T00:00:00").try_verify(late, true).unwrap();
    let d = dispatch(&w.envelopes, None, q(2024, 2));
    let r = row(&d, a);
    assert_eq!((r.punctuality.due, r.punctuality.on_time), (2, 1));
    assert_eq!(r.on_time_rate, Some(0.5));
    assert_eq!(
        r.counts.closed_late, 1,
        "the domain marks the verification late"
    );
    assert_eq!(d.closed_late[0].task_id, late);
}

#[test]
fn the_on_time_rate_is_none_when_nothing_was_due() {
    let mut w = World::at("2024-05-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let t = assigned(&mut w, plan, a, "2024-09-30");
    w.progress(t, 10);
    let d = dispatch(&w.envelopes, None, q(2024, 2));
    assert_eq!(row(&d, a).on_time_rate, None);
    assert_eq!(d.on_time_rate, None);
    let empty = dispatch(&w.envelopes, None, q(2023, 4));
    assert!(
        empty.rows.is_empty(),
        "nothing to report before anything happened"
    );
    assert_eq!(empty.totals, DispatchCounts::default());
}

#[test]
fn the_ranking_is_by_rate_then_fewer_overdue_then_name() {
    // Code-point order of the names: 丁 < 丙 < 乙 < 己 < 戊 < 甲.
    assert!("丁" < "丙" && "丙" < "乙" && "己" < "戊" && "戊" < "甲");
    let mut w = World::at("2024-03-01T09:00:00");
    let names = ["甲", "乙", "丙", "丁", "戊", "己"];
    let d: Vec<_> = names.iter().map(|n| w.department(n)).collect();
    let plan = w.plan("规划");
    let stuck_before = assigned(&mut w, plan, d[5], "2024-03-15"); // 己: overdue, nothing due in Q2
    w.set("2024-04-01T09:00:00");
    let jia = assigned(&mut w, plan, d[0], "2024-05-31");
    let yi_on = assigned(&mut w, plan, d[1], "2024-05-31");
    let yi_late = assigned(&mut w, plan, d[1], "2024-04-30");
    let bing_on = assigned(&mut w, plan, d[2], "2024-05-31");
    assigned(&mut w, plan, d[2], "2024-06-10");
    let ding_on = assigned(&mut w, plan, d[3], "2024-05-31");
    assigned(&mut w, plan, d[3], "2024-06-10");
    assigned(&mut w, plan, d[4], "2024-09-30"); // 戊: nothing due in Q2
    w.set("2024-04-20T09:00:00")
        .close(jia)
        .close(yi_on)
        .close(bing_on)
        .close(ding_on);
    w.set("2024-05-02T09:00:00").close(yi_late);
    let got = dispatch(&w.envelopes, Some(plan), q(2024, 2));
    let order: Vec<_> = got
        .rows
        .iter()
        .map(|r| (r.department.as_str(), r.rank))
        .collect();
    assert_eq!(
        order,
        [
            ("甲", 1),
            ("乙", 2),
            ("丁", 3),
            ("丙", 4),
            ("戊", 5),
            ("己", 6)
        ]
    );
    let rates: Vec<_> = got.rows.iter().map(|r| r.on_time_rate).collect();
    assert_eq!(
        rates,
        [Some(1.0), Some(0.5), Some(0.5), Some(0.5), None, None]
    );
    let overdue: Vec<_> = got.rows.iter().map(|r| r.counts.overdue_at_end).collect();
    assert_eq!(overdue, [0, 0, 1, 1, 0, 1]);
    let _ = stuck_before;
}
