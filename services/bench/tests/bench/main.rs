//! The benchmark harness's tests, one test binary: [`generated_log`] checks the generated
//! history is a consistent domain log; [`smoke`] runs every workload at a tiny size.

mod generated_log;
mod smoke;
