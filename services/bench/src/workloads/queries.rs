//! Workload 5: board, worklist and quarterlyDispatch over HTTP at a fixed request rate
//! (open loop: request `i` is due at `i / rate`; latency counts from when it was due,
//! so a server that falls behind is not flattered).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::config::{Backend, Config};
use crate::db::BenchResult;
use crate::report::Report;
use crate::server::{Server, gql};
use crate::stats::{Latency, rss_mib};

/// Workload 5's name.
pub const NAME: &str = "5 queries";

/// When set, the file to write every loaded request's due time, kind and latency to
/// (CSV, one per backend: the backend's name goes before the extension), to see when a
/// tail happens.
pub const TRACE_VAR: &str = "DUBAN_BENCH_QUERY_TRACE";

const COUNTS: &str = "open overdue dueSoon pendingVerification closed closedLate escalated";

/// Agenda items the board asks for under load: the top of the agenda, what a dispatch
/// meeting's screen shows (the full agenda of ~3,700 tasks is measured unloaded).
pub const AGENDA_PAGE: usize = 50;

/// The board query; `agenda` is the agenda's arguments (`""` for the full agenda).
fn board_query(agenda: &str) -> String {
    format!(
        "query($p: ID) {{ board(planId: $p) {{ asOf totals {{ {COUNTS} }} \
         rows {{ department {{ id name }} light counts {{ {COUNTS} }} averageProgress }} \
         agenda{agenda} {{ id title status due overdue lead {{ name }} }} }} }}"
    )
}

/// The board as the load asks for it: rows, totals and the top of the agenda.
fn board() -> String {
    board_query(&format!("(first: {AGENDA_PAGE})"))
}

const WORKLIST: &str = "query($d: ID!) { worklist(departmentId: $d) { \
    id kind code title status due overdue progress lastProgressAt lead { name } } }";

const DISPATCH: &str = "query($p: ID, $y: Int!, $q: Int!) { \
    quarterlyDispatch(planId: $p, year: $y, quarter: $q) { year quarter \
    totals { openAtStart assigned progressReports submitted closed closedLate wentOverdue overdueAtEnd } \
    rows { department { name } rank onTimeRate counts { assigned progressReports submitted closed \
    closedLate wentOverdue overdueAtEnd } } circular } }";

/// The `i`-th request: (kind, query, variables).
fn request(i: usize, plans: &[String], departments: &[String]) -> (usize, String, Value) {
    let plan = |k: usize| Value::String(plans[k % plans.len()].clone());
    match i % 3 {
        0 => {
            let p = if (i / 3).is_multiple_of(2) {
                Value::Null
            } else {
                plan(i / 6)
            };
            (0, board(), json!({ "p": p }))
        }
        1 => (
            1,
            WORKLIST.into(),
            json!({ "d": departments[(i * 7) % departments.len()] }),
        ),
        _ => {
            let (p, y, q) = dispatch_variant(i / 3, plans);
            (2, DISPATCH.into(), json!({ "p": p, "y": y, "q": q }))
        }
    }
}

/// Three dispatches: the whole county for 2025 Q2 and Q1, the first plan for 2025 Q2.
fn dispatch_variant(k: usize, plans: &[String]) -> (Value, i32, i32) {
    match k % 3 {
        0 => (Value::Null, 2025, 2),
        1 => (Value::Null, 2025, 1),
        _ => (Value::String(plans[0].clone()), 2025, 2),
    }
}

const KINDS: [&str; 3] = ["board", "worklist", "dispatch"];

/// One request on its own: the answer and its time in ms.
async fn timed(
    client: &reqwest::Client,
    server: &Server,
    query: &str,
    variables: Value,
) -> BenchResult<(Value, f64)> {
    let t = Instant::now();
    let answer = gql(client, &server.base, &server.office, query, variables).await?;
    Ok((answer, t.elapsed().as_secs_f64() * 1e3))
}

/// Runs workload 5 against `server`.
pub async fn run(
    report: &mut Report,
    config: &Config,
    backend: Backend,
    server: &Server,
    plans: &[String],
    departments: &[String],
) -> BenchResult<()> {
    let mark = report.begin(NAME, backend);
    let client = reqwest::Client::new();
    // Cold: the first dispatch of each quarter replays the log (one replay answers the
    // county and every plan of a quarter; later requests are cached).
    let mut cold = 0.0f64;
    let mut cold_total = 0.0f64;
    for k in 0..3 {
        let (p, y, q) = dispatch_variant(k, plans);
        let vars = json!({ "p": p, "y": y, "q": q });
        let (_, ms) = timed(&client, server, DISPATCH, vars).await?;
        cold = cold.max(ms);
        cold_total += ms;
    }
    report.add(NAME, backend, "dispatch_cold_max_ms", cold, "ms");
    report.add(NAME, backend, "dispatch_cold_total_ms", cold_total, "ms");
    let vars = json!({ "p": null, "y": 2025, "q": 2 });
    let (_, warm) = timed(&client, server, DISPATCH, vars).await?;
    report.add(NAME, backend, "dispatch_unloaded_ms", warm, "ms");
    report.add(
        NAME,
        backend,
        "rss_after_cold_dispatch_mib",
        rss_mib(server.pid()).unwrap_or(f64::NAN),
        "MiB",
    );
    // One unloaded request of each, and the sizes of what they return. The board is
    // cached per model position and date: the first request computes it (cold), the
    // next ones only resolve it; the full agenda is measured as well as the page.
    let full = board_query("");
    let (b, board_cold) = timed(&client, server, &full, json!({ "p": null })).await?;
    report.add(NAME, backend, "board_full_cold_ms", board_cold, "ms");
    let (_, board_full) = timed(&client, server, &full, json!({ "p": null })).await?;
    report.add(NAME, backend, "board_full_unloaded_ms", board_full, "ms");
    let (_, board_page) = timed(&client, server, &board(), json!({ "p": null })).await?;
    report.add(NAME, backend, "board_page_unloaded_ms", board_page, "ms");
    let minimal = "query { board { totals { open } } }";
    let (_, totals_only) = timed(&client, server, minimal, json!({})).await?;
    report.add(
        NAME,
        backend,
        "board_totals_only_unloaded_ms",
        totals_only,
        "ms",
    );
    let len = |v: &Value| v.as_array().map_or(0, Vec::len) as f64;
    report.add(
        NAME,
        backend,
        "board_agenda_len",
        len(&b["board"]["agenda"]),
        "tasks",
    );
    report.add(
        NAME,
        backend,
        "board_agenda_page",
        AGENDA_PAGE as f64,
        "tasks",
    );
    report.add(
        NAME,
        backend,
        "board_rows",
        len(&b["board"]["rows"]),
        "rows",
    );
    let t = Instant::now();
    let w = gql(
        &client,
        &server.base,
        &server.office,
        WORKLIST,
        json!({ "d": departments[0] }),
    )
    .await?;
    report.add(
        NAME,
        backend,
        "worklist_unloaded_ms",
        t.elapsed().as_secs_f64() * 1e3,
        "ms",
    );
    report.add(NAME, backend, "worklist_len", len(&w["worklist"]), "tasks");

    let total = (config.query_rate * config.duration.as_secs_f64())
        .round()
        .max(3.0) as usize;
    let interval = Duration::from_secs_f64(1.0 / config.query_rate);
    let plans = Arc::new(plans.to_vec());
    let departments = Arc::new(departments.to_vec());
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut handles = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + interval.mul_f64(i as f64);
        let (client, base, token) = (client.clone(), server.base.clone(), server.office.clone());
        let (kind, query, vars) = request(i, &plans, &departments);
        handles.push(tokio::spawn(async move {
            tokio::time::sleep_until(due).await;
            let result = gql(&client, &base, &token, &query, vars).await;
            (kind, due.elapsed(), result.map_err(|e| e.to_string()))
        }));
    }
    let mut samples: [Vec<Duration>; 3] = Default::default();
    let mut errors = Vec::new();
    let trace_to = std::env::var_os(TRACE_VAR);
    let mut trace = String::from("due_ms,kind,latency_ms\n");
    for (i, h) in handles.into_iter().enumerate() {
        let (kind, latency, result) = h.await?;
        if trace_to.is_some() {
            let due_ms = interval.as_secs_f64() * 1e3 * i as f64;
            let latency_ms = latency.as_secs_f64() * 1e3;
            trace.push_str(&format!("{due_ms:.1},{},{latency_ms:.2}\n", KINDS[kind]));
        }
        match result {
            Ok(_) => samples[kind].push(latency),
            Err(e) => errors.push(e),
        }
    }
    let achieved = total as f64 / (start.elapsed().as_secs_f64()).max(1e-9);
    if let Some(path) = trace_to {
        // One file per backend: `q.csv` -> `q.sqlite.csv`, `q.postgres.csv`.
        let path = std::path::PathBuf::from(path).with_extension(format!("{}.csv", backend.name()));
        std::fs::write(&path, trace)?;
        report.notes.push(format!(
            "{}: query latencies by due time written to {}",
            backend.name(),
            path.display()
        ));
    }
    report.add(
        NAME,
        backend,
        "queries_failed",
        errors.len() as f64,
        "requests",
    );
    if let Some(e) = errors.first() {
        // An overloaded server times out (pool acquire); keep the figures, say so.
        report.notes.push(format!(
            "{}: {} of {total} queries failed under load; first: {e}",
            backend.name(),
            errors.len()
        ));
    }
    report.add(NAME, backend, "queries_sent", total as f64, "requests");
    report.add(NAME, backend, "queries_rate_achieved", achieved, "req/s");
    let all: Vec<Duration> = samples.iter().flatten().copied().collect();
    report.latency(NAME, backend, "all", Latency::of(&all));
    for (kind, s) in samples.iter().enumerate() {
        report.latency(NAME, backend, KINDS[kind], Latency::of(s));
    }
    report.end(mark);
    Ok(())
}
