//! duban's domain: the aggregates, their commands and events, and the rules that decide
//! between them. Pure: no IO, no clock, no database. Time and actor are passed in.
//!
//! Layout:
//! - [`aggregate`]: the `decide`/`evolve` trait every aggregate implements.
//! - [`plan`], [`department`]: the Plan and Department aggregates; [`endpoint`]: where
//!   notifications are delivered.
//! - [`task`]: the task aggregate and its shared [`task::lifecycle`]; the creation of
//!   each kind lives in [`measure`], [`milestone`] and [`rectification`].
//! - [`school`]: the School aggregate of the 优质均衡 assessment and its surveys;
//!   [`county`]: the county's school year, its answers to the guarantee items.
//! - [`event`]: every event, stored as type + schema version + payload; [`upcast`] reads
//!   older versions; `tagged` reads a stored event from its type and payload text
//!   without joining them into one document.
//! - [`actor`]: roles and who may do what; [`error`]: [`DomainError`].
//! - [`reminder`]: when a reminder before a due date falls due; [`bulletin`]: the weekly
//!   digests and quarterly circulars the clock records for delivery.
//! - [`time`]: deadlines and quarters in Asia/Shanghai; [`ids`]: ids and stream names.
//! - [`testkit`]: given/when/then for aggregate tests.

pub mod actor;
pub mod aggregate;
pub mod bulletin;
pub mod county;
pub mod department;
pub mod endpoint;
pub mod error;
pub mod event;
pub mod ids;
pub mod measure;
pub mod milestone;
pub mod plan;
pub mod rectification;
pub mod reminder;
pub mod school;
mod tagged;
pub mod task;
pub mod testkit;
pub mod time;
pub mod upcast;
mod validate;

pub use actor::{Actor, Role};
pub use aggregate::Aggregate;
pub use error::DomainError;
pub use event::Event;
