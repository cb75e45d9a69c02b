//! Process-level test kit for the reliability tests: builds the real `duban` binary
//! once per test run, runs `duban serve` as a child process (which can be killed with
//! SIGKILL), runs other `duban` subcommands, and talks to the server over HTTP.
//!
//! The binary is built with `cargo build -p duban --bin duban` (debug), or with
//! `--release` when `DUBAN_RELIABILITY_FULL=1`, into `$CARGO_TARGET_DIR` or the
//! workspace's `target/`; `DUBAN_BIN=<path>` uses a given binary instead.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// True when `DUBAN_RELIABILITY_FULL=1`: full-size runs (release binary, more rounds).
pub fn full_size() -> bool {
    std::env::var("DUBAN_RELIABILITY_FULL").is_ok_and(|v| v == "1")
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf()
}

/// The path of the `duban` executable: `$DUBAN_BIN` when set (a binary built elsewhere),
/// else built on first use (once per test binary; cargo's own lock keeps parallel builds
/// from racing).
pub fn duban_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("DUBAN_BIN") {
            return PathBuf::from(bin);
        }
        let root = workspace_root();
        let release = full_size();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build
            .current_dir(&root)
            .args(["build", "-p", "duban", "--bin", "duban"]);
        if release {
            build.arg("--release");
        }
        let out = build.output().expect("run cargo build");
        assert!(
            out.status.success(),
            "cargo build of duban failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .map_or_else(|| root.join("target"), |t| root.join(t));
        let bin = target
            .join(if release { "release" } else { "debug" })
            .join("duban");
        assert!(bin.exists(), "no binary at {}", bin.display());
        bin
    })
}

/// A `duban` command over `database_url` with extra environment variables.
pub fn duban(database_url: &str, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(duban_bin());
    cmd.env_remove("DUBAN_DATABASE_URL")
        .env_remove("DUBAN_LISTEN")
        .env_remove("DUBAN_NOW")
        .env_remove("DUBAN_CLOCK_INTERVAL")
        .env("DUBAN_LOG", "warn")
        .args(["--database-url", database_url]);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs a `duban` subcommand to completion.
pub fn run_cli(database_url: &str, env: &[(&str, &str)], args: &[&str]) -> Output {
    duban(database_url, env)
        .args(args)
        .output()
        .expect("run duban")
}

/// Creates a token with `duban token create` and returns its secret.
pub fn create_token(database_url: &str, name: &str, role: &str) -> String {
    let out = run_cli(
        database_url,
        &[],
        &["token", "create", "--name", name, "--role", role],
    );
    assert!(
        out.status.success(),
        "token create failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// A `duban serve` child process; killed (SIGKILL) when dropped.
pub struct Server {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Where the server's stderr goes.
    pub log: PathBuf,
}

impl Server {
    /// Starts `duban serve --listen 127.0.0.1:0` with extra arguments and environment and
    /// waits for the address it prints.
    pub fn start(database_url: &str, env: &[(&str, &str)], args: &[&str]) -> Server {
        let log = std::env::temp_dir().join(format!("duban-serve-{}.log", uuid::Uuid::new_v4()));
        let stderr = std::fs::File::create(&log).expect("create the server log");
        let mut child = duban(database_url, env)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn duban serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://").nth(1)
                    && let Some((addr, _)) = rest.split_once("/graphql")
                {
                    let _ = tx.send(format!("http://{addr}"));
                }
            }
        });
        let Ok(base) = rx.recv_timeout(Duration::from_secs(60)) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "duban serve printed no address; log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        };
        Server {
            child: Some(child),
            base,
            log,
        }
    }

    /// Sends SIGKILL and reaps the process.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The server's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// POSTs a GraphQL request; the HTTP status and JSON body, or the transport error.
pub async fn gql(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await.unwrap_or(Value::Null)))
}

/// Like [`gql`], asserting success; returns `data`.
pub async fn gql_ok(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    query: &str,
    variables: Value,
) -> Value {
    let (status, body) = gql(client, base, token, query, variables)
        .await
        .expect("request");
    assert!(
        status == 200 && body.get("errors").is_none(),
        "{status}: {body}"
    );
    body["data"].clone()
}

/// The status of `GET /readyz`, or `None` when the request failed.
pub async fn readyz(client: &reqwest::Client, base: &str) -> Option<u16> {
    let response = client.get(format!("{base}/readyz")).send().await.ok()?;
    Some(response.status().as_u16())
}

/// Polls `/readyz` until it answers 200; false if it did not within `limit`.
pub async fn wait_ready(client: &reqwest::Client, base: &str, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if readyz(client, base).await == Some(200) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// Registers `departments` departments and drafts a plan with `tasks` measures assigned
/// round-robin to them, due `due`; returns the task ids.
pub async fn plan_with_tasks(
    client: &reqwest::Client,
    base: &str,
    office: &str,
    departments: usize,
    tasks: usize,
    due: &str,
) -> Vec<String> {
    let mut depts = Vec::new();
    for i in 0..departments {
        let data = gql_ok(
            client,
            base,
            office,
            "mutation($n: String!) { registerDepartment(input: {name: $n, kind: BUREAU}) { id } }",
            json!({ "n": format!("部门{i}") }),
        )
        .await;
        depts.push(
            data["registerDepartment"]["id"]
                .as_str()
                .expect("id")
                .to_string(),
        );
    }
    let data = gql_ok(
        client,
        base,
        office,
        "mutation { draftPlan(input: {title: \"可靠性测试方案\", region: \"鲤城区\", \
         periodStart: \"2025-01-01\", periodEnd: \"2025-12-31\"}) { id } }",
        json!({}),
    )
    .await;
    let plan = data["draftPlan"]["id"]
        .as_str()
        .expect("plan id")
        .to_string();
    let mut ids = Vec::new();
    for i in 0..tasks {
        let data = gql_ok(
            client,
            base,
            office,
            "mutation($p: ID!, $t: String!) { defineMeasure(input: {planId: $p, title: $t}) { id } }",
            json!({ "p": plan, "t": format!("措施{i}") }),
        )
        .await;
        let task = data["defineMeasure"]["id"]
            .as_str()
            .expect("task id")
            .to_string();
        gql_ok(
            client,
            base,
            office,
            "mutation($t: ID!, $l: ID!, $d: Date!) { assignTask(input: {taskId: $t, leadId: $l, due: $d}) { id } }",
            json!({ "t": task, "l": depts[i % departments], "d": due }),
        )
        .await;
        ids.push(task);
    }
    ids
}

/// The `reportProgress` mutation, with a command id (`$c`).
pub const REPORT_PROGRESS: &str = "mutation($t: ID!, $p: Int!, $c: String) { \
     reportProgress(input: {taskId: $t, percent: $p, note: \"进度\", commandId: $c}) { id progress } }";

/// A small seeded random number generator (SplitMix64), so a failing run can be repeated.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded from `var` when set, else from the time; prints the seed.
    pub fn from_env(var: &str) -> Rng {
        let seed = std::env::var(var)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("seed: {var}={seed}");
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}
