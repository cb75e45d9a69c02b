//! Idempotent commands: a repeated command id is answered with the first append's events
//! and writes nothing.

use duban_store::EventStore;
use duban_store::ExpectedVersion::Exact;
use duban_store::StreamBound;
use serde_json::json;

use crate::support::{at, ev, office, one, part};

/// A repeated command id returns the first append's events (`duplicate`) and writes
/// nothing, whatever the repeat asks for.
pub async fn duplicate_command_returns_first_result(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    let meta = office().with_command_id("cmd-1");
    let batch = vec![
        part("task-a", Exact(0), vec![ev("TaskDefined", json!({"n": 1}))]),
        part("task-b", Exact(0), vec![ev("TaskDefined", json!({"n": 2}))]),
    ];
    let first = store.append(batch.clone(), &meta, t).await.unwrap();
    assert!(!first.duplicate);
    assert_eq!(first.events.len(), 2);
    // Same command id, other content and a now-stale version: answered with the first result.
    let later = at("2024-02-01T00:00:00Z");
    let repeat = store
        .append(
            one("task-c", Exact(0), vec![ev("Other", json!({}))]),
            &meta,
            later,
        )
        .await
        .unwrap();
    assert!(repeat.duplicate);
    assert_eq!(repeat.events, first.events);
    let stale = store.append(batch, &meta, later).await.unwrap();
    assert!(stale.duplicate);
    assert_eq!(stale.events, first.events);
    assert_eq!(store.head().await.unwrap(), 2);
    assert!(
        store
            .read_stream("task-c", StreamBound::All)
            .await
            .unwrap()
            .is_empty()
    );

    let other = store
        .append(
            one("task-c", Exact(0), vec![ev("Other", json!({}))]),
            &office().with_command_id("cmd-2"),
            t,
        )
        .await
        .unwrap();
    assert!(!other.duplicate);
    assert_eq!(other.events[0].position, 3);

    // A command that records nothing is still remembered.
    let empty = office().with_command_id("cmd-3");
    let none = store.append(Vec::new(), &empty, t).await.unwrap();
    assert!(!none.duplicate && none.events.is_empty());
    let none_again = store.append(Vec::new(), &empty, t).await.unwrap();
    assert!(none_again.duplicate && none_again.events.is_empty());
    assert_eq!(store.head().await.unwrap(), 3);
}
