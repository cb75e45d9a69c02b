//! Integrity verification: [`IntegrityReport`] and the checker both backends feed with
//! rows in position order.
//!
//! The checker recomputes every stream's hash chain and checks that positions run 1, 2,
//! 3, ... up to the head. A changed row breaks its own hash; a deleted row leaves a gap
//! in the positions (or, at the end, a head beyond the last row); swapped positions break
//! the hashes, since each hash covers the event's position.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::hash::GENESIS_HASH;
use crate::row::RawRow;

/// The result of [`crate::EventStore::verify`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityReport {
    /// True when every chain and the position sequence are intact.
    pub ok: bool,
    /// Rows checked (up to and including the first broken one).
    pub events_checked: u64,
    /// The lowest position where the log is broken (a missing position for deletions).
    pub first_broken_position: Option<i64>,
    /// What was wrong there, for people.
    pub detail: Option<String>,
}

/// Page size used when scanning the log.
pub(crate) const VERIFY_PAGE: i64 = 2_000;

/// Checks rows fed in position order; stops at the first break.
#[derive(Debug, Default)]
pub(crate) struct Verifier {
    last_position: i64,
    streams: HashMap<String, (i64, String)>,
    checked: u64,
    broken: Option<(i64, String)>,
}

impl Verifier {
    /// True once a break was found (no need to read further).
    pub(crate) fn is_broken(&self) -> bool {
        self.broken.is_some()
    }

    /// Checks the next row.
    pub(crate) fn check(&mut self, (position, row): RawRow) {
        if self.broken.is_some() {
            return;
        }
        self.checked += 1;
        let expected = self.last_position + 1;
        if position != expected {
            let detail = if position > expected {
                format!("position {expected} is missing (next row has position {position})")
            } else {
                format!("unexpected position {position} (expected {expected})")
            };
            self.broken = Some((expected.min(position), detail));
            return;
        }
        self.last_position = position;
        let row = match row {
            Ok(row) => row,
            Err(detail) => {
                self.broken = Some((position, detail));
                return;
            }
        };
        let (version, prev) = self
            .streams
            .get(&row.stream_id)
            .map_or((0, GENESIS_HASH), |(v, h)| (*v, h.as_str()));
        let problem = if row.stream_version != version + 1 {
            Some(format!(
                "stream {} jumps from version {version} to {}",
                row.stream_id, row.stream_version
            ))
        } else if row.prev_hash != prev {
            Some(format!(
                "prev_hash of {} v{} does not match the previous event's hash",
                row.stream_id, row.stream_version
            ))
        } else if row.chain_hash(prev) != row.hash {
            Some(format!(
                "hash of {} v{} does not match its contents",
                row.stream_id, row.stream_version
            ))
        } else {
            None
        };
        match problem {
            Some(detail) => self.broken = Some((position, detail)),
            None => {
                self.streams
                    .insert(row.stream_id, (row.stream_version, row.hash));
            }
        }
    }

    /// The report, given the head (last assigned position) read before scanning.
    pub(crate) fn finish(mut self, head: i64) -> IntegrityReport {
        if self.broken.is_none() && self.last_position != head {
            self.broken = Some((
                self.last_position + 1,
                format!(
                    "the head is at position {head} but the last row is at {}",
                    self.last_position
                ),
            ));
        }
        let (first_broken_position, detail) = match self.broken {
            Some((p, d)) => (Some(p), Some(d)),
            None => (None, None),
        };
        IntegrityReport {
            ok: first_broken_position.is_none(),
            events_checked: self.checked,
            first_broken_position,
            detail,
        }
    }
}

/// Scans the log page by page (each page: rows after a position, up to `head`) and
/// returns the report.
pub(crate) async fn scan<F, Fut>(head: i64, mut page: F) -> Result<IntegrityReport, StoreError>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<Vec<RawRow>, StoreError>>,
{
    let mut verifier = Verifier::default();
    let mut after = i64::MIN;
    loop {
        let rows = page(after).await?;
        let Some(last) = rows.last().map(|row| row.0) else {
            break;
        };
        rows.into_iter().for_each(|row| verifier.check(row));
        if verifier.is_broken() || last <= after {
            break;
        }
        after = last;
    }
    Ok(verifier.finish(head))
}
