//! Tests of duban's read models: every rule of the board and the dispatch pinned at its
//! boundary, the task lists' filters and order, and rebuild-equals-incremental.

mod board;
mod board_timing;
mod circular;
mod dispatch;
mod fold;
mod model;
mod query;
mod rebuild;
mod reference;
mod world;
