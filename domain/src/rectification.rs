//! Rectification item (整改事项): a shortfall found by self-inspection, supervision,
//! audit or complaint, with the standard and the measured value.

use crate::actor::Actor;
use crate::error::DomainError;
use crate::event::{Event, RectificationRaised};
use crate::ids::{PlanId, TaskId};
use crate::task::{RectificationDetail, RectificationSource, Task, TaskKind, ensure_new};
use crate::validate::{optional_text, required_text};

/// Raise a rectification item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaiseRectification {
    /// The new task's id.
    pub id: TaskId,
    /// Where it came from.
    pub source: RectificationSource,
    /// The finding.
    pub finding: String,
    /// The standard.
    pub standard: Option<String>,
    /// The measured value.
    pub measured: Option<String>,
    /// The school or unit.
    pub unit: Option<String>,
    /// 1 to 3; 2 when not given.
    pub severity: Option<i64>,
    /// The plan, resolved by the caller.
    pub plan_id: Option<PlanId>,
    /// The measure, resolved by the caller.
    pub measure: Option<Task>,
}

impl RaiseRectification {
    /// Only the office raises items; severity is 1 to 3; a given measure must be a measure.
    pub fn decide(&self, state: Option<&Task>, actor: &Actor) -> Result<Vec<Event>, DomainError> {
        actor.require_office("raise a rectification item")?;
        ensure_new(state)?;
        let severity = match self.severity {
            None => 2,
            Some(s @ 1..=3) => s as u8,
            Some(s) => {
                return Err(DomainError::invalid(
                    "severity",
                    format!("must be 1 (minor) to 3 (serious), got {s}"),
                ));
            }
        };
        if let Some(measure) = &self.measure
            && measure.kind != TaskKind::Measure
        {
            return Err(DomainError::invalid(
                "measureId",
                "this task is not a measure",
            ));
        }
        let plan_id = self
            .plan_id
            .or_else(|| self.measure.as_ref().and_then(|m| m.plan_id));
        Ok(vec![Event::RectificationRaised(RectificationRaised {
            task_id: self.id,
            plan_id,
            measure_id: self.measure.as_ref().map(|m| m.id),
            detail: RectificationDetail {
                source: self.source,
                finding: required_text("finding", &self.finding, 2000)?,
                standard: optional_text("standard", self.standard.as_deref(), 500)?,
                measured: optional_text("measured", self.measured.as_deref(), 500)?,
                unit: optional_text("unit", self.unit.as_deref(), 200)?,
                severity,
            },
        })])
    }
}
