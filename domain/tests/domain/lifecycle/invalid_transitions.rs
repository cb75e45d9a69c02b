//! Invalid transitions: every command refused from each state that forbids it, with
//! the state named.

use duban_domain::DomainError;
use duban_domain::task::{TaskCommand, TaskKind, TaskStatus as S};

use super::cases::cases;
use super::fixtures::*;

/// The states from which docs/domain.md (and, where it is silent, the code) forbids a command.
fn forbidden_from(name: &str) -> &'static [S] {
    match name {
        "assign" | "re-assign" | "cancel" => &[S::Closed, S::Cancelled],
        // docs/domain.md: "not on CLOSED or CANCELLED"; the code also refuses DEFINED, which
        // has no lead or cooperating department to report.
        "report progress" => &[S::Defined, S::Closed, S::Cancelled],
        "submit" => &[S::Defined, S::PendingVerification, S::Closed, S::Cancelled],
        "verify: accepted" | "verify: rejected" => &[
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::Closed,
            S::Cancelled,
        ],
        "extend the deadline" | "urge" | "escalate" => &[S::Defined, S::Closed, S::Cancelled],
        "reopen" => &[
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::PendingVerification,
            S::Cancelled,
        ],
        // The clock is never refused; it records nothing instead (see below).
        "mark overdue" => &[],
        other => panic!("no such case {other}"),
    }
}

#[test]
fn every_command_is_refused_from_the_states_that_forbid_it() {
    let w = w();
    for case in cases(&w) {
        let who = case.allowed[0];
        let kind = if case.name == "reopen" {
            TaskKind::Rectification
        } else {
            TaskKind::Measure
        };
        for &status in forbidden_from(case.name) {
            let err = DomainError::InvalidTransition {
                from: status.as_str().into(),
                action: match &case.command {
                    TaskCommand::Lifecycle(c) => c.action(),
                    _ => unreachable!(),
                },
            };
            given(&w.history(kind, status))
                .when(case.command.clone(), &w.actor(who), case.now)
                .then_error(err);
        }
        // … and accepted from every other state, for the office (or the clock).
        for status in ALL_STATES {
            if forbidden_from(case.name).contains(&status) || case.name == "mark overdue" {
                continue;
            }
            given(&w.history(kind, status))
                .when(case.command.clone(), &w.actor(who), case.now)
                .then_ok();
        }
    }
}

#[test]
fn extending_a_defined_milestone_is_refused_although_it_has_a_date() {
    let w = w();
    given(&w.history(TaskKind::Milestone, S::Defined))
        .when(extend(day(2025, 12, 31)), &w.office(), before())
        .then_invalid_transition("DEFINED");
}

#[test]
fn a_department_reporting_on_a_finished_task_is_told_the_state() {
    let w = w();
    for status in [S::Closed, S::Cancelled] {
        given(&w.measure_in(status))
            .when(progress(100), &w.actor(Who::Lead), after())
            .then_invalid_transition(status.as_str());
    }
}
