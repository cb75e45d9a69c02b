//! /graphql over WebSocket (graphql-transport-ws, and the older graphql-ws). The
//! protocol itself is async-graphql's; this handler owns the connection around it to
//! enforce what the protocol leaves to the server:
//!
//! - `connection_init` must come within [`INIT_TIMEOUT`], else the connection closes
//!   with 4408, as graphql-transport-ws prescribes;
//! - at most [`MAX_PER_CONNECTION`] operations run at once on a connection and
//!   [`MAX_PER_SERVER`] on the server; a `subscribe` beyond either is answered with an
//!   error for its id and nothing runs (see [`Held`]);
//! - a revoked token closes the connection with 4403: checked before every batch of
//!   events is delivered (`graphql::connection`) and every [`RECHECK_EVERY`] besides;
//! - a client that sends nothing (not even a pong) for [`CLIENT_TIMEOUT`] is dropped.

use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderValue, SEC_WEBSOCKET_PROTOCOL};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{AggregatedMessage, CloseCode, CloseReason};
use async_graphql::Data;
use async_graphql::http::{WebSocket, WebSocketProtocols, WsMessage};
use futures::StreamExt;

use crate::app::App;
use crate::error::ServiceError;
use crate::graphql::connection::{CLOSE_REVOKED, CLOSE_UNCHECKED, Close, ConnectionAuth};
use crate::graphql::{DubanSchema, Viewer, WebSocketSchema};

mod held;

pub use held::{Held, Slots};

/// How long a connection may stay open without `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Operations (subscriptions, and queries sent over the socket) running at once on one
/// connection. A console needs one or two.
pub const MAX_PER_CONNECTION: usize = 100;
/// Operations running at once on one server, over all connections.
pub const MAX_PER_SERVER: usize = 2_000;
/// How often an idle connection's token is checked again.
const RECHECK_EVERY: Duration = Duration::from_secs(5);
/// How often the server pings.
const PING_EVERY: Duration = Duration::from_secs(5);
/// How long a client may stay silent.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest message a client may send, as over HTTP.
const MAX_MESSAGE_BYTES: usize = super::graphql_over_http::MAX_BODY_BYTES;

/// GET /graphql with `Upgrade: websocket`.
pub async fn websocket(
    req: HttpRequest,
    payload: web::Payload,
    app: web::Data<Arc<App>>,
    schema: web::Data<WebSocketSchema>,
    slots: web::Data<Slots>,
) -> actix_web::Result<HttpResponse> {
    let protocol = req
        .headers()
        .get(SEC_WEBSOCKET_PROTOCOL)
        .and_then(|value| value.to_str().ok())
        .and_then(|offered| {
            offered
                .split(',')
                .find_map(|p| WebSocketProtocols::from_str(p.trim()).ok())
        })
        .ok_or_else(|| {
            actix_web::error::ErrorBadRequest(
                "offer the graphql-transport-ws subprotocol (Sec-WebSocket-Protocol)",
            )
        })?;
    let (mut response, session, messages) = actix_ws::handle(&req, payload)?;
    response.headers_mut().insert(
        SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static(protocol.sec_websocket_protocol()),
    );
    let messages = messages
        .max_frame_size(MAX_MESSAGE_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_MESSAGE_BYTES);
    let connection = Connection {
        app: Arc::clone(&app),
        schema: schema.0.clone(),
        held: Held::new(slots.into_inner(), protocol),
        protocol,
    };
    actix_web::rt::spawn(connection.run(session, messages));
    Ok(response)
}

/// One connection's state.
struct Connection {
    app: Arc<App>,
    schema: DubanSchema,
    held: Held,
    protocol: WebSocketProtocols,
}

/// The token a connection presented in `connection_init`.
fn token_of(payload: &serde_json::Value) -> String {
    let raw = payload
        .get("authorization")
        .or_else(|| payload.get("Authorization"))
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    raw.split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map_or(raw, |(_, t)| t)
        .trim()
        .to_string()
}

fn close_reason(code: u16, reason: &str) -> CloseReason {
    CloseReason {
        code: CloseCode::from(code),
        description: Some(reason.to_owned()),
    }
}

impl Connection {
    async fn run(
        mut self,
        mut session: actix_ws::Session,
        mut messages: actix_ws::AggregatedMessageStream,
    ) {
        let (to_graphql, from_client) = futures::channel::mpsc::unbounded::<Vec<u8>>();
        let (close_tx, mut close_rx) = tokio::sync::mpsc::unbounded_channel::<Close>();
        // The token once `connection_init` was accepted.
        let token: Arc<Mutex<Option<String>>> = Arc::default();
        let on_init = {
            let app = Arc::clone(&self.app);
            let token = Arc::clone(&token);
            move |payload: serde_json::Value| async move {
                let presented = token_of(&payload);
                let info = app
                    .tokens
                    .authenticate(app.store.as_ref(), &presented)
                    .await
                    .map_err(|e| async_graphql::Error::new(format!("UNAUTHENTICATED: {e}")))?;
                let mut data = Data::default();
                data.insert(Viewer { token: info });
                data.insert(ConnectionAuth::new(presented.clone(), close_tx));
                *token.lock().unwrap_or_else(|e| e.into_inner()) = Some(presented);
                Ok(data)
            }
        };
        let mut graphql = Box::pin(
            WebSocket::new(self.schema.clone(), from_client, self.protocol)
                .on_connection_init(on_init),
        );
        let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
        tokio::pin!(init_deadline);
        let later = |every| tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        let mut recheck = later(RECHECK_EVERY);
        let mut ping = later(PING_EVERY);
        let mut heard = Instant::now();
        let current = || token.lock().unwrap_or_else(|e| e.into_inner()).clone();

        let close = loop {
            tokio::select! {
                message = messages.next() => {
                    let Some(Ok(message)) = message else { break None };
                    heard = Instant::now();
                    let bytes = match message {
                        AggregatedMessage::Text(text) => text.into_bytes().to_vec(),
                        AggregatedMessage::Binary(bytes) => bytes.to_vec(),
                        AggregatedMessage::Ping(bytes) => {
                            let _ = session.pong(&bytes).await;
                            continue;
                        }
                        AggregatedMessage::Pong(_) => continue,
                        AggregatedMessage::Close(reason) => break reason,
                    };
                    match self.held.admit(&bytes) {
                        Ok(()) => {
                            if to_graphql.unbounded_send(bytes).is_err() {
                                break None;
                            }
                        }
                        Err(refusal) => {
                            if session.text(refusal).await.is_err() {
                                break None;
                            }
                        }
                    }
                }
                reply = graphql.next() => match reply {
                    Some(WsMessage::Text(text)) => {
                        self.held.observe(&text);
                        if session.text(text).await.is_err() {
                            break None;
                        }
                    }
                    Some(WsMessage::Close(code, reason)) => break Some(close_reason(code, &reason)),
                    None => break Some(CloseCode::Normal.into()),
                },
                Some(close) = close_rx.recv() => break Some(close_reason(close.code, &close.reason)),
                () = &mut init_deadline, if current().is_none() => {
                    break Some(close_reason(4408, "Connection initialisation timeout"));
                }
                _ = recheck.tick() => {
                    let Some(presented) = current() else { continue };
                    match self.app.tokens.authenticate(self.app.store.as_ref(), &presented).await {
                        Ok(_) => {}
                        Err(ServiceError::Unauthenticated(_)) => {
                            break Some(close_reason(CLOSE_REVOKED, "the token was revoked"));
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "checking a connection's token failed");
                            break Some(close_reason(
                                CLOSE_UNCHECKED,
                                "the token cannot be checked now; reconnect shortly",
                            ));
                        }
                    }
                }
                _ = ping.tick() => {
                    if heard.elapsed() > CLIENT_TIMEOUT {
                        break Some(close_reason(1001, "the client stopped answering"));
                    }
                    if session.ping(b"").await.is_err() {
                        break None;
                    }
                }
            }
        };
        // The operations still running end with the connection (and `held` gives their
        // slots back when it is dropped).
        drop(graphql);
        let _ = session.close(close).await;
    }
}
