//! Notification endpoints on both backends: registering (address rules, the secret
//! shown once and never written to the log, a department endpoint), listing, pausing,
//! resuming and removing, each an event on the endpoint's stream.

use duban::ops::endpoint::AddEndpoint;
use duban_domain::Actor;
use duban_domain::endpoint::{EndpointCommand, EndpointKind};
use duban_tests::{Backend, backend_tests, fresh_db, spawn_app_on, test_now};

fn add(kind: EndpointKind, url: Option<&str>, allow_private: bool) -> AddEndpoint {
    AddEndpoint {
        name: "教育局工作群".into(),
        kind,
        url: url.map(String::from),
        department_id: None,
        event_types: vec![],
        secret: None,
        allow_private,
        command_id: None,
    }
}

async fn endpoints_are_events_and_keep_their_secret(backend: Backend) {
    let Some(db) = fresh_db(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    let t = spawn_app_on(backend, db, duban::Clock::fixed(test_now())).await;
    let app = &t.app;
    let office = Actor::office("office");
    let head = app.store.head().await.expect("head");

    // Loopback is refused unless allowed, and nothing is recorded.
    let err = app
        .add_endpoint(
            &office,
            add(
                EndpointKind::Webhook,
                Some("http://127.0.0.1:9/hook"),
                false,
            ),
        )
        .await
        .expect_err("loopback refused");
    assert_eq!(err.code(), "BAD_USER_INPUT", "{backend:?}");
    let err = app
        .add_endpoint(
            &office,
            add(EndpointKind::Webhook, Some("ftp://x.cn/"), true),
        )
        .await
        .expect_err("ftp refused");
    assert_eq!(err.code(), "BAD_USER_INPUT", "{backend:?}");
    assert_eq!(app.store.head().await.expect("head"), head, "{backend:?}");
    let err = app
        .add_endpoint(&Actor::auditor("a"), add(EndpointKind::Log, None, false))
        .await
        .expect_err("auditor refused");
    assert_eq!(err.code(), "FORBIDDEN");

    let (hook, secret) = app
        .add_endpoint(
            &office,
            add(EndpointKind::Webhook, Some("http://127.0.0.1:9/hook"), true),
        )
        .await
        .expect("webhook with private addresses allowed");
    let secret = secret.expect("a webhook's secret is shown once");
    assert_eq!(secret.len(), 64);

    let dept = t.department("教育局").await;
    let mut log = add(EndpointKind::Log, None, false);
    log.department_id = Some(dept.clone());
    log.event_types = vec!["TaskUrged".into()];
    let (log_ep, log_secret) = app.add_endpoint(&office, log).await.expect("log endpoint");
    assert!(log_secret.is_none());
    assert_eq!(log_ep.department.map(|d| d.stream()), Some(dept.clone()));

    // The secret is nowhere in the log.
    let events = app.store.read_all(0, 10_000).await.expect("log");
    assert!(
        events
            .iter()
            .all(|e| !e.payload.to_string().contains(&secret)),
        "{backend:?}: the secret must not be in the log"
    );

    let listed = app.list_endpoints().await.expect("list");
    assert_eq!(listed.len(), 2, "{backend:?}");
    assert!(listed.iter().all(|e| !e.failing && !e.endpoint.paused));

    let id = hook.id.stream();
    let paused = app
        .change_endpoint(&office, &id, EndpointCommand::Pause)
        .await
        .expect("pause");
    assert!(paused.paused);
    let err = app
        .change_endpoint(&office, &id, EndpointCommand::Pause)
        .await
        .expect_err("already paused");
    assert_eq!(err.code(), "INVALID_TRANSITION");
    app.change_endpoint(&office, &id, EndpointCommand::Resume)
        .await
        .expect("resume");
    let removed = app
        .change_endpoint(&office, &id, EndpointCommand::Remove)
        .await
        .expect("remove");
    assert!(removed.removed);
    let types: Vec<String> = app
        .store
        .read_stream(&id, duban_store::StreamBound::All)
        .await
        .expect("stream")
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        types,
        [
            "EndpointRegistered",
            "EndpointPaused",
            "EndpointResumed",
            "EndpointRemoved"
        ],
        "{backend:?}"
    );
    let err = app
        .change_endpoint(
            &office,
            &duban_domain::ids::EndpointId::new().stream(),
            EndpointCommand::Pause,
        )
        .await
        .expect_err("unknown endpoint");
    assert_eq!(err.code(), "NOT_FOUND");
    t.stop().await;
}

backend_tests!(
    #[tokio::test]
    endpoints_are_events_and_keep_their_secret
);
