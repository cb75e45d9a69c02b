//! The end-to-end tests of duban, one test binary: each module runs real servers
//! (`duban_tests::spawn_app`, or the `duban` binary as a child process) over real HTTP,
//! WebSocket and databases. A scenario is an `async fn(Backend)` emitted once per backend
//! by `duban_tests::backend_tests!`, so its tests are `module::scenario::sqlite` and
//! `module::scenario::postgres`; `cargo test -p duban-tests --test api notify_` runs one
//! area. A new test goes into the module of its area, or a new module declared here.
//!
//! The GraphQL API:
//! - [`api_setup`]: `me`, departments, plans, measures, milestones, rectification items.
//! - [`api_lifecycle`]: every lifecycle mutation, in the task and in its history.
//! - [`api_queries`]: `task`, `tasks` with its filters and paging, `worklist`.
//! - [`api_errors`]: every error code the API produces, and the request limits.
//! - [`api_idempotency`]: `commandId` and read-your-writes.
//! - [`api_hardening`]: input and concurrency holes an outside probe found.
//! - [`api_response_cache`]: dashboard answers kept until what they depend on changes.
//! - [`api_tokens`]: token revocation seen by a running server.
//! - [`subscription`]: `taskEvents` over graphql-transport-ws.
//! - [`graphql_http_audit`]: the graphql-http conformance audit under Node.
//! - [`ops_endpoints`]: /healthz, /readyz, /metrics and GraphiQL.
//!
//! Read models:
//! - [`readmodels_board`]: the scheduling board and its lights.
//! - [`readmodels_dispatch`]: the quarterly dispatch and its circular.
//! - [`readmodels_history`]: history, the event log, `taskAsOf`, `verifyIntegrity`.
//! - [`readmodels_ledger`]: the rectification ledger and its exports.
//! - [`projections_rebuild`]: rebuilds, stored checkpoints and the projection lag.
//! - [`clock`]: the overdue clock.
//!
//! Imports, the assessment, the console and the command line:
//! - [`import_plan`]: `importPlan` of plan documents and tables.
//! - [`assessment`]: the 优质均衡 survey import and its rectification items.
//! - [`console_browser`]: the web console, in headless Chromium and over HTTP.
//! - [`cli`]: the real `duban` binary's subcommands.
//! - [`transfer`]: `export-events`, `import-events` and `backup`.
//!
//! Notifications:
//! - [`notify_endpoints`]: registering, pausing and removing endpoints.
//! - [`notify_delivery`]: delivery to unreliable receivers (its `kit` is shared).
//! - [`notify_reminders`]: the reminder clock.
//! - [`notify_bulletins`]: weekly digests and quarterly circulars.
//! - [`notify_crash`]: delivery across SIGKILL of `duban serve`.
//!
//! Reliability of the real binary:
//! - [`reliability_crash`]: acknowledged commands survive SIGKILL exactly once.
//! - [`reliability_cluster`]: two servers on one PostgreSQL database.
//! - [`reliability_outage`]: a PostgreSQL outage and recovery.
//! - [`reliability_hostile`]: generated hostile requests.
//! - [`reliability_roles`]: the role matrix over every operation.

mod api_errors;
mod api_hardening;
mod api_idempotency;
mod api_lifecycle;
mod api_queries;
mod api_response_cache;
mod api_setup;
mod api_tokens;
mod assessment;
mod cli;
mod clock;
mod console_browser;
mod graphql_http_audit;
mod import_plan;
mod notify_bulletins;
mod notify_crash;
mod notify_delivery;
mod notify_endpoints;
mod notify_reminders;
mod ops_endpoints;
mod projections_rebuild;
mod readmodels_board;
mod readmodels_dispatch;
mod readmodels_history;
mod readmodels_ledger;
mod reliability_cluster;
mod reliability_crash;
mod reliability_hostile;
mod reliability_outage;
mod reliability_roles;
mod subscription;
mod transfer;
