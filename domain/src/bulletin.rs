//! Bulletins (定期通报) the clock records on a schedule: each department's weekly digest
//! of its open tasks (every Monday, 09:00 Asia/Shanghai) and the quarterly circular
//! (调度通报, once a quarter has ended: the next quarter's first day, 09:00).
//!
//! Each bulletin is a stream of its own whose id is derived from what it is about
//! (the department and the week, or the quarter: [`Bulletin::weekly_id`],
//! [`Bulletin::quarterly_id`]), so every server's clock names the same stream. The
//! bulletin is recorded only on an empty stream, appended with expected version 0: of
//! two racing clocks one append wins, the other retries, finds the stream written and
//! records nothing. Restarts likewise find it written.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role};
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{BulletinId, DepartmentId, TaskId, derived_uuid};
use crate::reminder::REMINDER_HOUR;
use crate::task::Task;
use crate::time::{Quarter, is_past_due, local_date, start_of_day};

/// One open task in a weekly digest, as it stood when the digest was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestTask {
    /// The task.
    pub task_id: TaskId,
    /// Its code as printed, e.g. `三(二)5`.
    pub code: Option<String>,
    /// Its title.
    pub title: String,
    /// Its due date.
    pub due: Option<NaiveDate>,
    /// Its status (API name, e.g. `IN_PROGRESS`).
    pub status: String,
    /// Past its due date when recorded.
    pub overdue: bool,
    /// The department leads it (else it cooperates).
    pub lead: bool,
}

/// The clock found a department's weekly digest due: its open tasks, overdue first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyDigestDue {
    /// The department.
    pub department: DepartmentId,
    /// The Monday of the week.
    pub week_of: NaiveDate,
    /// The open tasks where it is lead or cooperating: overdue first, then by due date.
    pub tasks: Vec<DigestTask>,
    /// When the clock noticed.
    pub detected_at: DateTime<Utc>,
}

/// The clock found a quarter ended: its circular (调度通报) is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterlyCircularDue {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
    /// When the clock noticed.
    pub detected_at: DateTime<Utc>,
}

/// A recorded bulletin (only its stream version matters: it is written once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bulletin {
    /// Stream version.
    pub version: i64,
}

/// Record a bulletin, unless the stream holds it already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordBulletin(pub Event);

impl Bulletin {
    /// The stream of `department`'s digest of the week starting `monday`.
    pub fn weekly_id(department: DepartmentId, monday: NaiveDate) -> BulletinId {
        BulletinId(derived_uuid(&format!(
            "weekly-digest:{department}:{monday}"
        )))
    }

    /// The stream of `quarter`'s circular.
    pub fn quarterly_id(quarter: Quarter) -> BulletinId {
        BulletinId(derived_uuid(&format!(
            "quarterly-circular:{}-{}",
            quarter.year, quarter.quarter
        )))
    }
}

/// 09:00 Asia/Shanghai of `date`.
fn nine_on(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date) + chrono::Duration::hours(REMINDER_HOUR)
}

/// The Monday of the latest weekly digest moment (Monday 09:00 Asia/Shanghai) at or
/// before `now`. A clock that was down records only this week's digest, late.
pub fn digest_week(now: DateTime<Utc>) -> NaiveDate {
    let today = local_date(now);
    let days = u64::from(today.weekday().num_days_from_monday());
    let monday = today.checked_sub_days(Days::new(days)).unwrap_or(today);
    if now >= nine_on(monday) {
        monday
    } else {
        monday.checked_sub_days(Days::new(7)).unwrap_or(monday)
    }
}

/// The latest quarter whose circular is due at `now`: it has ended and the next
/// quarter's first day has reached 09:00 Asia/Shanghai.
pub fn circular_quarter(now: DateTime<Utc>) -> Quarter {
    let current = Quarter::of(local_date(now));
    let previous = previous_quarter(current);
    if now >= nine_on(current.first_day()) {
        previous
    } else {
        previous_quarter(previous)
    }
}

fn previous_quarter(q: Quarter) -> Quarter {
    if q.quarter == 1 {
        Quarter {
            year: q.year - 1,
            quarter: 4,
        }
    } else {
        Quarter {
            year: q.year,
            quarter: q.quarter - 1,
        }
    }
}

/// `department`'s digest at `now` over `tasks`: its running tasks (lead or
/// cooperating), overdue first, then by due date (none last) and code; `None` when it
/// has none.
pub fn digest<'a>(
    department: DepartmentId,
    tasks: impl IntoIterator<Item = &'a Task>,
    now: DateTime<Utc>,
) -> Option<WeeklyDigestDue> {
    let mut open: Vec<DigestTask> = tasks
        .into_iter()
        .filter(|t| t.status.is_running() && t.involves(department))
        .map(|t| DigestTask {
            task_id: t.id,
            code: t.code.clone(),
            title: t.title.clone(),
            due: t.due,
            status: t.status.as_str().to_owned(),
            overdue: t.due.is_some_and(|d| is_past_due(d, now)),
            lead: t.lead == Some(department),
        })
        .collect();
    if open.is_empty() {
        return None;
    }
    open.sort_by(|a, b| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| (a.due.is_none(), a.due).cmp(&(b.due.is_none(), b.due)))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.title.cmp(&b.title))
    });
    Some(WeeklyDigestDue {
        department,
        week_of: digest_week(now),
        tasks: open,
        detected_at: now,
    })
}

impl Aggregate for Bulletin {
    type Command = RecordBulletin;
    const STREAM_TYPE: &'static str = "bulletin";

    fn decide(
        state: Option<&Self>,
        command: &RecordBulletin,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        if actor.role != Role::System {
            return Err(DomainError::forbidden("only the clock records bulletins"));
        }
        if state.is_some() {
            return Ok(Vec::new());
        }
        match &command.0 {
            e @ (Event::WeeklyDigestDue(_) | Event::QuarterlyCircularDue(_)) => Ok(vec![e.clone()]),
            other => Err(DomainError::invalid(
                "event",
                format!("{} is not a bulletin", other.event_type()),
            )),
        }
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        match (state, event) {
            (None, Event::WeeklyDigestDue(_) | Event::QuarterlyCircularDue(_)) => {
                Some(Bulletin { version: 1 })
            }
            (Some(b), _) => Some(Bulletin {
                version: b.version + 1,
            }),
            (None, _) => None,
        }
    }

    fn version(&self) -> i64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_digest_week_turns_on_monday_at_nine() {
        // 2025-07-07 is a Monday.
        assert_eq!(
            digest_week(at("2025-07-07T08:59:59+08:00")),
            day(2025, 6, 30)
        );
        assert_eq!(
            digest_week(at("2025-07-07T09:00:00+08:00")),
            day(2025, 7, 7)
        );
        assert_eq!(
            digest_week(at("2025-07-13T23:59:59+08:00")),
            day(2025, 7, 7)
        );
        // Sunday 2025-07-06 at 18:00 UTC is already Monday 02:00 in Shanghai.
        assert_eq!(digest_week(at("2025-07-06T18:00:00Z")), day(2025, 6, 30));
    }

    #[test]
    fn the_circular_is_due_on_the_next_quarters_first_morning() {
        let q = |year, quarter| Quarter { year, quarter };
        assert_eq!(
            circular_quarter(at("2025-07-01T08:59:59+08:00")),
            q(2025, 1)
        );
        assert_eq!(
            circular_quarter(at("2025-07-01T09:00:00+08:00")),
            q(2025, 2)
        );
        assert_eq!(
            circular_quarter(at("2025-01-01T09:00:00+08:00")),
            q(2024, 4)
        );
        assert_eq!(
            circular_quarter(at("2025-01-01T08:00:00+08:00")),
            q(2024, 3)
        );
    }

    #[test]
    fn a_bulletin_is_recorded_once_and_only_by_the_clock() {
        let event = Event::QuarterlyCircularDue(QuarterlyCircularDue {
            year: 2025,
            quarter: 2,
            detected_at: at("2025-07-01T09:00:00+08:00"),
        });
        let now = at("2025-07-01T09:00:00+08:00");
        let cmd = RecordBulletin(event.clone());
        let first = Bulletin::decide(None, &cmd, &Actor::system(), now).unwrap();
        assert_eq!(first, vec![event]);
        let state = crate::aggregate::replay::<Bulletin>(&first);
        assert!(
            Bulletin::decide(state.as_ref(), &cmd, &Actor::system(), now)
                .unwrap()
                .is_empty()
        );
        assert!(Bulletin::decide(None, &cmd, &Actor::office("o"), now).is_err());
    }
}
