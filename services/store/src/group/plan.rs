//! A group as planned and answered: each member's events or why it is not written
//! ([`GroupPlan`], [`Slot`]), what became of it ([`Member`]), and the group's streams.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::Request;
use crate::append::{Appended, Heads, Planned, plan};
use crate::error::StoreError;
use crate::event::RecordedEvent;

/// What became of one member of a group.
pub(crate) enum Member {
    /// Written with these events (their payloads still `Null` until the writer task
    /// moves them in from the request: [`crate::append::move_payloads`]).
    Written(Vec<RecordedEvent>),
    /// Its command id was handled before: the first append's events.
    Duplicate(Vec<RecordedEvent>),
    /// Refused (stale version, type mismatch, unreadable earlier answer); nothing written.
    Refused(StoreError),
}

impl Member {
    pub(super) fn into_answer(self) -> Result<Appended, StoreError> {
        match self {
            Member::Written(events) => Ok(Appended {
                events: events.into(),
                duplicate: false,
            }),
            Member::Duplicate(events) => Ok(Appended {
                events: events.into(),
                duplicate: true,
            }),
            Member::Refused(error) => Err(error),
        }
    }
}

/// A planned group: per member, its planned events (or why it is not written).
pub(crate) struct GroupPlan {
    /// One slot per member, in order.
    pub slots: Vec<Slot>,
    /// The head before the group.
    pub head: i64,
    /// The head after the group (equal to `head` when nothing is written).
    pub last: i64,
}

/// One member's plan.
pub(crate) enum Slot {
    /// To be written.
    Write(Planned),
    /// Answered otherwise (duplicate or refused).
    Done(Member),
}

impl GroupPlan {
    /// Plans every member in order against the stream `heads` (as locked), numbering
    /// from `head + 1`. `answered[i]` is the answer already found for member `i` (a
    /// command id handled before).
    pub(crate) fn new(
        members: &[&Request],
        mut heads: Heads,
        head: i64,
        mut answered: Vec<Option<Member>>,
    ) -> Self {
        let mut position = head + 1;
        let mut slots = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if let Some(done) = answered.get_mut(i).and_then(Option::take) {
                slots.push(Slot::Done(done));
                continue;
            }
            match plan(&m.batch, &heads, position, &m.meta, m.recorded_at) {
                Ok(planned) => {
                    heads.extend(planned.heads());
                    position += i64::try_from(planned.events.len()).expect("fits in i64");
                    slots.push(Slot::Write(planned));
                }
                Err(error) => slots.push(Slot::Done(Member::Refused(error))),
            }
        }
        Self {
            slots,
            head,
            last: position - 1,
        }
    }

    /// Every row to insert: (event, canonical payload, canonical metadata).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (&RecordedEvent, &str, &str)> {
        self.written().flat_map(|p| {
            p.events
                .iter()
                .zip(&p.payloads)
                .map(|(e, payload)| (e, payload.as_str(), p.metadata.as_str()))
        })
    }

    /// Every command id to record: (id, first position, event count, recorded at).
    pub(crate) fn commands(&self) -> impl Iterator<Item = (&str, i64, i64, DateTime<Utc>)> {
        self.written().filter_map(|p| {
            let first = p.events.first()?;
            let id = first.metadata.command_id.as_deref()?;
            let count = i64::try_from(p.events.len()).expect("fits in i64");
            Some((id, first.position, count, first.recorded_at))
        })
    }

    /// The members to be written.
    pub(crate) fn written(&self) -> impl Iterator<Item = &Planned> {
        self.slots.iter().filter_map(|s| match s {
            Slot::Write(p) => Some(p),
            Slot::Done(_) => None,
        })
    }

    /// The members' answers once the group is committed.
    pub(crate) fn into_members(self) -> Vec<Member> {
        self.slots
            .into_iter()
            .map(|s| match s {
                Slot::Write(p) => Member::Written(p.events),
                Slot::Done(m) => m,
            })
            .collect()
    }
}

/// The distinct streams of a group, for one stream-head lookup.
pub(crate) fn streams<'a>(members: &[&'a Request]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    members
        .iter()
        .flat_map(|m| &m.batch)
        .map(|part| part.stream_id.as_str())
        .filter(|id| seen.insert(*id))
        .collect()
}
