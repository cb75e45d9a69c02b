//! The generated log is a realistic, consistent domain history: exactly the requested
//! number of events, every event readable as a domain event, every stream replayable
//! by its aggregate, tasks in every lifecycle state, and nothing left for the overdue
//! clock to record at the end; `duban-bench log` writes it into a file of its own.

use std::collections::HashMap;

use duban_bench::generate::{generate, now};
use duban_bench::workloads::bulk::write_log;
use duban_domain::aggregate::replay;
use duban_domain::event::Event;
use duban_domain::task::{Task, TaskStatus};
use duban_domain::time::is_past_due;

#[test]
fn generated_log_is_a_consistent_domain_history() {
    let data = generate(30_000, 11);
    assert_eq!(data.items.len(), 30_000);
    assert!(data.departments.len() >= 20);
    assert!(!data.plans.is_empty());

    let mut streams: HashMap<&str, Vec<Event>> = HashMap::new();
    for item in &data.items {
        streams
            .entry(item.stream.as_str())
            .or_default()
            .push(item.event.clone());
    }
    let mut by_status: HashMap<TaskStatus, usize> = HashMap::new();
    let mut overdue = 0;
    for (stream, events) in &streams {
        if !stream.starts_with("task-") {
            continue;
        }
        let task: Task = replay(&events[..]).expect("every task stream replays to a task");
        assert_eq!(task.version, events.len() as i64);
        *by_status.entry(task.status).or_default() += 1;
        overdue += usize::from(task.overdue());
        let clock_would_mark = matches!(task.status, TaskStatus::Assigned | TaskStatus::InProgress)
            && task
                .due
                .is_some_and(|d| is_past_due(d, now()) && task.overdue_for != Some(d));
        assert!(
            !clock_would_mark,
            "{stream} is past due without TaskOverdue"
        );
    }
    for status in [
        TaskStatus::InProgress,
        TaskStatus::Closed,
        TaskStatus::PendingVerification,
    ] {
        assert!(
            by_status.get(&status).copied().unwrap_or(0) > 0,
            "no task {status:?}: {by_status:?}"
        );
    }
    assert!(overdue > 0, "some tasks are overdue at the end");
}

#[tokio::test]
async fn write_log_fills_a_new_store_once() {
    let file = duban_store::testing::TempDbFile::new();
    let url = file.url();
    assert_eq!(write_log(&url, 2_000).await.expect("write the log"), 2_000);
    let store = duban_store::connect(&url).await.expect("open the log");
    assert_eq!(store.head().await.expect("head"), 2_000);
    let again = write_log(&url, 2_000)
        .await
        .expect_err("the store is not empty");
    assert!(
        again.to_string().contains("already holds events"),
        "{again}"
    );
}
