//! Crash safety of the real `duban` binary, on SQLite and PostgreSQL: 16 concurrent
//! clients send `reportProgress` (each with its own `commandId`) while the server is
//! killed with SIGKILL at a random moment and restarted, round after round. Commands that
//! got no answer are sent again, with the same id, after the restart. Afterwards, read
//! from the store directly: every acknowledged command is in the log, every command id
//! was recorded by exactly one append, the hash chains verify, the persisted read model
//! (caught up as a restart does) equals a rebuild from zero, and the restarted server's
//! answers match the log.
//!
//! CI size: 3 rounds on a debug binary. Full size (20 rounds, release binary):
//! `DUBAN_RELIABILITY_FULL=1 DUBAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
//! cargo test -p duban-tests --test api reliability_crash -- --nocapture`
//! (`DUBAN_RELIABILITY_SEED=<n>` repeats a run's kill moments and commands).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use duban::{App, Clock};
use duban_tests::log_audit::{assert_recorded_once, whole_log};
use duban_tests::process::{
    REPORT_PROGRESS, Rng, Server, create_token, full_size, gql, gql_ok, plan_with_tasks, wait_ready,
};
use duban_tests::{Backend, backend_tests, fresh_db, test_now};

const CLIENTS: usize = 16;
const TASKS: usize = 32;
const NOW: &str = "2025-07-01T09:00:00+08:00";

/// One `reportProgress` command.
#[derive(Debug, Clone)]
struct Cmd {
    id: String,
    task: String,
    percent: i64,
}

/// What the clients of one round saw.
#[derive(Default)]
struct Seen {
    acknowledged: Vec<String>,
    unanswered: Vec<Cmd>,
    refused: Vec<String>,
}

backend_tests!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    acknowledged_commands_survive_kill_9_exactly_once
);
async fn acknowledged_commands_survive_kill_9_exactly_once(backend: Backend) {
    let rounds = if full_size() { 20 } else { 3 };
    let mut rng = Rng::from_env("DUBAN_RELIABILITY_SEED");
    let Some(db) = fresh_db(backend).await else {
        return;
    };
    crash_rounds(backend, &db.url(), rounds, &mut rng).await;
}

async fn crash_rounds(backend: Backend, url: &str, rounds: usize, rng: &mut Rng) {
    let env = [("DUBAN_NOW", NOW)];
    let office = create_token(url, "office", "office");
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let mut server = Server::start(url, &env, &[]);
    assert!(wait_ready(&client, &server.base, Duration::from_secs(30)).await);
    let tasks = plan_with_tasks(&client, &server.base, &office, 4, TASKS, "2025-12-31").await;
    let mut acknowledged: Vec<String> = Vec::new();
    let mut unanswered: Vec<Cmd> = Vec::new();
    let mut next = 0usize;
    // The head after each kill, with the commands left unanswered by it.
    let store = duban_store::connect(url).await.expect("open the store");
    let mut kills: Vec<(i64, Vec<String>)> = Vec::new();
    for round in 0..rounds {
        if round > 0 {
            server = Server::start(url, &env, &[]);
            assert!(wait_ready(&client, &server.base, Duration::from_secs(30)).await);
        }
        // Each client first resends its share of last round's unanswered commands.
        let mut queues: Vec<Vec<Cmd>> = vec![Vec::new(); CLIENTS];
        for (i, cmd) in unanswered.drain(..).enumerate() {
            queues[i % CLIENTS].push(cmd);
        }
        let resent: usize = queues.iter().map(Vec::len).sum();
        for queue in &mut queues {
            for _ in 0..400 {
                let task = tasks[rng.below(TASKS as u64) as usize].clone();
                let percent = rng.below(101) as i64;
                next += 1;
                let id = format!("crash-{next}");
                queue.push(Cmd { id, task, percent });
            }
        }
        let seen = Arc::new(Mutex::new(Seen::default()));
        let mut clients = Vec::new();
        for queue in queues {
            let (client, base, office, seen) = (
                client.clone(),
                server.base.clone(),
                office.clone(),
                Arc::clone(&seen),
            );
            clients.push(tokio::spawn(async move {
                drive(&client, &base, &office, queue, &seen).await;
            }));
        }
        let kill_after = Duration::from_millis(300 + rng.below(1500));
        tokio::time::sleep(kill_after).await;
        server.kill();
        for c in clients {
            c.await.expect("client task");
        }
        let seen = std::mem::take(&mut *seen.lock().expect("lock"));
        assert!(seen.refused.is_empty(), "refused: {:?}", seen.refused);
        eprintln!(
            "{backend:?} round {round}: killed after {kill_after:?}; {} resent, {} acknowledged, {} unanswered",
            resent,
            seen.acknowledged.len(),
            seen.unanswered.len()
        );
        acknowledged.extend(seen.acknowledged);
        unanswered = seen.unanswered;
        let head = store.head().await.expect("head");
        kills.push((head, unanswered.iter().map(|c| c.id.clone()).collect()));
    }

    // Restart once more: every unanswered command, sent again, is answered now.
    let mut server = Server::start(url, &env, &[]);
    assert!(wait_ready(&client, &server.base, Duration::from_secs(30)).await);
    let seen = Mutex::new(Seen::default());
    drive(&client, &server.base, &office, unanswered, &seen).await;
    let seen = seen.into_inner().expect("lock");
    assert!(seen.unanswered.is_empty() && seen.refused.is_empty());
    acknowledged.extend(seen.acknowledged);
    let answers = gql_ok(
        &client,
        &server.base,
        &office,
        "{ tasks(first: 100) { nodes { id version progress } } }",
        json!({}),
    )
    .await;
    server.kill();

    let log = whole_log(&*store).await;
    let commands = assert_recorded_once(&log, &acknowledged, 1);
    let report = store.verify().await.expect("verify");
    assert!(report.ok, "hash chain broken: {report:?}");
    // Unanswered commands that had been committed before the kill: their resending was
    // answered from the first run (the idempotency path after a crash).
    let position: BTreeMap<&str, i64> = log
        .iter()
        .filter_map(|e| Some((e.metadata.command_id.as_deref()?, e.position)))
        .collect();
    let committed_unanswered: usize = kills
        .iter()
        .map(|(head, ids)| {
            ids.iter()
                .filter(|id| position[id.as_str()] <= *head)
                .count()
        })
        .sum();
    eprintln!(
        "{backend:?}: {} acknowledged ({committed_unanswered} of them committed before a kill \
         but unanswered, then resent), {commands} commands and {} events in the log, chain ok",
        acknowledged.len(),
        log.len()
    );

    // The restarted server answered what the log says.
    let mut truth: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for event in &log {
        let entry = truth.entry(&event.stream_id).or_default();
        entry.0 = event.stream_version;
        if event.event_type == "ProgressReported" {
            entry.1 = event.payload["percent"].as_i64().expect("percent");
        }
    }
    let nodes = answers["tasks"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), TASKS);
    for node in nodes {
        let id = node["id"].as_str().expect("id");
        let (_, &(version, progress)) = truth
            .iter()
            .find(|(stream, _)| stream.ends_with(id))
            .expect("the task's stream");
        assert_eq!(node["version"], version, "{node}");
        assert_eq!(node["progress"], progress, "{node}");
    }

    // The persisted read model, caught up as a restart does, equals a rebuild from zero.
    let app = App::open(url, Clock::fixed(test_now()))
        .await
        .expect("open the app");
    let persisted = app.read.read(|m| m.clone());
    app.read.rebuild(&|_, _| {}).await.expect("rebuild");
    let rebuilt = app.read.read(|m| m.clone());
    assert_eq!(persisted.position, log.len() as i64);
    let differing: Vec<_> = rebuilt
        .tasks
        .iter()
        .filter(|(id, view)| persisted.tasks.get(*id) != Some(*view))
        .map(|(id, _)| id.to_string())
        .collect();
    assert!(differing.is_empty(), "tasks differ: {differing:?}");
    assert!(persisted == rebuilt, "the persisted read model differs");
}

/// Sends the queue's commands one by one; stops at the first transport error (the server
/// died), leaving that command unanswered (the rest were never sent).
async fn drive(
    client: &reqwest::Client,
    base: &str,
    office: &str,
    queue: Vec<Cmd>,
    seen: &Mutex<Seen>,
) {
    for cmd in queue {
        let vars = json!({ "t": cmd.task, "p": cmd.percent, "c": cmd.id });
        match gql(client, base, office, REPORT_PROGRESS, vars).await {
            Ok((200, body)) if body.get("errors").is_none() => {
                assert_eq!(body["data"]["reportProgress"]["id"], cmd.task.as_str());
                seen.lock().expect("lock").acknowledged.push(cmd.id);
            }
            Ok((status, body)) => {
                let mut seen = seen.lock().expect("lock");
                seen.refused.push(format!("{}: {status} {body}", cmd.id));
            }
            Err(_) => {
                seen.lock().expect("lock").unanswered.push(cmd);
                return;
            }
        }
    }
}
