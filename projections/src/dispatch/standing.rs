//! What the dispatch reads off the state at the quarter's start and end, rather than
//! off the quarter's events: tasks open at the start, tasks overdue at the end, and the
//! tasks due within the quarter that decide the on-time rate.

use std::collections::BTreeMap;

use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::task::TaskStatus;
use duban_domain::time::{Quarter, days_overdue, is_past_due, overdue_from};
use serde::{Deserialize, Serialize};

use crate::dispatch::OverdueItem;
use crate::dispatch::tally::{DeptTally, Replay};
use crate::model::ReadModel;
use crate::task_view::TaskView;

/// Tasks due within the quarter and those of them closed on time, per lead department.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Punctuality {
    /// Tasks (not cancelled) whose due date, as of the quarter's end, falls within it.
    pub due: u32,
    /// Of those, closed by the end, not late, and accepted before their due date passed.
    pub on_time: u32,
}

impl Punctuality {
    /// The on-time rate; `None` when nothing was due.
    pub fn rate(&self) -> Option<f64> {
        (self.due > 0).then(|| f64::from(self.on_time) / f64::from(self.due))
    }
}

/// Whether `view` closed on or before its due date.
pub fn closed_on_time(view: &TaskView) -> bool {
    let task = &view.task;
    task.status == TaskStatus::Closed
        && !task.closed_late
        && match (task.due, view.closed_at) {
            (Some(due), Some(at)) => at < overdue_from(due),
            _ => false,
        }
}

fn in_scope(model: &ReadModel, plan_id: Option<PlanId>) -> impl Iterator<Item = &TaskView> {
    model
        .tasks
        .values()
        .filter(move |v| plan_id.is_none_or(|p| v.task.plan_id == Some(p)))
}

/// Adds open-at-start and overdue-at-end to the tallies, and returns the tasks overdue
/// at the end and each department's punctuality.
pub fn read_standing(
    replay: &mut Replay,
    plan_id: Option<PlanId>,
    quarter: Quarter,
) -> (Vec<OverdueItem>, BTreeMap<DepartmentId, Punctuality>) {
    let end = quarter.end();
    let (at_end, depts) = (&replay.at_end, &mut replay.depts);
    for view in in_scope(&replay.at_start, plan_id) {
        if let (Some(lead), true) = (view.task.lead, view.task.status.is_running()) {
            tally(depts, lead).counts.open_at_start += 1;
        }
    }
    let mut overdue = Vec::new();
    let mut punctuality: BTreeMap<DepartmentId, Punctuality> = BTreeMap::new();
    let quarter_days = quarter.first_day()..=quarter.last_day();
    for view in in_scope(at_end, plan_id) {
        let task = &view.task;
        let (Some(lead), Some(due)) = (task.lead, task.due) else {
            continue;
        };
        if task.status.is_running() && is_past_due(due, end) {
            tally(depts, lead).counts.overdue_at_end += 1;
            overdue.push(OverdueItem {
                task_id: task.id,
                code: task.code.clone(),
                title: task.title.clone(),
                department_id: lead,
                department: at_end.department_name(lead),
                due,
                days_overdue: days_overdue(due, end),
            });
        }
        if task.status != TaskStatus::Cancelled && quarter_days.contains(&due) {
            let p = punctuality.entry(lead).or_default();
            p.due += 1;
            p.on_time += u32::from(closed_on_time(view));
            tally(depts, lead);
        }
    }
    (overdue, punctuality)
}

fn tally(depts: &mut BTreeMap<DepartmentId, DeptTally>, lead: DepartmentId) -> &mut DeptTally {
    depts.entry(lead).or_default()
}
