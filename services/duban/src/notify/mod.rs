//! Notifications delivered from the event log (see `docs/notifications.md`).
//!
//! - [`sign`]: the generic webhook's `X-Duban-Signature` and 钉钉's signed URL.
//! - [`address`]: which endpoint URLs the server may call (http/https only; no
//!   loopback, link-local or private addresses unless allowed).
//! - [`format`]: the messages: generic webhook JSON and the Chinese Markdown of the
//!   企业微信 / 钉钉 / 飞书 group robots.
//! - [`cli`]: `duban endpoint …` (the commands are in [`crate::ops::endpoint`]).
//! - The delivery worker: [`notifier`] (configuration, one task per endpoint,
//!   counters) on [`background`] threads below the server's priority, [`worker`] (one
//!   endpoint's checkpointed reader of the log, retries), [`flusher`] (every worker's
//!   progress written in one transaction),
//!   [`message`] (what an endpoint is sent for an event; [`bulletin`] for the weekly
//!   digests and quarterly circulars), [`send`] (one HTTP attempt),
//!   [`ledger`] (checkpoints, leases, deliveries).

pub mod address;
pub mod background;
pub mod bulletin;
pub mod cli;
pub mod flusher;
pub mod format;
pub mod ledger;
pub mod message;
pub mod notifier;
pub mod send;
pub mod sign;
pub mod worker;

/// The server's notification settings that commands read.
#[derive(Debug, Default)]
pub struct NotifySettings {
    allow_private: std::sync::atomic::AtomicBool,
}

impl NotifySettings {
    /// Whether endpoints may be on loopback, private and link-local addresses
    /// (`serve --allow-private-endpoints`).
    pub fn allow_private(&self) -> bool {
        self.allow_private
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Allows or refuses private addresses for endpoints registered through the API.
    pub fn set_allow_private(&self, allow: bool) {
        self.allow_private
            .store(allow, std::sync::atomic::Ordering::Relaxed);
    }
}
