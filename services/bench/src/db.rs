//! Fresh databases for each workload: a temporary SQLite file, or a new PostgreSQL
//! database `duban_bench_<random>` dropped when the guard drops (kept, for profiling,
//! when `DUBAN_BENCH_KEEP_DB` is set, as is the SQLite file).

use duban_store::testing::{TempDbFile, drop_database_blocking, with_database};
use sqlx::{Connection, Executor, PgConnection};
use uuid::Uuid;

use crate::config::{Backend, Config};

/// Errors of the harness.
pub type BenchError = Box<dyn std::error::Error + Send + Sync>;
/// Results of the harness.
pub type BenchResult<T> = Result<T, BenchError>;

/// A fresh database, removed on drop.
pub enum FreshDb {
    /// A temporary SQLite file.
    Sqlite(TempDbFile),
    /// A temporary PostgreSQL database.
    Postgres {
        /// The server URL it was created from.
        admin_url: String,
        /// Its name.
        name: String,
        /// Its URL.
        url: String,
    },
}

impl FreshDb {
    /// Creates one for `backend`.
    pub async fn create(backend: Backend, config: &Config) -> BenchResult<Self> {
        match backend {
            Backend::Sqlite => Ok(FreshDb::Sqlite(TempDbFile::new())),
            Backend::Postgres => {
                let admin_url = config
                    .postgres_url
                    .clone()
                    .ok_or("PostgreSQL workloads need --postgres-url")?;
                let name = format!("duban_bench_{}", Uuid::new_v4().simple());
                let mut conn = PgConnection::connect(&admin_url).await?;
                conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
                    .await?;
                let _ = conn.close().await;
                let url = with_database(&admin_url, &name);
                Ok(FreshDb::Postgres {
                    admin_url,
                    name,
                    url,
                })
            }
        }
    }

    /// The URL `duban` and `duban_store::connect` take.
    pub fn url(&self) -> String {
        match self {
            FreshDb::Sqlite(file) => format!("sqlite:{}", file.path().display()),
            FreshDb::Postgres { url, .. } => url.clone(),
        }
    }

    /// The PostgreSQL database name, for pgbench.
    pub fn pg_name(&self) -> Option<&str> {
        match self {
            FreshDb::Sqlite(_) => None,
            FreshDb::Postgres { name, .. } => Some(name),
        }
    }
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        let keep = std::env::var_os("DUBAN_BENCH_KEEP_DB").is_some();
        let (admin_url, name) = match self {
            FreshDb::Sqlite(file) => {
                if keep {
                    file.keep();
                    eprintln!("kept bench database {}", file.path().display());
                }
                return;
            }
            FreshDb::Postgres {
                admin_url, name, ..
            } => (admin_url, name),
        };
        if keep {
            eprintln!("kept bench database {name}");
            return;
        }
        if let Err(e) = drop_database_blocking(admin_url, name) {
            eprintln!("could not drop bench database {name}: {e}");
        }
    }
}

/// `SELECT version()` of the PostgreSQL server.
pub async fn postgres_version(url: &str) -> BenchResult<String> {
    let mut conn = PgConnection::connect(url).await?;
    let v: String = sqlx::query_scalar("SELECT version()")
        .fetch_one(&mut conn)
        .await?;
    let _ = conn.close().await;
    Ok(v)
}
