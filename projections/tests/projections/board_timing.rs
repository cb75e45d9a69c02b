//! How long a board holds ([`duban_projections::TimedBoard`]): until the next 00:00 in
//! Asia/Shanghai or the next task turning stale, whichever is first; at every instant
//! before that, the same model gives the same board (only `as_of` moves).

use chrono::Duration;
use duban_projections::{Board, Light, ReadModel, board, timed_board};
use proptest::prelude::*;

use crate::rebuild::{history, op};
use crate::world::{World, sh};

fn at(b: &Board, as_of: chrono::DateTime<chrono::Utc>) -> Board {
    Board { as_of, ..b.clone() }
}

#[test]
fn a_board_holds_until_midnight_in_shanghai() {
    let mut w = World::at("2024-03-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let t = w.measure(plan, None, "任务");
    w.assign(t, a, "2024-12-31").progress(t, 10);
    let timed = timed_board(&w.model(), None, sh("2024-03-05T15:00:00"));
    assert_eq!(timed.valid_until, sh("2024-03-06T00:00:00"));
}

#[test]
fn a_board_holds_until_the_next_task_turns_stale() {
    let mut w = World::at("2024-03-01T09:00:00");
    let a = w.department("教育局");
    let plan = w.plan("规划");
    let t = w.measure(plan, None, "任务");
    w.assign(t, a, "2024-12-31");
    let model = w.model();
    let before = timed_board(&model, None, sh("2024-03-31T08:00:00"));
    assert_eq!(before.valid_until, sh("2024-03-31T09:00:00"));
    assert_eq!(before.board.rows[0].light, Light::Green);
    let just_before = board(&model, None, sh("2024-03-31T08:59:59"));
    assert_eq!(just_before, at(&before.board, just_before.as_of));
    let stale = timed_board(&model, None, sh("2024-03-31T09:00:00"));
    assert_eq!(stale.board.rows[0].light, Light::Yellow);
    assert_eq!(
        stale.valid_until,
        sh("2024-04-01T00:00:00"),
        "already stale: only the date is left"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 80, ..ProptestConfig::default() })]

    #[test]
    fn a_board_is_the_same_until_it_says_otherwise(
        ops in prop::collection::vec((op(), 0u8..80), 1..90),
        later in 0u32..(90 * 24 * 60),
        permille in 0i64..1000,
    ) {
        let log = history(&ops);
        let model = ReadModel::from_envelopes(&log);
        let last = log.last().map_or_else(|| sh("2024-01-01T09:00:00"), |e| e.recorded_at);
        let now = last + Duration::minutes(i64::from(later));
        let timed = timed_board(&model, None, now);
        prop_assert!(timed.valid_until > now);
        prop_assert_eq!(&timed.board, &board(&model, None, now));
        let span = (timed.valid_until - now).min(Duration::days(2));
        let inside = [
            now + Duration::milliseconds(span.num_milliseconds() * permille / 1000),
            now + span - Duration::milliseconds(1),
        ];
        for t in inside.into_iter().filter(|t| *t < timed.valid_until) {
            prop_assert_eq!(board(&model, None, t), at(&timed.board, t));
        }
    }
}
