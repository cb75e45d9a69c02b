//! Every lifecycle command on a task that does not exist is not found, for whoever may
//! issue it and for the auditor.

use duban_domain::DomainError;
use duban_domain::task::Task;
use duban_domain::testkit::Given;

use super::cases::cases;
use super::fixtures::*;

#[test]
fn every_lifecycle_command_on_a_missing_task_is_not_found() {
    let w = w();
    let not_found = DomainError::NotFound {
        what: "task",
        id: "?".into(),
    };
    for case in cases(&w) {
        for who in case.allowed {
            Given::<Task>::no_events()
                .when(case.command.clone(), &w.actor(*who), case.now)
                .then_error(not_found.clone());
        }
        // The role is checked first: who may never do this is refused, not told.
        Given::<Task>::no_events()
            .when(case.command.clone(), &w.actor(Who::Auditor), case.now)
            .then_forbidden();
    }
}
