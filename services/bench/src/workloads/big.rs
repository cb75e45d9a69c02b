//! The big log (1,000,000 events at full size): loaded by bulk append, served (the
//! server folds it on start: memory after loading), rebuilt (workload 4), queried at a
//! fixed rate (workload 5), and the server's memory measured again (workload 7).

use std::time::Instant;

use duban::App;
use duban::readmodel::persist::{ReadModelStore, SqlReadModelStore};
use duban::readmodel::{CORE, rebuild};
use duban_projections::ReadModel;

use crate::config::{Backend, Config, ServerMode};
use crate::db::{BenchResult, FreshDb};
use crate::generate::generate;
use crate::report::Report;
use crate::server::{Server, bench_clock};
use crate::stats::{peak_rss_mib, rss_mib};
use crate::workloads::bulk::{self, load};
use crate::workloads::queries;

/// Workload 4's name.
pub const REBUILD: &str = "4 rebuild";
/// Workload 7's name.
pub const MEMORY: &str = "7 server memory";

/// Runs the big-log workloads on one backend.
pub async fn run(report: &mut Report, config: &Config, backend: Backend) -> BenchResult<()> {
    // A log kept from an earlier run (`--log-url`) is used as it is: no load.
    let (db, url) = match &config.log_url {
        Some(url) => (None, url.clone()),
        None => {
            let db = FreshDb::create(backend, config).await?;
            let url = db.url();
            (Some(db), url)
        }
    };

    let mark = report.begin("3 bulk append (log)", backend);
    let data = generate(config.events, 42);
    let plans: Vec<String> = data.plans.iter().map(|p| p.to_string()).collect();
    let departments: Vec<String> = data.departments.iter().map(|d| d.to_string()).collect();
    report.add(bulk::NAME, backend, "log_tasks", data.tasks as f64, "tasks");
    report.add(
        bulk::NAME,
        backend,
        "log_plans",
        plans.len() as f64,
        "plans",
    );
    report.add(
        bulk::NAME,
        backend,
        "log_departments",
        departments.len() as f64,
        "departments",
    );
    let store = duban_store::connect(&url).await?;
    if db.is_some() {
        let loaded = load(store.as_ref(), &data, config.load_batch).await?;
        if loaded.head != config.events as i64 {
            return Err(format!("log head {} instead of {}", loaded.head, config.events).into());
        }
        report.add(
            bulk::NAME,
            backend,
            "load_events",
            loaded.events as f64,
            "events",
        );
        report.add(
            bulk::NAME,
            backend,
            "load_events_per_s",
            loaded.rate(),
            "events/s",
        );
    } else if store.head().await? < config.events as i64 {
        return Err(format!("the log at {url} holds fewer than {} events", config.events).into());
    }
    drop(data);
    drop(store);
    report.end(mark);

    let mark = report.begin(MEMORY, backend);
    let child = match config.server {
        ServerMode::Child => true,
        ServerMode::InProc => false,
        ServerMode::Auto => config.duban_bin.exists(),
    };
    let server = if child {
        Server::child(&config.duban_bin, &url).await?
    } else {
        Server::in_process(&url).await?
    };
    report.notes.push(format!(
        "{}: the query/memory server ran {} (pid {})",
        backend.name(),
        server.mode(),
        server.pid()
    ));
    let startup = server.startup.as_secs_f64();
    report.add(MEMORY, backend, "startup_fold_s", startup, "s");
    report.add(
        MEMORY,
        backend,
        "startup_fold_events_per_s",
        config.events as f64 / startup.max(1e-9),
        "events/s",
    );
    report.add(
        MEMORY,
        backend,
        "rss_after_load_mib",
        rss_mib(server.pid()).unwrap_or(f64::NAN),
        "MiB",
    );
    report.end(mark);

    rebuild(report, backend, &url).await?;

    queries::run(report, config, backend, &server, &plans, &departments).await?;

    let mark = report.begin(MEMORY, backend);
    report.add(
        MEMORY,
        backend,
        "rss_after_queries_mib",
        rss_mib(server.pid()).unwrap_or(f64::NAN),
        "MiB",
    );
    report.add(
        MEMORY,
        backend,
        "rss_peak_mib",
        peak_rss_mib(server.pid()).unwrap_or(f64::NAN),
        "MiB",
    );
    server.stop().await;
    report.end(mark);
    drop(db);
    Ok(())
}

/// Workload 4: `ReadModels::rebuild` over the whole log (read, decode, fold, persist
/// into a shadow projection, swap; pipelined), then the same stages timed one by one.
async fn rebuild(report: &mut Report, backend: Backend, url: &str) -> BenchResult<()> {
    let mark = report.begin(REBUILD, backend);
    let app = App::open(url, bench_clock()).await?;
    let head = app.store.head().await?;
    report.add(REBUILD, backend, "rebuild_events", head as f64, "events");
    // Over the projection the server stored (current: the documents compare equal and
    // none is written), then over none (every document written), as after an import.
    let persist = SqlReadModelStore::new(app.db.clone());
    for (prefix, fresh) in [("rebuild", false), ("rebuild_fresh", true)] {
        if fresh {
            persist.clear(CORE).await?;
        }
        let t = Instant::now();
        let rebuilt = app.read.rebuild(&|_, _| {}).await?;
        let total = t.elapsed().as_secs_f64();
        if rebuilt.position != head {
            return Err(format!("rebuild reached {}, head is {head}", rebuilt.position).into());
        }
        let docs = rebuilt.documents;
        for (name, value, unit) in [
            ("s", total, "s"),
            ("events_per_s", head as f64 / total.max(1e-9), "events/s"),
            ("docs_written", docs.written as f64, "docs"),
            ("docs_unchanged", docs.unchanged as f64, "docs"),
        ] {
            report.add(REBUILD, backend, &format!("{prefix}_{name}"), value, unit);
        }
    }

    // Breakdown: the rebuild's stages (which overlap in the rebuild itself) timed one
    // after another with the same calls: reading lean pages, decoding them into
    // envelopes, folding, serialising the documents, writing them as a projection.
    let (mut read_s, mut decode_s, mut fold_s) = (0.0, 0.0, 0.0);
    let mut model = ReadModel::default();
    let mut after = 0;
    loop {
        let t = Instant::now();
        let page = app.store.read_all_lean(after, rebuild::PAGE).await?;
        read_s += t.elapsed().as_secs_f64();
        let Some(last) = page.last_position() else {
            break;
        };
        after = last;
        let t = Instant::now();
        let envelopes = rebuild::lean_envelopes(page)?;
        decode_s += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for e in &envelopes {
            model.apply(e);
        }
        fold_s += t.elapsed().as_secs_f64();
    }
    let t = Instant::now();
    let docs = rebuild::documents(&model)?;
    let documents_s = t.elapsed().as_secs_f64();
    let scratch = "bench.rebuild";
    let t = Instant::now();
    persist.replace(scratch, &docs, model.position).await?;
    let write_s = t.elapsed().as_secs_f64();
    // The same documents again: read back and compared, none written.
    let t = Instant::now();
    persist.replace(scratch, &docs, model.position).await?;
    let compare_s = t.elapsed().as_secs_f64();
    persist.clear(scratch).await?;
    report.add(REBUILD, backend, "rebuild_read_s", read_s, "s");
    report.add(REBUILD, backend, "rebuild_decode_s", decode_s, "s");
    report.add(REBUILD, backend, "rebuild_fold_s", fold_s, "s");
    report.add(REBUILD, backend, "rebuild_documents_s", documents_s, "s");
    report.add(REBUILD, backend, "rebuild_write_s", write_s, "s");
    report.add(REBUILD, backend, "rebuild_compare_s", compare_s, "s");
    report.add(
        REBUILD,
        backend,
        "rebuild_stages_sum_s",
        read_s + decode_s + fold_s + documents_s + write_s,
        "s",
    );
    report.add(
        REBUILD,
        backend,
        "fold_only_events_per_s",
        head as f64 / fold_s.max(1e-9),
        "events/s",
    );
    report.add(
        REBUILD,
        backend,
        "read_model_tasks",
        model.tasks.len() as f64,
        "tasks",
    );
    drop(app);
    report.end(mark);
    Ok(())
}
