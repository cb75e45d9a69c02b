//! The scheduling board (调度台) as GraphQL, and the cache that keeps a computed board
//! while nothing it depends on has changed.
//!
//! A board is a function of the read model and of the moment asked. The cache keeps one
//! board per plan filter with the model position it was read at and the instants it
//! holds for ([`duban_projections::TimedBoard`]: until the next 00:00 in Asia/Shanghai
//! or the next task turning stale), so repeated requests neither re-read 48,000 tasks
//! nor clone the agenda's tasks again; any new event (a new position) or a clock outside
//! that window recomputes it.

use std::sync::Arc;

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use duban_domain::ids::PlanId;
use duban_domain::task::Task;
use duban_projections::{Board, timed_board};

use super::context::{GqlResult, app, viewer};
use super::readmodels::{BoardCountsObj, BoardRowObj};
use super::scalars::Instant;
use super::types::TaskObj;
use super::validity::{MAX_AGE, Validity};
use crate::bounded::Bounded;
use crate::error::ServiceError;

/// Plan filters kept at most (about); the least asked go first.
const MAX_ENTRIES: usize = 512;

/// A board as computed, with the agenda's tasks as they stood then.
pub struct ComputedBoard {
    board: Board,
    agenda: Vec<Task>,
}

#[derive(Clone)]
struct Entry {
    position: i64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    board: Arc<ComputedBoard>,
}

/// Boards already computed, by plan filter (schema data, one per server).
pub struct BoardCache {
    entries: Bounded<Option<PlanId>, Entry>,
}

impl Default for BoardCache {
    fn default() -> Self {
        Self {
            entries: Bounded::new(MAX_ENTRIES),
        }
    }
}

impl BoardCache {
    fn get(
        &self,
        plan: Option<PlanId>,
        position: i64,
        now: DateTime<Utc>,
    ) -> Option<(Arc<ComputedBoard>, DateTime<Utc>)> {
        self.entries
            .get(&plan)
            .filter(|e| e.position == position && e.from <= now && now < e.until)
            .map(|e| (e.board, e.until))
    }

    fn put(&self, plan: Option<PlanId>, entry: Entry) {
        self.entries.insert(plan, entry);
    }
}

/// The leadership group's scheduling board (调度台) at one moment.
pub struct BoardObj {
    as_of: DateTime<Utc>,
    computed: Arc<ComputedBoard>,
}

impl BoardObj {
    /// The board now: from the cache when the model and the date still match.
    pub fn compute(ctx: &Context<'_>, plan_id: Option<PlanId>) -> async_graphql::Result<Self> {
        let app = app(ctx);
        let cache = ctx.data_unchecked::<BoardCache>();
        let now = app.clock.now();
        let (computed, until) = app.read.read(|m| {
            if let Some(hit) = cache.get(plan_id, m.position, now) {
                return hit;
            }
            let timed = timed_board(m, plan_id, now);
            let agenda = timed
                .board
                .agenda
                .iter()
                .filter_map(|item| m.tasks.get(&item.task_id))
                .map(|v| v.task.clone())
                .collect();
            let computed = Arc::new(ComputedBoard {
                board: timed.board,
                agenda,
            });
            cache.put(
                plan_id,
                Entry {
                    position: m.position,
                    from: now,
                    until: timed.valid_until,
                    board: Arc::clone(&computed),
                },
            );
            (computed, timed.valid_until)
        });
        if let Some(validity) = ctx.data_opt::<Arc<Validity>>() {
            // `asOf` is the moment asked: an answer kept for later says when it was made,
            // so keep it only briefly even while the board itself holds.
            validity.holds_until(until.min(now + MAX_AGE));
        }
        Ok(Self {
            as_of: now,
            computed,
        })
    }
}

#[Object(name = "Board")]
impl BoardObj {
    async fn as_of(&self) -> Instant {
        Instant(self.as_of)
    }
    async fn rows(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BoardRowObj>> {
        self.computed
            .board
            .rows
            .iter()
            .map(|r| BoardRowObj::new(ctx, r))
            .collect()
    }
    async fn totals(&self) -> BoardCountsObj {
        (&self.computed.board.totals).into()
    }
    /// Notification endpoints whose deliveries went past the give-up limit, so the
    /// office learns on the board that a group chat or system has stopped hearing from
    /// duban (the flag is read when asked, so a kept answer is at most a second old).
    /// Only the office manages endpoints: for everyone else the list is empty.
    async fn failing_endpoints(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::endpoints::EndpointObj>> {
        if super::context::viewer(ctx)?.token.role != duban_domain::Role::Office {
            return Ok(Vec::new());
        }
        let all = app(ctx).list_endpoints().await.gql()?;
        Ok(all
            .into_iter()
            .filter(|e| e.failing && !e.endpoint.removed)
            .map(super::endpoints::EndpointObj)
            .collect())
    }
    /// Overdue, at risk, awaiting verification and escalated tasks, most urgent first;
    /// with `first`, only the first `first` of them (a meeting reads the top of it).
    /// A department sees only its own tasks here (the counts stay the county's).
    async fn agenda(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<TaskObj>> {
        let all = &self.computed.agenda;
        let n = match first {
            None => all.len(),
            Some(n) => usize::try_from(n)
                .map_err(|_| ServiceError::invalid("first", "must not be negative"))
                .gql()?,
        };
        let viewer = viewer(ctx)?;
        // Only the tasks answered are cloned: the agenda of a big county holds thousands.
        Ok(all
            .iter()
            .filter(|t| viewer.can_see(t))
            .take(n)
            .filter_map(|t| TaskObj::seen_by(viewer, t.clone()))
            .collect())
    }
    /// How many tasks the agenda holds for this viewer, whatever `first` it is asked
    /// with: a client that shows the top of it says how many there are in all.
    async fn agenda_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let viewer = viewer(ctx)?;
        let n = self
            .computed
            .agenda
            .iter()
            .filter(|t| viewer.can_see(t))
            .count();
        Ok(i32::try_from(n).unwrap_or(i32::MAX))
    }
}
