//! The leadership group's scheduling board (领导小组调度台), computed at query time from
//! the read model: per lead department, counts, average progress and a light; totals;
//! the agenda of the next dispatch meeting.
//!
//! - [`signals`]: the rules read off one task (open, overdue, due soon, at risk …).
//! - [`counts`]: the per-row tallies ([`BoardCounts`]).
//! - [`agenda`]: the agenda's order.

pub mod agenda;
pub mod counts;
pub mod signals;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use duban_domain::ids::{DepartmentId, PlanId};
use serde::{Deserialize, Serialize};

pub use agenda::{AgendaItem, AgendaReason};
pub use counts::BoardCounts;
pub use signals::{Moment, Signals};

use crate::model::ReadModel;

/// A department's light on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Light {
    /// Nothing overdue, nothing at risk.
    Green,
    /// Something due within 14 days with progress under 80 %, or no progress report for
    /// 30 days.
    Yellow,
    /// Something overdue.
    Red,
}

impl Light {
    /// RED first, then YELLOW, then GREEN.
    fn urgency(self) -> u8 {
        match self {
            Light::Red => 0,
            Light::Yellow => 1,
            Light::Green => 2,
        }
    }
}

/// One lead department's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardRow {
    /// The lead department (牵头单位).
    pub department_id: DepartmentId,
    /// RED, YELLOW or GREEN.
    pub light: Light,
    /// Its tasks as lead.
    pub counts: BoardCounts,
    /// Mean progress of its open tasks; 0.0 when it has none.
    pub average_progress: f64,
}

/// The board (GraphQL `Board`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Board {
    /// The moment it was computed for.
    pub as_of: DateTime<Utc>,
    /// One row per lead department, RED first, then YELLOW, then GREEN, then by name.
    pub rows: Vec<BoardRow>,
    /// Every task in scope, including those with no lead yet.
    pub totals: BoardCounts,
    /// Overdue, escalated, at risk, then awaiting verification.
    pub agenda: Vec<AgendaItem>,
}

#[derive(Default)]
struct RowAcc {
    counts: BoardCounts,
    progress_sum: u64,
    yellow: bool,
}

/// A board with the instant until which it stays what it is as long as no event
/// arrives: the next 00:00 in Asia/Shanghai (due soon, at risk and days overdue count
/// in dates) or the moment the next task turns stale, whichever comes first. The service
/// caches a board for that long; only `as_of` would differ.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedBoard {
    /// The board at the moment asked.
    pub board: Board,
    /// The first instant at which the same model may give a different board.
    pub valid_until: DateTime<Utc>,
}

/// The board at `now` for one plan, or for every task when `plan_id` is `None`.
pub fn board(model: &ReadModel, plan_id: Option<PlanId>, now: DateTime<Utc>) -> Board {
    timed_board(model, plan_id, now).board
}

/// [`board`] with the instant until which it holds ([`TimedBoard`]).
pub fn timed_board(model: &ReadModel, plan_id: Option<PlanId>, now: DateTime<Utc>) -> TimedBoard {
    let moment = Moment::new(now);
    let mut valid_until = moment.next_day();
    let scope: Vec<_> = model
        .tasks
        .values()
        .filter(|v| plan_id.is_none_or(|p| v.task.plan_id == Some(p)))
        .map(|v| {
            if let Some(at) = signals::turns_stale(v, &moment) {
                valid_until = valid_until.min(at);
            }
            (v, Signals::at(v, &moment))
        })
        .collect();
    let mut totals = BoardCounts::default();
    let mut rows: BTreeMap<DepartmentId, RowAcc> = BTreeMap::new();
    for (view, s) in &scope {
        totals.add(s);
        let Some(lead) = view.task.lead else { continue };
        let row = rows.entry(lead).or_default();
        row.counts.add(s);
        if s.open {
            row.progress_sum += u64::from(s.progress);
        }
        row.yellow |= s.at_risk || s.stale;
    }
    let mut rows: Vec<(String, BoardRow)> = rows
        .into_iter()
        .map(|(department_id, acc)| {
            let light = if acc.counts.overdue > 0 {
                Light::Red
            } else if acc.yellow {
                Light::Yellow
            } else {
                Light::Green
            };
            let average_progress = if acc.counts.open == 0 {
                0.0
            } else {
                acc.progress_sum as f64 / f64::from(acc.counts.open)
            };
            let row = BoardRow {
                department_id,
                light,
                counts: acc.counts,
                average_progress,
            };
            (model.department_name(department_id), row)
        })
        .collect();
    rows.sort_by(|(na, a), (nb, b)| {
        (a.light.urgency(), na, a.department_id).cmp(&(b.light.urgency(), nb, b.department_id))
    });
    let board = Board {
        as_of: now,
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        totals,
        agenda: agenda::agenda(scope),
    };
    TimedBoard { board, valid_until }
}
