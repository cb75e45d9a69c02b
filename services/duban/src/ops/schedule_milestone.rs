//! `scheduleMilestone`: a dated step under a measure.

use chrono::NaiveDate;

use duban_domain::Actor;
use duban_domain::ids::TaskId;
use duban_domain::milestone::ScheduleMilestone;
use duban_domain::task::{Task, TaskCommand};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;
use crate::ops::created;

impl App {
    /// Schedules a milestone under a measure.
    pub async fn schedule_milestone(
        &self,
        actor: &Actor,
        measure_id: &str,
        title: String,
        due: NaiveDate,
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
        // below cannot tell a sender who may not act whether the measure exists.
        actor.require_office("schedule a milestone")?;
        let measure = self.task_state("measureId", measure_id).await?;
        let id = TaskId::new();
        let command = TaskCommand::ScheduleMilestone(ScheduleMilestone {
            id,
            measure,
            title,
            due,
        });
        let done = self
            .run::<Task>(&id.stream(), actor, &options, command)
            .await?;
        created(done.state)
    }
}
