//! The round trip SQLite → PostgreSQL → SQLite: identical exports, events, answers.

use serde_json::{Value, json};

use duban::transfer::import::import_and_rebuild;
use duban::{App, Clock};
use duban_store::StreamBound;
use duban_tests::{Backend, DbGuard, TestApp, fresh_db, spawn_app, spawn_app_on, test_now};

use super::{BOARD, LEDGER, PROGRESS, RECTIFY, TASK, assert_clean, export};

/// The demo data set plus a few GraphQL commands; returns a task id to query and the
/// plan the rectification item was raised on.
async fn build_history(app: &TestApp) -> (String, String) {
    duban::demo::load(&app.app).await.expect("load the demo");
    let w = app.assigned_task("传输测试局").await;
    app.ok(&w.token, PROGRESS, json!({ "t": w.task_id })).await;
    app.ok(&app.office, RECTIFY, json!({ "p": w.plan_id }))
        .await;
    (w.task_id, w.plan_id)
}

/// Imports `file` into the (fresh) database and rebuilds its read models.
async fn import_into(db: &DbGuard, file: &[u8]) {
    let app = App::open(&db.url(), Clock::fixed(test_now()))
        .await
        .expect("open the target");
    let (summary, position) = import_and_rebuild(&app, file, &|_| {}, &|_, _| {})
        .await
        .expect("import");
    assert_eq!(position, summary.events, "read models rebuilt to the head");
}

/// The read models' answers a client sees.
async fn answers(app: &TestApp, task: &str) -> Vec<Value> {
    vec![
        app.ok(&app.office, BOARD, json!({})).await,
        app.ok(&app.office, LEDGER, json!({})).await,
        app.ok(&app.office, TASK, json!({ "t": task })).await,
    ]
}

#[tokio::test]
async fn round_trip_through_postgres_keeps_every_event_and_answer() {
    let source = spawn_app(Backend::Sqlite).await.expect("sqlite");
    let (task, plan) = build_history(&source).await;
    let first = export(source.app.store.as_ref()).await;
    let head = source.event_count().await;
    assert!(head > 50, "a realistic history: {head} events");
    assert_eq!(first.iter().filter(|b| **b == b'\n').count() as i64, head);
    assert_clean(source.app.store.as_ref()).await;

    let (middle_backend, middle_db) = match fresh_db(Backend::Postgres).await {
        Some(db) => (Backend::Postgres, db),
        None => (
            Backend::Sqlite,
            fresh_db(Backend::Sqlite).await.expect("sqlite"),
        ),
    };
    import_into(&middle_db, &first).await;
    let middle = spawn_app_on(middle_backend, middle_db, Clock::fixed(test_now())).await;
    let second = export(middle.app.store.as_ref()).await;

    let last_db = fresh_db(Backend::Sqlite).await.expect("sqlite");
    import_into(&last_db, &second).await;
    let last = spawn_app_on(Backend::Sqlite, last_db, Clock::fixed(test_now())).await;
    let third = export(last.app.store.as_ref()).await;

    assert_eq!(
        second, first,
        "the export after the first import is identical"
    );
    assert_eq!(
        third, first,
        "the export after the second import is identical"
    );
    let expected = source.app.store.read_all(0, i64::MAX).await.expect("read");
    let expected_raw = source
        .app
        .store
        .read_log(0, head, i64::MAX)
        .await
        .expect("raw");
    for copy in [&middle, &last] {
        let store = copy.app.store.as_ref();
        assert_eq!(store.head().await.expect("head"), head);
        assert_eq!(store.read_all(0, i64::MAX).await.expect("read"), expected);
        let raw = store.read_log(0, head, i64::MAX).await.expect("raw");
        assert_eq!(raw, expected_raw, "raw rows incl. metadata and hashes");
        assert_clean(store).await;
    }

    let want = answers(&source, &task).await;
    assert!(
        !want[0]["board"]["rows"]
            .as_array()
            .expect("rows")
            .is_empty()
    );
    assert!(want[1]["rectificationLedger"]["totalCount"].as_i64() > Some(1));
    assert_eq!(
        answers(&middle, &task).await,
        want,
        "{middle_backend:?} copy"
    );
    assert_eq!(answers(&last, &task).await, want, "final SQLite copy");

    for copy in [&middle, &last] {
        // A handled command id is still recognised: nothing new is recorded.
        let again = copy.ok(&copy.office, RECTIFY, json!({ "p": plan })).await;
        let original = source
            .ok(&source.office, RECTIFY, json!({ "p": plan }))
            .await;
        assert_eq!(again, original);
        assert_eq!(
            copy.event_count().await,
            head,
            "duplicate command wrote nothing"
        );
        // A new command continues the task's chain after the imported head.
        let before = copy.app.store.read_stream(&task, StreamBound::All);
        let before = before.await.expect("stream");
        copy.ok(
            &copy.office,
            "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { version } }",
            json!({ "t": task }),
        )
        .await;
        let after = copy
            .app
            .store
            .read_stream(&task, StreamBound::All)
            .await
            .expect("stream");
        let new = after.last().expect("new event");
        assert_eq!(new.position, head + 1);
        assert_eq!(new.prev_hash, before.last().expect("old head").hash);
        assert_clean(copy.app.store.as_ref()).await;
    }
}
