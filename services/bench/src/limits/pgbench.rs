//! The PostgreSQL limit: `pgbench` with custom scripts inserting into a table shaped like
//! `events` (same columns, primary key and unique constraints, a realistic payload): one
//! row per transaction at each client count, and 100-row INSERT batches on one client.

use std::str::FromStr;

use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, Executor, PgConnection};

use crate::config::{Backend, Config};
use crate::cpu::{CpuMark, CpuSpent};
use crate::db::{BenchResult, FreshDb};
use crate::limits::Batches;
use crate::report::Report;

/// The section name.
pub const NAME: &str = "limit pgbench";

/// The events table again, without the rest of the schema.
pub const TABLE: &str = "CREATE TABLE bench_events (
    position BIGINT PRIMARY KEY CHECK (position > 0), stream_id TEXT NOT NULL,
    stream_type TEXT NOT NULL, stream_version BIGINT NOT NULL CHECK (stream_version > 0),
    event_id UUID NOT NULL UNIQUE, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL,
    payload JSON NOT NULL, metadata JSON NOT NULL, recorded_at TIMESTAMPTZ NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, UNIQUE (stream_id, stream_version));
    CREATE SEQUENCE bench_pos;";

/// A ProgressReported payload as duban stores it (canonical JSON).
pub const PAYLOAD: &str = r#"{"department":"0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1b","evidence":[],"note":"第12次调度：已完成45%，场地改造按计划推进","percent":45,"reported_at":"2025-07-01T01:00:00Z"}"#;
/// Metadata as duban stores it.
pub const METADATA: &str = r#"{"actor":"bench office","causation_id":null,"command_id":null,"correlation_id":"0193a1b2-7c3d-7e4f-8a5b-6c7d8e9f0a1c","department_id":null,"role":"OFFICE"}"#;

fn values(prefix: &str) -> String {
    // pgbench reads `:name` as a variable: keep `:null` out of the script.
    let metadata = METADATA.replace(":null", ": null");
    format!(
        "{prefix}nextval('bench_pos'), 'task-' || gen_random_uuid(), 'task', 1, gen_random_uuid(), \
         'ProgressReported', 2, '{PAYLOAD}', '{metadata}', now(), \
         '0000000000000000000000000000000000000000000000000000000000000000', \
         md5(random()::text) || md5(random()::text)"
    )
}

const COLUMNS: &str = "INSERT INTO bench_events (position, stream_id, stream_type, stream_version, \
    event_id, event_type, schema_version, payload, metadata, recorded_at, prev_hash, hash)";

/// The pgbench binary: on PATH, or under /usr/lib/postgresql/*/bin.
pub fn find_pgbench() -> Option<String> {
    let on_path = std::process::Command::new("pgbench")
        .arg("--version")
        .output();
    if on_path.is_ok_and(|o| o.status.success()) {
        return Some("pgbench".into());
    }
    let dir = std::fs::read_dir("/usr/lib/postgresql").ok()?;
    dir.flatten()
        .map(|d| d.path().join("bin/pgbench"))
        .find(|p| p.exists())
        .map(|p| p.display().to_string())
}

/// What one pgbench run measured.
struct PgbenchRun {
    /// Transactions per second, as pgbench reports it.
    tps: f64,
    /// Transactions processed, as pgbench reports it.
    processed: Option<f64>,
    /// CPU the whole machine spent while pgbench ran (its connection set-up included);
    /// None off Linux.
    cpu: Option<CpuSpent>,
}

/// Runs pgbench once.
async fn pgbench(
    bin: &str,
    url: &str,
    db: &str,
    script: &str,
    clients: usize,
    secs: u64,
) -> BenchResult<PgbenchRun> {
    let options = PgConnectOptions::from_str(url)?;
    let file =
        std::env::temp_dir().join(format!("duban-bench-{}.sql", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, script)?;
    let cpu = CpuMark::now();
    let output = tokio::process::Command::new(bin)
        .args(["-n", "-M", "prepared", "-f"])
        .arg(&file)
        .args([
            "-c",
            &clients.to_string(),
            "-j",
            &clients.min(2).to_string(),
        ])
        .args(["-T", &secs.max(1).to_string()])
        .args([
            "-h",
            options.get_host(),
            "-p",
            &options.get_port().to_string(),
        ])
        .args(["-U", options.get_username(), db])
        .output()
        .await?;
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "pgbench failed: {stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let spent = cpu.and_then(|c| c.spent());
    let tps = stdout
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l[6..].split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("no tps in pgbench output: {stdout}"))?;
    let processed: Option<f64> = stdout
        .lines()
        .find_map(|l| l.strip_prefix("number of transactions actually processed: "))
        .and_then(|v| v.split(['/', ' ']).next())
        .and_then(|v| v.parse().ok());
    Ok(PgbenchRun {
        tps,
        processed,
        cpu: spent,
    })
}

/// The 100-row batch: one INSERT of 100 generated rows per transaction.
fn batch_script() -> String {
    format!(
        "{COLUMNS} SELECT {} FROM generate_series(1, 100);\n",
        values("")
    )
}

/// A fresh database holding the `bench_events` table, and its name (for pgbench).
async fn bench_db(config: &Config) -> BenchResult<(FreshDb, String)> {
    let db = FreshDb::create(Backend::Postgres, config).await?;
    let mut conn = PgConnection::connect(&db.url()).await?;
    conn.execute(TABLE).await?;
    let _ = conn.close().await;
    let name = db.pg_name().ok_or("a PostgreSQL database")?.to_string();
    Ok((db, name))
}

/// The 100-row batches on one client for the run's duration, into `db`.
async fn batch_run(bin: &str, db: &FreshDb, name: &str, config: &Config) -> BenchResult<Batches> {
    let secs = config.duration.as_secs();
    let run = pgbench(bin, &db.url(), name, &batch_script(), 1, secs).await?;
    Ok(Batches {
        rows_per_s: run.tps * 100.0,
        cpu: run.processed.map(|p| p * 100.0).zip(run.cpu),
    })
}

/// Runs the 100-row batches alone, on a fresh database; None without pgbench.
pub async fn batches(config: &Config) -> BenchResult<Option<Batches>> {
    let Some(bin) = find_pgbench() else {
        return Ok(None);
    };
    let (db, name) = bench_db(config).await?;
    batch_run(&bin, &db, &name, config).await.map(Some)
}

/// Runs the PostgreSQL limits.
pub async fn run(report: &mut Report, config: &Config) -> BenchResult<()> {
    let backend = Backend::Postgres;
    let Some(bin) = find_pgbench() else {
        report
            .notes
            .push("pgbench not found: PostgreSQL limits skipped".into());
        return Ok(());
    };
    let mark = report.begin(NAME, backend);
    let (db, name) = bench_db(config).await?;
    let url = db.url();
    let secs = config.duration.as_secs();
    let one_row = format!("{COLUMNS} VALUES ({});\n", values(""));
    for &c in &config.clients {
        let run = pgbench(&bin, &url, &name, &one_row, c, secs).await?;
        report.add(
            NAME,
            backend,
            &format!("limit_one_row_tps@{c}"),
            run.tps,
            "tx/s",
        );
        if let (Some(cpu), Some(processed)) = (run.cpu, run.processed) {
            cpu.report(report, NAME, backend, "limit_one_row", c, processed);
        }
    }
    let batches = batch_run(&bin, &db, &name, config).await?;
    report.add(
        NAME,
        backend,
        "limit_batch100_rows_per_s",
        batches.rows_per_s,
        "rows/s",
    );
    // Per row: limit_batch100_row_cpu_us@1 and its idle share and switches.
    if let Some((rows, cpu)) = batches.cpu {
        cpu.report(report, NAME, backend, "limit_batch100_row", 1, rows);
    }
    report.end(mark);
    Ok(())
}
