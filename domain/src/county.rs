//! The county's year in the 优质均衡 assessment (县域评估): the government-guarantee items
//! that need evidence rather than figures, answered yes or no with a note by the office.
//!
//! One stream per school year ([`CountyYear::id_for`]), so every server and every import
//! meets the same stream. An answer to an item already answered supersedes it (both stay
//! in the stream); the same answer again records nothing. Which codes may be answered is
//! the indicator catalogue's business (the service checks it before deciding); here a
//! code is only checked for shape.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::event::Event;
use crate::ids::{CountyYearId, derived_uuid};
use crate::school::YEARS;
use crate::validate::optional_text;

/// The longest note an answer may carry, in characters.
pub const NOTE_MAX: usize = 2000;

/// A guarantee item was answered for a school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeItemAnswered {
    /// The school year by its first calendar year (2024 = 2024-2025).
    pub year: i32,
    /// The item's code in the catalogue (G1, G2, …).
    pub code: String,
    /// Whether the county meets the item.
    pub met: bool,
    /// The office's note: the evidence, or what is missing.
    pub note: Option<String>,
}

/// One item's current answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// Met or not.
    pub met: bool,
    /// The note.
    pub note: Option<String>,
}

/// The state of a county's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountyYear {
    /// Its id.
    pub id: CountyYearId,
    /// The school year.
    pub year: i32,
    /// The latest answer per item code.
    pub answers: BTreeMap<String, Answer>,
    /// Stream version.
    pub version: i64,
}

impl CountyYear {
    /// The id of a school year's stream: the same on every server.
    pub fn id_for(year: i32) -> CountyYearId {
        CountyYearId(derived_uuid(&format!("county-year:{year}")))
    }
}

/// Commands on a county's year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountyYearCommand {
    /// Answer one guarantee item yes or no.
    Answer {
        /// The school year.
        year: i32,
        /// The item's code.
        code: String,
        /// Met or not.
        met: bool,
        /// The note.
        note: Option<String>,
    },
}

/// Checks an item code's shape: 1-16 ASCII letters and digits.
fn check_code(code: &str) -> Result<String, DomainError> {
    let code = code.trim();
    if code.is_empty() || code.len() > 16 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(DomainError::invalid(
            "code",
            format!("'{code}' is not an item code such as G1"),
        ));
    }
    Ok(code.to_string())
}

impl Aggregate for CountyYear {
    type Command = CountyYearCommand;
    const STREAM_TYPE: &'static str = "county";

    fn decide(
        state: Option<&Self>,
        command: &CountyYearCommand,
        actor: &Actor,
        _now: DateTime<Utc>,
    ) -> Result<Vec<Event>, DomainError> {
        let CountyYearCommand::Answer {
            year,
            code,
            met,
            note,
        } = command;
        actor.require_office("answer a guarantee item")?;
        if !YEARS.contains(year) {
            return Err(DomainError::invalid(
                "year",
                format!("{year} is not a school year between 2000 and 2100"),
            ));
        }
        if let Some(s) = state
            && s.year != *year
        {
            return Err(DomainError::invalid(
                "year",
                format!("the stream holds {}, not {year}", s.year),
            ));
        }
        let code = check_code(code)?;
        let note = optional_text("note", note.as_deref(), NOTE_MAX)?;
        let answer = Answer { met: *met, note };
        if state.and_then(|s| s.answers.get(&code)) == Some(&answer) {
            return Ok(vec![]);
        }
        Ok(vec![Event::GuaranteeItemAnswered(GuaranteeItemAnswered {
            year: *year,
            code,
            met: answer.met,
            note: answer.note,
        })])
    }

    fn evolve(state: Option<Self>, event: &Event) -> Option<Self> {
        let Event::GuaranteeItemAnswered(e) = event else {
            return state.map(|mut s| {
                s.version += 1;
                s
            });
        };
        let mut s = state.unwrap_or_else(|| CountyYear {
            id: CountyYear::id_for(e.year),
            year: e.year,
            answers: BTreeMap::new(),
            version: 0,
        });
        s.answers.insert(
            e.code.clone(),
            Answer {
                met: e.met,
                note: e.note.clone(),
            },
        );
        s.version += 1;
        Some(s)
    }

    fn version(&self) -> i64 {
        self.version
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::testkit::Given;

    fn answer(year: i32, code: &str, met: bool, note: Option<&str>) -> CountyYearCommand {
        CountyYearCommand::Answer {
            year,
            code: code.into(),
            met,
            note: note.map(str::to_string),
        }
    }

    fn office() -> Actor {
        Actor::office("办公室")
    }

    #[test]
    fn an_answer_is_recorded_and_the_same_answer_again_records_nothing() {
        let (events, state) = Given::<CountyYear>::no_events()
            .when(
                answer(2024, " G6 ", false, Some(" 轮岗 6% ")),
                &office(),
                Utc::now(),
            )
            .then_ok();
        assert_eq!(
            events,
            vec![Event::GuaranteeItemAnswered(GuaranteeItemAnswered {
                year: 2024,
                code: "G6".into(),
                met: false,
                note: Some("轮岗 6%".into()),
            })]
        );
        assert_eq!(state.expect("state").id, CountyYear::id_for(2024));
        Given::<CountyYear>::events(&events)
            .when(
                answer(2024, "G6", false, Some("轮岗 6%")),
                &office(),
                Utc::now(),
            )
            .then_events(&[]);
        // A different answer supersedes it.
        let (changed, state) = Given::<CountyYear>::events(&events)
            .when(
                answer(2024, "G6", true, Some("轮岗 12%")),
                &office(),
                Utc::now(),
            )
            .then_ok();
        assert_eq!(changed.len(), 1);
        let state = state.expect("state");
        assert!(state.answers["G6"].met);
        assert_eq!(state.version, 2);
    }

    #[test]
    fn only_the_office_answers_and_bad_input_is_refused() {
        let dept = Actor::department("财政局", crate::ids::DepartmentId::new());
        for actor in [Actor::auditor("审计"), dept] {
            Given::<CountyYear>::no_events()
                .when(answer(2024, "G1", true, None), &actor, Utc::now())
                .then_forbidden();
        }
        Given::<CountyYear>::no_events()
            .when(answer(1999, "G1", true, None), &office(), Utc::now())
            .then_invalid("year");
        Given::<CountyYear>::no_events()
            .when(answer(2024, "G 1", true, None), &office(), Utc::now())
            .then_invalid("code");
        let long = "很".repeat(NOTE_MAX + 1);
        Given::<CountyYear>::no_events()
            .when(answer(2024, "G1", true, Some(&long)), &office(), Utc::now())
            .then_invalid("note");
        let (events, _) = Given::<CountyYear>::no_events()
            .when(answer(2024, "G1", true, None), &office(), Utc::now())
            .then_ok();
        Given::<CountyYear>::events(&events)
            .when(answer(2025, "G2", true, None), &office(), Utc::now())
            .then_invalid("year");
    }
}
