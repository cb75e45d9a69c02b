//! `duban export-events`: the whole log as JSON Lines, one [`LogEntry`] per line, in
//! position order, exactly as stored (so every line re-hashes to its stored hash).

use std::io::Write;

use duban_store::{EventStore, LogEntry};

use crate::error::{ServiceError, ServiceResult};

/// Entries read per page.
const PAGE: i64 = 2_000;

/// Writes every event up to the head (read once at the start, so the export is a
/// consistent prefix of the log even while others append) to `out`, one JSON object per
/// line. `progress(done, total)` is called after each page. Returns the number of events.
pub async fn export_events(
    store: &dyn EventStore,
    out: &mut dyn Write,
    progress: &(dyn Fn(i64, i64) + Sync),
) -> ServiceResult<i64> {
    let head = store.head().await?;
    let mut after = 0;
    progress(0, head);
    while after < head {
        let page = store.read_log(after, head, PAGE).await?;
        let Some(last) = page.last().map(|e| e.position) else {
            break;
        };
        for entry in &page {
            write_line(out, entry)?;
        }
        after = last;
        progress(after, head);
    }
    out.flush().map_err(io_error)?;
    Ok(after)
}

fn write_line(out: &mut dyn Write, entry: &LogEntry) -> ServiceResult<()> {
    serde_json::to_writer(&mut *out, entry)
        .map_err(|e| ServiceError::Internal(format!("writing the export: {e}")))?;
    out.write_all(b"\n").map_err(io_error)
}

fn io_error(e: std::io::Error) -> ServiceError {
    ServiceError::Internal(format!("writing the export: {e}"))
}
