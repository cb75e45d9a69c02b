//! Measure (重点任务 / 工作措施): a numbered task of a plan.

use crate::actor::Actor;
use crate::error::DomainError;
use crate::event::{Event, MeasureDefined};
use crate::ids::TaskId;
use crate::plan::Plan;
use crate::task::{Task, ensure_new};
use crate::validate::{optional_text, required_text};

/// Define a measure in a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefineMeasure {
    /// The new task's id.
    pub id: TaskId,
    /// The plan, resolved by the caller (it must exist).
    pub plan: Plan,
    /// The number as printed.
    pub code: Option<String>,
    /// Heading.
    pub title: String,
    /// Full text.
    pub description: Option<String>,
    /// One of the plan's phases.
    pub phase: Option<String>,
}

impl DefineMeasure {
    /// Only the office defines measures; the phase must be one of the plan's.
    pub fn decide(&self, state: Option<&Task>, actor: &Actor) -> Result<Vec<Event>, DomainError> {
        actor.require_office("define a measure")?;
        ensure_new(state)?;
        let phase = optional_text("phase", self.phase.as_deref(), 100)?;
        if let Some(phase) = &phase
            && !self.plan.phases.iter().any(|p| &p.name == phase)
        {
            let known: Vec<&str> = self.plan.phases.iter().map(|p| p.name.as_str()).collect();
            return Err(DomainError::invalid(
                "phase",
                format!(
                    "'{phase}' is not a phase of this plan (it has: {})",
                    known.join(", ")
                ),
            ));
        }
        Ok(vec![Event::MeasureDefined(MeasureDefined {
            task_id: self.id,
            plan_id: self.plan.id,
            code: optional_text("code", self.code.as_deref(), 50)?,
            title: required_text("title", &self.title, 500)?,
            description: optional_text("description", self.description.as_deref(), 20_000)?,
            phase,
        })])
    }
}
