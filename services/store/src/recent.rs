//! The events this process committed last, kept in memory, so that tailing the log right
//! behind one's own writes (the read models after every command) needs no query.
//!
//! Only committed events go in, in position order (the writer task adds them after each
//! commit). A read is served from here only for a contiguous run that starts exactly at
//! the position asked for; a gap (another process wrote in between) or an older
//! position sends the reader to the database. Since positions are handed out in commit
//! order, everything such a run holds is exactly what the database would return.
//!
//! Each append's events are kept as the shared slice its answer carries, so keeping them
//! copies nothing (a deep copy of every event was a noticeable share of a bulk append's
//! time).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::event::RecordedEvent;

/// How many events are kept (more while the newest append alone holds more).
const KEEP: usize = 4096;

/// The last committed events of this process.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    appends: Mutex<Appends>,
}

/// Committed appends, oldest first, and how many events they hold.
#[derive(Debug, Default)]
struct Appends {
    runs: VecDeque<Arc<[RecordedEvent]>>,
    events: usize,
}

impl Recent {
    fn appends(&self) -> std::sync::MutexGuard<'_, Appends> {
        self.appends.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remembers the events of an append just committed (ignored unless they come after
    /// the newest kept), letting go of the oldest appends past [`KEEP`] events. Those are
    /// returned, for the writer task to drop once its answers are sent: usually the last
    /// owner, it frees every event of them (payloads included), which was a noticeable
    /// share of a bulk append's time when done here.
    pub(crate) fn push(&self, committed: &Arc<[RecordedEvent]>) -> Vec<Arc<[RecordedEvent]>> {
        let mut kept = self.appends();
        let newest = kept.runs.back().and_then(|r| r.last()).map(|e| e.position);
        match (committed.first(), newest) {
            (None, _) => return Vec::new(),
            (Some(first), Some(newest)) if first.position <= newest => return Vec::new(),
            _ => {}
        }
        kept.events += committed.len();
        kept.runs.push_back(Arc::clone(committed));
        let mut evicted = Vec::new();
        while kept.events > KEEP && kept.runs.len() > 1 {
            let dropped = kept.runs.pop_front().expect("more than one append kept");
            kept.events -= dropped.len();
            evicted.push(dropped);
        }
        evicted
    }

    /// True when `after + 1` lies past every event kept (or nothing is kept yet): a
    /// position this process has not committed, or not yet.
    pub(crate) fn is_ahead(&self, after: i64) -> bool {
        let kept = self.appends();
        let newest = kept.runs.back().and_then(|r| r.last()).map(|e| e.position);
        newest.is_none_or(|newest| after >= newest)
    }

    /// Up to `limit` events from `after + 1` on, if this process committed `after + 1`
    /// and still holds it: the contiguous run from there.
    pub(crate) fn after(&self, after: i64, limit: i64) -> Option<Vec<RecordedEvent>> {
        let limit = usize::try_from(limit).unwrap_or(0);
        // Under the lock only the shared runs are taken (a reference count each); the
        // events are copied after it is released, so a reader never holds up the writer
        // task, which pushes every commit here, for longer than that.
        let (runs, offset) = {
            let kept = self.appends();
            let start = kept
                .runs
                .partition_point(|r| r.last().is_none_or(|e| e.position <= after));
            let first = kept.runs.get(start)?;
            let offset = first.partition_point(|e| e.position <= after);
            if first.get(offset)?.position != after + 1 {
                return None;
            }
            let mut wanted = limit + offset;
            let mut runs = Vec::new();
            for run in kept.runs.range(start..) {
                if wanted == 0 {
                    break;
                }
                wanted = wanted.saturating_sub(run.len());
                runs.push(Arc::clone(run));
            }
            (runs, offset)
        };
        let run = runs
            .iter()
            .enumerate()
            .flat_map(|(i, r)| &r[if i == 0 { offset } else { 0 }..])
            .zip(after + 1..)
            .take_while(|(e, expected)| e.position == *expected)
            .take(limit)
            .map(|(e, _)| e.clone())
            .collect();
        Some(run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Metadata;
    use chrono::Utc;

    fn event(position: i64) -> RecordedEvent {
        RecordedEvent {
            position,
            stream_id: format!("task-{position}"),
            stream_type: "task".into(),
            stream_version: 1,
            event_id: uuid::Uuid::now_v7(),
            event_type: "A".into(),
            schema_version: 1,
            payload: serde_json::json!({}),
            metadata: Metadata::by("t"),
            recorded_at: Utc::now(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn run(positions: &[i64]) -> Arc<[RecordedEvent]> {
        positions.iter().copied().map(event).collect()
    }

    fn positions(run: Option<Vec<RecordedEvent>>) -> Option<Vec<i64>> {
        run.map(|r| r.iter().map(|e| e.position).collect())
    }

    #[test]
    fn serves_only_contiguous_runs_from_the_position_asked() {
        let recent = Recent::default();
        // 5 and 6 were written by another process.
        recent.push(&run(&[2, 3, 4]));
        recent.push(&run(&[7, 8]));
        assert_eq!(positions(recent.after(1, 10)), Some(vec![2, 3, 4]));
        assert_eq!(positions(recent.after(2, 1)), Some(vec![3]));
        assert_eq!(positions(recent.after(4, 10)), None, "5 is not here");
        assert_eq!(positions(recent.after(6, 10)), Some(vec![7, 8]));
        assert_eq!(positions(recent.after(0, 10)), None, "1 is not here");
        assert_eq!(positions(recent.after(8, 10)), None, "nothing newer");
    }

    #[test]
    fn keeps_the_newest_and_ignores_older_events() {
        let recent = Recent::default();
        let newest = KEEP as i64 + 10;
        let mut evicted = Vec::new();
        for p in 1..=newest {
            evicted.extend(recent.push(&run(&[p])));
        }
        let handed_back: Vec<i64> = evicted
            .iter()
            .flat_map(|r| r.iter())
            .map(|e| e.position)
            .collect();
        assert_eq!(
            handed_back,
            (1..=10).collect::<Vec<_>>(),
            "the oldest are handed back"
        );
        assert!(
            recent.push(&run(&[3])).is_empty(),
            "an older append evicts nothing"
        );
        assert_eq!(recent.after(0, 10).map(|r| r.len()), None, "1 was dropped");
        assert_eq!(
            positions(recent.after(newest - 2, 10)),
            Some(vec![newest - 1, newest])
        );
        assert_eq!(recent.appends().events, KEEP);
        let newest_kept = recent
            .appends()
            .runs
            .back()
            .and_then(|r| r.last())
            .map(|e| e.position);
        assert_eq!(newest_kept, Some(newest), "the older append was kept");
    }

    #[test]
    fn a_run_continues_across_appends_and_the_newest_append_is_kept_whole() {
        let recent = Recent::default();
        recent.push(&run(&[1, 2]));
        recent.push(&run(&[3, 4, 5]));
        assert_eq!(positions(recent.after(1, 3)), Some(vec![2, 3, 4]));
        let big: Vec<i64> = (6..=KEEP as i64 + 20).collect();
        assert_eq!(
            recent.push(&run(&big)).len(),
            2,
            "both older appends handed back"
        );
        assert_eq!(positions(recent.after(4, 1)), None, "older appends dropped");
        assert_eq!(positions(recent.after(5, 2)), Some(vec![6, 7]));
    }
}
