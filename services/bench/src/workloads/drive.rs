//! Load drivers: a closed loop of N clients for a duration, and the projection-lag probe
//! that watches commits and the read model's position while it runs.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use duban::App;

use crate::cpu::{CpuMark, CpuSpent};
use crate::db::BenchResult;
use crate::stats::Latency;

/// What a closed-loop run did.
#[derive(Debug, Clone)]
pub struct LoopResult {
    /// Latencies of the calls that succeeded.
    pub latencies: Vec<Duration>,
    /// Calls sent (succeeded + failed).
    pub sent: u64,
    /// Calls that failed.
    pub errors: u64,
    /// The first error, if any.
    pub first_error: Option<String>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
    /// CPU the whole machine spent during the run (None off Linux).
    pub cpu: Option<CpuSpent>,
}

impl LoopResult {
    /// Successful calls per second.
    pub fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Runs `clients` concurrent loops for `duration`; loop `i` calls `call(i, n)` for its
/// `n`-th call, one at a time.
pub async fn closed_loop<F, Fut>(clients: usize, duration: Duration, call: F) -> LoopResult
where
    F: Fn(usize, u64) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = BenchResult<()>> + Send + 'static,
{
    let cpu = CpuMark::now();
    let started = Instant::now();
    let deadline = started + duration;
    let mut handles = Vec::new();
    for i in 0..clients {
        let call = call.clone();
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut first_error = None;
            let mut n = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match call(i, n).await {
                    Ok(()) => latencies.push(t.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| e.to_string());
                    }
                }
                n += 1;
            }
            (latencies, errors, first_error)
        }));
    }
    let mut result = LoopResult {
        latencies: vec![],
        sent: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        cpu: None,
    };
    for h in handles {
        if let Ok((latencies, errors, first_error)) = h.await {
            result.sent += latencies.len() as u64 + errors;
            result.latencies.extend(latencies);
            result.errors += errors;
            if result.first_error.is_none() {
                result.first_error = first_error;
            }
        }
    }
    result.elapsed = started.elapsed();
    result.cpu = cpu.and_then(|c| c.spent());
    result
}

/// Projection lag observed while a workload ran.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lag {
    /// Time from a commit being announced (the store's head watch) until the read
    /// model's position reached it, per observed head value.
    pub time: Latency,
    /// Sampled head minus read-model position (events), every millisecond.
    pub events: Latency,
}

/// Watches `app`'s commits and read-model position until stopped.
pub struct LagProbe {
    stop: Arc<AtomicBool>,
    handle: tokio::task::JoinHandle<Lag>,
}

impl LagProbe {
    /// Starts watching.
    pub fn start(app: &Arc<App>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let app = Arc::clone(app);
        let flag = Arc::clone(&stop);
        let handle = tokio::spawn(async move {
            let mut rx = app.store.subscribe();
            rx.borrow_and_update();
            let mut pending: std::collections::VecDeque<(i64, Instant)> = Default::default();
            let mut lags_ms = Vec::new();
            let mut lag_events = Vec::new();
            let mut tick = tokio::time::interval(Duration::from_millis(1));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            while !flag.load(Ordering::Relaxed) {
                tokio::select! {
                    changed = rx.changed() => {
                        if changed.is_err() { break; }
                        let head = *rx.borrow_and_update();
                        pending.push_back((head, Instant::now()));
                    }
                    _ = tick.tick() => {}
                }
                let position = app.read.position();
                let now = Instant::now();
                while let Some(&(head, at)) = pending.front() {
                    if head > position {
                        break;
                    }
                    lags_ms.push(now.duration_since(at).as_secs_f64() * 1e3);
                    pending.pop_front();
                }
                let head = *rx.borrow();
                lag_events.push((head - position).max(0) as f64);
            }
            Lag {
                time: Latency::of_ms(&mut lags_ms),
                events: Latency::of_ms(&mut lag_events),
            }
        });
        Self { stop, handle }
    }

    /// Stops and summarises.
    pub async fn stop(self) -> Lag {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.await.unwrap_or_default()
    }
}
