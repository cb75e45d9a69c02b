//! The policy over event sequences: raise once, note a pass, reopen a relapse, decide
//! the same on replay.

use duban_domain::event::{Note, TaskVerified};
use duban_domain::school::{SchoolRegistered, SchoolSurveyed, SurveySource};
use uuid::Uuid;

use super::*;
use crate::assessment::tests::{SURVEY_2024, SURVEY_2025, fixture_rows};

mod answers;

/// A log: events with their positions, streams and correlation ids.
#[derive(Default)]
pub(super) struct Log {
    pub(super) events: Vec<(Event, String, Option<Uuid>)>,
}

impl Log {
    pub(super) fn import(&mut self, year: i32, rows: &[Row]) {
        let correlation = Some(Uuid::new_v4());
        for (i, row) in rows.iter().enumerate() {
            let stream = row.school.id.stream();
            if !self.events.iter().any(|(_, s, _)| *s == stream) {
                self.events.push((
                    Event::SchoolRegistered(SchoolRegistered {
                        school_id: row.school.id,
                        name: row.school.name.clone(),
                        kind: row.school.kind,
                        township: row.school.township.clone(),
                    }),
                    stream.clone(),
                    correlation,
                ));
            }
            self.events.push((
                Event::SchoolSurveyed(SchoolSurveyed {
                    school_id: row.school.id,
                    year,
                    stage: row.stage,
                    figures: row.figures.clone(),
                    source: SurveySource {
                        file: format!("{year}.csv"),
                        row: i as u32 + 2,
                    },
                    corrects: false,
                }),
                stream,
                correlation,
            ));
        }
    }

    pub(super) fn task_event(&mut self, task: TaskId, event: Event) {
        self.events
            .push((event, task.stream(), Some(Uuid::new_v4())));
    }

    /// Feeds events from `from` on and flushes at the end, as a runner at the head does.
    pub(super) fn feed(&self, policy: &mut Policy, from: usize) -> Vec<Decision> {
        let mut out = Vec::new();
        for (i, (event, stream, correlation)) in self.events.iter().enumerate().skip(from) {
            let at = At {
                position: i as i64 + 1,
                stream_id: stream,
                correlation: *correlation,
                actor: "办公室",
                recorded_at: chrono::DateTime::from_timestamp(1_750_000_000 + i as i64, 0)
                    .expect("a time"),
            };
            out.extend(policy.apply(event, at));
        }
        out.extend(policy.flush());
        out
    }
}

pub(super) fn policy() -> Policy {
    Policy::new(Catalogue::builtin().expect("valid"))
}

pub(super) fn raised(decisions: &[Decision]) -> Vec<&Shortfall> {
    decisions
        .iter()
        .filter_map(|d| match &d.action {
            Action::Raise(s) => Some(s),
            _ => None,
        })
        .collect()
}

#[test]
fn each_shortfall_is_raised_once_and_a_repeat_survey_raises_nothing() {
    let mut log = Log::default();
    log.import(2024, &fixture_rows(SURVEY_2024));
    let mut p = policy();
    let first = log.feed(&mut p, 0);
    let items = raised(&first);
    assert_eq!(items.len(), 2, "{items:?}");
    let changfeng: Vec<_> = items.iter().filter(|s| s.unit == "长风初级中学").collect();
    assert_eq!(changfeng.len(), 1);
    assert!(changfeng[0].key.ends_with("G3"));
    assert!(
        items
            .iter()
            .any(|s| s.unit == "大路小学" && s.key.ends_with("R3"))
    );
    let cause = first[0].cause;
    assert_eq!(
        p.raised_by(cause).len(),
        1,
        "each survey names the items it raised"
    );
    let before = log.events.len();
    log.import(2024, &fixture_rows(SURVEY_2024));
    assert!(
        log.feed(&mut p, before).is_empty(),
        "the same failures raise nothing new"
    );
}

#[test]
fn replaying_the_log_decides_the_same_ids_and_command_ids() {
    let mut log = Log::default();
    log.import(2024, &fixture_rows(SURVEY_2024));
    log.import(2025, &fixture_rows(SURVEY_2025));
    let (mut a, mut b) = (policy(), policy());
    let first = log.feed(&mut a, 0);
    let second = log.feed(&mut b, 0);
    assert_eq!(first, second);
    let ids: std::collections::HashSet<&str> =
        first.iter().map(|d| d.command_id.as_str()).collect();
    assert_eq!(ids.len(), first.len(), "command ids are distinct");
}

#[test]
fn a_passing_survey_notes_the_open_item_and_a_relapse_reopens_a_closed_one() {
    let mut log = Log::default();
    log.import(2024, &fixture_rows(SURVEY_2024));
    let mut p = policy();
    let first = log.feed(&mut p, 0);
    let g3 = first
        .iter()
        .find(|d| matches!(&d.action, Action::Raise(s) if s.unit == "长风初级中学"))
        .unwrap()
        .task_id;
    let before = log.events.len();
    log.import(2025, &fixture_rows(SURVEY_2025));
    let next = log.feed(&mut p, before);
    assert_eq!(next.len(), 1, "{next:?}");
    assert_eq!(next[0].task_id, g3);
    assert_eq!(
        next[0].action,
        Action::Note("survey of 2025 meets the standard".into())
    );
    // The office closes it; the 2026 survey fails again: the item is reopened, not raised anew.
    let before = log.events.len();
    log.task_event(
        g3,
        Event::TaskVerified(TaskVerified {
            verdict: Verdict::Accepted,
            remarks: None,
            late: false,
        }),
    );
    log.import(2026, &fixture_rows(SURVEY_2024));
    let relapse = log.feed(&mut p, before);
    let on_g3: Vec<_> = relapse.iter().filter(|d| d.task_id == g3).collect();
    assert_eq!(on_g3.len(), 1, "{relapse:?}");
    assert!(matches!(&on_g3[0].action, Action::Reopen(n) if n.contains("2026")));
    assert!(raised(&relapse).is_empty());
    // Reopened: the next passing survey notes it again.
    let before = log.events.len();
    log.task_event(g3, Event::RectificationReopened(Note { note: "x".into() }));
    log.import(2027, &fixture_rows(SURVEY_2025));
    let again = log.feed(&mut p, before);
    assert!(
        again
            .iter()
            .any(|d| d.task_id == g3 && matches!(d.action, Action::Note(_)))
    );
}

#[test]
fn a_correction_of_an_earlier_year_decides_nothing() {
    let mut log = Log::default();
    log.import(2025, &fixture_rows(SURVEY_2025));
    let mut p = policy();
    let first = log.feed(&mut p, 0);
    assert_eq!(raised(&first).len(), 1, "only 大路's R3 in 2025");
    let before = log.events.len();
    log.import(2024, &fixture_rows(SURVEY_2024));
    assert!(log.feed(&mut p, before).is_empty());
    assert_eq!(p.book.rows(2024).len(), 2, "but the survey is on the books");
}

#[test]
fn a_failing_coefficient_is_raised_once_for_the_county_after_the_whole_import() {
    let rows = crate::assessment::tests::example_county_rows();
    let mut log = Log::default();
    log.import(2024, &rows);
    let mut p = policy();
    let decisions = log.feed(&mut p, 0);
    let county: Vec<_> = raised(&decisions)
        .into_iter()
        .filter(|s| s.unit == super::super::COUNTY)
        .collect();
    assert_eq!(county.len(), 1, "one R4 item, not one per school surveyed");
    assert_eq!(county[0].key, "county:Primary:R4");
    let before = log.events.len();
    log.import(2025, &rows);
    let next = log.feed(&mut p, before);
    assert!(raised(&next).is_empty(), "{next:?}");
}
