//! The conformance suite: generic checks run unchanged against every backend.

mod appending;
mod racing;
mod reading;
mod tamper;

pub use appending::*;
pub use racing::*;
pub use reading::*;
pub use tamper::*;
