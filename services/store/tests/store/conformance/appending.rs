//! Appends: positions and versions, stale expected versions, multi-stream atomicity.

use duban_store::ExpectedVersion::{Any, Exact};
use duban_store::{EventStore, Metadata, StoreError, StreamAppend, StreamBound};
use serde_json::json;
use uuid::Uuid;

use crate::support::{at, ev, office, one};

/// Appended events get positions and versions 1, 2, ..., UUID v7 ids, the given metadata
/// and time (to the microsecond), and read back unchanged.
pub async fn append_and_read(store: &dyn EventStore) {
    assert_eq!(store.head().await.unwrap(), 0);
    let meta = Metadata {
        actor: "office-1".into(),
        role: Some("OFFICE".into()),
        department_id: Some("department-edu".into()),
        command_id: None,
        correlation_id: Some(Uuid::now_v7()),
        causation_id: Some(Uuid::now_v7()),
    };
    let t = at("2024-03-01T08:00:00.123456789Z");
    let out = store
        .append(
            one(
                "task-a",
                Exact(0),
                vec![
                    ev(
                        "RectificationRaised",
                        json!({"finding": "音乐教室 72 ㎡", "standard": 96}),
                    ),
                    ev("TaskAssigned", json!({"lead": "department-edu"})),
                ],
            ),
            &meta,
            t,
        )
        .await
        .unwrap();
    assert!(!out.duplicate);
    let positions: Vec<i64> = out.events.iter().map(|e| e.position).collect();
    let versions: Vec<i64> = out.events.iter().map(|e| e.stream_version).collect();
    assert_eq!(positions, [1, 2]);
    assert_eq!(versions, [1, 2]);
    for e in out.events.iter() {
        assert_eq!(e.event_id.get_version_num(), 7, "event ids are UUID v7");
        assert_eq!(
            e.recorded_at,
            at("2024-03-01T08:00:00.123456Z"),
            "microseconds kept"
        );
        assert_eq!(e.metadata, meta);
        assert_eq!(e.stream_type, "task");
        assert_eq!(e.schema_version, 1);
    }
    assert_ne!(out.events[0].event_id, out.events[1].event_id);
    assert_eq!(
        store.read_stream("task-a", StreamBound::All).await.unwrap(),
        out.events.to_vec()
    );
    assert_eq!(store.read_all(0, 100).await.unwrap(), out.events.to_vec());
    assert_eq!(store.head().await.unwrap(), 2);

    let next = store
        .append(
            one(
                "task-a",
                Exact(2),
                vec![ev("ProgressReported", json!({"percent": 40}))],
            ),
            &meta,
            t,
        )
        .await
        .unwrap();
    assert_eq!(
        (next.events[0].position, next.events[0].stream_version),
        (3, 3)
    );
    assert!(
        store
            .read_stream("task-none", StreamBound::All)
            .await
            .unwrap()
            .is_empty()
    );
    store.ping().await.unwrap();
}

/// A stale expected version fails with the actual version and leaves the log and the
/// head unchanged, without a gap.
pub async fn version_conflict_writes_nothing(store: &dyn EventStore) {
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
    let conflict = |result: Result<_, StoreError>| match result {
        Err(StoreError::VersionConflict {
            stream,
            expected,
            actual,
        }) => (stream, expected, actual),
        other => panic!("expected a version conflict, got {other:?}"),
    };
    let again = store
        .append(
            one("task-a", Exact(0), vec![ev("TaskDefined", json!({}))]),
            &meta,
            t,
        )
        .await;
    assert_eq!(conflict(again), ("task-a".into(), 0, 1));
    let ahead = store
        .append(
            one("task-a", Exact(3), vec![ev("TaskAssigned", json!({}))]),
            &meta,
            t,
        )
        .await;
    assert_eq!(conflict(ahead), ("task-a".into(), 3, 1));
    let missing = store
        .append(
            one("task-b", Exact(2), vec![ev("TaskAssigned", json!({}))]),
            &meta,
            t,
        )
        .await;
    assert_eq!(conflict(missing), ("task-b".into(), 2, 0));
    assert_eq!(store.head().await.unwrap(), 1);
    assert_eq!(store.read_all(0, 10).await.unwrap().len(), 1);
    assert!(
        store
            .read_stream("task-b", StreamBound::All)
            .await
            .unwrap()
            .is_empty()
    );
    let next = store
        .append(
            one("task-b", Any, vec![ev("TaskDefined", json!({}))]),
            &meta,
            t,
        )
        .await
        .unwrap();
    assert_eq!(
        next.events[0].position, 2,
        "rolled-back appends leave no gap"
    );
}

/// One append over several streams gets consecutive positions; one stale stream fails
/// all of it.
pub async fn multi_stream_append_is_atomic(store: &dyn EventStore) {
    let t = at("2024-05-01T09:00:00Z");
    let import = office().with_command_id("import-plan-1");
    let batch = vec![
        StreamAppend::new(
            "plan-1",
            "plan",
            Exact(0),
            vec![ev("PlanDefined", json!({"title": "规划"}))],
        ),
        StreamAppend::new(
            "department-1",
            "department",
            Exact(0),
            vec![
                ev("DepartmentRegistered", json!({"name": "财政局"})),
                ev("DepartmentRenamed", json!({})),
            ],
        ),
        StreamAppend::new(
            "measure-1",
            "measure",
            Exact(0),
            vec![ev("MeasureDefined", json!({"code": "三(二)5"}))],
        ),
    ];
    let out = store.append(batch, &import, t).await.unwrap();
    let got: Vec<(i64, &str, i64)> = out
        .events
        .iter()
        .map(|e| (e.position, e.stream_id.as_str(), e.stream_version))
        .collect();
    assert_eq!(
        got,
        [
            (1, "plan-1", 1),
            (2, "department-1", 1),
            (3, "department-1", 2),
            (4, "measure-1", 1)
        ]
    );

    // One stale stream fails everything: the new stream is not created either.
    let failing = vec![
        StreamAppend::new(
            "measure-2",
            "measure",
            Exact(0),
            vec![ev("MeasureDefined", json!({}))],
        ),
        StreamAppend::new(
            "plan-1",
            "plan",
            Exact(0),
            vec![ev("PlanDefined", json!({}))],
        ),
    ];
    let err = store.append(failing, &office(), t).await.unwrap_err();
    assert!(
        matches!(err, StoreError::VersionConflict { ref stream, .. } if stream == "plan-1"),
        "{err}"
    );
    assert!(
        store
            .read_stream("measure-2", StreamBound::All)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.head().await.unwrap(), 4);

    let repeat = store.append(Vec::new(), &import, t).await.unwrap();
    assert!(repeat.duplicate);
    assert_eq!(repeat.events, out.events);
}
