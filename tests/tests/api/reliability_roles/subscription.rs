//! `taskEvents` over WebSocket (graphql-transport-ws): without a valid token the
//! connection is closed with UNAUTHENTICATED before any acknowledgement; a department
//! asking for another department's events gets FORBIDDEN; the lead department receives
//! the events of its own task.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::world::{Who, World};

type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a graphql-transport-ws connection and sends `connection_init` with `payload`.
async fn connect(w: &World, payload: Value) -> Ws {
    let mut request = w.app.ws_url().into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    send(
        &mut ws,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    ws
}

async fn send(ws: &mut Ws, message: Value) {
    ws.send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

/// The next message, within 10 s.
async fn next(ws: &mut Ws) -> Option<Message> {
    tokio::time::timeout(Duration::from_secs(10), ws.next())
        .await
        .expect("an answer within 10 s")
        .map(|m| m.expect("a message"))
}

/// The next text message as JSON.
async fn next_json(ws: &mut Ws) -> Value {
    loop {
        match next(ws).await {
            Some(Message::Text(text)) => return serde_json::from_str(&text).expect("json"),
            Some(Message::Ping(_) | Message::Pong(_)) => continue,
            other => panic!("expected a text message, got {other:?}"),
        }
    }
}

/// An acknowledged connection of `who`.
async fn open(w: &World, who: Who) -> Ws {
    let token = w.token(who).expect("a token");
    let mut ws = connect(w, json!({ "authorization": format!("Bearer {token}") })).await;
    assert_eq!(next_json(&mut ws).await["type"], "connection_ack");
    ws
}

/// Runs the checks of this module on the world.
pub async fn check(w: &World) {
    for payload in [
        json!({}),
        json!({ "authorization": "Bearer dbn_this-token-was-never-issued" }),
    ] {
        let mut ws = connect(w, payload.clone()).await;
        match next(&mut ws).await {
            Some(Message::Close(Some(frame))) => {
                assert!(
                    frame.reason.contains("UNAUTHENTICATED"),
                    "{payload}: {frame:?}"
                );
            }
            other => panic!("{payload}: expected a close frame, got {other:?}"),
        }
    }

    let subscribe = |department: &str| {
        json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "subscription($d: ID) { taskEvents(departmentId: $d) { type streamId } }",
            "variables": { "d": department },
        }})
    };
    let mut other = open(w, Who::Other).await;
    send(&mut other, subscribe(&w.dept_a)).await;
    // The refusal comes as an `error` message or as a `next` with errors and no data.
    let refused = next_json(&mut other).await;
    let code = match refused["type"].as_str() {
        Some("error") => &refused["payload"][0]["extensions"]["code"],
        Some("next") => {
            assert_eq!(refused["payload"]["data"], Value::Null, "{refused}");
            &refused["payload"]["errors"][0]["extensions"]["code"]
        }
        _ => panic!("expected a refusal, got {refused}"),
    };
    assert_eq!(code, "FORBIDDEN", "{refused}");

    let mut lead = open(w, Who::Lead).await;
    send(&mut lead, subscribe(&w.dept_a)).await;
    // Give the server a moment to start the stream before the event is recorded.
    tokio::time::sleep(Duration::from_millis(300)).await;
    w.office(
        "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { id } }",
        json!({ "t": w.measure }),
    )
    .await;
    let event = next_json(&mut lead).await;
    assert_eq!(event["type"], "next", "{event}");
    assert_eq!(
        event["payload"]["data"]["taskEvents"]["type"], "TaskUrged",
        "{event}"
    );
    assert_eq!(
        event["payload"]["data"]["taskEvents"]["streamId"],
        json!(w.measure_stream)
    );
}
