//! Closed late (逾期办结) or on time: an accepted verification after the deadline (or of a
//! task that went overdue) is late, one before it is on time, a rejection never is, and
//! reopening clears it until the next close.

use duban_domain::Event;
use duban_domain::aggregate::replay;
use duban_domain::event::{DeadlineExtended, Note};
use duban_domain::task::{Task, TaskKind, TaskStatus as S, Verdict};

use super::fixtures::*;

#[test]
fn closing_a_task_that_went_overdue_is_closed_late() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    // Even with the deadline since moved into the future and the work done before it.
    history.push(Event::DeadlineExtended(DeadlineExtended {
        previous_due: Some(due()),
        due: day(2025, 12, 31),
        reason: "r".into(),
    }));
    history.push(submitted());
    let task = given(&history)
        .when(verify(Verdict::Accepted), &w.office(), after())
        .then_events(&[verified(Verdict::Accepted, None, true)])
        .expect("a task");
    assert_eq!(task.status, S::Closed);
    assert!(task.closed_late);
}

#[test]
fn closing_before_the_deadline_is_on_time() {
    let w = w();
    let last_second = at("2025-06-30T23:59:59+08:00");
    let task = given(&w.measure_in(S::PendingVerification))
        .when(verify(Verdict::Accepted), &w.office(), last_second)
        .then_events(&[verified(Verdict::Accepted, None, false)])
        .expect("a task");
    assert!(!task.closed_late);
}

#[test]
fn closing_after_the_deadline_is_late_even_if_the_clock_had_not_run() {
    // The code's reading of 逾期办结: closed (verified) after the due date has passed,
    // whether or not the clock recorded TaskOverdue in between.
    let w = w();
    given(&w.measure_in(S::PendingVerification))
        .when(
            verify(Verdict::Accepted),
            &w.office(),
            at("2025-07-01T00:00:00+08:00"),
        )
        .then_events(&[verified(Verdict::Accepted, None, true)]);
}

#[test]
fn a_rejection_is_never_late() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    given(&history)
        .when(verify(Verdict::Rejected), &w.office(), after())
        .then_events(&[verified(Verdict::Rejected, None, false)]);
}

#[test]
fn reopening_clears_closed_late_until_the_next_close() {
    let w = w();
    let mut history = w.history(TaskKind::Rectification, S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    history.push(verified(Verdict::Accepted, None, true));
    let closed: Task = replay(&history).expect("a task");
    assert!(closed.closed_late);
    history.push(Event::RectificationReopened(Note { note: "r".into() }));
    let reopened: Task = replay(&history).expect("a task");
    assert!(!reopened.closed_late);
    assert!(reopened.went_overdue);
    history.push(submitted());
    // It went overdue once: closing it again is still late.
    given(&history)
        .when(verify(Verdict::Accepted), &w.office(), after())
        .then_events(&[verified(Verdict::Accepted, None, true)]);
}
