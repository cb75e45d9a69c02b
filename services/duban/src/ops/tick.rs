//! The overdue clock: one pass records `TaskOverdue` for every ASSIGNED or IN_PROGRESS
//! task whose due date has passed.
//!
//! Exactly one `TaskOverdue` per task and due date, also with several servers: each
//! decision is taken on the task's stream at a version and appended with that expected
//! version, so when two clocks race, one append wins and the other retries on the new
//! state, where the domain finds the due date already marked and records nothing.

use duban_domain::Actor;
use duban_domain::task::{LifecycleCommand, Task, TaskCommand, TaskStatus};
use duban_domain::time::is_past_due;

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;

impl App {
    /// One pass of the clock; returns how many tasks were marked overdue.
    pub async fn tick(&self) -> ServiceResult<usize> {
        let now = self.clock.now();
        let marked = self
            .clock_pass(
                |t| {
                    matches!(t.status, TaskStatus::Assigned | TaskStatus::InProgress)
                        && t.due
                            .is_some_and(|due| is_past_due(due, now) && t.overdue_for != Some(due))
                },
                || LifecycleCommand::MarkOverdue,
            )
            .await?;
        if marked > 0 {
            tracing::info!(marked, "overdue clock recorded TaskOverdue");
        }
        Ok(marked)
    }

    /// Sends the system's `command` to every task the read model says is `due` for it;
    /// the domain decides again on each stream, so a racing clock records nothing twice.
    /// Returns how many events were recorded.
    pub(crate) async fn clock_pass(
        &self,
        due: impl Fn(&Task) -> bool,
        command: impl Fn() -> LifecycleCommand,
    ) -> ServiceResult<usize> {
        let candidates: Vec<String> = self.read.read(|m| {
            m.tasks
                .values()
                .map(|v| &v.task)
                .filter(|t| due(t))
                .map(|t| t.id.stream())
                .collect()
        });
        let system = Actor::system();
        let mut recorded = 0;
        for stream in candidates {
            let done = self
                .run::<Task>(
                    &stream,
                    &system,
                    &CommandOptions::default(),
                    TaskCommand::Lifecycle(command()),
                )
                .await?;
            recorded += done.events.len();
        }
        Ok(recorded)
    }

    /// One pass of every clock (overdue marks, reminders, then bulletins), stopping at
    /// the first failure, with the read models flushed after it: `duban tick`.
    pub async fn run_clocks_once(&self) -> ServiceResult<ClockPass> {
        let marked = self.tick().await?;
        let reminded = self.remind().await?;
        let bulletins = self.digest().await? + self.circulate().await?;
        self.read.flush().await?;
        Ok(ClockPass {
            marked,
            reminded,
            bulletins,
        })
    }

    /// Runs the clock (overdue marks, reminders, then bulletins) every `interval` until
    /// the process ends.
    pub fn spawn_clock(
        self: &std::sync::Arc<Self>,
        interval: std::time::Duration,
    ) -> tokio::task::JoinHandle<()> {
        let app = std::sync::Arc::clone(self);
        tokio::spawn(async move {
            let mut timer = tokio::time::interval(interval);
            loop {
                timer.tick().await;
                if let Err(e) = app.tick().await {
                    tracing::error!(error = %e, "overdue clock pass failed; will retry");
                }
                if let Err(e) = app.remind().await {
                    tracing::error!(error = %e, "reminder clock pass failed; will retry");
                }
                if let Err(e) = app.digest().await {
                    tracing::error!(error = %e, "weekly digest clock pass failed; will retry");
                }
                if let Err(e) = app.circulate().await {
                    tracing::error!(error = %e, "circular clock pass failed; will retry");
                }
            }
        })
    }
}

/// What one pass of the clocks recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockPass {
    /// Tasks marked overdue.
    pub marked: usize,
    /// Reminders recorded.
    pub reminded: usize,
    /// Weekly digests and quarterly circulars recorded.
    pub bulletins: usize,
}
