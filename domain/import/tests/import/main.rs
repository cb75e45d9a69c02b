//! The plan reader's tests, one test binary: each module one side of reading a plan.
//!
//! - [`numbering`]: numbering at every level; what counts as a measure.
//! - [`dates`]: due dates and phases from every date pattern the plans print.
//! - [`responsibility`]: every form of responsibility clause.
//! - [`departments`]: department names, one record per office, and their kinds.
//! - [`traditional`]: plans printed in Traditional characters.
//! - [`errors`]: bad input, each error and its message.
//! - [`seeds`]: the real plans of the seeds (`tests/fixtures/`), measure by measure.
//! - [`corpus`]: the corpus of public plans (`tests/corpus/`) in every format.
//! - [`robustness`] and [`fuzz`]: whatever arrives, a plan or an error, never a panic.
//!
//! A new kind of clause or document gets a module of its own declared here.

mod corpus;
mod dates;
mod departments;
mod errors;
mod fuzz;
mod numbering;
mod responsibility;
mod robustness;
mod seeds;
mod traditional;
