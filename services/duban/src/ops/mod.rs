//! One file per command family, as the API and the CLI call them. Each resolves the ids
//! it is given into the states the domain decides on, runs the command through
//! [`App::run`](crate::app::App::run) and returns the new state. [`tick`] is the overdue
//! clock, [`remind`] the reminder clock and [`bulletin`] the weekly digests and quarterly
//! circulars; all run on the same timer.
//!
//! The 优质均衡 assessment: [`survey`] imports a statistics table ([`survey_file`] reads
//! the file, [`survey_table`] its rows); [`survey_policy`] runs the policy that raises
//! shortfalls as rectification items; [`survey_export`] writes the county table;
//! [`guarantee_answer`] records the office's answers to the items that need evidence.

pub mod bulletin;
pub mod define_measure;
pub mod dispatch;
pub mod draft_plan;
pub mod endpoint;
pub mod guarantee_answer;
pub mod import_plan;
pub mod import_preview;
mod lifecycle;
pub mod raise_rectification;
mod register_department;
pub mod remind;
mod schedule_milestone;
pub mod survey;
pub mod survey_export;
pub mod survey_file;
pub mod survey_policy;
pub mod survey_table;
pub mod tick;

pub use lifecycle::LifecycleInput;

use duban_domain::department::{Department, DepartmentRef};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::Plan;
use duban_domain::task::Task;

use crate::app::App;
use crate::error::{ServiceError, ServiceResult};

impl App {
    /// A department by id from its stream, or NOT_FOUND naming `field`.
    pub async fn department_ref(
        &self,
        field: &'static str,
        raw: &str,
    ) -> ServiceResult<DepartmentRef> {
        let id = DepartmentId::parse(field, raw)?;
        let dept: Option<Department> = self.load(&id.stream()).await?;
        dept.map(|d| DepartmentRef::from(&d))
            .ok_or_else(|| ServiceError::not_found("department", raw))
    }

    /// A plan by id from its stream, or NOT_FOUND.
    pub async fn plan_state(&self, field: &'static str, raw: &str) -> ServiceResult<Plan> {
        let id = PlanId::parse(field, raw)?;
        self.load::<Plan>(&id.stream())
            .await?
            .ok_or_else(|| ServiceError::not_found("plan", raw))
    }

    /// A task by id from its stream, or NOT_FOUND.
    pub async fn task_state(&self, field: &'static str, raw: &str) -> ServiceResult<Task> {
        let id = TaskId::parse(field, raw)?;
        self.load::<Task>(&id.stream())
            .await?
            .ok_or_else(|| ServiceError::not_found("task", raw))
    }
}

/// The state a creation command produced, or an internal error if it produced none.
pub(crate) fn created<A>(state: Option<A>) -> ServiceResult<A> {
    state.ok_or_else(|| ServiceError::Internal("a creation command left no state".into()))
}
