//! Runs every workload of the harness (and the databases' limits) at a tiny size on
//! SQLite, and on PostgreSQL when `DUBAN_TEST_POSTGRES_URL` is set, and checks that each
//! produced sane figures: positive rates, and counts equal to what was sent.

use std::time::Duration;

use duban_bench::limits;
use duban_bench::workloads::{big, bulk, commands};
use duban_bench::{Backend, Config, Report, ServerMode};
use duban_store::testing::postgres_admin_url;

fn tiny(backend: Backend, postgres_url: Option<String>) -> Config {
    Config {
        events: 3_000,
        clients: vec![1, 3],
        duration: Duration::from_millis(400),
        bulk_events: 1_000,
        bulk_batches: vec![100, 500],
        load_batch: 500,
        seed_events: 2_000,
        query_rate: 60.0,
        backends: vec![backend],
        postgres_url,
        server: ServerMode::InProc,
        ..Config::toy()
    }
}

fn figure(report: &Report, backend: Backend, name: &str) -> f64 {
    report
        .get(backend, name)
        .unwrap_or_else(|| panic!("no figure {name} for {}", backend.name()))
}

async fn run(backend: Backend, config: Config) {
    let mut report = Report::new(duban_bench::stats::Machine::probe(), config.clone());
    match backend {
        Backend::Sqlite => limits::sqlite::run(&mut report, &config).await,
        Backend::Postgres => limits::pgbench::run(&mut report, &config).await,
    }
    .expect("limits");
    commands::http(&mut report, &config, backend)
        .await
        .expect("workloads 1 and 6");
    commands::in_process(&mut report, &config, backend)
        .await
        .expect("workload 2");
    bulk::run(&mut report, &config, backend)
        .await
        .expect("workload 3");
    big::run(&mut report, &config, backend)
        .await
        .expect("workloads 4, 5 and 7");
    report.finish();
    let f = |name: &str| figure(&report, backend, name);

    for c in &config.clients {
        assert!(f(&format!("http_cmds_per_s@{c}")) > 0.0);
        assert!(f(&format!("http_sent@{c}")) >= 1.0);
        assert!(f(&format!("http_floor_req_per_s@{c}")) > 0.0);
        // The machine's CPU per call, whoever spent it (/proc/stat).
        assert!(f(&format!("http_cpu_us@{c}")) > 0.0);
        assert!(f(&format!("http_switches@{c}")) > 0.0);
        assert!(f(&format!("inproc_cpu_us@{c}")) > 0.0);
        assert!(f(&format!("inproc_cmds_per_s@{c}")) > 0.0);
        assert!(f(&format!("lag_samples@{c}")) >= 1.0);
        assert!(f(&format!("lag_p99_ms@{c}")) >= f(&format!("lag_p50_ms@{c}")));
    }
    // Workload 2c: both modes timed; the difference may be anything near zero at this
    // size, but each side took time.
    assert!(f("graphql_strict_us") > 0.0 && f("graphql_fast_us") > 0.0);
    let validation = f("graphql_validation_us");
    assert_eq!(validation, f("graphql_strict_us") - f("graphql_fast_us"));
    for b in &config.bulk_batches {
        assert_eq!(f(&format!("bulk_events@{b}")), config.bulk_events as f64);
        assert!(f(&format!("bulk_events_per_s@{b}")) > 0.0);
    }
    let events = config.events as f64;
    assert_eq!(f("load_events"), events);
    // The rebuild folds the loaded log and what the clocks recorded before the server
    // started (reminders, digests, circulars at the bench's moment), a bounded few.
    let rebuilt = f("rebuild_events");
    assert!(rebuilt >= events && rebuilt <= events * 1.05, "{rebuilt}");
    assert!(f("rebuild_events_per_s") > 0.0 && f("fold_only_events_per_s") > 0.0);
    // Over the stored projection and over none: the same documents, all written when
    // none was stored.
    assert!(f("rebuild_fresh_events_per_s") > 0.0 && f("rebuild_compare_s") > 0.0);
    let documents = f("rebuild_fresh_docs_written");
    assert!(documents > 0.0 && f("rebuild_fresh_docs_unchanged") == 0.0);
    assert_eq!(
        f("rebuild_docs_written") + f("rebuild_docs_unchanged"),
        documents
    );
    assert!(f("read_model_tasks") > 0.0);
    let sent = f("queries_sent");
    assert_eq!(
        sent,
        (config.query_rate * config.duration.as_secs_f64()).round()
    );
    assert_eq!(f("queries_failed"), 0.0, "no query failed at tiny size");
    assert_eq!(f("all_count"), sent, "every query answered");
    assert_eq!(
        f("board_count") + f("worklist_count") + f("dispatch_count"),
        sent
    );
    assert!(f("all_p99_ms") >= f("all_p50_ms") && f("all_p50_ms") > 0.0);
    assert!(f("rss_after_load_mib") > 0.0 && f("rss_after_queries_mib") > 0.0);
    if backend == Backend::Postgres && limits::pgbench::find_pgbench().is_none() {
        return;
    }
    for c in &config.clients {
        assert!(f(&format!("limit_one_row_tps@{c}")) > 0.0);
        if backend == Backend::Postgres {
            assert!(f(&format!("limit_one_row_cpu_us@{c}")) > 0.0);
        }
    }
    assert!(f("limit_batch100_rows_per_s") > 0.0);
    // The bulk loop's CPU is summed over windows shorter than the kernel's 10 ms tick, so
    // at tiny size it may round to zero; it must be reported all the same. Context
    // switches are counted exactly, and every append hands over to the writer thread, so
    // windows that were measured at all hold some.
    for b in &config.bulk_batches {
        assert!(f(&format!("bulk_cpu_us@{b}")) >= 0.0);
        assert!(f(&format!("bulk_idle_pct@{b}")) >= 0.0);
        assert!(
            f(&format!("bulk_switches@{b}")) > 0.0,
            "bulk windows measured"
        );
    }
    if backend == Backend::Postgres {
        assert!(f("limit_batch100_row_cpu_us@1") > 0.0);
    }
    // The 100-row limit again beside each bulk phase, and the ratio against it.
    for b in &config.bulk_batches {
        assert!(f(&format!("limit_beside_rows_per_s@{b}")) > 0.0);
        if backend == Backend::Postgres {
            assert!(f(&format!("limit_beside_row_cpu_us@{b}")) > 0.0);
        }
        let what = format!("bulk append (batch {b}) vs 100-row batches beside it");
        assert!(
            report
                .ratios
                .iter()
                .any(|r| r.what == what && r.ratio > 0.0),
            "{what}"
        );
    }
    assert!(
        !report.ratios.is_empty(),
        "ratios to the limits are computed"
    );
    assert!(report.table().contains("http_cmds_per_s@3"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_workload_runs_at_tiny_size_on_sqlite() {
    run(Backend::Sqlite, tiny(Backend::Sqlite, None)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_workload_runs_at_tiny_size_on_postgres() {
    let Some(url) = postgres_admin_url() else {
        return;
    };
    run(Backend::Postgres, tiny(Backend::Postgres, Some(url))).await;
}

/// Workload 8 at a small county: every survey recorded, its items raised, every query
/// answered.
async fn assessment_at_small_size(backend: Backend, postgres_url: Option<String>) {
    let config = Config {
        backends: vec![backend],
        postgres_url,
        assessment: duban_bench::AssessmentSizes {
            schools: 14,
            years: 2,
            queries: 20,
        },
        ..Config::toy()
    };
    let mut report = Report::new(duban_bench::stats::Machine::probe(), config.clone());
    duban_bench::workloads::assessment::run(&mut report, &config, backend)
        .await
        .expect("workload 8");
    let f = |name: &str| figure(&report, backend, name);
    assert_eq!(f("assessment_surveys"), 28.0);
    // Schools 0 and 7 have small music rooms (G3); school 10 lacks PE teachers and its
    // music and art teachers are too few for 570 students (R3), where school 0's two
    // still make 1 per 100 of its 200. Three items, raised by the first year and not
    // again by the second.
    assert_eq!(f("assessment_items_raised"), 3.0);
    assert!(f("assessment_import_s") > 0.0);
    assert_eq!(f("assessment_query_count"), 20.0);
    assert!(f("assessment_query_p99_ms") >= f("assessment_query_p50_ms"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_assessment_workload_runs_at_small_size_on_sqlite() {
    assessment_at_small_size(Backend::Sqlite, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_assessment_workload_runs_at_small_size_on_postgres() {
    let Some(url) = postgres_admin_url() else {
        return;
    };
    assessment_at_small_size(Backend::Postgres, Some(url)).await;
}
