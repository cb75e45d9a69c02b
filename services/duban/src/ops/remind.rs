//! The reminder clock (临期提醒): one pass records `TaskReminderDue` for every running
//! task whose reminder moment has come (see [`duban_domain::reminder`]: N days before
//! the due date, at 09:00 Asia/Shanghai; 7 and 1 by default).
//!
//! Exactly once per task, due date and offset, also with several servers and after a
//! restart, the same way as the overdue clock ([`super::tick`]): the decision is taken
//! on the task's stream at a version and appended with that expected version, so of two
//! racing clocks one append wins and the other retries on the new state, where the
//! domain finds the reminder already recorded and records nothing. An extended deadline
//! drops the old due date's reminders from the task, which reschedules them.

use duban_domain::reminder::{DEFAULT_OFFSETS, due_reminder};
use duban_domain::task::LifecycleCommand;

use crate::app::App;
use crate::error::ServiceResult;

impl App {
    /// One pass of the reminder clock with the default offsets (7 and 1 days); returns
    /// how many reminders were recorded.
    pub async fn remind(&self) -> ServiceResult<usize> {
        self.remind_with(&DEFAULT_OFFSETS).await
    }

    /// One pass of the reminder clock with these days-before offsets.
    pub async fn remind_with(&self, offsets: &[u32]) -> ServiceResult<usize> {
        let now = self.clock.now();
        let recorded = self
            .clock_pass(
                |t| due_reminder(t, offsets, now).is_some(),
                || LifecycleCommand::MarkReminderDue {
                    offsets: offsets.to_vec(),
                },
            )
            .await?;
        if recorded > 0 {
            tracing::info!(recorded, "reminder clock recorded TaskReminderDue");
        }
        Ok(recorded)
    }
}
