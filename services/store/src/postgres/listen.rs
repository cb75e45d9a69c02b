//! Commit notifications on PostgreSQL: every append NOTIFYs its new head on
//! [`CHANNEL`] (delivered at commit, in commit order); a background task LISTENs and
//! raises the store's watch channel, re-reading the head after (re)connecting, since
//! notifications sent while disconnected are lost.
//!
//! The same connection LISTENs on [`TOKENS_CHANNEL`], which a trigger notifies when a
//! stored token changes, and on which this process sends itself a heartbeat every
//! [`HEARTBEAT_EVERY`]; [`TokenEpoch`] turns both into what a server may assume about
//! its cached token lookups.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;

use crate::notify::{TaskGuard, advance};
use crate::postgres::read;
use crate::postgres::token_epoch::{HEARTBEAT_EVERY, TokenEpoch};

/// The NOTIFY channel; the payload is the new head position.
pub const CHANNEL: &str = "duban_events";

/// The NOTIFY channel of token changes (see migration `0003_token_changes.sql`) and of
/// the listeners' heartbeats (payload `hb:<process>:<sequence>`).
pub const TOKENS_CHANNEL: &str = "duban_tokens";

/// Listens until the pool is closed, reconnecting after errors.
pub(crate) async fn listen(pool: PgPool, head: Arc<watch::Sender<i64>>, tokens: Arc<TokenEpoch>) {
    let process = uuid::Uuid::new_v4().simple().to_string();
    let _heartbeat = TaskGuard(tokio::spawn(heartbeat(
        pool.clone(),
        Arc::clone(&tokens),
        process.clone(),
    )));
    loop {
        let outcome = run(&pool, &head, &tokens, &process).await;
        tokens.moved(false);
        let error = match outcome {
            Ok(()) => return,
            Err(error) => error,
        };
        if pool.is_closed() {
            return;
        }
        tracing::warn!(%error, "event notification listener failed; reconnecting");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Sends this process's heartbeat through the database, forever.
async fn heartbeat(pool: PgPool, tokens: Arc<TokenEpoch>, process: String) {
    let mut every = tokio::time::interval(HEARTBEAT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let sequence = tokens.heartbeat_sent(Instant::now());
        let send = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(TOKENS_CHANNEL)
            .bind(format!("hb:{process}:{sequence}"))
            .execute(&pool);
        match tokio::time::timeout(HEARTBEAT_EVERY * 2, send).await {
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::debug!(%error, "token heartbeat not sent"),
            Err(_) => tracing::debug!("token heartbeat timed out"),
        }
    }
}

async fn run(
    pool: &PgPool,
    head: &watch::Sender<i64>,
    tokens: &TokenEpoch,
    process: &str,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, TOKENS_CHANNEL]).await?;
    tokens.moved(true);
    catch_up(pool, head, tokens).await;
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.channel() == TOKENS_CHANNEL => {
                match notification.payload().strip_prefix("hb:") {
                    Some(beat) => {
                        if let Some((from, sequence)) = beat.split_once(':')
                            && from == process
                            && let Ok(sequence) = sequence.parse()
                        {
                            tokens.heartbeat_received(sequence);
                        }
                    }
                    None => tokens.token_changed(),
                }
            }
            Ok(Some(notification)) => match notification.payload().parse::<i64>() {
                Ok(position) => {
                    tokens.notified(position);
                    advance(head, position);
                }
                Err(_) => catch_up(pool, head, tokens).await,
            },
            // The connection was lost and re-established: what was sent in between is
            // lost, so forget what was confirmed about tokens and look at the head.
            Ok(None) => {
                tokens.moved(false);
                tokens.moved(true);
                catch_up(pool, head, tokens).await;
            }
            Err(sqlx::Error::PoolClosed) => return Ok(()),
            Err(error) => return Err(error),
        }
    }
}

async fn catch_up(pool: &PgPool, head: &watch::Sender<i64>, tokens: &TokenEpoch) {
    match read::head(pool).await {
        Ok(position) => {
            tokens.notified(position);
            advance(head, position);
        }
        Err(error) => tracing::debug!(%error, "reading the head after reconnecting failed"),
    }
}
