//! `defineMeasure`: a numbered measure of a plan.

use duban_domain::Actor;
use duban_domain::ids::TaskId;
use duban_domain::measure::DefineMeasure;
use duban_domain::task::{Task, TaskCommand};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;
use crate::ops::created;

/// What a new measure is made of.
#[derive(Debug, Clone)]
pub struct MeasureInput {
    /// The plan's id.
    pub plan_id: String,
    /// The number as printed.
    pub code: Option<String>,
    /// Heading.
    pub title: String,
    /// Full text.
    pub description: Option<String>,
    /// Phase name.
    pub phase: Option<String>,
}

impl App {
    /// Defines a measure in a plan.
    pub async fn define_measure(
        &self,
        actor: &Actor,
        input: MeasureInput,
        command_id: Option<String>,
    ) -> ServiceResult<Task> {
        let options = CommandOptions {
            expected_version: None,
            command_id,
        };
        if let Some(stream) = self
            .first_stream_of(actor, options.command_id.as_deref())
            .await?
        {
            return created(self.load::<Task>(&stream).await?);
        }
        // Also decided by `Task::decide`; checked first on purpose, so that the lookup
        // below cannot tell a sender who may not act whether the plan exists.
        actor.require_office("define a measure")?;
        let plan = self.plan_state("planId", &input.plan_id).await?;
        let id = TaskId::new();
        let command = TaskCommand::DefineMeasure(DefineMeasure {
            id,
            plan,
            code: input.code,
            title: input.title,
            description: input.description,
            phase: input.phase,
        });
        let done = self
            .run::<Task>(&id.stream(), actor, &options, command)
            .await?;
        created(done.state)
    }
}
