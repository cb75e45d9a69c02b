//! The incremental dispatch fold equals the batch replay it replaced
//! ([`crate::reference`]), for every plan filter and quarter, on random histories whose
//! envelopes are also shuffled, fed twice and recorded out of time order (the fold keeps
//! a task's state at the start apart only once the two states part).

use chrono::Duration;
use duban_domain::time::Quarter;
use duban_projections::{DispatchFold, Envelope, dispatch};
use proptest::prelude::*;

use crate::rebuild::{history, op};
use crate::reference;
use crate::world::World;

/// How one envelope of the log is disturbed.
#[derive(Debug, Clone, Copy)]
enum Twist {
    /// As recorded.
    Keep,
    /// Recorded this many hours earlier or later (out of time order).
    Shift(i16),
    /// Swapped with the next one (out of position order).
    Swap,
    /// Fed twice.
    Twice,
}

fn twist() -> impl Strategy<Value = Twist> {
    prop_oneof![
        8 => Just(Twist::Keep),
        2 => (-2000i16..2000).prop_map(Twist::Shift),
        1 => Just(Twist::Swap),
        1 => Just(Twist::Twice),
    ]
}

fn twisted(log: &[Envelope], twists: &[Twist]) -> Vec<Envelope> {
    let mut out: Vec<Envelope> = Vec::with_capacity(log.len() * 2);
    for (i, env) in log.iter().enumerate() {
        match twists
            .get(i % twists.len().max(1))
            .copied()
            .unwrap_or(Twist::Keep)
        {
            Twist::Keep => out.push(env.clone()),
            Twist::Shift(hours) => {
                let mut env = env.clone();
                env.recorded_at += Duration::hours(i64::from(hours));
                out.push(env);
            }
            Twist::Swap => {
                out.push(env.clone());
                let n = out.len();
                if n >= 2 {
                    out.swap(n - 1, n - 2);
                }
            }
            Twist::Twice => {
                out.push(env.clone());
                out.push(env.clone());
            }
        }
    }
    out
}

const QUARTERS: [(i32, u32); 5] = [(2023, 4), (2024, 1), (2024, 2), (2024, 3), (2024, 4)];

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, ..ProptestConfig::default() })]

    #[test]
    fn the_fold_equals_the_batch_replay(
        ops in prop::collection::vec((op(), 0u8..80), 1..90),
        twists in prop::collection::vec(twist(), 1..20),
        pages in 1usize..40,
    ) {
        let log = twisted(&history(&ops), &twists);
        let mut plans: Vec<_> = log.iter().filter_map(|e| {
            duban_projections::Key::of_stream(&e.stream_id).and_then(|k| match k {
                duban_projections::Key::Plan(p) => Some(p),
                _ => None,
            })
        }).collect();
        plans.sort();
        plans.dedup();
        for (year, q) in QUARTERS {
            let quarter = Quarter::new(year, q).unwrap();
            let mut fold = DispatchFold::new(quarter);
            for page in log.chunks(pages) {
                fold.feed_all(page);
            }
            let figures = fold.finish();
            for plan in plans.iter().copied().map(Some).chain([None]) {
                let want = reference::dispatch(&log, plan, quarter);
                prop_assert_eq!(&figures.dispatch(plan), &want, "{:?} {:?}", quarter, plan);
                prop_assert_eq!(&dispatch(&log, plan, quarter), &want);
            }
        }
    }
}

#[test]
fn one_fold_answers_every_plan_and_the_county() {
    let mut w = World::at("2024-03-01T09:00:00");
    let a = w.department("教育局");
    let b = w.department("财政局");
    let p1 = w.plan("规划一");
    let p2 = w.plan("规划二");
    let t1 = w.measure(p1, None, "一");
    let t2 = w.measure(p2, None, "二");
    w.assign(t1, a, "2024-05-31").assign(t2, b, "2024-06-30");
    w.set("2024-04-10T09:00:00")
        .progress(t1, 50)
        .progress(t2, 20);
    w.set("2024-05-10T09:00:00").close(t1);
    let quarter = Quarter::new(2024, 2).unwrap();
    let mut fold = DispatchFold::new(quarter);
    fold.feed_all(&w.envelopes);
    let figures = fold.finish();
    assert_eq!(figures.quarter(), quarter);
    for plan in [Some(p1), Some(p2), None] {
        assert_eq!(
            figures.dispatch(plan),
            reference::dispatch(&w.envelopes, plan, quarter)
        );
    }
    let county = figures.dispatch(None);
    assert_eq!(county.rows.len(), 2);
    assert_eq!(county.totals.progress_reports, 2);
    assert_eq!(figures.dispatch(Some(p1)).rows.len(), 1);
    assert_eq!(
        figures.dispatch(Some(p1)).plan_title.as_deref(),
        Some("规划一")
    );
}
