//! The reminder clock end to end on both backends: a task due 2025-07-10 gets its
//! 7-day reminder at 2025-07-03T09:00+08:00 and not at 08:59:59; exactly once across a
//! second server on the same database and a restart; an extension to 2025-07-20 moves
//! the next reminder to 2025-07-13 09:00.

use serde_json::{Value, json};

use duban::App;
use duban_tests::history::{assign, at, extend, measure, plan};
use duban_tests::{Backend, TestApp, backend_tests, fresh_db, spawn_app_on, test_now};

/// The `TaskReminderDue` events of a task, as (due, daysBefore), read through the API.
async fn reminders(app: &TestApp, task: &str) -> Vec<(String, i64)> {
    let data = app
        .ok(
            &app.office,
            "query($s: String!) { history(streamId: $s) { nodes { type actor data } } }",
            json!({ "s": task }),
        )
        .await;
    data["history"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|e| e["type"] == "TaskReminderDue")
        .map(|e: &Value| {
            assert_eq!(e["actor"], "system");
            (
                e["data"]["due"].as_str().expect("due").to_string(),
                e["data"]["days_before"].as_i64().expect("days_before"),
            )
        })
        .collect()
}

async fn reminders_fall_due_once_across_servers(backend: Backend) {
    let Some(db) = fresh_db(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    let app = spawn_app_on(backend, db, duban::Clock::fixed(test_now())).await;
    at(&app, "2025-06-20T10:00:00+08:00");
    let dept = app.department("教育局").await;
    let p = plan(&app, "实施方案").await;
    let m = measure(&app, &p, "一(1)", "配齐音乐教室").await;
    assign(&app, &m, &dept, &[], "2025-07-10").await;
    // A second server on the same database, sharing the clock.
    let other = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("second app");

    at(&app, "2025-07-03T08:59:59+08:00");
    assert_eq!(app.app.remind().await.expect("remind"), 0, "{backend:?}");
    other.read.catch_up().await.expect("catch up");
    assert_eq!(other.remind().await.expect("remind"), 0, "{backend:?}");
    assert!(reminders(&app, &m).await.is_empty(), "{backend:?}");

    at(&app, "2025-07-03T09:00:00+08:00");
    // Both servers race on the same moment: one reminder.
    let (a, b) = tokio::join!(app.app.remind(), other.remind());
    assert_eq!(
        a.expect("remind") + b.expect("remind"),
        1,
        "{backend:?}: one of two racing clocks records it"
    );
    other.read.catch_up().await.expect("catch up");
    assert_eq!(other.remind().await.expect("remind"), 0, "{backend:?}");
    // A restarted server records nothing more.
    let restarted = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("restart");
    at(&app, "2025-07-05T12:00:00+08:00");
    assert_eq!(restarted.remind().await.expect("remind"), 0, "{backend:?}");
    assert_eq!(
        reminders(&app, &m).await,
        vec![("2025-07-10".to_string(), 7)],
        "{backend:?}"
    );

    // The extension moves the next reminder to 07-13 09:00 (7 days before 07-20).
    extend(&app, &m, "2025-07-20").await;
    at(&app, "2025-07-09T09:00:00+08:00");
    assert_eq!(
        app.app.remind().await.expect("remind"),
        0,
        "{backend:?}: the one-day reminder of the old due date is gone"
    );
    at(&app, "2025-07-13T08:59:59+08:00");
    assert_eq!(app.app.remind().await.expect("remind"), 0, "{backend:?}");
    at(&app, "2025-07-13T09:00:00+08:00");
    restarted.read.catch_up().await.expect("catch up");
    let (a, b) = tokio::join!(app.app.remind(), restarted.remind());
    assert_eq!(a.expect("remind") + b.expect("remind"), 1, "{backend:?}");
    assert_eq!(
        reminders(&app, &m).await,
        vec![("2025-07-10".to_string(), 7), ("2025-07-20".to_string(), 7)],
        "{backend:?}"
    );
    app.stop().await;
}

backend_tests!(reminders_fall_due_once_across_servers);
