//! The targets table: ratios, worst client counts, the newest run per target, and
//! the kept runs.

use super::*;
use crate::config::{Backend, Config};
use crate::stats::Machine;

fn run_with(figures: &[(Backend, &str, f64)]) -> Run {
    let mut report = Report::new(Machine::probe(), Config::toy());
    for &(backend, name, value) in figures {
        report.add("w", backend, name, value, "u");
    }
    Run {
        started: "2026-01-01T00:00:00Z".into(),
        commit: "abc1234".into(),
        host: "test host".into(),
        report,
    }
}

fn row<'a>(table: &'a str, what: &str, backend: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.starts_with(what) && l.contains(backend))
        .unwrap_or_else(|| panic!("no row for {what} on {backend}:\n{table}"))
}

#[test]
fn a_ratio_target_is_judged_against_the_limit_of_the_same_run() {
    let run = run_with(&[
        (Backend::Postgres, "http_cmds_per_s@16", 700.0),
        (Backend::Postgres, "limit_one_row_tps@16", 1000.0),
        (Backend::Postgres, "bulk_events_per_s@100", 800.0),
        (Backend::Postgres, "limit_beside_rows_per_s@100", 1000.0),
    ]);
    let table = targets_table(&run);
    let http = row(&table, "HTTP commands", "postgres");
    assert!(
        http.contains("1000.00") && http.contains("600.00"),
        "{http}"
    );
    assert!(http.ends_with(" met"), "{http}");
    let bulk = row(&table, "bulk append, batch 100,", "postgres");
    assert!(bulk.ends_with("MISSED"), "0.8 < 0.9: {bulk}");
    assert!(row(&table, "rebuild", "sqlite").ends_with("not measured"));
}

#[test]
fn a_figure_without_clients_is_the_worst_of_its_client_counts() {
    let run = run_with(&[
        (Backend::Sqlite, "lag_p99_ms@1", 1.0),
        (Backend::Sqlite, "lag_p99_ms@16", 60.0),
        (Backend::Sqlite, "rss_peak_mib", 149.0),
    ]);
    let table = targets_table(&run);
    assert!(row(&table, "projection lag", "sqlite").ends_with("MISSED"));
    assert!(row(&table, "server peak RSS", "sqlite").ends_with(" met"));
}

#[test]
fn each_target_comes_from_the_newest_run_that_measured_it() {
    let mut old = run_with(&[(Backend::Sqlite, "rss_peak_mib", 149.0)]);
    old.started = "2026-01-01T00:00:00Z".into();
    let mut new = run_with(&[(Backend::Sqlite, "assessment_import_s", 0.5)]);
    new.started = "2026-02-01T00:00:00Z".into();
    let table = latest_targets_table(&[old, new]);
    let rss = row(&table, "server peak RSS", "sqlite");
    assert!(rss.contains(" met  2026-01-01"), "{rss}");
    let import = row(&table, "assessment: 60 schools", "sqlite");
    assert!(import.contains(" met  2026-02-01"), "{import}");
    assert!(row(&table, "rebuild", "sqlite").ends_with("not measured"));
}

#[test]
fn the_kept_runs_load_and_a_saved_run_reads_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
    let runs = load(&dir).expect("the kept runs parse");
    let latest = runs.last().expect("at least one kept run");
    assert!(
        runs.iter().all(|r| !r.host.is_empty()),
        "a kept run names its host"
    );
    let table = latest_targets_table(&runs);
    assert!(
        !table.contains("not measured"),
        "every target kept:\n{table}"
    );
    let back: Run =
        serde_json::from_str(&serde_json::to_string(latest).expect("serialises")).expect("reads");
    assert_eq!(targets_table(&back), targets_table(latest));
}
