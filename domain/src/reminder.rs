//! 临期提醒: reminders N days before a task's due date, at 09:00 Asia/Shanghai.
//!
//! The clock asks [`due_reminder`] about each running task; the answer depends only on
//! the task (its due date and the reminders already recorded for it) and the time, so
//! the decision is taken and appended like the overdue mark: once per task, due date
//! and offset, whichever server's clock gets there first.

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::task::{Task, TaskStatus};
use crate::time::{is_past_due, start_of_day};

/// Days before the due date a reminder is sent, when the server is not told otherwise.
pub const DEFAULT_OFFSETS: [u32; 2] = [7, 1];
/// The local hour (Asia/Shanghai) at which a reminder falls due.
pub const REMINDER_HOUR: i64 = 9;

/// One reminder recorded for a task: its due date then, and the days before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReminderKey {
    /// The due date reminded of.
    pub due: NaiveDate,
    /// How many days before it.
    pub days_before: u32,
}

/// 09:00 Asia/Shanghai, `days_before` days before `due`.
pub fn reminder_at(due: NaiveDate, days_before: u32) -> DateTime<Utc> {
    let day = due
        .checked_sub_days(Days::new(u64::from(days_before)))
        .unwrap_or(due);
    start_of_day(day) + chrono::Duration::hours(REMINDER_HOUR)
}

/// The reminder to record now for `task`, if any: among the `offsets` whose moment has
/// come, the closest to the due date (a reminder whose moment passed while a closer one
/// has also come is stale and never sent), unless it was recorded already. Only running
/// tasks not yet past due are reminded.
pub fn due_reminder(task: &Task, offsets: &[u32], now: DateTime<Utc>) -> Option<u32> {
    let due = task.due?;
    if !matches!(task.status, TaskStatus::Assigned | TaskStatus::InProgress)
        || is_past_due(due, now)
    {
        return None;
    }
    let days_before = offsets
        .iter()
        .copied()
        .filter(|d| reminder_at(due, *d) <= now)
        .min()?;
    let key = ReminderKey { due, days_before };
    (!task.reminded.contains(&key)).then_some(days_before)
}
