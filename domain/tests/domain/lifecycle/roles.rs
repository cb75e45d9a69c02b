//! Who may do what: each role × each lifecycle command, cooperating departments, and
//! rights lost by re-assignment.

use duban_domain::aggregate::{Aggregate, replay};
use duban_domain::event::{ProgressReported, TaskAssigned};
use duban_domain::task::{Task, TaskStatus as S};
use duban_domain::{DomainError, Event};

use super::cases::cases;
use super::fixtures::*;

#[test]
fn each_role_may_issue_exactly_the_commands_domain_md_grants() {
    let w = w();
    for case in cases(&w) {
        for who in EVERYONE {
            let then = given(&case.history).when(case.command.clone(), &w.actor(who), case.now);
            if case.allowed.contains(&who) {
                let (events, _) = then.then_ok();
                assert_eq!(
                    events.len(),
                    1,
                    "{}: {who:?} should record one event",
                    case.name
                );
            } else {
                then.then_forbidden();
            }
        }
    }
}

#[test]
fn a_cooperating_department_may_report_but_not_submit() {
    let w = w();
    let history = w.measure_in(S::InProgress);
    let state: Option<Task> = replay(&history);
    let err = Task::decide(state.as_ref(), &submit(), &w.actor(Who::Coop), before());
    assert!(
        matches!(&err, Err(DomainError::Forbidden { reason }) if reason.contains("牵头单位")),
        "got {err:?}"
    );
    given(&history)
        .when(progress(50), &w.actor(Who::Coop), before())
        .then_events(&[Event::ProgressReported(ProgressReported {
            department: Some(w.coop),
            percent: 50,
            note: "已完成选址".into(),
            evidence: vec![],
            reported_at: Some(before()),
        })]);
}

#[test]
fn a_department_loses_its_rights_when_re_assigned_away() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(Event::TaskAssigned(TaskAssigned {
        lead: w.other,
        cooperating: vec![],
        due: Some(due()),
    }));
    for who in [Who::Lead, Who::Coop] {
        given(&history)
            .when(progress(70), &w.actor(who), before())
            .then_forbidden();
        given(&history)
            .when(submit(), &w.actor(who), before())
            .then_forbidden();
    }
    given(&history)
        .when(submit(), &w.actor(Who::Other), before())
        .then_events(&[submitted()]);
}

#[test]
fn a_department_may_not_act_on_an_unassigned_task() {
    let w = w();
    for who in [Who::Lead, Who::Coop, Who::Other] {
        given(&w.measure_in(S::Defined))
            .when(progress(10), &w.actor(who), before())
            .then_forbidden();
    }
}
