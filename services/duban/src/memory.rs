//! Gives the system back the memory a big fold freed.
//!
//! glibc keeps what a program frees in its arenas for reuse and returns pages to the
//! system only from the top of a heap. A fold over the whole log (the start-up catch-up,
//! a rebuild, a quarterly dispatch replay) allocates and frees hundreds of MiB in pages
//! and decoded events; without a trim the server stays resident at that peak although
//! nothing uses it (at 1M events: ~46 MiB after a dispatch replay, measured in
//! services/bench/HISTORY.md). Called only after such folds, never per request: a trim
//! walks and locks every arena in turn.

/// Caps glibc's malloc arenas at one per core, at least two (its default is eight per
/// core). Each arena keeps what its threads freed for their own reuse, so sixteen
/// arenas on two cores held freed memory sixteen ways: at 1M events the server stayed
/// ~11–15 MiB larger after a dispatch replay and the query load. The price is a slower
/// rebuild (its page reader, decoder and fold queue for the arena locks: 1M events in
/// 6.0–8.3 s instead of 5.2–5.7 s; services/bench/HISTORY.md). Call before any
/// thread starts: glibc fixes the limit when it first needs a second arena.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let operator_set = std::env::var_os("MALLOC_ARENA_MAX").is_some();
        if let Some(arenas) = arena_cap(operator_set, cores) {
            #[expect(unsafe_code, reason = "FFI call to glibc's mallopt")]
            // SAFETY: mallopt takes two integers; called before the runtime's threads exist.
            let set = unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) } == 1;
            if !set {
                eprintln!("duban: could not limit malloc arenas to {arenas}");
            }
        }
    }
}

/// The arena cap for `cores` cores, or none when the operator set `MALLOC_ARENA_MAX`
/// (glibc reads it itself, and a `mallopt` would override it).
fn arena_cap(operator_set: bool, cores: usize) -> Option<libc::c_int> {
    (!operator_set).then(|| libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX))
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
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        #[expect(unsafe_code, reason = "FFI call to glibc's malloc_trim")]
        // SAFETY: malloc_trim takes no pointers; glibc locks each arena while it trims it.
        let released = unsafe { libc::malloc_trim(0) } != 0;
        tracing::debug!(released, "returned freed memory to the system");
        released
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
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
