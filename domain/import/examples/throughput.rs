//! Throughput of a preview-sized read: a real plan (seed 004) padded to 200 pages
//! (about 1,800 characters a page) read five times; prints the size and the slowest
//! time. Run with `cargo run --release -p duban-import --example throughput`.

use std::time::Instant;

fn main() {
    let seed = include_str!("../tests/fixtures/004_57d03eec54c33079.txt");
    let page = 1_800 * 3; // bytes of Chinese text on a printed page
    let mut text = String::new();
    let mut copy = 0;
    while text.len() < 200 * page {
        copy += 1;
        // Each copy a chapter of its own, so the outline grows as a long plan's would.
        text.push_str(&format!("第{copy}篇 实施方案\n"));
        text.push_str(seed);
        text.push('\n');
    }
    let mut slowest = 0.0f64;
    let mut measures = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let doc = duban_import::read_document(text.as_bytes(), "plan.txt")
            .expect("the padded plan reads");
        slowest = slowest.max(started.elapsed().as_secs_f64());
        measures = doc.plan.measures.len();
    }
    println!(
        "{} bytes (~{} pages), {measures} measures: slowest of 5 reads {:.3} s (limit 1 s)",
        text.len(),
        text.len() / page,
        slowest
    );
}
