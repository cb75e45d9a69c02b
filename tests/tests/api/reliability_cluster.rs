//! Two `duban serve` processes on one PostgreSQL database: concurrent commands through
//! both (including the same command id sent to both at once) are each recorded exactly
//! once and none fails with a conflict; a `taskEvents` subscriber on server B receives
//! the event of a task changed through server A; with both servers' overdue clocks
//! running every second, each task gets exactly one `TaskOverdue` per due date. Also:
//! a row tampered with by another process while the server runs is reported by the
//! `verifyIntegrity` query and by `duban verify`.
//!
//! PostgreSQL only (skipped without `DUBAN_TEST_POSTGRES_URL`). Full-size run (release
//! binary): `DUBAN_RELIABILITY_FULL=1 DUBAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
//! cargo test -p duban-tests --test api reliability_cluster -- --nocapture`

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::json;

use duban_store::testing::fresh_postgres_db;
use duban_tests::log_audit::{assert_recorded_once, whole_log};
use duban_tests::process::{
    REPORT_PROGRESS, Rng, Server, create_token, gql, gql_ok, plan_with_tasks, run_cli, wait_ready,
};

mod ws;

use ws::{event_of, next_event, subscribe};

const TASKS: usize = 24;
/// The commands go to the first few tasks only, so that writers collide.
const HOT: usize = 8;
const BEFORE_DUE: &str = "2025-07-01T09:00:00+08:00";
const AFTER_DUE: &str = "2025-10-08T09:00:00+08:00";
const AFTER_EXTENDED: &str = "2025-10-25T09:00:00+08:00";
const EXTEND: &str = "mutation($t: ID!) { extendDeadline(input: {taskId: $t, due: \"2025-10-20\", \
     reason: \"延期\"}) { id } }";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

async fn start_ready(url: &str, now: &str, args: &[&str]) -> Server {
    let server = Server::start(url, &[("DUBAN_NOW", now)], args);
    assert!(wait_ready(&client(), &server.base, Duration::from_secs(30)).await);
    server
}

/// Starts two servers at the same moment (so their first clock passes race).
async fn start_pair(url: &str, now: &str, args: &[&str]) -> (Server, Server) {
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Server::start(url, &[("DUBAN_NOW", now)], args));
        let b = Server::start(url, &[("DUBAN_NOW", now)], args);
        (a.join().expect("start A"), b)
    });
    for server in [&a, &b] {
        assert!(wait_ready(&client(), &server.base, Duration::from_secs(30)).await);
    }
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_record_each_command_and_overdue_once() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let url = db.url().to_string();
    let office = create_token(&url, "office", "office");
    let (mut a, mut b) = start_pair(&url, BEFORE_DUE, &[]).await;
    let http = client();
    let tasks = plan_with_tasks(&http, &a.base, &office, 3, TASKS, "2025-09-30").await;

    // A subscriber on B sees a task changed through A. First changes through B itself,
    // until one of their events arrives: then the subscription is live, and every event
    // before it (the set-up's, which B may fold late) has been delivered.
    let mut ws = subscribe(&b.base, &office).await;
    let mut acknowledged: Vec<String> = vec!["through-a".into()];
    for probe in 1.. {
        let id = format!("through-b-{probe}");
        let vars = json!({ "t": tasks[1], "p": probe, "c": id });
        gql_ok(&http, &b.base, &office, REPORT_PROGRESS, vars).await;
        acknowledged.push(id);
        if event_of(&mut ws, &tasks[1], Duration::from_secs(2)).await {
            break;
        }
        assert!(
            probe < 10,
            "the subscription on B never delivered B's own events"
        );
    }
    let vars = json!({ "t": tasks[0], "p": 10, "c": "through-a" });
    gql_ok(&http, &a.base, &office, REPORT_PROGRESS, vars).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let event = next_event(&mut ws, left)
            .await
            .expect("B delivers the event of a change made through A");
        let stream = event["streamId"].as_str().expect("streamId");
        if stream.ends_with(&tasks[0]) {
            assert_eq!(event["type"], "ProgressReported");
            break;
        }
        assert!(stream.ends_with(&tasks[1]), "unexpected {event}");
    }
    drop(ws);

    // Eight clients, four per server, each sending its commands one after another; every
    // sixth command id is sent to both servers at once.
    let mut rng = Rng::from_env("DUBAN_RELIABILITY_SEED");
    let mut clients = Vec::new();
    for c in 0..8 {
        let mut queue = Vec::new();
        for i in 0..15 {
            let id = format!("both-{c}-{i}");
            let task = tasks[rng.below(HOT as u64) as usize].clone();
            queue.push((
                json!({ "t": task, "p": rng.below(101) as i64, "c": id }),
                i % 6 == 0,
            ));
            acknowledged.push(id);
        }
        let (http, office) = (http.clone(), office.clone());
        let (own, other) = if c % 2 == 0 {
            (a.base.clone(), b.base.clone())
        } else {
            (b.base.clone(), a.base.clone())
        };
        clients.push(tokio::spawn(async move {
            for (vars, twin) in queue {
                let first = gql(&http, &own, &office, REPORT_PROGRESS, vars.clone());
                let answers = if twin {
                    let second = gql(&http, &other, &office, REPORT_PROGRESS, vars);
                    let (x, y) = tokio::join!(first, second);
                    vec![x, y]
                } else {
                    vec![first.await]
                };
                for answer in answers {
                    let (status, body) = answer.expect("answer");
                    assert!(
                        status == 200 && body.get("errors").is_none(),
                        "{status}: {body}"
                    );
                }
            }
        }));
    }
    for c in clients {
        c.await.expect("client");
    }
    let store = duban_store::connect(&url).await.expect("store");
    assert_recorded_once(&whole_log(&*store).await, &acknowledged, 1);

    // Both clocks running, every second, after the due date.
    a.kill();
    b.kill();
    let clock = ["--clock-interval", "1"];
    let (a, b) = start_pair(&url, AFTER_DUE, &clock).await;
    wait_overdue(&*store, TASKS).await;
    // A new deadline for four tasks, passed in turn once both servers restart later.
    for task in &tasks[..4] {
        let server = if task.len() % 2 == 0 { &a } else { &b };
        gql_ok(&http, &server.base, &office, EXTEND, json!({ "t": task })).await;
    }
    drop((a, b));
    let _both = start_pair(&url, AFTER_EXTENDED, &clock).await;
    wait_overdue(&*store, TASKS + 4).await;
    // Several more passes of both clocks.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let counts = overdue_counts(&whole_log(&*store).await);
    eprintln!("TaskOverdue per (task, due): {} pairs", counts.len());
    assert_eq!(counts.len(), TASKS + 4);
    for (key, n) in &counts {
        assert_eq!(*n, 1, "{key:?} recorded {n} times");
    }
    assert!(store.verify().await.expect("verify").ok);
}

/// TaskOverdue events per (stream, due date).
fn overdue_counts(log: &[duban_store::RecordedEvent]) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for e in log.iter().filter(|e| e.event_type == "TaskOverdue") {
        let due = e.payload["due"].as_str().expect("due").to_string();
        *counts.entry((e.stream_id.clone(), due)).or_default() += 1;
    }
    counts
}

/// Waits until at least `pairs` (task, due date) pairs have a TaskOverdue.
async fn wait_overdue(store: &dyn duban_store::EventStore, pairs: usize) {
    let start = Instant::now();
    while overdue_counts(&whole_log(store).await).len() < pairs {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the clocks recorded too little"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_tampered_with_while_the_server_runs_is_reported() {
    let Some(db) = fresh_postgres_db().await else {
        return;
    };
    let url = db.url().to_string();
    let office = create_token(&url, "office", "office");
    let server = start_ready(&url, BEFORE_DUE, &[]).await;
    let http = client();
    let tasks = plan_with_tasks(&http, &server.base, &office, 1, 2, "2025-09-30").await;
    let vars = json!({ "t": tasks[1], "p": 40, "c": "to-tamper" });
    gql_ok(&http, &server.base, &office, REPORT_PROGRESS, vars).await;
    let integrity = "{ verifyIntegrity { ok eventsChecked firstBrokenPosition } }";
    let report = gql_ok(&http, &server.base, &office, integrity, json!({})).await;
    assert_eq!(report["verifyIntegrity"]["ok"], true);
    assert!(run_cli(&url, &[], &["verify"]).status.success());

    // Another process rewrites the note of the progress report.
    let store = duban_store::connect(&url).await.expect("store");
    let log = whole_log(&*store).await;
    let target = log
        .iter()
        .find(|e| e.metadata.command_id.as_deref() == Some("to-tamper"))
        .expect("the report");
    let mut payload = target.payload.clone();
    payload["note"] = json!("已完成（篡改）");
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("connect");
    sqlx::query("UPDATE events SET payload = $1::json WHERE position = $2")
        .bind(payload.to_string())
        .bind(target.position)
        .execute(&mut conn)
        .await
        .expect("tamper");

    let report = gql_ok(&http, &server.base, &office, integrity, json!({})).await;
    assert_eq!(report["verifyIntegrity"]["ok"], false, "{report}");
    assert_eq!(
        report["verifyIntegrity"]["firstBrokenPosition"],
        target.position.to_string()
    );
    let out = run_cli(&url, &[], &["verify"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "duban verify passed a tampered log");
    assert!(
        stderr.contains("integrity broken") && stderr.contains(&target.position.to_string()),
        "{stderr}"
    );
}
