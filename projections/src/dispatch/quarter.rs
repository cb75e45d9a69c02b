//! One quarter's dispatch for every plan at once: what [`DispatchFold`] leaves after the
//! log, small enough to cache (tallies per plan and department, the listed tasks, the
//! names as of the end), from which the dispatch of any plan, or of all, is read.
//!
//! [`DispatchFold`]: crate::dispatch::DispatchFold

use std::collections::{BTreeMap, BTreeSet};

use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::time::Quarter;

use crate::dispatch::tally::Tallies;
use crate::dispatch::{ClosedLateItem, Dispatch, DispatchCounts, OverdueItem, Punctuality, rank};
use crate::model::ReadModel;

/// A quarter's figures for every plan (see the module documentation).
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterDispatch {
    quarter: Quarter,
    tallies: Tallies,
    /// Tasks overdue at the end, each with its plan, in task id order.
    overdue: Vec<(Option<PlanId>, OverdueItem)>,
    /// Late close-outs with their plan at the time, in log order.
    closed_late: Vec<(Option<PlanId>, ClosedLateItem)>,
    /// Department names as of the end.
    names: BTreeMap<DepartmentId, String>,
    /// Plan titles as of the end.
    plan_titles: BTreeMap<PlanId, String>,
}

impl QuarterDispatch {
    /// Keeps what the dispatches need of the state at the end.
    pub(crate) fn new(
        quarter: Quarter,
        tallies: Tallies,
        overdue: Vec<(Option<PlanId>, OverdueItem)>,
        at_end: &ReadModel,
    ) -> Self {
        let closed_late = tallies
            .late
            .iter()
            .map(|l| {
                let task = at_end.tasks.get(&l.task_id).map(|v| &v.task);
                let item = ClosedLateItem {
                    task_id: l.task_id,
                    code: task.and_then(|t| t.code.clone()),
                    title: task.map(|t| t.title.clone()).unwrap_or_default(),
                    department_id: l.department_id,
                    department: at_end.department_name(l.department_id),
                    due: task.and_then(|t| t.due),
                    closed_at: l.at,
                };
                (l.plan_id, item)
            })
            .collect();
        Self {
            quarter,
            tallies,
            overdue,
            closed_late,
            names: at_end
                .departments
                .iter()
                .map(|(id, d)| (*id, d.name.clone()))
                .collect(),
            plan_titles: at_end
                .plans
                .iter()
                .map(|(id, p)| (*id, p.title.clone()))
                .collect(),
        }
    }

    /// The quarter.
    pub fn quarter(&self) -> Quarter {
        self.quarter
    }

    fn name(&self, id: DepartmentId) -> String {
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// The dispatch of one plan, or of every task when `plan_id` is `None`.
    pub fn dispatch(&self, plan_id: Option<PlanId>) -> Dispatch {
        let wanted = |p: &Option<PlanId>| plan_id.is_none_or(|want| *p == Some(want));
        let mut depts: BTreeMap<DepartmentId, (DispatchCounts, Punctuality, BTreeSet<TaskId>)> =
            BTreeMap::new();
        for ((plan, dept), t) in &self.tallies.by_scope {
            if !wanted(plan) {
                continue;
            }
            let (counts, punctuality, assigned) = depts.entry(*dept).or_default();
            counts.add(&t.counts);
            punctuality.add(&t.punctuality);
            assigned.extend(t.assigned_tasks.iter().copied());
        }
        let rows = rank::rank(depts.into_iter().map(|(id, (counts, p, assigned))| {
            let counts = DispatchCounts {
                assigned: u32::try_from(assigned.len()).unwrap_or(u32::MAX),
                ..counts
            };
            (id, self.name(id), counts, p)
        }));
        let mut totals = DispatchCounts::default();
        let mut sum = Punctuality::default();
        for row in &rows {
            totals.add(&row.counts);
            sum.add(&row.punctuality);
        }
        let mut overdue_at_end: Vec<OverdueItem> = self
            .overdue
            .iter()
            .filter(|(p, _)| wanted(p))
            .map(|(_, item)| item.clone())
            .collect();
        overdue_at_end.sort_by(|a, b| {
            (b.days_overdue, &a.department, a.due, a.task_id).cmp(&(
                a.days_overdue,
                &b.department,
                b.due,
                b.task_id,
            ))
        });
        let closed_late = self
            .closed_late
            .iter()
            .filter(|(p, _)| wanted(p))
            .map(|(_, item)| item.clone())
            .collect();
        Dispatch {
            year: self.quarter.year,
            quarter: self.quarter.quarter,
            plan_id,
            plan_title: plan_id.and_then(|p| self.plan_titles.get(&p).cloned()),
            rows,
            totals,
            punctuality: sum,
            on_time_rate: sum.rate(),
            overdue_at_end,
            closed_late,
        }
    }
}
