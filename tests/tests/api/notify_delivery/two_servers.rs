//! Two live servers on one database, both delivering: each endpoint is delivered by one
//! server at a time (its lease), and when the one holding them stops delivering, the
//! other takes its endpoints over once the lease runs out. Every notice still reaches every
//! endpoint at least once, in log order, always under the same idempotency id.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;

use duban::notify::notifier::DeliveryConfig;
use duban::{App, Clock};
use duban_tests::receiver::Receiver;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app, test_now};

use super::kit::{add, config, drained, in_order_without_new_ids, notices, unreliable};

const ENDPOINTS: usize = 4;

/// The test's delivery settings: a short lease, so a takeover happens within seconds.
fn short_lease() -> DeliveryConfig {
    DeliveryConfig {
        lease: Duration::from_secs(1),
        ..config()
    }
}

/// Defines and assigns a measure, then urges it `urges` times through `t`.
async fn urged_task(t: &TestApp, plan: &str, dept: &str, n: usize, urges: usize) -> String {
    let task = t
        .define_measure(plan, &format!("二({n})"), "改薄工程")
        .await;
    t.assign(&task, dept, "2025-07-10").await;
    for i in 0..urges {
        t.ok(
            &t.office,
            "mutation($t: ID!, $n: String!) { urgeTask(input: {taskId: $t, note: $n}) { id } }",
            json!({ "t": task, "n": format!("第{i}次催办") }),
        )
        .await;
    }
    task
}

backend_tests!(a_second_server_takes_the_endpoints_over);
async fn a_second_server_takes_the_endpoints_over(backend: Backend) {
    let Some(t) = spawn_app(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    t.app.notify.set_allow_private(true);
    // The second server: its own app (pools, read model, lease name) on the same database.
    let second = App::open(&t.db.url(), Clock::fixed(test_now()))
        .await
        .expect("second server");
    second.read.spawn_follower();
    let first_delivery = t.app.spawn_delivery(short_lease()).expect("delivery");

    let plan = t.draft_plan("薄弱学校改造方案").await;
    let dept = t.department("县教育局").await;
    let mut receivers = Vec::new();
    for i in 0..ENDPOINTS {
        let rx = Receiver::start(unreliable()).await;
        let (id, _) = add(
            &t,
            json!({ "name": format!("系统{i}"), "kind": "WEBHOOK", "url": format!("{}/{i}", rx.base) }),
        )
        .await;
        receivers.push((rx, id));
    }

    let mut tasks = Vec::new();
    for n in 0..3 {
        tasks.push(urged_task(&t, &plan, &dept, n, 3).await);
    }
    let ids: Vec<&str> = tasks.iter().map(String::as_str).collect();
    let before = notices(&t, &ids).await;
    for (rx, id) in &receivers {
        drained(rx, id, &before).await;
    }

    // The first server holds every endpoint's lease; the second starts delivering too
    // and must leave them alone while notices keep coming.
    let _second_delivery = second.spawn_delivery(short_lease()).expect("delivery");
    for n in 3..5 {
        tasks.push(urged_task(&t, &plan, &dept, n, 3).await);
    }
    // Then the first stops (its workers end mid-stream); the second takes every
    // endpoint over once the leases run out, from the checkpoints.
    drop(first_delivery);
    for n in 5..7 {
        tasks.push(urged_task(&t, &plan, &dept, n, 3).await);
    }
    let ids: Vec<&str> = tasks.iter().map(String::as_str).collect();
    let every = notices(&t, &ids).await;
    assert_eq!(every.len(), 7 * 4, "an assignment and three urges per task");
    for (rx, id) in &receivers {
        drained(rx, id, &every).await;
        let first = in_order_without_new_ids(rx, id);
        assert_eq!(first.iter().copied().collect::<BTreeSet<_>>(), every);
    }
    t.stop().await;
}
