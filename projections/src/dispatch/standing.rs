//! What the dispatch reads off the state at the quarter's start and end, rather than
//! off the quarter's events: tasks open at the start, tasks overdue at the end, and the
//! tasks due within the quarter that decide the on-time rate.

use duban_domain::ids::PlanId;
use duban_domain::task::TaskStatus;
use duban_domain::time::{Quarter, days_overdue, is_past_due, overdue_from};
use serde::{Deserialize, Serialize};

use crate::dispatch::OverdueItem;
use crate::dispatch::tally::Tallies;
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

    /// Adds another department's (or plan's) figures.
    pub fn add(&mut self, o: &Punctuality) {
        self.due += o.due;
        self.on_time += o.on_time;
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

/// Adds the tasks running at the quarter's start (`at_start`: every task's state then)
/// to the tallies of their plan and lead.
pub fn read_start<'a>(tallies: &mut Tallies, at_start: impl IntoIterator<Item = &'a TaskView>) {
    for view in at_start {
        if let (Some(lead), true) = (view.task.lead, view.task.status.is_running()) {
            tallies.of((view.task.plan_id, lead)).counts.open_at_start += 1;
        }
    }
}

/// Adds overdue-at-end and punctuality to the tallies from the state at the quarter's
/// end, and returns the tasks overdue at the end, each with its plan.
pub fn read_end(
    tallies: &mut Tallies,
    at_end: &ReadModel,
    quarter: Quarter,
) -> Vec<(Option<PlanId>, OverdueItem)> {
    let end = quarter.end();
    let mut overdue = Vec::new();
    let quarter_days = quarter.first_day()..=quarter.last_day();
    for view in at_end.tasks.values() {
        let task = &view.task;
        let (Some(lead), Some(due)) = (task.lead, task.due) else {
            continue;
        };
        let scope = (task.plan_id, lead);
        if task.status.is_running() && is_past_due(due, end) {
            tallies.of(scope).counts.overdue_at_end += 1;
            overdue.push((
                task.plan_id,
                OverdueItem {
                    task_id: task.id,
                    code: task.code.clone(),
                    title: task.title.clone(),
                    department_id: lead,
                    department: at_end.department_name(lead),
                    due,
                    days_overdue: days_overdue(due, end),
                },
            ));
        }
        if task.status != TaskStatus::Cancelled && quarter_days.contains(&due) {
            let p = &mut tallies.of(scope).punctuality;
            p.due += 1;
            p.on_time += u32::from(closed_on_time(view));
        }
    }
    overdue
}
