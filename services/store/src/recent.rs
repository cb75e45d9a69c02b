//! The events this process committed last, kept in memory, so that tailing the log right
//! behind one's own writes (the read models after every command) needs no query.
//!
//! Only committed events go in, in position order (the writer task adds them after each
//! commit). A read is served from here only for a contiguous run that starts exactly at
//! the position asked for; a gap (another process wrote in between) or an older
//! position sends the reader to the database. Since positions are handed out in commit
//! order, everything such a run holds is exactly what the database would return.

use std::collections::VecDeque;
use std::sync::Mutex;

use crate::event::RecordedEvent;

/// How many events are kept.
const KEEP: usize = 4096;

/// The last committed events of this process.
#[derive(Debug, Default)]
pub(crate) struct Recent {
    events: Mutex<VecDeque<RecordedEvent>>,
}

impl Recent {
    fn events(&self) -> std::sync::MutexGuard<'_, VecDeque<RecordedEvent>> {
        self.events.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Remembers events just committed (ignoring any not after the newest kept).
    pub(crate) fn push(&self, committed: &[RecordedEvent]) {
        let mut events = self.events();
        for e in committed {
            if events
                .back()
                .is_some_and(|last| last.position >= e.position)
            {
                continue;
            }
            events.push_back(e.clone());
        }
        while events.len() > KEEP {
            events.pop_front();
        }
    }

    /// Up to `limit` events from `after + 1` on, if this process committed `after + 1`
    /// and still holds it: the contiguous run from there.
    pub(crate) fn after(&self, after: i64, limit: i64) -> Option<Vec<RecordedEvent>> {
        let events = self.events();
        let start = events.partition_point(|e| e.position <= after);
        if events.get(start)?.position != after + 1 {
            return None;
        }
        let limit = usize::try_from(limit).unwrap_or(0);
        let run = events
            .range(start..)
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

    fn positions(run: Option<Vec<RecordedEvent>>) -> Option<Vec<i64>> {
        run.map(|r| r.iter().map(|e| e.position).collect())
    }

    #[test]
    fn serves_only_contiguous_runs_from_the_position_asked() {
        let recent = Recent::default();
        // 5 and 6 were written by another process.
        recent.push(&[event(2), event(3), event(4)]);
        recent.push(&[event(7), event(8)]);
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
        let many: Vec<_> = (1..=KEEP as i64 + 10).map(event).collect();
        recent.push(&many);
        recent.push(&[event(3)]);
        assert_eq!(recent.after(0, 10).map(|r| r.len()), None, "1 was dropped");
        let newest = KEEP as i64 + 10;
        assert_eq!(
            positions(recent.after(newest - 2, 10)),
            Some(vec![newest - 1, newest])
        );
    }
}
