//! The domain side of notifications: reminders before a due date (when they fall due,
//! once per due date and offset, rescheduled by an extension) and the endpoint
//! aggregate's transitions and input rules.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::aggregate::{Aggregate, replay};
use duban_domain::department::DepartmentRef;
use duban_domain::endpoint::{Endpoint, EndpointCommand, EndpointKind};
use duban_domain::event::{DeadlineExtended, MeasureDefined, TaskAssigned};
use duban_domain::ids::{DepartmentId, EndpointId, PlanId, TaskId};
use duban_domain::reminder::{DEFAULT_OFFSETS, reminder_at};
use duban_domain::task::{LifecycleCommand, Task, TaskCommand};
use duban_domain::{Actor, DomainError, Event};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn assigned(due: NaiveDate) -> Vec<Event> {
    vec![
        Event::MeasureDefined(MeasureDefined {
            task_id: TaskId::new(),
            plan_id: PlanId::new(),
            code: None,
            title: "配齐音乐教室".into(),
            description: None,
            phase: None,
        }),
        Event::TaskAssigned(TaskAssigned {
            lead: DepartmentId::new(),
            cooperating: vec![],
            due: Some(due),
        }),
    ]
}

fn remind(history: &[Event], now: &str) -> Result<Vec<Event>, DomainError> {
    let state: Option<Task> = replay(history);
    Task::decide(
        state.as_ref(),
        &TaskCommand::Lifecycle(LifecycleCommand::MarkReminderDue {
            offsets: DEFAULT_OFFSETS.to_vec(),
        }),
        &Actor::system(),
        at(now),
    )
}

fn days_before(events: &[Event]) -> Vec<(NaiveDate, u32)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::TaskReminderDue(r) => Some((r.due, r.days_before)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_seven_day_reminder_falls_due_at_nine_shanghai_time() {
    assert_eq!(
        reminder_at(day(2025, 7, 10), 7),
        at("2025-07-03T09:00:00+08:00")
    );
    let history = assigned(day(2025, 7, 10));
    assert!(
        remind(&history, "2025-07-03T08:59:59+08:00")
            .unwrap()
            .is_empty()
    );
    let due = remind(&history, "2025-07-03T09:00:00+08:00").unwrap();
    assert_eq!(days_before(&due), vec![(day(2025, 7, 10), 7)]);
}

#[test]
fn a_reminder_is_recorded_once_per_due_date_and_offset() {
    let mut history = assigned(day(2025, 7, 10));
    history.extend(remind(&history, "2025-07-03T09:00:00+08:00").unwrap());
    assert!(
        remind(&history, "2025-07-05T12:00:00+08:00")
            .unwrap()
            .is_empty()
    );
    // The one-day reminder comes on 07-09 at 09:00, once.
    let one = remind(&history, "2025-07-09T09:00:00+08:00").unwrap();
    assert_eq!(days_before(&one), vec![(day(2025, 7, 10), 1)]);
    history.extend(one);
    assert!(
        remind(&history, "2025-07-10T20:00:00+08:00")
            .unwrap()
            .is_empty()
    );
    // Past due: no reminder, whatever the offsets say.
    assert!(
        remind(&assigned(day(2025, 7, 10)), "2025-07-11T09:00:00+08:00")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_stale_reminder_is_skipped_for_the_closer_one() {
    // Assigned late: on 07-09 at 10:00 only the one-day reminder is sent.
    let history = assigned(day(2025, 7, 10));
    let due = remind(&history, "2025-07-09T10:00:00+08:00").unwrap();
    assert_eq!(days_before(&due), vec![(day(2025, 7, 10), 1)]);
}

#[test]
fn an_extension_reschedules_the_reminders() {
    let mut history = assigned(day(2025, 7, 10));
    history.extend(remind(&history, "2025-07-03T09:00:00+08:00").unwrap());
    history.push(Event::DeadlineExtended(DeadlineExtended {
        previous_due: Some(day(2025, 7, 10)),
        due: day(2025, 7, 20),
        reason: "资金".into(),
    }));
    assert!(
        remind(&history, "2025-07-13T08:59:59+08:00")
            .unwrap()
            .is_empty()
    );
    let next = remind(&history, "2025-07-13T09:00:00+08:00").unwrap();
    assert_eq!(days_before(&next), vec![(day(2025, 7, 20), 7)]);
    let task: Task = replay(&history).unwrap();
    assert!(task.reminded.is_empty(), "old reminders are dropped");
}

#[test]
fn only_the_system_clock_records_reminders() {
    let state: Option<Task> = replay(&assigned(day(2025, 7, 10)));
    let err = Task::decide(
        state.as_ref(),
        &TaskCommand::Lifecycle(LifecycleCommand::MarkReminderDue { offsets: vec![7] }),
        &Actor::office("o"),
        at("2025-07-03T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::Forbidden { .. }), "{err:?}");
}

fn register(kind: EndpointKind, url: Option<&str>, types: &[&str]) -> EndpointCommand {
    EndpointCommand::Register {
        id: EndpointId::new(),
        name: "教育局工作群".into(),
        kind,
        url: url.map(String::from),
        department: None,
        event_types: types.iter().map(|t| t.to_string()).collect(),
    }
}

fn decide(state: Option<&Endpoint>, cmd: EndpointCommand) -> Result<Vec<Event>, DomainError> {
    Endpoint::decide(
        state,
        &cmd,
        &Actor::office("o"),
        at("2025-07-01T09:00:00+08:00"),
    )
}

#[test]
fn an_endpoint_is_registered_paused_resumed_and_removed() {
    let mut history = decide(
        None,
        register(
            EndpointKind::Webhook,
            Some("https://oa.example.cn/hook"),
            &[],
        ),
    )
    .unwrap();
    let ep: Endpoint = replay(&history).unwrap();
    assert!(ep.wants("TaskUrged") && !ep.wants("ProgressReported"));
    assert!(matches!(
        decide(Some(&ep), EndpointCommand::Resume),
        Err(DomainError::InvalidTransition { .. })
    ));
    history.extend(decide(Some(&ep), EndpointCommand::Pause).unwrap());
    let ep: Endpoint = replay(&history).unwrap();
    assert!(ep.paused);
    history.extend(decide(Some(&ep), EndpointCommand::Resume).unwrap());
    let ep: Endpoint = replay(&history).unwrap();
    assert!(!ep.paused);
    history.extend(decide(Some(&ep), EndpointCommand::Remove).unwrap());
    let ep: Endpoint = replay(&history).unwrap();
    assert!(ep.removed && ep.version == 4);
    for cmd in [
        EndpointCommand::Pause,
        EndpointCommand::Resume,
        EndpointCommand::Remove,
    ] {
        assert!(decide(Some(&ep), cmd).is_err());
    }
}

#[test]
fn bad_endpoints_are_refused_with_the_field() {
    let field = |r: Result<Vec<Event>, DomainError>| match r {
        Err(DomainError::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid input, got {other:?}"),
    };
    assert_eq!(
        field(decide(
            None,
            register(EndpointKind::Webhook, Some("ftp://x"), &[])
        )),
        "url"
    );
    assert_eq!(
        field(decide(None, register(EndpointKind::Feishu, None, &[]))),
        "url"
    );
    assert_eq!(
        field(decide(
            None,
            register(EndpointKind::Log, Some("https://x.cn"), &[])
        )),
        "url"
    );
    assert_eq!(
        field(decide(
            None,
            register(EndpointKind::Log, None, &["PlanDrafted"])
        )),
        "eventTypes"
    );
    let retired = EndpointCommand::Register {
        id: EndpointId::new(),
        name: "x".into(),
        kind: EndpointKind::Log,
        url: None,
        department: Some(DepartmentRef {
            id: DepartmentId::new(),
            name: "旧局".into(),
            retired: true,
        }),
        event_types: vec![],
    };
    assert_eq!(field(decide(None, retired)), "departmentId");
    let err = Endpoint::decide(
        None,
        &register(EndpointKind::Log, None, &[]),
        &Actor::auditor("a"),
        at("2025-07-01T09:00:00+08:00"),
    )
    .unwrap_err();
    assert!(matches!(err, DomainError::Forbidden { .. }));
}
