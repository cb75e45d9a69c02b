//! A page of lean events read with `COPY (SELECT …) TO STDOUT (FORMAT binary)`.
//!
//! Rows fetched through sqlx's extended protocol cost the client a row object, a column
//! lookup and a decoder call per column; a rebuild reads millions. COPY sends the same
//! columns as one byte stream in PostgreSQL's binary tuple format, which is parsed here
//! in one pass, every text field appended to the page's one buffer, which shortens the
//! rebuild's read stage, its longest.
//!
//! The format (PostgreSQL docs, "COPY", Binary Format): an 11-byte signature, a 32-bit
//! flags word, a 32-bit header-extension length and that many bytes; then per tuple a
//! 16-bit field count and, per field, a 32-bit length (-1 for NULL) and the bytes; a
//! field count of -1 ends the data. Integers are big-endian; `timestamptz` is
//! microseconds since 2000-01-01 00:00 UTC. Anything else is reported as corruption,
//! never guessed at.

use std::ops::Range;

use chrono::{DateTime, Utc};
use futures::TryStreamExt;
use sqlx::PgPool;
use sqlx::postgres::PgPoolCopyExt;

use crate::error::StoreError;
use crate::lean::{LeanPage, Spans};

const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";
/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01 00:00 UTC).
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
/// The columns, in the order [`parse`] reads them.
const COLUMNS: &str =
    "position, stream_id, event_type, schema_version, payload::text, metadata::text, recorded_at";

/// Up to `limit` events after `after`, in position order.
pub(crate) async fn lean_page(
    pool: &PgPool,
    after: i64,
    limit: i64,
) -> Result<LeanPage, StoreError> {
    // COPY takes no bind parameters; both values are integers formatted by Rust.
    let sql = format!(
        "COPY (SELECT {COLUMNS} FROM events WHERE position > {after} ORDER BY position \
         LIMIT {limit}) TO STDOUT (FORMAT binary)"
    );
    let mut stream = pool.copy_out_raw(&sql).await?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.try_next().await? {
        bytes.extend_from_slice(&chunk);
    }
    parse(&bytes, after)
}

/// A cursor over the COPY bytes.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!("COPY data ends inside a field at byte {}", self.at));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_be_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn i32(&mut self) -> Result<i32, String> {
        Ok(i32::from_be_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    /// One non-NULL field's bytes.
    fn field(&mut self, name: &str) -> Result<&'a [u8], String> {
        let len = self.i32()?;
        let len = usize::try_from(len).map_err(|_| format!("{name} is NULL"))?;
        self.take(len)
    }
    fn int(&mut self, name: &str, width: usize) -> Result<i64, String> {
        let raw = self.field(name)?;
        match (width, raw.len()) {
            (8, 8) => Ok(i64::from_be_bytes(raw.try_into().expect("8 bytes"))),
            (4, 4) => Ok(i64::from(i32::from_be_bytes(
                raw.try_into().expect("4 bytes"),
            ))),
            (_, n) => Err(format!("{name} has {n} bytes, not {width}")),
        }
    }
    /// A text field, appended to `out`; where it lies there.
    fn text(&mut self, name: &str, out: &mut String) -> Result<Range<usize>, String> {
        let raw = self.field(name)?;
        let text = std::str::from_utf8(raw).map_err(|e| format!("{name} is not UTF-8: {e}"))?;
        let start = out.len();
        out.push_str(text);
        Ok(start..out.len())
    }
}

/// Parses a whole binary COPY of [`COLUMNS`] read after position `after`.
pub(crate) fn parse(bytes: &[u8], after: i64) -> Result<LeanPage, StoreError> {
    let mut previous = after;
    let corrupt = |previous: i64, detail: String| StoreError::Corrupt {
        position: previous + 1,
        detail,
    };
    let mut cursor = Cursor { bytes, at: 0 };
    let header = (|| {
        if cursor.take(SIGNATURE.len())? != SIGNATURE {
            return Err("not a binary COPY (bad signature)".to_string());
        }
        let _flags = cursor.i32()?;
        let extension = usize::try_from(cursor.i32()?).map_err(|e| e.to_string())?;
        cursor.take(extension)?;
        Ok(())
    })();
    header.map_err(|detail| corrupt(previous, detail))?;
    let mut events = Vec::new();
    // The texts are most of the bytes.
    let mut text = String::with_capacity(bytes.len());
    loop {
        let fields = cursor.i16().map_err(|detail| corrupt(previous, detail))?;
        if fields == -1 {
            break;
        }
        let event = (|| {
            if fields != 7 {
                return Err(format!("a COPY tuple has {fields} fields, not 7"));
            }
            let position = cursor.int("position", 8)?;
            if position <= previous {
                return Err(format!("position {position} out of order"));
            }
            let stream_id = cursor.text("stream_id", &mut text)?;
            let event_type = cursor.text("event_type", &mut text)?;
            let schema_version = i32::try_from(cursor.int("schema_version", 4)?)
                .map_err(|e| format!("bad schema_version: {e}"))?;
            let payload = cursor.text("payload", &mut text)?;
            let metadata = cursor.text("metadata", &mut text)?;
            let micros = cursor.int("recorded_at", 8)?;
            let recorded_at = micros
                .checked_add(PG_EPOCH_MICROS)
                .and_then(DateTime::<Utc>::from_timestamp_micros)
                .ok_or_else(|| format!("recorded_at {micros} is out of range"))?;
            Ok(Spans {
                position,
                schema_version,
                recorded_at,
                stream_id,
                event_type,
                payload,
                metadata,
            })
        })()
        .map_err(|detail| corrupt(previous, detail))?;
        previous = event.position;
        events.push(event);
    }
    if cursor.at != bytes.len() {
        return Err(corrupt(previous, "bytes after the COPY trailer".into()));
    }
    Ok(LeanPage::from_parts(text, events))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        out.extend_from_slice(bytes);
    }

    fn copy(positions: &[i64]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0i32.to_be_bytes());
        out.extend_from_slice(&0i32.to_be_bytes());
        for &p in positions {
            out.extend_from_slice(&7i16.to_be_bytes());
            field(&mut out, &p.to_be_bytes());
            field(&mut out, "task-甲".as_bytes());
            field(&mut out, b"ProgressReported");
            field(&mut out, &2i32.to_be_bytes());
            field(&mut out, br#"{"percent":5}"#);
            field(&mut out, br#"{"actor":"x"}"#);
            // 2024-01-01T00:00:00.5Z
            let micros = 1_704_067_200_500_000i64 - PG_EPOCH_MICROS;
            field(&mut out, &micros.to_be_bytes());
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    #[test]
    fn reads_every_field_of_every_tuple() {
        let page = parse(&copy(&[4, 5]), 3).unwrap();
        assert_eq!(page.len(), 2);
        let e = page.iter().nth(1).unwrap();
        assert_eq!(e.position, 5);
        assert_eq!(e.stream_id, "task-甲");
        assert_eq!(e.event_type, "ProgressReported");
        assert_eq!(e.schema_version, 2);
        assert_eq!(e.payload, r#"{"percent":5}"#);
        assert_eq!(e.metadata, r#"{"actor":"x"}"#);
        assert_eq!(e.recorded_at.to_rfc3339(), "2024-01-01T00:00:00.500+00:00");
        assert!(parse(&copy(&[]), 0).unwrap().is_empty());
    }

    #[test]
    fn refuses_what_is_not_a_whole_copy() {
        let whole = copy(&[1, 2]);
        let corrupt =
            |bytes: &[u8], after| matches!(parse(bytes, after), Err(StoreError::Corrupt { .. }));
        assert!(corrupt(&whole[..whole.len() - 5], 0), "cut short");
        assert!(corrupt(&whole[1..], 0), "no signature");
        assert!(corrupt(&whole, 1), "position not after `after`");
        let mut trailing = whole.clone();
        trailing.push(0);
        assert!(corrupt(&trailing, 0), "bytes after the trailer");
        let mut null = copy(&[1]);
        // The stream_id's length (after signature, flags, extension, count, position).
        let at = 11 + 4 + 4 + 2 + 4 + 8;
        null[at..at + 4].copy_from_slice(&(-1i32).to_be_bytes());
        assert!(corrupt(&null, 0), "a NULL field");
    }
}
