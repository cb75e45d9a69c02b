//! [`PgStore`]: the PostgreSQL backend.

mod append;
mod copy_page;
pub(crate) mod group;
mod listen;
pub(crate) mod read;
mod token_epoch;

pub use listen::CHANNEL;

use std::str::FromStr;
use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use tokio::sync::watch;

use crate::append::{Appended, StreamAppend, validate};
use crate::error::StoreError;
use crate::event::{Metadata, RecordedEvent, normalize_time};
use crate::fault::{FaultHook, Faults};
use crate::group::Committer;
use crate::import::LogImport;
use crate::lean::LeanPage;
use crate::log_entry::LogEntry;
use crate::migrations::postgres_migrator;
use crate::notify::{TaskGuard, advance};
use crate::row::into_events;
use crate::store::{Db, EventStore, StreamBound};
use crate::verify::{IntegrityReport, VERIFY_PAGE, scan};

/// Connections in the pool [`PgStore::connect`] opens.
const MAX_CONNECTIONS: u32 = 16;
/// Connections of the writer task (one round at a time; a second for a reconnect).
const WRITER_CONNECTIONS: u32 = 2;
/// How long a query waits for a connection (including reconnecting to a database that
/// went away) before it fails: short, so that during an outage requests and `/readyz`
/// answer with an error promptly instead of after sqlx's default of 30 s.
const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A pool of up to `connections` to the database at `url`, waiting at most
/// [`ACQUIRE_TIMEOUT`] for a connection.
pub(crate) async fn pool(url: &str, connections: u32) -> Result<PgPool, StoreError> {
    Ok(PgPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(PgConnectOptions::from_str(url)?)
        .await?)
}

/// The PostgreSQL event store (see the `store` module for how appends are ordered).
#[derive(Debug)]
pub struct PgStore {
    pool: PgPool,
    head: Arc<watch::Sender<i64>>,
    tokens: Arc<token_epoch::TokenEpoch>,
    faults: Arc<Faults>,
    committer: Committer,
    _listener: TaskGuard,
}

impl PgStore {
    /// Connects to a `postgres://` URL and runs the migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::from_pool(pool(url, MAX_CONNECTIONS).await?).await
    }

    /// Uses an existing pool (sized and configured by the caller); runs the migrations
    /// and starts listening for commits. The writer task opens its own small pool with
    /// the same connect options (not the caller's pool settings) on its thread.
    pub async fn from_pool(pool: PgPool) -> Result<Self, StoreError> {
        postgres_migrator().run(&pool).await?;
        let (head, _) = watch::channel(read::head(&pool).await?);
        let head = Arc::new(head);
        let tokens = Arc::new(token_epoch::TokenEpoch::default());
        let listener = tokio::spawn(listen::listen(
            pool.clone(),
            Arc::clone(&head),
            Arc::clone(&tokens),
        ));
        let faults = Arc::new(Faults::default());
        let (options, writer_faults) = (pool.connect_options(), Arc::clone(&faults));
        // The writer's own connections, opened on its thread (see `Committer::start`).
        let committer = Committer::start(move || group::PgWriter {
            pool: PgPoolOptions::new()
                .max_connections(WRITER_CONNECTIONS)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .connect_lazy_with((*options).clone()),
            faults: writer_faults,
            cache: tokio::sync::Mutex::new(group::HeadCache::default()),
        })?;
        Ok(Self {
            pool,
            head,
            tokens,
            faults,
            committer,
            _listener: TaskGuard(listener),
        })
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Installs (or with `None` removes) a test hook that may abort appends just before
    /// commit, after positions were assigned; see [`FaultHook`].
    pub fn set_fault_hook(&self, hook: Option<FaultHook>) {
        self.faults.set(hook);
    }
}

#[async_trait]
impl EventStore for PgStore {
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
        copy_page::lean_page(&self.pool, after_position, limit).await
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
        crate::command_ids::first_events(self, &Db::Postgres(self.pool.clone()), command_id).await
    }

    async fn read_log(
        &self,
        after: i64,
        up_to: i64,
        limit: i64,
    ) -> Result<Vec<LogEntry>, StoreError> {
        crate::log_entry::read_log(&Db::Postgres(self.pool.clone()), after, up_to, limit).await
    }

    async fn begin_import(&self) -> Result<LogImport, StoreError> {
        LogImport::begin_on(&Db::Postgres(self.pool.clone())).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    fn token_epoch(&self) -> Option<u64> {
        self.tokens.current(std::time::Instant::now())
    }

    fn token_epoch_through(&self, position: i64) -> Option<u64> {
        self.tokens
            .current_through(position, std::time::Instant::now())
    }
}
