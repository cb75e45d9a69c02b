//! duban's benchmark harness: the workloads of the "Benchmarks" issue as library
//! functions (the `duban-bench` binary is a thin `main`, the smoke test calls them at
//! tiny sizes), each run on SQLite and PostgreSQL, with the databases' own limits
//! measured in the same run and the ratios between them.
//!
//! - [`config`]: sizes ([`Config::full`], [`Config::toy`]) and switches.
//! - [`generate`]: a realistic domain event log (plans, departments, task lifecycles).
//! - [`workloads`]: the eight workloads; [`limits`]: pgbench and the SQLite loop.
//! - [`client`]: the lean HTTP client of the closed loops.
//! - [`server`]: the server under test (in-process or the release binary).
//! - [`cpu`]: the machine's busy CPU per operation (`/proc/stat`).
//! - [`report`]: figures, load averages, ratios, table and JSON; [`stats`]: percentiles
//!   and /proc; [`db`]: fresh databases.
//! - [`results`]: kept runs (`services/bench/results/*.json`) and the targets table
//!   `duban-bench results` prints from them.

pub mod client;
pub mod config;
pub mod cpu;
pub mod db;
pub mod generate;
pub mod limits;
pub mod report;
pub mod results;
pub mod server;
pub mod stats;
pub mod workloads;

pub use config::{AssessmentSizes, Backend, Config, ServerMode};
pub use db::{BenchError, BenchResult};
pub use report::Report;

use stats::Machine;

/// Runs every workload and limit on every configured backend.
pub async fn run_all(config: &Config) -> BenchResult<Report> {
    let mut machine = Machine::probe();
    if config.backends.contains(&Backend::Postgres) {
        let url = config
            .postgres_url
            .as_deref()
            .ok_or("PostgreSQL needs --postgres-url")?;
        machine.postgres = Some(db::postgres_version(url).await?);
    }
    let mut report = Report::new(machine, config.clone());
    for &backend in &config.backends {
        if config.limits {
            match backend {
                Backend::Sqlite => limits::sqlite::run(&mut report, config).await?,
                Backend::Postgres => limits::pgbench::run(&mut report, config).await?,
            }
        }
        if config.runs("commands") {
            workloads::commands::http(&mut report, config, backend).await?;
            workloads::commands::in_process(&mut report, config, backend).await?;
        }
        if config.runs("bulk") {
            workloads::bulk::run(&mut report, config, backend).await?;
        }
        if config.runs("big") {
            workloads::big::run(&mut report, config, backend).await?;
        }
        if config.runs("assessment") {
            workloads::assessment::run(&mut report, config, backend).await?;
        }
    }
    report.finish();
    Ok(report)
}
