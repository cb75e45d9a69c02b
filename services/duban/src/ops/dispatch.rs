//! The quarterly dispatch, from the global log as it stood at the end of the quarter.
//!
//! Replaying the log is linear in its length, so results are cached per (plan,
//! quarter). A cached dispatch stays valid while the log has not grown, and for good
//! once the quarter ended before it was computed: events are recorded at the clock's
//! "now", so nothing recorded later can fall inside a quarter that is already over.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use duban_domain::ids::PlanId;
use duban_domain::time::Quarter;
use duban_projections::Dispatch;

use crate::app::App;
use crate::error::ServiceResult;
use crate::readmodel::envelope;

/// Events read per batch while replaying the log for a dispatch.
const BATCH: i64 = 5000;

/// A computed dispatch and what it was computed from.
#[derive(Clone)]
struct Cached {
    head: i64,
    closed: bool,
    dispatch: Arc<Dispatch>,
}

/// Dispatches already computed, by plan and quarter.
#[derive(Default)]
pub struct DispatchCache {
    entries: Mutex<HashMap<(Option<PlanId>, Quarter), Cached>>,
}

impl DispatchCache {
    fn get(&self, key: &(Option<PlanId>, Quarter), head: i64) -> Option<Arc<Dispatch>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|c| c.closed || c.head == head)
            .map(|c| Arc::clone(&c.dispatch))
    }

    fn put(&self, key: (Option<PlanId>, Quarter), value: Cached) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 1000 {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

impl App {
    /// The dispatch of `quarter` for a plan (or all tasks): every event recorded before
    /// the quarter's end, folded by the pure reducer.
    pub async fn dispatch(
        &self,
        plan_id: Option<PlanId>,
        quarter: Quarter,
    ) -> ServiceResult<Arc<Dispatch>> {
        let key = (plan_id, quarter);
        let now = self.clock.now();
        let head = self.store.head().await?;
        if let Some(hit) = self.dispatches.get(&key, head) {
            return Ok(hit);
        }
        let end = quarter.end();
        let mut envelopes = Vec::new();
        let mut after = 0;
        while after < head {
            let batch = self.store.read_all(after, BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.position;
            for rec in batch.iter().filter(|r| r.recorded_at < end) {
                envelopes.push(envelope(rec)?);
            }
        }
        let dispatch = Arc::new(duban_projections::dispatch(&envelopes, plan_id, quarter));
        self.dispatches.put(
            key,
            Cached {
                head: after,
                closed: end <= now && !self.clock.is_fixed(),
                dispatch: Arc::clone(&dispatch),
            },
        );
        Ok(dispatch)
    }
}
