//! Kept runs and the targets: a run is saved as one JSON file under
//! `services/bench/results/` ([`Run`]), and `duban-bench results` prints each target
//! with the figure, the limit measured in the same run beside it, and the verdict, from
//! the newest kept run that measured it.

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
    Target {
        what: "assessment: 60 schools x 5 years imported and raised < 2 s",
        backend: "sqlite",
        figure: "assessment_import_s",
        bound: Bound::Below(2.0),
    },
    Target {
        what: "assessment: 60 schools x 5 years imported and raised < 2 s",
        backend: "postgres",
        figure: "assessment_import_s",
        bound: Bound::Below(2.0),
    },
    Target {
        what: "assessment query p99 < 20 ms",
        backend: "sqlite",
        figure: "assessment_query_p99_ms",
        bound: Bound::Below(20.0),
    },
    Target {
        what: "assessment query p99 < 20 ms",
        backend: "postgres",
        figure: "assessment_query_p99_ms",
        bound: Bound::Below(20.0),
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

/// One target's columns: measured, limit, needed, verdict.
fn columns(verdict: Option<Verdict>) -> String {
    match verdict {
        Some(v) => format!(
            "{:>12.2} {:>12} {:>12.2} {}",
            v.value,
            v.limit.map_or("-".into(), |l| format!("{l:.2}")),
            v.needed,
            if v.met { "met" } else { "MISSED" }
        ),
        None => format!("{:>12} {:>12} {:>12} not measured", "-", "-", "-"),
    }
}

const HEAD: [&str; 5] = ["target", "backend", "measured", "limit", "needed"];

/// The targets table of one run.
pub fn targets_table(run: &Run) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "run {} of {} on {}", run.started, run.commit, run.host);
    let [t, b, m, l, n] = HEAD;
    let _ = writeln!(out, "{t:<62} {b:<9} {m:>12} {l:>12} {n:>12} verdict");
    for t in TARGETS {
        let line = columns(t.judge(&run.report));
        let _ = writeln!(out, "{:<62} {:<9} {line}", t.what, t.backend);
    }
    out
}

/// Each target as judged by the newest of `runs` (oldest first) that measured it, with
/// that run named: a run of one workload group (`--only assessment`) adds its targets
/// without hiding the others' latest figures.
pub fn latest_targets_table(runs: &[Run]) -> String {
    let mut out = String::new();
    let [t, b, m, l, n] = HEAD;
    let _ = writeln!(out, "{t:<62} {b:<9} {m:>12} {l:>12} {n:>12} verdict  run");
    for t in TARGETS {
        let newest = runs
            .iter()
            .rev()
            .find_map(|r| t.judge(&r.report).map(|v| (v, r)));
        let line = match newest {
            Some((v, r)) => format!("{}  {} {}", columns(Some(v)), r.started, r.commit),
            None => columns(None),
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
mod tests;
