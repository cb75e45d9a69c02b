//! Given/when/then for every transition and every rejection of the task lifecycle in
//! docs/domain.md: creation of measures, milestones and rectification items; who may do what;
//! invalid input per field; invalid transitions from each state; the overdue clock in
//! Asia/Shanghai; closed late vs on time; re-assignment; reopening; version conflicts.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::aggregate::{Aggregate, replay, version_of};
use duban_domain::department::DepartmentRef;
use duban_domain::error::check_expected_version;
use duban_domain::event::{
    CompletionSubmitted, DeadlineExtended, MeasureDefined, MilestoneScheduled, Note,
    ProgressReported, RectificationRaised, TaskAssigned, TaskOverdue, TaskVerified,
};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::measure::DefineMeasure;
use duban_domain::milestone::ScheduleMilestone;
use duban_domain::plan::{Phase, Plan};
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{
    LifecycleCommand as C, RectificationDetail, RectificationSource, Task, TaskCommand, TaskKind,
    TaskStatus as S, Verdict,
};
use duban_domain::testkit::Given;
use duban_domain::{Actor, DomainError, Event, Role};

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid RFC 3339 instant")
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The due date used throughout: overdue from 2025-07-01 00:00 Asia/Shanghai.
fn due() -> NaiveDate {
    day(2025, 6, 30)
}

/// Well before the due date.
fn before() -> DateTime<Utc> {
    at("2025-06-20T10:00:00+08:00")
}

/// Well after the due date.
fn after() -> DateTime<Utc> {
    at("2025-07-05T10:00:00+08:00")
}

/// The ids of one scenario: a plan, a task, a measure (for milestones), departments.
struct W {
    plan: PlanId,
    task: TaskId,
    measure: TaskId,
    lead: DepartmentId,
    coop: DepartmentId,
    other: DepartmentId,
}

fn w() -> W {
    W {
        plan: PlanId::new(),
        task: TaskId::new(),
        measure: TaskId::new(),
        lead: DepartmentId::new(),
        coop: DepartmentId::new(),
        other: DepartmentId::new(),
    }
}

fn dref(id: DepartmentId, name: &str) -> DepartmentRef {
    DepartmentRef {
        id,
        name: name.into(),
        retired: false,
    }
}

fn retired(id: DepartmentId, name: &str) -> DepartmentRef {
    DepartmentRef {
        retired: true,
        ..dref(id, name)
    }
}

/// Who acts, relative to the scenario's task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Office,
    Lead,
    Coop,
    Other,
    Auditor,
    System,
    /// A DEPARTMENT token that names no department.
    Nameless,
}

const EVERYONE: [Who; 7] = [
    Who::Office,
    Who::Lead,
    Who::Coop,
    Who::Other,
    Who::Auditor,
    Who::System,
    Who::Nameless,
];

impl W {
    fn actor(&self, who: Who) -> Actor {
        match who {
            Who::Office => Actor::office("办公室"),
            Who::Lead => Actor::department("财政局", self.lead),
            Who::Coop => Actor::department("人社局", self.coop),
            Who::Other => Actor::department("卫健局", self.other),
            Who::Auditor => Actor::auditor("审计"),
            Who::System => Actor::system(),
            Who::Nameless => Actor {
                name: "无名".into(),
                role: Role::Department,
                department: None,
            },
        }
    }

    fn office(&self) -> Actor {
        self.actor(Who::Office)
    }

    fn plan(&self) -> Plan {
        Plan {
            id: self.plan,
            title: "鲤城区义务教育优质均衡发展实施方案".into(),
            region: "鲤城区".into(),
            issuer: Some("鲤城区人民政府".into()),
            period_start: day(2021, 11, 1),
            period_end: day(2025, 12, 31),
            phases: vec![
                Phase {
                    name: "启动准备".into(),
                    starts: day(2021, 11, 1),
                    ends: day(2022, 12, 31),
                },
                Phase {
                    name: "实施创建".into(),
                    starts: day(2023, 1, 1),
                    ends: day(2024, 12, 31),
                },
            ],
            version: 1,
        }
    }

    // -- events ---------------------------------------------------------------------------

    fn measure_defined(&self) -> Event {
        Event::MeasureDefined(MeasureDefined {
            task_id: self.task,
            plan_id: self.plan,
            code: Some("三(二)5".into()),
            title: "配齐音乐教室".into(),
            description: None,
            phase: Some("实施创建".into()),
        })
    }

    fn detail(&self) -> RectificationDetail {
        RectificationDetail {
            source: RectificationSource::Supervision,
            finding: "音乐教室面积72㎡".into(),
            standard: Some("96㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some("实验小学".into()),
            severity: 2,
        }
    }

    fn rectification_raised(&self) -> Event {
        Event::RectificationRaised(RectificationRaised {
            task_id: self.task,
            plan_id: Some(self.plan),
            measure_id: None,
            detail: self.detail(),
        })
    }

    fn milestone_scheduled(&self, lead: Option<DepartmentId>) -> Event {
        Event::MilestoneScheduled(MilestoneScheduled {
            task_id: self.task,
            measure_id: self.measure,
            plan_id: Some(self.plan),
            title: "完成选址".into(),
            due: due(),
            lead,
            cooperating: if lead.is_some() {
                vec![self.coop]
            } else {
                vec![]
            },
        })
    }

    fn assigned(&self, due: NaiveDate) -> Event {
        Event::TaskAssigned(TaskAssigned {
            lead: self.lead,
            cooperating: vec![self.coop],
            due: Some(due),
        })
    }

    fn progressed(&self, percent: u8, when: DateTime<Utc>) -> Event {
        Event::ProgressReported(ProgressReported {
            department: Some(self.lead),
            percent,
            note: "已完成选址".into(),
            evidence: vec![],
            reported_at: Some(when),
        })
    }

    /// The history that puts a task of `kind` in `status` (due on [`due`], never overdue).
    fn history(&self, kind: TaskKind, status: S) -> Vec<Event> {
        let mut events = vec![match kind {
            TaskKind::Measure => self.measure_defined(),
            TaskKind::Rectification => self.rectification_raised(),
            TaskKind::Milestone => self.milestone_scheduled(None),
        }];
        if status == S::Defined {
            return events;
        }
        events.push(self.assigned(due()));
        if status == S::Cancelled {
            events.push(cancelled());
            return events;
        }
        if status == S::Assigned {
            return events;
        }
        events.push(self.progressed(40, before()));
        if status == S::InProgress {
            return events;
        }
        events.push(submitted());
        if status == S::PendingVerification {
            return events;
        }
        events.push(verified(Verdict::Accepted, None, false));
        events
    }

    fn measure_in(&self, status: S) -> Vec<Event> {
        self.history(TaskKind::Measure, status)
    }

    // -- commands -------------------------------------------------------------------------

    fn assign(&self, due: NaiveDate) -> TaskCommand {
        TaskCommand::Lifecycle(C::Assign {
            lead: dref(self.lead, "财政局"),
            cooperating: vec![dref(self.coop, "人社局")],
            due: Some(due),
        })
    }

    fn define_measure(&self) -> DefineMeasure {
        DefineMeasure {
            id: self.task,
            plan: self.plan(),
            code: Some(" 三(二)5 ".into()),
            title: " 配齐音乐教室 ".into(),
            description: Some("  ".into()),
            phase: Some("实施创建".into()),
        }
    }

    fn measure_task(&self, lead: Option<DepartmentId>, status: S) -> Task {
        let mut events = vec![Event::MeasureDefined(MeasureDefined {
            task_id: self.measure,
            ..match self.measure_defined() {
                Event::MeasureDefined(e) => e,
                _ => unreachable!(),
            }
        })];
        if let Some(lead) = lead {
            events.push(Event::TaskAssigned(TaskAssigned {
                lead,
                cooperating: vec![self.coop],
                due: Some(day(2025, 12, 31)),
            }));
        }
        if status == S::Cancelled {
            events.push(cancelled());
        }
        let task: Task = replay(&events).expect("a measure");
        assert_eq!(task.status, status);
        task
    }

    fn schedule_milestone(&self, measure: Task) -> ScheduleMilestone {
        ScheduleMilestone {
            id: self.task,
            measure,
            title: "完成选址".into(),
            due: due(),
        }
    }

    fn raise(&self) -> RaiseRectification {
        RaiseRectification {
            id: self.task,
            source: RectificationSource::Supervision,
            finding: "音乐教室面积72㎡".into(),
            standard: Some("96㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some("实验小学".into()),
            severity: None,
            plan_id: Some(self.plan),
            measure: None,
        }
    }
}

fn submitted() -> Event {
    Event::CompletionSubmitted(CompletionSubmitted {
        summary: "音乐教室已扩建至96㎡".into(),
        evidence: vec!["https://example.org/photo.jpg".into()],
    })
}

fn verified(verdict: Verdict, remarks: Option<&str>, late: bool) -> Event {
    Event::TaskVerified(TaskVerified {
        verdict,
        remarks: remarks.map(str::to_string),
        late,
    })
}

fn overdue_event(due: NaiveDate, detected_at: DateTime<Utc>) -> Event {
    Event::TaskOverdue(TaskOverdue { due, detected_at })
}

fn cancelled() -> Event {
    Event::TaskCancelled(Note {
        note: "并入其他任务".into(),
    })
}

fn lc(command: C) -> TaskCommand {
    TaskCommand::Lifecycle(command)
}

fn progress(percent: i64) -> TaskCommand {
    lc(C::ReportProgress {
        percent,
        note: "已完成选址".into(),
        evidence: vec![],
    })
}

fn submit() -> TaskCommand {
    lc(C::Submit {
        summary: "音乐教室已扩建至96㎡".into(),
        evidence: vec!["https://example.org/photo.jpg".into()],
    })
}

fn verify(verdict: Verdict) -> TaskCommand {
    lc(C::Verify {
        verdict,
        remarks: None,
    })
}

fn mark_overdue() -> TaskCommand {
    lc(C::MarkOverdue)
}

fn extend(due: NaiveDate) -> TaskCommand {
    lc(C::ExtendDeadline {
        due,
        reason: "资金到位推迟".into(),
    })
}

fn urge() -> TaskCommand {
    lc(C::Urge {
        note: "请加快进度".into(),
    })
}

fn escalate() -> TaskCommand {
    lc(C::Escalate {
        note: "列入挂牌督办".into(),
    })
}

fn cancel() -> TaskCommand {
    lc(C::Cancel {
        reason: "并入其他任务".into(),
    })
}

fn reopen() -> TaskCommand {
    lc(C::Reopen {
        reason: "复查发现面积不达标".into(),
    })
}

fn given(events: &[Event]) -> Given<Task> {
    Given::<Task>::events(events)
}

const ALL_STATES: [S; 6] = [
    S::Defined,
    S::Assigned,
    S::InProgress,
    S::PendingVerification,
    S::Closed,
    S::Cancelled,
];

// ---------------------------------------------------------------------------------------
// Creation: measures, milestones, rectification items
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// Who may do what: each role × each lifecycle command
// ---------------------------------------------------------------------------------------

/// One lifecycle command, a history in which it is allowed, a time, and who may issue it.
struct Case {
    name: &'static str,
    history: Vec<Event>,
    command: TaskCommand,
    now: DateTime<Utc>,
    allowed: &'static [Who],
}

fn cases(w: &W) -> Vec<Case> {
    let in_progress = w.measure_in(S::InProgress);
    vec![
        Case {
            name: "assign",
            history: w.measure_in(S::Defined),
            command: w.assign(due()),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "re-assign",
            history: in_progress.clone(),
            command: w.assign(day(2025, 9, 30)),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "report progress",
            history: in_progress.clone(),
            command: progress(60),
            now: before(),
            allowed: &[Who::Office, Who::Lead, Who::Coop],
        },
        Case {
            name: "submit",
            history: in_progress.clone(),
            command: submit(),
            now: before(),
            allowed: &[Who::Office, Who::Lead],
        },
        Case {
            name: "verify: accepted",
            history: w.measure_in(S::PendingVerification),
            command: verify(Verdict::Accepted),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "verify: rejected",
            history: w.measure_in(S::PendingVerification),
            command: verify(Verdict::Rejected),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "mark overdue",
            history: in_progress.clone(),
            command: mark_overdue(),
            now: after(),
            allowed: &[Who::System],
        },
        Case {
            name: "extend the deadline",
            history: in_progress.clone(),
            command: extend(day(2025, 12, 31)),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "urge",
            history: in_progress.clone(),
            command: urge(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "escalate",
            history: in_progress.clone(),
            command: escalate(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "cancel",
            history: in_progress,
            command: cancel(),
            now: before(),
            allowed: &[Who::Office],
        },
        Case {
            name: "reopen",
            history: w.history(TaskKind::Rectification, S::Closed),
            command: reopen(),
            now: before(),
            allowed: &[Who::Office],
        },
    ]
}

#[test]
fn each_role_may_issue_exactly_the_commands_domain_md_grants() {
    let w = w();
    for case in cases(&w) {
        for who in EVERYONE {
            let then = given(&case.history).when(case.command.clone(), &w.actor(who), case.now);
            if case.allowed.contains(&who) {
                let (events, _) = then.then_ok();
                assert_eq!(
                    events.len(),
                    1,
                    "{}: {who:?} should record one event",
                    case.name
                );
            } else {
                then.then_forbidden();
            }
        }
    }
}

#[test]
fn a_cooperating_department_may_report_but_not_submit() {
    let w = w();
    let history = w.measure_in(S::InProgress);
    let state: Option<Task> = replay(&history);
    let err = Task::decide(state.as_ref(), &submit(), &w.actor(Who::Coop), before());
    assert!(
        matches!(&err, Err(DomainError::Forbidden { reason }) if reason.contains("牵头单位")),
        "got {err:?}"
    );
    given(&history)
        .when(progress(50), &w.actor(Who::Coop), before())
        .then_events(&[Event::ProgressReported(ProgressReported {
            department: Some(w.coop),
            percent: 50,
            note: "已完成选址".into(),
            evidence: vec![],
            reported_at: Some(before()),
        })]);
}

#[test]
fn a_department_loses_its_rights_when_re_assigned_away() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(Event::TaskAssigned(TaskAssigned {
        lead: w.other,
        cooperating: vec![],
        due: Some(due()),
    }));
    for who in [Who::Lead, Who::Coop] {
        given(&history)
            .when(progress(70), &w.actor(who), before())
            .then_forbidden();
        given(&history)
            .when(submit(), &w.actor(who), before())
            .then_forbidden();
    }
    given(&history)
        .when(submit(), &w.actor(Who::Other), before())
        .then_events(&[submitted()]);
}

#[test]
fn a_department_may_not_act_on_an_unassigned_task() {
    let w = w();
    for who in [Who::Lead, Who::Coop, Who::Other] {
        given(&w.measure_in(S::Defined))
            .when(progress(10), &w.actor(who), before())
            .then_forbidden();
    }
}

// ---------------------------------------------------------------------------------------
// Not found
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// The transitions
// ---------------------------------------------------------------------------------------

#[test]
fn assign_moves_defined_to_assigned() {
    let w = w();
    for kind in [
        TaskKind::Measure,
        TaskKind::Rectification,
        TaskKind::Milestone,
    ] {
        let task = given(&w.history(kind, S::Defined))
            .when(w.assign(due()), &w.office(), before())
            .then_events(&[w.assigned(due())])
            .expect("a task");
        assert_eq!(task.status, S::Assigned, "{kind:?}");
        assert_eq!(task.lead, Some(w.lead));
        assert_eq!(task.cooperating, vec![w.coop]);
        assert_eq!(task.due, Some(due()));
    }
}

#[test]
fn assign_records_each_cooperating_department_once_in_order() {
    let w = w();
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: vec![
                    dref(w.coop, "人社局"),
                    dref(w.other, "卫健局"),
                    dref(w.coop, "人社局"),
                ],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_events(&[Event::TaskAssigned(TaskAssigned {
            lead: w.lead,
            cooperating: vec![w.coop, w.other],
            due: Some(due()),
        })]);
}

#[test]
fn re_assigning_an_open_task_is_recorded_and_keeps_its_state() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let reassigned = Event::TaskAssigned(TaskAssigned {
            lead: w.other,
            cooperating: vec![w.lead],
            due: Some(day(2025, 9, 30)),
        });
        let task = given(&w.measure_in(status))
            .when(
                lc(C::Assign {
                    lead: dref(w.other, "卫健局"),
                    cooperating: vec![dref(w.lead, "财政局")],
                    due: Some(day(2025, 9, 30)),
                }),
                &w.office(),
                before(),
            )
            .then_events(&[reassigned])
            .expect("a task");
        assert_eq!(task.status, status);
        assert_eq!(task.lead, Some(w.other));
        assert_eq!(task.cooperating, vec![w.lead]);
        assert_eq!(task.due, Some(day(2025, 9, 30)));
    }
}

#[test]
fn progress_moves_assigned_to_in_progress_and_stays_there() {
    let w = w();
    let task = given(&w.measure_in(S::Assigned))
        .when(progress(30), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(30, before())])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 30);
    assert_eq!(task.last_progress_at, Some(before()));

    let later = at("2025-06-25T09:00:00+08:00");
    let task = given(&w.measure_in(S::InProgress))
        .when(progress(90), &w.actor(Who::Lead), later)
        .then_events(&[w.progressed(90, later)])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 90);
    assert_eq!(task.last_progress_at, Some(later));
}

#[test]
fn progress_while_pending_verification_keeps_it_pending() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(progress(100), &w.actor(Who::Coop), before())
        .then_ok()
        .1
        .expect("a task");
    assert_eq!(task.status, S::PendingVerification);
    assert_eq!(task.progress, 100);
}

#[test]
fn one_hundred_percent_closes_nothing() {
    let w = w();
    let task = given(&w.measure_in(S::Assigned))
        .when(progress(100), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(100, before())])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert_eq!(task.progress, 100);
}

#[test]
fn progress_may_also_go_down_and_be_zero() {
    let w = w();
    let task = given(&w.measure_in(S::InProgress))
        .when(progress(0), &w.actor(Who::Lead), before())
        .then_events(&[w.progressed(0, before())])
        .expect("a task");
    assert_eq!(task.progress, 0);
}

#[test]
fn the_office_reports_progress_without_a_department() {
    let w = w();
    given(&w.measure_in(S::InProgress))
        .when(
            lc(C::ReportProgress {
                percent: 55,
                note: "  ".into(),
                evidence: vec![" https://example.org/a ".into()],
            }),
            &w.office(),
            before(),
        )
        .then_events(&[Event::ProgressReported(ProgressReported {
            department: None,
            percent: 55,
            note: String::new(),
            evidence: vec!["https://example.org/a".into()],
            reported_at: Some(before()),
        })]);
}

#[test]
fn submit_moves_assigned_or_in_progress_to_pending_verification() {
    let w = w();
    for status in [S::Assigned, S::InProgress] {
        for who in [Who::Lead, Who::Office] {
            let task = given(&w.measure_in(status))
                .when(submit(), &w.actor(who), before())
                .then_events(&[submitted()])
                .expect("a task");
            assert_eq!(task.status, S::PendingVerification);
        }
    }
}

#[test]
fn accepted_verification_closes_on_time() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Accepted,
                remarks: Some(" 材料齐全 ".into()),
            }),
            &w.office(),
            before(),
        )
        .then_events(&[verified(Verdict::Accepted, Some("材料齐全"), false)])
        .expect("a task");
    assert_eq!(task.status, S::Closed);
    assert!(!task.closed_late);
    assert!(!task.overdue());
}

#[test]
fn rejected_verification_returns_to_in_progress() {
    let w = w();
    let task = given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Rejected,
                remarks: Some("缺少验收照片".into()),
            }),
            &w.office(),
            after(),
        )
        .then_events(&[verified(Verdict::Rejected, Some("缺少验收照片"), false)])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert!(!task.closed_late);
}

#[test]
fn urging_is_a_reminder_on_record() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let before_state: Task = replay(&w.measure_in(status)).expect("a task");
        let task = given(&w.measure_in(status))
            .when(urge(), &w.office(), before())
            .then_events(&[Event::TaskUrged(Note {
                note: "请加快进度".into(),
            })])
            .expect("a task");
        assert_eq!(
            Task {
                version: before_state.version,
                ..task.clone()
            },
            before_state
        );
        assert_eq!(task.version, before_state.version + 1);
    }
}

#[test]
fn escalating_lists_the_task() {
    let w = w();
    for status in [S::Assigned, S::InProgress, S::PendingVerification] {
        let task = given(&w.measure_in(status))
            .when(escalate(), &w.office(), before())
            .then_events(&[Event::TaskEscalated(Note {
                note: "列入挂牌督办".into(),
            })])
            .expect("a task");
        assert!(task.escalated);
        assert_eq!(task.status, status);
    }
}

#[test]
fn cancel_from_every_open_state() {
    let w = w();
    for kind in [
        TaskKind::Measure,
        TaskKind::Milestone,
        TaskKind::Rectification,
    ] {
        for status in [
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::PendingVerification,
        ] {
            let task = given(&w.history(kind, status))
                .when(cancel(), &w.office(), before())
                .then_events(&[cancelled()])
                .expect("a task");
            assert_eq!(task.status, S::Cancelled, "{kind:?} from {status:?}");
        }
    }
}

#[test]
fn reopen_a_closed_rectification_item() {
    let w = w();
    let task = given(&w.history(TaskKind::Rectification, S::Closed))
        .when(reopen(), &w.office(), after())
        .then_events(&[Event::RectificationReopened(Note {
            note: "复查发现面积不达标".into(),
        })])
        .expect("a task");
    assert_eq!(task.status, S::InProgress);
    assert!(!task.closed_late);
    // And it can go round again.
    let mut history = w.history(TaskKind::Rectification, S::Closed);
    history.push(Event::RectificationReopened(Note { note: "x".into() }));
    let task = given(&history)
        .when(submit(), &w.actor(Who::Lead), after())
        .then_events(&[submitted()])
        .expect("a task");
    assert_eq!(task.status, S::PendingVerification);
}

#[test]
fn only_rectification_items_are_reopened() {
    let w = w();
    for kind in [TaskKind::Measure, TaskKind::Milestone] {
        given(&w.history(kind, S::Closed))
            .when(reopen(), &w.office(), before())
            .then_invalid("taskId");
    }
}

// ---------------------------------------------------------------------------------------
// Deadlines: extension
// ---------------------------------------------------------------------------------------

#[test]
fn extending_records_the_old_and_the_new_date_and_clears_overdue() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    let overdue_task: Task = replay(&history).expect("a task");
    assert!(overdue_task.overdue());

    let task = given(&history)
        .when(extend(day(2025, 9, 30)), &w.office(), after())
        .then_events(&[Event::DeadlineExtended(DeadlineExtended {
            previous_due: Some(due()),
            due: day(2025, 9, 30),
            reason: "资金到位推迟".into(),
        })])
        .expect("a task");
    assert_eq!(task.due, Some(day(2025, 9, 30)));
    assert!(!task.overdue());
    assert!(task.went_overdue, "history keeps that it went overdue");
    assert_eq!(task.overdue_for, Some(due()));
}

#[test]
fn extension_may_land_on_today() {
    let w = w();
    // 2025-07-05 10:00 in Shanghai: today is 2025-07-05.
    given(&w.measure_in(S::Assigned))
        .when(extend(day(2025, 7, 5)), &w.office(), after())
        .then_ok();
}

#[test]
fn extension_must_be_later_than_the_current_deadline() {
    let w = w();
    for not_later in [due(), day(2025, 6, 29), day(2024, 1, 1)] {
        given(&w.measure_in(S::InProgress))
            .when(
                extend(not_later),
                &w.office(),
                at("2025-06-01T10:00:00+08:00"),
            )
            .then_invalid("due");
    }
}

#[test]
fn extension_must_not_already_be_past() {
    let w = w();
    // Later than the current deadline, but 2025-07-04 is yesterday in Shanghai.
    given(&w.measure_in(S::InProgress))
        .when(extend(day(2025, 7, 4)), &w.office(), after())
        .then_invalid("due");
    // 2025-07-04T16:30Z is already 2025-07-05 00:30 in Shanghai: 07-04 has passed there
    // although it is still 07-04 in UTC.
    given(&w.measure_in(S::InProgress))
        .when(
            extend(day(2025, 7, 4)),
            &w.office(),
            at("2025-07-04T16:30:00Z"),
        )
        .then_invalid("due");
    given(&w.measure_in(S::InProgress))
        .when(
            extend(day(2025, 7, 4)),
            &w.office(),
            at("2025-07-04T15:59:59Z"),
        )
        .then_ok();
}

#[test]
fn extension_needs_a_reason() {
    let w = w();
    for reason in ["", "   ", &"因".repeat(2001)] {
        given(&w.measure_in(S::InProgress))
            .when(
                lc(C::ExtendDeadline {
                    due: day(2025, 12, 31),
                    reason: reason.to_string(),
                }),
                &w.office(),
                before(),
            )
            .then_invalid("reason");
    }
}

// ---------------------------------------------------------------------------------------
// Invalid input per field
// ---------------------------------------------------------------------------------------

#[test]
fn percent_must_be_zero_to_one_hundred() {
    let w = w();
    for bad in [-1, 101, 255, 256, -256, i64::MAX, i64::MIN] {
        given(&w.measure_in(S::InProgress))
            .when(progress(bad), &w.actor(Who::Lead), before())
            .then_invalid("percent");
    }
}

#[test]
fn notes_and_links_are_bounded() {
    let w = w();
    given(&w.measure_in(S::InProgress))
        .when(
            lc(C::ReportProgress {
                percent: 10,
                note: "字".repeat(5001),
                evidence: vec![],
            }),
            &w.actor(Who::Lead),
            before(),
        )
        .then_invalid("note");
    given(&w.measure_in(S::InProgress))
        .when(
            lc(C::ReportProgress {
                percent: 10,
                note: "字".repeat(5000),
                evidence: vec![],
            }),
            &w.actor(Who::Lead),
            before(),
        )
        .then_ok();
    for evidence in [
        vec![" ".to_string()],
        vec!["https://example.org/a".to_string(), String::new()],
        vec!["u".to_string(); 51],
        vec!["u".repeat(2001)],
    ] {
        given(&w.measure_in(S::InProgress))
            .when(
                lc(C::ReportProgress {
                    percent: 10,
                    note: "n".into(),
                    evidence: evidence.clone(),
                }),
                &w.actor(Who::Lead),
                before(),
            )
            .then_invalid("evidence");
        given(&w.measure_in(S::InProgress))
            .when(
                lc(C::Submit {
                    summary: "done".into(),
                    evidence,
                }),
                &w.actor(Who::Lead),
                before(),
            )
            .then_invalid("evidence");
    }
}

#[test]
fn a_submission_needs_a_summary() {
    let w = w();
    for summary in ["", " \n ", &"总".repeat(5001)] {
        given(&w.measure_in(S::InProgress))
            .when(
                lc(C::Submit {
                    summary: summary.to_string(),
                    evidence: vec![],
                }),
                &w.actor(Who::Lead),
                before(),
            )
            .then_invalid("summary");
    }
}

#[test]
fn remarks_are_optional_but_bounded() {
    let w = w();
    given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Rejected,
                remarks: Some("备".repeat(5001)),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("remarks");
    given(&w.measure_in(S::PendingVerification))
        .when(
            lc(C::Verify {
                verdict: Verdict::Rejected,
                remarks: Some("   ".into()),
            }),
            &w.office(),
            before(),
        )
        .then_events(&[verified(Verdict::Rejected, None, false)]);
}

#[test]
fn urge_escalate_cancel_and_reopen_need_their_text() {
    let w = w();
    let in_progress = w.measure_in(S::InProgress);
    for empty in ["", "  \t"] {
        given(&in_progress)
            .when(lc(C::Urge { note: empty.into() }), &w.office(), before())
            .then_invalid("note");
        given(&in_progress)
            .when(
                lc(C::Escalate { note: empty.into() }),
                &w.office(),
                before(),
            )
            .then_invalid("note");
        given(&in_progress)
            .when(
                lc(C::Cancel {
                    reason: empty.into(),
                }),
                &w.office(),
                before(),
            )
            .then_invalid("reason");
        given(&w.history(TaskKind::Rectification, S::Closed))
            .when(
                lc(C::Reopen {
                    reason: empty.into(),
                }),
                &w.office(),
                before(),
            )
            .then_invalid("reason");
    }
    given(&in_progress)
        .when(
            lc(C::Urge {
                note: "催".repeat(5001),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("note");
    given(&in_progress)
        .when(
            lc(C::Cancel {
                reason: "因".repeat(2001),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("reason");
}

#[test]
fn a_retired_department_cannot_be_assigned() {
    let w = w();
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: retired(w.lead, "原教委"),
                cooperating: vec![],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("leadId");
    given(&w.measure_in(S::InProgress))
        .when(
            lc(C::Assign {
                lead: retired(w.other, "原教委"),
                cooperating: vec![dref(w.coop, "人社局")],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("leadId");
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: vec![dref(w.coop, "人社局"), retired(w.other, "原教委")],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("cooperatingIds");
}

#[test]
fn the_lead_cannot_also_be_cooperating() {
    let w = w();
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: vec![dref(w.coop, "人社局"), dref(w.lead, "财政局")],
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("cooperatingIds");
}

#[test]
fn at_most_one_hundred_cooperating_departments() {
    let w = w();
    let many = |n: usize| -> Vec<DepartmentRef> {
        (0..n).map(|_| dref(DepartmentId::new(), "街道")).collect()
    };
    given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: many(101),
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_invalid("cooperatingIds");
    let task = given(&w.measure_in(S::Defined))
        .when(
            lc(C::Assign {
                lead: dref(w.lead, "财政局"),
                cooperating: many(100),
                due: Some(due()),
            }),
            &w.office(),
            before(),
        )
        .then_ok()
        .1
        .expect("a task");
    assert_eq!(task.cooperating.len(), 100);
}

// ---------------------------------------------------------------------------------------
// Invalid transitions from each state that forbids a command
// ---------------------------------------------------------------------------------------

/// The states from which docs/domain.md (and, where it is silent, the code) forbids a command.
fn forbidden_from(name: &str) -> &'static [S] {
    match name {
        "assign" | "re-assign" | "cancel" => &[S::Closed, S::Cancelled],
        // docs/domain.md: "not on CLOSED or CANCELLED"; the code also refuses DEFINED, which
        // has no lead or cooperating department to report.
        "report progress" => &[S::Defined, S::Closed, S::Cancelled],
        "submit" => &[S::Defined, S::PendingVerification, S::Closed, S::Cancelled],
        "verify: accepted" | "verify: rejected" => &[
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::Closed,
            S::Cancelled,
        ],
        "extend the deadline" | "urge" | "escalate" => &[S::Defined, S::Closed, S::Cancelled],
        "reopen" => &[
            S::Defined,
            S::Assigned,
            S::InProgress,
            S::PendingVerification,
            S::Cancelled,
        ],
        // The clock is never refused; it records nothing instead (see below).
        "mark overdue" => &[],
        other => panic!("no such case {other}"),
    }
}

#[test]
fn every_command_is_refused_from_the_states_that_forbid_it() {
    let w = w();
    for case in cases(&w) {
        let who = case.allowed[0];
        let kind = if case.name == "reopen" {
            TaskKind::Rectification
        } else {
            TaskKind::Measure
        };
        for &status in forbidden_from(case.name) {
            let err = DomainError::InvalidTransition {
                from: status.as_str().into(),
                action: match &case.command {
                    TaskCommand::Lifecycle(c) => c.action(),
                    _ => unreachable!(),
                },
            };
            given(&w.history(kind, status))
                .when(case.command.clone(), &w.actor(who), case.now)
                .then_error(err);
        }
        // … and accepted from every other state, for the office (or the clock).
        for status in ALL_STATES {
            if forbidden_from(case.name).contains(&status) || case.name == "mark overdue" {
                continue;
            }
            given(&w.history(kind, status))
                .when(case.command.clone(), &w.actor(who), case.now)
                .then_ok();
        }
    }
}

#[test]
fn extending_a_defined_milestone_is_refused_although_it_has_a_date() {
    let w = w();
    given(&w.history(TaskKind::Milestone, S::Defined))
        .when(extend(day(2025, 12, 31)), &w.office(), before())
        .then_invalid_transition("DEFINED");
}

#[test]
fn a_department_reporting_on_a_finished_task_is_told_the_state() {
    let w = w();
    for status in [S::Closed, S::Cancelled] {
        given(&w.measure_in(status))
            .when(progress(100), &w.actor(Who::Lead), after())
            .then_invalid_transition(status.as_str());
    }
}

// ---------------------------------------------------------------------------------------
// The overdue clock
// ---------------------------------------------------------------------------------------

#[test]
fn overdue_starts_exactly_at_midnight_shanghai_after_the_due_date() {
    let w = w();
    let midnight = at("2025-07-01T00:00:00+08:00");
    assert_eq!(midnight, at("2025-06-30T16:00:00Z"));
    for status in [S::Assigned, S::InProgress] {
        for not_yet in [
            at("2025-06-30T23:59:59+08:00"),
            at("2025-06-30T15:59:59.999Z"),
            at("2025-06-30T00:00:00Z"),
            before(),
        ] {
            given(&w.measure_in(status))
                .when(mark_overdue(), &Actor::system(), not_yet)
                .then_events(&[]);
        }
        let task = given(&w.measure_in(status))
            .when(mark_overdue(), &Actor::system(), midnight)
            .then_events(&[overdue_event(due(), midnight)])
            .expect("a task");
        assert!(task.overdue());
        assert!(task.went_overdue);
        assert_eq!(task.overdue_for, Some(due()));
        assert_eq!(task.status, status, "going overdue changes no state");
    }
}

#[test]
fn overdue_is_recorded_once_per_task_and_due_date() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    for later in [after(), at("2026-01-01T00:00:00+08:00")] {
        given(&history)
            .when(mark_overdue(), &Actor::system(), later)
            .then_events(&[]);
    }
    // Progress reported afterwards does not re-arm it.
    history.push(w.progressed(80, after()));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[]);
    // Re-assigning with the same due date does not either.
    history.push(w.assigned(due()));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[]);
}

#[test]
fn ongoing_work_assigned_without_a_due_date_never_goes_overdue() {
    let w = w();
    let mut history = w.measure_in(S::Defined);
    history.push(Event::TaskAssigned(TaskAssigned {
        lead: w.lead,
        cooperating: vec![],
        due: None,
    }));
    for later in [after(), at("2030-01-01T00:00:00+08:00")] {
        let task = given(&history)
            .when(mark_overdue(), &Actor::system(), later)
            .then_events(&[])
            .expect("a task");
        assert_eq!((task.status, task.due), (S::Assigned, None));
        assert!(!task.overdue());
    }
}

#[test]
fn a_new_due_date_can_go_overdue_again() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    history.push(Event::DeadlineExtended(DeadlineExtended {
        previous_due: Some(due()),
        due: day(2025, 7, 31),
        reason: "r".into(),
    }));
    given(&history)
        .when(
            mark_overdue(),
            &Actor::system(),
            at("2025-07-31T23:59:59+08:00"),
        )
        .then_events(&[]);
    let at_midnight = at("2025-08-01T00:00:00+08:00");
    let task = given(&history)
        .when(mark_overdue(), &Actor::system(), at_midnight)
        .then_events(&[overdue_event(day(2025, 7, 31), at_midnight)])
        .expect("a task");
    assert!(task.overdue());

    // Re-assignment to another date also re-arms the clock.
    let mut history = w.measure_in(S::Assigned);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    history.push(w.assigned(day(2025, 7, 2)));
    let reassigned: Task = replay(&history).expect("a task");
    assert!(!reassigned.overdue());
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(day(2025, 7, 2), after())]);
}

#[test]
fn overdue_is_not_recorded_outside_assigned_and_in_progress() {
    let w = w();
    let mut histories = vec![
        // No due date at all.
        w.measure_in(S::Defined),
        // A date, but not assigned.
        w.history(TaskKind::Milestone, S::Defined),
        w.measure_in(S::PendingVerification),
        w.measure_in(S::Closed),
        w.measure_in(S::Cancelled),
    ];
    histories.push(w.history(TaskKind::Rectification, S::Closed));
    for history in histories {
        given(&history)
            .when(mark_overdue(), &Actor::system(), after())
            .then_events(&[]);
    }
}

#[test]
fn a_task_submitted_before_its_deadline_does_not_go_overdue_while_waiting() {
    let w = w();
    let pending: Task = replay(&w.measure_in(S::PendingVerification)).expect("a task");
    assert!(!pending.overdue());
    // Rejected after the deadline: running again, and now the clock records it.
    let mut history = w.measure_in(S::PendingVerification);
    history.push(verified(Verdict::Rejected, None, false));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(due(), after())]);
}

#[test]
fn a_reopened_rectification_item_past_its_date_goes_overdue() {
    let w = w();
    let mut history = w.history(TaskKind::Rectification, S::Closed);
    history.push(Event::RectificationReopened(Note { note: "r".into() }));
    given(&history)
        .when(mark_overdue(), &Actor::system(), after())
        .then_events(&[overdue_event(due(), after())]);
}

#[test]
fn overdue_stays_visible_while_pending_verification() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    let task: Task = replay(&history).expect("a task");
    assert_eq!(task.status, S::PendingVerification);
    assert!(task.overdue());
    history.push(verified(Verdict::Accepted, None, true));
    let task: Task = replay(&history).expect("a task");
    assert!(!task.overdue(), "a closed task is not overdue");
    assert!(task.closed_late);
}

// ---------------------------------------------------------------------------------------
// Closed late (逾期办结) vs on time
// ---------------------------------------------------------------------------------------

#[test]
fn closing_a_task_that_went_overdue_is_closed_late() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), at("2025-07-01T00:00:00+08:00")));
    // Even with the deadline since moved into the future and the work done before it.
    history.push(Event::DeadlineExtended(DeadlineExtended {
        previous_due: Some(due()),
        due: day(2025, 12, 31),
        reason: "r".into(),
    }));
    history.push(submitted());
    let task = given(&history)
        .when(verify(Verdict::Accepted), &w.office(), after())
        .then_events(&[verified(Verdict::Accepted, None, true)])
        .expect("a task");
    assert_eq!(task.status, S::Closed);
    assert!(task.closed_late);
}

#[test]
fn closing_before_the_deadline_is_on_time() {
    let w = w();
    let last_second = at("2025-06-30T23:59:59+08:00");
    let task = given(&w.measure_in(S::PendingVerification))
        .when(verify(Verdict::Accepted), &w.office(), last_second)
        .then_events(&[verified(Verdict::Accepted, None, false)])
        .expect("a task");
    assert!(!task.closed_late);
}

#[test]
fn closing_after_the_deadline_is_late_even_if_the_clock_had_not_run() {
    // The code's reading of 逾期办结: closed (verified) after the due date has passed,
    // whether or not the clock recorded TaskOverdue in between.
    let w = w();
    given(&w.measure_in(S::PendingVerification))
        .when(
            verify(Verdict::Accepted),
            &w.office(),
            at("2025-07-01T00:00:00+08:00"),
        )
        .then_events(&[verified(Verdict::Accepted, None, true)]);
}

#[test]
fn a_rejection_is_never_late() {
    let w = w();
    let mut history = w.measure_in(S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    given(&history)
        .when(verify(Verdict::Rejected), &w.office(), after())
        .then_events(&[verified(Verdict::Rejected, None, false)]);
}

#[test]
fn reopening_clears_closed_late_until_the_next_close() {
    let w = w();
    let mut history = w.history(TaskKind::Rectification, S::InProgress);
    history.push(overdue_event(due(), after()));
    history.push(submitted());
    history.push(verified(Verdict::Accepted, None, true));
    let closed: Task = replay(&history).expect("a task");
    assert!(closed.closed_late);
    history.push(Event::RectificationReopened(Note { note: "r".into() }));
    let reopened: Task = replay(&history).expect("a task");
    assert!(!reopened.closed_late);
    assert!(reopened.went_overdue);
    history.push(submitted());
    // It went overdue once: closing it again is still late.
    given(&history)
        .when(verify(Verdict::Accepted), &w.office(), after())
        .then_events(&[verified(Verdict::Accepted, None, true)]);
}

// ---------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------

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
