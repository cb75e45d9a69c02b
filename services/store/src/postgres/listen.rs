//! Commit notifications on PostgreSQL: every append NOTIFYs its new head on
//! [`CHANNEL`] (delivered at commit, in commit order); a background task LISTENs and
//! raises the store's watch channel, re-reading the head after (re)connecting, since
//! notifications sent while disconnected are lost.
//!
//! The same connection LISTENs on [`TOKENS_CHANNEL`], which a trigger notifies when a
//! stored token changes; each notification, and each time the connection is lost or
//! re-established, moves the [`TokenEpoch`] on, so that token lookups cached under an
//! older epoch are not used again.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;

use crate::notify::advance;
use crate::postgres::read;

/// The NOTIFY channel; the payload is the new head position.
pub const CHANNEL: &str = "duban_events";

/// The NOTIFY channel of token changes (see migration `0003_token_changes.sql`).
pub const TOKENS_CHANNEL: &str = "duban_tokens";

/// The current token epoch: `Some(n)` while the listener is connected (`n` moves on
/// with every token change and reconnection), `None` while it is not, when nothing
/// about tokens may be assumed.
pub(crate) type TokenEpoch = std::sync::Mutex<Option<u64>>;

/// Moves the epoch on (connected) or marks it unknown (disconnected).
fn set_epoch(epoch: &TokenEpoch, connected: bool) {
    let mut current = epoch
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let next = current.map_or(0, |n| n + 1);
    *current = connected.then_some(next);
}

/// Listens until the pool is closed, reconnecting after errors.
pub(crate) async fn listen(pool: PgPool, head: Arc<watch::Sender<i64>>, tokens: Arc<TokenEpoch>) {
    loop {
        let outcome = run(&pool, &head, &tokens).await;
        set_epoch(&tokens, false);
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

async fn run(
    pool: &PgPool,
    head: &watch::Sender<i64>,
    tokens: &TokenEpoch,
) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen_all([CHANNEL, TOKENS_CHANNEL]).await?;
    set_epoch(tokens, true);
    catch_up(pool, head).await;
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.channel() == TOKENS_CHANNEL => {
                set_epoch(tokens, true);
            }
            Ok(Some(notification)) => match notification.payload().parse::<i64>() {
                Ok(position) => advance(head, position),
                Err(_) => catch_up(pool, head).await,
            },
            // The connection was lost and re-established: look at the head instead,
            // and forget what was learnt about tokens before.
            Ok(None) => {
                set_epoch(tokens, true);
                catch_up(pool, head).await;
            }
            Err(sqlx::Error::PoolClosed) => return Ok(()),
            Err(error) => return Err(error),
        }
    }
}

async fn catch_up(pool: &PgPool, head: &watch::Sender<i64>) {
    match read::head(pool).await {
        Ok(position) => advance(head, position),
        Err(error) => tracing::debug!(%error, "reading the head after reconnecting failed"),
    }
}
