//! `duban::memory::release_freed` gives freed heap pages back to the system. A test
//! binary of its own: another test of the same process calling the trim (opening a read
//! model does) would give the pages back before this one measures.

#![cfg(all(target_os = "linux", target_env = "gnu"))]

use duban::memory::release_freed;

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
    // 64 MiB in 64 KiB blocks (below glibc's mmap threshold, so they come from the
    // heap), each written so it is resident, with a small block kept alive after each:
    // the freed blocks cannot merge into the top of the heap, where free() itself would
    // give them back, so glibc keeps them until a trim.
    let mut blocks = Vec::with_capacity(1024);
    let mut pins = Vec::with_capacity(1024);
    for _ in 0..1024 {
        blocks.push(vec![1u8; 64 * 1024]);
        pins.push(vec![2u8; 16]);
    }
    drop(blocks);
    let before = resident_kib();
    assert!(
        before >= 64 * 1024,
        "the freed blocks were not resident before the trim ({before} KiB)"
    );
    assert!(release_freed(), "glibc reported nothing released");
    let after = resident_kib();
    assert!(
        before.saturating_sub(after) >= 32 * 1024,
        "resident {before} KiB -> {after} KiB: less than half the freed 64 MiB came back"
    );
    assert!(pins.iter().all(|p| p[0] == 2));
}
