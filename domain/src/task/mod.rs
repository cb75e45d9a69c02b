//! The task: the lifecycle that measures, milestones and rectification items share.
//!
//! - [`lifecycle`]: assign, progress, submit, verify, overdue, extend, urge, escalate,
//!   cancel, reopen, and who may do each.
//! - [`evolve`]: how each event changes a task.
//! - creation lives with each kind: [`crate::measure`], [`crate::milestone`],
//!   [`crate::rectification`].

pub mod evolve;
pub mod lifecycle;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{DepartmentId, PlanId, TaskId};
use crate::measure::DefineMeasure;
use crate::milestone::ScheduleMilestone;
use crate::rectification::RaiseRectification;

pub use lifecycle::LifecycleCommand;

/// Measure, milestone or rectification item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskKind {
    /// 重点任务 / 工作措施.
    Measure,
    /// 节点 / 阶段目标.
    Milestone,
    /// 整改事项.
    Rectification,
}

/// The states of the task lifecycle (docs/domain.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskStatus {
    /// Created, not yet assigned.
    Defined,
    /// Assigned to a lead department.
    Assigned,
    /// Progress has been reported.
    InProgress,
    /// Submitted, waiting for the office.
    PendingVerification,
    /// Verified and closed (销号).
    Closed,
    /// Cancelled.
    Cancelled,
}

impl TaskStatus {
    /// The API name, e.g. `IN_PROGRESS`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Defined => "DEFINED",
            TaskStatus::Assigned => "ASSIGNED",
            TaskStatus::InProgress => "IN_PROGRESS",
            TaskStatus::PendingVerification => "PENDING_VERIFICATION",
            TaskStatus::Closed => "CLOSED",
            TaskStatus::Cancelled => "CANCELLED",
        }
    }

    /// Neither closed nor cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Closed | TaskStatus::Cancelled)
    }

    /// Assigned and not finished: the states in which a deadline runs.
    pub fn is_running(self) -> bool {
        matches!(
            self,
            TaskStatus::Assigned | TaskStatus::InProgress | TaskStatus::PendingVerification
        )
    }
}

/// The office's verdict on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    /// Closes the task.
    Accepted,
    /// Returns it to IN_PROGRESS.
    Rejected,
}

/// Where a rectification item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RectificationSource {
    /// 自查.
    SelfInspection,
    /// 督导.
    Supervision,
    /// 审计.
    Audit,
    /// 投诉.
    Complaint,
}

/// What a rectification item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RectificationDetail {
    /// Where it came from.
    pub source: RectificationSource,
    /// The finding, e.g. 音乐教室面积72㎡.
    pub finding: String,
    /// The standard, e.g. 96㎡.
    pub standard: Option<String>,
    /// The measured value, e.g. 72㎡.
    pub measured: Option<String>,
    /// The school or unit concerned.
    pub unit: Option<String>,
    /// 1 (minor) to 3 (serious).
    pub severity: u8,
}

/// The state of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Its id.
    pub id: TaskId,
    /// Measure, milestone or rectification.
    pub kind: TaskKind,
    /// The plan, when it belongs to one.
    pub plan_id: Option<PlanId>,
    /// A milestone's measure; a rectification item's measure, when it has one.
    pub parent: Option<TaskId>,
    /// The number as printed in the plan.
    pub code: Option<String>,
    /// Title.
    pub title: String,
    /// Full text.
    pub description: Option<String>,
    /// The plan phase.
    pub phase: Option<String>,
    /// Lifecycle state.
    pub status: TaskStatus,
    /// 牵头单位.
    pub lead: Option<DepartmentId>,
    /// 配合单位.
    pub cooperating: Vec<DepartmentId>,
    /// Deadline.
    pub due: Option<NaiveDate>,
    /// The due date for which the clock last recorded `TaskOverdue`.
    pub overdue_for: Option<NaiveDate>,
    /// The reminders recorded for the current due date (see [`crate::reminder`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminded: Vec<crate::reminder::ReminderKey>,
    /// Whether the task ever went overdue.
    pub went_overdue: bool,
    /// 挂牌督办.
    pub escalated: bool,
    /// Last reported percentage.
    pub progress: u8,
    /// When progress was last reported.
    pub last_progress_at: Option<DateTime<Utc>>,
    /// Set for rectification items. Boxed: only rectification items have one, and
    /// inline it made every task 96 bytes larger (4.6 MB per model of 48,000 tasks).
    pub rectification: Option<Box<RectificationDetail>>,
    /// Closed after it went overdue (逾期办结).
    pub closed_late: bool,
    /// Stream version.
    pub version: i64,
}

impl Task {
    /// Overdue now: running, and the clock recorded `TaskOverdue` for the current due date.
    pub fn overdue(&self) -> bool {
        self.status.is_running() && self.due.is_some() && self.overdue_for == self.due
    }

    /// Whether `department` is the lead or a cooperating department.
    pub fn involves(&self, department: DepartmentId) -> bool {
        self.lead == Some(department) || self.cooperating.contains(&department)
    }
}

/// Every command on a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    /// Create a measure.
    DefineMeasure(DefineMeasure),
    /// Create a milestone.
    ScheduleMilestone(ScheduleMilestone),
    /// Create a rectification item.
    RaiseRectification(RaiseRectification),
    /// Act on an existing task.
    Lifecycle(LifecycleCommand),
}

impl Aggregate for Task {
    type Command = TaskCommand;
    const STREAM_TYPE: &'static str = "task";

    fn decide(
        state: Option<&Self>,
        command: &TaskCommand,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        match command {
            TaskCommand::DefineMeasure(c) => c.decide(state, actor),
            TaskCommand::ScheduleMilestone(c) => c.decide(state, actor),
            TaskCommand::RaiseRectification(c) => c.decide(state, actor),
            TaskCommand::Lifecycle(c) => lifecycle::decide(state, c, actor, now),
        }
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        evolve::evolve(state, event)
    }

    fn version(&self) -> i64 {
        self.version
    }
}

/// Refuses to create a task in a stream that already has one.
pub(crate) fn ensure_new(state: Option<&Task>) -> Result<(), DomainError> {
    match state {
        Some(task) => Err(DomainError::VersionConflict {
            expected: 0,
            actual: task.version,
        }),
        None => Ok(()),
    }
}
