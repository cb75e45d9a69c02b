//! Hostile input over real HTTP: 20 000 generated requests (100 000 in the full run) to one
//! server (malformed and corrupted JSON, random bytes, invalid GraphQL, deep nesting,
//! thousands of aliases and directives, fragment cycles, huge strings and lists, wrong
//! variable types, unicode edge cases, lone surrogates, oversized bodies, batches, wrong
//! content types, methods and `Accept`, GET with mutations, forbidden writes, missing
//! tokens), 16 in flight on keep-alive connections. Every answer must come within 60 s,
//! never be a 5xx, carry `extensions.code` (a contract code, never INTERNAL) on every
//! error, and match what its generator expects (limits answer with their codes: 413, depth,
//! complexity, directives, page size); afterwards the server still answers a normal query
//! and no event was recorded.
//!
//! Requests come from a seeded generator: the seed is printed; rerun one with
//! `DUBAN_HOSTILE_SEED=<seed>`. `DUBAN_HOSTILE_REQUESTS` sets the count. The default is
//! 20 000 because a debug build on two cores answers 350 to 600 requests a second (the
//! heavy ones — bodies at the size limit, 10 000 aliases, 50 000 nested brackets — dominate), so
//! 100 000 took 165 to 285 s, over the three minutes a CI step may spend here. The
//! full-size run:
//!
//! ```text
//! DUBAN_HOSTILE_REQUESTS=100000 cargo test -p duban-tests --test api reliability_hostile
//! ```
//!
//! Runs on SQLite; the PostgreSQL half sends a tenth of the requests.

mod documents;
mod limits;
mod request;
mod rng;
mod transport;
mod values;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;

use duban_tests::{Backend, TestApp, spawn_app};

use request::{Expect, Hostile, Tokens, judge};
use rng::Rng;

type Generator = fn(&mut Rng, &Tokens) -> Hostile;

/// Answers and milliseconds spent, per generator and status.
type Tally = BTreeMap<(&'static str, u16), (u64, u64)>;

/// The generators with their weights.
const GENERATORS: [(u64, Generator); 26] = [
    (8, transport::truncated_json),
    (6, transport::corrupted_json),
    (6, transport::random_bytes),
    (3, transport::bad_encoding),
    (1, transport::oversized),
    (3, transport::batched),
    (4, transport::wrong_content_type),
    (3, transport::get_mutation),
    (4, transport::get_random),
    (2, transport::wrong_method),
    (2, transport::bad_accept),
    (6, transport::forbidden_writes),
    (8, documents::invalid_graphql),
    (5, documents::deep_selection),
    (2, documents::deep_syntax),
    (3, documents::deep_variables),
    (1, documents::aliases),
    (3, documents::directives),
    (3, documents::fragments),
    (6, values::wrong_types),
    (8, values::unicode_arguments),
    (5, values::unicode_document),
    (1, values::huge_string),
    (2, values::huge_list),
    (4, values::page_size),
    (4, values::unicode_arguments),
];

/// Request `index` of the run `seed`.
fn generate(seed: u64, index: u64, tokens: &Tokens) -> Hostile {
    let mut rng = Rng::for_request(seed, index);
    let total: u64 = GENERATORS.iter().map(|(w, _)| w).sum();
    let mut roll = rng.next() % total;
    let mut chosen = GENERATORS[0].1;
    for (weight, generator) in GENERATORS {
        if roll < weight {
            chosen = generator;
            break;
        }
        roll -= weight;
    }
    let hostile = chosen(&mut rng, tokens);
    // One in ten: the same request without a valid token.
    if rng.chance(10) {
        transport::unauthenticated(&mut rng, hostile)
    } else {
        hostile
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
}

/// Sends one request; the status and body, or why there was none.
async fn send(client: &reqwest::Client, base: &str, h: &Hostile) -> Result<(u16, Vec<u8>), String> {
    let mut url = format!("{base}/graphql");
    if let Some(q) = &h.query_string {
        url = format!("{url}?{q}");
    }
    let mut request = client.request(h.method.clone(), url).body(h.body.clone());
    for (name, value) in &h.headers {
        request = request.header(*name, value);
    }
    let response = request
        .send()
        .await
        .map_err(|e| format!("no answer: {e:?}"))?;
    let status = response.status().as_u16();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("no body: {e:?}"))?;
    Ok((status, body.to_vec()))
}

/// The hostile world: a plan with a measure, and the tokens.
async fn prepare(app: &TestApp) -> Tokens {
    let task = app.assigned_task("县教育局").await;
    Tokens {
        office: app.office.clone(),
        auditor: app.auditor.clone(),
        department: task.token,
    }
}

async fn run(backend: Backend, requests: u64, seed: u64) {
    let Some(app) = spawn_app(backend).await else {
        return;
    };
    let tokens = prepare(&app).await;
    let events_before = app.event_count().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(16)
        .build()
        .expect("client");
    println!("{backend:?}: {requests} hostile requests, DUBAN_HOSTILE_SEED={seed}");
    let started = Instant::now();
    let failures = Mutex::new(Vec::new());
    let tally: Mutex<Tally> = Mutex::new(BTreeMap::new());
    futures::stream::iter(0..requests)
        .for_each_concurrent(16, |index| {
            let (client, base, tokens, failures, tally) =
                (&client, &app.base, &tokens, &failures, &tally);
            async move {
                let h = generate(seed, index, tokens);
                let sent = Instant::now();
                let outcome = send(client, base, &h).await;
                let took = sent.elapsed().as_millis() as u64;
                let (status, verdict) = match outcome {
                    Ok((status, body)) => (status, judge(h.expect, status, &body)),
                    // An early 413 may close the connection before the body is sent.
                    Err(_) if h.expect == Expect::Refused(413, request::BAD) => (413, Ok(())),
                    Err(why) => (0, Err(why)),
                };
                let mut tally = tally.lock().expect("tally");
                let entry = tally.entry((h.kind, status)).or_default();
                *entry = (entry.0 + 1, entry.1 + took);
                if let Err(why) = verdict {
                    failures
                        .lock()
                        .expect("failures")
                        .push(format!("#{index} {}: {why}", h.kind));
                }
            }
        })
        .await;
    let elapsed = started.elapsed();
    println!(
        "{backend:?}: {requests} requests in {:.1} s ({:.0}/s)",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
    for ((kind, status), (n, ms)) in tally.lock().expect("tally").iter() {
        println!(
            "  {kind:>20} {status}: {n:>6} answers, {:>5} ms on average",
            ms / n
        );
    }
    let failures = failures.into_inner().expect("failures");
    assert!(
        failures.is_empty(),
        "{} of {requests} hostile requests were mishandled (DUBAN_HOSTILE_SEED={seed}):\n{}",
        failures.len(),
        failures
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let data = app
        .ok(
            &app.office,
            "{ me { role } tasks { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(data["me"]["role"], "OFFICE");
    assert_eq!(data["tasks"]["totalCount"], 1);
    assert_eq!(
        app.event_count().await,
        events_before,
        "hostile requests recorded events"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_coded_4xx_answers_and_record_nothing() {
    let requests = env_u64("DUBAN_HOSTILE_REQUESTS").unwrap_or(20_000);
    let seed = env_u64("DUBAN_HOSTILE_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    run(Backend::Sqlite, requests, seed).await;
    run(Backend::Postgres, requests.div_ceil(10), seed).await;
}
