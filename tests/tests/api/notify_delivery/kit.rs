//! What the delivery tests share: a fast delivery configuration, a receiver schedule
//! that misbehaves, registering endpoints, and the checks on what a receiver got.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};

use duban::notify::notifier::DeliveryConfig;
use duban_domain::endpoint::NOTICE_EVENT_TYPES;
use duban_tests::TestApp;
use duban_tests::receiver::{Behaviour, Receiver, Schedule};

/// The `addEndpoint` request.
const ADD: &str =
    "mutation($i: AddEndpointInput!) { addEndpoint(input: $i) { endpoint { id } secret } }";

/// Short timeouts and delays, private addresses allowed.
pub fn config() -> DeliveryConfig {
    DeliveryConfig {
        allow_private: true,
        connect_timeout: Duration::from_millis(500),
        answer_timeout: Duration::from_millis(400),
        give_up: Duration::from_secs(2),
        min_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(200),
        lease: Duration::from_secs(5),
        scan: Duration::from_millis(100),
    }
}

/// Fails, hangs and drops on a fixed pattern, answers 200 otherwise.
pub fn unreliable() -> Schedule {
    Arc::new(|n| match n % 10 {
        2 => Behaviour::Fail,
        5 => Behaviour::Hang(Duration::from_secs(1)),
        7 => Behaviour::Drop,
        _ => Behaviour::Ok,
    })
}

/// Registers an endpoint as the office; its id and secret.
pub async fn add(t: &TestApp, input: Value) -> (String, Option<String>) {
    let data = t.ok(&t.office, ADD, json!({ "i": input })).await;
    let p = &data["addEndpoint"];
    (
        p["endpoint"]["id"].as_str().expect("id").to_string(),
        p["secret"].as_str().map(String::from),
    )
}

/// The positions of the notices of `tasks` in the log.
pub async fn notices(t: &TestApp, tasks: &[&str]) -> BTreeSet<i64> {
    let streams: Vec<String> = tasks.iter().map(|id| id.to_string()).collect();
    t.app
        .store
        .read_all(0, 100_000)
        .await
        .expect("log")
        .into_iter()
        .filter(|e| {
            NOTICE_EVENT_TYPES.contains(&e.event_type.as_str()) && streams.contains(&e.stream_id)
        })
        .map(|e| e.position)
        .collect()
}

/// Waits until `receiver` acknowledged every position of `wanted` for `endpoint`.
pub async fn drained(receiver: &Receiver, endpoint: &str, wanted: &BTreeSet<i64>) {
    let uuid = endpoint.trim_start_matches("endpoint-");
    for _ in 0..600 {
        let got: BTreeSet<i64> = receiver
            .received()
            .iter()
            .filter_map(|r| r.delivery.strip_prefix(&format!("{uuid}:"))?.parse().ok())
            .collect();
        if wanted.is_subset(&got) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{endpoint}: not every notice arrived");
}

/// At least once, in log order (first receipts strictly increasing), one id per event.
pub fn in_order_without_new_ids(receiver: &Receiver, endpoint: &str) -> Vec<i64> {
    let uuid = endpoint.trim_start_matches("endpoint-");
    let mut ids: HashMap<i64, String> = HashMap::new();
    let mut first = Vec::new();
    for r in receiver.received() {
        let Some(position) = r.body["event"]["position"].as_str() else {
            continue; // a robot format (no event JSON)
        };
        let position: i64 = position.parse().expect("position");
        assert_eq!(
            r.delivery,
            format!("{uuid}:{position}"),
            "the id names the event"
        );
        assert_eq!(r.body["id"].as_str(), Some(r.delivery.as_str()));
        if ids.insert(position, r.delivery.clone()).is_none() {
            first.push(position);
        }
    }
    assert!(
        first.windows(2).all(|w| w[0] < w[1]),
        "log order: {first:?}"
    );
    first
}
