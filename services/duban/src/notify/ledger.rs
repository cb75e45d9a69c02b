//! The delivery worker's tables: each endpoint's place in the log and its lease
//! (`notify_checkpoints`), and the deliveries with their attempts (`notify_deliveries`).
//!
//! The lease lets one server at a time deliver to an endpoint when several share a
//! database: a server takes it when it is free or expired and renews it while it works;
//! the checkpoint only moves for the lease's holder. Times are Unix milliseconds of the
//! wall clock (not the app's clock, which tests fix).

use duban_store::Db;
use sqlx::QueryBuilder;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqlitePoolOptions, SqliteSynchronous};

use crate::error::ServiceResult;
use crate::on_db;

/// The wall clock in Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRow {
    /// The endpoint's uuid.
    pub endpoint_id: String,
    /// The event's global position.
    pub position: i64,
    /// The event's type.
    pub event_type: String,
    /// PENDING, DELIVERED or FAILED.
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// When the last attempt was made (Unix ms).
    pub last_attempt_at: i64,
    /// The receiver's last HTTP status, when it answered.
    pub last_status_code: Option<i32>,
}

/// One attempt's outcome, to record.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The event's global position.
    pub position: i64,
    /// The event's type.
    pub event_type: String,
    /// PENDING, DELIVERED or FAILED.
    pub status: &'static str,
    /// When it was made (Unix ms).
    pub at: i64,
    /// The receiver's HTTP status, when it answered.
    pub code: Option<i32>,
    /// Why it failed, when it did (never holds a secret).
    pub error: Option<String>,
}

/// One endpoint's progress to record: its acknowledged attempts and the position its
/// checkpoint moves to.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The endpoint's uuid.
    pub endpoint: String,
    /// The last position delivered or skipped.
    pub through: i64,
    /// The acknowledged attempts since the last progress.
    pub attempts: Vec<Attempt>,
}

/// What a repeated attempt at a delivery changes.
const UPSERT_TAIL: &str = " ON CONFLICT (endpoint_id, position) DO UPDATE SET status = excluded.status, \
     attempts = notify_deliveries.attempts + 1, last_attempt_at = excluded.last_attempt_at, \
     last_status_code = excluded.last_status_code, last_error = excluded.last_error";

/// Deliveries written per statement (8 parameters each, far under both databases'
/// limits): one statement for many rows keeps the write lock held briefly.
const ROWS_PER_INSERT: usize = 100;

/// One INSERT of `rows` for `endpoint`, each an attempt that adds to a delivery's row.
fn upsert<'a, DB: sqlx::Database>(endpoint: &'a str, rows: &'a [Attempt]) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<i32>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a Option<String>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q = QueryBuilder::new(
        "INSERT INTO notify_deliveries (endpoint_id, position, event_type, status, attempts, \
         first_attempt_at, last_attempt_at, last_status_code, last_error) ",
    );
    q.push_values(rows, |mut row, a| {
        row.push_bind(endpoint)
            .push_bind(a.position)
            .push_bind(a.event_type.as_str())
            .push_bind(a.status)
            .push("1")
            .push_bind(a.at)
            .push_bind(a.at)
            .push_bind(a.code)
            .push_bind(&a.error);
    });
    q.push(UPSERT_TAIL);
    q
}

/// The tables of one database.
#[derive(Clone)]
pub struct Ledger {
    db: Db,
}

impl Ledger {
    /// The ledger in `db`.
    pub fn new(db: Db) -> Self {
        Ledger { db }
    }

    /// The ledger on a small pool of its own to the database of `db`, for the delivery
    /// worker. Its connections are made once, when it opens, and kept: an SQLite
    /// connection runs on a thread it starts, which inherits the priority of the thread
    /// that connects, and one that holds the write lock must run at the server's
    /// priority (open it from the server's runtime). Its commits do not wait for the disk
    /// (SQLite `synchronous=NORMAL` in WAL mode, PostgreSQL `synchronous_commit=off`).
    /// A crash may then lose the last moments of bookkeeping, which only means those
    /// notices are sent again under the same idempotency ids: at least once still holds.
    pub async fn open_beside(db: &Db) -> ServiceResult<Self> {
        let db = match db {
            Db::Sqlite(pool) => {
                let options = (*pool.connect_options())
                    .clone()
                    .synchronous(SqliteSynchronous::Normal);
                Db::Sqlite(
                    SqlitePoolOptions::new()
                        .max_connections(2)
                        .min_connections(2)
                        .idle_timeout(None)
                        .max_lifetime(None)
                        .connect_with(options)
                        .await?,
                )
            }
            Db::Postgres(pool) => {
                let options = (*pool.connect_options())
                    .clone()
                    .options([("synchronous_commit", "off")]);
                Db::Postgres(
                    PgPoolOptions::new()
                        .max_connections(4)
                        .connect_with(options)
                        .await?,
                )
            }
        };
        Ok(Ledger { db })
    }

    /// Takes or renews the lease of `endpoint` for `owner` until `now + ttl_ms`; false
    /// when another server holds an unexpired lease.
    pub async fn lease(&self, endpoint: &str, owner: &str, ttl_ms: i64) -> ServiceResult<bool> {
        let now = now_ms();
        let done = on_db!(self.db.clone(), |pool| {
            sqlx::query(
                "UPDATE notify_checkpoints SET lease_owner = $1, lease_until = $2 \
                 WHERE endpoint_id = $3 AND (lease_owner = $1 OR lease_owner IS NULL \
                 OR lease_until < $4)",
            )
            .bind(owner)
            .bind(now + ttl_ms)
            .bind(endpoint)
            .bind(now)
            .execute(&pool)
            .await?
            .rows_affected()
        });
        Ok(done == 1)
    }

    /// Every endpoint id in the registry.
    pub async fn endpoint_ids(&self) -> ServiceResult<Vec<String>> {
        let rows: Vec<(String,)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as("SELECT endpoint_id FROM notify_checkpoints ORDER BY endpoint_id")
                .fetch_all(&pool)
                .await?
        });
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Gives the lease up (a paused or removed endpoint, a stopping server).
    pub async fn release(&self, endpoint: &str, owner: &str) -> ServiceResult<()> {
        on_db!(self.db.clone(), |pool| {
            sqlx::query(
                "UPDATE notify_checkpoints SET lease_owner = NULL, lease_until = 0 \
                 WHERE endpoint_id = $1 AND lease_owner = $2",
            )
            .bind(endpoint)
            .bind(owner)
            .execute(&pool)
            .await?;
        });
        Ok(())
    }

    /// The endpoint's place in the log: the last position delivered or skipped.
    pub async fn checkpoint(&self, endpoint: &str) -> ServiceResult<Option<i64>> {
        let row: Option<(i64,)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as("SELECT position FROM notify_checkpoints WHERE endpoint_id = $1")
                .bind(endpoint)
                .fetch_optional(&pool)
                .await?
        });
        Ok(row.map(|r| r.0))
    }

    /// Records each flush's attempts and moves its endpoint's checkpoint, all in one
    /// transaction (so every endpoint's bookkeeping costs the log's writer one short
    /// wait, not one per endpoint); a flush applies only while `owner` holds its
    /// endpoint's lease. For each flush, in order: whether it applied.
    pub async fn commit(&self, owner: &str, flushes: &[Progress]) -> ServiceResult<Vec<bool>> {
        // The body is the same on both backends; only how the transaction begins
        // differs: SQLite's `BEGIN IMMEDIATE` takes the write lock before anything is
        // read, so the transaction never has to upgrade (and fail) midway.
        macro_rules! apply {
            ($tx:ident, $db:ty) => {{
                let mut tx = $tx;
                let mut applied = Vec::with_capacity(flushes.len());
                for f in flushes {
                    let moved = sqlx::query(
                        "UPDATE notify_checkpoints SET position = $1 \
                         WHERE endpoint_id = $2 AND lease_owner = $3 AND position <= $1",
                    )
                    .bind(f.through)
                    .bind(&f.endpoint)
                    .bind(owner)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        == 1;
                    if moved {
                        for rows in f.attempts.chunks(ROWS_PER_INSERT) {
                            upsert::<$db>(&f.endpoint, rows)
                                .build()
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    applied.push(moved);
                }
                tx.commit().await?;
                applied
            }};
        }
        let applied = match &self.db {
            Db::Sqlite(pool) => {
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                apply!(tx, sqlx::Sqlite)
            }
            Db::Postgres(pool) => {
                let tx = pool.begin().await?;
                apply!(tx, sqlx::Postgres)
            }
        };
        Ok(applied)
    }

    /// Records one attempt without moving the checkpoint (a failed attempt).
    pub async fn record(&self, endpoint: &str, a: &Attempt) -> ServiceResult<()> {
        let rows = std::slice::from_ref(a);
        match &self.db {
            Db::Sqlite(pool) => {
                upsert::<sqlx::Sqlite>(endpoint, rows)
                    .build()
                    .execute(pool)
                    .await?;
            }
            Db::Postgres(pool) => {
                upsert::<sqlx::Postgres>(endpoint, rows)
                    .build()
                    .execute(pool)
                    .await?;
            }
        };
        Ok(())
    }

    /// When the first attempt at `position` was made, if one was (the give-up limit
    /// counts from it, also across restarts).
    pub async fn first_attempt(&self, endpoint: &str, position: i64) -> ServiceResult<Option<i64>> {
        let row: Option<(i64,)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as(
                "SELECT first_attempt_at FROM notify_deliveries \
                 WHERE endpoint_id = $1 AND position = $2",
            )
            .bind(endpoint)
            .bind(position)
            .fetch_optional(&pool)
            .await?
        });
        Ok(row.map(|r| r.0))
    }

    /// The endpoint's signing secret, if it has one.
    pub async fn secret(&self, endpoint: &str) -> ServiceResult<Option<String>> {
        let row: Option<(String,)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as("SELECT secret FROM notify_secrets WHERE endpoint_id = $1")
                .bind(endpoint)
                .fetch_optional(&pool)
                .await?
        });
        Ok(row.map(|r| r.0))
    }

    /// Sets or clears the endpoint's failing flag.
    pub async fn set_failing(&self, endpoint: &str, failing: bool) -> ServiceResult<()> {
        on_db!(self.db.clone(), |pool| {
            sqlx::query(
                "UPDATE notify_checkpoints SET failing = $1 WHERE endpoint_id = $2 \
                 AND failing <> $1",
            )
            .bind(i32::from(failing))
            .bind(endpoint)
            .execute(&pool)
            .await?;
        });
        Ok(())
    }

    /// Up to `limit` deliveries in log order (then by endpoint) after `after` (a
    /// position and an endpoint), of one endpoint or all, with one status or any.
    pub async fn deliveries(
        &self,
        endpoint: Option<&str>,
        status: Option<&str>,
        after: (i64, &str),
        limit: i64,
    ) -> ServiceResult<Vec<DeliveryRow>> {
        let rows: Vec<DeliveryRow> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as(
                "SELECT endpoint_id, position, event_type, status, attempts, last_attempt_at, \
                 last_status_code FROM notify_deliveries \
                 WHERE ($1 IS NULL OR endpoint_id = $1) AND ($2 IS NULL OR status = $2) \
                 AND (position > $3 OR (position = $3 AND endpoint_id > $4)) \
                 ORDER BY position, endpoint_id LIMIT $5",
            )
            .bind(endpoint)
            .bind(status)
            .bind(after.0)
            .bind(after.1)
            .bind(limit)
            .fetch_all(&pool)
            .await?
        });
        Ok(rows)
    }
}
