//! The duban server under test: in this process on port 0 (sharing the harness's
//! runtime), or the release binary `duban serve` as a child process.

use std::net::TcpListener;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use duban::auth::create_token;
use duban::http::{ServerConfig, serve};
use duban::{App, Clock};
use duban_domain::Role;

use crate::db::BenchResult;
use crate::generate::now;

enum Kind {
    InProc {
        app: Arc<App>,
        handle: actix_web::dev::ServerHandle,
    },
    Child(tokio::process::Child),
}

/// A running server.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// An OFFICE token.
    pub office: String,
    /// How long opening the app (loading the read model) took before it served.
    pub startup: Duration,
    kind: Kind,
}

/// The clock every server in the harness uses: the day after the generated history.
pub fn bench_clock() -> Clock {
    Clock::fixed(now())
}

/// Records what the server's clocks find due at the bench's moment in the log at `url`
/// (overdue marks, reminders, weekly digests, quarterly circulars), with `bin tick`
/// when the binary is there, else in this process. A server started afterwards finds
/// nothing left to record, so no event is appended while the workloads measure.
pub async fn settle_clocks(bin: Option<&Path>, url: &str) -> BenchResult<()> {
    if let Some(bin) = bin {
        let status = tokio::process::Command::new(bin)
            .arg("tick")
            .env("DUBAN_DATABASE_URL", url)
            .env("DUBAN_NOW", now().to_rfc3339())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .status()
            .await?;
        if !status.success() {
            return Err(format!("duban tick failed: {status}").into());
        }
        return Ok(());
    }
    App::open(url, bench_clock())
        .await?
        .run_clocks_once()
        .await?;
    Ok(())
}

impl Server {
    /// Opens the app over `url` and serves it in this process on port 0.
    pub async fn in_process(url: &str) -> BenchResult<Server> {
        let started = Instant::now();
        let app = App::open(url, bench_clock()).await?;
        let startup = started.elapsed();
        app.read.spawn_follower();
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let server = serve(Arc::clone(&app), listener, ServerConfig::default())?;
        let handle = server.handle();
        tokio::spawn(server);
        let (_, office) = create_token(&app.db, "bench office", Role::Office, None, now()).await?;
        Ok(Server {
            base: format!("http://127.0.0.1:{port}"),
            office,
            startup,
            kind: Kind::InProc { app, handle },
        })
    }

    /// Starts `bin serve` over `url` (a token is created in the database first) and waits
    /// until /healthz answers.
    pub async fn child(bin: &Path, url: &str) -> BenchResult<Server> {
        // The log's and the server's tables, as the server will find them.
        drop(duban_store::connect(url).await?);
        let db = duban::db::open(url).await?;
        let (_, office) = create_token(&db, "bench office", Role::Office, None, now()).await?;
        drop(db);
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let started = Instant::now();
        let child = tokio::process::Command::new(bin)
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--clock-interval")
            .arg("86400")
            .env("DUBAN_DATABASE_URL", url)
            .env("DUBAN_NOW", now().to_rfc3339())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let base = format!("http://127.0.0.1:{port}");
        let mut server = Server {
            base,
            office,
            startup: Duration::ZERO,
            kind: Kind::Child(child),
        };
        let client = reqwest::Client::new();
        loop {
            if let Ok(r) = client.get(format!("{}/healthz", server.base)).send().await
                && r.status().is_success()
            {
                break;
            }
            if let Kind::Child(c) = &mut server.kind
                && let Some(status) = c.try_wait()?
            {
                return Err(format!("duban serve exited early: {status}").into());
            }
            if started.elapsed() > Duration::from_secs(1800) {
                return Err("duban serve did not become healthy in 30 minutes".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        server.startup = started.elapsed();
        Ok(server)
    }

    /// The process serving (this one when in-process).
    pub fn pid(&self) -> u32 {
        match &self.kind {
            Kind::InProc { .. } => std::process::id(),
            Kind::Child(c) => c.id().unwrap_or(0),
        }
    }

    /// `child` or `in-process`.
    pub fn mode(&self) -> &'static str {
        match &self.kind {
            Kind::InProc { .. } => "in-process",
            Kind::Child(_) => "child",
        }
    }

    /// The app, when in-process.
    pub fn app(&self) -> Option<&Arc<App>> {
        match &self.kind {
            Kind::InProc { app, .. } => Some(app),
            Kind::Child(_) => None,
        }
    }

    /// Stops the server (kills the child process it started).
    pub async fn stop(self) {
        match self.kind {
            Kind::InProc { handle, .. } => handle.stop(true).await,
            Kind::Child(mut c) => {
                let _ = c.kill().await;
            }
        }
    }
}

/// POSTs a GraphQL request and returns `data`; GraphQL errors become an error.
pub async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> BenchResult<Value> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?;
    if let Some(errors) = body.get("errors") {
        return Err(format!("GraphQL errors: {errors}").into());
    }
    Ok(body["data"].clone())
}
