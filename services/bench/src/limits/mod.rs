//! The databases' own limits, measured in the same run: `pgbench` for PostgreSQL and a
//! minimal sqlx loop for SQLite; [`beside`] measures the 100-row batches again beside
//! each bulk-append phase.

pub mod beside;

pub mod pgbench;
pub mod sqlite;

use crate::cpu::CpuSpent;

/// One run of the 100-row batches on one writer.
pub struct Batches {
    /// Rows per second.
    pub rows_per_s: f64,
    /// Rows inserted and the machine's CPU meanwhile (pgbench on Linux only).
    pub cpu: Option<(f64, CpuSpent)>,
}
