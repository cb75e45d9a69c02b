//! Creating tasks: measures (trimmed text, a phase of the plan, a title), milestones
//! (inheriting the measure's lead, under an open measure), rectification items (severity,
//! finding, plan from the measure); only the office creates, and never twice in a stream.

use duban_domain::aggregate::replay;
use duban_domain::measure::DefineMeasure;
use duban_domain::milestone::ScheduleMilestone;
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{Task, TaskCommand, TaskKind, TaskStatus as S};
use duban_domain::testkit::Given;
use duban_domain::{DomainError, Event};

use super::fixtures::*;

#[test]
fn office_defines_a_measure_with_trimmed_text() {
    let w = w();
    let task = Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(w.define_measure()),
            &w.office(),
            before(),
        )
        .then_events(&[w.measure_defined()])
        .expect("a task");
    assert_eq!(task.kind, TaskKind::Measure);
    assert_eq!(task.status, S::Defined);
    assert_eq!(task.plan_id, Some(w.plan));
    assert_eq!(task.code.as_deref(), Some("三(二)5"));
    assert_eq!(task.description, None);
    assert_eq!(task.lead, None);
    assert_eq!(task.due, None);
    assert_eq!(task.version, 1);
}

#[test]
fn a_measure_without_phase_is_accepted() {
    let w = w();
    let (events, task) = Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(DefineMeasure {
                phase: None,
                ..w.define_measure()
            }),
            &w.office(),
            before(),
        )
        .then_ok();
    assert_eq!(events.len(), 1);
    assert_eq!(task.expect("a task").phase, None);
}

#[test]
fn a_measure_must_name_one_of_the_plans_phases() {
    let w = w();
    Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(DefineMeasure {
                phase: Some("达标验收".into()),
                ..w.define_measure()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("phase");
}

#[test]
fn a_measure_needs_a_title() {
    let w = w();
    Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(DefineMeasure {
                title: "   ".into(),
                ..w.define_measure()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("title");
    Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(DefineMeasure {
                title: "长".repeat(501),
                ..w.define_measure()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("title");
    Given::<Task>::no_events()
        .when(
            TaskCommand::DefineMeasure(DefineMeasure {
                code: Some("x".repeat(51)),
                ..w.define_measure()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("code");
}

#[test]
fn a_milestone_inherits_the_measures_lead_and_is_assigned() {
    let w = w();
    let task = Given::<Task>::no_events()
        .when(
            TaskCommand::ScheduleMilestone(
                w.schedule_milestone(w.measure_task(Some(w.lead), S::Assigned)),
            ),
            &w.office(),
            before(),
        )
        .then_events(&[w.milestone_scheduled(Some(w.lead))])
        .expect("a task");
    assert_eq!(task.kind, TaskKind::Milestone);
    assert_eq!(task.status, S::Assigned);
    assert_eq!(task.parent, Some(w.measure));
    assert_eq!(task.lead, Some(w.lead));
    assert_eq!(task.cooperating, vec![w.coop]);
    assert_eq!(task.due, Some(due()));
}

#[test]
fn a_milestone_of_an_unassigned_measure_is_defined_with_its_due_date() {
    let w = w();
    let task = Given::<Task>::no_events()
        .when(
            TaskCommand::ScheduleMilestone(w.schedule_milestone(w.measure_task(None, S::Defined))),
            &w.office(),
            before(),
        )
        .then_events(&[w.milestone_scheduled(None)])
        .expect("a task");
    assert_eq!(task.status, S::Defined);
    assert_eq!(task.due, Some(due()));
    // Assigning it later moves it to ASSIGNED with the assigned lead and due date.
    let task = Given::<Task>::events(&[w.milestone_scheduled(None)])
        .when(w.assign(day(2025, 5, 31)), &w.office(), before())
        .then_events(&[w.assigned(day(2025, 5, 31))])
        .expect("a task");
    assert_eq!(task.status, S::Assigned);
    assert_eq!(task.due, Some(day(2025, 5, 31)));
}

#[test]
fn a_milestone_belongs_to_an_open_measure() {
    let w = w();
    // Under a rectification item (not a measure).
    let not_a_measure: Task = replay(&[w.rectification_raised()]).expect("a task");
    Given::<Task>::no_events()
        .when(
            TaskCommand::ScheduleMilestone(w.schedule_milestone(not_a_measure)),
            &w.office(),
            before(),
        )
        .then_invalid("measureId");
    // Under a cancelled measure.
    Given::<Task>::no_events()
        .when(
            TaskCommand::ScheduleMilestone(
                w.schedule_milestone(w.measure_task(Some(w.lead), S::Cancelled)),
            ),
            &w.office(),
            before(),
        )
        .then_invalid_transition("CANCELLED");
    // Without a title.
    Given::<Task>::no_events()
        .when(
            TaskCommand::ScheduleMilestone(ScheduleMilestone {
                title: " ".into(),
                ..w.schedule_milestone(w.measure_task(None, S::Defined))
            }),
            &w.office(),
            before(),
        )
        .then_invalid("title");
}

#[test]
fn office_raises_a_rectification_item_with_default_severity() {
    let w = w();
    let task = Given::<Task>::no_events()
        .when(
            TaskCommand::RaiseRectification(w.raise()),
            &w.office(),
            before(),
        )
        .then_events(&[w.rectification_raised()])
        .expect("a task");
    assert_eq!(task.kind, TaskKind::Rectification);
    assert_eq!(task.status, S::Defined);
    assert_eq!(task.title, "音乐教室面积72㎡");
    assert_eq!(task.rectification, Some(Box::new(w.detail())));
}

#[test]
fn a_rectification_item_takes_its_plan_from_its_measure() {
    let w = w();
    let measure = w.measure_task(Some(w.lead), S::Assigned);
    let (events, task) = Given::<Task>::no_events()
        .when(
            TaskCommand::RaiseRectification(RaiseRectification {
                plan_id: None,
                measure: Some(measure),
                severity: Some(3),
                ..w.raise()
            }),
            &w.office(),
            before(),
        )
        .then_ok();
    let Event::RectificationRaised(raised) = &events[0] else {
        panic!("expected RectificationRaised, got {events:?}");
    };
    assert_eq!(raised.plan_id, Some(w.plan));
    assert_eq!(raised.measure_id, Some(w.measure));
    assert_eq!(raised.detail.severity, 3);
    let task = task.expect("a task");
    assert_eq!(task.parent, Some(w.measure));
}

#[test]
fn severity_is_one_to_three() {
    let w = w();
    for ok in [1, 2, 3] {
        Given::<Task>::no_events()
            .when(
                TaskCommand::RaiseRectification(RaiseRectification {
                    severity: Some(ok),
                    ..w.raise()
                }),
                &w.office(),
                before(),
            )
            .then_ok();
    }
    for bad in [0, 4, -1, 255, i64::MAX, i64::MIN] {
        Given::<Task>::no_events()
            .when(
                TaskCommand::RaiseRectification(RaiseRectification {
                    severity: Some(bad),
                    ..w.raise()
                }),
                &w.office(),
                before(),
            )
            .then_invalid("severity");
    }
}

#[test]
fn a_rectification_item_needs_a_finding_and_a_measure_that_is_one() {
    let w = w();
    Given::<Task>::no_events()
        .when(
            TaskCommand::RaiseRectification(RaiseRectification {
                finding: "\n\t ".into(),
                ..w.raise()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("finding");
    let milestone: Task = replay(&[w.milestone_scheduled(None)]).expect("a task");
    Given::<Task>::no_events()
        .when(
            TaskCommand::RaiseRectification(RaiseRectification {
                measure: Some(milestone),
                ..w.raise()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("measureId");
    Given::<Task>::no_events()
        .when(
            TaskCommand::RaiseRectification(RaiseRectification {
                unit: Some("校".repeat(201)),
                ..w.raise()
            }),
            &w.office(),
            before(),
        )
        .then_invalid("unit");
}

#[test]
fn creating_in_a_stream_that_has_a_task_is_a_version_conflict() {
    let w = w();
    let history = w.measure_in(S::InProgress);
    let version = history.len() as i64;
    let conflict = DomainError::VersionConflict {
        expected: 0,
        actual: version,
    };
    given(&history)
        .when(
            TaskCommand::DefineMeasure(w.define_measure()),
            &w.office(),
            before(),
        )
        .then_error(conflict.clone());
    given(&history)
        .when(
            TaskCommand::ScheduleMilestone(w.schedule_milestone(w.measure_task(None, S::Defined))),
            &w.office(),
            before(),
        )
        .then_error(conflict.clone());
    given(&history)
        .when(
            TaskCommand::RaiseRectification(w.raise()),
            &w.office(),
            before(),
        )
        .then_error(conflict);
}

#[test]
fn only_the_office_creates_tasks() {
    let w = w();
    let creations = [
        TaskCommand::DefineMeasure(w.define_measure()),
        TaskCommand::ScheduleMilestone(
            w.schedule_milestone(w.measure_task(Some(w.lead), S::Assigned)),
        ),
        TaskCommand::RaiseRectification(w.raise()),
    ];
    for command in creations {
        for who in EVERYONE {
            let then = Given::<Task>::no_events().when(command.clone(), &w.actor(who), before());
            if who == Who::Office {
                then.then_ok();
            } else {
                then.then_forbidden();
            }
        }
    }
}
