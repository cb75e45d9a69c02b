//! A page of lean events sent by SQLite as ONE text: each event's
//! `position, stream_id, event_type, schema_version, payload, metadata, recorded_at`
//! joined by U+001F, and the events joined by U+001E.
//!
//! Fetched row by row through sqlx, a page of 10,000 events cost more in per-row
//! handling (a value copy per column, a channel message and a wake-up per row) than in
//! SQLite itself; as one text it is one value. (PostgreSQL streams rows cheaply: there,
//! building such a text with `string_agg` made reading 1M events slower, 2.8 -> 5.1 s.)
//!
//! The separators cannot occur in the fields: payload and metadata are JSON, which
//! escapes every control character, and the others are ids, names of types and numbers.
//! A field count other than seven is reported as corruption, never guessed at.

use crate::error::StoreError;
use crate::event::parse_time;
use crate::store::LeanEvent;

/// Splits a page read after position `after`.
pub(crate) fn split(text: &str, after: i64) -> Result<Vec<LeanEvent>, StoreError> {
    let mut previous = after;
    text.split('\u{1e}')
        .map(|record| {
            let corrupt = |detail: String| StoreError::Corrupt {
                position: previous + 1,
                detail,
            };
            let fields: Vec<&str> = record.split('\u{1f}').collect();
            let [
                position,
                stream_id,
                event_type,
                version,
                payload,
                metadata,
                at,
            ] = fields[..]
            else {
                return Err(corrupt(format!(
                    "a lean page record has {} fields, not 7",
                    fields.len()
                )));
            };
            let number = |name: &str, text: &str| {
                text.parse::<i64>()
                    .map_err(|e| corrupt(format!("bad {name} {text:?}: {e}")))
            };
            let position = number("position", position)?;
            if position <= previous {
                return Err(corrupt(format!("position {position} out of order")));
            }
            let schema_version = i32::try_from(number("schema_version", version)?)
                .map_err(|e| corrupt(format!("bad schema_version: {e}")))?;
            previous = position;
            Ok(LeanEvent {
                position,
                stream_id: stream_id.to_owned(),
                event_type: event_type.to_owned(),
                schema_version,
                payload: payload.to_owned(),
                metadata: metadata.to_owned(),
                recorded_at: parse_time(at)
                    .map_err(|detail| StoreError::Corrupt { position, detail })?,
            })
        })
        .collect()
}
