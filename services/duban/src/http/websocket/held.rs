//! Counting the operations a connection runs, against its own limit and the server's.
//!
//! Client messages are looked at before async-graphql sees them: a `subscribe` (or
//! `start` in graphql-ws) takes a slot, a `complete` (`stop`) gives it back, and so
//! does the server's `complete` or `error` for that id. A `subscribe` that finds no
//! slot is answered with an error for its id and never runs.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_graphql::http::WebSocketProtocols;
use serde::Deserialize;
use serde_json::json;

use super::{MAX_PER_CONNECTION, MAX_PER_SERVER};

/// The operations running on the server, over all connections.
#[derive(Debug, Default)]
pub struct Slots(AtomicUsize);

impl Slots {
    /// How many are in use.
    pub fn in_use(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    fn take(&self) -> bool {
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_PER_SERVER).then_some(n + 1)
            })
            .is_ok()
    }

    fn give_back(&self, count: usize) {
        self.0.fetch_sub(count, Ordering::SeqCst);
    }
}

/// The type and id of a protocol message; the rest is not read here.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
}

/// The ids a connection has running, and the slots they hold.
pub struct Held {
    ids: HashSet<String>,
    slots: Arc<Slots>,
    protocol: WebSocketProtocols,
}

impl Held {
    /// Nothing held yet.
    pub fn new(slots: Arc<Slots>, protocol: WebSocketProtocols) -> Self {
        Self {
            ids: HashSet::new(),
            slots,
            protocol,
        }
    }

    /// Whether a client message may go on to the protocol; `Err` carries the answer to
    /// send instead. Messages that are not JSON go on (the protocol refuses them).
    pub fn admit(&mut self, message: &[u8]) -> Result<(), String> {
        let Ok(Envelope {
            kind: Some(kind),
            id: Some(id),
        }) = serde_json::from_slice::<Envelope>(message)
        else {
            return Ok(());
        };
        match kind.as_str() {
            "subscribe" | "start" => {
                if self.ids.contains(&id) {
                    return Ok(());
                }
                if self.ids.len() >= MAX_PER_CONNECTION {
                    return Err(self.refusal(
                        &id,
                        &format!(
                            "this connection already runs {MAX_PER_CONNECTION} operations: \
                             complete one first"
                        ),
                    ));
                }
                if !self.slots.take() {
                    return Err(self.refusal(
                        &id,
                        &format!(
                            "the server already runs {MAX_PER_SERVER} operations over \
                             WebSocket: try again later"
                        ),
                    ));
                }
                self.ids.insert(id);
            }
            "complete" | "stop" => self.release(&id),
            _ => {}
        }
        Ok(())
    }

    /// Notes a server message: a `complete` or `error` ends its operation.
    pub fn observe(&mut self, message: &str) {
        if let Ok(Envelope {
            kind: Some(kind),
            id: Some(id),
        }) = serde_json::from_str::<Envelope>(message)
            && matches!(kind.as_str(), "complete" | "error")
        {
            self.release(&id);
        }
    }

    /// Gives back every slot (the connection ended).
    fn release_all(&mut self) {
        self.slots.give_back(self.ids.len());
        self.ids.clear();
    }

    fn release(&mut self, id: &str) {
        if self.ids.remove(id) {
            self.slots.give_back(1);
        }
    }

    /// The protocol's error message for `id`.
    fn refusal(&self, id: &str, message: &str) -> String {
        let code = crate::error::ErrorCode::BadUserInput.as_str();
        let error = json!({ "message": message, "extensions": { "code": code } });
        let payload = match self.protocol {
            WebSocketProtocols::GraphQLWS => json!([error]),
            WebSocketProtocols::SubscriptionsTransportWS => error,
        };
        json!({ "id": id, "type": "error", "payload": payload }).to_string()
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.release_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subscribe(id: usize) -> Vec<u8> {
        json!({ "id": id.to_string(), "type": "subscribe", "payload": { "query": "{a}" } })
            .to_string()
            .into_bytes()
    }

    #[test]
    fn a_connection_holds_at_most_its_limit_and_gives_slots_back() {
        let slots = Arc::new(Slots::default());
        let mut held = Held::new(Arc::clone(&slots), WebSocketProtocols::GraphQLWS);
        for id in 0..MAX_PER_CONNECTION {
            assert!(held.admit(&subscribe(id)).is_ok());
        }
        let refused = held
            .admit(&subscribe(MAX_PER_CONNECTION))
            .expect_err("over");
        assert!(refused.contains("\"type\":\"error\""), "{refused}");
        assert_eq!(slots.in_use(), MAX_PER_CONNECTION);
        assert!(held.admit(br#"{"id":"0","type":"complete"}"#).is_ok());
        held.observe(r#"{"id":"1","type":"complete"}"#);
        assert_eq!(slots.in_use(), MAX_PER_CONNECTION - 2);
        drop(held);
        assert_eq!(slots.in_use(), 0);
    }

    #[test]
    fn the_server_limit_holds_over_connections() {
        let slots = Arc::new(Slots::default());
        let mut connections: Vec<Held> = Vec::new();
        let mut admitted = 0;
        for _ in 0..(MAX_PER_SERVER / MAX_PER_CONNECTION + 2) {
            let mut held = Held::new(Arc::clone(&slots), WebSocketProtocols::GraphQLWS);
            for id in 0..MAX_PER_CONNECTION {
                admitted += usize::from(held.admit(&subscribe(id)).is_ok());
            }
            connections.push(held);
        }
        assert_eq!(admitted, MAX_PER_SERVER);
        connections.clear();
        assert_eq!(slots.in_use(), 0);
    }
}
