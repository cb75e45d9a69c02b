//! Moving data in and out: [`export`] (the log as JSON Lines), [`import`] (loading such a
//! file into an empty store, verified, then rebuilding the read models) and [`backup`]
//! (an online copy of an SQLite database). The `run_*` functions are the CLI commands
//! `export-events`, `import-events` and `backup`, with progress bars on stderr.

pub mod backup;
pub mod export;
pub mod import;

use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use crate::app::App;
use crate::clock::Clock;
use crate::error::{ServiceError, ServiceResult};
use crate::progress::bar;

/// `duban export-events [--to FILE]`: writes the log to `to` (stdout when `None`).
pub async fn run_export(database_url: &str, to: Option<&Path>) -> ServiceResult<()> {
    let store = duban_store::connect(database_url).await?;
    let progress = bar("events");
    let report = |done: i64, total: i64| {
        progress.set_length(total.max(0) as u64);
        progress.set_position(done.max(0) as u64);
    };
    let count = match to {
        Some(path) => {
            let file = create_new(path)?;
            let mut out = BufWriter::new(file);
            export::export_events(store.as_ref(), &mut out, &report).await?
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let count = export::export_events(store.as_ref(), &mut out, &report).await?;
            out.flush()
                .map_err(|e| ServiceError::Internal(format!("writing stdout: {e}")))?;
            count
        }
    };
    progress.finish_and_clear();
    match to {
        Some(path) => eprintln!("exported {count} events to {}", path.display()),
        None => eprintln!("exported {count} events"),
    }
    Ok(())
}

/// `duban import-events FILE`: loads an export into the (empty) database, then rebuilds
/// the read models.
pub async fn run_import(database_url: &str, file: &Path, clock: Clock) -> ServiceResult<()> {
    let input = std::fs::File::open(file).map_err(|e| {
        ServiceError::invalid("file", format!("cannot read {}: {e}", file.display()))
    })?;
    let lines = count_lines(file)?;
    let store = duban_store::connect(database_url).await?;
    // Refuse a non-empty target before loading its read models (the import checks again
    // inside its own transaction).
    drop(duban_store::LogImport::begin(store.as_ref()).await?);
    let db = crate::db::open(database_url).await?;
    let app = App::with_store(store, db, clock).await?;
    let loading = bar("events loaded");
    loading.set_length(lines);
    let summary = import::import_events(app.store.as_ref(), BufReader::new(input), &|done| {
        loading.set_position(done)
    })
    .await?;
    loading.finish_and_clear();
    let rebuilding = bar("events folded into the read models");
    let position = app
        .read
        .rebuild(&|done, total| {
            rebuilding.set_length(total.max(0) as u64);
            rebuilding.set_position(done.max(0) as u64);
        })
        .await?
        .position;
    rebuilding.finish_and_clear();
    println!(
        "imported {} events ({} streams, {} commands); every hash chain verified; \
         read models rebuilt up to position {position}",
        summary.events, summary.streams, summary.commands
    );
    Ok(())
}

/// `duban backup --to FILE`.
pub async fn run_backup(database_url: &str, to: &Path) -> ServiceResult<()> {
    // Connecting runs the migrations, so a copy of an older database is of today's shape.
    drop(duban_store::connect(database_url).await?);
    let db = crate::db::open(database_url).await?;
    backup::backup(&db, to).await?;
    println!("backed up to {}", to.display());
    Ok(())
}

/// Opens `path` for writing, refusing to overwrite an existing file.
fn create_new(path: &Path) -> ServiceResult<std::fs::File> {
    std::fs::File::create_new(path)
        .map_err(|e| ServiceError::invalid("to", format!("cannot create {}: {e}", path.display())))
}

/// Non-blank lines of a file, for the progress bar's length.
fn count_lines(path: &Path) -> ServiceResult<u64> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| {
        ServiceError::invalid("file", format!("cannot read {}: {e}", path.display()))
    })?;
    let mut count = 0;
    for line in BufReader::new(file).split(b'\n') {
        let line = line.map_err(|e| ServiceError::invalid("file", format!("cannot read: {e}")))?;
        if !line.iter().all(u8::is_ascii_whitespace) {
            count += 1;
        }
    }
    Ok(count)
}
