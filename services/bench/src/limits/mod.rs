//! The databases' own limits, measured in the same run: `pgbench` for PostgreSQL and a
//! minimal sqlx loop for SQLite.

pub mod pgbench;
pub mod sqlite;
