//! The incremental read model: every plan, department and task, folded from the global
//! log with a checkpoint. Rebuilding from zero gives the same value as applying the log
//! in any batches, with restarts in between.

use std::collections::{BTreeMap, BTreeSet};

use duban_domain::Aggregate;
use duban_domain::department::Department;
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::Plan;
use serde::{Deserialize, Serialize};

use crate::envelope::{Envelope, Key};
use crate::index::{DepartmentIndex, Involved};
use crate::task_view::TaskView;

/// Every aggregate's current state, as of `position`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct ReadModel {
    /// The position of the last envelope applied (the checkpoint); 0 before any.
    pub position: i64,
    /// Plans by id.
    pub plans: BTreeMap<PlanId, Plan>,
    /// Departments by id.
    pub departments: BTreeMap<DepartmentId, Department>,
    /// Tasks by id.
    pub tasks: BTreeMap<TaskId, TaskView>,
    /// Tasks by involved department (derived from `tasks`, not stored); see
    /// [`ReadModel::tasks_involving`].
    #[serde(skip)]
    pub index: DepartmentIndex,
}

/// What a serialized model holds: everything but the derived index.
#[derive(Deserialize)]
struct Stored {
    position: i64,
    plans: BTreeMap<PlanId, Plan>,
    departments: BTreeMap<DepartmentId, Department>,
    tasks: BTreeMap<TaskId, TaskView>,
}

impl From<Stored> for ReadModel {
    fn from(s: Stored) -> Self {
        let index = DepartmentIndex::build(s.tasks.values());
        Self {
            position: s.position,
            plans: s.plans,
            departments: s.departments,
            tasks: s.tasks,
            index,
        }
    }
}

impl ReadModel {
    /// A model built from these envelopes in one pass.
    pub fn from_envelopes<'a>(envelopes: impl IntoIterator<Item = &'a Envelope>) -> Self {
        let mut model = Self::default();
        model.apply_all(envelopes);
        model
    }

    /// Applies one envelope and returns the document it changed.
    ///
    /// An envelope at or below the checkpoint was applied before and is ignored
    /// (`None`), so a batch may be fed again after a crash. An envelope of an unknown
    /// stream type, or one that creates nothing, still moves the checkpoint.
    pub fn apply(&mut self, env: &Envelope) -> Option<Key> {
        if env.position <= self.position {
            return None;
        }
        self.position = env.position;
        let key = Key::of_stream(&env.stream_id)?;
        let changed = match key {
            Key::Plan(id) => fold(&mut self.plans, id, |s| Plan::evolve(s, &env.event)),
            Key::Department(id) => fold(&mut self.departments, id, |s| {
                Department::evolve(s, &env.event)
            }),
            Key::Task(id) => match self.tasks.get_mut(&id) {
                // Most events change a task that exists: it is changed where it lies
                // (moving a view out of the map and back shifted B-tree nodes of large
                // values on every event, a visible share of a rebuild's CPU), and found
                // once (looking it up again for the index before and after slowed the
                // fold by about a third).
                Some(view) => {
                    let before = Involved::of(Some(view));
                    view.apply(env);
                    self.index.update(id, before, Some(view));
                    true
                }
                None => {
                    let changed = fold(&mut self.tasks, id, |s| TaskView::evolve(s, env));
                    if changed {
                        self.index.update(id, None, self.tasks.get(&id));
                    }
                    changed
                }
            },
        };
        changed.then_some(key)
    }

    /// Applies envelopes in order; returns every document changed, for the service to
    /// persist with the new checkpoint in one transaction.
    pub fn apply_all<'a>(
        &mut self,
        envelopes: impl IntoIterator<Item = &'a Envelope>,
    ) -> BTreeSet<Key> {
        envelopes
            .into_iter()
            .filter_map(|env| self.apply(env))
            .collect()
    }

    /// One document as the JSON text the service stores (the state serialised straight
    /// to text, fields in declaration order); `None` when absent. Every writer of stored
    /// documents goes through here, so the same state is always the same text: a rebuild
    /// compares texts to rewrite only what changed.
    pub fn document(&self, key: &Key) -> Option<Result<String, serde_json::Error>> {
        Some(match key {
            Key::Plan(id) => serde_json::to_string(self.plans.get(id)?),
            Key::Department(id) => serde_json::to_string(self.departments.get(id)?),
            Key::Task(id) => serde_json::to_string(self.tasks.get(id)?),
        })
    }

    /// Puts back a document read from storage (the inverse of [`Self::document`]), to
    /// load a persisted model: insert every document, then set `position` to the
    /// stored checkpoint.
    pub fn restore_document(&mut self, key: &Key, document: &str) -> Result<(), serde_json::Error> {
        match key {
            Key::Plan(id) => {
                self.plans.insert(*id, serde_json::from_str(document)?);
            }
            Key::Department(id) => {
                self.departments
                    .insert(*id, serde_json::from_str(document)?);
            }
            Key::Task(id) => {
                let view: TaskView = serde_json::from_str(document)?;
                let before = Involved::of(self.tasks.get(id));
                self.index.update(*id, before, Some(&view));
                self.tasks.insert(*id, view);
            }
        }
        Ok(())
    }

    /// The tasks `department` is lead or cooperating on, in id order, from the index;
    /// `None` when the index is not in step with `tasks` (someone changed `tasks`
    /// directly), so the caller scans instead.
    pub fn tasks_involving(
        &self,
        department: DepartmentId,
    ) -> Option<impl Iterator<Item = &TaskView> + '_> {
        (self.index.indexed() == self.tasks.len()).then(|| {
            self.index
                .tasks_of(department)
                .filter_map(|id| self.tasks.get(&id))
        })
    }

    /// A department's name, or its id when it is unknown (so a name is always shown).
    pub fn department_name(&self, id: DepartmentId) -> String {
        self.departments
            .get(&id)
            .map_or_else(|| id.to_string(), |d| d.name.clone())
    }
}

/// Folds one entry of a map; true when it changed.
fn fold<K: Ord + Copy, V: PartialEq>(
    map: &mut BTreeMap<K, V>,
    id: K,
    evolve: impl FnOnce(Option<V>) -> Option<V>,
) -> bool {
    let before = map.remove(&id);
    let had = before.is_some();
    match evolve(before) {
        Some(after) => {
            map.insert(id, after);
            true
        }
        None => had,
    }
}
