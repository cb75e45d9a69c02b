//! Delivery survives SIGKILL, on SQLite and PostgreSQL: the real `duban serve` delivers
//! to a receiver that fails, hangs and drops connections on a schedule, while the
//! office keeps urging tasks and the server is killed with SIGKILL at random moments
//! and restarted, round after round. Afterwards every notice of the log has reached the
//! receiver at least once, first receipts in log order, each under the one idempotency
//! id of its event, signed with the secret `duban endpoint add` printed.
//!
//! `DUBAN_RELIABILITY_SEED=<n>` repeats a run's kill moments.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use duban::notify::sign::verify_webhook_signature;
use duban_domain::endpoint::NOTICE_EVENT_TYPES;
use duban_tests::process::{
    Rng, Server, create_token, full_size, gql_ok, plan_with_tasks, run_cli,
};
use duban_tests::receiver::{Behaviour, Receiver, always_ok};
use duban_tests::{Backend, backend_tests, fresh_db};

const ENV: [(&str, &str); 4] = [
    ("DUBAN_ALLOW_PRIVATE_ENDPOINTS", "true"),
    ("DUBAN_DELIVERY_TIMEOUT", "0.5"),
    ("DUBAN_DELIVERY_LEASE", "1"),
    ("DUBAN_DELIVERY_MAX_BACKOFF", "0.2"),
];

const URGE: &str =
    "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { id } }";

backend_tests!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    deliveries_survive_kill_9_in_order_at_least_once
);
async fn deliveries_survive_kill_9_in_order_at_least_once(backend: Backend) {
    let rounds = if full_size() { 12 } else { 4 };
    let mut rng = Rng::from_env("DUBAN_RELIABILITY_SEED");
    let Some(db) = fresh_db(backend).await else {
        println!("skipped: {backend:?} not configured (DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    crash_rounds(backend, &db.url(), rounds, &mut rng).await;
}

async fn crash_rounds(backend: Backend, url: &str, rounds: usize, rng: &mut Rng) {
    let receiver = Receiver::start(Arc::new(|n| match n % 9 {
        1 => Behaviour::Fail,
        4 => Behaviour::Hang(Duration::from_secs(2)),
        6 => Behaviour::Drop,
        _ => Behaviour::Ok,
    }))
    .await;
    let add = run_cli(
        url,
        &[],
        &[
            "endpoint",
            "add",
            "--name",
            "督查室系统",
            "--kind",
            "webhook",
            "--url",
            &format!("{}/hook", receiver.base),
            "--allow-private-endpoints",
        ],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let printed = String::from_utf8(add.stdout).expect("utf-8");
    let endpoint = printed.lines().next().expect("id").trim().to_string();
    let secret = printed
        .lines()
        .find_map(|l| l.strip_prefix("secret: "))
        .expect("the secret is printed once")
        .to_string();
    let office = create_token(url, "office", "office");
    let client = reqwest::Client::new();

    let mut server = Server::start(url, &ENV, &[]);
    let tasks = plan_with_tasks(&client, &server.base, &office, 2, 4, "2030-12-31").await;
    for round in 0..rounds {
        let kill_after = Duration::from_millis(200 + rng.below(1500));
        let started = std::time::Instant::now();
        let mut sent = 0;
        while started.elapsed() < kill_after {
            let task = &tasks[(round + sent) % tasks.len()];
            gql_ok(&client, &server.base, &office, URGE, json!({ "t": task })).await;
            sent += 1;
            // Paced, so deliveries (and the receiver's failures) happen between kills.
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.kill();
        println!("{backend:?} round {round}: {sent} urges, killed after {kill_after:?}");
        server = Server::start(url, &ENV, &[]);
    }
    // Still misbehaving for a while, then the receiver recovers; the backlog drains
    // by itself.
    tokio::time::sleep(Duration::from_secs(3)).await;
    receiver.set_schedule(always_ok());
    let store = duban_store::connect(url).await.expect("store");
    let wanted: BTreeSet<i64> = store
        .read_all(0, 1_000_000)
        .await
        .expect("log")
        .into_iter()
        .filter(|e| {
            NOTICE_EVENT_TYPES.contains(&e.event_type.as_str()) && e.stream_id.starts_with("task-")
        })
        .map(|e| e.position)
        .collect();
    assert!(
        wanted.len() > rounds,
        "{backend:?}: {} notices",
        wanted.len()
    );
    let uuid = endpoint.trim_start_matches("endpoint-").to_string();
    let mut got = BTreeSet::new();
    for _ in 0..600 {
        got = receiver
            .received()
            .iter()
            .filter_map(|r| r.delivery.strip_prefix(&format!("{uuid}:"))?.parse().ok())
            .collect();
        if wanted.is_subset(&got) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let missing: Vec<_> = wanted.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "{backend:?}: never delivered {missing:?}\n{}",
        server.log_text()
    );
    let mut ids: HashMap<i64, String> = HashMap::new();
    let mut first = Vec::new();
    let mut repeats = 0;
    for r in receiver.received() {
        let position: i64 = r.body["event"]["position"]
            .as_str()
            .expect("position")
            .parse()
            .expect("number");
        assert_eq!(r.delivery, format!("{uuid}:{position}"), "{backend:?}");
        assert_eq!(r.body["id"].as_str(), Some(r.delivery.as_str()));
        let header = r.signature.as_deref().expect("signed");
        assert!(
            verify_webhook_signature(&secret, header, &r.raw),
            "{backend:?}"
        );
        match ids.insert(position, r.delivery.clone()) {
            None => first.push(position),
            Some(_) => repeats += 1,
        }
    }
    assert!(
        first.windows(2).all(|w| w[0] < w[1]),
        "{backend:?}: first receipts out of log order: {first:?}"
    );
    let requests = receiver.requests();
    println!(
        "{backend:?}: {} notices delivered, {repeats} repeats (same id), {requests} requests",
        first.len(),
    );
    assert!(
        requests > receiver.received().len() as u64,
        "{backend:?}: the receiver's failures were exercised"
    );
}
