//! Fixed examples next to the generated run: a body over the 16 MiB limit gets 413 with a
//! coded GraphQL error (and one just under it is answered); an argument that does not
//! coerce to its type gets an error with `extensions.code` BAD_USER_INPUT (it used to come
//! back without a code, because async-graphql reports it from execution, with a path); a
//! document nested too deep is refused over HTTP and WebSocket and the server survives;
//! NUL in a stream name or a command id is bad input, not an INTERNAL PostgreSQL error.

use serde_json::{Value, json};

use duban_tests::{Backend, backend_tests, spawn_app};

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use super::request;

backend_tests!(a_body_over_the_limit_is_refused_with_413);
async fn a_body_over_the_limit_is_refused_with_413(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let limit = duban::http::graphql_over_http::MAX_BODY_BYTES;
    let pad = " ".repeat(limit);
    let body = format!(r#"{{"query":"{{ me {{ name }} }}","pad":"{pad}"}}"#);
    let response = app
        .client()
        .post(app.graphql_url())
        .bearer_auth(&app.office)
        .header("content-type", "application/json")
        .header("accept", request::GQL)
        .body(body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 413);
    let body: Value = response.json().await.expect("a GraphQL body");
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        request::BAD,
        "{body}"
    );
    assert!(body.get("data").is_none(), "{body}");
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains(&limit.to_string()), "{message}");
    // A body just under the limit is read and answered.
    let pad = " ".repeat(limit - 100);
    let body = format!(r#"{{"query":"{{ me {{ name }} }}","pad":"{pad}"}}"#);
    let (status, answer) = app.post_raw(&app.office, body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"]["me"]["name"], "test office");
    app.stop().await;
}

backend_tests!(an_argument_of_the_wrong_type_is_a_coded_error);
async fn an_argument_of_the_wrong_type_is_a_coded_error(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let cases = [
        (
            "query($v: DateTime!) { taskAsOf(id: \"x\", at: $v) { id } }",
            json!(true),
        ),
        (
            "query($v: Int) { tasks(first: $v) { totalCount } }",
            json!(2_147_483_648_i64),
        ),
        (
            "query($v: TaskFilter) { tasks(filter: $v) { totalCount } }",
            json!("str"),
        ),
        (
            "query($v: Int!) { quarterlyDispatch(year: 2025, quarter: $v) { year } }",
            json!(1.5),
        ),
    ];
    for (query, value) in cases {
        let (status, body) = app
            .gql(Some(&app.office), query, json!({ "v": value }))
            .await;
        assert!(status == 200 || status == 400, "{status} {body}");
        let errors = body["errors"].as_array().expect("errors");
        assert!(!errors.is_empty(), "{body}");
        for error in errors {
            assert_eq!(error["extensions"]["code"], request::BAD, "{query}: {body}");
        }
    }
    app.stop().await;
}

/// Documents nested hundreds to tens of thousands of levels deep, in selections, lists
/// and input objects (350 list brackets used to overflow a worker's stack and abort the
/// whole server).
fn deep_documents() -> Vec<String> {
    let mut documents = Vec::new();
    for n in [65, 350, 1_000, 50_000] {
        documents.push(format!("{}{}", "{ a ".repeat(n), "}".repeat(n)));
        documents.push(format!(
            "{{ tasks(filter: {{kind: {}MEASURE{}}}) {{ totalCount }} }}",
            "[".repeat(n),
            "]".repeat(n)
        ));
        documents.push(format!(
            "{{ tasks(filter: {}{}) {{ totalCount }} }}",
            "{a: ".repeat(n),
            "}".repeat(n)
        ));
    }
    documents
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_nested_too_deep_are_refused_and_the_server_survives() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    for query in deep_documents() {
        let (status, body) = app.gql(Some(&app.office), &query, json!({})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            request::BAD,
            "{body}"
        );
    }
    // The same over WebSocket, where frames are up to 64 KiB.
    let mut ws = ws_connect(&app.ws_url(), &app.office).await;
    for (id, query) in deep_documents().into_iter().enumerate() {
        if query.len() > 60_000 {
            continue;
        }
        let subscribe = json!({ "id": id.to_string(), "type": "subscribe",
            "payload": { "query": format!("subscription {query}") } });
        ws.send(Message::Text(subscribe.to_string().into()))
            .await
            .expect("send");
        // A refusal before execution comes as `error`, or as `next` with errors only.
        let mut answer = ws_next(&mut ws).await;
        while answer["type"] == "complete" {
            answer = ws_next(&mut ws).await;
        }
        assert_eq!(answer["id"], id.to_string(), "{answer}");
        let errors = match answer["type"].as_str() {
            Some("error") => &answer["payload"],
            Some("next") if answer["payload"]["data"].is_null() => &answer["payload"]["errors"],
            _ => panic!("expected a refusal, got {answer}"),
        };
        assert_eq!(errors[0]["extensions"]["code"], request::BAD, "{answer}");
    }
    let data = app.ok(&app.office, "{ me { role } }", json!({})).await;
    assert_eq!(data["me"]["role"], "OFFICE");
    app.stop().await;
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An acknowledged graphql-transport-ws connection.
async fn ws_connect(url: &str, token: &str) -> Ws {
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
    ws.send(Message::Text(init.to_string().into()))
        .await
        .expect("send");
    assert_eq!(ws_next(&mut ws).await["type"], "connection_ack");
    ws
}

/// The next text message as JSON, within 10 s.
async fn ws_next(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(std::time::Duration::from_secs(10), ws.next())
            .await
            .expect("an answer within 10 s")
            .expect("open")
            .expect("a message");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("json");
        }
    }
}

backend_tests!(nul_in_a_stream_name_or_command_id_is_bad_input_on_both_backends);
async fn nul_in_a_stream_name_or_command_id_is_bad_input_on_both_backends(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let task = app.assigned_task("县教育局").await;
    let before = app.event_count().await;
    let history = "query($s: String!) { history(streamId: $s) { nodes { type } } }";
    app.fails(
        &app.office,
        history,
        json!({ "s": "task-\u{0}" }),
        request::BAD,
    )
    .await;
    let urge = "mutation($t: ID!, $k: String) { urgeTask(input: {taskId: $t, note: \"催办\", \
                    commandId: $k}) { id } }";
    let vars = json!({ "t": task.task_id, "k": "key\u{0}1" });
    app.fails(&app.office, urge, vars, request::BAD).await;
    let draft = "mutation($k: String) { draftPlan(input: {title: \"方案\", region: \"鲤城区\", \
                     periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\", commandId: $k}) { id } }";
    app.fails(&app.office, draft, json!({ "k": "\u{0}" }), request::BAD)
        .await;
    assert_eq!(app.event_count().await, before);
    app.stop().await;
}
