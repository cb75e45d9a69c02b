//! Tampering with rows directly in SQL is caught by `verify`.

use duban_store::ExpectedVersion::Any;
use duban_store::{EventStore, IntegrityReport};
use serde_json::json;

use crate::support::{at, ev, exec, office, one};

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

pub async fn verify_detects_a_changed_row(store: &dyn EventStore) {
    ten_events(store).await;
    exec(
        &store.db(),
        r#"UPDATE events SET payload = '{"i": 99}' WHERE position = 5"#,
    )
    .await;
    let report = store.verify().await.unwrap();
    assert_broken_at(&report, 5);
    assert_eq!(report.events_checked, 5);
}

pub async fn verify_detects_a_deleted_row(store: &dyn EventStore) {
    ten_events(store).await;
    exec(&store.db(), "DELETE FROM events WHERE position = 4").await;
    assert_broken_at(&store.verify().await.unwrap(), 4);
}

pub async fn verify_detects_a_deleted_last_row(store: &dyn EventStore) {
    ten_events(store).await;
    exec(&store.db(), "DELETE FROM events WHERE position = 10").await;
    assert_broken_at(&store.verify().await.unwrap(), 10);
}

pub async fn verify_detects_swapped_positions(store: &dyn EventStore) {
    ten_events(store).await;
    // Positions 3 and 7 belong to different streams; 2 and 5 to the same one (task-1).
    exec(
        &store.db(),
        "UPDATE events SET position = 1000 WHERE position = 3; \
         UPDATE events SET position = 3 WHERE position = 7; \
         UPDATE events SET position = 7 WHERE position = 1000;",
    )
    .await;
    assert_broken_at(&store.verify().await.unwrap(), 3);
    exec(
        &store.db(),
        "UPDATE events SET position = 1000 WHERE position = 3; \
         UPDATE events SET position = 3 WHERE position = 7; \
         UPDATE events SET position = 7 WHERE position = 1000;",
    )
    .await;
    assert!(
        store.verify().await.unwrap().ok,
        "swapping back repairs the log"
    );
    exec(
        &store.db(),
        "UPDATE events SET position = 1000 WHERE position = 2; \
         UPDATE events SET position = 2 WHERE position = 5; \
         UPDATE events SET position = 5 WHERE position = 1000;",
    )
    .await;
    assert_broken_at(&store.verify().await.unwrap(), 2);
}
