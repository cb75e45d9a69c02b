//! The replay behind a dispatch: the log folded up to the quarter's start and end, and
//! the quarter's events counted per lead department as they pass.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use duban_domain::Event;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::task::Verdict;
use duban_domain::time::Quarter;

use crate::dispatch::counts::DispatchCounts;
use crate::envelope::{Envelope, Key};
use crate::model::ReadModel;

/// One department's tally while replaying.
#[derive(Debug, Default)]
pub struct DeptTally {
    /// Every count but `assigned`, which is `assigned_tasks.len()`.
    pub counts: DispatchCounts,
    /// Tasks handed to the department in the quarter.
    pub assigned_tasks: BTreeSet<TaskId>,
}

/// A late close-out seen in the quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct LateClose {
    /// The task.
    pub task_id: TaskId,
    /// Its lead at the time.
    pub department_id: DepartmentId,
    /// When it was accepted.
    pub at: DateTime<Utc>,
}

/// The outcome of the replay.
#[derive(Debug, Default)]
pub struct Replay {
    /// State at 00:00 of the quarter's first day.
    pub at_start: ReadModel,
    /// State at the quarter's end: what the office knew then.
    pub at_end: ReadModel,
    /// The quarter's events, per lead department.
    pub depts: BTreeMap<DepartmentId, DeptTally>,
    /// Late close-outs in the quarter, in log order.
    pub late: Vec<LateClose>,
}

/// Replays `envelopes`, ignoring every one recorded at or after the quarter's end.
pub fn replay<'a>(
    envelopes: impl IntoIterator<Item = &'a Envelope>,
    plan_id: Option<PlanId>,
    quarter: Quarter,
) -> Replay {
    let (start, end) = (quarter.start(), quarter.end());
    let mut r = Replay::default();
    for env in envelopes {
        if env.recorded_at >= end {
            continue;
        }
        if env.recorded_at < start {
            r.at_start.apply(env);
            r.at_end.apply(env);
        } else if let Some(Key::Task(id)) = r.at_end.apply(env) {
            r.count(id, env, plan_id);
        }
    }
    r
}

impl Replay {
    /// Counts one event of the quarter, against the task's state just after it.
    fn count(&mut self, id: TaskId, env: &Envelope, plan_id: Option<PlanId>) {
        let Some(view) = self.at_end.tasks.get(&id) else {
            return;
        };
        if plan_id.is_some_and(|p| view.task.plan_id != Some(p)) {
            return;
        }
        // Only TaskAssigned changes the lead, so the state after is the right owner.
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
        let dept = self.depts.entry(lead).or_default();
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
