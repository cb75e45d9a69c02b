//! Gives the system back the memory a big fold freed.
//!
//! glibc keeps what a program frees in its arenas for reuse and returns pages to the
//! system only from the top of a heap. A fold over the whole log (the start-up catch-up,
//! a rebuild, a quarterly dispatch replay) allocates and frees hundreds of MiB in pages
//! and decoded events; without a trim the server stays resident at that peak although
//! nothing uses it. Called only after such folds, never per request: a trim walks and
//! locks every arena in turn.
//!
//! Only glibc needs either call; the FFI is in [`allocator`], which on any other target
//! (musl, macOS) does nothing, so the crate builds everywhere.

use std::ffi::c_int;

/// Caps glibc's malloc arenas at one per core, at least two (its default is eight per
/// core). Each arena keeps what its threads freed for their own reuse, so many arenas
/// on few cores hold freed memory many ways over and keep the server larger after a
/// dispatch replay and a query load. The price is a slower rebuild (its page reader,
/// decoder and fold queue for the arena locks). Call before any thread starts: glibc
/// fixes the limit when it first needs a second arena.
pub fn limit_arenas() {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let operator_set = std::env::var_os("MALLOC_ARENA_MAX").is_some();
    if let Some(arenas) = arena_cap(operator_set, cores)
        && !allocator::set_arena_max(arenas)
    {
        eprintln!("duban: could not limit malloc arenas to {arenas}");
    }
}

/// The arena cap for `cores` cores, or none when the operator set `MALLOC_ARENA_MAX`
/// (glibc reads it itself, and a `mallopt` would override it).
fn arena_cap(operator_set: bool, cores: usize) -> Option<c_int> {
    (!operator_set).then(|| c_int::try_from(cores.max(2)).unwrap_or(c_int::MAX))
}

/// [`release_freed`] on a blocking thread, awaited (for async callers).
pub async fn release_freed_async() {
    if let Err(e) = tokio::task::spawn_blocking(release_freed).await {
        tracing::warn!(error = %e, "returning freed memory failed");
    }
}

/// Asks the allocator to return its free pages to the system; returns whether any
/// came back. Does nothing off glibc (musl and other allocators return large blocks
/// themselves).
pub fn release_freed() -> bool {
    let released = allocator::trim();
    tracing::debug!(released, "returned freed memory to the system");
    released
}

/// glibc's two calls (`mallopt`, `malloc_trim`) through `libc`, a dependency only there.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod allocator {
    use std::ffi::c_int;

    /// Sets `M_ARENA_MAX`; true when glibc took it.
    pub fn set_arena_max(arenas: c_int) -> bool {
        #[expect(unsafe_code, reason = "FFI call to glibc's mallopt")]
        // SAFETY: mallopt takes two integers; called before the runtime's threads exist.
        let set = unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) } == 1;
        set
    }

    /// `malloc_trim(0)`; true when pages went back.
    pub fn trim() -> bool {
        #[expect(unsafe_code, reason = "FFI call to glibc's malloc_trim")]
        // SAFETY: malloc_trim takes no pointers; glibc locks each arena while it trims it.
        let released = unsafe { libc::malloc_trim(0) } != 0;
        released
    }
}

/// Any other allocator: no arenas to cap, nothing to trim.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod allocator {
    use std::ffi::c_int;

    /// Nothing to set: reports success.
    pub fn set_arena_max(_arenas: c_int) -> bool {
        true
    }

    /// Nothing to trim.
    pub fn trim() -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::arena_cap;

    #[test]
    fn the_cap_is_one_arena_per_core_and_at_least_two() {
        assert_eq!(arena_cap(false, 1), Some(2));
        assert_eq!(arena_cap(false, 2), Some(2));
        assert_eq!(arena_cap(false, 8), Some(8));
    }

    #[test]
    fn an_operators_malloc_arena_max_is_left_to_stand() {
        assert_eq!(arena_cap(true, 2), None);
    }
}
