//! [`SqliteStore`]: the embedded default backend, one SQLite file in WAL mode.

mod append;
pub(crate) mod group;
pub(crate) mod read;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::watch;

use crate::append::{Appended, StreamAppend, validate};
use crate::error::StoreError;
use crate::event::{Metadata, RecordedEvent, normalize_time};
use crate::fault::{FaultHook, Faults};
use crate::group::Committer;
use crate::import::LogImport;
use crate::lean::LeanPage;
use crate::log_entry::LogEntry;
use crate::migrations::sqlite_migrator;
use crate::notify::{TaskGuard, advance};
use crate::row::into_events;
use crate::store::{Db, EventStore, StreamBound};
use crate::verify::{IntegrityReport, VERIFY_PAGE, scan};

/// How long a writer waits for another process's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the head is polled to notice commits by other processes.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The SQLite event store (see the `store` module for how appends are ordered).
#[derive(Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    head: Arc<watch::Sender<i64>>,
    faults: Arc<Faults>,
    committer: Committer,
    _poller: TaskGuard,
}

impl SqliteStore {
    /// Opens (creating if missing) the SQLite file at `path` and runs the migrations.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::connect_with(SqliteConnectOptions::new().filename(path)).await
    }

    /// Opens an `sqlite:` URL (a file; created if missing) and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.contains(":memory:") || url.contains("mode=memory") {
            return Err(StoreError::UnsupportedUrl(format!(
                "{url}: in-memory SQLite is not supported, use a file"
            )));
        }
        Self::connect_with(SqliteConnectOptions::from_str(url)?).await
    }

    /// Opens with the given options, forcing WAL, a busy timeout, foreign keys, full
    /// synchronous commits and create-if-missing; then runs the migrations.
    pub async fn connect_with(options: SqliteConnectOptions) -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(settings(options))
            .await?;
        sqlite_migrator().run(&pool).await?;
        let (head, _) = watch::channel(read::head(&pool).await?);
        let head = Arc::new(head);
        let poller = tokio::spawn(poll_head(pool.clone(), Arc::clone(&head)));
        let faults = Arc::new(Faults::default());
        let writer = group::SqliteWriter {
            pool: pool.clone(),
            faults: Arc::clone(&faults),
        };
        let committer = Committer::start(move || writer)?;
        Ok(Self {
            pool,
            head,
            faults,
            committer,
            _poller: TaskGuard(poller),
        })
    }

    /// The connection pool.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Installs (or with `None` removes) a test hook that may abort appends just before
    /// commit, after positions were assigned; see [`FaultHook`].
    pub fn set_fault_hook(&self, hook: Option<FaultHook>) {
        self.faults.set(hook);
    }
}

/// The settings of every connection to a duban SQLite file: WAL, a busy timeout,
/// foreign keys, full synchronous commits, created if missing.
pub(crate) fn settings(options: SqliteConnectOptions) -> SqliteConnectOptions {
    options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true)
}

/// Notices commits made by other processes on the same file.
async fn poll_head(pool: SqlitePool, head: Arc<watch::Sender<i64>>) {
    while !pool.is_closed() {
        tokio::time::sleep(POLL_INTERVAL).await;
        match read::head(&pool).await {
            Ok(position) => advance(&head, position),
            Err(error) => tracing::debug!(%error, "polling the SQLite head failed"),
        }
    }
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        batch: Vec<StreamAppend>,
        meta: &Metadata,
        recorded_at: DateTime<Utc>,
    ) -> Result<Appended, StoreError> {
        let total = validate(&batch)?;
        if batch.is_empty() && meta.command_id.is_none() {
            return Ok(Appended {
                events: Arc::from([]),
                duplicate: false,
            });
        }
        let recorded_at = normalize_time(recorded_at);
        // The writer task serialises this process's appends (and groups them).
        let appended = self
            .committer
            .append(batch, meta, recorded_at, total)
            .await?;
        if let Some(last) = appended.last_position()
            && !appended.duplicate
        {
            advance(&self.head, last);
        }
        Ok(appended)
    }

    async fn read_stream(
        &self,
        stream_id: &str,
        up_to: StreamBound,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        into_events(read::stream(&self.pool, stream_id, up_to).await?)
    }

    async fn read_all(
        &self,
        after_position: i64,
        limit: i64,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit <= 0 {
            return Ok(Vec::new());
        }
        let head = *self.head.borrow();
        if let Some(events) = self.committer.recent(after_position, limit, head).await {
            return Ok(events);
        }
        into_events(read::page(&self.pool, after_position, i64::MAX, limit).await?)
    }

    async fn read_all_lean(&self, after_position: i64, limit: i64) -> Result<LeanPage, StoreError> {
        if limit <= 0 {
            return Ok(LeanPage::default());
        }
        read::lean_page(&self.pool, after_position, limit).await
    }

    async fn head(&self) -> Result<i64, StoreError> {
        read::head(&self.pool).await
    }

    fn subscribe(&self) -> watch::Receiver<i64> {
        self.head.subscribe()
    }

    async fn verify(&self) -> Result<IntegrityReport, StoreError> {
        let head = read::head(&self.pool).await?;
        scan(head, |after| {
            read::page(&self.pool, after, head, VERIFY_PAGE)
        })
        .await
    }

    async fn find_command(
        &self,
        command_id: &str,
    ) -> Result<Option<Vec<RecordedEvent>>, StoreError> {
        crate::command_ids::first_events(self, &Db::Sqlite(self.pool.clone()), command_id).await
    }

    async fn read_log(
        &self,
        after: i64,
        up_to: i64,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        crate::log_entry::read_log(&Db::Sqlite(self.pool.clone()), after, up_to, limit).await
    }

    async fn begin_import(&self) -> Result<LogImport, StoreError> {
        LogImport::begin_on(&Db::Sqlite(self.pool.clone())).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}
