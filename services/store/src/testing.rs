//! Fresh databases for tests, in this crate and in others.
//!
//! SQLite tests get a new file under the system temp directory, deleted (with its WAL
//! and SHM files) when the guard drops. PostgreSQL tests read
//! `DUBAN_TEST_POSTGRES_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`), create
//! a database `duban_t_<random>` for themselves and drop it (`WITH (FORCE)`) when the
//! guard drops. Without the variable they print
//! `skipped: DUBAN_TEST_POSTGRES_URL not set` and return — unless `CI` is set, in
//! which case they fail, so CI never passes by skipping them.

use std::path::{Path, PathBuf};

use sqlx::{Connection, Executor, PgConnection};
use uuid::Uuid;

use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_URL_VAR: &str = "DUBAN_TEST_POSTGRES_URL";

/// A temporary SQLite file path; the file and its `-wal`/`-shm` companions are deleted
/// on drop.
#[derive(Debug)]
pub struct TempDbFile {
    path: PathBuf,
    kept: bool,
}

impl TempDbFile {
    /// A new, not yet existing, path in the system temp directory.
    pub fn new() -> Self {
        let name = format!("duban-test-{}.db", Uuid::new_v4().simple());
        Self {
            path: std::env::temp_dir().join(name),
            kept: false,
        }
    }

    /// Leaves the file in place when this drops (to look at it afterwards).
    pub fn keep(&mut self) {
        self.kept = true;
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// An `sqlite:` URL for the file.
    pub fn url(&self) -> String {
        format!("sqlite:{}", self.path.display())
    }
}

impl Default for TempDbFile {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDbFile {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

/// An SQLite store on a fresh temporary file.
pub async fn fresh_sqlite() -> (SqliteStore, TempDbFile) {
    let file = TempDbFile::new();
    let store = SqliteStore::open(file.path())
        .await
        .expect("open a fresh SQLite store");
    (store, file)
}

/// The PostgreSQL server URL from [`POSTGRES_URL_VAR`]; prints the skip notice when it is
/// unset (and panics when `CI` is set).
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{POSTGRES_URL_VAR} must be set in CI"
            );
            eprintln!("skipped: {POSTGRES_URL_VAR} not set");
            None
        }
    }
}

/// A fresh PostgreSQL database, dropped when this guard drops.
#[derive(Debug)]
pub struct TempPgDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TempPgDatabase {
    /// The URL of the fresh database.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TempPgDatabase {
    fn drop(&mut self) {
        if let Err(e) = drop_database_blocking(&self.admin_url, &self.name) {
            eprintln!("could not drop test database {}: {e}", self.name);
        }
    }
}

/// Drops database `name` (`WITH (FORCE)`) on the server at `admin_url`, blocking. For
/// `Drop` impls, which cannot await: the statement runs on a helper thread with its own
/// runtime, so it works inside and outside a tokio runtime.
pub fn drop_database_blocking(admin_url: &str, name: &str) -> Result<(), String> {
    let admin_url = admin_url.to_string();
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            let mut conn = PgConnection::connect(&admin_url)
                .await
                .map_err(|e| e.to_string())?;
            conn.execute(sql.as_str())
                .await
                .map_err(|e| e.to_string())?;
            conn.close().await.map_err(|e| e.to_string())
        })
    })
    .join()
    .map_err(|_| "the drop thread panicked".to_string())?
}

/// Creates a fresh database `duban_t_<random>` on the server named by
/// [`POSTGRES_URL_VAR`]; `None` (after printing the skip notice) when it is unset.
pub async fn fresh_postgres_db() -> Option<TempPgDatabase> {
    let admin_url = postgres_admin_url()?;
    let name = format!("duban_t_{}", Uuid::new_v4().simple());
    let mut conn = PgConnection::connect(&admin_url)
        .await
        .expect("connect to the test PostgreSQL server");
    conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
        .await
        .expect("create a test database");
    let _ = conn.close().await;
    let url = with_database(&admin_url, &name);
    Some(TempPgDatabase {
        admin_url,
        name,
        url,
    })
}

/// A PostgreSQL store on a fresh database; `None` when [`POSTGRES_URL_VAR`] is unset.
/// Keep the guard alive for as long as the store is used.
pub async fn fresh_postgres() -> Option<(PgStore, TempPgDatabase)> {
    let db = fresh_postgres_db().await?;
    let store = PgStore::connect(db.url())
        .await
        .expect("connect to the fresh test database");
    Some((store, db))
}

/// `url` with its database name replaced by `database`.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{root}/{database}?{query}"),
        None => format!("{root}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h:5432", "x"),
            "postgres://h:5432/x"
        );
    }
}
