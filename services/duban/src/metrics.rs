//! Prometheus metrics: requests and latency by operation, events appended, errors by
//! code, answers from the response cache, projection lag.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

/// The process's metrics.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    errors: IntCounterVec,
    appended: IntCounter,
    cached: IntCounter,
    lag: IntGauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("duban_requests_total", "GraphQL requests by operation"),
            &["operation"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "duban_request_duration_seconds",
                "GraphQL request latency by operation",
            )
            .buckets(vec![
                0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
            ]),
            &["operation"],
        )
        .expect("valid metric");
        let errors = IntCounterVec::new(
            Opts::new("duban_errors_total", "Errors returned to clients by code"),
            &["code"],
        )
        .expect("valid metric");
        let appended = IntCounter::new(
            "duban_events_appended_total",
            "Events appended by this process",
        )
        .expect("valid metric");
        let cached = IntCounter::new(
            "duban_cached_answers_total",
            "Queries answered from the response cache",
        )
        .expect("valid metric");
        let lag = IntGauge::new(
            "duban_projection_lag_events",
            "Log head minus the read model's checkpoint",
        )
        .expect("valid metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(errors.clone()),
            Box::new(appended.clone()),
            Box::new(cached.clone()),
            Box::new(lag.clone()),
        ] {
            registry.register(c).expect("unique metric");
        }
        Self {
            registry,
            requests,
            latency,
            errors,
            appended,
            cached,
            lag,
        }
    }

    /// Counts a request and its latency.
    pub fn request(&self, operation: &str, seconds: f64) {
        let op = if operation.len() > 64 {
            "other"
        } else {
            operation
        };
        self.requests.with_label_values(&[op]).inc();
        self.latency.with_label_values(&[op]).observe(seconds);
    }

    /// Counts an error returned to a client.
    pub fn error(&self, code: &str) {
        self.errors.with_label_values(&[code]).inc();
    }

    /// Counts appended events.
    pub fn events_appended(&self, n: usize) {
        self.appended.inc_by(n as u64);
    }

    /// Counts a query answered from the response cache.
    pub fn cached_answer(&self) {
        self.cached.inc();
    }

    /// Sets the projection lag.
    pub fn set_lag(&self, lag: i64) {
        self.lag.set(lag);
    }

    /// Registers a collector kept elsewhere (the delivery counters of `notify`).
    pub fn register(
        &self,
        collector: Box<dyn prometheus::core::Collector>,
    ) -> prometheus::Result<()> {
        self.registry.register(collector)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}
