//! Task lists over the read model: the `tasks` query, a department's worklist (部门任务
//!清单) and the rectification ledger (整改台账), all in one stable order.

use std::cmp::Ordering;

use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::task::{RectificationSource, TaskKind, TaskStatus};

use crate::model::ReadModel;
use crate::natural::natural_cmp;
use crate::task_view::TaskView;

/// Which tasks to list (the GraphQL `TaskFilter`, plus the plan). Every criterion given
/// must hold; an empty list or `None` does not constrain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskQuery {
    /// Only tasks of this plan.
    pub plan_id: Option<PlanId>,
    /// Only these kinds (empty: any).
    pub kinds: Vec<TaskKind>,
    /// Only these statuses (empty: any).
    pub statuses: Vec<TaskStatus>,
    /// Only tasks where this department is lead or cooperating.
    pub department_id: Option<DepartmentId>,
    /// Only tasks that are (or are not) overdue, as [`duban_domain::task::Task::overdue`].
    pub overdue: Option<bool>,
    /// Only rectification items from this source.
    pub source: Option<RectificationSource>,
    /// Only rectification items whose unit contains this text (blank: any).
    pub unit: Option<String>,
}

impl TaskQuery {
    /// Whether a task passes every criterion.
    pub fn matches(&self, view: &TaskView) -> bool {
        let task = &view.task;
        let detail = task.rectification.as_ref();
        let unit = self
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        self.plan_id.is_none_or(|p| task.plan_id == Some(p))
            && (self.kinds.is_empty() || self.kinds.contains(&task.kind))
            && (self.statuses.is_empty() || self.statuses.contains(&task.status))
            && self.department_id.is_none_or(|d| task.involves(d))
            && self.overdue.is_none_or(|o| task.overdue() == o)
            && self
                .source
                .is_none_or(|s| detail.is_some_and(|d| d.source == s))
            && unit.is_none_or(|u| {
                detail
                    .and_then(|d| d.unit.as_deref())
                    .is_some_and(|have| have.contains(u))
            })
    }
}

/// The tasks matching `query`, in [`list_order`].
///
/// With a department, only that department's tasks are read (the model's index).
pub fn filter_tasks<'m>(model: &'m ReadModel, query: &TaskQuery) -> Vec<&'m TaskView> {
    let indexed: Option<Vec<&TaskView>> = query
        .department_id
        .and_then(|d| model.tasks_involving(d))
        .map(|tasks| tasks.filter(|v| query.matches(v)).collect());
    let mut tasks: Vec<&TaskView> =
        indexed.unwrap_or_else(|| model.tasks.values().filter(|v| query.matches(v)).collect());
    tasks.sort_by(|a, b| list_order(a, b));
    tasks
}

/// A department's worklist: every task where it is lead or cooperating.
pub fn worklist(model: &ReadModel, department: DepartmentId) -> Vec<&TaskView> {
    let query = TaskQuery {
        department_id: Some(department),
        ..TaskQuery::default()
    };
    filter_tasks(model, &query)
}

/// The rectification ledger: rectification items matching `query` (whatever kinds it
/// names, only rectification items are listed).
pub fn rectification_ledger<'m>(model: &'m ReadModel, query: &TaskQuery) -> Vec<&'m TaskView> {
    let query = TaskQuery {
        kinds: vec![TaskKind::Rectification],
        ..query.clone()
    };
    filter_tasks(model, &query)
}

/// The order of every task list: plan (tasks of no plan first), then tasks with a code
/// in natural code order, then the rest by creation time, then id.
pub fn list_order(a: &TaskView, b: &TaskView) -> Ordering {
    let (ta, tb) = (&a.task, &b.task);
    ta.plan_id
        .cmp(&tb.plan_id)
        .then_with(|| match (&ta.code, &tb.code) {
            (Some(x), Some(y)) => natural_cmp(x, y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.created_at.cmp(&b.created_at))
        .then_with(|| ta.id.cmp(&tb.id))
}
