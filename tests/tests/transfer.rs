//! Moving data: `export-events` / `import-events` and `backup`, in process.
//!
//! - A realistic history (the demo data set plus GraphQL commands with command ids) on
//!   SQLite is exported, imported into a fresh PostgreSQL database, exported again and
//!   imported into a fresh SQLite file: the three exports are byte-identical, every
//!   stored event (positions, ids, payloads, metadata, hashes) is equal, `verify()` is
//!   clean on each, the board, the rectification ledger and a task answer identically
//!   over GraphQL, command ids stay idempotent and new appends continue the chains.
//! - An import into a non-empty store, a file with a changed payload, one with a
//!   missing line, and a broken chain found after earlier batches were already inserted
//!   are all refused, with nothing written.
//! - `backup` (SQLite `VACUUM INTO`) makes an openable copy with the same events, refuses
//!   to overwrite, and on PostgreSQL points to pg_dump.
//!
//! Without `DUBAN_TEST_POSTGRES_URL` the PostgreSQL legs print `skipped: …` (the round
//! trip then goes SQLite → SQLite → SQLite).

use serde_json::{Value, json};

use duban::transfer::{backup::backup, export::export_events, import::import_and_rebuild};
use duban::{App, Clock};
use duban_store::testing::TempDbFile;
use duban_store::{EventStore, LogEntry, LogImport, SqliteStore, StoreError};
use duban_tests::{Backend, DbGuard, TestApp, fresh_db, spawn_app, spawn_app_on, test_now};

const PROGRESS: &str = "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 30, \
    note: \"校舍改造已开工\", commandId: \"transfer-progress-1\"}) { version } }";
const RECTIFY: &str = "mutation($p: ID!) { raiseRectification(input: {source: AUDIT, \
    finding: \"功能室不足\", unit: \"长风初级中学\", severity: 2, planId: $p, \
    commandId: \"transfer-rect-1\"}) { id version } }";
const BOARD: &str = "{ board { asOf rows { department { id name } light averageProgress \
    counts { ...C } } totals { ...C } agenda { id status } } } \
    fragment C on BoardCounts { open overdue dueSoon pendingVerification closed closedLate escalated }";
const LEDGER: &str = "{ rectificationLedger(first: 500) { totalCount nodes { id code title \
    status due overdue progress lead { name } rectification { source finding unit severity } } } }";
const TASK: &str = "query($t: ID!) { task(id: $t) { id status progress due lastProgressAt \
    version lead { name } cooperating { name } history(first: 100) { nodes { position \
    streamId version type recordedAt actor role data } } } }";

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

/// The whole log as an export (JSON Lines).
async fn export(store: &dyn EventStore) -> Vec<u8> {
    let mut out = Vec::new();
    export_events(store, &mut out, &|_, _| {})
        .await
        .expect("export");
    out
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

async fn assert_clean(store: &dyn EventStore) {
    let report = store.verify().await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(
        report.events_checked as i64,
        store.head().await.expect("head")
    );
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
    let expected_raw = duban_store::read_log(source.app.store.as_ref(), 0, head, i64::MAX)
        .await
        .expect("raw");
    for copy in [&middle, &last] {
        let store = copy.app.store.as_ref();
        assert_eq!(store.head().await.expect("head"), head);
        assert_eq!(store.read_all(0, i64::MAX).await.expect("read"), expected);
        let raw = duban_store::read_log(store, 0, head, i64::MAX)
            .await
            .expect("raw");
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
        let before = copy
            .app
            .store
            .read_stream(&task, duban_store::StreamBound::All);
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
            .read_stream(&task, duban_store::StreamBound::All)
            .await
            .expect("stream");
        let new = after.last().expect("new event");
        assert_eq!(new.position, head + 1);
        assert_eq!(new.prev_hash, before.last().expect("old head").hash);
        assert_clean(copy.app.store.as_ref()).await;
    }
}

/// The export of a small history on SQLite.
async fn small_export() -> (TestApp, Vec<u8>) {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite");
    let w = app.assigned_task("传输测试局").await;
    app.ok(&w.token, PROGRESS, json!({ "t": w.task_id })).await;
    app.ok(&app.office, RECTIFY, json!({ "p": w.plan_id }))
        .await;
    let file = export(app.app.store.as_ref()).await;
    (app, file)
}

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
    let sql = "SELECT COUNT(*) FROM commands";
    let commands: i64 = duban::on_db!(store.db(), |pool| sqlx::query_scalar(sql)
        .fetch_one(&pool)
        .await
        .expect("count"));
    assert_eq!(commands, 0);
}

#[tokio::test]
async fn refuses_non_empty_stores_and_broken_files_writing_nothing() {
    let (source, file) = small_export().await;
    let rows = lines(&file);
    let head = source.event_count().await;
    assert!(rows.len() >= 6, "{} lines", rows.len());

    // The source itself is not empty.
    let refused =
        duban::transfer::import::import_events(source.app.store.as_ref(), &file[..], &|_| {});
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
    for backend in Backend::ALL {
        let Some(db) = fresh_db(backend).await else {
            continue;
        };
        let store = duban_store::connect(&db.url()).await.expect("open");
        for (text, position, why) in &tampered {
            let err =
                duban::transfer::import::import_events(store.as_ref(), text.as_bytes(), &|_| {})
                    .await
                    .expect_err("tampered file");
            let duban::error::ServiceError::Store(StoreError::ImportRefused {
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
        let summary = duban::transfer::import::import_events(store.as_ref(), &file[..], &|_| {})
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
}

#[tokio::test]
async fn backup_makes_an_openable_copy_with_the_same_events() {
    let (source, _) = small_export().await;
    let copy = TempDbFile::new();
    backup(source.app.store.as_ref(), copy.path())
        .await
        .expect("backup");
    let exists = backup(source.app.store.as_ref(), copy.path()).await;
    assert!(
        exists
            .expect_err("refuses to overwrite")
            .to_string()
            .contains("already exists")
    );

    let opened = SqliteStore::open(copy.path()).await.expect("open the copy");
    let want = source.app.store.read_all(0, i64::MAX).await.expect("read");
    assert!(!want.is_empty());
    assert_eq!(opened.read_all(0, i64::MAX).await.expect("read"), want);
    assert_eq!(
        opened.head().await.expect("head"),
        source.event_count().await
    );
    assert_clean(&opened).await;

    if let Some(pg) = fresh_db(Backend::Postgres).await {
        let store = duban_store::connect(&pg.url()).await.expect("open");
        let target = TempDbFile::new();
        let err = backup(store.as_ref(), target.path())
            .await
            .expect_err("postgres");
        assert!(err.to_string().contains("pg_dump"), "{err}");
        assert!(!target.path().exists());
    }
}
