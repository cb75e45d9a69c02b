//! The quarterly dispatch, from the global log as it stood at the end of the quarter.
//!
//! The log is folded page by page into a [`DispatchFold`] (memory stays flat: one model
//! of the state at the quarter's end, not the whole log), which leaves the quarter's
//! figures for every plan at once ([`QuarterDispatch`]): one replay answers the county
//! and each plan. Replaying is linear in the log's length, so both the figures (per
//! quarter) and the answers with their circular (per plan and quarter) are cached, and
//! only one replay runs at a time. A cached value stays valid while the log has not
//! grown, and for good once the quarter ended before it was computed: events are
//! recorded at the clock's "now", so nothing recorded later can fall inside a quarter
//! that is already over.

use std::hash::Hash;
use std::sync::Arc;

use duban_domain::ids::PlanId;
use duban_domain::time::Quarter;
use duban_projections::{Dispatch, DispatchFold, QuarterDispatch, circular};
use duban_store::EventStore;

use crate::app::App;
use crate::bounded::Bounded;
use crate::error::ServiceResult;
use crate::readmodel::rebuild::{joined, spawn_reader};

/// Events per page and pages read ahead while replaying the log for a dispatch: smaller
/// than the rebuild's (10,000 x 3), since a server replays beside its live model and
/// the pages in flight add to its peak memory (~1 KB per event read and decoded).
const READ_AHEAD: (i64, usize) = (2_000, 2);
/// Entries kept per map at most (about); the least used go first.
const MAX_ENTRIES: usize = 1000;

/// A dispatch as the API serves it: the figures and the circular made from them.
#[derive(Clone)]
pub struct DispatchAnswer {
    /// The dispatch.
    pub dispatch: Arc<Dispatch>,
    /// Its circular (调度通报) in Markdown.
    pub circular: Arc<str>,
}

impl DispatchAnswer {
    /// The circular as `viewer` may read it: a department's own version (see
    /// `duban_projections::dispatch::circular_for_department`), else the whole.
    pub fn circular_seen_by(&self, viewer: &crate::auth::TokenInfo) -> Arc<str> {
        match (viewer.role, viewer.department) {
            (duban_domain::Role::Department, Some(department)) => {
                duban_projections::dispatch::circular_for_department(&self.dispatch, department)
                    .into()
            }
            _ => Arc::clone(&self.circular),
        }
    }
}

/// A cached value and what it was computed from.
#[derive(Clone)]
struct Cached<T> {
    /// The last log position read.
    head: i64,
    /// The quarter had ended when it was computed (on a clock that is not fixed).
    closed: bool,
    value: T,
}

/// The value kept under `key`, if it still holds with the log at `head`.
fn lookup<K: Eq + Hash, T: Clone>(
    map: &Bounded<K, Cached<T>>,
    key: &K,
    head: i64,
) -> Option<Cached<T>> {
    map.get(key).filter(|c| c.closed || c.head == head)
}

/// Dispatches already computed.
pub struct DispatchCache {
    /// Each quarter's figures for every plan.
    quarters: Bounded<Quarter, Cached<Arc<QuarterDispatch>>>,
    /// Answers by plan and quarter.
    answers: Bounded<(Option<PlanId>, Quarter), Cached<DispatchAnswer>>,
    /// Held while replaying the log, so concurrent requests wait for one replay instead
    /// of each holding a model of the whole county.
    replaying: tokio::sync::Mutex<()>,
}

impl Default for DispatchCache {
    fn default() -> Self {
        Self {
            quarters: Bounded::new(MAX_ENTRIES),
            answers: Bounded::new(MAX_ENTRIES),
            replaying: tokio::sync::Mutex::default(),
        }
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
        Ok(self.dispatch_answer(plan_id, quarter).await?.dispatch)
    }

    /// [`App::dispatch`] with its circular.
    pub async fn dispatch_answer(
        &self,
        plan_id: Option<PlanId>,
        quarter: Quarter,
    ) -> ServiceResult<DispatchAnswer> {
        let key = (plan_id, quarter);
        let head = self.store.head().await?;
        if let Some(hit) = lookup(&self.dispatches.answers, &key, head) {
            return Ok(hit.value);
        }
        let figures = self.quarter_figures(quarter, head).await?;
        let dispatch = Arc::new(figures.value.dispatch(plan_id));
        let answer = DispatchAnswer {
            circular: circular(&dispatch).into(),
            dispatch,
        };
        let cached = Cached {
            head: figures.head,
            closed: figures.closed,
            value: answer.clone(),
        };
        self.dispatches.answers.insert(key, cached);
        Ok(answer)
    }

    /// The quarter's figures for every plan: cached, or one replay of the log.
    async fn quarter_figures(
        &self,
        quarter: Quarter,
        head: i64,
    ) -> ServiceResult<Cached<Arc<QuarterDispatch>>> {
        if let Some(hit) = lookup(&self.dispatches.quarters, &quarter, head) {
            return Ok(hit);
        }
        let _one_replay = self.dispatches.replaying.lock().await;
        // Another request may have replayed it while this one waited.
        let head = self.store.head().await?;
        if let Some(hit) = lookup(&self.dispatches.quarters, &quarter, head) {
            return Ok(hit);
        }
        let now = self.clock.now();
        let (figures, after) = fold_quarter(Arc::clone(&self.store), quarter).await?;
        // The fold's model of the county at the quarter's end is gone.
        crate::memory::release_freed_async().await;
        let figures = Cached {
            // Everything up to `head` was read, and `after` if the log grew meanwhile.
            head: after.max(head),
            closed: quarter.end() <= now && !self.clock.is_fixed(),
            value: Arc::new(figures),
        };
        self.dispatches.quarters.insert(quarter, figures.clone());
        Ok(figures)
    }
}

/// Folds the whole log for `quarter` (read and decoded ahead, as the rebuild does) and
/// returns the figures with the last position read.
async fn fold_quarter(
    store: Arc<dyn EventStore>,
    quarter: Quarter,
) -> ServiceResult<(QuarterDispatch, i64)> {
    let end = quarter.end();
    let mut fold = DispatchFold::new(quarter);
    let mut after = 0;
    let (mut pages, _reader) = spawn_reader(store, READ_AHEAD);
    while let Some(pending) = pages.recv().await {
        let page = pending?.await.map_err(joined)??;
        after = page.last().map_or(after, |e| e.position);
        for env in page.iter().filter(|e| e.recorded_at < end) {
            fold.feed(env);
        }
    }
    Ok((fold.finish(), after))
}
