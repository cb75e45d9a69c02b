//! The contract's input types.

use async_graphql::{ID, InputObject};

use duban_domain::ids::DepartmentId;
use duban_projections::TaskQuery;

use super::context::GqlResult;
use super::enums::{DepartmentKindGql, SourceGql, TaskKindGql, TaskStatusGql, VerdictGql};
use super::scalars::Date;

/// Which tasks to list.
#[derive(InputObject, Default, Clone)]
pub struct TaskFilter {
    /// Kinds.
    pub kind: Option<Vec<TaskKindGql>>,
    /// Statuses.
    pub status: Option<Vec<TaskStatusGql>>,
    /// Lead or cooperating.
    pub department_id: Option<ID>,
    /// Overdue or not.
    pub overdue: Option<bool>,
    /// Rectification source.
    pub source: Option<SourceGql>,
    /// Rectification unit (substring).
    pub unit: Option<String>,
}

impl TaskFilter {
    /// As a read-model query.
    pub fn into_query(self) -> async_graphql::Result<TaskQuery> {
        Ok(TaskQuery {
            plan_id: None,
            kinds: self
                .kind
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            statuses: self
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            department_id: self
                .department_id
                .map(|d| DepartmentId::parse("departmentId", &d))
                .transpose()
                .gql()?,
            overdue: self.overdue,
            source: self.source.map(Into::into),
            unit: self.unit,
        })
    }
}

/// A phase.
#[derive(InputObject, Clone)]
pub struct PhaseInput {
    /// Name.
    pub name: String,
    /// First day.
    pub starts: Date,
    /// Last day.
    pub ends: Date,
}

/// `registerDepartment`.
#[derive(InputObject)]
pub struct RegisterDepartmentInput {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: DepartmentKindGql,
    /// Parent.
    pub parent_id: Option<ID>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `draftPlan`.
#[derive(InputObject)]
pub struct DraftPlanInput {
    /// Title.
    pub title: String,
    /// Region.
    pub region: String,
    /// Issuer.
    pub issuer: Option<String>,
    /// Period start.
    pub period_start: Date,
    /// Period end.
    pub period_end: Date,
    /// Phases.
    pub phases: Option<Vec<PhaseInput>>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// A plan document: `text` (plain text) or `file` (.txt in any Chinese encoding, .docx,
/// .xlsx, .xls, .csv, .pdf with a text layer), exactly one of them.
#[derive(InputObject)]
pub struct ImportPlanInput {
    /// The plan document as plain text.
    pub text: Option<String>,
    /// The plan document as a file.
    pub file: Option<super::file::FileInput>,
    /// Overrides the title read from the text.
    pub title: Option<String>,
    /// Overrides the region read from the text.
    pub region: Option<String>,
    /// The digest of a preview: the import records exactly what that preview showed, or
    /// fails with BAD_USER_INPUT.
    pub preview_digest: Option<String>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `defineMeasure`.
#[derive(InputObject)]
pub struct DefineMeasureInput {
    /// Plan.
    pub plan_id: ID,
    /// Number as printed.
    pub code: Option<String>,
    /// Title.
    pub title: String,
    /// Full text.
    pub description: Option<String>,
    /// Phase name.
    pub phase: Option<String>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `scheduleMilestone`.
#[derive(InputObject)]
pub struct ScheduleMilestoneInput {
    /// Measure.
    pub measure_id: ID,
    /// Title.
    pub title: String,
    /// Due date.
    pub due: Date,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `raiseRectification`.
#[derive(InputObject)]
pub struct RaiseRectificationInput {
    /// Source.
    pub source: SourceGql,
    /// Finding.
    pub finding: String,
    /// Standard.
    pub standard: Option<String>,
    /// Measured value.
    pub measured: Option<String>,
    /// School or unit.
    pub unit: Option<String>,
    /// 1 to 3.
    pub severity: Option<i32>,
    /// Plan.
    pub plan_id: Option<ID>,
    /// Measure.
    pub measure_id: Option<ID>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `assignTask`.
#[derive(InputObject)]
pub struct AssignTaskInput {
    /// Task.
    pub task_id: ID,
    /// Lead department.
    pub lead_id: ID,
    /// Cooperating departments.
    pub cooperating_ids: Option<Vec<ID>>,
    /// Deadline.
    pub due: Date,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `reportProgress`.
#[derive(InputObject)]
pub struct ReportProgressInput {
    /// Task.
    pub task_id: ID,
    /// 0 to 100.
    pub percent: i32,
    /// What was done.
    pub note: String,
    /// Links.
    pub evidence: Option<Vec<String>>,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `submitForVerification`.
#[derive(InputObject)]
pub struct SubmitTaskInput {
    /// Task.
    pub task_id: ID,
    /// Summary.
    pub summary: String,
    /// Links.
    pub evidence: Option<Vec<String>>,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `verifyTask`.
#[derive(InputObject)]
pub struct VerifyTaskInput {
    /// Task.
    pub task_id: ID,
    /// Verdict.
    pub verdict: VerdictGql,
    /// Remarks.
    pub remarks: Option<String>,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `extendDeadline`.
#[derive(InputObject)]
pub struct ExtendDeadlineInput {
    /// Task.
    pub task_id: ID,
    /// New deadline.
    pub due: Date,
    /// Why.
    pub reason: String,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// `urgeTask`, `escalateTask`, `cancelTask`, `reopenRectification`.
#[derive(InputObject)]
pub struct TaskNoteInput {
    /// Task.
    pub task_id: ID,
    /// The note (the reason, for cancel and reopen).
    pub note: String,
    /// Optimistic concurrency.
    pub expected_version: Option<i32>,
    /// Idempotency key.
    pub command_id: Option<String>,
}
