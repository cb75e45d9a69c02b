//! Events going into the store ([`NewEvent`], [`Metadata`]) and coming out of it
//! ([`RecordedEvent`]).

use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// An event as a command handler produces it; the store adds ids, positions and hashes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Event type, past tense (`TaskAssigned`).
    pub event_type: String,
    /// Version of the payload's schema, for upcasting later.
    pub schema_version: i32,
    /// The event's data.
    pub payload: Value,
}

impl NewEvent {
    /// An event of schema version 1.
    pub fn new(event_type: impl Into<String>, payload: Value) -> Self {
        Self {
            event_type: event_type.into(),
            schema_version: 1,
            payload,
        }
    }
}

/// Who did it and why: recorded with every event of an append, so every change is
/// attributed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    /// The acting user (or `system` for the clock).
    pub actor: String,
    /// The actor's role (`OFFICE`, `DEPARTMENT`, `AUDITOR`).
    pub role: Option<String>,
    /// The actor's department, for department users.
    pub department_id: Option<String>,
    /// Idempotency key: a repeated command id is answered with the first append's events.
    pub command_id: Option<String>,
    /// Groups everything caused by one user request.
    pub correlation_id: Option<Uuid>,
    /// The command or event that caused this one.
    pub causation_id: Option<Uuid>,
}

impl Metadata {
    /// Metadata naming only the actor.
    pub fn by(actor: impl Into<String>) -> Self {
        Self {
            actor: actor.into(),
            ..Self::default()
        }
    }

    /// The same metadata with a command id (idempotency key).
    pub fn with_command_id(mut self, command_id: impl Into<String>) -> Self {
        self.command_id = Some(command_id.into());
        self
    }
}

/// An event as stored: the caller's event plus everything the store assigned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// Global position: 1, 2, 3, ... without gaps, in commit order.
    pub position: i64,
    /// The stream (`<type>-<uuid>`).
    pub stream_id: String,
    /// The aggregate type of the stream.
    pub stream_type: String,
    /// Version of the stream after this event: 1, 2, 3, ...
    pub stream_version: i64,
    /// UUID v7 assigned by the store.
    pub event_id: Uuid,
    /// Event type.
    pub event_type: String,
    /// Payload schema version.
    pub schema_version: i32,
    /// The event's data.
    pub payload: Value,
    /// Who did it and why.
    pub metadata: Metadata,
    /// When the store took it (from the injected clock), truncated to microseconds.
    pub recorded_at: DateTime<Utc>,
    /// Hash of the previous event of the stream (64 zeros for the first).
    pub prev_hash: String,
    /// sha256 hex over `prev_hash` and this event's canonical bytes.
    pub hash: String,
}

/// Truncates a timestamp to the microseconds both backends keep, so the hash computed at
/// append time matches the stored value.
pub(crate) fn normalize_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// The fixed-precision RFC 3339 form used in hashes and SQLite columns
/// (`2024-05-01T08:00:00.000000Z`; sorts chronologically as text).
pub(crate) fn format_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// Parses a stored timestamp: the form [`format_time`] writes is read directly (a replay
/// parses millions; chrono's general RFC 3339 parser was ~3 % of a rebuild's CPU), any
/// other RFC 3339 text through chrono.
pub(crate) fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Some(at) = parse_fixed_time(text) {
        return Ok(at);
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("bad recorded_at {text:?}: {e}"))
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, exactly; `None` for anything else (or a date or time
/// that does not exist, which chrono then reports).
fn parse_fixed_time(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 27 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'.' || b[26] != b'Z' {
        return None;
    }
    let number = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    let date = NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?;
    let time = date.and_hms_micro_opt(
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
        number(20, 26)?,
    )?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn stored_times_read_as_chrono_reads_them() {
        for text in [
            "2024-05-01T08:00:00.123456Z",
            "1999-12-31T23:59:59.999999Z",
            "2024-02-29T00:00:00.000001Z",
        ] {
            assert_eq!(parse_fixed_time(text), Some(chrono(text)), "{text}");
            assert_eq!(format_time(parse_time(text).expect("parses")), text);
        }
    }

    #[test]
    fn other_forms_go_to_chrono_and_bad_ones_are_refused() {
        for text in ["2024-05-01T08:00:00Z", "2024-05-01T16:00:00.5+08:00"] {
            assert_eq!(parse_fixed_time(text), None, "{text}");
            assert_eq!(parse_time(text), Ok(chrono(text)));
        }
        for text in [
            "2023-02-29T00:00:00.000000Z",
            "2024-05-01T08:0a:00.000000Z",
            "",
        ] {
            assert_eq!(parse_fixed_time(text), None, "{text}");
            assert!(parse_time(text).is_err(), "{text}");
        }
    }
}
