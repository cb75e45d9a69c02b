//! The policy over the office's answers to the guarantee items that need evidence: a
//! "no" raises one county item, a later "yes" notes it, a "no" after closing reopens it.

use duban_domain::county::{CountyYear, GuaranteeItemAnswered};
use duban_domain::event::TaskVerified;
use uuid::Uuid;

use super::super::*;
use super::{Log, policy, raised};
use crate::assessment::tests::{SURVEY_2024, fixture_rows};

impl Log {
    fn answer(&mut self, year: i32, code: &str, met: bool, note: Option<&str>) {
        self.events.push((
            Event::GuaranteeItemAnswered(GuaranteeItemAnswered {
                year,
                code: code.into(),
                met,
                note: note.map(str::to_string),
            }),
            CountyYear::id_for(year).stream(),
            Some(Uuid::new_v4()),
        ));
    }
}

#[test]
fn a_no_raises_one_county_item_and_a_later_yes_notes_it_without_closing() {
    let mut log = Log::default();
    log.answer(2024, "G6", false, Some("交流轮岗 6%"));
    let mut p = policy();
    let first = log.feed(&mut p, 0);
    let items = raised(&first);
    assert_eq!(items.len(), 1, "{first:?}");
    assert_eq!(items[0].key, "county:G6");
    assert_eq!(items[0].unit, "县域");
    assert!(items[0].finding.contains("G6") && items[0].finding.contains("交流轮岗 6%"));
    assert!(
        items[0].standard.contains("10%"),
        "the item's text is the standard"
    );
    let answer = p.book.answer(2024, "G6").expect("on the books");
    assert!(!answer.met);
    assert_eq!(answer.by, "办公室");
    let g6 = first[0].task_id;
    assert_eq!(p.raised_by(first[0].cause), &[g6]);

    // The same "no" again, or a "no" with another note: nothing new.
    let before = log.events.len();
    log.answer(2024, "G6", false, Some("交流轮岗 7%"));
    assert!(log.feed(&mut p, before).is_empty());

    // A "yes" for the next year: a note on the open item.
    let before = log.events.len();
    log.answer(2025, "G6", true, Some("交流轮岗 12%, 骨干 25%"));
    let next = log.feed(&mut p, before);
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0].task_id, g6);
    assert_eq!(
        next[0].action,
        Action::Note("answer for 2025 meets the standard".into())
    );

    // Closed by the office; a later "no" reopens it rather than raising a new one.
    let before = log.events.len();
    log.task_event(
        g6,
        Event::TaskVerified(TaskVerified {
            verdict: Verdict::Accepted,
            remarks: None,
            late: false,
        }),
    );
    log.answer(2026, "G6", false, None);
    let relapse = log.feed(&mut p, before);
    assert_eq!(relapse.len(), 1, "{relapse:?}");
    assert!(matches!(&relapse[0].action, Action::Reopen(n) if n.contains("answer for 2026")));
}

#[test]
fn an_answer_for_an_earlier_year_or_an_unknown_code_decides_nothing_and_replays_the_same() {
    let mut log = Log::default();
    log.answer(2025, "G7", true, None);
    log.answer(2024, "G7", false, Some("培训完成率 92%"));
    log.answer(2024, "G3", false, None);
    let mut p = policy();
    let decisions = log.feed(&mut p, 0);
    assert!(decisions.is_empty(), "{decisions:?}");
    assert!(p.book.answer(2024, "G7").is_some(), "recorded all the same");

    let mut log = Log::default();
    log.import(2024, &fixture_rows(SURVEY_2024));
    log.answer(2024, "G1", false, None);
    log.answer(2024, "G2", false, None);
    let (mut a, mut b) = (policy(), policy());
    let first = log.feed(&mut a, 0);
    assert_eq!(first, log.feed(&mut b, 0), "a replay decides the same");
    assert_eq!(raised(&first).len(), 4, "长风 G3, 大路 R3, G1, G2");
}
