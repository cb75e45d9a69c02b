//! A task as the read models see it: the domain's folded [`Task`] plus the instants of
//! its milestones, taken from the envelopes' `recorded_at`.

use chrono::{DateTime, Utc};
use duban_domain::Aggregate;
use duban_domain::Event;
use duban_domain::task::{Task, Verdict};
use serde::{Deserialize, Serialize};

use crate::envelope::Envelope;

/// One task document of the read model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskView {
    /// The task, folded with the domain's own `evolve`, so the read model never
    /// disagrees with the aggregate.
    pub task: Task,
    /// When the task was created.
    pub created_at: DateTime<Utc>,
    /// When it was last (re)assigned; a milestone scheduled under an assigned measure
    /// is assigned at creation. Starts the 30-day "no progress" clock of the board.
    pub assigned_at: Option<DateTime<Utc>>,
    /// When it was last submitted for verification.
    pub submitted_at: Option<DateTime<Utc>>,
    /// When the office last accepted it (销号); cleared when a rectification reopens.
    pub closed_at: Option<DateTime<Utc>>,
    /// When anything last happened to it.
    pub last_event_at: DateTime<Utc>,
    /// When progress was last reported (the store's time, not the client's).
    pub last_progress_at: Option<DateTime<Utc>>,
}

impl TaskView {
    /// The view after one envelope of the task's stream; `None` while the stream has
    /// not created a task.
    pub fn evolve(view: Option<TaskView>, env: &Envelope) -> Option<TaskView> {
        let at = env.recorded_at;
        let Some(mut view) = view else {
            let task = Task::evolve(None, &env.event)?;
            let assigned_at = task.lead.map(|_| at);
            return Some(TaskView {
                task,
                created_at: at,
                assigned_at,
                submitted_at: None,
                closed_at: None,
                last_event_at: at,
                last_progress_at: None,
            });
        };
        view.apply(env);
        Some(view)
    }

    /// One envelope of the task's stream applied to an existing view, in place (what
    /// [`Self::evolve`] does to a view that exists: it never removes one).
    pub fn apply(&mut self, env: &Envelope) {
        let at = env.recorded_at;
        match &env.event {
            Event::TaskAssigned(_) => self.assigned_at = Some(at),
            Event::ProgressReported(_) => self.last_progress_at = Some(at),
            Event::CompletionSubmitted(_) => self.submitted_at = Some(at),
            Event::TaskVerified(v) if v.verdict == Verdict::Accepted => self.closed_at = Some(at),
            Event::RectificationReopened(_) => self.closed_at = None,
            _ => {}
        }
        self.last_event_at = at;
        duban_domain::task::evolve::apply(&mut self.task, &env.event);
    }
}
