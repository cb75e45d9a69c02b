//! The lean read a projection rebuild uses: the same events as `read_all`, paged the
//! same way, with payload and metadata as their stored JSON text.

use duban_store::ExpectedVersion::Any;
use duban_store::{EventStore, Metadata, StreamBound};
use serde_json::{Value, json};

use crate::support::{at, ev, office, part};

/// `read_all_lean` gives every event `read_all` gives, field for field, in the same pages.
pub async fn read_all_lean_matches_read_all(store: &dyn EventStore) {
    let department = Metadata {
        role: Some("DEPARTMENT".into()),
        department_id: Some("0190a1b2-0000-7000-8000-000000000001".into()),
        command_id: Some("cmd-1".into()),
        correlation_id: Some(uuid::Uuid::now_v7()),
        ..Metadata::by("学校\t\"甲\"")
    };
    for i in 0..23 {
        let meta = if i % 2 == 0 {
            office()
        } else {
            department.clone()
        };
        let meta = Metadata {
            command_id: meta.command_id.as_ref().map(|c| format!("{c}-{i}")),
            ..meta
        };
        let mut old = ev("TaskAssigned", json!({ "lead": "x", "due": "2025-06-30" }));
        old.schema_version = 1;
        let batch = vec![
            part(
                &format!("task-{}", i % 4),
                Any,
                vec![
                    ev(
                        "ProgressReported",
                        json!({ "i": i, "note": "完成\n\"选址\" \\ 用地", "evidence": [] }),
                    ),
                    old,
                ],
            ),
            part(
                &format!("plan-{}", i % 3),
                Any,
                vec![ev("PlanDrafted", json!({}))],
            ),
        ];
        store
            .append(batch, &meta, at("2024-05-01T08:00:00.123456Z"))
            .await
            .unwrap();
    }
    let head = store.head().await.unwrap();
    assert_eq!(head, 69);
    let mut after = 0;
    let mut sizes = Vec::new();
    loop {
        let full = store.read_all(after, 20).await.unwrap();
        let lean = store.read_all_lean(after, 20).await.unwrap();
        assert_eq!(lean.len(), full.len());
        if lean.is_empty() {
            break;
        }
        for (lean, full) in lean.iter().zip(&full) {
            assert_eq!(lean.position, full.position);
            assert_eq!(lean.stream_id, full.stream_id);
            assert_eq!(lean.event_type, full.event_type);
            assert_eq!(lean.schema_version, full.schema_version);
            assert_eq!(lean.recorded_at, full.recorded_at);
            let payload: Value = serde_json::from_str(lean.payload).unwrap();
            assert_eq!(payload, full.payload);
            let metadata: Metadata = serde_json::from_str(lean.metadata).unwrap();
            assert_eq!(metadata, full.metadata);
        }
        after = lean.last_position().unwrap();
        sizes.push(lean.len());
    }
    assert_eq!(sizes, [20, 20, 20, 9]);
    assert!(store.read_all_lean(0, 0).await.unwrap().is_empty());
    assert!(store.read_all_lean(head, 10).await.unwrap().is_empty());
    let tail = store.read_all_lean(head - 2, 10).await.unwrap();
    assert_eq!(
        tail.iter().map(|e| e.position).collect::<Vec<_>>(),
        [head - 1, head]
    );
    // The stored text reads back as the stream read gives it.
    let stream = store.read_stream("task-1", StreamBound::All).await.unwrap();
    let first = store
        .read_all_lean(stream[0].position - 1, 1)
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(first.iter().next().unwrap().payload).unwrap(),
        stream[0].payload
    );
}
