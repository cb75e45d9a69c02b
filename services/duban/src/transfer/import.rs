//! `duban import-events`: loads an export (JSON Lines of [`LogEntry`]) into an empty
//! store with [`LogImport`], which verifies every stream's hash chain while loading and
//! writes nothing unless the whole file is sound; then the read models are rebuilt.

use std::io::BufRead;

use duban_store::{EventStore, ImportSummary, LogEntry, LogImport};

use crate::app::App;
use crate::error::{ServiceError, ServiceResult};

/// Entries inserted per statement batch (all inside the one import transaction).
const BATCH: usize = 1_000;

/// Loads the JSON Lines in `input` into `store`, which must be empty. Blank lines are
/// skipped. `progress(events_loaded)` is called after each batch. A malformed line, a
/// broken chain or a non-empty store fails the import and nothing is written.
pub async fn import_events(
    store: &dyn EventStore,
    input: impl BufRead,
    progress: &(dyn Fn(u64) + Sync),
) -> ServiceResult<ImportSummary> {
    let mut import = LogImport::begin(store).await?;
    let mut batch = Vec::with_capacity(BATCH);
    let mut loaded = 0u64;
    for (index, line) in input.lines().enumerate() {
        let line = line.map_err(|e| {
            ServiceError::invalid("file", format!("cannot read line {}: {e}", index + 1))
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let entry: LogEntry = serde_json::from_str(&line).map_err(|e| {
            ServiceError::invalid("file", format!("line {} is not an event: {e}", index + 1))
        })?;
        batch.push(entry);
        if batch.len() == BATCH {
            import.push(&batch).await?;
            loaded += batch.len() as u64;
            batch.clear();
            progress(loaded);
        }
    }
    import.push(&batch).await?;
    loaded += batch.len() as u64;
    progress(loaded);
    Ok(import.commit().await?)
}

/// Imports into the store behind `app` and then rebuilds its read models from the new
/// log (`rebuild_progress(done, total)`), so queries answer. Returns the summary and the
/// read models' position.
pub async fn import_and_rebuild(
    app: &App,
    input: impl BufRead,
    progress: &(dyn Fn(u64) + Sync),
    rebuild_progress: &(dyn Fn(i64, i64) + Sync),
) -> ServiceResult<(ImportSummary, i64)> {
    let summary = import_events(app.store.as_ref(), input, progress).await?;
    let position = app.read.rebuild(rebuild_progress).await?.position;
    Ok((summary, position))
}
