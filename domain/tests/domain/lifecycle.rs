//! Given/when/then for every transition and every rejection of the task lifecycle in
//! docs/domain.md: creation of measures, milestones and rectification items; who may do what;
//! invalid input per field; invalid transitions from each state; the overdue clock in
//! Asia/Shanghai; closed late vs on time; re-assignment; reopening; version conflicts.
//!
//! One module per section; the shared ids, events and commands are in
//! [`fixtures`], every command with who may issue it in [`cases`].

mod cases;
mod closed_late;
mod creation;
mod extension;
mod fixtures;
mod invalid_input;
mod invalid_transitions;
mod not_found;
mod overdue;
mod roles;
mod transitions;
mod versions;
