//! Kept runs and the targets: a full run is saved as one JSON file under
//! `services/bench/results/` ([`Run`]), and `duban-bench results` prints each target
//! with the figure, the limit measured in the same run beside it, and the verdict.

use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::db::BenchResult;
use crate::report::Report;

/// One kept run: when, of which commit, on which host, and everything it measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    /// When it started (UTC, RFC 3339).
    pub started: String,
    /// The commit measured (short hash).
    pub commit: String,
    /// The host, in words (CPU, cores, virtualisation, disk, PostgreSQL settings).
    pub host: String,
    /// The figures, sections and ratios.
    pub report: Report,
}

/// What a target compares its figure with.
#[derive(Debug, Clone, Copy)]
pub enum Bound {
    /// At least `factor` × the limit figure of the same run.
    Times(&'static str, f64),
    /// At least this fixed value.
    AtLeast(f64),
    /// Under this fixed value.
    Below(f64),
}

/// A benchmark target: a figure of one backend and what it must reach.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The target in words.
    pub what: &'static str,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The figure's name; without `@`, the largest of its `name@N` figures.
    pub figure: &'static str,
    /// What it must reach.
    pub bound: Bound,
}

/// The targets duban is held to (the rate targets are ratios to the database's own
/// limit measured in the same run, since this host's speed drifts between runs).
pub const TARGETS: &[Target] = &[
    Target {
        what: "HTTP commands, 16 clients, >= 0.6 x pgbench one-row INSERT",
        backend: "postgres",
        figure: "http_cmds_per_s@16",
        bound: Bound::Times("limit_one_row_tps@16", 0.6),
    },
    Target {
        what: "bulk append, batch 100, >= 0.9 x 100-row batches beside it",
        backend: "postgres",
        figure: "bulk_events_per_s@100",
        bound: Bound::Times("limit_beside_rows_per_s@100", 0.9),
    },
    Target {
        what: "bulk append, batch 1000, >= 0.9 x 100-row batches beside it",
        backend: "postgres",
        figure: "bulk_events_per_s@1000",
        bound: Bound::Times("limit_beside_rows_per_s@1000", 0.9),
    },
    Target {
        what: "rebuild over 1M events >= 300k events/s",
        backend: "sqlite",
        figure: "rebuild_events_per_s",
        bound: Bound::AtLeast(300_000.0),
    },
    Target {
        what: "rebuild over 1M events >= 300k events/s",
        backend: "postgres",
        figure: "rebuild_events_per_s",
        bound: Bound::AtLeast(300_000.0),
    },
    Target {
        what: "queries at 1M events, 200 req/s: p99 < 20 ms",
        backend: "sqlite",
        figure: "all_p99_ms",
        bound: Bound::Below(20.0),
    },
    Target {
        what: "queries at 1M events, 200 req/s: p99 < 20 ms",
        backend: "postgres",
        figure: "all_p99_ms",
        bound: Bound::Below(20.0),
    },
    Target {
        what: "projection lag p99 < 50 ms (worst client count)",
        backend: "sqlite",
        figure: "lag_p99_ms",
        bound: Bound::Below(50.0),
    },
    Target {
        what: "projection lag p99 < 50 ms (worst client count)",
        backend: "postgres",
        figure: "lag_p99_ms",
        bound: Bound::Below(50.0),
    },
    Target {
        what: "server peak RSS at 1M events < 150 MiB",
        backend: "sqlite",
        figure: "rss_peak_mib",
        bound: Bound::Below(150.0),
    },
    Target {
        what: "server peak RSS at 1M events < 150 MiB",
        backend: "postgres",
        figure: "rss_peak_mib",
        bound: Bound::Below(150.0),
    },
];

/// A figure of `backend`: the exact name, or with no `@` the largest `name@N`.
fn figure(report: &Report, backend: &str, name: &str) -> Option<f64> {
    report
        .figures
        .iter()
        .filter(|f| f.backend == backend)
        .filter(|f| {
            f.name == name || (!name.contains('@') && f.name.starts_with(&format!("{name}@")))
        })
        .map(|f| f.value)
        .reduce(f64::max)
}

/// One target as a run measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// duban's figure.
    pub value: f64,
    /// What it had to reach (the factor times the limit for [`Bound::Times`]).
    pub needed: f64,
    /// The limit measured in the same run, for [`Bound::Times`].
    pub limit: Option<f64>,
    /// Whether the target was met.
    pub met: bool,
}

impl Target {
    /// The verdict of this target in `report`, if the run measured its figures.
    pub fn judge(&self, report: &Report) -> Option<Verdict> {
        let value = figure(report, self.backend, self.figure)?;
        let (needed, limit, met) = match self.bound {
            Bound::Times(limit, factor) => {
                let limit = figure(report, self.backend, limit)?;
                (factor * limit, Some(limit), value >= factor * limit)
            }
            Bound::AtLeast(v) => (v, None, value >= v),
            Bound::Below(v) => (v, None, value < v),
        };
        Some(Verdict {
            value,
            needed,
            limit,
            met,
        })
    }
}

/// The targets table of one run.
pub fn targets_table(run: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "run {} of {} on {}", run.started, run.commit, run.host);
    let _ = writeln!(
        out,
        "{:<62} {:<9} {:>12} {:>12} {:>12} verdict",
        "target", "backend", "measured", "limit", "needed"
    );
    for t in TARGETS {
        let line = match t.judge(&run.report) {
            Some(v) => format!(
                "{:>12.2} {:>12} {:>12.2} {}",
                v.value,
                v.limit.map_or("-".into(), |l| format!("{l:.2}")),
                v.needed,
                if v.met { "met" } else { "MISSED" }
            ),
            None => format!("{:>12} {:>12} {:>12} not measured", "-", "-", "-"),
        };
        let _ = writeln!(out, "{:<62} {:<9} {line}", t.what, t.backend);
    }
    out
}

/// Every kept run in `dir` (`*.json`), oldest first (by file name, which starts with
/// the date).
pub fn load(dir: &Path) -> BenchResult<Vec<Run>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", p.display()).into())
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
    fn the_kept_runs_load_and_a_saved_run_reads_back() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("results");
        let runs = load(&dir).expect("the kept runs parse");
        let latest = runs.last().expect("at least one kept run");
        assert!(!latest.host.is_empty(), "a kept run names its host");
        for t in TARGETS {
            assert!(t.judge(&latest.report).is_some(), "{} unmeasured", t.what);
        }
        let back: Run = serde_json::from_str(&serde_json::to_string(latest).expect("serialises"))
            .expect("reads");
        assert_eq!(targets_table(&back), targets_table(latest));
    }
}
