//! Notifications delivered from the event log (see `docs/notifications.md`): the pure
//! parts the delivery worker is built on.
//!
//! - [`sign`]: the generic webhook's `X-Duban-Signature` and 钉钉's signed URL.
//! - [`address`]: which endpoint URLs the server may call (http/https only; no
//!   loopback, link-local or private addresses unless allowed).
//! - [`format`]: the messages: generic webhook JSON and the Chinese Markdown of the
//!   企业微信 / 钉钉 / 飞书 group robots.
//! - [`cli`]: `duban endpoint …` (the commands are in [`crate::ops::endpoint`]).

pub mod address;
pub mod cli;
pub mod format;
pub mod sign;
