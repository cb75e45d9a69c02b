//! Quarterly dispatch (季度调度): per lead department, what happened to the plan's tasks
//! in a quarter, a ranking, totals, and the circular (调度通报).
//!
//! Computed only from the events recorded before the quarter's end (00:00 Asia/Shanghai
//! of the next quarter's first day): a dispatch for 2024 Q2 asked in 2025 shows what the
//! office knew on 2024-06-30.
//!
//! - [`counts`]: [`DispatchCounts`] and the rule behind each count.
//! - [`fold`]: [`DispatchFold`], the log folded page by page (memory stays flat: one
//!   model of the state at the end, plus the start state of the tasks that differ).
//! - [`tally`]: the quarter's events counted per plan and lead department.
//! - [`standing`]: open at the start, overdue at the end, on-time rate.
//! - [`quarter`]: [`QuarterDispatch`], what the fold leaves: the dispatch of every plan.
//! - [`rank`]: the ranking.
//! - [`circular`]: the Markdown circular.

pub mod circular;
pub mod counts;
pub mod fold;
pub mod quarter;
pub mod rank;
pub mod standing;
pub mod tally;

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::time::Quarter;
use serde::{Deserialize, Serialize};

pub use circular::{circular, circular_for_department};
pub use counts::DispatchCounts;
pub use fold::DispatchFold;
pub use quarter::QuarterDispatch;
pub use standing::Punctuality;

use crate::envelope::Envelope;

/// One lead department's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchRow {
    /// The lead department.
    pub department_id: DepartmentId,
    /// Its name as of the quarter's end.
    pub department: String,
    /// 1 to n, see [`rank`].
    pub rank: u32,
    /// What it did in the quarter.
    pub counts: DispatchCounts,
    /// Tasks due within the quarter, and how many of them closed on time.
    pub punctuality: Punctuality,
    /// `punctuality.on_time / punctuality.due`; `None` when nothing was due.
    pub on_time_rate: Option<f64>,
}

/// A task still overdue at the quarter's end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OverdueItem {
    /// The task.
    pub task_id: TaskId,
    /// Its code as printed in the plan.
    pub code: Option<String>,
    /// Its title.
    pub title: String,
    /// Its lead department at the end.
    pub department_id: DepartmentId,
    /// That department's name.
    pub department: String,
    /// The due date that passed.
    pub due: NaiveDate,
    /// Whole days past due at the quarter's end (a task due on the last day: 1).
    pub days_overdue: i64,
}

/// A task closed late (逾期办结) in the quarter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClosedLateItem {
    /// The task.
    pub task_id: TaskId,
    /// Its code as printed in the plan.
    pub code: Option<String>,
    /// Its title.
    pub title: String,
    /// Its lead department when it closed.
    pub department_id: DepartmentId,
    /// That department's name.
    pub department: String,
    /// Its due date as of the quarter's end.
    pub due: Option<NaiveDate>,
    /// When the office accepted it.
    pub closed_at: DateTime<Utc>,
}

/// The quarterly dispatch (GraphQL `QuarterlyDispatch`, without the circular: see
/// [`circular()`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dispatch {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
    /// The plan, or `None` for every task.
    pub plan_id: Option<PlanId>,
    /// The plan's title as of the end, when there is a plan.
    pub plan_title: Option<String>,
    /// Ranked rows, rank 1 first. Only departments with something to report: a count
    /// above zero or a task due within the quarter.
    pub rows: Vec<DispatchRow>,
    /// Sums of the rows.
    pub totals: DispatchCounts,
    /// Sums of the rows' punctuality.
    pub punctuality: Punctuality,
    /// The plan's on-time rate; `None` when nothing was due.
    pub on_time_rate: Option<f64>,
    /// Tasks overdue at the end, most days overdue first.
    pub overdue_at_end: Vec<OverdueItem>,
    /// Tasks closed late in the quarter, in the order they closed.
    pub closed_late: Vec<ClosedLateItem>,
}

impl Dispatch {
    /// The quarter reported on.
    pub fn quarter(&self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: self.quarter,
        }
    }
}

/// The dispatch of `quarter` for one plan (or every task), from the global log in
/// position order. Envelopes recorded at or after the quarter's end are ignored. The
/// same as feeding a [`DispatchFold`] page by page.
pub fn dispatch<'a>(
    envelopes: impl IntoIterator<Item = &'a Envelope>,
    plan_id: Option<PlanId>,
    quarter: Quarter,
) -> Dispatch {
    let mut fold = DispatchFold::new(quarter);
    fold.feed_all(envelopes);
    fold.finish().dispatch(plan_id)
}
