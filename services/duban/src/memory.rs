//! Gives the system back the memory a big fold freed.
//!
//! glibc keeps what a program frees in its arenas for reuse and returns pages to the
//! system only from the top of a heap. A fold over the whole log (the start-up catch-up,
//! a rebuild, a quarterly dispatch replay) allocates and frees hundreds of MiB in pages
//! and decoded events; without a trim the server stays resident at that peak although
//! nothing uses it (at 1M events: ~46 MiB after a dispatch replay, measured in
//! BENCHMARKS.md). Called only after such folds, never per request: a trim walks and
//! locks every arena in turn.

/// Caps glibc's malloc arenas at one per core, at least two (its default is eight per
/// core). Each arena keeps what its threads freed for their own reuse, so sixteen
/// arenas on two cores held freed memory sixteen ways: at 1M events the server stayed
/// ~11–15 MiB larger after a dispatch replay and the query load. The cap costs a
/// rebuild time (its page reader, decoder and fold queue for the arena locks: 1M events
/// in 6.0–8.3 s instead of 5.2–5.7 s); two per core, tried, rebuilt as fast as no cap
/// but was not kept: its runs' query tails could not be told apart from the machine's
/// (BENCHMARKS.md, "What changed"). Call before any
/// thread starts: glibc fixes the limit when it first needs a second arena. An
/// operator's `MALLOC_ARENA_MAX` (read by glibc itself) is left to stand.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        #[expect(unsafe_code, reason = "FFI call to glibc's mallopt")]
        // SAFETY: mallopt takes two integers; called before the runtime's threads exist.
        let set = unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) } == 1;
        if !set {
            eprintln!("duban: could not limit malloc arenas to {arenas}");
        }
    }
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
