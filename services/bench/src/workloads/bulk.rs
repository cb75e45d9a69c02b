//! Workload 3: bulk append. The generated log is appended with `EventStore::append` in
//! large multi-stream batches, one writer, as the plan import does; only the time spent
//! inside `append` is counted (generating and encoding the events is not), and so is
//! the machine's CPU: `/proc/stat` is read around each append and the windows summed.
//! With the limits on, each phase is bracketed by two runs of the 100-row batch limit
//! ([`crate::limits::beside`]).

use std::time::{Duration, Instant};

use duban_store::EventStore;

use crate::config::{Backend, Config};
use crate::cpu::{CpuMark, CpuSpent};
use crate::db::{BenchResult, FreshDb};
use crate::generate::{DataSet, appends, generate, generator_meta};
use crate::limits::{Batches, beside};
use crate::report::Report;

/// Workload name in the report.
pub const NAME: &str = "3 bulk append";

/// What a load did.
#[derive(Debug, Clone, Copy)]
pub struct Loaded {
    /// Events appended.
    pub events: u64,
    /// Appends made.
    pub appends: u64,
    /// Time inside `append`.
    pub append_time: Duration,
    /// The store's head afterwards.
    pub head: i64,
    /// The machine's CPU inside `append` (None off Linux).
    pub cpu: Option<CpuSpent>,
}

impl Loaded {
    /// Events per second inside `append`.
    pub fn rate(&self) -> f64 {
        self.events as f64 / self.append_time.as_secs_f64().max(1e-9)
    }
}

/// Appends `data` to `store` in batches of `batch` events.
pub async fn load(store: &dyn EventStore, data: &DataSet, batch: usize) -> BenchResult<Loaded> {
    let meta = generator_meta();
    let mut loaded = Loaded {
        events: 0,
        appends: 0,
        append_time: Duration::ZERO,
        head: 0,
        cpu: Some(CpuSpent::default()),
    };
    for (parts, at, count) in appends(&data.items, batch) {
        let mark = CpuMark::now();
        let t = Instant::now();
        let done = store.append(parts, &meta, at).await?;
        loaded.append_time += t.elapsed();
        match (mark.and_then(|m| m.spent()), loaded.cpu.as_mut()) {
            (Some(spent), Some(sum)) => *sum += spent,
            _ => loaded.cpu = None,
        }
        if done.events.len() != count {
            return Err(format!("append recorded {} of {count} events", done.events.len()).into());
        }
        loaded.events += count as u64;
        loaded.appends += 1;
    }
    loaded.head = store.head().await?;
    Ok(loaded)
}

/// A fresh database holding a generated log of `events` events.
pub async fn seeded(
    config: &Config,
    backend: Backend,
    events: u64,
) -> BenchResult<(FreshDb, DataSet)> {
    let db = FreshDb::create(backend, config).await?;
    let data = generate(events, 7);
    let store = duban_store::connect(&db.url()).await?;
    load(store.as_ref(), &data, 1000).await?;
    Ok((db, data))
}

/// Runs workload 3 for every configured batch size, each on a fresh database.
pub async fn run(report: &mut Report, config: &Config, backend: Backend) -> BenchResult<()> {
    let mark = report.begin(NAME, backend);
    let data = generate(config.bulk_events, 3);
    let mut before = limit(config, backend).await?;
    for &batch in &config.bulk_batches {
        let db = FreshDb::create(backend, config).await?;
        let store = duban_store::connect(&db.url()).await?;
        let loaded = load(store.as_ref(), &data, batch).await?;
        if loaded.head != loaded.events as i64 {
            return Err(format!(
                "head {} after appending {} events",
                loaded.head, loaded.events
            )
            .into());
        }
        report.add(
            NAME,
            backend,
            &format!("bulk_events_per_s@{batch}"),
            loaded.rate(),
            "events/s",
        );
        report.add(
            NAME,
            backend,
            &format!("bulk_events@{batch}"),
            loaded.events as f64,
            "events",
        );
        report.add(
            NAME,
            backend,
            &format!("bulk_ms_per_append@{batch}"),
            loaded.append_time.as_secs_f64() * 1e3 / loaded.appends.max(1) as f64,
            "ms",
        );
        // Per event: bulk_cpu_us@{batch}, bulk_idle_pct@{batch}, bulk_switches@{batch}.
        if let Some(cpu) = loaded.cpu {
            cpu.report(report, NAME, backend, "bulk", batch, loaded.events as f64);
        }
        // The phase's database is gone before the limit runs beside it.
        drop(store);
        drop(db);
        let after = limit(config, backend).await?;
        if let (Some(b), Some(a)) = (&before, &after) {
            beside::report(report, backend, batch, b, a);
        }
        before = after;
    }
    report.end(mark);
    Ok(())
}

/// The 100-row batch limit, run now, when the limits are measured at all.
async fn limit(config: &Config, backend: Backend) -> BenchResult<Option<Batches>> {
    if !config.limits {
        return Ok(None);
    }
    beside::measure(config, backend).await
}

/// Writes the big workload's log (`events` generated events, its seed) into the store
/// at `url`, which must hold no events yet, for tools that need a big log of their own
/// (`duban-bench log`); returns the log's head.
pub async fn write_log(url: &str, events: u64) -> BenchResult<i64> {
    let store = duban_store::connect(url).await?;
    if store.head().await? != 0 {
        return Err(format!("{url} already holds events").into());
    }
    let data = generate(events, crate::workloads::big::SEED);
    Ok(load(store.as_ref(), &data, 1000).await?.head)
}
