//! Threads for work that must never slow a command: the delivery of notifications runs
//! on a runtime of its own whose threads the OS schedules below the server's (niceness
//! 19 on Linux), and so do the database connections it opens from there (a new thread
//! inherits its creator's niceness; SQLite connections of sqlx run on threads of their
//! own). When commands and delivery want the same core, the command gets it; when the
//! server is idle, delivery has the whole machine. Under a sustained full load delivery
//! waits for a lull, which is the right order for notifications.

use std::future::Future;

use tokio::sync::oneshot;

/// Lowers the calling thread's scheduling priority to the lowest normal one; a failure
/// (an OS without niceness) is logged and delivery runs at normal priority.
pub fn lower_this_thread() {
    if let Err(e) =
        thread_priority::set_current_thread_priority(thread_priority::ThreadPriority::Min)
    {
        tracing::debug!(error = ?e, "cannot lower this thread's priority");
    }
}

/// Background work started by [`spawn`]; dropping it stops the work (its tasks are
/// cancelled at their next await) and lets the thread end.
#[must_use = "the background work stops when this is dropped"]
#[derive(Debug)]
pub struct Background {
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Runs the future made by `make` on a new thread `name` with a runtime of `threads`
/// worker threads, all at the lowest priority, until it ends or the handle is dropped.
/// `make` runs on that runtime, so what it opens (connection pools) lives there too.
pub fn spawn<M, F>(name: &str, threads: usize, make: M) -> std::io::Result<Background>
where
    M: FnOnce() -> F + Send + 'static,
    F: Future<Output = ()>,
{
    let (stop, stopped) = oneshot::channel::<()>();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name(name)
        .on_thread_start(lower_this_thread)
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_this_thread();
            runtime.block_on(async move {
                tokio::select! {
                    () = make() => {}
                    _ = stopped => {}
                }
            });
            // Tasks still running (a worker waiting on a receiver) are dropped, not
            // awaited: their state is in the database and is taken up on the next start.
            runtime.shutdown_background();
        })?;
    Ok(Background { stop: Some(stop) })
}
