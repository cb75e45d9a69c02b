//! A `taskEvents` subscriber over graphql-transport-ws (token in `connection_init`).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a graphql-transport-ws connection and subscribes to `taskEvents`.
pub async fn subscribe(base: &str, token: &str) -> Ws {
    let mut request = format!("{}/graphql", base.replacen("http", "ws", 1))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    ws.send(Message::text(init.to_string()))
        .await
        .expect("init");
    let ack = next_message(&mut ws, Duration::from_secs(30))
        .await
        .expect("connection_ack");
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    let subscribe = json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription { taskEvents { streamId type position } }" } });
    ws.send(Message::text(subscribe.to_string()))
        .await
        .expect("subscribe");
    ws
}

/// The next JSON text message within `limit` (keep-alive pings are skipped).
pub async fn next_message(ws: &mut Ws, limit: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let message = tokio::time::timeout_at(deadline, ws.next()).await.ok()?;
        if let Message::Text(text) = message.expect("open").expect("message") {
            let value: Value = serde_json::from_str(text.as_str()).expect("json");
            if value["type"] != "ping" && value["type"] != "pong" {
                return Some(value);
            }
        }
    }
}

/// The next `taskEvents` payload within `limit`.
pub async fn next_event(ws: &mut Ws, limit: Duration) -> Option<Value> {
    let message = next_message(ws, limit).await?;
    assert_eq!(message["type"], "next", "{message}");
    Some(message["payload"]["data"]["taskEvents"].clone())
}

/// Whether an event of `task` arrives within `limit`. Events of other tasks before it are
/// passed over: the server may fold the set-up written through the other server only
/// after the subscription began, and delivers it then. The feed is in log order, so once
/// `task`'s event is here nothing older is left to come.
pub async fn event_of(ws: &mut Ws, task: &str, limit: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let Some(event) = next_event(ws, left).await else {
            return false;
        };
        if event["streamId"]
            .as_str()
            .is_some_and(|stream| stream.ends_with(task))
        {
            return true;
        }
    }
}
