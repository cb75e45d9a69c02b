//! `raiseRectification`: a shortfall to put right (整改事项).

use duban_domain::Actor;
use duban_domain::ids::{PlanId, TaskId};
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{RectificationSource, Task, TaskCommand};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;
use crate::ops::created;

/// What a new rectification item is made of.
#[derive(Debug, Clone)]
pub struct RectificationInput {
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
    /// 1 to 3.
    pub severity: Option<i64>,
    /// The plan's id.
    pub plan_id: Option<String>,
    /// The measure's id.
    pub measure_id: Option<String>,
}

impl App {
    /// Raises a rectification item.
    pub async fn raise_rectification(
        &self,
        actor: &Actor,
        input: RectificationInput,
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
        // Also decided by `Task::decide`; checked first on purpose, so that the lookups
        // below cannot tell a sender who may not act whether a plan or measure exists.
        actor.require_office("raise a rectification item")?;
        let plan_id: Option<PlanId> = match &input.plan_id {
            Some(raw) => Some(self.plan_state("planId", raw).await?.id),
            None => None,
        };
        let measure = match &input.measure_id {
            Some(raw) => Some(self.task_state("measureId", raw).await?),
            None => None,
        };
        let id = TaskId::new();
        let command = TaskCommand::RaiseRectification(RaiseRectification {
            id,
            source: input.source,
            finding: input.finding,
            standard: input.standard,
            measured: input.measured,
            unit: input.unit,
            severity: input.severity,
            plan_id,
            measure,
        });
        let done = self
            .run::<Task>(&id.stream(), actor, &options, command)
            .await?;
        created(done.state)
    }
}
