//! The figures of a run, the load average around each workload, ratios to the database
//! limits and the targets; printed as a table or as JSON.

use std::fmt::Write as _;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::{Backend, Config};
use crate::stats::{Latency, Machine, load1};

/// One measured number.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Figure {
    /// The workload (`1 http commands`, …).
    pub workload: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Unique within the backend, e.g. `http_cmds_per_s@16`.
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
}

/// The load average around one workload.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Section {
    /// The workload.
    pub workload: String,
    /// The backend.
    pub backend: String,
    /// 1-minute load average before.
    pub load_before: f64,
    /// 1-minute load average after.
    pub load_after: f64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// A workload under way.
pub struct Mark {
    workload: String,
    backend: String,
    load: f64,
    started: Instant,
}

/// duban's figure divided by the database limit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Ratio {
    /// The backend.
    pub backend: String,
    /// What is compared.
    pub what: String,
    /// duban.
    pub duban: f64,
    /// The limit.
    pub limit: f64,
    /// duban / limit.
    pub ratio: f64,
}

/// Everything a run measured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The machine.
    pub machine: Machine,
    /// The sizes.
    pub config: Config,
    /// The figures.
    pub figures: Vec<Figure>,
    /// Load around each workload.
    pub sections: Vec<Section>,
    /// Ratios to the limits (filled by [`Report::finish`]).
    pub ratios: Vec<Ratio>,
    /// 1-minute load average at the end.
    pub load1_end: f64,
    /// Notes (how things ran, what was skipped).
    pub notes: Vec<String>,
}

impl Report {
    /// An empty report.
    pub fn new(machine: Machine, config: Config) -> Self {
        Self {
            machine,
            config,
            figures: vec![],
            sections: vec![],
            ratios: vec![],
            load1_end: f64::NAN,
            notes: vec![],
        }
    }

    /// Starts timing a workload and records the load average.
    pub fn begin(&self, workload: &str, backend: Backend) -> Mark {
        eprintln!(
            "[bench] {} on {} (load {:.2})",
            workload,
            backend.name(),
            load1()
        );
        Mark {
            workload: workload.into(),
            backend: backend.name().into(),
            load: load1(),
            started: Instant::now(),
        }
    }

    /// Ends a workload.
    pub fn end(&mut self, mark: Mark) {
        self.sections.push(Section {
            workload: mark.workload,
            backend: mark.backend,
            load_before: mark.load,
            load_after: load1(),
            seconds: mark.started.elapsed().as_secs_f64(),
        });
    }

    /// Records a figure.
    pub fn add(&mut self, workload: &str, backend: Backend, name: &str, value: f64, unit: &str) {
        self.figures.push(Figure {
            workload: workload.into(),
            backend: backend.name().into(),
            name: name.into(),
            value,
            unit: unit.into(),
        });
    }

    /// Records p50/p99/max (and the count) of a latency under `prefix`.
    pub fn latency(&mut self, workload: &str, backend: Backend, prefix: &str, l: Latency) {
        self.add(
            workload,
            backend,
            &format!("{prefix}_p50_ms"),
            l.p50_ms,
            "ms",
        );
        self.add(
            workload,
            backend,
            &format!("{prefix}_p99_ms"),
            l.p99_ms,
            "ms",
        );
        self.add(
            workload,
            backend,
            &format!("{prefix}_max_ms"),
            l.max_ms,
            "ms",
        );
        self.add(
            workload,
            backend,
            &format!("{prefix}_count"),
            l.count as f64,
            "n",
        );
    }

    /// A figure by backend and name.
    pub fn get(&self, backend: Backend, name: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|f| f.backend == backend.name() && f.name == name)
            .map(|f| f.value)
    }

    /// Computes the ratios to the limits.
    pub fn finish(&mut self) {
        self.load1_end = load1();
        let mut ratios = Vec::new();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let mut pair = |what: String, duban: &str, limit: &str| {
                if let (Some(d), Some(l)) = (self.get(backend, duban), self.get(backend, limit))
                    && l > 0.0
                {
                    ratios.push(Ratio {
                        backend: backend.name().into(),
                        what,
                        duban: d,
                        limit: l,
                        ratio: d / l,
                    });
                }
            };
            for c in &self.config.clients {
                pair(
                    format!("HTTP reportProgress vs one-row INSERT, {c} clients"),
                    &format!("http_cmds_per_s@{c}"),
                    &format!("limit_one_row_tps@{c}"),
                );
                pair(
                    format!("in-process commands vs one-row INSERT, {c} clients"),
                    &format!("inproc_cmds_per_s@{c}"),
                    &format!("limit_one_row_tps@{c}"),
                );
                pair(
                    format!("HTTP floor (`me`) vs one-row INSERT, {c} clients"),
                    &format!("http_floor_req_per_s@{c}"),
                    &format!("limit_one_row_tps@{c}"),
                );
                pair(
                    format!("HTTP reportProgress vs HTTP floor (`me`), {c} clients"),
                    &format!("http_cmds_per_s@{c}"),
                    &format!("http_floor_req_per_s@{c}"),
                );
                // CPU: how many one-row transactions' worth of CPU one command costs. A
                // rate ratio of r can fit the cores only where this is at most 1 / r.
                pair(
                    format!("CPU per HTTP command vs per one-row INSERT, {c} clients"),
                    &format!("http_cpu_us@{c}"),
                    &format!("limit_one_row_cpu_us@{c}"),
                );
                pair(
                    format!("CPU per in-process command vs per one-row INSERT, {c} clients"),
                    &format!("inproc_cpu_us@{c}"),
                    &format!("limit_one_row_cpu_us@{c}"),
                );
            }
            for b in &self.config.bulk_batches {
                pair(
                    format!("bulk append (batch {b}) vs 100-row INSERT batches"),
                    &format!("bulk_events_per_s@{b}"),
                    "limit_batch100_rows_per_s",
                );
                // How many rows' worth of a 100-row batch's CPU one appended event costs:
                // a rate ratio of r fits a serial loop only where this is at most 1 / r.
                pair(
                    format!("CPU per bulk-appended event (batch {b}) vs per batched row"),
                    &format!("bulk_cpu_us@{b}"),
                    "limit_batch100_row_cpu_us@1",
                );
                // The same against the limit measured right before and after the phase
                // (limits::beside), which takes the host's drift out of the ratio.
                pair(
                    format!("bulk append (batch {b}) vs 100-row batches beside it"),
                    &format!("bulk_events_per_s@{b}"),
                    &format!("limit_beside_rows_per_s@{b}"),
                );
                pair(
                    format!("CPU per bulk-appended event (batch {b}) vs per row beside it"),
                    &format!("bulk_cpu_us@{b}"),
                    &format!("limit_beside_row_cpu_us@{b}"),
                );
            }
            pair(
                format!(
                    "big-log load (batch {}) vs 100-row INSERT batches",
                    self.config.load_batch
                ),
                "load_events_per_s",
                "limit_batch100_rows_per_s",
            );
        }
        self.ratios = ratios;
    }

    /// The figures as a plain-text table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let _ = writeln!(
            out,
            "machine: {} cpus ({}), {} MiB RAM ({} MiB available), load1 {:.2} -> {:.2}",
            m.nproc, m.cpu, m.mem_total_mib, m.mem_available_mib, m.load1_start, self.load1_end
        );
        if let Some(pg) = &m.postgres {
            let _ = writeln!(out, "postgres: {pg}");
        }
        let _ = writeln!(
            out,
            "\n{:<22} {:<9} {:<44} {:>14} unit",
            "workload", "backend", "figure", "value"
        );
        for f in &self.figures {
            let _ = writeln!(
                out,
                "{:<22} {:<9} {:<44} {:>14.2} {}",
                f.workload, f.backend, f.name, f.value, f.unit
            );
        }
        let _ = writeln!(
            out,
            "\n{:<22} {:<9} {:>8} {:>8} {:>9}",
            "workload", "backend", "load<", "load>", "seconds"
        );
        for s in &self.sections {
            let _ = writeln!(
                out,
                "{:<22} {:<9} {:>8.2} {:>8.2} {:>9.1}",
                s.workload, s.backend, s.load_before, s.load_after, s.seconds
            );
        }
        let _ = writeln!(out, "\nratios (duban / limit):");
        for r in &self.ratios {
            let _ = writeln!(
                out,
                "  {:<9} {:<62} {:>12.1} / {:>12.1} = {:.3}",
                r.backend, r.what, r.duban, r.limit, r.ratio
            );
        }
        for n in &self.notes {
            let _ = writeln!(out, "note: {n}");
        }
        out
    }
}
