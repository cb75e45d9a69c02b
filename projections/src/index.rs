//! The read model's index of tasks by the departments involved in them (lead or
//! cooperating), so a worklist reads a department's few hundred tasks instead of
//! scanning every task. Derived data: kept in step by [`crate::ReadModel::apply`] and
//! [`crate::ReadModel::restore_document`], rebuilt when a model is deserialized, never
//! stored.

use std::collections::{BTreeMap, BTreeSet};

use duban_domain::ids::{DepartmentId, TaskId};

use crate::task_view::TaskView;

/// Task ids by involved department.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DepartmentIndex {
    by_department: BTreeMap<DepartmentId, BTreeSet<TaskId>>,
    /// How many tasks are indexed: equal to the model's task count while in step.
    tasks: usize,
}

/// The departments a task involved before an event, to take it out of their entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Involved {
    lead: Option<DepartmentId>,
    cooperating: Vec<DepartmentId>,
}

impl Involved {
    /// What `view` involves; `None` for an absent task.
    pub(crate) fn of(view: Option<&TaskView>) -> Option<Involved> {
        view.map(|v| Involved {
            lead: v.task.lead,
            cooperating: v.task.cooperating.clone(),
        })
    }

    fn same_as(&self, view: &TaskView) -> bool {
        self.lead == view.task.lead && self.cooperating == view.task.cooperating
    }

    fn departments(&self) -> impl Iterator<Item = DepartmentId> + '_ {
        self.lead
            .into_iter()
            .chain(self.cooperating.iter().copied())
    }
}

impl DepartmentIndex {
    /// The index of these tasks, built in one pass.
    pub fn build<'a>(tasks: impl IntoIterator<Item = &'a TaskView>) -> Self {
        let mut index = Self::default();
        for view in tasks {
            index.update(view.task.id, None, Some(view));
        }
        index
    }

    /// The tasks `department` is lead or cooperating on, in id order.
    pub fn tasks_of(&self, department: DepartmentId) -> impl Iterator<Item = TaskId> + '_ {
        self.by_department
            .get(&department)
            .into_iter()
            .flat_map(|ids| ids.iter().copied())
    }

    /// How many tasks are indexed.
    pub fn indexed(&self) -> usize {
        self.tasks
    }

    /// Moves task `id` from what it involved `before` to what `after` involves.
    pub(crate) fn update(
        &mut self,
        id: TaskId,
        before: Option<Involved>,
        after: Option<&TaskView>,
    ) {
        if let (Some(b), Some(a)) = (&before, after)
            && b.same_as(a)
        {
            return;
        }
        if let Some(before) = &before {
            self.tasks -= 1;
            for d in before.departments() {
                if let Some(ids) = self.by_department.get_mut(&d) {
                    ids.remove(&id);
                    if ids.is_empty() {
                        self.by_department.remove(&d);
                    }
                }
            }
        }
        if let Some(after) = after {
            self.tasks += 1;
            let task = &after.task;
            for d in task.lead.iter().chain(&task.cooperating) {
                self.by_department.entry(*d).or_default().insert(id);
            }
        }
    }
}
