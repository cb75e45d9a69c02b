//! The SQLite limit: a minimal Rust loop on sqlx with the pragmas duban uses (WAL,
//! `synchronous = FULL`, 30 s busy timeout, foreign keys, 8 connections, `BEGIN
//! IMMEDIATE`, in-process writers queued on an async mutex as in `SqliteStore`),
//! inserting into a table shaped like `events`: one row per transaction at each client
//! count, and 100-row INSERT batches on one writer.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use duban_store::testing::TempDbFile;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use tokio::sync::Mutex;

use crate::config::{Backend, Config};
use crate::db::BenchResult;
use crate::limits::Batches;
use crate::limits::pgbench::{METADATA, PAYLOAD};
use crate::report::Report;
use crate::workloads::drive::closed_loop;

/// The section name.
pub const NAME: &str = "limit sqlite loop";

const TABLE: &str = "CREATE TABLE bench_events (
    position INTEGER PRIMARY KEY CHECK (position > 0), stream_id TEXT NOT NULL,
    stream_type TEXT NOT NULL, stream_version INTEGER NOT NULL CHECK (stream_version > 0),
    event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    payload TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, stream_version))";

const INSERT: &str = "INSERT INTO bench_events (position, stream_id, stream_type, stream_version, \
    event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash) ";

async fn pool(file: &TempDbFile) -> BenchResult<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(file.path())
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(30))
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::query(TABLE).execute(&pool).await?;
    Ok(pool)
}

/// Inserts `rows` rows in one `BEGIN IMMEDIATE` transaction.
async fn insert(pool: &SqlitePool, next: &AtomicI64, rows: i64) -> BenchResult<()> {
    let first = next.fetch_add(rows, Ordering::SeqCst);
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let mut q = QueryBuilder::<Sqlite>::new(INSERT);
    q.push_values(first..first + rows, |mut row, position| {
        let id = uuid::Uuid::now_v7();
        row.push_bind(position)
            .push_bind(format!("task-{id}"))
            .push_bind("task")
            .push_bind(1i64)
            .push_bind(id.to_string())
            .push_bind("ProgressReported")
            .push_bind(2i32)
            .push_bind(PAYLOAD)
            .push_bind(METADATA)
            .push_bind("2025-07-01T01:00:00.000000Z")
            .push_bind("0".repeat(64))
            .push_bind(format!("{:064x}", position));
    });
    q.build().execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// 100-row batches on one writer for the run's duration: rows per second.
async fn batch_loop(pool: &SqlitePool, next: &Arc<AtomicI64>, config: &Config) -> BenchResult<f64> {
    let (p, n) = (pool.clone(), Arc::clone(next));
    let result = closed_loop(1, config.duration, move |_, _| {
        let (p, n) = (p.clone(), Arc::clone(&n));
        async move { insert(&p, &n, 100).await }
    })
    .await;
    if result.errors > 0 {
        return Err(result.first_error.unwrap_or_default().into());
    }
    Ok(result.rate() * 100.0)
}

/// Runs the 100-row batches alone, in a fresh database file (no CPU figures, as for the
/// SQLite limits of [`run`]).
pub async fn batches(config: &Config) -> BenchResult<Batches> {
    let file = TempDbFile::new();
    let pool = pool(&file).await?;
    let rows_per_s = batch_loop(&pool, &Arc::new(AtomicI64::new(1)), config).await?;
    pool.close().await;
    Ok(Batches {
        rows_per_s,
        cpu: None,
    })
}

/// Runs the SQLite limits.
pub async fn run(report: &mut Report, config: &Config) -> BenchResult<()> {
    let backend = Backend::Sqlite;
    let mark = report.begin(NAME, backend);
    let file = TempDbFile::new();
    let pool = pool(&file).await?;
    let next = Arc::new(AtomicI64::new(1));
    let writer = Arc::new(Mutex::new(()));
    for &c in &config.clients {
        let (p, n, w) = (pool.clone(), Arc::clone(&next), Arc::clone(&writer));
        let result = closed_loop(c, config.duration, move |_, _| {
            let (p, n, w) = (p.clone(), Arc::clone(&n), Arc::clone(&w));
            async move {
                let _turn = w.lock().await;
                insert(&p, &n, 1).await
            }
        })
        .await;
        if result.errors > 0 {
            return Err(result.first_error.unwrap_or_default().into());
        }
        report.add(
            NAME,
            backend,
            &format!("limit_one_row_tps@{c}"),
            result.rate(),
            "tx/s",
        );
    }
    let rows_per_s = batch_loop(&pool, &next, config).await?;
    report.add(
        NAME,
        backend,
        "limit_batch100_rows_per_s",
        rows_per_s,
        "rows/s",
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM bench_events")
        .fetch_one(&pool)
        .await?;
    if rows != next.load(Ordering::SeqCst) - 1 {
        return Err(format!(
            "{rows} rows in the table, {} inserted",
            next.load(Ordering::SeqCst) - 1
        )
        .into());
    }
    pool.close().await;
    report.end(mark);
    Ok(())
}
