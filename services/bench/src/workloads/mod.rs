//! The workloads, one module per family.
//!
//! - [`commands`]: 1 (HTTP commands), 2 (in-process commands), 6 (projection lag).
//! - [`bulk`]: 3 (bulk append), and loading generated logs.
//! - [`big`]: the 1,000,000-event log: 4 (rebuild), 7 (server memory), running 5 on it.
//! - [`queries`]: 5 (board, worklist, quarterlyDispatch at a fixed rate).
//! - [`profile`]: a timing breakdown of one command.
//! - [`validation`]: what GraphQL validation costs that command's document.
//! - [`drive`]: the closed-loop driver and the lag probe.
//! - [`assessment`]: 8 (a county's surveys imported, assessed and raised; its query).

pub mod assessment;
pub mod big;
pub mod bulk;
pub mod commands;
pub mod drive;
pub mod profile;
pub mod queries;
pub mod validation;
