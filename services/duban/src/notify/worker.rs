//! One endpoint's worker: reads the global log in order from the endpoint's checkpoint,
//! sends what passes its filter and scope, and moves the checkpoint only past events
//! the receiver acknowledged with 2xx (or that were not for it). A failed attempt is
//! retried with exponential backoff and jitter, in place, so the endpoint's order is
//! the log's; past the give-up limit the delivery is FAILED and the endpoint failing,
//! and the worker keeps probing at the longest delay until the receiver is back, when
//! the backlog drains by itself. At least once: a crash between sending and moving the
//! checkpoint sends again, with the same idempotency id.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};

use duban_domain::endpoint::Endpoint;
use duban_domain::ids::EndpointId;
use duban_store::RecordedEvent;

use super::flusher::Written;
use super::ledger::{Attempt, Progress, now_ms};
use super::message::{self, Message};
use super::notifier::Notifier;
use super::send;
use crate::error::ServiceResult;

/// Events read per step.
const BATCH: i64 = 200;
/// Progress is handed to the flusher at least this often while a worker is busy...
const HAND_EVERY: Duration = Duration::from_millis(250);
/// ...or once this many acknowledged deliveries wait.
const HAND_MAX: usize = 1_000;

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

/// The worker's place in the log and what it has not yet had written.
struct Place {
    key: String,
    /// The last position delivered or skipped.
    through: i64,
    /// The position last handed to the flusher.
    handed: i64,
    /// Acknowledged attempts not handed in yet.
    attempts: Vec<Attempt>,
    /// When progress was last handed in.
    since: Instant,
    /// The last hand-in, until it is known to be written.
    in_flight: Option<Written>,
    /// When the lease was last taken or renewed.
    leased: Option<Instant>,
}

impl Place {
    fn new(key: &str, through: i64) -> Self {
        Place {
            key: key.to_owned(),
            through,
            handed: through,
            attempts: Vec::new(),
            since: Instant::now(),
            in_flight: None,
            leased: None,
        }
    }

    fn due(&self) -> bool {
        self.attempts.len() >= HAND_MAX
            || (self.through > self.handed && self.since.elapsed() >= HAND_EVERY)
    }

    /// Hands the progress so far to the flusher once the previous hand-in is written;
    /// false when that one was not (the lease is lost).
    async fn hand(&mut self, n: &Notifier) -> bool {
        if let Some(previous) = self.in_flight.take()
            && !previous.wait().await
        {
            return false;
        }
        if self.through > self.handed || !self.attempts.is_empty() {
            self.in_flight = Some(n.flusher.hand(Progress {
                endpoint: self.key.clone(),
                through: self.through,
                attempts: std::mem::take(&mut self.attempts),
            }));
            self.handed = self.through;
        }
        self.since = Instant::now();
        true
    }

    /// Hands in what is left and waits until all of it is written.
    async fn settle(&mut self, n: &Notifier) -> bool {
        if !self.hand(n).await {
            return false;
        }
        match self.in_flight.take() {
            Some(last) => last.wait().await,
            None => true,
        }
    }

    /// Renews the lease when a third of it has passed; false when another server has it.
    async fn keep_lease(&mut self, n: &Notifier) -> ServiceResult<bool> {
        if self
            .leased
            .is_some_and(|at| at.elapsed() < n.config.lease / 3)
        {
            return Ok(true);
        }
        let held = n.ledger.lease(&self.key, &n.owner, lease_ms(n)).await?;
        self.leased = held.then(Instant::now);
        Ok(held)
    }
}

async fn work(n: &Notifier, key: &str) -> ServiceResult<Ended> {
    let mut changes = n.app.store.subscribe();
    // Secrets never change once registered.
    let secret = n.ledger.secret(key).await?;
    let Some(from) = n.ledger.checkpoint(key).await? else {
        return Ok(Ended::Removed);
    };
    let mut place = Place::new(key, from);
    loop {
        let endpoint = match active(n, key).await? {
            Ok(ep) => ep,
            Err(ended) => {
                place.settle(n).await;
                return Ok(ended);
            }
        };
        if !place.keep_lease(n).await? {
            return Ok(Ended::ForNow);
        }
        let batch = n.app.store.read_all(place.through, BATCH).await?;
        let Some(last) = batch.last().map(|r| r.position) else {
            // Caught up: have everything written, then wait for new events, renewing
            // the lease well before it runs out.
            if !place.settle(n).await {
                return Ok(Ended::ForNow);
            }
            let _ = tokio::time::timeout(n.config.lease / 3, changes.changed()).await;
            continue;
        };
        n.app.read.wait_for(last).await?;
        if !step(n, &endpoint, secret.as_deref(), &batch, &mut place).await? {
            place.settle(n).await;
            return Ok(Ended::ForNow);
        }
    }
}

/// Delivers one batch; false when the worker must stop (lease lost, paused, removed).
async fn step(
    n: &Notifier,
    endpoint: &Endpoint,
    secret: Option<&str>,
    batch: &[RecordedEvent],
    place: &mut Place,
) -> ServiceResult<bool> {
    for rec in batch {
        if let Some(msg) = message::for_endpoint(&n.app, &n.states, endpoint, rec).await? {
            // Slow receivers: renew the lease well before it runs out.
            if !place.keep_lease(n).await? {
                return Ok(false);
            }
            match deliver(n, &place.key, endpoint, secret, rec, &msg).await? {
                Some(attempt) => place.attempts.push(attempt),
                None => return Ok(false),
            }
        }
        place.through = rec.position;
        if place.due() && !place.hand(n).await {
            return Ok(false);
        }
    }
    Ok(true)
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
