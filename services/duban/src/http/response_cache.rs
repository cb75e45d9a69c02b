//! Whole answers to the dashboard queries, kept while nothing they depend on has
//! changed.
//!
//! A county's screens poll the same few queries (the board, the quarterly dispatch, a
//! department's worklist); resolving one of them means thousands of GraphQL fields
//! (about 3,500 for the board with 300 departments). An answer here is the serialized
//! body of a query without errors, kept under the token that asked, the document, the
//! operation name and the variables, and used again only while
//! - the read model is at the same position and the log at the same head ([`Mark`]), and
//! - the moment is before any instant a resolver said the answer changes at
//!   ([`Validity`]). Only the board depends on the moment: it declares its next
//!   midnight or next task turning stale, and at most
//!   [`MAX_AGE`](crate::graphql::validity::MAX_AGE) ahead, so that
//!   `Board.asOf` is never older than that. Other answers hold until the next event.
//!
//! Only queries whose root fields are all in [`CACHED_FIELDS`] are kept: the audit
//! queries (`history`, `events`, `taskAsOf`, `verifyIntegrity`) always run.

use std::sync::{Mutex, PoisonError};

use actix_web::web::Bytes;
use async_graphql::parser::types::{OperationType, Selection};
use chrono::{DateTime, Utc};

use crate::auth::TokenInfo;
use crate::bounded::Bounded;
use crate::graphql::validity::Validity;

use super::graphql_over_http::{GraphqlRequest, selected_operation};

/// Bytes of answers kept at most; past that the least used answers go (an expired one
/// is never used again). One answer may take nearly all of it.
const MAX_BYTES: u64 = 8 << 20;
/// About how many answers fill [`MAX_BYTES`] (it sizes the cache's table).
const TYPICAL_ANSWERS: usize = 256;

/// Root fields whose answers depend only on the read model, the log, the viewer and
/// the declared [`Validity`] (checked: no other resolver under them reads the clock).
pub const CACHED_FIELDS: &[&str] = &[
    "__typename",
    "me",
    "departments",
    "plans",
    "plan",
    "task",
    "tasks",
    "worklist",
    "board",
    "quarterlyDispatch",
    "rectificationLedger",
];

/// What the answers were computed from: the read model's position and the log's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// The read model's position.
    pub model: i64,
    /// The last committed position known to this process.
    pub head: i64,
}

/// Who asked what: the token's id, the operation name, the document and the variables.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    token: String,
    operation: Option<String>,
    query: String,
    variables: String,
}

#[derive(Clone)]
struct Entry {
    computed: DateTime<Utc>,
    until: DateTime<Utc>,
    body: Bytes,
}

/// An answer weighs its body's bytes (at least 1: quick_cache never evicts weight 0).
#[derive(Clone)]
struct BodyBytes;

impl quick_cache::Weighter<Key, Entry> for BodyBytes {
    fn weight(&self, _: &Key, entry: &Entry) -> u64 {
        (entry.body.len() as u64).max(1)
    }
}

/// The answers kept (one per server), all computed at the same [`Mark`].
pub struct ResponseCache {
    /// The mark of the answers kept; held while reading or changing them, so that an
    /// answer is never taken for, or kept under, another mark.
    mark: Mutex<Option<Mark>>,
    entries: Bounded<Key, Entry, BodyBytes>,
}

impl Default for ResponseCache {
    fn default() -> Self {
        Self {
            mark: Mutex::new(None),
            entries: Bounded::weighed(MAX_BYTES, TYPICAL_ANSWERS, BodyBytes),
        }
    }
}

impl ResponseCache {
    /// The key of a request whose answer may be kept, or `None`.
    pub fn key(request: &mut GraphqlRequest, viewer: &TokenInfo) -> Option<Key> {
        if request.operation_type() != Some(OperationType::Query) {
            return None;
        }
        let inner = request.request_mut();
        let requested = inner.operation_name.clone();
        let document = inner.parsed_query().ok()?;
        let (operation, selected) = selected_operation(&document.operations, requested.as_deref())?;
        let operation = operation.map(str::to_owned);
        let all_cached = selected.node.selection_set.node.items.iter().all(|s| {
            matches!(&s.node, Selection::Field(f)
                if CACHED_FIELDS.contains(&f.node.name.node.as_str()))
        });
        all_cached.then(|| Key {
            token: viewer.id.clone(),
            operation,
            query: inner.query.clone(),
            variables: serde_json::to_string(&inner.variables).unwrap_or_default(),
        })
    }

    /// The kept answer to `key`, if it still holds at `mark` and `now`.
    pub fn get(&self, key: &Key, mark: Mark, now: DateTime<Utc>) -> Option<Bytes> {
        let kept = self.lock();
        if *kept != Some(mark) {
            return None;
        }
        let entry = self.entries.get(key)?;
        (entry.computed <= now && now < entry.until).then_some(entry.body)
    }

    /// Keeps an answer computed at `mark` and `now`, with the request's [`Validity`].
    pub fn put(&self, key: Key, mark: Mark, now: DateTime<Utc>, validity: &Validity, body: Bytes) {
        let until = validity.until().unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut kept = self.lock();
        // An answer computed before a newer one was kept belongs to the past.
        if kept.is_some_and(|m| m != mark && (m.model >= mark.model && m.head >= mark.head)) {
            return;
        }
        if *kept != Some(mark) {
            self.entries.clear();
            *kept = Some(mark);
        }
        let entry = Entry {
            computed: now,
            until,
            body,
        };
        self.entries.insert(key, entry);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Mark>> {
        self.mark.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
