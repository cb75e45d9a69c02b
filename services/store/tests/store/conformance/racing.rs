//! Appends racing each other on one store: one command id or one expected version,
//! many concurrent callers.

use duban_store::ExpectedVersion::Exact;
use duban_store::{EventStore, StoreError, StreamBound};
use futures::future::join_all;
use serde_json::json;

use crate::support::{at, ev, office, one};

/// Concurrent appends under one command id: one writes, all return its events.
pub async fn racing_duplicate_commands_write_once(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    let meta = office().with_command_id("cmd-race");
    let attempts = (0..8).map(|i| {
        let batch = one(
            &format!("task-{i}"),
            Exact(0),
            vec![ev("TaskDefined", json!({"i": i}))],
        );
        store.append(batch, &meta, t)
    });
    let results: Vec<_> = join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let first: Vec<_> = results.iter().filter(|r| !r.duplicate).collect();
    assert_eq!(first.len(), 1, "exactly one append wins");
    assert!(results.iter().all(|r| r.events == first[0].events));
    assert_eq!(store.head().await.unwrap(), 1);
}

/// Concurrent appends expecting the same stream version: exactly one wins.
pub async fn racing_expected_versions_let_one_win(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    store
        .append(
            one("task-a", Exact(0), vec![ev("TaskDefined", json!({}))]),
            &office(),
            t,
        )
        .await
        .unwrap();
    let attempts = (0..8).map(|i| {
        let batch = one(
            "task-a",
            Exact(1),
            vec![ev("ProgressReported", json!({"i": i}))],
        );
        async move { store.append(batch, &office(), t).await }
    });
    let results = join_all(attempts).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    let lost = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(StoreError::VersionConflict {
                    expected: 1,
                    actual: 2,
                    ..
                })
            )
        })
        .count();
    assert_eq!((won, lost), (1, 7));
    let stream = store.read_stream("task-a", StreamBound::All).await.unwrap();
    assert_eq!(stream.len(), 2);
    assert_eq!(store.head().await.unwrap(), 2);
}
