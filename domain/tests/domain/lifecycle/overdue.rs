//! The overdue clock in Asia/Shanghai: from midnight after the due date, once per task
//! and due date, only while assigned or in progress, again after a new due date.

use duban_domain::aggregate::replay;
use duban_domain::event::{DeadlineExtended, Note, TaskAssigned};
use duban_domain::task::{Task, TaskKind, TaskStatus as S, Verdict};
use duban_domain::{Actor, Event};

use super::fixtures::*;

#[test]
fn overdue_starts_exactly_at_midnight_shanghai_after_the_due_date() {
    let w = w();
    let midnight = at("2025-07-01T00:00:00+08:00");
    assert_eq!(midnight, at("2025-06-30T16:00:00Z"));
    for status in [S::Assigned, S::InProgress] {
        for not_yet in [
            at("2025-06-30T23:59:59+08:00"),
            at("2025-06-30T15:59:59.999Z"),
            at("2025-06-30T00:00:00Z"),
            before(),
        ] {
            given(&w.measure_in(status))
                .when(mark_overdue(), &Actor::system(), not_yet)
                .then_events(&[]);
        }
        let task = given(&w.measure_in(status))
            .when(mark_overdue(), &Actor::system(), midnight)
            .then_events(&[overdue_event(due(), midnight)])
            .expect("a task");
        assert!(task.overdue());
        assert!(task.went_overdue);
        assert_eq!(task.overdue_for, Some(due()));
        assert_eq!(task.status, status, "going overdue changes no state");
    }
}

#[test]
fn overdue_is_recorded_once_per_task_and_due_date() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    for later in [after(), at("2026-01-01T00:00:00+08:00")] {
        given(&history)
            .when(mark_overdue(), &Actor::system(), later)
            .then_events(&[]);
    }
    // Progress reported afterwards does not re-arm it.
    history.push(w.progressed(80, after()));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[]);
    // Re-assigning with the same due date does not either.
    history.push(w.assigned(due()));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[]);
}

#[test]
fn ongoing_work_assigned_without_a_due_date_never_goes_overdue() {
    let w = w();
    let mut history = w.measure_in(S::Defined);
    history.push(Event::TaskAssigned(TaskAssigned {
        lead: w.lead,
        cooperating: vec![],
        due: None,
    }));
    for later in [after(), at("2030-01-01T00:00:00+08:00")] {
        let task = given(&history)
            .when(mark_overdue(), &Actor::system(), later)
            .then_events(&[])
            .expect("a task");
        assert_eq!((task.status, task.due), (S::Assigned, None));
        assert!(!task.overdue());
    }
}

#[test]
fn a_new_due_date_can_go_overdue_again() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    history.push(Event::DeadlineExtended(DeadlineExtended {
        previous_due: Some(due()),
        due: day(2025, 7, 31),
        reason: "r".into(),
    }));
    given(&history)
        .when(
            mark_overdue(),
            &Actor::system(),
            at("2025-07-31T23:59:59+08:00"),
        )
        .then_events(&[]);
    let at_midnight = at("2025-08-01T00:00:00+08:00");
    let task = given(&history)
        .when(mark_overdue(), &Actor::system(), at_midnight)
        .then_events(&[overdue_event(day(2025, 7, 31), at_midnight)])
        .expect("a task");
    assert!(task.overdue());

    // Re-assignment to another date also re-arms the clock.
    let mut history = w.measure_in(S::Assigned);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    history.push(w.assigned(day(2025, 7, 2)));
    let reassigned: Task = replay(&history).expect("a task");
    assert!(!reassigned.overdue());
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(day(2025, 7, 2), after())]);
}

#[test]
fn overdue_is_not_recorded_outside_assigned_and_in_progress() {
    let w = w();
    let mut histories = vec![
        // No due date at all.
        w.measure_in(S::Defined),
        // A date, but not assigned.
        w.history(TaskKind::Milestone, S::Defined),
        w.measure_in(S::PendingVerification),
        w.measure_in(S::Closed),
        w.measure_in(S::Cancelled),
    ];
    histories.push(w.history(TaskKind::Rectification, S::Closed));
    for history in histories {
        given(&history)
            .when(mark_overdue(), &Actor::system(), after())
            .then_events(&[]);
    }
}

#[test]
fn a_task_submitted_before_its_deadline_does_not_go_overdue_while_waiting() {
    let w = w();
    let pending: Task = replay(&w.measure_in(S::PendingVerification)).expect("a task");
    assert!(!pending.overdue());
    // Rejected after the deadline: running again, and now the clock records it.
    let mut history = w.measure_in(S::PendingVerification);
    history.push(verified(Verdict::Rejected, None, false));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(due(), after())]);
}

#[test]
fn a_reopened_rectification_item_past_its_date_goes_overdue() {
    let w = w();
    let mut history = w.history(TaskKind::Rectification, S::Closed);
    history.push(Event::RectificationReopened(Note { note: "r".into() }));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(due(), after())]);
}

#[test]
fn overdue_stays_visible_while_pending_verification() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    let task: Task = replay(&history).expect("a task");
    assert_eq!(task.status, S::PendingVerification);
    assert!(task.overdue());
    history.push(verified(Verdict::Accepted, None, true));
    let task: Task = replay(&history).expect("a task");
    assert!(!task.overdue(), "a closed task is not overdue");
    assert!(task.closed_late);
}
