//! The 100-row batch limit measured again right beside each bulk-append phase: once
//! before the first phase and once after each, so that every phase sits between two
//! limit runs, and its ratio is taken against their mean.
//!
//! Why: the limits of [`super::pgbench::run`] are measured at the start of a backend's
//! runs, minutes before the bulk phases. On a shared 2-core VM the same 100-row batches
//! ran at very different rates from one run to the next, and by more than ±10 % within
//! minutes; a single bulk phase and a limit taken minutes apart
//! then compare the host's drift as much as duban. Bracketing each phase by two limit
//! runs, each on a fresh table, takes that drift out in both directions.

use crate::config::{Backend, Config};
use crate::db::BenchResult;
use crate::limits::{Batches, pgbench, sqlite};
use crate::report::Report;

/// Runs the 100-row batches once on `backend`; None when its tool is missing (pgbench).
pub async fn measure(config: &Config, backend: Backend) -> BenchResult<Option<Batches>> {
    match backend {
        Backend::Sqlite => sqlite::batches(config).await.map(Some),
        Backend::Postgres => pgbench::batches(config).await,
    }
}

/// Reports the limit of the phase of `batch`, between the runs `before` and `after`:
/// `limit_beside_rows_per_s@{batch}` (their mean), and on PostgreSQL the CPU per row of
/// both together (`limit_beside_row_cpu_us@{batch}`, its idle share and switches).
pub fn report(
    report: &mut Report,
    backend: Backend,
    batch: usize,
    before: &Batches,
    after: &Batches,
) {
    let section = match backend {
        Backend::Sqlite => sqlite::NAME,
        Backend::Postgres => pgbench::NAME,
    };
    let mean = (before.rows_per_s + after.rows_per_s) / 2.0;
    let name = format!("limit_beside_rows_per_s@{batch}");
    report.add(section, backend, &name, mean, "rows/s");
    if let (Some((rows_a, cpu_a)), Some((rows_b, cpu_b))) = (&before.cpu, &after.cpu) {
        let mut cpu = *cpu_a;
        cpu += *cpu_b;
        cpu.report(
            report,
            section,
            backend,
            "limit_beside_row",
            batch,
            rows_a + rows_b,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu::CpuSpent;
    use crate::stats::Machine;

    fn run(rows_per_s: f64, rows: f64, busy_s: f64) -> Batches {
        let cpu = CpuSpent {
            busy_s,
            idle_s: busy_s,
            steal_s: 0.0,
            switches: 10,
        };
        Batches {
            rows_per_s,
            cpu: Some((rows, cpu)),
        }
    }

    #[test]
    fn a_phase_gets_the_mean_rate_and_the_cpu_per_row_of_both_runs_together() {
        let mut out = Report::new(Machine::probe(), Config::toy());
        // 20 µs a row before, 10 µs after, over different row counts.
        let (before, after) = (run(30_000.0, 300_000.0, 6.0), run(40_000.0, 400_000.0, 4.0));
        report(&mut out, Backend::Postgres, 100, &before, &after);
        let get = |name: &str| out.get(Backend::Postgres, name).expect(name);
        assert_eq!(get("limit_beside_rows_per_s@100"), 35_000.0);
        // 10 s of busy CPU over 700,000 rows, not the mean of the two per-row figures (15).
        let per_row = get("limit_beside_row_cpu_us@100");
        assert!((per_row - 1e7 / 7e5).abs() < 1e-9, "{per_row}");
        assert!((get("limit_beside_row_idle_pct@100") - 50.0).abs() < 1e-9);
    }

    #[test]
    fn without_cpu_figures_only_the_rate_is_reported() {
        let mut out = Report::new(Machine::probe(), Config::toy());
        let sqlite = |rows_per_s| Batches {
            rows_per_s,
            cpu: None,
        };
        report(
            &mut out,
            Backend::Sqlite,
            1000,
            &sqlite(50_000.0),
            &sqlite(60_000.0),
        );
        let rate = out.get(Backend::Sqlite, "limit_beside_rows_per_s@1000");
        assert_eq!(rate, Some(55_000.0));
        assert_eq!(
            out.get(Backend::Sqlite, "limit_beside_row_cpu_us@1000"),
            None
        );
    }
}
