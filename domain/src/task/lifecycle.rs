//! The shared task lifecycle: who may move a task where, and when.
//!
//! ```text
//! DEFINED ─assign─▶ ASSIGNED ─progress─▶ IN_PROGRESS ─submit─▶ PENDING_VERIFICATION ─accept─▶ CLOSED
//!                      └──────submit──────────────────────────▲        │ reject ▶ IN_PROGRESS
//! any open state ─cancel─▶ CANCELLED        CLOSED ─reopen (rectification only)─▶ IN_PROGRESS
//! ```
//!
//! Checks run in this order: the actor's role, the task's existence, the actor's
//! department, the input, the transition.

use chrono::{DateTime, NaiveDate, Utc};

use crate::actor::{Actor, Role};
use crate::department::DepartmentRef;
use crate::error::DomainError;
use crate::event::{
    CompletionSubmitted, DeadlineExtended, Event, Note, ProgressReported, TaskAssigned,
    TaskOverdue, TaskReminderDue, TaskVerified,
};
use crate::reminder::due_reminder;
use crate::task::{Task, TaskKind, TaskStatus, Verdict};
use crate::time::{is_past_due, local_date};
use crate::validate::{evidence, optional_text, required_text};

/// Commands on an existing task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifecycleCommand {
    /// Assign (or re-assign) lead, cooperating departments and due date.
    Assign {
        /// Lead department, resolved by the caller.
        lead: DepartmentRef,
        /// Cooperating departments, resolved by the caller.
        cooperating: Vec<DepartmentRef>,
        /// Deadline; `None` for ongoing work (长期坚持), never overdue.
        due: Option<NaiveDate>,
    },
    /// Report progress.
    ReportProgress {
        /// 0 to 100.
        percent: i64,
        /// What was done.
        note: String,
        /// Links.
        evidence: Vec<String>,
    },
    /// Submit for verification.
    Submit {
        /// What was achieved.
        summary: String,
        /// Links.
        evidence: Vec<String>,
    },
    /// Verify a submission.
    Verify {
        /// Accept or reject.
        verdict: Verdict,
        /// Remarks.
        remarks: Option<String>,
    },
    /// The clock: record that the due date has passed.
    MarkOverdue,
    /// The clock: record the reminder due now, if any, for these days-before offsets.
    MarkReminderDue {
        /// Days before the due date (e.g. 7 and 1).
        offsets: Vec<u32>,
    },
    /// Move the deadline later.
    ExtendDeadline {
        /// New deadline.
        due: NaiveDate,
        /// Why.
        reason: String,
    },
    /// 催办.
    Urge {
        /// The reminder.
        note: String,
    },
    /// 挂牌督办.
    Escalate {
        /// Why.
        note: String,
    },
    /// Cancel.
    Cancel {
        /// Why.
        reason: String,
    },
    /// Reopen a closed rectification item.
    Reopen {
        /// Why.
        reason: String,
    },
}

impl LifecycleCommand {
    /// The action's name, for messages.
    pub fn action(&self) -> &'static str {
        match self {
            LifecycleCommand::Assign { .. } => "assign",
            LifecycleCommand::ReportProgress { .. } => "report progress on",
            LifecycleCommand::Submit { .. } => "submit",
            LifecycleCommand::Verify { .. } => "verify",
            LifecycleCommand::MarkOverdue => "mark overdue",
            LifecycleCommand::MarkReminderDue { .. } => "record a reminder for",
            LifecycleCommand::ExtendDeadline { .. } => "extend the deadline of",
            LifecycleCommand::Urge { .. } => "urge",
            LifecycleCommand::Escalate { .. } => "escalate",
            LifecycleCommand::Cancel { .. } => "cancel",
            LifecycleCommand::Reopen { .. } => "reopen",
        }
    }
}

/// Decides a lifecycle command.
pub fn decide(
    state: Option<&Task>,
    command: &LifecycleCommand,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DomainError> {
    use LifecycleCommand as C;
    use TaskStatus as S;
    let action = command.action();
    check_role(command, actor)?;
    let task = state.ok_or_else(|| DomainError::NotFound {
        what: "task",
        id: "?".into(),
    })?;
    check_department(command, actor, task)?;
    let refuse = || DomainError::InvalidTransition {
        from: task.status.as_str().into(),
        action,
    };
    let event = match command {
        C::Assign {
            lead,
            cooperating,
            due,
        } => {
            let departments = std::iter::once(("leadId", lead))
                .chain(cooperating.iter().map(|c| ("cooperatingIds", c)));
            for (field, dept) in departments {
                if dept.retired {
                    return Err(DomainError::invalid(
                        field,
                        format!("{} is retired and cannot be assigned tasks", dept.name),
                    ));
                }
            }
            if cooperating.iter().any(|c| c.id == lead.id) {
                return Err(DomainError::invalid(
                    "cooperatingIds",
                    "the lead department cannot also be a cooperating department",
                ));
            }
            if cooperating.len() > 100 {
                return Err(DomainError::invalid(
                    "cooperatingIds",
                    "at most 100 departments",
                ));
            }
            if !task.status.is_open() {
                return Err(refuse());
            }
            // Keep the first mention of each department, in the order given.
            let mut ids: Vec<_> = Vec::with_capacity(cooperating.len());
            for c in cooperating {
                if !ids.contains(&c.id) {
                    ids.push(c.id);
                }
            }
            Event::TaskAssigned(TaskAssigned {
                lead: lead.id,
                cooperating: ids,
                due: *due,
            })
        }
        C::ReportProgress {
            percent,
            note,
            evidence: links,
        } => {
            let percent = u8::try_from(*percent)
                .ok()
                .filter(|p| *p <= 100)
                .ok_or_else(|| {
                    DomainError::invalid("percent", format!("must be 0 to 100, got {percent}"))
                })?;
            let note = optional_text("note", Some(note), 5000)?.unwrap_or_default();
            let evidence = evidence(links)?;
            if !matches!(
                task.status,
                S::Assigned | S::InProgress | S::PendingVerification
            ) {
                return Err(refuse());
            }
            Event::ProgressReported(ProgressReported {
                department: actor.department,
                percent,
                note,
                evidence,
                reported_at: Some(now),
            })
        }
        C::Submit {
            summary,
            evidence: links,
        } => {
            let summary = required_text("summary", summary, 5000)?;
            let evidence = evidence(links)?;
            if !matches!(task.status, S::Assigned | S::InProgress) {
                return Err(refuse());
            }
            Event::CompletionSubmitted(CompletionSubmitted { summary, evidence })
        }
        C::Verify { verdict, remarks } => {
            let remarks = optional_text("remarks", remarks.as_deref(), 5000)?;
            if task.status != S::PendingVerification {
                return Err(refuse());
            }
            let late = *verdict == Verdict::Accepted
                && (task.went_overdue || task.due.is_some_and(|due| is_past_due(due, now)));
            Event::TaskVerified(TaskVerified {
                verdict: *verdict,
                remarks,
                late,
            })
        }
        C::MarkOverdue => {
            // Nothing to record is not an error: the clock asks about many tasks.
            let Some(due) = task.due else {
                return Ok(vec![]);
            };
            if !matches!(task.status, S::Assigned | S::InProgress)
                || task.overdue_for == Some(due)
                || !is_past_due(due, now)
            {
                return Ok(vec![]);
            }
            Event::TaskOverdue(TaskOverdue {
                due,
                detected_at: now,
            })
        }
        C::MarkReminderDue { offsets } => {
            // Like the overdue mark: nothing due is not an error.
            let Some(days_before) = due_reminder(task, offsets, now) else {
                return Ok(vec![]);
            };
            Event::TaskReminderDue(TaskReminderDue {
                due: task.due.unwrap_or_default(),
                days_before,
                detected_at: now,
            })
        }
        C::ExtendDeadline { due, reason } => {
            let reason = required_text("reason", reason, 2000)?;
            let Some(previous) = task.due else {
                return Err(refuse());
            };
            if *due <= previous {
                return Err(DomainError::invalid(
                    "due",
                    format!("the new deadline {due} must be later than the current one {previous}"),
                ));
            }
            if *due < local_date(now) {
                return Err(DomainError::invalid(
                    "due",
                    format!("the new deadline {due} has already passed"),
                ));
            }
            if !task.status.is_running() {
                return Err(refuse());
            }
            Event::DeadlineExtended(DeadlineExtended {
                previous_due: Some(previous),
                due: *due,
                reason,
            })
        }
        C::Urge { note } | C::Escalate { note } => {
            let note = required_text("note", note, 5000)?;
            if !task.status.is_running() {
                return Err(refuse());
            }
            if matches!(command, C::Urge { .. }) {
                Event::TaskUrged(Note { note })
            } else {
                Event::TaskEscalated(Note { note })
            }
        }
        C::Cancel { reason } => {
            let note = required_text("reason", reason, 2000)?;
            if !task.status.is_open() {
                return Err(refuse());
            }
            Event::TaskCancelled(Note { note })
        }
        C::Reopen { reason } => {
            let note = required_text("reason", reason, 2000)?;
            if task.kind != TaskKind::Rectification {
                return Err(DomainError::invalid(
                    "taskId",
                    "only rectification items can be reopened",
                ));
            }
            if task.status != S::Closed {
                return Err(refuse());
            }
            Event::RectificationReopened(Note { note })
        }
    };
    Ok(vec![event])
}

/// Role rules that do not depend on the task.
fn check_role(command: &LifecycleCommand, actor: &Actor) -> Result<(), DomainError> {
    use LifecycleCommand as C;
    match command {
        C::MarkOverdue | C::MarkReminderDue { .. } => {
            if actor.role == Role::System {
                Ok(())
            } else {
                Err(DomainError::forbidden(
                    "only the system clock records that a task is overdue",
                ))
            }
        }
        C::ReportProgress { .. } | C::Submit { .. } => actor.require_writer(),
        _ => actor.require_office(command.action()),
    }
}

/// Department rules: a department acts only on tasks it is lead (or cooperating) on.
fn check_department(
    command: &LifecycleCommand,
    actor: &Actor,
    task: &Task,
) -> Result<(), DomainError> {
    if actor.role != Role::Department {
        return Ok(());
    }
    let Some(dept) = actor.department else {
        return Err(DomainError::forbidden(
            "this department token names no department",
        ));
    };
    match command {
        LifecycleCommand::ReportProgress { .. } if task.involves(dept) => Ok(()),
        LifecycleCommand::Submit { .. } if task.lead == Some(dept) => Ok(()),
        LifecycleCommand::Submit { .. } if task.involves(dept) => Err(DomainError::forbidden(
            "only the lead department (牵头单位) submits a task for verification",
        )),
        _ => Err(DomainError::forbidden(
            "your department is neither lead nor cooperating on this task",
        )),
    }
}
