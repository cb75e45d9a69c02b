//! The delivery supervisor: one task per registered endpoint, so a slow or dead
//! receiver holds up only its own endpoint, never commands or other endpoints. It looks
//! for endpoints every [`DeliveryConfig::scan`] and starts a worker
//! ([`super::worker`]) for each one that has none; a worker ends when its endpoint is
//! paused or removed or another server holds its lease, and is started again on a
//! later scan.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use prometheus::{IntCounterVec, Opts};

use duban_domain::endpoint::EndpointKind;

use super::background::Background;
use super::flusher::Flusher;
use super::ledger::Ledger;
use super::message::TaskStates;
use super::worker::{self, Ended};
use crate::app::App;
use crate::error::{ServiceError, ServiceResult};

/// How deliveries are made.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// Calls to loopback, private and link-local addresses allowed.
    pub allow_private: bool,
    /// Limit on connecting to a receiver.
    pub connect_timeout: Duration,
    /// Limit on a whole attempt, from sending to the end of the answer.
    pub answer_timeout: Duration,
    /// After this long failing, a delivery is FAILED and its endpoint failing.
    pub give_up: Duration,
    /// The first retry's delay (then doubling, with jitter).
    pub min_backoff: Duration,
    /// The longest delay between retries.
    pub max_backoff: Duration,
    /// How long a server's claim on an endpoint lasts unless renewed.
    pub lease: Duration,
    /// How often endpoints are looked for.
    pub scan: Duration,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            allow_private: false,
            connect_timeout: Duration::from_secs(5),
            answer_timeout: Duration::from_secs(10),
            give_up: Duration::from_secs(24 * 3600),
            min_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(600),
            lease: Duration::from_secs(30),
            scan: Duration::from_secs(1),
        }
    }
}

/// The counters on /metrics.
#[derive(Clone)]
pub struct DeliveryMetrics {
    attempts: IntCounterVec,
}

impl DeliveryMetrics {
    fn new(app: &App) -> Self {
        let attempts = IntCounterVec::new(
            Opts::new(
                "duban_delivery_attempts_total",
                "Notification delivery attempts by endpoint kind and outcome \
                 (delivered, retry, failed)",
            ),
            &["kind", "outcome"],
        )
        .expect("valid metric");
        // A second notifier in one process (tests) keeps its own, unexported counters.
        let _ = app.metrics.register(Box::new(attempts.clone()));
        DeliveryMetrics { attempts }
    }

    /// Counts one attempt.
    pub fn attempt(&self, kind: EndpointKind, outcome: &'static str) {
        self.attempts
            .with_label_values(&[kind.as_str(), outcome])
            .inc();
    }
}

/// What every worker of a server shares.
pub struct Notifier {
    /// The application.
    pub app: Arc<App>,
    /// How deliveries are made.
    pub config: DeliveryConfig,
    /// The HTTP client (its resolver checks addresses at send time).
    pub client: reqwest::Client,
    /// The tables, on the delivery's own connections.
    pub ledger: Ledger,
    /// Writes the workers' progress, gathered.
    pub flusher: Flusher,
    /// This server's name in leases.
    pub owner: String,
    /// Counters.
    pub metrics: DeliveryMetrics,
    /// Tasks as they stood after events.
    pub states: TaskStates,
}

impl Notifier {
    /// Starts workers for endpoints that have none, forever.
    async fn supervise(self: Arc<Self>) {
        let mut running: HashMap<String, tokio::task::JoinHandle<Ended>> = HashMap::new();
        let mut removed: std::collections::HashSet<String> = Default::default();
        let mut timer = tokio::time::interval(self.config.scan);
        timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            timer.tick().await;
            let mut finished = Vec::new();
            for (id, handle) in &running {
                if handle.is_finished() {
                    finished.push(id.clone());
                }
            }
            for id in finished {
                if let Some(handle) = running.remove(&id)
                    && let Ok(Ended::Removed) = handle.await
                {
                    removed.insert(id);
                }
            }
            let ids = match self.ledger.endpoint_ids().await {
                Ok(ids) => ids,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot list endpoints; will retry");
                    continue;
                }
            };
            for id in ids {
                if running.contains_key(&id) || removed.contains(&id) {
                    continue;
                }
                let me = Arc::clone(&self);
                let key = id.clone();
                running.insert(
                    id,
                    tokio::spawn(async move { worker::run(&me, &key).await }),
                );
            }
        }
    }
}

impl App {
    /// Starts delivering notifications to the registered endpoints (see
    /// docs/notifications.md) on threads below the server's priority
    /// ([`super::background`]), until the handle is dropped.
    pub fn spawn_delivery(self: &Arc<Self>, config: DeliveryConfig) -> ServiceResult<Background> {
        let client = super::send::client(
            config.connect_timeout,
            config.answer_timeout,
            config.allow_private,
        )
        .map_err(|e| ServiceError::Internal(format!("cannot build the HTTP client: {e}")))?;
        let app = Arc::clone(self);
        let metrics = DeliveryMetrics::new(self);
        let make = move || async move {
            // Opened on the server's runtime: SQLite's connection threads are started
            // by whoever connects and inherit its priority (see `Ledger::open_beside`).
            let ledger = loop {
                let db = app.db.clone();
                let opened = app
                    .runtime
                    .spawn(async move { Ledger::open_beside(&db).await })
                    .await
                    .unwrap_or_else(|e| Err(ServiceError::Internal(e.to_string())));
                match opened {
                    Ok(ledger) => break ledger,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot open the delivery's connections; will retry");
                        tokio::time::sleep(config.scan).await;
                    }
                }
            };
            let owner = uuid::Uuid::new_v4().to_string();
            let flusher = Flusher::start(&app.runtime, ledger.clone(), owner.clone());
            let notifier = Arc::new(Notifier {
                app,
                client,
                flusher,
                ledger,
                owner,
                metrics,
                states: TaskStates::new(10_000),
                config,
            });
            notifier.supervise().await;
        };
        super::background::spawn("duban-delivery", 2, make)
            .map_err(|e| ServiceError::Internal(format!("cannot start delivery: {e}")))
    }
}
