//! The dispatch as it was computed before the incremental fold, kept as the reference
//! the fold must equal: two whole models (the log before the quarter's start and before
//! its end) and the quarter's events counted for one plan filter.

use std::collections::{BTreeMap, BTreeSet};

use duban_domain::Event;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::task::{TaskStatus, Verdict};
use duban_domain::time::{Quarter, days_overdue, is_past_due};
use duban_projections::dispatch::rank::rank;
use duban_projections::dispatch::standing::closed_on_time;
use duban_projections::dispatch::{ClosedLateItem, OverdueItem, Punctuality};
use duban_projections::{Dispatch, DispatchCounts, Envelope, Key, ReadModel};

#[derive(Default)]
struct Tally {
    counts: DispatchCounts,
    assigned: BTreeSet<TaskId>,
}

/// The dispatch of `quarter` for `plan_id`, the way the batch replay computed it.
pub fn dispatch(log: &[Envelope], plan_id: Option<PlanId>, quarter: Quarter) -> Dispatch {
    let (start, end) = (quarter.start(), quarter.end());
    let in_plan = |p: Option<PlanId>| plan_id.is_none_or(|want| p == Some(want));
    let (mut at_start, mut at_end) = (ReadModel::default(), ReadModel::default());
    let mut depts: BTreeMap<DepartmentId, Tally> = BTreeMap::new();
    let mut late = Vec::new();
    for env in log.iter().filter(|e| e.recorded_at < end) {
        if env.recorded_at < start {
            at_start.apply(env);
            at_end.apply(env);
            continue;
        }
        let Some(Key::Task(id)) = at_end.apply(env) else {
            continue;
        };
        let Some(view) = at_end.tasks.get(&id) else {
            continue;
        };
        let Some(lead) = view.task.lead.filter(|_| in_plan(view.task.plan_id)) else {
            continue;
        };
        let accepted =
            matches!(&env.event, Event::TaskVerified(v) if v.verdict == Verdict::Accepted);
        let counted = accepted
            || matches!(
                &env.event,
                Event::TaskAssigned(_)
                    | Event::MilestoneScheduled(_)
                    | Event::ProgressReported(_)
                    | Event::CompletionSubmitted(_)
                    | Event::TaskOverdue(_)
            );
        if !counted {
            continue;
        }
        let t = depts.entry(lead).or_default();
        match &env.event {
            Event::TaskAssigned(_) | Event::MilestoneScheduled(_) => {
                t.assigned.insert(id);
            }
            Event::ProgressReported(_) => t.counts.progress_reports += 1,
            Event::CompletionSubmitted(_) => t.counts.submitted += 1,
            Event::TaskVerified(v) => {
                t.counts.closed += 1;
                if v.late {
                    t.counts.closed_late += 1;
                    late.push((id, lead, env.recorded_at));
                }
            }
            Event::TaskOverdue(_) => t.counts.went_overdue += 1,
            _ => {}
        }
    }
    for view in at_start.tasks.values().filter(|v| in_plan(v.task.plan_id)) {
        if let (Some(lead), true) = (view.task.lead, view.task.status.is_running()) {
            depts.entry(lead).or_default().counts.open_at_start += 1;
        }
    }
    let mut overdue = Vec::new();
    let mut punctuality: BTreeMap<DepartmentId, Punctuality> = BTreeMap::new();
    let days = quarter.first_day()..=quarter.last_day();
    for view in at_end.tasks.values().filter(|v| in_plan(v.task.plan_id)) {
        let task = &view.task;
        let (Some(lead), Some(due)) = (task.lead, task.due) else {
            continue;
        };
        if task.status.is_running() && is_past_due(due, end) {
            depts.entry(lead).or_default().counts.overdue_at_end += 1;
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
        if task.status != TaskStatus::Cancelled && days.contains(&due) {
            let p = punctuality.entry(lead).or_default();
            p.due += 1;
            p.on_time += u32::from(closed_on_time(view));
            depts.entry(lead).or_default();
        }
    }
    let rows = rank(depts.iter().map(|(id, t)| {
        let counts = DispatchCounts {
            assigned: u32::try_from(t.assigned.len()).unwrap_or(u32::MAX),
            ..t.counts
        };
        let p = punctuality.get(id).copied().unwrap_or_default();
        (*id, at_end.department_name(*id), counts, p)
    }));
    let mut totals = DispatchCounts::default();
    let mut sum = Punctuality::default();
    for row in &rows {
        totals.add(&row.counts);
        sum.due += row.punctuality.due;
        sum.on_time += row.punctuality.on_time;
    }
    overdue.sort_by(|a, b| {
        (b.days_overdue, &a.department, a.due, a.task_id).cmp(&(
            a.days_overdue,
            &b.department,
            b.due,
            b.task_id,
        ))
    });
    let closed_late = late
        .into_iter()
        .map(|(task_id, department_id, at)| {
            let task = at_end.tasks.get(&task_id).map(|v| &v.task);
            ClosedLateItem {
                task_id,
                code: task.and_then(|t| t.code.clone()),
                title: task.map(|t| t.title.clone()).unwrap_or_default(),
                department_id,
                department: at_end.department_name(department_id),
                due: task.and_then(|t| t.due),
                closed_at: at,
            }
        })
        .collect();
    Dispatch {
        year: quarter.year,
        quarter: quarter.quarter,
        plan_id,
        plan_title: plan_id
            .and_then(|p| at_end.plans.get(&p))
            .map(|p| p.title.clone()),
        rows,
        totals,
        punctuality: sum,
        on_time_rate: sum.rate(),
        overdue_at_end: overdue,
        closed_late,
    }
}
