//! A page of lean events sent by SQLite as ONE text: each event's
//! `position, stream_id, event_type, schema_version, payload, metadata, recorded_at`
//! joined by U+001F, and the events joined by U+001E.
//!
//! Fetched row by row through sqlx, a page of 10,000 events cost more in per-row
//! handling (a value copy per column, a channel message and a wake-up per row) than in
//! SQLite itself; as one text it is one value. (PostgreSQL streams rows cheaply: there,
//! building such a text with `string_agg` made reading the log slower.)
//!
//! The separators cannot occur in the fields: payload and metadata are JSON, which
//! escapes every control character, and the others are ids, names of types and numbers.
//! A field count other than seven is reported as corruption, never guessed at.
//!
//! The records come in the order SQLite fed them to `group_concat`, which is the order of
//! the page's subquery (`ORDER BY position`) but is not promised by SQL; asking the
//! aggregate itself to order them made SQLite sort every page, which more than doubled
//! the time to read the log. So [`split`] sorts a page that arrives out of
//! order, and reports a position seen twice, or not after the page's start, as corruption.

use crate::error::StoreError;
use crate::event::parse_time;
use crate::lean::{LeanPage, Spans, range_in};

/// Splits a page read after position `after`, in position order. The page keeps `text`
/// and points into it.
pub(crate) fn split(text: String, after: i64) -> Result<LeanPage, StoreError> {
    let mut previous = after;
    let mut sorted = true;
    let mut spans = Vec::new();
    for record in text.split('\u{1e}') {
        let corrupt = |detail: String| StoreError::Corrupt {
            position: previous + 1,
            detail,
        };
        let mut fields = [""; 7];
        let mut count = 0;
        for field in record.split('\u{1f}') {
            if let Some(slot) = fields.get_mut(count) {
                *slot = field;
            }
            count += 1;
        }
        let [
            position,
            stream_id,
            event_type,
            version,
            payload,
            metadata,
            at,
        ] = fields;
        if count != 7 {
            return Err(corrupt(format!(
                "a lean page record has {count} fields, not 7"
            )));
        }
        let number = |name: &str, text: &str| {
            text.parse::<i64>()
                .map_err(|e| corrupt(format!("bad {name} {text:?}: {e}")))
        };
        let position = number("position", position)?;
        let schema_version = i32::try_from(number("schema_version", version)?)
            .map_err(|e| corrupt(format!("bad schema_version: {e}")))?;
        sorted &= position > previous;
        previous = position;
        spans.push(Spans {
            position,
            schema_version,
            recorded_at: parse_time(at)
                .map_err(|detail| StoreError::Corrupt { position, detail })?,
            stream_id: range_in(&text, stream_id),
            event_type: range_in(&text, event_type),
            payload: range_in(&text, payload),
            metadata: range_in(&text, metadata),
        });
    }
    if !sorted {
        spans.sort_unstable_by_key(|e| e.position);
        let mut previous = after;
        for e in &spans {
            if e.position <= previous {
                return Err(StoreError::Corrupt {
                    position: e.position,
                    detail: format!("position {} twice or before the page", e.position),
                });
            }
            previous = e.position;
        }
    }
    Ok(LeanPage::from_parts(text, spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(position: i64) -> String {
        [
            position.to_string().as_str(),
            "task-1",
            "TaskAssigned",
            "1",
            "{}",
            "{}",
            "2025-01-01T00:00:00Z",
        ]
        .join("\u{1f}")
    }

    fn page(positions: &[i64]) -> String {
        let records: Vec<String> = positions.iter().map(|p| record(*p)).collect();
        records.join("\u{1e}")
    }

    fn positions(page: &LeanPage) -> Vec<i64> {
        page.iter().map(|e| e.position).collect()
    }

    #[test]
    fn a_page_is_read_in_position_order_whatever_order_it_came_in() {
        let events = split(page(&[11, 12, 13]), 10).expect("a page");
        assert_eq!(positions(&events), [11, 12, 13]);
        let events = split(page(&[13, 11, 12]), 10).expect("a page");
        assert_eq!(positions(&events), [11, 12, 13]);
    }

    #[test]
    fn a_position_twice_or_before_the_page_is_corruption() {
        let twice = split(page(&[11, 12, 11]), 10);
        assert!(matches!(
            twice,
            Err(StoreError::Corrupt { position: 11, .. })
        ));
        let before = split(page(&[12, 10]), 10);
        assert!(matches!(
            before,
            Err(StoreError::Corrupt { position: 10, .. })
        ));
    }

    #[test]
    fn a_record_without_seven_fields_is_corruption() {
        let short = format!("{}\u{1e}11\u{1f}task-1", record(10));
        assert!(matches!(
            split(short, 9),
            Err(StoreError::Corrupt { position: 11, .. })
        ));
        // Seven good fields and one more: nothing else in it is wrong.
        let long = format!("{}\u{1e}{}\u{1f}extra", record(10), record(11));
        assert!(matches!(
            split(long, 9),
            Err(StoreError::Corrupt { position: 11, .. })
        ));
    }
}
