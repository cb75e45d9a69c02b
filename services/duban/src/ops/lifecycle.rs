//! The lifecycle mutations: assign, progress, submit, verify, extend, urge, escalate,
//! cancel, reopen.

use chrono::NaiveDate;

use duban_domain::Actor;
use duban_domain::ids::TaskId;
use duban_domain::task::{LifecycleCommand, Task, TaskCommand, Verdict};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};

/// A lifecycle command as the API receives it (departments still as ids).
#[derive(Debug, Clone)]
pub enum LifecycleInput {
    /// Assign.
    Assign {
        /// Lead department id.
        lead_id: String,
        /// Cooperating department ids.
        cooperating_ids: Vec<String>,
        /// Deadline.
        due: NaiveDate,
    },
    /// Report progress.
    ReportProgress {
        /// 0 to 100.
        percent: i64,
        /// Note.
        note: String,
        /// Links.
        evidence: Vec<String>,
    },
    /// Submit for verification.
    Submit {
        /// Summary.
        summary: String,
        /// Links.
        evidence: Vec<String>,
    },
    /// Verify.
    Verify {
        /// Verdict.
        verdict: Verdict,
        /// Remarks.
        remarks: Option<String>,
    },
    /// Extend the deadline.
    Extend {
        /// New deadline.
        due: NaiveDate,
        /// Why.
        reason: String,
    },
    /// 催办.
    Urge(String),
    /// 挂牌督办.
    Escalate(String),
    /// Cancel, with the reason.
    Cancel(String),
    /// Reopen a rectification item, with the reason.
    Reopen(String),
}

impl App {
    /// Runs a lifecycle command on a task and returns the task after it.
    pub async fn task_command(
        &self,
        actor: &Actor,
        task_id: &str,
        options: &CommandOptions,
        input: LifecycleInput,
    ) -> ServiceResult<Task> {
        let id = TaskId::parse("taskId", task_id)?;
        let command = match input {
            LifecycleInput::Assign {
                lead_id,
                cooperating_ids,
                due,
            } => {
                // Also decided by `Task::decide`; checked first on purpose, so that the
                // department lookups cannot tell a sender who may not assign which ids exist.
                actor.require_office("assign")?;
                let lead = self.department_ref("leadId", &lead_id).await?;
                let mut cooperating = Vec::with_capacity(cooperating_ids.len());
                for raw in &cooperating_ids {
                    cooperating.push(self.department_ref("cooperatingIds", raw).await?);
                }
                LifecycleCommand::Assign {
                    lead,
                    cooperating,
                    due: Some(due),
                }
            }
            LifecycleInput::ReportProgress {
                percent,
                note,
                evidence,
            } => LifecycleCommand::ReportProgress {
                percent,
                note,
                evidence,
            },
            LifecycleInput::Submit { summary, evidence } => {
                LifecycleCommand::Submit { summary, evidence }
            }
            LifecycleInput::Verify { verdict, remarks } => {
                LifecycleCommand::Verify { verdict, remarks }
            }
            LifecycleInput::Extend { due, reason } => {
                LifecycleCommand::ExtendDeadline { due, reason }
            }
            LifecycleInput::Urge(note) => LifecycleCommand::Urge { note },
            LifecycleInput::Escalate(note) => LifecycleCommand::Escalate { note },
            LifecycleInput::Cancel(reason) => LifecycleCommand::Cancel { reason },
            LifecycleInput::Reopen(reason) => LifecycleCommand::Reopen { reason },
        };
        let done = self
            .run::<Task>(
                &id.stream(),
                actor,
                options,
                TaskCommand::Lifecycle(command),
            )
            .await
            .map_err(|e| name_the_task(e, task_id))?;
        done.state
            .ok_or_else(|| ServiceError::not_found("task", task_id))
    }
}

/// Fills in the task id the domain could not know.
fn name_the_task(error: ServiceError, task_id: &str) -> ServiceError {
    match error {
        ServiceError::Domain(duban_domain::DomainError::NotFound { what: "task", .. }) => {
            ServiceError::not_found("task", task_id)
        }
        other => other,
    }
}
