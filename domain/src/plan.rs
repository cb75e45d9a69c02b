//! Plan (规划 / 实施方案): title, region, issuer, period and phases.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::{Event, PlanDrafted};
use crate::ids::PlanId;
use crate::validate::{optional_text, required_text};

/// A phase of the plan (实施步骤), e.g. 启动准备 from 2021-11-01 to 2022-12-31.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phase {
    /// Its name.
    pub name: String,
    /// First day.
    pub starts: NaiveDate,
    /// Last day.
    pub ends: NaiveDate,
}

/// The state of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Its id.
    pub id: PlanId,
    /// Title.
    pub title: String,
    /// County or district.
    pub region: String,
    /// Issuing body.
    pub issuer: Option<String>,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Phases in order.
    pub phases: Vec<Phase>,
    /// Stream version.
    pub version: i64,
}

/// Commands on a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanCommand {
    /// Draft a new plan.
    Draft {
        /// The new plan's id.
        id: PlanId,
        /// Title.
        title: String,
        /// Region.
        region: String,
        /// Issuer.
        issuer: Option<String>,
        /// Period start.
        period_start: NaiveDate,
        /// Period end.
        period_end: NaiveDate,
        /// Phases.
        phases: Vec<Phase>,
    },
}

impl Aggregate for Plan {
    type Command = PlanCommand;
    const STREAM_TYPE: &'static str = "plan";

    fn decide(
        state: Option<&Self>,
        command: &PlanCommand,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        let PlanCommand::Draft {
            id,
            title,
            region,
            issuer,
            period_start,
            period_end,
            phases,
        } = command;
        actor.require_office("draft a plan")?;
        if let Some(existing) = state {
            return Err(DomainError::VersionConflict {
                expected: 0,
                actual: existing.version,
            });
        }
        let title = required_text("title", title, 500)?;
        let region = required_text("region", region, 100)?;
        let issuer = optional_text("issuer", issuer.as_deref(), 200)?;
        if period_start > period_end {
            return Err(DomainError::invalid(
                "periodEnd",
                format!("the period ends ({period_end}) before it starts ({period_start})"),
            ));
        }
        if phases.len() > 50 {
            return Err(DomainError::invalid("phases", "at most 50 phases"));
        }
        for phase in phases {
            required_text("phases.name", &phase.name, 100)?;
            if phase.starts > phase.ends {
                return Err(DomainError::invalid(
                    "phases.ends",
                    format!("phase {} ends before it starts", phase.name),
                ));
            }
        }
        Ok(vec![Event::PlanDrafted(PlanDrafted {
            plan_id: *id,
            title,
            region,
            issuer,
            period_start: *period_start,
            period_end: *period_end,
            phases: phases.clone(),
        })])
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        match (state, event) {
            (None, Event::PlanDrafted(e)) => Some(Plan {
                id: e.plan_id,
                title: e.title.clone(),
                region: e.region.clone(),
                issuer: e.issuer.clone(),
                period_start: e.period_start,
                period_end: e.period_end,
                phases: e.phases.clone(),
                version: 1,
            }),
            (Some(mut plan), _) => {
                plan.version += 1;
                Some(plan)
            }
            (None, _) => None,
        }
    }

    fn version(&self) -> i64 {
        self.version
    }
}
