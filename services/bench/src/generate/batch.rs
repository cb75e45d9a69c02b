//! Cutting the generated log into appends for `EventStore::append`.

use chrono::{DateTime, Utc};

use duban::commands::encode;
use duban_store::{ExpectedVersion, Metadata, StreamAppend};

use super::{Item, at_day, history_start};

/// The metadata of generated appends (the office, as an import).
pub fn generator_meta() -> Metadata {
    Metadata {
        actor: "bench:generator".into(),
        role: Some("OFFICE".into()),
        ..Metadata::default()
    }
}

/// Cuts the log into appends of at most `batch` events: each append groups its events
/// by stream (in order of first appearance) and is recorded at its last event's day.
/// Each part expects the version its stream has after the earlier appends (0 for a
/// stream the append creates), as an import that knows what it wrote does.
pub fn appends(
    items: &[Item],
    batch: usize,
) -> impl Iterator<Item = (Vec<StreamAppend>, DateTime<Utc>, usize)> + '_ {
    let mut versions: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    items.chunks(batch.max(1)).map(move |chunk| {
        let mut parts: Vec<StreamAppend> = Vec::new();
        let mut index = std::collections::HashMap::new();
        for item in chunk {
            let i = *index.entry(item.stream.as_str()).or_insert_with(|| {
                let version = versions.get(item.stream.as_str()).copied().unwrap_or(0);
                parts.push(StreamAppend::new(
                    item.stream.clone(),
                    item.stream_type,
                    ExpectedVersion::Exact(version),
                    vec![],
                ));
                parts.len() - 1
            });
            parts[i].events.push(encode(&item.event));
            *versions.entry(item.stream.as_str()).or_insert(0) += 1;
        }
        let day = chunk.last().map_or(0, |i| i.day);
        (parts, at_day(history_start(), day), chunk.len())
    })
}
