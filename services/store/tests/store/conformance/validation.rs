//! Malformed appends (unnamed or repeated streams, a changed stream type) are refused,
//! and an event-less stream part only asserts its version.

use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::{EventStore, StoreError, StreamAppend};
use serde_json::json;

use crate::support::{at, ev, office, one, part};

/// Malformed appends are refused; an empty stream part checks its version only.
pub async fn invalid_appends_are_refused(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    let meta = office();
    store
        .append(
            one("task-a", Exact(0), vec![ev("TaskDefined", json!({}))]),
            &meta,
            t,
        )
        .await
        .unwrap();
    let mismatch = store
        .append(
            vec![StreamAppend::new(
                "task-a",
                "plan",
                Any,
                vec![ev("PlanDefined", json!({}))],
            )],
            &meta,
            t,
        )
        .await;
    assert!(
        matches!(mismatch, Err(StoreError::StreamTypeMismatch { .. })),
        "{mismatch:?}"
    );
    let twice = store
        .append(
            vec![
                part("task-b", Any, vec![ev("A", json!({}))]),
                part("task-b", Any, vec![ev("B", json!({}))]),
            ],
            &meta,
            t,
        )
        .await;
    assert!(
        matches!(twice, Err(StoreError::InvalidAppend(_))),
        "{twice:?}"
    );
    let unnamed = store
        .append(one("", Any, vec![ev("A", json!({}))]), &meta, t)
        .await;
    assert!(
        matches!(unnamed, Err(StoreError::InvalidAppend(_))),
        "{unnamed:?}"
    );

    // A stream with no events asserts its version without writing to it.
    let guarded = vec![
        part("task-a", Exact(1), Vec::new()),
        part("task-b", Exact(0), vec![ev("TaskDefined", json!({}))]),
    ];
    let ok = store.append(guarded, &meta, t).await.unwrap();
    assert_eq!(ok.events.len(), 1);
    let stale = vec![
        part("task-a", Exact(5), Vec::new()),
        part("task-c", Exact(0), vec![ev("TaskDefined", json!({}))]),
    ];
    assert!(matches!(
        store.append(stale, &meta, t).await,
        Err(StoreError::VersionConflict {
            expected: 5,
            actual: 1,
            ..
        })
    ));
    assert_eq!(store.head().await.unwrap(), 2);
}
