//! The assessment policy: a process manager fed by the log, which turns each shortfall
//! into one rectification item and follows it across later surveys.
//!
//! For every survey it assesses the school stage surveyed; after each run of surveys
//! recorded together (one import: one correlation id) it assesses the county for the
//! years the run touched. For every answer the office gives to a guarantee item that
//! needs evidence, it reads "no" as failing and "yes" as passing. Then, per item key
//! (school, stage, indicator; county, stage, indicator; or county and item):
//!
//! - failing and never raised: **raise** it (source SELF_INSPECTION);
//! - passing while the item is open: **note** "survey of <year> meets the standard"
//!   (for an answer: "answer for <year> meets the standard");
//! - failing while the item is closed: **reopen** it;
//! - otherwise nothing, so a repeated or still-failing survey raises nothing new.
//!
//! Exactly once: a decision depends only on the log before its cause and on the
//! policy's own earlier decisions (applied to its state at once), so every server and
//! every replay decides the same. The item's task id is derived from its key and every
//! decision carries a command id derived from the task and the cause's position, so the
//! store's idempotency turns a second writer or a replay into a no-op.
//!
//! A survey older than the latest one of its school stage (a correction of an earlier
//! year), or an answer for a year before the item's latest answered year, is recorded
//! and shown, but decides nothing.

use std::collections::{BTreeSet, HashMap};

use duban_domain::Event;
use duban_domain::ids::{SchoolId, TaskId, derived_uuid};
use duban_domain::school::Stage;
use duban_domain::task::{TaskStatus, Verdict};
use uuid::Uuid;

use super::book::{AnswerRecord, evidence_key, evidence_shortfall};
use super::{Catalogue, Row, SchoolInfo, Shortfall, assess, county_shortfalls, school_shortfalls};

pub use super::book::SurveyBook;
pub use decision::{Action, At, Decision};

use decision::Source;

mod decision;

/// A run of surveys recorded by one append.
#[derive(Debug, Clone)]
struct Run {
    correlation: Option<Uuid>,
    first: i64,
    years: BTreeSet<i32>,
}

/// The process manager's state.
#[derive(Debug, Clone)]
pub struct Policy {
    catalogue: Catalogue,
    /// What the assessment reads.
    pub book: SurveyBook,
    latest: HashMap<(SchoolId, Stage), i32>,
    answered: HashMap<String, i32>,
    county_year: i32,
    items: HashMap<String, TaskId>,
    status: HashMap<TaskId, TaskStatus>,
    run: Option<Run>,
    raised_by: HashMap<i64, Vec<TaskId>>,
}

impl Policy {
    /// An empty policy over a catalogue.
    pub fn new(catalogue: Catalogue) -> Self {
        Self {
            catalogue,
            book: SurveyBook::default(),
            latest: HashMap::new(),
            answered: HashMap::new(),
            county_year: i32::MIN,
            items: HashMap::new(),
            status: HashMap::new(),
            run: None,
            raised_by: HashMap::new(),
        }
    }

    /// The catalogue.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The task id of an item key: the same everywhere.
    pub fn task_for(key: &str) -> TaskId {
        TaskId(derived_uuid(&format!("assessment:{key}")))
    }

    /// The items raised because of the survey at `position` (school items) or of the
    /// run it opened (county items).
    pub fn raised_by(&self, position: i64) -> &[TaskId] {
        self.raised_by.get(&position).map_or(&[], Vec::as_slice)
    }

    /// Folds one event in; returns the decisions it leads to.
    pub fn apply(&mut self, event: &Event, at: At<'_>) -> Vec<Decision> {
        let mut out = Vec::new();
        let continues_run = matches!(event, Event::SchoolSurveyed(_))
            && self
                .run
                .as_ref()
                .is_some_and(|r| r.correlation == at.correlation);
        if !continues_run {
            out.extend(self.flush());
        }
        match event {
            Event::SchoolRegistered(e) => {
                self.book.schools.insert(
                    e.school_id,
                    SchoolInfo {
                        id: e.school_id,
                        name: e.name.clone(),
                        kind: e.kind,
                        township: e.township.clone(),
                    },
                );
            }
            Event::SchoolSurveyed(e) => {
                self.book
                    .years
                    .entry(e.year)
                    .or_default()
                    .insert((e.school_id, e.stage), e.figures.clone());
                let run = self.run.get_or_insert(Run {
                    correlation: at.correlation,
                    first: at.position,
                    years: BTreeSet::new(),
                });
                run.years.insert(e.year);
                let latest = self.latest.entry((e.school_id, e.stage)).or_insert(e.year);
                if e.year >= *latest {
                    *latest = e.year;
                    out.extend(self.survey_decisions(e.school_id, e.stage, e.year, at.position));
                }
            }
            Event::GuaranteeItemAnswered(e) => {
                self.book.answers.entry(e.year).or_default().insert(
                    e.code.clone(),
                    AnswerRecord {
                        met: e.met,
                        note: e.note.clone(),
                        by: at.actor.to_string(),
                        at: at.recorded_at,
                    },
                );
                let latest = self.answered.entry(e.code.clone()).or_insert(e.year);
                if e.year >= *latest {
                    *latest = e.year;
                    let shortfall = evidence_shortfall(
                        &self.catalogue,
                        e.year,
                        &e.code,
                        e.met,
                        e.note.as_deref(),
                    );
                    let known = super::book::is_evidence_item(&self.catalogue, &e.code);
                    if known {
                        out.extend(self.decide(
                            evidence_key(&e.code),
                            shortfall,
                            Source::Answer(e.year),
                            at.position,
                        ));
                    }
                }
            }
            Event::TaskVerified(e) => self.set_status(
                at.stream_id,
                match e.verdict {
                    Verdict::Accepted => TaskStatus::Closed,
                    Verdict::Rejected => TaskStatus::InProgress,
                },
            ),
            Event::RectificationReopened(_) => {
                self.set_status(at.stream_id, TaskStatus::InProgress)
            }
            Event::TaskCancelled(_) => self.set_status(at.stream_id, TaskStatus::Cancelled),
            _ => {}
        }
        out
    }

    /// Ends the current run of surveys: assesses the county for the years it touched.
    /// Call it when the log has been read to its end (an append is atomic, so the run
    /// is complete then).
    pub fn flush(&mut self) -> Vec<Decision> {
        let Some(run) = self.run.take() else {
            return vec![];
        };
        let mut out = Vec::new();
        for year in run.years {
            if year < self.county_year {
                continue;
            }
            self.county_year = year;
            let assessment = assess(&self.catalogue, year, &self.book.rows(year));
            for (key, shortfall) in county_shortfalls(year, &assessment) {
                out.extend(self.decide(key, shortfall, Source::Survey(year), run.first));
            }
        }
        out
    }

    fn set_status(&mut self, stream_id: &str, status: TaskStatus) {
        if let Ok(id) = TaskId::parse("task", stream_id)
            && let Some(s) = self.status.get_mut(&id)
        {
            *s = status;
        }
    }

    fn survey_decisions(
        &mut self,
        school: SchoolId,
        stage: Stage,
        year: i32,
        cause: i64,
    ) -> Vec<Decision> {
        let rows: Vec<Row> = self
            .book
            .rows(year)
            .into_iter()
            .filter(|r| r.school.id == school)
            .collect();
        let assessment = assess(&self.catalogue, year, &rows);
        let mut out = Vec::new();
        for s in assessment.schools.iter().filter(|s| s.stage == stage) {
            for (key, shortfall) in school_shortfalls(year, s) {
                out.extend(self.decide(key, shortfall, Source::Survey(year), cause));
            }
        }
        out
    }

    fn decide(
        &mut self,
        key: String,
        shortfall: Option<Shortfall>,
        source: Source,
        cause: i64,
    ) -> Option<Decision> {
        let existing = self.items.get(&key).copied();
        let (task_id, action) = match (existing, shortfall) {
            (None, Some(shortfall)) => {
                let task_id = Self::task_for(&key);
                self.items.insert(key, task_id);
                self.status.insert(task_id, TaskStatus::Defined);
                self.raised_by.entry(cause).or_default().push(task_id);
                (task_id, Action::Raise(shortfall))
            }
            (Some(task_id), Some(shortfall))
                if self.status.get(&task_id) == Some(&TaskStatus::Closed) =>
            {
                self.status.insert(task_id, TaskStatus::InProgress);
                let note = format!("{source} fails the standard again: {}", shortfall.measured);
                (task_id, Action::Reopen(note))
            }
            (Some(task_id), None) if self.status.get(&task_id).is_some_and(|s| s.is_open()) => (
                task_id,
                Action::Note(format!("{source} meets the standard")),
            ),
            _ => return None,
        };
        let verb = match action {
            Action::Raise(_) => "raise",
            Action::Note(_) => "note",
            Action::Reopen(_) => "reopen",
        };
        let command_id = match verb {
            "raise" => format!("assessment:raise:{}", task_id.0),
            _ => format!("assessment:{verb}:{}:{cause}", task_id.0),
        };
        Some(Decision {
            task_id,
            action,
            cause,
            command_id,
        })
    }
}

#[cfg(test)]
mod tests;
