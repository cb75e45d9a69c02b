//! The overdue clock end to end on both backends: the due date passes at 00:00
//! Asia/Shanghai of the next day, to the second; exactly one `TaskOverdue` per task and
//! due date (a second pass, a restarted app, and two apps racing on the same database
//! record nothing more); an extended deadline that passes records a second one.
//!
//! `DUBAN_NOW` is read only from the process environment by `Clock::from_env`; setting
//! it in a test needs `unsafe` (forbidden in this workspace), so it is not covered here.

use std::sync::Arc;

use serde_json::json;

use duban::App;
use duban_tests::history::{assign, at, extend, measure, overdue_count, plan, tick};
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

const OVERDUE: &str = "query($id: ID!) { task(id: $id) { overdue due } }";

async fn one_task(app: &TestApp, due: &str) -> String {
    at(app, "2024-06-01T09:00:00+08:00");
    let dept = app.department("住建局").await;
    let p = plan(app, "实施方案").await;
    let m = measure(app, &p, "一(1)", "新建运动场").await;
    assign(app, &m, &dept, &[], due).await;
    m
}

async fn overdue_flag(app: &TestApp, task: &str) -> bool {
    let data = app.ok(&app.office, OVERDUE, json!({ "id": task })).await;
    data["task"]["overdue"].as_bool().expect("overdue")
}

backend_tests!(
    #[tokio::test]
    due_date_passes_at_midnight_once_per_due_date
);
async fn due_date_passes_at_midnight_once_per_due_date(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let m = one_task(&app, "2024-06-30").await;
    at(&app, "2024-06-30T23:59:59+08:00");
    assert_eq!(tick(&app).await, 0, "{backend:?}: the due day is not over");
    assert_eq!(overdue_count(&app, &m).await, 0);
    assert!(!overdue_flag(&app, &m).await);
    at(&app, "2024-07-01T00:00:00+08:00");
    assert_eq!(
        tick(&app).await,
        1,
        "{backend:?}: overdue from 00:00 the next day"
    );
    assert_eq!(overdue_count(&app, &m).await, 1);
    assert!(overdue_flag(&app, &m).await);
    at(&app, "2024-07-02T09:00:00+08:00");
    assert_eq!(
        tick(&app).await,
        0,
        "{backend:?}: already recorded for this due date"
    );
    assert_eq!(overdue_count(&app, &m).await, 1);

    extend(&app, &m, "2024-07-10").await;
    assert!(
        !overdue_flag(&app, &m).await,
        "{backend:?}: extension clears the flag"
    );
    at(&app, "2024-07-10T23:59:59+08:00");
    assert_eq!(tick(&app).await, 0, "{backend:?}");
    at(&app, "2024-07-11T00:00:00+08:00");
    assert_eq!(tick(&app).await, 1, "{backend:?}: the new due date passed");
    assert_eq!(tick(&app).await, 0, "{backend:?}");
    assert_eq!(overdue_count(&app, &m).await, 2, "{backend:?}");
    let history = app
        .ok(
            &app.office,
            "query($s: String!) { history(streamId: $s) { nodes { type actor data } } }",
            json!({ "s": m }),
        )
        .await;
    let overdue: Vec<_> = history["history"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|e| e["type"] == "TaskOverdue")
        .collect();
    assert_eq!(overdue[0]["data"]["due"], "2024-06-30", "{backend:?}");
    assert_eq!(overdue[1]["data"]["due"], "2024-07-10", "{backend:?}");
    assert!(
        overdue.iter().all(|e| e["actor"] == "system"),
        "{overdue:?}"
    );
    app.stop().await;
}

backend_tests!(
    #[tokio::test]
    a_restarted_app_does_not_record_it_again
);
async fn a_restarted_app_does_not_record_it_again(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let m = one_task(&app, "2024-06-30").await;
    at(&app, "2024-07-01T09:00:00+08:00");
    assert_eq!(tick(&app).await, 1);
    let restarted = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("reopen");
    assert_eq!(restarted.tick().await.expect("tick"), 0, "{backend:?}");
    at(&app, "2024-08-01T09:00:00+08:00");
    assert_eq!(restarted.tick().await.expect("tick"), 0, "{backend:?}");
    assert_eq!(overdue_count(&app, &m).await, 1, "{backend:?}");
    app.stop().await;
}

backend_tests!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    two_clocks_racing_record_one_overdue_per_task
);
async fn two_clocks_racing_record_one_overdue_per_task(backend: Backend) {
    const ROUNDS: u32 = 10;
    const TASKS: usize = 4;
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    at(&app, "2024-01-01T09:00:00+08:00");
    let dept = app.department("住建局").await;
    let p = plan(&app, "实施方案").await;
    // A second server process on the same database, sharing the clock.
    let other = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .expect("second app");
    let mut all = Vec::new();
    for round in 1..=ROUNDS {
        at(&app, &format!("2024-03-{round:02}T09:00:00+08:00"));
        let due = format!("2024-03-{round:02}");
        let mut tasks = Vec::new();
        for i in 0..TASKS {
            let m = measure(&app, &p, &format!("{round}({i})"), "措施").await;
            assign(&app, &m, &dept, &[], &due).await;
            tasks.push(m);
        }
        other.read.catch_up().await.expect("second app catches up");
        at(&app, &format!("2024-03-{:02}T00:00:00+08:00", round + 1));
        let (a, b) = (Arc::clone(&app.app), Arc::clone(&other));
        let first = tokio::spawn(async move { a.tick().await });
        let second = tokio::spawn(async move { b.tick().await });
        let marked_a = first.await.expect("join").expect("first clock");
        let marked_b = second.await.expect("join").expect("second clock");
        assert_eq!(marked_a + marked_b, TASKS, "{backend:?} round {round}");
        all.extend(tasks);
    }
    for task in &all {
        assert_eq!(overdue_count(&app, task).await, 1, "{backend:?} {task}");
    }
    app.stop().await;
}
