//! duban's read models as pure reducers: no IO, no clock, no database. The service
//! layer feeds [`Envelope`]s in global position order, persists what changed, and asks
//! the queries below with an explicit `now`.
//!
//! Layout:
//! - [`envelope`]: [`Envelope`] (one stored event with its metadata) and [`Key`] (the
//!   document a stream's events change).
//! - [`model`]: [`ReadModel`], every plan, department and task with a checkpoint;
//!   [`ReadModel::apply`] is idempotent by position.
//! - [`index`]: the model's index of tasks by involved department (worklists).
//! - [`task_view`]: [`TaskView`], a task plus the instants of its milestones.
//! - [`query`]: task lists ([`filter_tasks`], [`worklist`], [`rectification_ledger`])
//!   in one stable order; [`natural`]: the natural order of plan codes.
//! - [`assessment`]: the 优质均衡 assessment (indicator catalogue, R1-R7, difference
//!   coefficients) and the policy that raises its shortfalls as rectification items.
//! - [`board`]: the scheduling board (调度台) at a moment.
//! - [`dispatch`]: the quarterly dispatch (季度调度), its ranking and circular.

pub mod assessment;
pub mod board;
pub mod dispatch;
pub mod envelope;
pub mod index;
pub mod model;
pub mod natural;
pub mod query;
pub mod task_view;

pub use board::{Board, BoardCounts, BoardRow, Light, TimedBoard, board, timed_board};
pub use dispatch::{
    Dispatch, DispatchCounts, DispatchFold, DispatchRow, QuarterDispatch, circular, dispatch,
};
pub use envelope::{Envelope, Key};
pub use model::ReadModel;
pub use query::{TaskQuery, filter_tasks, rectification_ledger, worklist};
pub use task_view::TaskView;
