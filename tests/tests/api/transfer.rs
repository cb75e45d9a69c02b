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

use serde_json::json;

use duban::transfer::{backup::backup, export::export_events};
use duban_store::testing::TempDbFile;
use duban_store::{EventStore, SqliteStore};
use duban_tests::{Backend, TestApp, fresh_db, spawn_app};

mod refusals;
mod round_trip;

pub(crate) const PROGRESS: &str = "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 30, \
    note: \"校舍改造已开工\", commandId: \"transfer-progress-1\"}) { version } }";
pub(crate) const RECTIFY: &str = "mutation($p: ID!) { raiseRectification(input: {source: AUDIT, \
    finding: \"功能室不足\", unit: \"长风初级中学\", severity: 2, planId: $p, \
    commandId: \"transfer-rect-1\"}) { id version } }";
pub(crate) const BOARD: &str = "{ board { asOf rows { department { id name } light averageProgress \
    counts { ...C } } totals { ...C } agenda { id status } } } \
    fragment C on BoardCounts { open overdue dueSoon pendingVerification closed closedLate escalated }";
pub(crate) const LEDGER: &str = "{ rectificationLedger(first: 500) { totalCount nodes { id code title \
    status due overdue progress lead { name } rectification { source finding unit severity } } } }";
pub(crate) const TASK: &str = "query($t: ID!) { task(id: $t) { id status progress due lastProgressAt \
    version lead { name } cooperating { name } history(first: 100) { nodes { position \
    streamId version type recordedAt actor role data } } } }";

/// The whole log as an export (JSON Lines).
pub(crate) async fn export(store: &dyn EventStore) -> Vec<u8> {
    let mut out = Vec::new();
    export_events(store, &mut out, &|_, _| {})
        .await
        .expect("export");
    out
}

/// Asserts `verify()` is clean and checked every event.
pub(crate) async fn assert_clean(store: &dyn EventStore) {
    let report = store.verify().await.expect("verify");
    assert!(report.ok, "{report:?}");
    assert_eq!(
        report.events_checked as i64,
        store.head().await.expect("head")
    );
}

/// The export of a small history on SQLite.
pub(crate) async fn small_export() -> (TestApp, Vec<u8>) {
    let app = spawn_app(Backend::Sqlite).await.expect("sqlite");
    let w = app.assigned_task("传输测试局").await;
    app.ok(&w.token, PROGRESS, json!({ "t": w.task_id })).await;
    app.ok(&app.office, RECTIFY, json!({ "p": w.plan_id }))
        .await;
    let file = export(app.app.store.as_ref()).await;
    (app, file)
}

#[tokio::test]
async fn backup_makes_an_openable_copy_with_the_same_events() {
    let (source, _) = small_export().await;
    let copy = TempDbFile::new();
    backup(&source.app.db, copy.path()).await.expect("backup");
    let exists = backup(&source.app.db, copy.path()).await;
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
        let db = duban::db::open(&pg.url()).await.expect("open");
        let target = TempDbFile::new();
        let err = backup(&db, target.path()).await.expect_err("postgres");
        assert!(err.to_string().contains("pg_dump"), "{err}");
        assert!(!target.path().exists());
    }
}
