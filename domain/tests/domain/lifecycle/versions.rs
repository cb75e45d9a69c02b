//! Versions: a stream's version counts its events, the expected-version check, and
//! how errors and roles read.

use duban_domain::aggregate::{Aggregate, replay, version_of};
use duban_domain::error::check_expected_version;
use duban_domain::task::{Task, TaskStatus as S};
use duban_domain::{Actor, DomainError, Role};

use super::fixtures::*;

#[test]
fn the_version_counts_the_events_of_the_stream() {
    let w = w();
    for status in ALL_STATES {
        let history = w.measure_in(status);
        let task: Task = replay(&history).expect("a task");
        assert_eq!(task.version(), history.len() as i64);
        assert_eq!(version_of(Some(&task)), history.len() as i64);
    }
    assert_eq!(version_of::<Task>(None), 0);
}

#[test]
fn the_version_conflict_helper() {
    assert_eq!(check_expected_version(None, 0), Ok(()));
    assert_eq!(check_expected_version(None, 7), Ok(()));
    assert_eq!(check_expected_version(Some(7), 7), Ok(()));
    assert_eq!(check_expected_version(Some(0), 0), Ok(()));
    assert_eq!(
        check_expected_version(Some(6), 7),
        Err(DomainError::VersionConflict {
            expected: 6,
            actual: 7
        })
    );
    assert_eq!(
        check_expected_version(Some(8), 7),
        Err(DomainError::VersionConflict {
            expected: 8,
            actual: 7
        })
    );
    let w = w();
    let task: Task = replay(&w.measure_in(S::InProgress)).expect("a task");
    assert!(check_expected_version(Some(task.version), version_of(Some(&task))).is_ok());
    assert!(check_expected_version(Some(task.version - 1), version_of(Some(&task))).is_err());
}

#[test]
fn errors_read_as_sentences() {
    let e = DomainError::InvalidTransition {
        from: "CLOSED".into(),
        action: "submit",
    };
    assert_eq!(e.to_string(), "cannot submit a task that is CLOSED");
    let e = DomainError::VersionConflict {
        expected: 1,
        actual: 2,
    };
    assert!(e.to_string().contains("expected version 1"));
}

#[test]
fn roles_have_their_api_names() {
    for role in [Role::Office, Role::Department, Role::Auditor, Role::System] {
        assert_eq!(Role::parse(role.as_str()), Some(role));
        assert_eq!(Role::parse(&role.as_str().to_lowercase()), Some(role));
    }
    assert_eq!(Role::parse("ADMIN"), None);
    let w = w();
    assert_eq!(w.actor(Who::Lead).department, Some(w.lead));
    assert_eq!(Actor::system().role, Role::System);
}
