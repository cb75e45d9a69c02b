//! Workloads 1, 2 and 6: `reportProgress` on many running tasks by 1, 4, 16 concurrent
//! clients, over HTTP against the server in this process (port 0) while the projection
//! lag is probed, and directly through `App::task_command` (no HTTP).

use std::sync::Arc;

use serde::Serialize;
use serde_json::json;

use duban::App;
use duban::commands::CommandOptions;
use duban::ops::LifecycleInput;
use duban_domain::Actor;
use duban_domain::task::TaskStatus;

use crate::client::Connections;
use crate::config::{Backend, Config};
use crate::db::BenchResult;
use crate::report::Report;
use crate::server::{Server, bench_clock};
use crate::stats::Latency;
use crate::workloads::bulk::seeded;
use crate::workloads::drive::{LagProbe, LoopResult, closed_loop};
use crate::workloads::{profile, validation};

/// Workload 1's name.
pub const HTTP: &str = "1 http commands";
/// Workload 2's name.
pub const INPROC: &str = "2 in-process commands";
/// Workload 6's name.
pub const LAG: &str = "6 projection lag";

const REPORT_PROGRESS: &str = "mutation($t: ID!, $p: Int!, $n: String!) { \
    reportProgress(input: {taskId: $t, percent: $p, note: $n}) { id version progress } }";

/// Ids of the tasks progress may be reported on.
fn running_tasks(app: &App) -> Vec<String> {
    app.read.read(|m| {
        m.tasks
            .values()
            .filter(|v| {
                matches!(
                    v.task.status,
                    TaskStatus::Assigned | TaskStatus::InProgress | TaskStatus::PendingVerification
                )
            })
            .map(|v| v.task.id.to_string())
            .collect()
    })
}

/// Checks a run: no errors, and exactly one event per successful command.
fn check(result: &LoopResult, appended: i64) -> BenchResult<()> {
    if result.errors > 0 {
        return Err(format!(
            "{} of {} commands failed: {}",
            result.errors,
            result.sent,
            result.first_error.clone().unwrap_or_default()
        )
        .into());
    }
    if appended != result.latencies.len() as i64 {
        return Err(format!(
            "{} commands succeeded but {appended} events were appended",
            result.latencies.len()
        )
        .into());
    }
    Ok(())
}

/// The variables of [`REPORT_PROGRESS`].
#[derive(Serialize)]
struct ProgressVars<'a> {
    t: &'a str,
    p: i64,
    n: String,
}

/// Which of `len` tasks client `i` of `clients` reports on in its `n`-th call: the
/// clients go round the list side by side, each `clients` apart.
fn task_index(len: usize, clients: usize, i: usize, n: u64) -> usize {
    (i + n as usize * clients) % len
}

fn task_for(tasks: &[String], clients: usize, i: usize, n: u64) -> String {
    tasks[task_index(tasks.len(), clients, i, n)].clone()
}

/// Workloads 1 and 6.
pub async fn http(report: &mut Report, config: &Config, backend: Backend) -> BenchResult<()> {
    let mark = report.begin(HTTP, backend);
    let (db, _) = seeded(config, backend, config.seed_events).await?;
    let server = Server::in_process(&db.url()).await?;
    let app = Arc::clone(server.app().ok_or("in-process server has an app")?);
    let tasks = Arc::new(running_tasks(&app));
    if tasks.is_empty() {
        return Err("the seed log has no running tasks".into());
    }
    report.add(HTTP, backend, "running_tasks", tasks.len() as f64, "tasks");
    for &c in &config.clients {
        let head = app.store.head().await?;
        let probe = LagProbe::start(&app);
        let conns = Arc::new(Connections::new(&server.base, &server.office, c));
        let tasks = Arc::clone(&tasks);
        let result = closed_loop(c, config.duration, move |i, n| {
            let (conns, tasks) = (Arc::clone(&conns), Arc::clone(&tasks));
            async move {
                let vars = ProgressVars {
                    t: &tasks[task_index(tasks.len(), c, i, n)],
                    p: (n % 100) as i64,
                    n: format!("第{n}次调度"),
                };
                conns.post(i, REPORT_PROGRESS, &vars).await
            }
        })
        .await;
        let lag = probe.stop().await;
        check(&result, app.store.head().await? - head)?;
        report.add(
            HTTP,
            backend,
            &format!("http_cmds_per_s@{c}"),
            result.rate(),
            "cmds/s",
        );
        if let Some(cpu) = result.cpu {
            cpu.report(report, HTTP, backend, "http", c, result.sent as f64);
        }
        report.add(
            HTTP,
            backend,
            &format!("http_sent@{c}"),
            result.sent as f64,
            "cmds",
        );
        let l = Latency::of(&result.latencies);
        report.add(HTTP, backend, &format!("http_p50_ms@{c}"), l.p50_ms, "ms");
        report.add(HTTP, backend, &format!("http_p99_ms@{c}"), l.p99_ms, "ms");
        report.add(
            LAG,
            backend,
            &format!("lag_p50_ms@{c}"),
            lag.time.p50_ms,
            "ms",
        );
        report.add(
            LAG,
            backend,
            &format!("lag_p99_ms@{c}"),
            lag.time.p99_ms,
            "ms",
        );
        report.add(
            LAG,
            backend,
            &format!("lag_max_ms@{c}"),
            lag.time.max_ms,
            "ms",
        );
        report.add(
            LAG,
            backend,
            &format!("lag_samples@{c}"),
            lag.time.count as f64,
            "n",
        );
        report.add(
            LAG,
            backend,
            &format!("lag_events_p99@{c}"),
            lag.events.p99_ms,
            "events",
        );
    }
    floor(report, config, backend, &server).await?;
    server.stop().await;
    report.end(mark);
    Ok(())
}

/// The floor under workload 1: the same clients sending the cheapest authenticated
/// request instead of a command. `me` is answered from the server's kept answers after
/// the first time (`duban::http::response_cache`): token lookup, GraphQL parse and the
/// kept JSON, without validation, execution or the hand-over to the application's
/// runtime, all of which a command needs. So no command over HTTP can come near it.
async fn floor(
    report: &mut Report,
    config: &Config,
    backend: Backend,
    server: &Server,
) -> BenchResult<()> {
    for &c in &config.clients {
        let conns = Arc::new(Connections::new(&server.base, &server.office, c));
        let result = closed_loop(c, config.duration, move |i, _| {
            let conns = Arc::clone(&conns);
            async move { conns.post(i, "{ me { name role } }", &json!({})).await }
        })
        .await;
        check(&result, result.latencies.len() as i64)?;
        report.add(
            HTTP,
            backend,
            &format!("http_floor_req_per_s@{c}"),
            result.rate(),
            "req/s",
        );
        if let Some(cpu) = result.cpu {
            cpu.report(report, HTTP, backend, "http_floor", c, result.sent as f64);
        }
    }
    Ok(())
}

/// Workload 2.
pub async fn in_process(report: &mut Report, config: &Config, backend: Backend) -> BenchResult<()> {
    let mark = report.begin(INPROC, backend);
    let (db, _) = seeded(config, backend, config.seed_events).await?;
    let app = App::open(&db.url(), bench_clock()).await?;
    let tasks = Arc::new(running_tasks(&app));
    if tasks.is_empty() {
        return Err("the seed log has no running tasks".into());
    }
    let actor = Actor::office("bench office");
    for &c in &config.clients {
        let head = app.store.head().await?;
        let (app2, tasks, actor) = (Arc::clone(&app), Arc::clone(&tasks), actor.clone());
        let result = closed_loop(c, config.duration, move |i, n| {
            let (app, actor) = (Arc::clone(&app2), actor.clone());
            let task = task_for(&tasks, c, i, n);
            async move {
                let input = LifecycleInput::ReportProgress {
                    percent: (n % 100) as i64,
                    note: format!("第{n}次调度"),
                    evidence: vec![],
                };
                app.task_command(&actor, &task, &CommandOptions::default(), input)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string().into())
            }
        })
        .await;
        check(&result, app.store.head().await? - head)?;
        report.add(
            INPROC,
            backend,
            &format!("inproc_cmds_per_s@{c}"),
            result.rate(),
            "cmds/s",
        );
        if let Some(cpu) = result.cpu {
            cpu.report(report, INPROC, backend, "inproc", c, result.sent as f64);
        }
        report.add(
            INPROC,
            backend,
            &format!("inproc_sent@{c}"),
            result.sent as f64,
            "cmds",
        );
        let l = Latency::of(&result.latencies);
        report.add(
            INPROC,
            backend,
            &format!("inproc_p99_ms@{c}"),
            l.p99_ms,
            "ms",
        );
    }
    report.end(mark);
    let mark = report.begin(profile::NAME, backend);
    let count = (config.duration.as_secs_f64() * 100.0).clamp(20.0, 1000.0) as usize;
    profile::run(report, backend, &app, &tasks, count).await?;
    report.end(mark);
    let mark = report.begin(validation::NAME, backend);
    validation::run(report, backend, REPORT_PROGRESS, count * 20).await?;
    report.end(mark);
    drop(app);
    drop(db);
    Ok(())
}
