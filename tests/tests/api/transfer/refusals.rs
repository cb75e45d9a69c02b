//! Refusals: a non-empty target, a changed payload, a missing line, a broken chain found
//! after earlier batches were inserted — each refused with nothing written.

use duban::error::ServiceError;
use duban::transfer::import::import_events;
use duban_store::{EventStore, LogEntry, LogImport, StoreError};
use duban_tests::{Backend, backend_tests, fresh_db};

use super::{assert_clean, small_export};

fn lines(file: &[u8]) -> Vec<String> {
    String::from_utf8(file.to_vec())
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Asserts a store holds no events and no handled commands.
async fn assert_empty(store: &dyn EventStore) {
    assert_eq!(store.head().await.expect("head"), 0);
    assert!(store.read_all(0, 10).await.expect("read").is_empty());
    // An import begins only on a store with no events and no handled command ids.
    let import = store.begin_import().await;
    assert!(import.is_ok(), "not empty: {:?}", import.err());
}

backend_tests!(
    #[tokio::test]
    refuses_non_empty_stores_and_broken_files_writing_nothing
);
async fn refuses_non_empty_stores_and_broken_files_writing_nothing(backend: Backend) {
    let (source, file) = small_export().await;
    let rows = lines(&file);
    let head = source.event_count().await;
    assert!(rows.len() >= 6, "{} lines", rows.len());

    // The source itself is not empty.
    let refused = import_events(source.app.store.as_ref(), &file[..], &|_| {});
    let refused = refused.await.expect_err("non-empty source");
    assert!(refused.to_string().contains("not empty"), "{refused}");
    assert_eq!(source.event_count().await, head);
    assert_clean(source.app.store.as_ref()).await;

    // A payload changed in the middle of the file: the hash no longer matches.
    let victim = rows
        .iter()
        .position(|l| l.contains("传输测试局"))
        .expect("the department's event");
    assert!(
        victim > 0 && victim + 1 < rows.len(),
        "in the middle: {victim}"
    );
    let mut changed = rows.clone();
    changed[victim] = changed[victim].replacen("传输测试局", "篡改局", 1);
    let mut missing = rows.clone();
    missing.remove(2);
    let tampered = [
        (
            changed.join("\n"),
            victim as i64 + 1,
            "does not match its contents",
        ),
        (missing.join("\n"), 3, "position 3 is missing"),
    ];
    let Some(db) = fresh_db(backend).await else {
        return;
    };
    let store = duban_store::connect(&db.url()).await.expect("open");
    for (text, position, why) in &tampered {
        let err = import_events(store.as_ref(), text.as_bytes(), &|_| {})
            .await
            .expect_err("tampered file");
        let ServiceError::Store(StoreError::ImportRefused {
            position: at,
            detail,
        }) = &err
        else {
            panic!("unexpected error {err:?}");
        };
        assert_eq!((*at, detail.contains(why)), (*position, true), "{err}");
        assert_empty(store.as_ref()).await;
    }

    // Earlier batches already inserted are rolled back too.
    let entries: Vec<LogEntry> = changed
        .iter()
        .map(|l| serde_json::from_str(l).expect("entry"))
        .collect();
    let mut import = LogImport::begin(store.as_ref()).await.expect("begin");
    import
        .push(&entries[..victim])
        .await
        .expect("sound first batch");
    assert!(
        import.push(&entries[victim..]).await.is_err(),
        "tampered batch"
    );
    drop(import);
    assert_empty(store.as_ref()).await;

    // Once loaded, the copy is not empty any more: a second import is refused.
    let summary = import_events(store.as_ref(), &file[..], &|_| {})
        .await
        .expect("import");
    assert_eq!(summary.events, head);
    let again = LogImport::begin(store.as_ref()).await.err();
    assert!(
        matches!(again, Some(StoreError::NotEmpty { head: h, .. }) if h == head),
        "{backend:?}"
    );
    assert_eq!(store.head().await.expect("head"), head);
    assert_clean(store.as_ref()).await;
}
