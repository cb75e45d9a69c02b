//! The events the read model folds in, broadcast to live subscriptions.
//!
//! Every subscription used to read the log itself on every commit: 5,000 of them made
//! 5,000 queries per event and held a command up for seconds. Now the fold, which reads
//! each event once anyway, hands every batch it folded to one broadcast channel, with
//! the scope of each event's task as it stood right after that event. A subscription
//! decides visibility from that scope, not from the model as it stands when it looks:
//! an event of department A's task recorded just before the task was reassigned to B
//! stays A's.

use std::sync::Arc;

use duban_domain::ids::{DepartmentId, PlanId, TaskId, split_stream};
use duban_projections::ReadModel;
use duban_store::RecordedEvent;

/// Batches kept for subscriptions that have not taken them yet; one further behind than
/// this is told it fell behind (see `graphql::subscription`).
pub const FEED_CAPACITY: usize = 1024;

/// Who may see an event of a task: the task's plan and departments right after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskScope {
    /// The task's plan.
    pub plan_id: Option<PlanId>,
    /// The lead department.
    pub lead: Option<DepartmentId>,
    /// The cooperating departments.
    pub cooperating: Vec<DepartmentId>,
}

impl TaskScope {
    /// Whether `department` is the task's lead or cooperates on it.
    pub fn involves(&self, department: DepartmentId) -> bool {
        self.lead == Some(department) || self.cooperating.contains(&department)
    }
}

/// An event as folded in, with its task's scope when it is a task event.
#[derive(Debug, Clone)]
pub struct FoldedEvent {
    /// The event.
    pub record: RecordedEvent,
    /// The task right after the event; `None` for other streams.
    pub scope: Option<TaskScope>,
}

/// One batch of folded events, in log order.
pub type FoldedBatch = Arc<Vec<FoldedEvent>>;

/// The scope of the task `record` belongs to, as `model` holds it now.
pub(super) fn scope_of(model: &ReadModel, record: &RecordedEvent) -> Option<TaskScope> {
    let Some((TaskId::PREFIX, uuid)) = split_stream(&record.stream_id) else {
        return None;
    };
    model.tasks.get(&TaskId(uuid)).map(|view| TaskScope {
        plan_id: view.task.plan_id,
        lead: view.task.lead,
        cooperating: view.task.cooperating.clone(),
    })
}
