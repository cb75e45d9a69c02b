//! The databases' own limits, measured in the same run: `pgbench` for PostgreSQL and a
//! minimal sqlx loop for SQLite; [`beside`] measures the 100-row batches again beside
//! each bulk-append phase.

pub mod beside;

pub mod pgbench;
pub mod sqlite;
