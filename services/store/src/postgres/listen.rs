//! Commit notifications on PostgreSQL: every append NOTIFYs its new head on
//! [`CHANNEL`] (delivered at commit, in commit order); a background task LISTENs and
//! raises the store's watch channel, re-reading the head after (re)connecting, since
//! notifications sent while disconnected are lost.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::watch;

use crate::notify::advance;
use crate::postgres::read;

/// The NOTIFY channel; the payload is the new head position.
pub const CHANNEL: &str = "duban_events";

/// Listens until the pool is closed, reconnecting after errors.
pub(crate) async fn listen(pool: PgPool, head: Arc<watch::Sender<i64>>) {
    loop {
        let error = match run(&pool, &head).await {
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

async fn run(pool: &PgPool, head: &watch::Sender<i64>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    catch_up(pool, head).await;
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => match notification.payload().parse::<i64>() {
                Ok(position) => advance(head, position),
                Err(_) => catch_up(pool, head).await,
            },
            // The connection was lost and re-established: look at the head instead.
            Ok(None) => catch_up(pool, head).await,
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
