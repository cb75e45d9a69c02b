//! Rebuild equals incremental: for random valid histories (driven through the domain's
//! own `decide` at increasing times), the model applied in random batches — with
//! restarts from JSON, restarts from the persisted documents, crashes before a batch was
//! persisted and batches fed twice — equals the model built in one pass. And a dispatch
//! never sees past its quarter's end.

use chrono::Duration;
use duban_domain::task::{RectificationSource, TaskStatus};
use duban_domain::time::Quarter;
use duban_projections::index::DepartmentIndex;
use duban_projections::{Envelope, ReadModel, board, dispatch};
use proptest::prelude::*;

use crate::world::{World, sh};

/// One random step of the office, a department or the clock; indices pick among what
/// exists (modulo), and refusals by the domain are simply skipped.
#[derive(Debug, Clone)]
pub enum Op {
    Department,
    Plan,
    Measure(u8),
    Milestone(u8, i8),
    Rectification(u8),
    Assign(u8, u8, u8, i8),
    Progress(u8, u8, bool),
    Submit(u8),
    Verify(u8, bool),
    MarkOverdue(u8),
    Extend(u8, u8),
    Urge(u8),
    Escalate(u8),
    Cancel(u8),
    Reopen(u8),
    Retire(u8),
}

pub fn op() -> impl Strategy<Value = Op> {
    let i = any::<u8>;
    prop_oneof![
        2 => Just(Op::Department),
        1 => Just(Op::Plan),
        3 => i().prop_map(Op::Measure),
        1 => (i(), -10i8..60).prop_map(|(a, b)| Op::Milestone(a, b)),
        2 => i().prop_map(Op::Rectification),
        5 => (i(), i(), i(), -10i8..60).prop_map(|(a, b, c, d)| Op::Assign(a, b, c, d)),
        6 => (i(), 0u8..=100, any::<bool>()).prop_map(|(a, b, c)| Op::Progress(a, b, c)),
        3 => i().prop_map(Op::Submit),
        3 => (i(), any::<bool>()).prop_map(|(a, b)| Op::Verify(a, b)),
        3 => i().prop_map(Op::MarkOverdue),
        1 => (i(), 1u8..40).prop_map(|(a, b)| Op::Extend(a, b)),
        1 => i().prop_map(Op::Urge),
        1 => i().prop_map(Op::Escalate),
        1 => i().prop_map(Op::Cancel),
        1 => i().prop_map(Op::Reopen),
        1 => i().prop_map(Op::Retire),
    ]
}

fn pick<T: Copy>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[usize::from(i) % items.len()])
}

/// Runs the ops, `hours[k]` apart, from 2024-01-01; returns the log.
pub fn history(ops: &[(Op, u8)]) -> Vec<Envelope> {
    let mut w = World::at("2024-01-01T09:00:00");
    w.step = 2; // positions with gaps
    w.department("教育局");
    let plan = w.plan("规划");
    for (op, hours) in ops {
        w.advance(Duration::hours(i64::from(*hours)));
        let today = duban_domain::time::local_date(w.now);
        let on = |offset: i8| today + Duration::days(i64::from(offset));
        let tasks = w.task_ids();
        let depts = w.department_ids();
        let plans = w.plan_ids();
        let task = |i| pick(&tasks, i);
        let _ = match op.clone() {
            Op::Department => {
                w.department(&format!("单位{}", depts.len()));
                Ok(1)
            }
            Op::Plan => {
                w.plan("另一规划");
                Ok(1)
            }
            Op::Measure(p) => {
                let p = pick(&plans, p).unwrap_or(plan);
                w.measure(
                    p,
                    Some(&format!("三({}){}", tasks.len() % 3, tasks.len())),
                    "措施",
                );
                Ok(1)
            }
            Op::Milestone(t, due) => match task(t) {
                Some(t) => w.try_milestone(t, "节点", on(due)).map(|_| 1),
                None => Ok(0),
            },
            Op::Rectification(p) => {
                w.rectification(
                    pick(&plans, p),
                    RectificationSource::Supervision,
                    "第一中学",
                    "场地不足",
                );
                Ok(1)
            }
            Op::Assign(t, lead, coop, due) => match (task(t), pick(&depts, lead)) {
                (Some(t), Some(lead)) => {
                    let coop: Vec<_> = pick(&depts, coop)
                        .filter(|c| *c != lead)
                        .into_iter()
                        .collect();
                    w.try_assign(t, lead, &coop, on(due))
                }
                _ => Ok(0),
            },
            Op::Progress(t, percent, by_department) => match task(t) {
                Some(t) => {
                    let actor = match (by_department, w.task(t).lead) {
                        (true, Some(lead)) => w.dept_actor(lead),
                        _ => World::office(),
                    };
                    w.try_progress(t, i64::from(percent), &actor)
                }
                None => Ok(0),
            },
            Op::Submit(t) => task(t).map_or(Ok(0), |t| w.try_submit(t)),
            Op::Verify(t, accept) => task(t).map_or(Ok(0), |t| w.try_verify(t, accept)),
            Op::MarkOverdue(t) => task(t).map_or(Ok(0), |t| {
                w.try_act(
                    t,
                    duban_domain::task::LifecycleCommand::MarkOverdue,
                    &duban_domain::Actor::system(),
                )
            }),
            Op::Extend(t, days) => task(t).map_or(Ok(0), |t| {
                let due = w.task(t).due.unwrap_or(today) + Duration::days(i64::from(days));
                w.try_extend(t, due.max(today))
            }),
            Op::Urge(t) => task(t).map_or(Ok(0), |t| w.try_urge(t)),
            Op::Escalate(t) => task(t).map_or(Ok(0), |t| w.try_escalate(t)),
            Op::Cancel(t) => task(t).map_or(Ok(0), |t| w.try_cancel(t)),
            Op::Reopen(t) => task(t).map_or(Ok(0), |t| w.try_reopen(t)),
            Op::Retire(d) => pick(&depts, d)
                .map_or(Ok(()), |d| w.try_retire(d))
                .map(|_| 1),
        };
    }
    w.envelopes
}

/// How a batch ends.
#[derive(Debug, Clone, Copy)]
enum After {
    /// Persist the changed documents and the checkpoint; go on.
    Persist,
    /// Persist, then restart from the model serialized to JSON.
    RestartFromJson,
    /// Persist, then restart from the persisted documents.
    RestartFromStore,
    /// Crash before persisting: restart from the store and feed the batch again.
    Crash,
}

fn after() -> impl Strategy<Value = After> {
    prop_oneof![
        4 => Just(After::Persist),
        1 => Just(After::RestartFromJson),
        1 => Just(After::RestartFromStore),
        1 => Just(After::Crash),
    ]
}

/// Applies the log in batches the way the service does, and returns (live, persisted).
fn incrementally(log: &[Envelope], batches: &[(usize, usize, After)]) -> (ReadModel, ReadModel) {
    let mut stored = ReadModel::default();
    let mut live = stored.clone();
    let mut next = 0;
    let mut batches = batches.iter().cycle();
    // After a crash the same position is fed again without crashing, so the loop always
    // progresses (a plan made only of crashes would otherwise never finish).
    let mut just_crashed = false;
    while next < log.len() {
        let &(size, overlap, planned) = batches.next().expect("cycled");
        let after = match planned {
            After::Crash if just_crashed => After::Persist,
            other => other,
        };
        just_crashed = false;
        let from = next.saturating_sub(overlap); // already-applied envelopes fed again
        let to = (next + size).min(log.len());
        let changed = live.apply_all(&log[from..to]);
        if let After::Crash = after {
            just_crashed = true;
            live = stored.clone();
            next = log
                .iter()
                .take_while(|e| e.position <= stored.position)
                .count();
            continue;
        }
        for key in changed {
            let doc = live
                .document(&key)
                .expect("a changed document exists")
                .expect("it serialises");
            stored
                .restore_document(&key, &doc)
                .expect("the document reads back");
        }
        stored.position = live.position;
        next = to;
        match after {
            After::RestartFromJson => {
                let json = serde_json::to_string(&live).expect("serializes");
                live = serde_json::from_str(&json).expect("deserializes");
            }
            After::RestartFromStore => live = stored.clone(),
            After::Persist | After::Crash => {}
        }
    }
    (live, stored)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_rebuild(
        ops in prop::collection::vec((op(), 0u8..80), 1..90),
        batches in prop::collection::vec((1usize..12, 0usize..4, after()), 1..12),
    ) {
        let log = history(&ops);
        let rebuilt = ReadModel::from_envelopes(&log);
        let (live, stored) = incrementally(&log, &batches);
        prop_assert_eq!(&live, &rebuilt);
        prop_assert_eq!(&stored, &rebuilt);
        let now = log.last().map_or_else(|| sh("2024-01-01T09:00:00"), |e| e.recorded_at);
        prop_assert_eq!(board(&live, None, now), board(&rebuilt, None, now));
        // The department index is in step with the tasks however the model was built,
        // and a worklist read through it equals a scan of every task.
        for model in [&live, &stored, &rebuilt] {
            prop_assert_eq!(&model.index, &DepartmentIndex::build(model.tasks.values()));
            prop_assert_eq!(model.index.indexed(), model.tasks.len());
            for dept in model.departments.keys().copied() {
                let scanned: Vec<_> = model.tasks.values().filter(|v| v.task.involves(dept)).map(|v| v.task.id).collect();
                let indexed: Vec<_> = model.tasks_involving(dept).expect("in step").map(|v| v.task.id).collect();
                prop_assert_eq!(indexed, scanned);
            }
        }
    }

    #[test]
    fn a_dispatch_never_sees_past_its_quarter(
        ops in prop::collection::vec((op(), 0u8..80), 1..90),
    ) {
        let log = history(&ops);
        for quarter in [Quarter::new(2024, 1).unwrap(), Quarter::new(2024, 2).unwrap()] {
            let known: Vec<_> = log.iter().filter(|e| e.recorded_at < quarter.end()).cloned().collect();
            let d = dispatch(&log, None, quarter);
            prop_assert_eq!(&d, &dispatch(&known, None, quarter));
            let ranks: Vec<u32> = d.rows.iter().map(|r| r.rank).collect();
            prop_assert_eq!(ranks, (1..=d.rows.len() as u32).collect::<Vec<_>>());
            let mut sum = duban_projections::DispatchCounts::default();
            d.rows.iter().for_each(|r| sum.add(&r.counts));
            prop_assert_eq!(sum, d.totals);
            // What runs at one quarter's end is what is open at the next one's start.
            let running = ReadModel::from_envelopes(&known)
                .tasks
                .values()
                .filter(|v| v.task.lead.is_some() && v.task.status.is_running())
                .count();
            let next = dispatch(&log, None, quarter.next());
            prop_assert_eq!(next.totals.open_at_start as usize, running);
            let _ = TaskStatus::Closed;
        }
    }
}
