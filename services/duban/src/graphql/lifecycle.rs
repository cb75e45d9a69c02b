//! The task lifecycle mutations' one path: each input names its task and how its
//! command runs ([`OnTask`]), turns into the service's [`LifecycleInput`] by `From`
//! (in [`super::convert`]), and goes through [`on_task`] — the viewer, the command path, and the task shown as
//! the viewer may see it. A new lifecycle mutation is an input, a `From` and one line.

use async_graphql::{Context, ID};

use crate::commands::CommandOptions;
use crate::ops::LifecycleInput;

use super::context::{GqlResult, app, viewer};
use super::inputs::{
    AssignTaskInput, ExtendDeadlineInput, ReportProgressInput, SubmitTaskInput, TaskNoteInput,
    VerifyTaskInput,
};
use super::types::{TaskObj, shown};

/// The task an input names and how its command runs.
pub struct Target {
    task_id: ID,
    options: CommandOptions,
}

/// An input of a command on one task.
pub trait OnTask {
    /// Takes the task and the command's options out of the input.
    fn target(&mut self) -> Target;
}

macro_rules! on_task {
    ($($input:ty),* $(,)?) => {$(
        impl OnTask for $input {
            fn target(&mut self) -> Target {
                Target {
                    task_id: self.task_id.clone(),
                    options: CommandOptions {
                        expected_version: self.expected_version.map(i64::from),
                        command_id: self.command_id.take(),
                    },
                }
            }
        }
    )*};
}

on_task!(
    AssignTaskInput,
    ReportProgressInput,
    SubmitTaskInput,
    VerifyTaskInput,
    ExtendDeadlineInput,
    TaskNoteInput,
);

/// Runs the command `command` makes of `input` on the task it names, as the viewer.
pub async fn on_task<I: OnTask>(
    ctx: &Context<'_>,
    mut input: I,
    command: impl FnOnce(I) -> LifecycleInput,
) -> async_graphql::Result<TaskObj> {
    let target = input.target();
    let actor = viewer(ctx)?.actor();
    app(ctx)
        .task_command(&actor, &target.task_id, &target.options, command(input))
        .await
        .gql()
        .and_then(|task| shown(ctx, task))
}
