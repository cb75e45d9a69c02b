//! The board's counts for one department or for everyone.

use serde::{Deserialize, Serialize};

use crate::board::signals::Signals;

/// The counts of one board row or of the totals (GraphQL `BoardCounts`). See
/// [`Signals`] for the rule behind each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardCounts {
    /// Running tasks.
    pub open: u32,
    /// Overdue tasks.
    pub overdue: u32,
    /// Running, not overdue, due within 14 days.
    pub due_soon: u32,
    /// Awaiting verification.
    pub pending_verification: u32,
    /// Closed.
    pub closed: u32,
    /// Closed late.
    pub closed_late: u32,
    /// Running and escalated.
    pub escalated: u32,
}

impl BoardCounts {
    /// Counts one more task.
    pub fn add(&mut self, s: &Signals) {
        self.open += u32::from(s.open);
        self.overdue += u32::from(s.overdue);
        self.due_soon += u32::from(s.due_soon);
        self.pending_verification += u32::from(s.pending_verification);
        self.closed += u32::from(s.closed);
        self.closed_late += u32::from(s.closed_late);
        self.escalated += u32::from(s.escalated);
    }
}
