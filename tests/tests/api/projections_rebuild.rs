//! The read models at run time, end to end on both backends: a rebuild from zero gives
//! the same board, ledger and task answers as the incremental model; queries (and
//! writes) keep working while a rebuild runs; a second app on the same database starts
//! from the stored documents and checkpoint and catches up with the log; /metrics and
//! /readyz report the projection lag against `ServerConfig { max_lag }`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use serde_json::{Value, json};

use duban::App;
use duban::readmodel::envelope;
use duban::readmodel::rebuild::lean_envelopes;
use duban_store::Db;
use duban_tests::history::{
    Finding, assign, at, close, measure, plan, progress, rectification, tick,
};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod follow;

const ANSWERS: &str = "query($p: ID) { board(planId: $p) { rows { department { name } light \
    averageProgress counts { open overdue dueSoon closed closedLate } } agenda { id } } \
    rectificationLedger { nodes { id status closedLate } } \
    tasks { nodes { id status progress version overdue due lead { name } } } }";

/// A history with overdue, closed-late and running work; returns (plan, a running task).
async fn world(app: &TestApp) -> (String, String) {
    at(app, "2025-05-01T09:00:00+08:00");
    let housing = app.department("住建局").await;
    let fin = app.department("财政局").await;
    let p = plan(app, "实施方案").await;
    let mut tasks = Vec::new();
    for i in 1..=4 {
        tasks.push(measure(app, &p, &format!("一({i})"), "措施").await);
    }
    let f = Finding {
        source: "AUDIT",
        finding: "经费未足额拨付",
        standard: "",
        measured: "",
        unit: "第二中学",
    };
    tasks.push(rectification(app, &p, f).await);
    for (i, task) in tasks.iter().enumerate() {
        let lead = if i % 2 == 0 { &housing } else { &fin };
        assign(app, task, lead, &[], &format!("2025-06-{:02}", 10 + i)).await;
    }
    at(app, "2025-06-01T09:00:00+08:00");
    progress(app, &app.office, &tasks[0], 60, "推进中").await;
    close(app, &tasks[1]).await;
    at(app, "2025-06-20T09:00:00+08:00");
    assert_eq!(tick(app).await, 4);
    close(app, &tasks[4]).await;
    at(app, "2025-07-01T09:00:00+08:00");
    (p, tasks[0].clone())
}

async fn answers(app: &TestApp, plan: &str) -> Value {
    app.ok(&app.office, ANSWERS, json!({ "p": plan })).await
}

backend_tests!(
    #[tokio::test]
    lean_pages_decode_to_the_envelopes_of_the_full_events
);
async fn lean_pages_decode_to_the_envelopes_of_the_full_events(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Commands of the office and of departments, one after another, and runs of
    // events appended together (one metadata text, an imported plan): the decoder
    // parses a run's metadata once and must still give each event its own
    // attribution.
    let (_, running) = world(&app).await;
    let import = "mutation($text: String!) { importPlan(input: {text: $text}) { plan { id } } }";
    app.ok(
        &app.office,
        import,
        json!({ "text": duban::demo::LICHENG_PLAN }),
    )
    .await;
    progress(&app, &app.office, &running, 30, "导入之后").await;
    let store = app.app.store.as_ref();
    let full = store.read_all(0, i64::MAX).await.expect("read");
    let want: Vec<_> = full
        .iter()
        .map(|e| envelope(e).expect("envelope"))
        .collect();
    let same = |w: &[duban_store::RecordedEvent]| w[0].metadata == w[1].metadata;
    assert!(
        full.windows(2).any(same),
        "{backend:?}: a run of one metadata"
    );
    assert!(!full.windows(2).all(same), "{backend:?}: metadata changes");
    let mut got = Vec::new();
    let mut after = 0;
    loop {
        // Small pages, so runs of equal metadata cross page boundaries.
        let page = store.read_all_lean(after, 7).await.expect("lean page");
        let Some(last) = page.last_position() else {
            break;
        };
        after = last;
        got.extend(lean_envelopes(page).expect("decode"));
    }
    assert_eq!(got, want, "{backend:?}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    rebuild_gives_the_same_answers
);
async fn rebuild_gives_the_same_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (p, _) = world(&app).await;
    let before = answers(&app, &p).await;
    let model = app.app.read.read(|m| m.clone());
    let calls = AtomicBool::new(false);
    let position = app
        .app
        .read
        .rebuild(&|_, _| calls.store(true, Ordering::SeqCst))
        .await
        .expect("rebuild")
        .position;
    assert!(calls.load(Ordering::SeqCst), "progress is reported");
    assert_eq!(position, app.event_count().await, "{backend:?}");
    assert_eq!(answers(&app, &p).await, before, "{backend:?}");
    assert!(
        app.app.read.read(|m| *m == model),
        "{backend:?}: same model"
    );
    // What the rebuild stored is what a restart loads.
    let reopened = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    assert!(
        reopened.read.read(|m| *m == model),
        "{backend:?}: stored model"
    );
    app.stop().await;
}

backend_tests!(queries_and_writes_go_on_during_a_rebuild);
async fn queries_and_writes_go_on_during_a_rebuild(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (p, running) = world(&app).await;
    let before = answers(&app, &p).await;
    let (reached_tx, reached_rx) = mpsc::sync_channel::<()>(1);
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let read = Arc::clone(&app.app.read);
    let handle = tokio::runtime::Handle::current();
    // The rebuild pauses inside its first progress report until released.
    let rebuild = tokio::task::spawn_blocking(move || {
        let first = AtomicBool::new(true);
        handle.block_on(read.rebuild(&|_, _| {
            if first.swap(false, Ordering::SeqCst) {
                reached_tx.send(()).expect("signal");
                release_rx.lock().expect("lock").recv().expect("release");
            }
        }))
    });
    tokio::task::spawn_blocking(move || reached_rx.recv())
        .await
        .expect("join")
        .expect("the rebuild reached its first batch");
    assert_eq!(
        answers(&app, &p).await,
        before,
        "{backend:?}: answers during the rebuild"
    );
    progress(&app, &app.office, &running, 75, "重建期间的进展").await;
    let during = answers(&app, &p).await;
    release_tx.send(()).expect("release");
    let position = rebuild.await.expect("join").expect("rebuild").position;
    assert_eq!(position, app.event_count().await, "{backend:?}");
    let after = answers(&app, &p).await;
    assert_eq!(
        after, during,
        "{backend:?}: the write during the rebuild is kept"
    );
    let node = after["tasks"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["id"] == running.as_str())
        .cloned()
        .expect("the running task");
    assert_eq!(node["progress"], 75, "{backend:?}");
    app.stop().await;
}

/// Runs `sql` with one text parameter on the app's database.
async fn execute(app: &TestApp, sql: &str, param: &str) -> u64 {
    let affected = match app.app.db.clone() {
        Db::Sqlite(pool) => sqlx::query(sql)
            .bind(param)
            .execute(&pool)
            .await
            .map(|r| r.rows_affected()),
        Db::Postgres(pool) => sqlx::query(sql)
            .bind(param)
            .execute(&pool)
            .await
            .map(|r| r.rows_affected()),
    };
    affected.expect("sql")
}

/// Runs a `SELECT count(*)` with one text parameter on the app's database.
async fn count(app: &TestApp, sql: &str, param: &str) -> i64 {
    match app.app.db.clone() {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).bind(param).fetch_one(&pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).bind(param).fetch_one(&pool).await,
    }
    .expect("count")
}

async fn checkpoint(app: &TestApp) -> i64 {
    let sql = "SELECT position FROM projection_checkpoints WHERE name = 'core'";
    match app.app.db.clone() {
        Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(&pool).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(&pool).await,
    }
    .expect("checkpoint")
}

backend_tests!(
    #[tokio::test]
    a_second_app_starts_from_the_stored_checkpoint_and_catches_up
);
async fn a_second_app_starts_from_the_stored_checkpoint_and_catches_up(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, running) = world(&app).await;
    // Commands are answered once folded in memory; the follower saves soon after,
    // without being asked: the stored checkpoint reaches the head by itself.
    let head = app.event_count().await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while checkpoint(&app).await < head {
        assert!(
            std::time::Instant::now() < deadline,
            "{backend:?}: the follower did not save up to {head}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(checkpoint(&app).await, head, "{backend:?}");
    let second = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    let model = app.app.read.read(|m| m.clone());
    assert!(second.read.read(|m| *m == model), "{backend:?}");
    // The first app goes on; the second catches up with what it wrote.
    progress(&app, &app.office, &running, 80, "继续推进").await;
    close(&app, &running).await;
    assert_eq!(
        second.read.catch_up().await.expect("catch up"),
        app.event_count().await
    );
    let model = app.app.read.read(|m| m.clone());
    assert!(second.read.read(|m| *m == model), "{backend:?}: caught up");

    // A third app trusts the stored documents rather than replaying from zero…
    let sql = "UPDATE read_models SET doc = replace(doc, '住建局', '住建局（旧）') \
                   WHERE name = 'core' AND key LIKE $1 AND doc LIKE '%住建局%'";
    assert_eq!(execute(&app, sql, "department-%").await, 1, "{backend:?}");
    let third = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    let names = |a: &App| {
        a.read
            .read(|m| m.departments.values().any(|d| d.name == "住建局（旧）"))
    };
    assert!(
        names(&third),
        "{backend:?}: loaded from the stored documents"
    );
    // …and a rebuild from the log repairs them, in memory and stored: the edited
    // document is written again, one no longer in the projection is deleted.
    let bogus = "INSERT INTO read_models (name, key, position, doc) \
                     VALUES ('core', $1, 1, '{}')";
    assert_eq!(execute(&app, bogus, "task-gone").await, 1);
    // Everything else stored is current, as the follower wrote it.
    app.app.read.flush().await.expect("flush");
    let rebuilt = third.read.rebuild(&|_, _| {}).await.expect("rebuild");
    assert!(!names(&third), "{backend:?}: rebuilt from the log");
    assert!(third.read.read(|m| *m == model), "{backend:?}");
    let stored = "SELECT count(*) FROM read_models WHERE name = 'core' \
                      AND (doc LIKE '%（旧）%' OR key = $1)";
    assert_eq!(count(&app, stored, "task-gone").await, 0, "{backend:?}");
    // The follower and the rebuild write a document as the same text: only the
    // edited one differed.
    let docs = rebuilt.documents;
    assert_eq!(
        (docs.written, docs.removed),
        (1, 1),
        "{backend:?}: {docs:?}"
    );
    // Rebuilt again over what it just stored, nothing differs: nothing is written.
    let again = third.read.rebuild(&|_, _| {}).await.expect("rebuild");
    let total = docs.written + docs.unchanged;
    assert_eq!(
        (again.documents.written, again.documents.unchanged),
        (0, total),
        "{backend:?}"
    );
    app.stop().await;
}
