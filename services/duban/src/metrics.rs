//! Prometheus metrics: requests and latency by operation, events appended, errors by
//! code, answers from the response cache, projection lag.
//!
//! An operation is labelled by its type and first root field (`query.board`,
//! `mutation.reportProgress`), never by the client's `operationName`: the labels are
//! bounded by the schema, so 20,000 made-up names cannot grow the registry, and one
//! client's names are not shown to another. A root field the schema does not have is
//! `other`.

use std::collections::HashSet;
use std::sync::LazyLock;

use async_graphql::parser::types::{OperationType, TypeKind};

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

    /// Counts a request and its latency under its [`operation_label`].
    pub fn request(&self, operation: &str, seconds: f64) {
        self.requests.with_label_values(&[operation]).inc();
        self.latency
            .with_label_values(&[operation])
            .observe(seconds);
    }

    /// Counts an error returned to a client.
    pub fn error(&self, code: impl AsRef<str>) {
        self.errors.with_label_values(&[code.as_ref()]).inc();
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

/// The root fields of the schema's query and mutation types, and introspection's.
static ROOT_FIELDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    let mut fields: HashSet<String> = ["__schema", "__type", "__typename"]
        .map(String::from)
        .into();
    let Ok(document) = async_graphql::parser::parse_schema(crate::graphql::sdl()) else {
        return fields;
    };
    for definition in document.definitions {
        let async_graphql::parser::types::TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let name = ty.node.name.node.as_str();
        if let ("Query" | "Mutation", TypeKind::Object(object)) = (name, &ty.node.kind) {
            fields.extend(object.fields.iter().map(|f| f.node.name.node.to_string()));
        }
    }
    fields
});

/// The label of an operation: `query.<field>` or `mutation.<field>` for a root field the
/// schema has, else `other`.
pub fn operation_label(kind: Option<OperationType>, root_field: Option<&str>) -> String {
    let kind = match kind {
        Some(OperationType::Query) => "query",
        Some(OperationType::Mutation) => "mutation",
        _ => return "other".to_owned(),
    };
    match root_field {
        Some(field) if ROOT_FIELDS.contains(field) => format!("{kind}.{field}"),
        _ => "other".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_schemas_root_fields_or_other() {
        let query = Some(OperationType::Query);
        assert_eq!(operation_label(query, Some("board")), "query.board");
        assert_eq!(
            operation_label(Some(OperationType::Mutation), Some("reportProgress")),
            "mutation.reportProgress"
        );
        assert_eq!(operation_label(query, Some("__schema")), "query.__schema");
        assert_eq!(operation_label(query, Some("madeUp123")), "other");
        assert_eq!(operation_label(None, None), "other");
    }
}
