//! What the scheduling board reads off one task at a moment: the rules behind every
//! count, light and agenda entry, in one place.

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use duban_domain::task::TaskStatus;
use duban_domain::time::{local_date, start_of_day};

use crate::task_view::TaskView;

/// "Due soon" looks this many days ahead of today (Asia/Shanghai), today included.
pub const DUE_SOON_DAYS: u64 = 14;
/// A task due soon with progress under this percentage is at risk.
pub const AT_RISK_PROGRESS: u8 = 80;
/// A task in a department's hands with no progress report for this many days is stale.
pub const STALE_DAYS: i64 = 30;

/// The board's reading of one task at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signals {
    /// Running: ASSIGNED, IN_PROGRESS or PENDING_VERIFICATION. DEFINED tasks have no
    /// lead and no deadline yet, so they are not open work of any department.
    pub open: bool,
    /// Overdue as the domain records it: running, and the clock recorded `TaskOverdue`
    /// for the current due date.
    pub overdue: bool,
    /// Open, not overdue, due between today and today + 14 days (Asia/Shanghai dates).
    pub due_soon: bool,
    /// Waiting for the office to verify.
    pub pending_verification: bool,
    /// Closed (销号).
    pub closed: bool,
    /// Closed after it went overdue (逾期办结).
    pub closed_late: bool,
    /// Open and escalated (挂牌督办).
    pub escalated: bool,
    /// Due soon, in the department's hands (ASSIGNED or IN_PROGRESS), progress under 80.
    pub at_risk: bool,
    /// In the department's hands with no progress report for 30 days or more, counted
    /// from the later of the last report and the last (re)assignment.
    pub stale: bool,
    /// Whole days past the due date (0 unless overdue).
    pub days_overdue: i64,
    /// Last reported percentage.
    pub progress: u8,
}

/// `now` with the Asia/Shanghai dates the rules compare against, worked out once for a
/// whole board rather than once per task (the time-zone conversion is the costly part).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant.
    pub now: DateTime<Utc>,
    /// Its date in Asia/Shanghai.
    pub today: NaiveDate,
    /// The last day that is still "due soon": today + [`DUE_SOON_DAYS`].
    pub horizon: NaiveDate,
}

impl Moment {
    /// The dates of `now`.
    pub fn new(now: DateTime<Utc>) -> Moment {
        let today = local_date(now);
        let horizon = today
            .checked_add_days(Days::new(DUE_SOON_DAYS))
            .unwrap_or(today);
        Moment {
            now,
            today,
            horizon,
        }
    }

    /// 00:00 Asia/Shanghai of the next day: when every date-based rule may change.
    pub fn next_day(&self) -> DateTime<Utc> {
        self.today
            .checked_add_days(Days::new(1))
            .map_or(DateTime::<Utc>::MAX_UTC, start_of_day)
    }
}

impl Signals {
    /// Reads `view` at `now`.
    pub fn of(view: &TaskView, now: DateTime<Utc>) -> Signals {
        Self::at(view, &Moment::new(now))
    }

    /// Reads `view` at a moment whose dates are already known.
    pub fn at(view: &TaskView, m: &Moment) -> Signals {
        let now = m.now;
        let task = &view.task;
        let open = task.status.is_running();
        let overdue = task.overdue();
        let in_hand = matches!(task.status, TaskStatus::Assigned | TaskStatus::InProgress);
        let due_soon = open
            && !overdue
            && task
                .due
                .is_some_and(|due| (m.today..=m.horizon).contains(&due));
        let since = stale_since(view);
        Signals {
            open,
            overdue,
            due_soon,
            pending_verification: task.status == TaskStatus::PendingVerification,
            closed: task.status == TaskStatus::Closed,
            closed_late: task.status == TaskStatus::Closed && task.closed_late,
            escalated: open && task.escalated,
            at_risk: in_hand && due_soon && task.progress < AT_RISK_PROGRESS,
            stale: in_hand && now - since >= Duration::days(STALE_DAYS),
            days_overdue: match (overdue, task.due) {
                (true, Some(due)) => (m.today - due).num_days().max(0),
                _ => 0,
            },
            progress: task.progress,
        }
    }
}

/// Where the "no progress for 30 days" clock starts: the later of the last report and
/// the last (re)assignment, else the creation.
fn stale_since(view: &TaskView) -> DateTime<Utc> {
    view.last_progress_at
        .max(view.assigned_at)
        .unwrap_or(view.created_at)
}

/// When `view`, read at `m`, turns stale with nothing else happening; `None` when that
/// cannot happen (not in the department's hands, or already stale).
pub fn turns_stale(view: &TaskView, m: &Moment) -> Option<DateTime<Utc>> {
    let in_hand = matches!(
        view.task.status,
        TaskStatus::Assigned | TaskStatus::InProgress
    );
    let at = stale_since(view).checked_add_signed(Duration::days(STALE_DAYS))?;
    (in_hand && at > m.now).then_some(at)
}
