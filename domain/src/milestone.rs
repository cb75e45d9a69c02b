//! Milestone (节点 / 阶段目标): a dated step of a measure, led by the measure's lead
//! department unless assigned otherwise.

use chrono::NaiveDate;

use crate::actor::Actor;
use crate::error::DomainError;
use crate::event::{Event, MilestoneScheduled};
use crate::ids::TaskId;
use crate::task::{Task, TaskKind, TaskStatus, ensure_new};
use crate::validate::required_text;

/// Schedule a milestone under a measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleMilestone {
    /// The new task's id.
    pub id: TaskId,
    /// The measure, resolved by the caller.
    pub measure: Task,
    /// Title.
    pub title: String,
    /// Due date.
    pub due: NaiveDate,
}

impl ScheduleMilestone {
    /// Only the office schedules; the parent must be an open measure. The milestone
    /// inherits the measure's lead and cooperating departments.
    pub fn decide(&self, state: Option<&Task>, actor: &Actor) -> Result<Vec<Event>, DomainError> {
        actor.require_office("schedule a milestone")?;
        ensure_new(state)?;
        if self.measure.kind != TaskKind::Measure {
            return Err(DomainError::invalid(
                "measureId",
                "a milestone belongs to a measure, and this task is not one",
            ));
        }
        if self.measure.status == TaskStatus::Cancelled {
            return Err(DomainError::InvalidTransition {
                from: TaskStatus::Cancelled.as_str().into(),
                action: "schedule a milestone under",
            });
        }
        Ok(vec![Event::MilestoneScheduled(MilestoneScheduled {
            task_id: self.id,
            measure_id: self.measure.id,
            plan_id: self.measure.plan_id,
            title: required_text("title", &self.title, 500)?,
            due: self.due,
            lead: self.measure.lead,
            cooperating: self.measure.cooperating.clone(),
        })])
    }
}
