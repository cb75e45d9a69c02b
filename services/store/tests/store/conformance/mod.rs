//! The conformance suite: generic checks run unchanged against every backend.

mod appending;
mod bulk;
mod chain;
mod idempotency;
mod lean;
mod racing;
mod reading;
mod tamper;
mod validation;

pub use appending::*;
pub use bulk::*;
pub use chain::*;
pub use idempotency::*;
pub use lean::*;
pub use racing::*;
pub use reading::*;
pub use tamper::*;
pub use validation::*;
