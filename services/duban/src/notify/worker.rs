//! One endpoint's worker: reads the global log in order from the endpoint's checkpoint,
//! sends what passes its filter and scope, and moves the checkpoint only past events
//! the receiver acknowledged with 2xx (or that were not for it). A failed attempt is
//! retried with exponential backoff and jitter, in place, so the endpoint's order is
//! the log's; past the give-up limit the delivery is FAILED and the endpoint failing,
//! and the worker keeps probing at the longest delay until the receiver is back, when
//! the backlog drains by itself. At least once: a crash between sending and moving the
//! checkpoint sends again, with the same idempotency id.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use duban_domain::endpoint::Endpoint;
use duban_domain::ids::EndpointId;
use duban_store::RecordedEvent;

use super::ledger::{Attempt, now_ms};
use super::message::{self, Message};
use super::notifier::Notifier;
use super::send;
use crate::error::ServiceResult;

/// Events read per step.
const BATCH: i64 = 200;
/// Acknowledged deliveries recorded per transaction.
const FLUSH: usize = 64;

/// Why a worker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The endpoint was removed: no worker is needed again.
    Removed,
    /// Paused, not registered yet, another server's, or an error: a later scan retries.
    ForNow,
}

/// Runs the worker of endpoint `key` (its uuid) while this server holds its lease.
pub async fn run(n: &Notifier, key: &str) -> Ended {
    match work(n, key).await {
        Ok(ended) => {
            let _ = n.ledger.release(key, &n.owner).await;
            ended
        }
        Err(e) => {
            tracing::warn!(endpoint = key, error = %e, "delivery worker stopped; will restart");
            Ended::ForNow
        }
    }
}

/// The endpoint's state when it is active, or why its worker ends.
async fn active(n: &Notifier, key: &str) -> ServiceResult<Result<Endpoint, Ended>> {
    let Ok(id) = EndpointId::parse("id", key) else {
        return Ok(Err(Ended::Removed));
    };
    Ok(match n.app.load::<Endpoint>(&id.stream()).await? {
        None => Err(Ended::ForNow),
        Some(ep) if ep.removed => Err(Ended::Removed),
        Some(ep) if ep.paused => Err(Ended::ForNow),
        Some(ep) => Ok(ep),
    })
}

fn lease_ms(n: &Notifier) -> i64 {
    i64::try_from(n.config.lease.as_millis()).unwrap_or(i64::MAX / 4)
}

async fn work(n: &Notifier, key: &str) -> ServiceResult<Ended> {
    let mut changes = n.app.store.subscribe();
    // Secrets never change once registered.
    let secret = n.ledger.secret(key).await?;
    loop {
        let endpoint = match active(n, key).await? {
            Ok(ep) => ep,
            Err(ended) => return Ok(ended),
        };
        if !n.ledger.lease(key, &n.owner, lease_ms(n)).await? {
            return Ok(Ended::ForNow);
        }
        let Some(from) = n.ledger.checkpoint(key).await? else {
            return Ok(Ended::Removed);
        };
        let batch = n.app.store.read_all(from, BATCH).await?;
        let Some(last) = batch.last().map(|r| r.position) else {
            // Wait for new events, renewing the lease well before it runs out.
            let _ = tokio::time::timeout(n.config.lease / 3, changes.changed()).await;
            continue;
        };
        n.app.read.wait_for(last).await?;
        if !step(n, key, &endpoint, secret.as_deref(), &batch).await? {
            return Ok(Ended::ForNow);
        }
    }
}

/// Delivers one batch; false when the worker must stop (lease lost, paused, removed).
async fn step(
    n: &Notifier,
    key: &str,
    endpoint: &Endpoint,
    secret: Option<&str>,
    batch: &[RecordedEvent],
) -> ServiceResult<bool> {
    let mut done: Vec<Attempt> = Vec::new();
    let mut through = batch[0].position - 1;
    let mut renewed = std::time::Instant::now();
    for rec in batch {
        let Some(msg) = message::for_endpoint(&n.app, &n.states, endpoint, rec).await? else {
            through = rec.position;
            continue;
        };
        // Slow receivers: renew the lease well before it runs out.
        if renewed.elapsed() > n.config.lease / 3 {
            if !n.ledger.lease(key, &n.owner, lease_ms(n)).await? {
                n.ledger.commit(key, &n.owner, through, &done).await?;
                return Ok(false);
            }
            renewed = std::time::Instant::now();
        }
        match deliver(n, key, endpoint, secret, rec, &msg).await? {
            Some(attempt) => done.push(attempt),
            None => {
                n.ledger.commit(key, &n.owner, through, &done).await?;
                return Ok(false);
            }
        }
        through = rec.position;
        if done.len() >= FLUSH {
            if !n.ledger.commit(key, &n.owner, through, &done).await? {
                return Ok(false);
            }
            done.clear();
        }
    }
    n.ledger.commit(key, &n.owner, through, &done).await
}

/// Sends `msg` until the receiver acknowledges it; the acknowledged attempt to record,
/// or `None` when the worker must stop first.
async fn deliver(
    n: &Notifier,
    key: &str,
    endpoint: &Endpoint,
    secret: Option<&str>,
    rec: &RecordedEvent,
    msg: &Message,
) -> ServiceResult<Option<Attempt>> {
    let Some(body) = &msg.body else {
        n.metrics.attempt(endpoint.kind, "delivered");
        return Ok(Some(log_notice(endpoint, rec, msg)));
    };
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(n.config.min_backoff)
        .with_max_delay(n.config.max_backoff)
        .with_jitter()
        .without_max_times()
        .build();
    let mut first: Option<i64> = None;
    loop {
        let at = now_ms();
        let answer = send::post(
            &n.client,
            endpoint.kind,
            endpoint.url.as_deref().unwrap_or_default(),
            secret,
            &msg.id,
            body.clone(),
            n.config.allow_private,
        )
        .await;
        let code = answer.code.map(i32::from);
        if answer.delivered() {
            n.metrics.attempt(endpoint.kind, "delivered");
            if first.is_some() {
                n.ledger.set_failing(key, false).await?;
            }
            return Ok(Some(Attempt {
                position: rec.position,
                event_type: rec.event_type.clone(),
                status: "DELIVERED",
                at,
                code,
                error: None,
            }));
        }
        let started = match first {
            Some(t) => t,
            None => n
                .ledger
                .first_attempt(key, rec.position)
                .await?
                .unwrap_or(at),
        };
        first = Some(started);
        let gave_up =
            Duration::from_millis(u64::try_from(at - started).unwrap_or(0)) >= n.config.give_up;
        let status = if gave_up { "FAILED" } else { "PENDING" };
        n.metrics
            .attempt(endpoint.kind, if gave_up { "failed" } else { "retry" });
        n.ledger
            .record(
                key,
                &Attempt {
                    position: rec.position,
                    event_type: rec.event_type.clone(),
                    status,
                    at,
                    code,
                    error: answer.error.clone(),
                },
            )
            .await?;
        if gave_up {
            n.ledger.set_failing(key, true).await?;
        }
        let delay = if gave_up {
            n.config.max_backoff
        } else {
            delays.next().unwrap_or(n.config.max_backoff)
        };
        tracing::warn!(
            endpoint = %endpoint.name,
            delivery = %msg.id,
            error = answer.error.as_deref().unwrap_or("-"),
            retry_in_ms = delay.as_millis() as u64,
            "notification not delivered; will retry"
        );
        tokio::time::sleep(delay).await;
        if active(n, key).await?.is_err() || !n.ledger.lease(key, &n.owner, lease_ms(n)).await? {
            return Ok(None);
        }
    }
}

/// Writes a LOG endpoint's notice to the server's log.
fn log_notice(endpoint: &Endpoint, rec: &RecordedEvent, msg: &Message) -> Attempt {
    tracing::info!(
        target: "duban::notify",
        endpoint = %endpoint.name,
        delivery = %msg.id,
        "{}",
        msg.markdown
    );
    Attempt {
        position: rec.position,
        event_type: rec.event_type.clone(),
        status: "DELIVERED",
        at: now_ms(),
        code: None,
        error: None,
    }
}
