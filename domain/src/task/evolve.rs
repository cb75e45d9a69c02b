//! How each event changes a task.

use crate::event::Event;
use crate::task::{Task, TaskKind, TaskStatus, Verdict};

/// The state after one event; events of other aggregates leave the state unchanged.
pub fn evolve(state: Option<Task>, event: &Event) -> Option<Task> {
    let Some(mut task) = state else {
        return create(event);
    };
    apply(&mut task, event);
    Some(task)
}

/// One event applied to an existing task, in place: what [`evolve`] does to a task
/// that exists (it never removes one). Lets a read model keep a task where it is
/// instead of moving it out of its map and back for every event.
pub fn apply(task: &mut Task, event: &Event) {
    match event {
        Event::TaskAssigned(e) => {
            task.lead = Some(e.lead);
            task.cooperating = e.cooperating.clone();
            task.due = e.due;
            task.reminded.retain(|k| Some(k.due) == e.due);
            if task.status == TaskStatus::Defined {
                task.status = TaskStatus::Assigned;
            }
        }
        Event::ProgressReported(e) => {
            task.progress = e.percent;
            task.last_progress_at = e.reported_at.or(task.last_progress_at);
            if task.status == TaskStatus::Assigned {
                task.status = TaskStatus::InProgress;
            }
        }
        Event::CompletionSubmitted(_) => task.status = TaskStatus::PendingVerification,
        Event::TaskVerified(e) => match e.verdict {
            Verdict::Accepted => {
                task.status = TaskStatus::Closed;
                task.closed_late = e.late;
            }
            Verdict::Rejected => task.status = TaskStatus::InProgress,
        },
        Event::TaskOverdue(e) => {
            task.overdue_for = Some(e.due);
            task.went_overdue = true;
        }
        Event::DeadlineExtended(e) => {
            task.due = Some(e.due);
            task.reminded.retain(|k| k.due == e.due);
        }
        Event::TaskReminderDue(e) => task.reminded.push(crate::reminder::ReminderKey {
            due: e.due,
            days_before: e.days_before,
        }),
        Event::TaskEscalated(_) => task.escalated = true,
        Event::TaskCancelled(_) => task.status = TaskStatus::Cancelled,
        Event::RectificationReopened(_) => {
            task.status = TaskStatus::InProgress;
            task.closed_late = false;
        }
        _ => {}
    }
    task.version += 1;
}

fn create(event: &Event) -> Option<Task> {
    let blank = |id, kind, title: &str| Task {
        id,
        kind,
        plan_id: None,
        parent: None,
        code: None,
        title: title.to_string(),
        description: None,
        phase: None,
        status: TaskStatus::Defined,
        lead: None,
        cooperating: vec![],
        due: None,
        overdue_for: None,
        reminded: vec![],
        went_overdue: false,
        escalated: false,
        progress: 0,
        last_progress_at: None,
        rectification: None,
        closed_late: false,
        version: 1,
    };
    match event {
        Event::MeasureDefined(e) => Some(Task {
            plan_id: Some(e.plan_id),
            code: e.code.clone(),
            description: e.description.clone(),
            phase: e.phase.clone(),
            ..blank(e.task_id, TaskKind::Measure, &e.title)
        }),
        Event::MilestoneScheduled(e) => Some(Task {
            plan_id: e.plan_id,
            parent: Some(e.measure_id),
            due: Some(e.due),
            lead: e.lead,
            cooperating: e.cooperating.clone(),
            status: if e.lead.is_some() {
                TaskStatus::Assigned
            } else {
                TaskStatus::Defined
            },
            ..blank(e.task_id, TaskKind::Milestone, &e.title)
        }),
        Event::RectificationRaised(e) => Some(Task {
            plan_id: e.plan_id,
            parent: e.measure_id,
            rectification: Some(Box::new(e.detail.clone())),
            ..blank(e.task_id, TaskKind::Rectification, &e.detail.finding)
        }),
        _ => None,
    }
}
