//! The domain's tests, one test binary, without IO: given/when/then over the aggregates'
//! `decide` and `evolve` (`duban_domain::testkit::Given`), property tests and upcasting.
//!
//! - [`lifecycle`]: every transition and rejection of the task lifecycle, one module per
//!   section of docs/domain.md's rules.
//! - [`plan_department`]: the Plan and Department aggregates.
//! - [`notify`]: reminders before a due date and the endpoint aggregate.
//! - [`properties`]: random command sequences keep the lifecycle's invariants.
//! - [`upcast`]: stored events of older schema versions, read today.
//!
//! A new aggregate's tests go into a module of their own declared here.

mod lifecycle;
mod notify;
mod plan_department;
mod properties;
mod upcast;
