//! The dispatch as an incremental fold: feed the global log in position order, a page
//! at a time, and finish at the end. Only the state at the quarter's end is kept whole;
//! the state at the quarter's start is kept only for the tasks where it differs.
//!
//! The batch replay this replaces folded two full models, one of the envelopes recorded
//! before the quarter's start and one of those recorded before its end, and counted the
//! quarter's events against the second. A task's two states stay equal until an
//! envelope reaches one model and not the other (normally its first event of the
//! quarter); at that moment the fold keeps a copy of the task's state as the state at the
//! start, and goes on evolving that copy with any later envelope recorded before the
//! start. So recorded times out of position order give the same result as the replay.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use duban_domain::ids::TaskId;
use duban_domain::time::Quarter;

use crate::dispatch::quarter::QuarterDispatch;
use crate::dispatch::standing;
use crate::dispatch::tally::Tallies;
use crate::envelope::{Envelope, Key};
use crate::model::ReadModel;
use crate::task_view::TaskView;

/// Drops what no dispatch reads of a task: its full text, its phase and a rectification
/// item's finding. Only the events that create a task set them, and the fold's model
/// of the county is as large as the live one: without them it holds ~10 % less.
fn forget_texts(view: &mut TaskView) {
    let task = &mut view.task;
    task.description = None;
    task.phase = None;
    task.rectification = None;
}

/// A quarter's dispatch being folded (see the module documentation).
#[derive(Debug, Clone)]
pub struct DispatchFold {
    quarter: Quarter,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    /// Every envelope recorded before the quarter's end.
    at_end: ReadModel,
    /// The checkpoint of the state at the start: the last position recorded before it.
    start_position: i64,
    /// The state at the start of the tasks where it differs from `at_end`'s.
    at_start: BTreeMap<TaskId, Option<TaskView>>,
    tallies: Tallies,
}

impl DispatchFold {
    /// An empty fold for `quarter`.
    pub fn new(quarter: Quarter) -> Self {
        Self {
            quarter,
            start: quarter.start(),
            end: quarter.end(),
            at_end: ReadModel::default(),
            start_position: 0,
            at_start: BTreeMap::new(),
            tallies: Tallies::default(),
        }
    }

    /// The quarter folded.
    pub fn quarter(&self) -> Quarter {
        self.quarter
    }

    /// Folds in the next envelope of the log. Envelopes recorded at or after the
    /// quarter's end are ignored; like [`ReadModel::apply`], an envelope at or below a
    /// state's checkpoint does not change it.
    pub fn feed(&mut self, env: &Envelope) {
        if env.recorded_at >= self.end {
            return;
        }
        let before_start = env.recorded_at < self.start;
        let to_start = before_start && env.position > self.start_position;
        let to_end = env.position > self.at_end.position;
        if to_start {
            self.start_position = env.position;
        }
        if let Some(Key::Task(id)) = Key::of_stream(&env.stream_id) {
            if to_start != to_end && !self.at_start.contains_key(&id) {
                // The two states of the task part here: keep the one at the start.
                let state = self.at_end.tasks.get(&id).cloned();
                self.at_start.insert(id, state);
            }
            if to_start && let Some(state) = self.at_start.get_mut(&id) {
                *state = TaskView::evolve(state.take(), env);
            }
        }
        let changed = self.at_end.apply(env);
        let Some(Key::Task(id)) = changed else { return };
        let Some(view) = self.at_end.tasks.get_mut(&id) else {
            return;
        };
        forget_texts(view);
        if !before_start {
            self.tallies.count(id, view, env);
        }
    }

    /// Folds in a page of envelopes.
    pub fn feed_all<'a>(&mut self, envelopes: impl IntoIterator<Item = &'a Envelope>) {
        for env in envelopes {
            self.feed(env);
        }
    }

    /// The quarter's figures for every plan, once the whole log is fed.
    pub fn finish(self) -> QuarterDispatch {
        let Self {
            quarter,
            at_end,
            at_start,
            mut tallies,
            ..
        } = self;
        let unchanged = at_end
            .tasks
            .iter()
            .filter(|(id, _)| !at_start.contains_key(id))
            .map(|(_, view)| view);
        standing::read_start(&mut tallies, unchanged.chain(at_start.values().flatten()));
        let overdue = standing::read_end(&mut tallies, &at_end, quarter);
        QuarterDispatch::new(quarter, tallies, overdue, &at_end)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use duban_domain::Event;
    use duban_domain::event::MeasureDefined;
    use duban_domain::ids::PlanId;

    use super::*;

    fn measure(task_id: TaskId, at: DateTime<Utc>) -> Envelope {
        Envelope {
            position: 1,
            stream_id: task_id.stream(),
            recorded_at: at,
            actor: "office".into(),
            role: None,
            department: None,
            event: Event::MeasureDefined(MeasureDefined {
                task_id,
                plan_id: PlanId::new(),
                code: Some("一(一)1".into()),
                title: "补齐音乐教室".into(),
                description: Some("按照国家和省有关标准，补齐短板。".into()),
                phase: Some("攻坚阶段".into()),
            }),
        }
    }

    #[test]
    fn the_fold_keeps_no_texts_the_dispatch_does_not_read() {
        let quarter = Quarter::new(2025, 2).expect("a quarter");
        let mid = NaiveDate::from_ymd_opt(2025, 5, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .expect("a date")
            .and_utc();
        let id = TaskId::new();
        let mut fold = DispatchFold::new(quarter);
        fold.feed(&measure(id, mid));
        let task = &fold.at_end.tasks[&id].task;
        assert_eq!((&task.description, &task.phase), (&None, &None));
        // What a dispatch lists of a task stays.
        assert_eq!(task.code.as_deref(), Some("一(一)1"));
        assert_eq!(task.title, "补齐音乐教室");
    }
}
