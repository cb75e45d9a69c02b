//! What to run and at which sizes.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A database backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL database.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Where the HTTP server of the query and memory workloads runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerMode {
    /// The release binary as a child process when it exists, else in-process.
    Auto,
    /// Always the binary (`duban serve`) as a child process.
    Child,
    /// Always in this process, on port 0.
    InProc,
}

/// Sizes and switches of one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Events in the big log (rebuild, queries, memory).
    pub events: u64,
    /// Concurrent clients for the command workloads and the one-row limits.
    pub clients: Vec<usize>,
    /// Seconds per command run, per pgbench run and for the query run.
    pub duration: Duration,
    /// Events per batch-size run of the bulk-append workload.
    pub bulk_events: u64,
    /// Batch sizes of the bulk-append workload.
    pub bulk_batches: Vec<usize>,
    /// Batch size used to load the big log.
    pub load_batch: usize,
    /// Events in the log the command workloads start from.
    pub seed_events: u64,
    /// Query requests per second (open loop).
    pub query_rate: f64,
    /// Backends to run.
    pub backends: Vec<Backend>,
    /// PostgreSQL server URL (a database on it is used to create fresh ones).
    pub postgres_url: Option<String>,
    /// Where the query server runs.
    pub server: ServerMode,
    /// The `duban` binary for [`ServerMode::Child`].
    pub duban_bin: PathBuf,
    /// Run the database limits (pgbench, the SQLite loop).
    pub limits: bool,
    /// Workload groups to run (`commands`, `bulk`, `big`, `assessment`); empty = all.
    pub only: Vec<String>,
    /// An existing log of `events` events for the big-log workloads, instead of loading
    /// one into a fresh database (for profiling: the server then starts from the
    /// documents an earlier rebuild stored).
    pub log_url: Option<String>,
    /// Sizes of the assessment workload (runs kept before it read as the defaults).
    #[serde(default)]
    pub assessment: AssessmentSizes,
}

/// Sizes of workload 8, the assessment at county scale.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct AssessmentSizes {
    /// Schools in the county (one primary stage each).
    pub schools: usize,
    /// School years surveyed, one import each.
    pub years: usize,
    /// `assessment` queries timed after the imports.
    pub queries: usize,
}

impl Default for AssessmentSizes {
    /// The county: 60 schools × 5 years; 1,000 queries.
    fn default() -> Self {
        Self {
            schools: 60,
            years: 5,
            queries: 1000,
        }
    }
}

impl Config {
    /// True when the workload group `name` is selected.
    pub fn runs(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }
}

impl Config {
    /// The full-size run: 1,000,000 events, 1/4/16 clients, 10 s runs.
    pub fn full() -> Self {
        Self {
            events: 1_000_000,
            clients: vec![1, 4, 16],
            duration: Duration::from_secs(10),
            bulk_events: 200_000,
            bulk_batches: vec![100, 1000],
            load_batch: 1000,
            seed_events: 50_000,
            query_rate: 200.0,
            backends: vec![Backend::Sqlite, Backend::Postgres],
            postgres_url: None,
            server: ServerMode::Auto,
            duban_bin: PathBuf::from("target/release/duban"),
            limits: true,
            only: Vec::new(),
            log_url: None,
            assessment: AssessmentSizes::default(),
        }
    }

    /// Everything in seconds: 20,000 events, 1 s runs.
    pub fn toy() -> Self {
        Self {
            events: 20_000,
            duration: Duration::from_secs(1),
            bulk_events: 5_000,
            seed_events: 5_000,
            ..Self::full()
        }
    }
}
