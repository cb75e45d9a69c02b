//! Fault injection for tests: a hook that can abort an append after its positions were
//! assigned and its rows inserted, just before commit, to prove that a rolled-back
//! append leaves no gap and is never seen by readers.

use std::sync::{Arc, RwLock};

use crate::append::StreamAppend;

/// Decides, for an append about to commit, whether to abort it instead.
pub type FaultHook = Arc<dyn Fn(&[StreamAppend]) -> bool + Send + Sync>;

/// The hook slot each store carries (empty in production).
#[derive(Default)]
pub(crate) struct Faults(RwLock<Option<FaultHook>>);

impl Faults {
    /// Installs or removes the hook.
    pub(crate) fn set(&self, hook: Option<FaultHook>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = hook;
    }

    /// True if the hook wants this append aborted.
    pub(crate) fn should_abort(&self, batch: &[StreamAppend]) -> bool {
        let hook = self.0.read().unwrap_or_else(|e| e.into_inner()).clone();
        hook.is_some_and(|h| h(batch))
    }
}

impl std::fmt::Debug for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Faults")
    }
}
