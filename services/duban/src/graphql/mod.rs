//! The GraphQL API: the contract's schema over the app.
//!
//! - [`nesting`]: refuses documents nested too deep to parse safely; [`expansion`]:
//!   refuses documents whose fragments expand too far to validate.
//! - [`connection`]: a WebSocket connection's token, checked as events are delivered.
//! - [`context`]: the viewer, the app, and service errors as coded GraphQL errors.
//! - [`scalars`], [`enums`], [`inputs`]: the contract's scalars, enums and inputs.
//! - [`types`]: Department, Plan, Task, DomainEvent and the connections; [`page`]:
//!   cursor pagination.
//! - [`query`], [`mutation`], [`subscription`]: the roots; [`lifecycle`]: the one path of
//!   the task lifecycle mutations; [`convert`]: inputs into the service's inputs by
//!   `From`; [`board`]: the board and its
//!   cache; [`readmodels`]: the quarterly dispatch and the board's rows; [`import`]:
//!   `importPlan` and `previewPlanImport`; [`file`]: `FileInput`, a file sent inline for the importers.
//! - [`assessment`]: the 优质均衡 assessment: `schools`, `assessment`, `importSurvey`;
//!   [`guarantee`]: the items answered with evidence and `answerGuaranteeItem`.
//! - [`endpoints`]: notification endpoints and their deliveries.
//! - [`validity`]: how long a request's answer holds, for the response cache.

pub mod assessment;
pub mod board;
pub mod connection;
pub mod context;
pub mod convert;
pub mod endpoints;
pub mod enums;
pub mod expansion;
pub mod file;
pub mod guarantee;
pub mod import;
pub mod inputs;
pub mod lifecycle;
pub mod mutation;
pub mod nesting;
pub mod page;
pub mod query;
pub mod readmodels;
pub mod scalars;
pub mod subscription;
pub mod types;
pub mod validity;

use std::sync::Arc;

use async_graphql::{Schema, SchemaBuilder};

use crate::app::App;

pub use context::Viewer;

/// The schema type served at /graphql.
pub type DubanSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// Query depth limit: the standard introspection query nests 13 levels deep.
pub const MAX_DEPTH: usize = 16;
/// Query complexity limit: admits the standard introspection query.
pub const MAX_COMPLEXITY: usize = 5000;

/// Where a schema serves, which decides who refuses documents nested too deep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// GraphQL over HTTP: `graphql_over_http::parse_request` counts the nesting before
    /// the schema sees the document, so the schema has no extension. (Any extension
    /// puts every resolved field through its `resolve` hook: a worklist of 300 tasks
    /// resolves ~3,600 fields.)
    Http,
    /// WebSocket: async-graphql parses the document itself, so the schema carries
    /// [`nesting::NestingGuard`].
    WebSocket,
}

/// The schema for WebSocket subscriptions (see [`Transport::WebSocket`]).
#[derive(Clone)]
pub struct WebSocketSchema(pub DubanSchema);

/// The schema's roots with the limits every transport applies (depth, complexity,
/// recursion, directives); the benchmark harness also builds from it.
pub fn schema_builder()
-> SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription> {
    Schema::build(query::Query, mutation::Mutation, subscription::Subscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(64)
        .limit_directives(20)
}

/// Builds the schema with its limits for `transport`; `app` is None only to print the
/// SDL.
pub fn build_schema(app: Option<Arc<App>>, transport: Transport) -> DubanSchema {
    let mut builder = schema_builder();
    if transport == Transport::WebSocket {
        builder = builder.extension(nesting::NestingGuard);
    }
    if let Some(app) = app {
        builder = builder.data(app).data(board::BoardCache::default());
    }
    builder.finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    build_schema(None, Transport::Http).sdl()
}
