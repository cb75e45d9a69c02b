//! What the quarter's events add up to, per lead department and per plan: the tallies
//! the dispatch fold keeps while envelopes pass, and the rule that counts one event.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use duban_domain::Event;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::task::Verdict;

use crate::dispatch::counts::DispatchCounts;
use crate::dispatch::standing::Punctuality;
use crate::envelope::Envelope;
use crate::task_view::TaskView;

/// Whose tally a task's events go to: the task's plan (`None`: no plan) and its lead.
/// Keeping plans apart lets one replay answer the dispatch of every plan and of all.
pub type Scope = (Option<PlanId>, DepartmentId);

/// One department's tally for the tasks of one plan.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DeptTally {
    /// Every count but `assigned`, which is `assigned_tasks.len()`.
    pub counts: DispatchCounts,
    /// Tasks handed to the department in the quarter.
    pub assigned_tasks: BTreeSet<TaskId>,
    /// Tasks due within the quarter and those of them closed on time.
    pub punctuality: Punctuality,
}

/// A late close-out seen in the quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct LateClose {
    /// The task's plan when it closed.
    pub plan_id: Option<PlanId>,
    /// The task.
    pub task_id: TaskId,
    /// Its lead at the time.
    pub department_id: DepartmentId,
    /// When it was accepted.
    pub at: DateTime<Utc>,
}

/// The tallies of a quarter so far.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tallies {
    /// Per plan and lead department.
    pub by_scope: BTreeMap<Scope, DeptTally>,
    /// Late close-outs in the quarter, in log order.
    pub late: Vec<LateClose>,
}

impl Tallies {
    /// The tally of `scope`, created empty: a department gets a row once anything of
    /// its own is counted.
    pub fn of(&mut self, scope: Scope) -> &mut DeptTally {
        self.by_scope.entry(scope).or_default()
    }

    /// Counts one event of task `id`'s stream in the quarter against `view`, the task's
    /// state just after it. Only `TaskAssigned` changes the lead, so the state after is
    /// the right owner.
    pub fn count(&mut self, id: TaskId, view: &TaskView, env: &Envelope) {
        let Some(lead) = view.task.lead else { return };
        let counted = matches!(
            &env.event,
            Event::TaskAssigned(_)
                | Event::MilestoneScheduled(_)
                | Event::ProgressReported(_)
                | Event::CompletionSubmitted(_)
                | Event::TaskOverdue(_)
        ) || matches!(&env.event, Event::TaskVerified(v) if v.verdict == Verdict::Accepted);
        if !counted {
            return;
        }
        let plan_id = view.task.plan_id;
        let dept = self.of((plan_id, lead));
        let c = &mut dept.counts;
        match &env.event {
            Event::TaskAssigned(_) | Event::MilestoneScheduled(_) => {
                dept.assigned_tasks.insert(id);
            }
            Event::ProgressReported(_) => c.progress_reports += 1,
            Event::CompletionSubmitted(_) => c.submitted += 1,
            Event::TaskVerified(v) => {
                c.closed += 1;
                if v.late {
                    c.closed_late += 1;
                    self.late.push(LateClose {
                        plan_id,
                        task_id: id,
                        department_id: lead,
                        at: env.recorded_at,
                    });
                }
            }
            Event::TaskOverdue(_) => c.went_overdue += 1,
            _ => {}
        }
    }
}
