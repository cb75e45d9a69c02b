//! Checks over the whole event log, read straight from the store (a second connection,
//! independent of any server): which command ids were recorded, in how many appends.

use std::collections::{BTreeMap, BTreeSet};

use duban_store::{EventStore, RecordedEvent};

/// Every event of the log, oldest first.
pub async fn whole_log(store: &dyn EventStore) -> Vec<RecordedEvent> {
    let mut log: Vec<RecordedEvent> = Vec::new();
    loop {
        let after = log.last().map_or(0, |e| e.position);
        let page = store.read_all(after, 1000).await.expect("read the log");
        if page.is_empty() {
            return log;
        }
        log.extend(page);
    }
}

/// What the log holds for one command id.
#[derive(Debug, Default, Clone)]
pub struct CommandRecord {
    /// How many events carry the command id.
    pub events: usize,
    /// The distinct correlation ids among them: one per append that recorded the command.
    pub appends: BTreeSet<String>,
    /// The event types recorded.
    pub types: Vec<String>,
}

/// Every command id in the log with what was recorded under it.
pub fn commands(log: &[RecordedEvent]) -> BTreeMap<String, CommandRecord> {
    let mut out: BTreeMap<String, CommandRecord> = BTreeMap::new();
    for event in log {
        let Some(id) = &event.metadata.command_id else {
            continue;
        };
        let record = out.entry(id.clone()).or_default();
        record.events += 1;
        record.types.push(event.event_type.clone());
        record.appends.insert(
            event
                .metadata
                .correlation_id
                .map_or_else(|| format!("at {}", event.recorded_at), |c| c.to_string()),
        );
    }
    out
}

/// Asserts that every command id of the log was recorded by exactly one append, and
/// that every id in `acknowledged` is among them with exactly `events_each` events.
/// Returns the number of command ids in the log.
pub fn assert_recorded_once(
    log: &[RecordedEvent],
    acknowledged: &[String],
    events_each: usize,
) -> usize {
    let recorded = commands(log);
    for (id, record) in &recorded {
        assert_eq!(
            record.appends.len(),
            1,
            "command {id} was recorded by {} appends: {record:?}",
            record.appends.len()
        );
    }
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !recorded.contains_key(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged command(s) are not in the log, e.g. {:?}",
        missing.len(),
        missing.iter().take(5).collect::<Vec<_>>()
    );
    for id in acknowledged {
        assert_eq!(recorded[id].events, events_each, "command {id}");
    }
    recorded.len()
}
