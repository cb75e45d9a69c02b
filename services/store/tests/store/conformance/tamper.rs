//! Tampering with rows directly in SQL is caught by `verify`.

use duban_store::ExpectedVersion::Any;
use duban_store::{EventStore, IntegrityReport};
use serde_json::json;

use crate::support::{Raw, at, ev, exec, office, one};

/// Ten events over three streams, interleaved; the log verifies.
async fn ten_events(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    for i in 0..10 {
        let stream = format!("task-{}", i % 3);
        store
            .append(
                one(&stream, Any, vec![ev("ProgressReported", json!({"i": i}))]),
                &office(),
                t,
            )
            .await
            .unwrap();
    }
    let report = store.verify().await.unwrap();
    assert!(report.ok && report.events_checked == 10, "{report:?}");
}

fn assert_broken_at(report: &IntegrityReport, position: i64) {
    assert!(!report.ok, "{report:?}");
    assert_eq!(report.first_broken_position, Some(position), "{report:?}");
    assert!(report.detail.is_some());
}

/// An edited payload breaks that row's hash.
pub async fn verify_detects_a_changed_row(store: &(impl EventStore + Raw)) {
    ten_events(store).await;
    exec(
        &store.raw(),
        r#"UPDATE events SET payload = '{"i": 99}' WHERE position = 5"#,
    )
    .await;
    let report = store.verify().await.unwrap();
    assert_broken_at(&report, 5);
    assert_eq!(report.events_checked, 5);
}

/// A deleted middle row leaves a gap at its position.
pub async fn verify_detects_a_deleted_row(store: &(impl EventStore + Raw)) {
    ten_events(store).await;
    exec(&store.raw(), "DELETE FROM events WHERE position = 4").await;
    assert_broken_at(&store.verify().await.unwrap(), 4);
}

/// Deleting the last row leaves the head beyond the last row.
pub async fn verify_detects_a_deleted_last_row(store: &(impl EventStore + Raw)) {
    ten_events(store).await;
    // Position 10 is the last event of task-0 and of the log; only the head (event_head,
    // moved in every appending transaction) still says there were ten.
    exec(&store.raw(), "DELETE FROM events WHERE position = 10").await;
    let report = store.verify().await.unwrap();
    assert_broken_at(&report, 10);
    assert_eq!(report.events_checked, 9);
}

/// Swaps the positions of two rows.
async fn swap(store: &impl Raw, a: i64, b: i64) {
    exec(
        &store.raw(),
        &format!(
            "UPDATE events SET position = 1000 WHERE position = {a}; \
             UPDATE events SET position = {a} WHERE position = {b}; \
             UPDATE events SET position = {b} WHERE position = 1000;"
        ),
    )
    .await;
}

/// Swapped positions break the chain at the lower position, even when only the
/// position inside each hash reveals it.
pub async fn verify_detects_swapped_positions(store: &(impl EventStore + Raw)) {
    ten_events(store).await;
    // Streams by position: 1 task-0, 2 task-1, 3 task-2, 4 task-0, 5 task-1, 6 task-2,
    // 7 task-0, ... Positions 3 and 7 belong to different streams.
    swap(store, 3, 7).await;
    assert_broken_at(&store.verify().await.unwrap(), 3);
    swap(store, 3, 7).await;
    assert!(
        store.verify().await.unwrap().ok,
        "swapping back repairs the log"
    );
    // 3 (task-2 v1) and 4 (task-0 v2) are adjacent: after the swap every stream still
    // runs v1, v2, ... with intact prev_hash links, so only the position each hash
    // covers betrays the reordering.
    swap(store, 3, 4).await;
    let report = store.verify().await.unwrap();
    assert_broken_at(&report, 3);
    let detail = report.detail.as_deref().unwrap_or_default();
    assert!(detail.contains("does not match its contents"), "{report:?}");
    swap(store, 3, 4).await;
    assert!(store.verify().await.unwrap().ok);
    // 2 and 5 belong to the same stream (task-1).
    swap(store, 2, 5).await;
    assert_broken_at(&store.verify().await.unwrap(), 2);
}
