//! The contract's enums, mapped onto the domain's.

use async_graphql::Enum;

use duban_domain::department::DepartmentKind;
use duban_domain::task::{RectificationSource, TaskKind, TaskStatus, Verdict};

/// The three roles a token can carry.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Role")]
pub enum RoleGql {
    /// 领导小组办公室.
    Office,
    /// 责任单位.
    Department,
    /// 督导/审计.
    Auditor,
}

impl RoleGql {
    /// From the domain's role; the clock has none.
    pub fn from_domain(role: duban_domain::Role) -> Option<Self> {
        match role {
            duban_domain::Role::Office => Some(Self::Office),
            duban_domain::Role::Department => Some(Self::Department),
            duban_domain::Role::Auditor => Some(Self::Auditor),
            duban_domain::Role::System => None,
        }
    }
}

/// Kinds of department.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "DepartmentKind", remote = "DepartmentKind")]
pub enum DepartmentKindGql {
    /// A bureau.
    Bureau,
    /// A township or street.
    Township,
    /// A school.
    School,
    /// Anything else.
    Other,
}

/// Kinds of task.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "TaskKind", remote = "TaskKind")]
pub enum TaskKindGql {
    /// 重点任务.
    Measure,
    /// 节点.
    Milestone,
    /// 整改事项.
    Rectification,
}

/// Lifecycle states.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "TaskStatus", remote = "TaskStatus")]
pub enum TaskStatusGql {
    /// Defined.
    Defined,
    /// Assigned.
    Assigned,
    /// In progress.
    InProgress,
    /// Pending verification.
    PendingVerification,
    /// Closed.
    Closed,
    /// Cancelled.
    Cancelled,
}

/// Verdicts.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Verdict", remote = "Verdict")]
pub enum VerdictGql {
    /// Accepted.
    Accepted,
    /// Rejected.
    Rejected,
}

/// Sources of rectification items.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "RectificationSource", remote = "RectificationSource")]
pub enum SourceGql {
    /// 自查.
    SelfInspection,
    /// 督导.
    Supervision,
    /// 审计.
    Audit,
    /// 投诉.
    Complaint,
}

/// The board's lights.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Light")]
pub enum LightGql {
    /// Nothing pressing.
    Green,
    /// At risk.
    Yellow,
    /// Something overdue.
    Red,
}
