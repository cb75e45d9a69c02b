//! Following the log: /metrics and /readyz report the projection lag of a server whose
//! read models fall behind; an app opened while another writes folds every event once.

use std::net::TcpListener;
use std::sync::Arc;

use serde_json::Value;

use super::world;
use duban::App;
use duban::http::{ServerConfig, serve};
use duban_store::StreamBound;
use duban_tests::history::progress;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

async fn get(app: &TestApp, base: &str, path: &str) -> (u16, String) {
    let response = app
        .client()
        .get(format!("{base}{path}"))
        .bearer_auth(&app.office)
        .send()
        .await
        .expect("send");
    (
        response.status().as_u16(),
        response.text().await.expect("body"),
    )
}

fn lag_metric(metrics: &str) -> Option<i64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("duban_projection_lag_events "))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .map(|v| v as i64)
}

backend_tests!(
    #[tokio::test]
    metrics_and_readyz_report_the_projection_lag
);
async fn metrics_and_readyz_report_the_projection_lag(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, running) = world(&app).await;
    // A server whose read models follow the log only when told to.
    let lagging = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("open");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = serve(Arc::clone(&lagging), listener, ServerConfig { max_lag: 3 }).expect("serve");
    let handle = server.handle();
    tokio::spawn(server);
    assert_eq!(get(&app, &base, "/readyz").await.0, 200, "{backend:?}");
    assert_eq!(lag_metric(&get(&app, &base, "/metrics").await.1), Some(0));

    let head = app.event_count().await;
    for percent in [70, 72, 74, 76] {
        progress(&app, &app.office, &running, percent, "推进中").await;
    }
    let lag = app.event_count().await - head;
    assert_eq!(lag, 4);
    let (status, body) = get(&app, &base, "/readyz").await;
    assert_eq!(status, 503, "{backend:?}: {body}");
    let body: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(body["detail"]["projectionLag"], lag, "{backend:?}");
    assert_eq!(body["detail"]["maxLag"], 3);
    assert_eq!(lag_metric(&get(&app, &base, "/metrics").await.1), Some(lag));

    lagging.read.catch_up().await.expect("catch up");
    assert_eq!(get(&app, &base, "/readyz").await.0, 200, "{backend:?}");
    assert_eq!(lag_metric(&get(&app, &base, "/metrics").await.1), Some(0));
    handle.stop(true).await;
    app.stop().await;
}

/// How many events `stream` holds up to `position`.
async fn stream_version(app: &App, stream: &str, position: i64) -> i64 {
    let events = app.store.read_stream(stream, StreamBound::All).await;
    let events = events.expect("stream");
    events.iter().filter(|e| e.position <= position).count() as i64
}

backend_tests!(an_app_opened_while_another_writes_folds_each_event_once);
async fn an_app_opened_while_another_writes_folds_each_event_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let (_, running) = world(&app).await;
    let app = Arc::new(app);
    let writer = {
        let (app, running) = (Arc::clone(&app), running.clone());
        tokio::spawn(async move {
            for i in 0..100 {
                progress(&app, &app.office, &running, i, "推进中").await;
            }
        })
    };
    for _ in 0..30 {
        let other = App::open(&app.db.url(), app.app.clock.clone()).await;
        let other = other.expect("open");
        let (version, position) = other.read.read(|m| {
            let id = m.tasks.keys().find(|k| k.stream() == running).copied();
            (m.tasks[&id.expect("task")].task.version, m.position)
        });
        let stored = stream_version(&other, &running, position).await;
        assert_eq!(version, stored, "{backend:?} at {position}");
    }
    writer.await.expect("writer");
}
