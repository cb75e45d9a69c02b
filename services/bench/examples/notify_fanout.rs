//! Notification fan-out: 10,000 notices (urges on 100 tasks) delivered to 20 webhook
//! endpoints on a local receiver (actix-web on port 0, answering 200), and the p99 of
//! one client's `urgeTask` over HTTP with delivery idle and with it draining.
//!
//! Half the urges are sent before delivery starts (p99 without); then the workers start
//! on that backlog while the other half is sent (p99 with); deliveries/s is the 200,000
//! deliveries over the time from the workers' start to the last acknowledgement.
//!
//! `cargo run --release -p duban-bench --example notify_fanout [-- postgres]`
//! (PostgreSQL from `DUBAN_TEST_POSTGRES_URL`).

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::{App as Web, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

use duban::auth::create_token;
use duban::http::{ServerConfig, serve};
use duban::notify::background::lower_this_thread;
use duban::notify::notifier::DeliveryConfig;
use duban::{App, Clock};
use duban_domain::Role;
use duban_store::testing::{TempDbFile, fresh_postgres_db};

const EVENTS: usize = 10_000;
const ENDPOINTS: usize = 20;
const TASKS: usize = 100;

struct Client {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Client {
    async fn gql(&self, query: &str, variables: Value) -> Value {
        let body: Value = self
            .http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        assert!(body.get("errors").is_none(), "{body}");
        body["data"].clone()
    }

    /// Sends `n` urges round-robin over `tasks`; the p99 latency in ms.
    async fn urges(&self, tasks: &[String], n: usize) -> f64 {
        let mut times = Vec::with_capacity(n);
        for i in 0..n {
            let started = Instant::now();
            self.gql(
                "mutation($t: ID!) { urgeTask(input: {taskId: $t, note: \"请加快进度\"}) { id } }",
                json!({ "t": tasks[i % tasks.len()] }),
            )
            .await;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        times[(times.len() * 99 / 100).min(times.len() - 1)]
    }
}

/// The receiver stands for another machine: it runs on its own thread at the lowest
/// priority (as delivery does), so the CPU it takes on this shared host comes out of
/// delivery's share, not the server's.
fn receiver(count: Arc<AtomicU64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        lower_this_thread();
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                let count = Arc::clone(&count);
                Web::new().default_service(web::to(move |_body: web::Bytes| {
                    let count = Arc::clone(&count);
                    async move {
                        count.fetch_add(1, Ordering::Relaxed);
                        HttpResponse::Ok().body("ok")
                    }
                }))
            })
            .workers(1)
            .listen(listener)
            .expect("listen")
            .run()
            .await
            .expect("receiver");
        });
    });
    base
}

#[tokio::main]
async fn main() {
    let postgres = std::env::args().any(|a| a == "postgres");
    let (_sqlite, _pg, url) = if postgres {
        let db = fresh_postgres_db().await.expect("DUBAN_TEST_POSTGRES_URL");
        let url = db.url().to_string();
        (None, Some(db), url)
    } else {
        let f = TempDbFile::new();
        let url = f.path().display().to_string();
        (Some(f), None, url)
    };
    let app = App::open(&url, Clock::system()).await.expect("open");
    app.read.spawn_follower();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let server = serve(Arc::clone(&app), listener, ServerConfig::default()).expect("serve");
    tokio::spawn(server);
    let (_, token) = create_token(&app.db, "bench", Role::Office, None, app.clock.now())
        .await
        .expect("token");
    let client = Client {
        http: reqwest::Client::new(),
        url: format!("{base}/graphql"),
        token,
    };
    app.notify.set_allow_private(true);
    let count = Arc::new(AtomicU64::new(0));
    let rx = receiver(Arc::clone(&count));

    let dept = client
        .gql(
            "mutation { registerDepartment(input: {name: \"县教育局\", kind: BUREAU}) { id } }",
            json!({}),
        )
        .await["registerDepartment"]["id"]
        .clone();
    let plan = client
        .gql(
            "mutation { draftPlan(input: {title: \"方案\", region: \"鲤城区\", \
             periodStart: \"2025-01-01\", periodEnd: \"2030-12-31\"}) { id } }",
            json!({}),
        )
        .await["draftPlan"]["id"]
        .clone();
    let mut tasks = Vec::new();
    for i in 0..TASKS {
        let task = client
            .gql(
                "mutation($p: ID!, $t: String!) { defineMeasure(input: {planId: $p, title: $t}) { id } }",
                json!({ "p": plan, "t": format!("措施{i}") }),
            )
            .await["defineMeasure"]["id"]
            .as_str()
            .expect("id")
            .to_string();
        client
            .gql(
                "mutation($t: ID!, $l: ID!) { assignTask(input: {taskId: $t, leadId: $l, \
                 due: \"2030-12-31\"}) { id } }",
                json!({ "t": task, "l": dept }),
            )
            .await;
        tasks.push(task);
    }
    for i in 0..ENDPOINTS {
        client
            .gql(
                "mutation($n: String!, $u: String!) { addEndpoint(input: {name: $n, kind: WEBHOOK, \
                 url: $u}) { endpoint { id } } }",
                json!({ "n": format!("端点{i}"), "u": format!("{rx}/hook/{i}") }),
            )
            .await;
    }
    let without = client.urges(&tasks, EVENTS / 2).await;
    let config = DeliveryConfig {
        allow_private: true,
        scan: Duration::from_millis(100),
        ..DeliveryConfig::default()
    };
    let started = Instant::now();
    let _delivery = app.spawn_delivery(config).expect("delivery");
    let with = client.urges(&tasks, EVENTS / 2).await;
    let total = (EVENTS * ENDPOINTS) as u64;
    while count.load(Ordering::Relaxed) < total {
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(started.elapsed() < Duration::from_secs(600), "not drained");
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{}: {EVENTS} notices x {ENDPOINTS} endpoints = {total} deliveries in {secs:.2} s: \
         {:.0} deliveries/s; urgeTask p99 {without:.2} ms without delivery, {with:.2} ms with \
         ({:+.1} %)",
        if postgres { "PostgreSQL" } else { "SQLite" },
        total as f64 / secs,
        (with / without - 1.0) * 100.0
    );
}
