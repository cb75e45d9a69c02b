//! `taskEvents` over a real WebSocket speaking graphql-transport-ws, on SQLite and
//! PostgreSQL: a department's subscription delivers the events of its own tasks and none
//! of another department's; a `connection_init` with a bad or missing token is refused.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

mod security;

/// How long to wait for an expected message.
const EXPECTED_WITHIN: Duration = Duration::from_secs(10);
/// How long to wait after the last expected message to be sure nothing else comes.
const QUIET_FOR: Duration = Duration::from_millis(1500);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens a WebSocket on /graphql with the graphql-transport-ws subprotocol and sends
/// `connection_init` with `payload`.
async fn open(app: &TestApp, payload: Value) -> Socket {
    let mut request = app.ws_url().into_client_request().expect("ws request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, response) = connect_async(request).await.expect("ws connect");
    assert_eq!(
        response
            .headers()
            .get("sec-websocket-protocol")
            .map(|v| v.to_str().unwrap_or_default()),
        Some("graphql-transport-ws")
    );
    let init = json!({ "type": "connection_init", "payload": payload });
    socket
        .send(Message::text(init.to_string()))
        .await
        .expect("send init");
    socket
}

/// The next text message as JSON, skipping pings; `None` on close or after `wait`.
async fn next_json(socket: &mut Socket, wait: Duration) -> Option<Value> {
    loop {
        match timeout(wait, socket.next()).await {
            Err(_) | Ok(None) | Ok(Some(Err(_))) => return None,
            Ok(Some(Ok(Message::Text(text)))) => {
                let value: Value = serde_json::from_str(text.as_str()).expect("json message");
                if value["type"] == "ping" {
                    continue;
                }
                return Some(value);
            }
            Ok(Some(Ok(Message::Close(_)))) => return None,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

/// A department subscribed to `taskEvents`.
struct Subscriber {
    socket: Socket,
}

impl Subscriber {
    /// Connects with `token`, expects `connection_ack` and subscribes.
    async fn start(app: &TestApp, token: &str) -> Self {
        let mut socket = open(app, json!({ "authorization": format!("Bearer {token}") })).await;
        let ack = next_json(&mut socket, EXPECTED_WITHIN).await;
        assert_eq!(ack, Some(json!({ "type": "connection_ack" })));
        let subscribe = json!({
            "id": "1",
            "type": "subscribe",
            "payload": { "query": "subscription { taskEvents { streamId type actor } }" },
        });
        socket
            .send(Message::text(subscribe.to_string()))
            .await
            .expect("subscribe");
        Self { socket }
    }

    /// The next event delivered (streamId, type), or `None` after `wait`.
    async fn next_event(&mut self, wait: Duration) -> Option<(String, String)> {
        let message = next_json(&mut self.socket, wait).await?;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["id"], "1");
        let event = &message["payload"]["data"]["taskEvents"];
        assert!(message["payload"]["errors"].is_null(), "{message}");
        Some((
            event["streamId"].as_str().expect("streamId").to_string(),
            event["type"].as_str().expect("type").to_string(),
        ))
    }

    /// Makes sure the subscription is live: urges `canary` (a task of this department)
    /// until one of the urges is delivered, then drops the canary's events.
    async fn sync(&mut self, app: &TestApp, canary: &str) {
        for _ in 0..50 {
            app.ok(
                &app.office,
                "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"同步\"}) { id } }",
                json!({ "t": canary }),
            )
            .await;
            if let Some((stream, kind)) = self.next_event(Duration::from_millis(200)).await {
                assert_eq!((stream.as_str(), kind.as_str()), (canary, "TaskUrged"));
                return;
            }
        }
        panic!("the subscription never delivered the canary");
    }

    /// Every event delivered until nothing more arrives for [`QUIET_FOR`], without the
    /// canary's.
    async fn drain(&mut self, canary: &str) -> Vec<(String, String)> {
        let mut events = vec![];
        while let Some(event) = self.next_event(QUIET_FOR).await {
            if event.0 != canary {
                events.push(event);
            }
        }
        events
    }

    /// Closes the socket (so that the server can stop at once).
    async fn close(mut self) {
        close(&mut self.socket).await;
    }
}

/// Closes a socket and waits for the server's answer.
async fn close(socket: &mut Socket) {
    let _ = socket.close(None).await;
    while let Ok(Some(Ok(_))) = timeout(EXPECTED_WITHIN, socket.next()).await {}
}

backend_tests!(department_subscription_delivers_its_own_tasks_events_and_none_of_another);
async fn department_subscription_delivers_its_own_tasks_events_and_none_of_another(
    backend: Backend,
) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    // Canaries: one task already assigned to each department.
    let canary_a = app.assigned_task("财政局").await;
    let canary_b = app.assigned_task("人社局").await;
    let plan = app.draft_plan("实施方案").await;
    let task_a = app.define_measure(&plan, "1", "甲").await;
    let task_b = app.define_measure(&plan, "2", "乙").await;

    let mut sub_a = Subscriber::start(&app, &canary_a.token).await;
    let mut sub_b = Subscriber::start(&app, &canary_b.token).await;
    sub_a.sync(&app, &canary_a.task_id).await;
    sub_b.sync(&app, &canary_b.task_id).await;

    app.assign(&task_a, &canary_a.department_id, "2025-09-30")
        .await;
    app.assign(&task_b, &canary_b.department_id, "2025-09-30")
        .await;
    app.ok(
        &canary_b.token,
        "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 20, note: \"n\"}) \
             { id } }",
        json!({ "t": task_b }),
    )
    .await;
    app.ok(
        &app.office,
        "mutation($t: ID!) { escalateTask(input: {taskId: $t, note: \"督办\"}) { id } }",
        json!({ "t": task_a }),
    )
    .await;

    let pair = |task: &str, kind: &str| (task.to_string(), kind.to_string());
    let (got_a, got_b) = tokio::join!(
        sub_a.drain(&canary_a.task_id),
        sub_b.drain(&canary_b.task_id)
    );
    assert_eq!(
        got_a,
        [
            pair(&task_a, "TaskAssigned"),
            pair(&task_a, "TaskEscalated")
        ],
        "{backend:?}"
    );
    assert_eq!(
        got_b,
        [
            pair(&task_b, "TaskAssigned"),
            pair(&task_b, "ProgressReported")
        ],
        "{backend:?}"
    );
    sub_a.close().await;
    sub_b.close().await;
    app.stop().await;
}

backend_tests!(department_may_not_subscribe_to_another_departments_tasks);
async fn department_may_not_subscribe_to_another_departments_tasks(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let mine = app.assigned_task("财政局").await;
    let other = app.department("人社局").await;
    let mut socket = open(
        &app,
        json!({ "authorization": format!("Bearer {}", mine.token) }),
    )
    .await;
    assert_eq!(
        next_json(&mut socket, EXPECTED_WITHIN).await,
        Some(json!({ "type": "connection_ack" }))
    );
    let subscribe = json!({
        "id": "x",
        "type": "subscribe",
        "payload": {
            "query": "subscription($d: ID) { taskEvents(departmentId: $d) { type } }",
            "variables": { "d": other },
        },
    });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .expect("subscribe");
    let answer = next_json(&mut socket, EXPECTED_WITHIN)
        .await
        .expect("an answer");
    let errors = match answer["type"].as_str() {
        Some("error") => answer["payload"].clone(),
        Some("next") => answer["payload"]["errors"].clone(),
        _ => panic!("unexpected {answer}"),
    };
    assert_eq!(errors[0]["extensions"]["code"], "FORBIDDEN", "{answer}");
    close(&mut socket).await;
    app.stop().await;
}

backend_tests!(connection_init_with_a_bad_or_missing_token_is_refused);
async fn connection_init_with_a_bad_or_missing_token_is_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    for payload in [json!({ "authorization": "Bearer not-a-token" }), json!({})] {
        let mut socket = open(&app, payload.clone()).await;
        let mut closed_with = None;
        loop {
            match timeout(EXPECTED_WITHIN, socket.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => {
                    closed_with = frame;
                    break;
                }
                Ok(Some(Ok(Message::Text(text)))) => {
                    assert!(!text.contains("connection_ack"), "{payload}: {text}");
                }
                Ok(Some(Ok(_))) => {}
                Ok(None) | Ok(Some(Err(_))) => break,
                Err(_) => panic!("{payload}: the server kept the socket open"),
            }
        }
        let frame = closed_with.expect("a close frame");
        assert!(
            frame.reason.as_str().contains("UNAUTHENTICATED"),
            "{payload}: {frame:?}"
        );
    }
    app.stop().await;
}
