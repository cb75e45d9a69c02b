//! `draftPlan`: a new plan with its phases.

use chrono::NaiveDate;

use duban_domain::Actor;
use duban_domain::ids::PlanId;
use duban_domain::plan::{Phase, Plan, PlanCommand};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;
use crate::ops::created;

/// What a new plan is made of.
#[derive(Debug, Clone)]
pub struct DraftPlan {
    /// Title.
    pub title: String,
    /// Region.
    pub region: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Period start.
    pub period_start: NaiveDate,
    /// Period end.
    pub period_end: NaiveDate,
    /// Phases.
    pub phases: Vec<Phase>,
}

impl App {
    /// Drafts a plan.
    pub async fn draft_plan(
        &self,
        actor: &Actor,
        input: DraftPlan,
        command_id: Option<String>,
    ) -> ServiceResult<Plan> {
        let options = CommandOptions {
            expected_version: None,
            command_id,
        };
        let stream = match self
            .first_stream_of(actor, options.command_id.as_deref())
            .await?
        {
            Some(stream) => stream,
            None => PlanId::new().stream(),
        };
        let id = PlanId::parse("planId", &stream)?;
        let command = PlanCommand::Draft {
            id,
            title: input.title,
            region: input.region,
            issuer: input.issuer,
            period_start: input.period_start,
            period_end: input.period_end,
            phases: input.phases,
        };
        let done = self.run::<Plan>(&stream, actor, &options, command).await?;
        created(done.state)
    }

    /// The stream a previously handled command id wrote to, so that a repeated creation
    /// command answers with what it created the first time (FORBIDDEN when `actor` is not
    /// of the first sender's role and department).
    pub(crate) async fn first_stream_of(
        &self,
        actor: &Actor,
        command_id: Option<&str>,
    ) -> ServiceResult<Option<String>> {
        let events = self.commands.first_answer(actor, command_id).await?;
        Ok(events.and_then(|events| events.first().map(|e| e.stream_id.clone())))
    }
}
