//! Reads: global order and paging, stream bounds, notifications, canonical payloads.

use std::time::Duration;

use chrono::TimeDelta;
use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::{EventStore, StreamBound};
use serde_json::json;

use crate::support::{at, ev, office, one};

/// `read_all` pages through the log in position order, without gaps or repeats.
pub async fn read_all_is_ordered_and_paged(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    for i in 0..25 {
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
    let mut after = 0;
    let mut sizes = Vec::new();
    loop {
        let page = store.read_all(after, 10).await.unwrap();
        if page.is_empty() {
            break;
        }
        for e in &page {
            assert_eq!(e.position, after + 1);
            after = e.position;
        }
        sizes.push(page.len());
    }
    assert_eq!(sizes, [10, 10, 5]);
    assert_eq!(
        store
            .read_all(3, 2)
            .await
            .unwrap()
            .iter()
            .map(|e| e.position)
            .collect::<Vec<_>>(),
        [4, 5]
    );
    assert!(store.read_all(25, 10).await.unwrap().is_empty());
    assert!(store.read_all(0, 0).await.unwrap().is_empty());
    assert_eq!(store.head().await.unwrap(), 25);
}

/// `read_stream` up to a stream version returns that prefix of the stream only.
pub async fn read_stream_by_version(store: &dyn EventStore) {
    let t = at("2024-01-01T00:00:00Z");
    for i in 0..5 {
        store
            .append(
                one(
                    "task-a",
                    Exact(i),
                    vec![ev("ProgressReported", json!({"i": i}))],
                ),
                &office(),
                t,
            )
            .await
            .unwrap();
        store
            .append(
                one(
                    "task-b",
                    Exact(i),
                    vec![ev("ProgressReported", json!({"i": i}))],
                ),
                &office(),
                t,
            )
            .await
            .unwrap();
    }
    let versions = |events: Vec<duban_store::RecordedEvent>| {
        events.iter().map(|e| e.stream_version).collect::<Vec<_>>()
    };
    assert_eq!(
        versions(
            store
                .read_stream("task-a", StreamBound::Version(3))
                .await
                .unwrap()
        ),
        [1, 2, 3]
    );
    assert!(
        store
            .read_stream("task-a", StreamBound::Version(0))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        versions(
            store
                .read_stream("task-a", StreamBound::Version(99))
                .await
                .unwrap()
        ),
        [1, 2, 3, 4, 5]
    );
    let all = store.read_stream("task-b", StreamBound::All).await.unwrap();
    assert!(all.iter().all(|e| e.stream_id == "task-b"));
    assert_eq!(versions(all), [1, 2, 3, 4, 5]);
}

/// `read_stream` up to an instant includes events recorded at or before it.
pub async fn read_stream_by_time(store: &dyn EventStore) {
    let times = [
        at("2023-06-30T15:59:59.999999Z"),
        at("2024-07-01T00:00:00Z"),
        at("2025-12-31T23:59:59.5Z"),
    ];
    for (i, t) in times.iter().enumerate() {
        let expected = i64::try_from(i).unwrap();
        store
            .append(
                one(
                    "task-a",
                    Exact(expected),
                    vec![ev("ProgressReported", json!({"i": i}))],
                ),
                &office(),
                *t,
            )
            .await
            .unwrap();
    }
    let count = |bound| async move { store.read_stream("task-a", bound).await.unwrap().len() };
    assert_eq!(
        count(StreamBound::Time(times[0] - TimeDelta::microseconds(1))).await,
        0
    );
    assert_eq!(count(StreamBound::Time(times[0])).await, 1);
    assert_eq!(
        count(StreamBound::Time(times[1] - TimeDelta::nanoseconds(1))).await,
        1
    );
    assert_eq!(count(StreamBound::Time(times[1])).await, 2);
    assert_eq!(
        count(StreamBound::Time(times[2] + TimeDelta::nanoseconds(999))).await,
        3
    );
    let as_of = store
        .read_stream("task-a", StreamBound::Time(at("2025-01-01T00:00:00+08:00")))
        .await
        .unwrap();
    assert_eq!(as_of.last().unwrap().recorded_at, times[1]);
}

/// A subscriber sees the new head after a commit, and nothing after a failed append.
pub async fn notifies_on_commit(store: &dyn EventStore) {
    let mut rx = store.subscribe();
    assert_eq!(*rx.borrow_and_update(), 0);
    let t = at("2024-01-01T00:00:00Z");
    store
        .append(
            one(
                "task-a",
                Any,
                vec![ev("A", json!({})), ev("B", json!({})), ev("C", json!({}))],
            ),
            &office(),
            t,
        )
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(5), rx.changed())
        .await
        .expect("notified within 5 s")
        .expect("store alive");
    assert_eq!(*rx.borrow_and_update(), 3);
    // A failed append does not notify.
    let _ = store
        .append(
            one("task-a", Exact(0), vec![ev("D", json!({}))]),
            &office(),
            t,
        )
        .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(200), rx.changed())
            .await
            .is_err()
    );
    assert_eq!(*store.subscribe().borrow(), 3);
}

/// Awkward JSON payloads come back equal and still verify.
pub async fn payloads_round_trip_canonically(store: &dyn EventStore) {
    let payload = json!({
        "z": [1, 2.5, -0.0, 1e300, 0.1, "中文 \u{1} \"quoted\" \\ /", null, {"b": true, "a": false}],
        "a": {"nested": {"deep": 12_345_678_901_234_i64}},
        "emoji": "👍",
        "big": u64::MAX,
        "small": i64::MIN,
        "": "empty key"
    });
    let t = at("2024-01-01T00:00:00Z");
    store
        .append(
            one("task-a", Any, vec![ev("Odd", payload.clone())]),
            &office(),
            t,
        )
        .await
        .unwrap();
    let read = store.read_all(0, 1).await.unwrap();
    assert_eq!(read[0].payload, payload);
    let report = store.verify().await.unwrap();
    assert!(report.ok, "{report:?}");
}
