//! What an outside probe found on the WebSocket, over real sockets on both backends: a
//! revoked token kept its subscription; one connection could hold thousands of
//! subscriptions; a socket that never sent `connection_init` stayed open; and an event
//! of department A's task recorded just before the task went to B reached B (end to end,
//! where the two usually fold apart, and in one folded batch, where they fold together).

use std::time::{Duration, Instant};

use futures::SinkExt;
use serde_json::{Value, json};
use tokio::time::timeout;
use tokio_tungstenite::connect_async;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use duban::http::websocket::{INIT_TIMEOUT, MAX_PER_CONNECTION};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

use super::{EXPECTED_WITHIN, Socket, Subscriber, close, next_json, open};

/// Reads until the server closes the socket; returns the close code, or `None` if it
/// closed without a frame. Panics on an event delivered meanwhile.
async fn closed_with(socket: &mut Socket, within: Duration) -> Option<u16> {
    use futures::StreamExt;
    loop {
        match timeout(within, socket.next()).await {
            Ok(Some(Ok(Message::Close(frame)))) => return frame.map(|f| u16::from(f.code)),
            Ok(Some(Ok(Message::Text(text)))) => {
                let message: Value = serde_json::from_str(text.as_str()).expect("json");
                assert_ne!(
                    message["type"], "next",
                    "delivered after revocation: {message}"
                );
            }
            Ok(Some(Ok(_))) => {}
            Ok(None) | Ok(Some(Err(_))) => return None,
            Err(_) => panic!("the server kept the socket open for {within:?}"),
        }
    }
}

async fn urge(app: &TestApp, task: &str) {
    app.ok(
        &app.office,
        "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"催办\"}) { id } }",
        json!({ "t": task }),
    )
    .await;
}

backend_tests!(a_revoked_token_receives_nothing_more_and_is_disconnected);
async fn a_revoked_token_receives_nothing_more_and_is_disconnected(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let mine = app.assigned_task("人社局").await;
    let mut subscriber = Subscriber::start(&app, &mine.token).await;
    subscriber.sync(&app, &mine.task_id).await;

    let other = duban_store::open_pool(&app.db.url(), 2)
        .await
        .expect("a second connection");
    let revoked = duban::auth::revoke_token(
        &other,
        &format!("dept {}", mine.department_id),
        app.app.clock.now(),
    )
    .await
    .expect("revoke");
    assert_eq!(revoked, 1);
    let started = Instant::now();
    for _ in 0..3 {
        urge(&app, &mine.task_id).await;
    }
    let code = closed_with(&mut subscriber.socket, EXPECTED_WITHIN).await;
    assert_eq!(code, Some(4403), "{backend:?}");
    eprintln!(
        "{backend:?}: closed {:?} after the revocation",
        started.elapsed()
    );
    app.stop().await;
}

backend_tests!(one_connection_runs_at_most_its_limit_of_subscriptions);
async fn one_connection_runs_at_most_its_limit_of_subscriptions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let task = app.assigned_task("财政局").await;
    let mut socket = open(
        &app,
        json!({ "authorization": format!("Bearer {}", app.office) }),
    )
    .await;
    assert_eq!(
        next_json(&mut socket, EXPECTED_WITHIN).await,
        Some(json!({ "type": "connection_ack" }))
    );
    let attempts = MAX_PER_CONNECTION + 400;
    for id in 0..attempts {
        let subscribe = json!({
            "id": id.to_string(),
            "type": "subscribe",
            "payload": { "query": "subscription { taskEvents { type } }" },
        });
        socket
            .send(Message::text(subscribe.to_string()))
            .await
            .expect("send");
    }
    let mut refused = Vec::new();
    while let Some(message) = next_json(&mut socket, Duration::from_secs(2)).await {
        assert_eq!(message["type"], "error", "{message}");
        assert_eq!(
            message["payload"][0]["extensions"]["code"],
            "BAD_USER_INPUT"
        );
        refused.push(
            message["id"]
                .as_str()
                .expect("id")
                .parse::<usize>()
                .expect("n"),
        );
    }
    let expected: Vec<usize> = (MAX_PER_CONNECTION..attempts).collect();
    assert_eq!(refused, expected, "{backend:?}");

    // The subscriptions that run still work, and a command is not held up by them.
    let started = Instant::now();
    urge(&app, &task.task_id).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "{backend:?}: a command took {took:?}"
    );
    let mut delivered = 0;
    while let Some(message) = next_json(&mut socket, Duration::from_secs(2)).await {
        assert_eq!(message["type"], "next", "{message}");
        delivered += 1;
    }
    assert_eq!(delivered, MAX_PER_CONNECTION, "{backend:?}");

    // Completing one frees its place.
    socket
        .send(Message::text(
            json!({ "id": "0", "type": "complete" }).to_string(),
        ))
        .await
        .expect("complete");
    let again = json!({
        "id": "again",
        "type": "subscribe",
        "payload": { "query": "subscription { taskEvents { type } }" },
    });
    socket
        .send(Message::text(again.to_string()))
        .await
        .expect("send");
    urge(&app, &task.task_id).await;
    let mut ids = Vec::new();
    while let Some(message) = next_json(&mut socket, Duration::from_secs(2)).await {
        if message == json!({ "id": "0", "type": "complete" }) {
            continue;
        }
        assert_eq!(message["type"], "next", "{message}");
        ids.push(message["id"].as_str().expect("id").to_string());
    }
    assert_eq!(ids.len(), MAX_PER_CONNECTION, "{backend:?}");
    assert!(ids.iter().any(|id| id == "again") && !ids.iter().any(|id| id == "0"));
    close(&mut socket).await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_without_connection_init_is_closed_with_4408() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let mut request = app.ws_url().into_client_request().expect("ws request");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, _) = connect_async(request).await.expect("ws connect");
    let started = Instant::now();
    let code = closed_with(&mut socket, INIT_TIMEOUT + EXPECTED_WITHIN).await;
    let took = started.elapsed();
    assert_eq!(code, Some(4408));
    assert!(
        took >= INIT_TIMEOUT - Duration::from_secs(1),
        "closed after {took:?}"
    );
    app.stop().await;
}

backend_tests!(an_event_from_before_a_reassignment_stays_with_the_old_lead);
async fn an_event_from_before_a_reassignment_stays_with_the_old_lead(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let canary_b = app.assigned_task("人社局").await;
    let mut subscriber = Subscriber::start(&app, &canary_b.token).await;
    subscriber.sync(&app, &canary_b.task_id).await;
    for round in 0..10 {
        let task_a = app.assigned_task(&format!("财政局{round}")).await;
        // A reports, and the office hands the task to B at once: both commit before
        // the read model folds either, often in one batch.
        let report = app.gql(
            Some(&task_a.token),
            "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 10, note: \"n\"}) { id } }",
            json!({ "t": task_a.task_id }),
        );
        let (report, reassigned) = tokio::join!(
            report,
            app.assign(&task_a.task_id, &canary_b.department_id, "2025-12-31")
        );
        assert!(reassigned["status"].is_string());
        let got = subscriber.drain(&canary_b.task_id).await;
        let kinds: Vec<&str> = got.iter().map(|(_, kind)| kind.as_str()).collect();
        // Either A reported while the task was A's (B must not see it), or the
        // report came after the task was B's and was refused.
        assert_eq!(
            kinds,
            ["TaskAssigned"],
            "{backend:?} round {round}: report answered {}",
            report.1
        );
    }
    subscriber.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fragments_that_expand_exponentially_are_refused_over_the_socket_too() {
    let Some(app) = spawn_app(Backend::Sqlite).await else {
        return;
    };
    let mut socket = open(
        &app,
        json!({ "authorization": format!("Bearer {}", app.office) }),
    )
    .await;
    assert_eq!(
        next_json(&mut socket, EXPECTED_WITHIN).await,
        Some(json!({ "type": "connection_ack" }))
    );
    let query = duban_tests::doubling_fragments(30);
    let started = Instant::now();
    let subscribe = json!({ "id": "f", "type": "subscribe", "payload": { "query": query } });
    socket
        .send(Message::text(subscribe.to_string()))
        .await
        .expect("send");
    let answer = next_json(&mut socket, EXPECTED_WITHIN)
        .await
        .expect("an answer");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let errors = match answer["type"].as_str() {
        Some("error") => answer["payload"].clone(),
        _ => answer["payload"]["errors"].clone(),
    };
    assert_eq!(
        errors[0]["extensions"]["code"], "BAD_USER_INPUT",
        "{answer}"
    );
    close(&mut socket).await;
    app.stop().await;
}

backend_tests!(one_folded_batch_scopes_each_event_by_its_task_right_after_it);
async fn one_folded_batch_scopes_each_event_by_its_task_right_after_it(backend: Backend) {
    use duban_domain::ids::DepartmentId;
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let a = app.assigned_task("财政局").await;
    let b = app.department("人社局").await;
    // A second model over the same log that folds only when told, so A's report and
    // the reassignment to B reach its subscribers in one batch.
    let lagging = duban::App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    let (mut feed, _) = lagging.read.follow();
    app.ok(
        &a.token,
        "mutation($t: ID!) { reportProgress(input: {taskId: $t, percent: 10, note: \"n\"}) { id } }",
        json!({ "t": a.task_id }),
    )
    .await;
    app.assign(&a.task_id, &b, "2025-12-31").await;
    lagging.read.fold().await.expect("fold");
    let batch = feed.recv().await.expect("a batch");
    let lead_after = |kind: &str| {
        let folded = batch
            .iter()
            .find(|f| f.record.event_type == kind)
            .unwrap_or_else(|| panic!("{kind} in the batch"));
        folded.scope.as_ref().expect("a task scope").lead
    };
    let department = |id: &str| Some(DepartmentId::parse("department", id).expect("id"));
    assert_eq!(
        lead_after("ProgressReported"),
        department(&a.department_id),
        "{backend:?}"
    );
    assert_eq!(lead_after("TaskAssigned"), department(&b), "{backend:?}");
    app.stop().await;
}
