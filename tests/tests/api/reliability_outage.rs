//! A PostgreSQL outage under the real `duban` binary. The test runs its own PostgreSQL
//! instance (initdb into a temporary directory, as the `postgres` user when run as root;
//! the shared server is left alone), starts `duban serve` on it and drives load, then
//! stops the instance with `pg_ctl stop -m immediate`: requests are answered promptly
//! with a GraphQL error carrying a code (no hang) and `/readyz` answers 503. After the
//! instance is started again, `/readyz` recovers by itself, commands succeed again, and
//! every command acknowledged before, during or after the outage is in the log, once.
//!
//! Without a runnable `initdb` the test prints `skipped: <reason>` (and fails when `CI` is
//! set). Full-size run (release binary):
//! `DUBAN_RELIABILITY_FULL=1 cargo test -p duban-tests --test api reliability_outage -- --nocapture`

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use duban_tests::error_codes;
use duban_tests::log_audit::{assert_recorded_once, whole_log};
use duban_tests::process::{
    REPORT_PROGRESS, Server, create_token, gql, plan_with_tasks, readyz, wait_ready,
};

mod private_pg;

use private_pg::PrivatePg;

/// How long a request may take during the outage before it counts as a hang.
const ANSWER_WITHIN: Duration = Duration::from_secs(20);

/// What the load clients saw.
#[derive(Default)]
struct Outcomes {
    acknowledged: Vec<String>,
    /// (error codes, seconds it took) of each failed request.
    failures: Vec<(Vec<String>, f64)>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_postgres_outage_gives_clear_errors_and_the_server_recovers_by_itself() {
    let pg = match PrivatePg::create() {
        Ok(pg) => pg,
        Err(reason) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "cannot run initdb: {reason}"
            );
            eprintln!("skipped: {reason}");
            return;
        }
    };
    pg.start();
    let url = pg.url();
    let office = create_token(&url, "office", "office");
    let server = Server::start(&url, &[("DUBAN_NOW", "2025-07-01T09:00:00+08:00")], &[]);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client");
    assert!(wait_ready(&client, &server.base, Duration::from_secs(30)).await);
    let tasks = Arc::new(plan_with_tasks(&client, &server.base, &office, 2, 8, "2025-12-31").await);

    // Load before, during and after the outage.
    let outcomes = Arc::new(Mutex::new(Outcomes::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::new(AtomicUsize::new(0));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let (client, base, office) = (client.clone(), server.base.clone(), office.clone());
        let (tasks, outcomes, stop, counter) = (
            Arc::clone(&tasks),
            Arc::clone(&outcomes),
            Arc::clone(&stop),
            Arc::clone(&counter),
        );
        clients.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                let id = format!("outage-{n}");
                let vars = json!({ "t": tasks[n % tasks.len()], "p": (n % 101) as i64, "c": id });
                let started = Instant::now();
                let answer = gql(&client, &base, &office, REPORT_PROGRESS, vars).await;
                let took = started.elapsed().as_secs_f64();
                {
                    let mut outcomes = outcomes.lock().expect("lock");
                    match answer {
                        Ok((200, body)) if body.get("errors").is_none() => {
                            outcomes.acknowledged.push(id);
                        }
                        Ok((_, body)) => outcomes.failures.push((error_codes(&body), took)),
                        Err(e) => outcomes
                            .failures
                            .push((vec![format!("transport: {e}")], took)),
                    }
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = outcomes.lock().expect("lock").acknowledged.len();
    assert!(before > 0, "no command succeeded before the outage");
    pg.stop_immediately().expect("stop PostgreSQL");
    let down = Instant::now();

    // During the outage: /readyz says not ready, and a command is refused with a code.
    let started = Instant::now();
    assert_eq!(readyz(&client, &server.base).await, Some(503));
    let readyz_took = started.elapsed();
    let started = Instant::now();
    let vars = json!({ "t": tasks[0], "p": 50, "c": "during-outage" });
    let (status, body) = gql(&client, &server.base, &office, REPORT_PROGRESS, vars)
        .await
        .expect("an answer during the outage");
    let command_took = started.elapsed();
    let codes = error_codes(&body);
    eprintln!(
        "outage: /readyz 503 in {readyz_took:?}; reportProgress {status} {codes:?} in {command_took:?}: {body}"
    );
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == "INTERNAL" || c == "UNAVAILABLE"),
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(readyz_took < ANSWER_WITHIN && command_took < ANSWER_WITHIN);

    // PostgreSQL comes back: the server recovers without a restart.
    pg.start();
    let up = Instant::now();
    assert!(
        wait_ready(&client, &server.base, Duration::from_secs(60)).await,
        "/readyz did not recover; server log:\n{}",
        server.log_text()
    );
    eprintln!(
        "down for {:?}; ready again {:?} after the restart",
        up - down,
        up.elapsed()
    );
    let after = outcomes.lock().expect("lock").acknowledged.len();
    let recovered = Instant::now();
    while outcomes.lock().expect("lock").acknowledged.len() < after + 10 {
        assert!(
            recovered.elapsed() < Duration::from_secs(60),
            "load did not resume"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.await.expect("client");
    }
    let outcomes = std::mem::take(&mut *outcomes.lock().expect("lock"));
    let slowest = outcomes.failures.iter().map(|f| f.1).fold(0.0, f64::max);
    eprintln!(
        "{} acknowledged, {} failed (slowest failure {slowest:.1}s): {:?}",
        outcomes.acknowledged.len(),
        outcomes.failures.len(),
        outcomes.failures.iter().take(3).collect::<Vec<_>>()
    );
    for (codes, took) in &outcomes.failures {
        assert!(
            codes.iter().all(|c| c == "INTERNAL" || c == "UNAVAILABLE") && !codes.is_empty(),
            "{codes:?}"
        );
        assert!(
            *took < ANSWER_WITHIN.as_secs_f64(),
            "a request hung for {took}s"
        );
    }
    drop(server);

    let store = duban_store::connect(&url).await.expect("open the store");
    let log = whole_log(&*store).await;
    assert_recorded_once(&log, &outcomes.acknowledged, 1);
    assert!(store.verify().await.expect("verify").ok);
}
