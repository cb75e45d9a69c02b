//! Extending a deadline: old and new dates recorded and overdue cleared; the new date
//! later than the current one, not already past (today is allowed), with a reason.

use duban_domain::Event;
use duban_domain::aggregate::replay;
use duban_domain::event::DeadlineExtended;
use duban_domain::task::{LifecycleCommand as C, Task, TaskStatus as S};

use super::fixtures::*;

#[test]
fn extending_records_the_old_and_the_new_date_and_clears_overdue() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    let overdue_task: Task = replay(&history).expect("a task");
    assert!(overdue_task.overdue());

    let task = given(&history)
        .when(extend(day(2025, 9, 30)), &w.office(), after())
        .then_events(&[Event::DeadlineExtended(DeadlineExtended {
            previous_due: Some(due()),
            due: day(2025, 9, 30),
            reason: "资金到位推迟".into(),
        })])
        .expect("a task");
    assert_eq!(task.due, Some(day(2025, 9, 30)));
    assert!(!task.overdue());
    assert!(task.went_overdue, "history keeps that it went overdue");
    assert_eq!(task.overdue_for, Some(due()));
}

#[test]
fn extension_may_land_on_today() {
    let w = w();
    // 2025-07-05 10:00 in Shanghai: today is 2025-07-05.
    given(&w.measure_in(S::Assigned))
        .when(extend(day(2025, 7, 5)), &w.office(), after())
        .then_ok();
}

#[test]
fn extension_must_be_later_than_the_current_deadline() {
    let w = w();
    for not_later in [due(), day(2025, 6, 29), day(2024, 1, 1)] {
        given(&w.measure_in(S::InProgress))
            .when(
                extend(not_later),
                &w.office(),
                at("2025-06-01T10:00:00+08:00"),
            )
            .then_invalid("due");
    }
}

#[test]
fn extension_must_not_already_be_past() {
    let w = w();
    // Later than the current deadline, but 2025-07-04 is yesterday in Shanghai.
    given(&w.measure_in(S::InProgress))
        .when(extend(day(2025, 7, 4)), &w.office(), after())
        .then_invalid("due");
    // 2025-07-04T16:30Z is already 2025-07-05 00:30 in Shanghai: 07-04 has passed there
    // although it is still 07-04 in UTC.
    given(&w.measure_in(S::InProgress))
        .when(
            extend(day(2025, 7, 4)),
            &w.office(),
            at("2025-07-04T16:30:00Z"),
        )
        .then_invalid("due");
    given(&w.measure_in(S::InProgress))
        .when(
            extend(day(2025, 7, 4)),
            &w.office(),
            at("2025-07-04T15:59:59Z"),
        )
        .then_ok();
}

#[test]
fn extension_needs_a_reason() {
    let w = w();
    for reason in ["", "   ", &"因".repeat(2001)] {
        given(&w.measure_in(S::InProgress))
            .when(
                lc(C::ExtendDeadline {
                    due: day(2025, 12, 31),
                    reason: reason.to_string(),
                }),
                &w.office(),
                before(),
            )
            .then_invalid("reason");
    }
}
