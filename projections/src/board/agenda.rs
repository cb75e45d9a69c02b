//! The agenda of the next dispatch meeting: the tasks the leadership group should
//! discuss, most urgent first.

use chrono::NaiveDate;
use duban_domain::ids::TaskId;
use serde::{Deserialize, Serialize};

use crate::board::signals::Signals;
use crate::task_view::TaskView;

/// Why a task is on the agenda; the order of the variants is the order of the agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AgendaReason {
    /// Overdue (most days overdue first).
    Overdue,
    /// Escalated (挂牌督办) and still running.
    Escalated,
    /// Due soon with progress under 80 %, or no progress report for 30 days.
    AtRisk,
    /// Submitted, waiting for the office's verification.
    AwaitingVerification,
}

/// One agenda entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgendaItem {
    /// The task.
    pub task_id: TaskId,
    /// The first reason that applies, in agenda order.
    pub reason: AgendaReason,
}

/// The first reason that puts a task on the agenda, if any.
pub fn reason(s: &Signals) -> Option<AgendaReason> {
    if s.overdue {
        Some(AgendaReason::Overdue)
    } else if s.escalated {
        Some(AgendaReason::Escalated)
    } else if s.at_risk || s.stale {
        Some(AgendaReason::AtRisk)
    } else if s.pending_verification {
        Some(AgendaReason::AwaitingVerification)
    } else {
        None
    }
}

/// Orders agenda candidates: by reason; overdue ones by most days overdue; then by due
/// date (none last), then id. Each task appears once.
pub fn agenda<'a>(
    candidates: impl IntoIterator<Item = (&'a TaskView, Signals)>,
) -> Vec<AgendaItem> {
    let mut rows: Vec<(AgendaReason, i64, NaiveDate, TaskId)> = candidates
        .into_iter()
        .filter_map(|(view, s)| {
            let reason = reason(&s)?;
            let due = view.task.due.unwrap_or(NaiveDate::MAX);
            Some((reason, -s.days_overdue, due, view.task.id))
        })
        .collect();
    rows.sort();
    rows.into_iter()
        .map(|(reason, _, _, task_id)| AgendaItem { task_id, reason })
        .collect()
}
