//! What the subscriptions of one WebSocket connection share: the token the connection
//! authenticated with, and a way to have the connection closed once that token no
//! longer holds (the handler in `http::websocket` listens).
//!
//! A token is checked when the connection starts and again before each batch of events
//! is delivered, as of the batch's last event (`TokenCache::authenticate_through`): an
//! event recorded after a revocation never reaches the revoked token's holder.

use tokio::sync::mpsc::UnboundedSender;

use crate::app::App;
use crate::error::ServiceError;

/// WebSocket close code for a token that was revoked (graphql-transport-ws uses 4403
/// for Forbidden).
pub const CLOSE_REVOKED: u16 = 4403;
/// WebSocket close code when the token cannot be checked (1011: internal error; the
/// client may reconnect and try again).
pub const CLOSE_UNCHECKED: u16 = 1011;

/// Why the connection must close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Close {
    /// The WebSocket close code.
    pub code: u16,
    /// The reason, for people.
    pub reason: String,
}

/// The token of a connection and the handler's close channel.
#[derive(Clone)]
pub struct ConnectionAuth {
    token: String,
    close: UnboundedSender<Close>,
}

impl ConnectionAuth {
    /// The auth of a connection that presented `token`.
    pub fn new(token: String, close: UnboundedSender<Close>) -> Self {
        Self { token, close }
    }

    /// Whether the token still held when the event at `position` was recorded. If not
    /// (or if that cannot be known), the connection is asked to close.
    pub async fn holds_through(&self, app: &App, position: i64) -> bool {
        let checked = app
            .tokens
            .authenticate_through(app.store.as_ref(), &self.token, position)
            .await;
        match checked {
            Ok(_) => true,
            Err(ServiceError::Unauthenticated(_)) => {
                self.close_with(CLOSE_REVOKED, "the token was revoked");
                false
            }
            Err(e) => {
                tracing::error!(error = %e, "checking a subscriber's token failed");
                self.close_with(
                    CLOSE_UNCHECKED,
                    "the token cannot be checked now; reconnect shortly",
                );
                false
            }
        }
    }

    /// Asks the connection to close (it may have closed already).
    pub fn close_with(&self, code: u16, reason: &str) {
        let _ = self.close.send(Close {
            code,
            reason: reason.to_owned(),
        });
    }
}
