//! Gives the system back the memory a big fold freed.
//!
//! glibc keeps what a program frees in its arenas for reuse and returns pages to the
//! system only from the top of a heap. A fold over the whole log (the start-up catch-up,
//! a rebuild, a quarterly dispatch replay) allocates and frees hundreds of MiB in pages
//! and decoded events; without a trim the server stays resident at that peak although
//! nothing uses it (at 1M events: ~46 MiB after a dispatch replay, measured in
//! BENCHMARKS.md). Called only after such folds, never per request: a trim walks and
//! locks every arena in turn.

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

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use super::release_freed;

    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }

    #[test]
    fn freed_pages_below_a_live_allocation_go_back_to_the_system() {
        // 64 MiB in 64 KiB blocks (below glibc's mmap threshold, so they come from
        // the heap), each written so it is resident, with a small block kept alive
        // after each: the freed blocks cannot merge into the top of the heap, where
        // free() itself would give them back, so glibc keeps them until a trim.
        let mut blocks = Vec::with_capacity(1024);
        let mut pins = Vec::with_capacity(1024);
        for _ in 0..1024 {
            blocks.push(vec![1u8; 64 * 1024]);
            pins.push(vec![2u8; 16]);
        }
        drop(blocks);
        let before = resident_kib();
        assert!(release_freed(), "glibc reported nothing released");
        let after = resident_kib();
        assert!(
            before.saturating_sub(after) >= 32 * 1024,
            "resident {before} KiB -> {after} KiB: less than half the freed 64 MiB came back"
        );
        assert!(pins.iter().all(|p| p[0] == 2));
    }
}
