//! The counts of one dispatch row or of the totals.

use serde::{Deserialize, Serialize};

/// What a lead department did in a quarter (GraphQL `DispatchCounts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchCounts {
    /// Tasks it led that were running (ASSIGNED, IN_PROGRESS, PENDING_VERIFICATION) at
    /// 00:00 of the quarter's first day.
    pub open_at_start: u32,
    /// Tasks handed to it in the quarter: each task counted once per department however
    /// often it was re-assigned; a milestone scheduled under a measure it leads counts.
    pub assigned: u32,
    /// Progress reports recorded in the quarter on tasks it led at the time, whoever
    /// reported (lead, cooperating department or office).
    pub progress_reports: u32,
    /// Submissions for verification in the quarter (a resubmission counts again).
    pub submitted: u32,
    /// Accepted verifications (销号) in the quarter.
    pub closed: u32,
    /// Of those, closed late (逾期办结, the verification's `late` flag).
    pub closed_late: u32,
    /// `TaskOverdue` events recorded in the quarter.
    pub went_overdue: u32,
    /// Tasks still running at the quarter's end whose due date had passed by then
    /// (due on or before the quarter's last day), whether or not the clock had yet
    /// recorded it.
    pub overdue_at_end: u32,
}

impl DispatchCounts {
    /// Adds another row's counts.
    pub fn add(&mut self, o: &DispatchCounts) {
        self.open_at_start += o.open_at_start;
        self.assigned += o.assigned;
        self.progress_reports += o.progress_reports;
        self.submitted += o.submitted;
        self.closed += o.closed;
        self.closed_late += o.closed_late;
        self.went_overdue += o.went_overdue;
        self.overdue_at_end += o.overdue_at_end;
    }
}
