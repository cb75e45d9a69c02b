//! A timing breakdown of one command on one client: token lookup, loading the stream
//! (which the command path skips when it holds a snapshot of the stream), deciding,
//! appending, and folding it into the read model (what `App::run` waits for before it
//! answers), each timed on its own over many sequential commands; and saving the
//! changed document with the checkpoint, which the follower does off the request path.

use std::sync::Arc;
use std::time::{Duration, Instant};

use duban::App;
use duban::auth::{authenticate, create_token};
use duban::commands::{encode, metadata};
use duban_domain::aggregate::{Aggregate, version_of};
use duban_domain::task::{LifecycleCommand, Task, TaskCommand};
use duban_domain::{Actor, Role};
use duban_store::{ExpectedVersion, StreamAppend, StreamBound};

use crate::config::Backend;
use crate::db::BenchResult;
use crate::generate::now;
use crate::report::Report;
use crate::stats::Latency;

/// The section name.
pub const NAME: &str = "2b command breakdown";

/// Times the phases of `count` sequential reportProgress commands on `tasks`.
pub async fn run(
    report: &mut Report,
    backend: Backend,
    app: &Arc<App>,
    tasks: &[String],
    count: usize,
) -> BenchResult<()> {
    let (_, token) = create_token(&app.db, "bench profile", Role::Office, None, now()).await?;
    let actor = Actor::office("bench profile");
    let mut phases: [Vec<Duration>; 6] = Default::default();
    for n in 0..count {
        let stream = format!("task-{}", tasks[n % tasks.len()]);
        let t = Instant::now();
        authenticate(&app.db, &token).await?;
        phases[0].push(t.elapsed());
        let t = Instant::now();
        let state: Option<Task> = app.commands.load(&stream, StreamBound::All).await?;
        phases[1].push(t.elapsed());
        let t = Instant::now();
        let command = TaskCommand::Lifecycle(LifecycleCommand::ReportProgress {
            percent: (n % 100) as i64,
            note: format!("第{n}次调度"),
            evidence: vec![],
        });
        let events = Task::decide(state.as_ref(), &command, &actor, app.clock.now())?;
        let batch = vec![StreamAppend::new(
            stream.clone(),
            Task::STREAM_TYPE,
            ExpectedVersion::Exact(version_of(state.as_ref())),
            events.iter().map(encode).collect(),
        )];
        phases[2].push(t.elapsed());
        let t = Instant::now();
        let appended = app
            .store
            .append(batch, &metadata(&actor, None), app.clock.now())
            .await?;
        phases[3].push(t.elapsed());
        let t = Instant::now();
        app.read
            .wait_for(appended.last_position().unwrap_or(0))
            .await?;
        phases[4].push(t.elapsed());
        let t = Instant::now();
        app.read.flush().await?;
        phases[5].push(t.elapsed());
    }
    for (name, samples) in ["auth", "load", "decide", "append", "fold", "save"]
        .iter()
        .zip(&phases)
    {
        let l = Latency::of(samples);
        let mean =
            samples.iter().sum::<Duration>().as_secs_f64() * 1e3 / samples.len().max(1) as f64;
        report.add(NAME, backend, &format!("cmd_{name}_mean_ms"), mean, "ms");
        report.add(NAME, backend, &format!("cmd_{name}_p99_ms"), l.p99_ms, "ms");
    }
    Ok(())
}
