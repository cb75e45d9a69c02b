//! The transitions: assign, progress, submit, verify (accepted and rejected), urge,
//! escalate, cancel and reopen, each from the states that allow it.

use duban_domain::Event;
use duban_domain::aggregate::replay;
use duban_domain::event::{Note, ProgressReported, TaskAssigned};
use duban_domain::task::{LifecycleCommand as C, Task, TaskKind, TaskStatus as S, Verdict};

use super::fixtures::*;

#[test]
fn assign_moves_defined_to_assigned() {
    let w = w();
    for kind in [
        TaskKind::Measure,
        TaskKind::Rectification,
        TaskKind::Milestone,
    ] {
        let task = given(&w.history(kind, S::Defined))
            .when(w.assign(due()), &w.office(), before())
            .then_events(&[w.assigned(due())])
            .expect("a task");
        assert_eq!(task.status, S::Assigned, "{kind:?}");
        assert_eq!(task.lead, Some(w.lead));
        assert_eq!(task.cooperating, vec![w.coop]);
        assert_eq!(task.due, Some(due()));
    }
}

#[test]
fn assign_records_each_cooperating_department_once_in_order() {
    let w = w();
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: vec![
                    dref(w.coop, "人社局"),
                    dref(w.other, "卫健局"),
                    dref(w.coop, "人社局"),
                ],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_events(&[Event::TaskAssigned(TaskAssigned {
            lead: w.lead,
            cooperating: vec![w.coop, w.other],
            due: Some(due()),
        })]);
}

#[test]
fn re_assigning_an_open_task_is_recorded_and_keeps_its_state() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let reassigned = Event::TaskAssigned(TaskAssigned {
            lead: w.other,
            cooperating: vec![w.lead],
            due: Some(day(2025, 9, 30)),
        });
        let task = given(&w.measure_in(status))
            .when(
                lc(C::Assign {
                    lead: dref(w.other, "卫健局"),
                    cooperating: vec![dref(w.lead, "财政局")],
                    due: Some(day(2025, 9, 30)),
                }),
                &w.office(),
                before(),
            )
            .then_events(&[reassigned])
            .expect("a task");
        assert_eq!(task.status, status);
        assert_eq!(task.lead, Some(w.other));
        assert_eq!(task.cooperating, vec![w.lead]);
        assert_eq!(task.due, Some(day(2025, 9, 30)));
    }
}

#[test]
fn progress_moves_assigned_to_in_progress_and_stays_there() {
    let w = w();
    let task = given(&w.measure_in(S::Assigned))
        .when(progress(30), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(30, before())])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 30);
    assert_eq!(task.last_progress_at, Some(before()));

    let later = at("2025-06-25T09:00:00+08:00");
    let task = given(&w.measure_in(S::InProgress))
        .when(progress(90), &w.actor(Who::Lead), later)
        .then_events(&[w.progressed(90, later)])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 90);
    assert_eq!(task.last_progress_at, Some(later));
}

#[test]
fn progress_while_pending_verification_keeps_it_pending() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(progress(100), &w.actor(Who::Coop), before())
        .then_ok()
        .1
        .expect("a task");
    assert_eq!(task.status, S::PendingVerification);
    assert_eq!(task.progress, 100);
}

#[test]
fn one_hundred_percent_closes_nothing() {
    let w = w();
    let task = given(&w.measure_in(S::Assigned))
        .when(progress(100), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(100, before())])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 100);
}

#[test]
fn progress_may_also_go_down_and_be_zero() {
    let w = w();
    let task = given(&w.measure_in(S::InProgress))
        .when(progress(0), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(0, before())])
        .expect("a task");
    assert_eq!(task.progress, 0);
}

#[test]
fn the_office_reports_progress_without_a_department() {
    let w = w();
    given(&w.measure_in(S::InProgress))
        .when(
            lc(C::ReportProgress {
                percent: 55,
                note: "  ".into(),
                evidence: vec![" https://example.org/a ".into()],
            }),
            &w.office(),
            before(),
        )
        .then_events(&[Event::ProgressReported(ProgressReported {
            department: None,
            percent: 55,
            note: String::new(),
            evidence: vec!["https://example.org/a".into()],
            reported_at: Some(before()),
        })]);
}

#[test]
fn submit_moves_assigned_or_in_progress_to_pending_verification() {
    let w = w();
    for status in [S::Assigned, S::InProgress] {
        for who in [Who::Lead, Who::Office] {
            let task = given(&w.measure_in(status))
                .when(submit(), &w.actor(who), before())
                .then_events(&[submitted()])
                .expect("a task");
            assert_eq!(task.status, S::PendingVerification);
        }
    }
}

#[test]
fn accepted_verification_closes_on_time() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Accepted,
                remarks: Some(" 材料齐全 ".into()),
            }),
            &w.office(),
            before(),
        )
        .then_events(&[verified(Verdict::Accepted, Some("材料齐全"), false)])
        .expect("a task");
    assert_eq!(task.status, S::Closed);
    assert!(!task.closed_late);
    assert!(!task.overdue());
}

#[test]
fn rejected_verification_returns_to_in_progress() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Rejected,
                remarks: Some("缺少验收照片".into()),
            }),
            &w.office(),
            after(),
        )
        .then_events(&[verified(Verdict::Rejected, Some("缺少验收照片"), false)])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert!(!task.closed_late);
}

#[test]
fn urging_is_a_reminder_on_record() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let before_state: Task = replay(&w.measure_in(status)).expect("a task");
        let task = given(&w.measure_in(status))
            .when(urge(), &w.office(), before())
            .then_events(&[Event::TaskUrged(Note {
                note: "请加快进度".into(),
            })])
            .expect("a task");
        assert_eq!(
            Task {
                version: before_state.version,
                ..task.clone()
            },
            before_state
        );
        assert_eq!(task.version, before_state.version + 1);
    }
}

#[test]
fn escalating_lists_the_task() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let task = given(&w.measure_in(status))
            .when(escalate(), &w.office(), before())
            .then_events(&[Event::TaskEscalated(Note {
                note: "列入挂牌督办".into(),
            })])
            .expect("a task");
        assert!(task.escalated);
        assert_eq!(task.status, status);
    }
}

#[test]
fn cancel_from_every_open_state() {
    let w = w();
    for kind in [
        TaskKind::Measure,
        TaskKind::Milestone,
        TaskKind::Rectification,
    ] {
        for status in [
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::PendingVerification,
        ] {
            let task = given(&w.history(kind, status))
                .when(cancel(), &w.office(), before())
                .then_events(&[cancelled()])
                .expect("a task");
            assert_eq!(task.status, S::Cancelled, "{kind:?} from {status:?}");
        }
    }
}

#[test]
fn reopen_a_closed_rectification_item() {
    let w = w();
    let task = given(&w.history(TaskKind::Rectification, S::Closed))
        .when(reopen(), &w.office(), after())
        .then_events(&[Event::RectificationReopened(Note {
            note: "复查发现面积不达标".into(),
        })])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert!(!task.closed_late);
    // And it can go round again.
    let mut history = w.history(TaskKind::Rectification, S::Closed);
    history.push(Event::RectificationReopened(Note { note: "x".into() }));
    let task = given(&history)
        .when(submit(), &w.actor(Who::Lead), after())
        .then_events(&[submitted()])
        .expect("a task");
    assert_eq!(task.status, S::PendingVerification);
}

#[test]
fn only_rectification_items_are_reopened() {
    let w = w();
    for kind in [TaskKind::Measure, TaskKind::Milestone] {
        given(&w.history(kind, S::Closed))
            .when(reopen(), &w.office(), before())
            .then_invalid("taskId");
    }
}
