//! `duban-bench`: runs the benchmark workloads and prints a table (or JSON).

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use duban_bench::results::{Run, latest_targets_table, load, targets_table};
use duban_bench::{Backend, Config, ServerMode, run_all};

/// Benchmarks of duban on SQLite and PostgreSQL, with the databases' limits.
#[derive(Parser, Debug)]
#[command(name = "duban-bench", args_conflicts_with_subcommands = true)]
struct Args {
    /// Instead of running: print from the kept runs.
    #[command(subcommand)]
    command: Option<Kept>,
    /// Everything in seconds (20,000 events, 1 s runs); other flags still apply.
    #[arg(long)]
    toy: bool,
    /// Events in the big log (rebuild, queries, memory).
    #[arg(long)]
    events: Option<u64>,
    /// Concurrent clients, e.g. 1,4,16.
    #[arg(long, value_delimiter = ',')]
    clients: Option<Vec<usize>>,
    /// Seconds per command run, pgbench run and query run.
    #[arg(long)]
    duration: Option<f64>,
    /// Events per bulk-append run.
    #[arg(long)]
    bulk_events: Option<u64>,
    /// Backends: sqlite,postgres.
    #[arg(long, value_delimiter = ',')]
    backends: Option<Vec<String>>,
    /// PostgreSQL server URL.
    #[arg(
        long,
        env = "DUBAN_TEST_POSTGRES_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    postgres_url: String,
    /// Where the query/memory server runs: auto, child or inproc.
    #[arg(long, default_value = "auto")]
    server: String,
    /// The duban binary for the child server.
    #[arg(long, default_value = "target/release/duban")]
    duban_bin: PathBuf,
    /// Skip pgbench and the SQLite loop.
    #[arg(long)]
    no_limits: bool,
    /// Only these workload groups: commands (1, 2, 6), bulk (3), big (3 log, 4, 5, 7),
    /// assessment (8).
    #[arg(long, value_delimiter = ',')]
    only: Option<Vec<String>>,
    /// Use this existing log (made by an earlier run with `DUBAN_BENCH_KEEP_DB=1` and
    /// the same --events) for the big-log workloads instead of loading one.
    #[arg(long)]
    log_url: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also keep the run as `<DIR>/<start>-<commit>.json` (e.g. services/bench/results).
    #[arg(long)]
    save: Option<PathBuf>,
    /// The host in words, kept with a saved run.
    #[arg(long, default_value = "")]
    host: String,
}

/// Subcommands instead of a run.
#[derive(Subcommand, Debug)]
enum Kept {
    /// Writes the big workload's generated log into a new SQLite file (for
    /// services/bench/scripts/console-1m.sh and other tools that need a big log).
    Log {
        /// Events in the log.
        #[arg(long, default_value_t = 1_000_000)]
        events: u64,
        /// The SQLite file to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Prints each target from the newest kept run that measured it (or every run's
    /// table).
    Results {
        /// The directory of kept runs.
        #[arg(long, default_value = "services/bench/results")]
        dir: PathBuf,
        /// Every run, oldest first, instead of the latest.
        #[arg(long)]
        all: bool,
    },
}

/// Prints the targets of the kept runs in `dir`.
fn print_results(dir: &std::path::Path, all: bool) -> duban_bench::BenchResult<()> {
    let runs = load(dir)?;
    if runs.is_empty() {
        return Err(format!("no kept runs in {}", dir.display()).into());
    }
    if all {
        for run in &runs {
            println!("{}", targets_table(run));
        }
    } else {
        println!("{}", latest_targets_table(&runs));
    }
    Ok(())
}

/// The commit being measured (short hash), or `unknown` outside a git checkout.
fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    if let Some(Kept::Results { dir, all }) = &args.command {
        if let Err(e) = print_results(dir, *all) {
            eprintln!("duban-bench results: {e}");
            std::process::exit(1);
        }
        return;
    }
    if let Some(Kept::Log { events, out }) = &args.command {
        if out.exists() {
            eprintln!("duban-bench log: {} exists", out.display());
            std::process::exit(1);
        }
        let url = format!("sqlite:{}", out.display());
        match duban_bench::workloads::bulk::write_log(&url, *events).await {
            Ok(head) => eprintln!("wrote {head} events to {}", out.display()),
            Err(e) => {
                eprintln!("duban-bench log: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let started = chrono::Utc::now();
    let mut config = if args.toy {
        Config::toy()
    } else {
        Config::full()
    };
    if let Some(v) = args.events {
        config.events = v;
    }
    if let Some(v) = args.clients {
        config.clients = v;
    }
    if let Some(v) = args.duration {
        config.duration = Duration::from_secs_f64(v);
    }
    if let Some(v) = args.bulk_events {
        config.bulk_events = v;
    }
    if let Some(v) = args.backends {
        config.backends = v
            .iter()
            .map(|b| match b.as_str() {
                "sqlite" => Backend::Sqlite,
                _ => Backend::Postgres,
            })
            .collect();
    }
    config.postgres_url = Some(args.postgres_url);
    config.server = match args.server.as_str() {
        "child" => ServerMode::Child,
        "inproc" => ServerMode::InProc,
        _ => ServerMode::Auto,
    };
    config.duban_bin = args.duban_bin;
    config.limits = !args.no_limits;
    config.only = args.only.unwrap_or_default();
    config.log_url = args.log_url;
    let outcome = run_all(&config).await;
    if let (Ok(report), Some(dir)) = (&outcome, &args.save) {
        let run = Run {
            started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            commit: commit(),
            host: args.host.clone(),
            report: report.clone(),
        };
        let path = dir.join(format!(
            "{}-{}.json",
            started.format("%Y-%m-%dT%H%MZ"),
            run.commit
        ));
        let text = serde_json::to_string_pretty(&run).expect("a run serialises");
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!(
                "duban-bench: could not keep the run in {}: {e}",
                path.display()
            );
        }
    }
    match outcome {
        Ok(report) if args.json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("report serialises")
            );
        }
        Ok(report) => print!("{}", report.table()),
        Err(e) => {
            eprintln!("duban-bench failed: {e}");
            std::process::exit(1);
        }
    }
}
