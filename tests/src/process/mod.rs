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
use std::time::Duration;

pub mod http;

pub use http::{REPORT_PROGRESS, gql, gql_ok, plan_with_tasks, readyz, wait_ready};

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
