//! Every lifecycle command as a case: a history in which it is allowed, a time, and who
//! may issue it; shared by the role, not-found and invalid-transition sections.

use chrono::{DateTime, Utc};
use duban_domain::Event;
use duban_domain::task::{TaskCommand, TaskKind, TaskStatus as S, Verdict};

use super::fixtures::*;

/// One lifecycle command, a history in which it is allowed, a time, and who may issue it.
pub(super) struct Case {
    pub(super) name: &'static str,
    pub(super) history: Vec<Event>,
    pub(super) command: TaskCommand,
    pub(super) now: DateTime<Utc>,
    pub(super) allowed: &'static [Who],
}

pub(super) fn cases(w: &W) -> Vec<Case> {
    let in_progress = w.measure_in(S::InProgress);
    vec![
        Case {
            name: "assign",
            history: w.measure_in(S::Defined),
            command: w.assign(due()),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "re-assign",
            history: in_progress.clone(),
            command: w.assign(day(2025, 9, 30)),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "report progress",
            history: in_progress.clone(),
            command: progress(60),
            now: before(),
            allowed: &[Who::Office, Who::Lead, Who::Coop],
        },
        Case {
            name: "submit",
            history: in_progress.clone(),
            command: submit(),
            now: before(),
            allowed: &[Who::Office, Who::Lead],
        },
        Case {
            name: "verify: accepted",
            history: w.measure_in(S::PendingVerification),
            command: verify(Verdict::Accepted),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "verify: rejected",
            history: w.measure_in(S::PendingVerification),
            command: verify(Verdict::Rejected),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "mark overdue",
            history: in_progress.clone(),
            command: mark_overdue(),
            now: after(),
            allowed: &[Who::System],
        },
        Case {
            name: "extend the deadline",
            history: in_progress.clone(),
            command: extend(day(2025, 12, 31)),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "urge",
            history: in_progress.clone(),
            command: urge(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "escalate",
            history: in_progress.clone(),
            command: escalate(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "cancel",
            history: in_progress,
            command: cancel(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "reopen",
            history: w.history(TaskKind::Rectification, S::Closed),
            command: reopen(),
            now: before(),
            allowed: &[Who::Office],
        },
    ]
}
