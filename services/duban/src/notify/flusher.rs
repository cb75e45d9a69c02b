//! The workers' bookkeeping, written together: each worker hands its progress (the
//! attempts the receiver acknowledged and the checkpoint past them) to one flusher,
//! which gathers what every endpoint handed in over [`GATHER`] and writes it in one
//! transaction. Twenty endpoints then cost the database a few short transactions a
//! second instead of one per endpoint per batch, and on SQLite, where the log's writer
//! and the bookkeeping share one write lock, a command's append rarely waits for it.
//!
//! The queue is first in, first out and written in that order, so an endpoint's
//! checkpoint only moves forward; a worker waits for its previous progress to be
//! written before handing in the next, so at most one is in flight per endpoint.

use std::time::Duration;

use tokio::sync::{mpsc, oneshot};

use super::ledger::{Ledger, Progress};

/// How long the flusher gathers progress before writing it.
pub const GATHER: Duration = Duration::from_millis(100);

/// Progress handed in, with where to say whether it was written.
struct Handed {
    progress: Progress,
    written: oneshot::Sender<bool>,
}

/// The handle workers hand progress to.
#[derive(Clone)]
pub struct Flusher {
    queue: mpsc::UnboundedSender<Handed>,
}

/// Whether a handed-in progress was written: true when it was, false when the worker
/// no longer holds its endpoint's lease or the write failed (the worker then stops and
/// a later start resumes from the checkpoint in the database).
pub struct Written(oneshot::Receiver<bool>);

impl Written {
    /// Waits for the answer.
    pub async fn wait(self) -> bool {
        self.0.await.unwrap_or(false)
    }
}

impl Flusher {
    /// Starts the flusher of `owner` (this server's lease name) on `runtime`: the
    /// server's, not delivery's low-priority one, because it holds the database's write
    /// lock while it writes, and a thread the OS lets wait must never hold what a
    /// command waits for. It ends when every handle is dropped.
    pub fn start(runtime: &tokio::runtime::Handle, ledger: Ledger, owner: String) -> Self {
        let (queue, handed) = mpsc::unbounded_channel();
        runtime.spawn(run(ledger, owner, handed));
        Flusher { queue }
    }

    /// Hands in one endpoint's progress.
    pub fn hand(&self, progress: Progress) -> Written {
        let (written, answer) = oneshot::channel();
        // A closed queue (the flusher ended) drops `written`: the answer is false.
        let _ = self.queue.send(Handed { progress, written });
        Written(answer)
    }
}

async fn run(ledger: Ledger, owner: String, mut handed: mpsc::UnboundedReceiver<Handed>) {
    while let Some(first) = handed.recv().await {
        tokio::time::sleep(GATHER).await;
        let mut all = vec![first];
        while let Ok(more) = handed.try_recv() {
            all.push(more);
        }
        let (progress, answers): (Vec<Progress>, Vec<_>) =
            all.into_iter().map(|h| (h.progress, h.written)).unzip();
        let written = match ledger.commit(&owner, &progress).await {
            Ok(written) => written,
            Err(e) => {
                tracing::warn!(error = %e, "cannot record deliveries; workers restart");
                vec![false; answers.len()]
            }
        };
        for (answer, ok) in answers.into_iter().zip(written) {
            let _ = answer.send(ok);
        }
    }
}
