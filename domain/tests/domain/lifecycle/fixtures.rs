//! The fixtures of the lifecycle tests: instants around the one due date, a
//! scenario's ids and who acts in it, its events and its commands.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::aggregate::replay;
use duban_domain::department::DepartmentRef;
use duban_domain::event::{
    CompletionSubmitted, MeasureDefined, MilestoneScheduled, Note, ProgressReported,
    RectificationRaised, TaskAssigned, TaskOverdue, TaskVerified,
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
use duban_domain::{Actor, Event, Role};

pub(super) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid RFC 3339 instant")
        .with_timezone(&Utc)
}

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// The due date used throughout: overdue from 2025-07-01 00:00 Asia/Shanghai.
pub(super) fn due() -> NaiveDate {
    day(2025, 6, 30)
}

/// Well before the due date.
pub(super) fn before() -> DateTime<Utc> {
    at("2025-06-20T10:00:00+08:00")
}

/// Well after the due date.
pub(super) fn after() -> DateTime<Utc> {
    at("2025-07-05T10:00:00+08:00")
}

/// The ids of one scenario: a plan, a task, a measure (for milestones), departments.
pub(super) struct W {
    pub(super) plan: PlanId,
    pub(super) task: TaskId,
    pub(super) measure: TaskId,
    pub(super) lead: DepartmentId,
    pub(super) coop: DepartmentId,
    pub(super) other: DepartmentId,
}

pub(super) fn w() -> W {
    W {
        plan: PlanId::new(),
        task: TaskId::new(),
        measure: TaskId::new(),
        lead: DepartmentId::new(),
        coop: DepartmentId::new(),
        other: DepartmentId::new(),
    }
}

pub(super) fn dref(id: DepartmentId, name: &str) -> DepartmentRef {
    DepartmentRef {
        id,
        name: name.into(),
        retired: false,
    }
}

pub(super) fn retired(id: DepartmentId, name: &str) -> DepartmentRef {
    DepartmentRef {
        retired: true,
        ..dref(id, name)
    }
}

/// Who acts, relative to the scenario's task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    Office,
    Lead,
    Coop,
    Other,
    Auditor,
    System,
    /// A DEPARTMENT token that names no department.
    Nameless,
}

pub(super) const EVERYONE: [Who; 7] = [
    Who::Office,
    Who::Lead,
    Who::Coop,
    Who::Other,
    Who::Auditor,
    Who::System,
    Who::Nameless,
];

impl W {
    pub(super) fn actor(&self, who: Who) -> Actor {
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

    pub(super) fn office(&self) -> Actor {
        self.actor(Who::Office)
    }

    pub(super) fn plan(&self) -> Plan {
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

    pub(super) fn measure_defined(&self) -> Event {
        Event::MeasureDefined(MeasureDefined {
            task_id: self.task,
            plan_id: self.plan,
            code: Some("三(二)5".into()),
            title: "配齐音乐教室".into(),
            description: None,
            phase: Some("实施创建".into()),
        })
    }

    pub(super) fn detail(&self) -> RectificationDetail {
        RectificationDetail {
            source: RectificationSource::Supervision,
            finding: "音乐教室面积72㎡".into(),
            standard: Some("96㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some("实验小学".into()),
            severity: 2,
        }
    }

    pub(super) fn rectification_raised(&self) -> Event {
        Event::RectificationRaised(RectificationRaised {
            task_id: self.task,
            plan_id: Some(self.plan),
            measure_id: None,
            detail: self.detail(),
        })
    }

    pub(super) fn milestone_scheduled(&self, lead: Option<DepartmentId>) -> Event {
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

    pub(super) fn assigned(&self, due: NaiveDate) -> Event {
        Event::TaskAssigned(TaskAssigned {
            lead: self.lead,
            cooperating: vec![self.coop],
            due: Some(due),
        })
    }

    pub(super) fn progressed(&self, percent: u8, when: DateTime<Utc>) -> Event {
        Event::ProgressReported(ProgressReported {
            department: Some(self.lead),
            percent,
            note: "已完成选址".into(),
            evidence: vec![],
            reported_at: Some(when),
        })
    }

    /// The history that puts a task of `kind` in `status` (due on [`due`], never overdue).
    pub(super) fn history(&self, kind: TaskKind, status: S) -> Vec<Event> {
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

    pub(super) fn measure_in(&self, status: S) -> Vec<Event> {
        self.history(TaskKind::Measure, status)
    }

    // -- commands -------------------------------------------------------------------------

    pub(super) fn assign(&self, due: NaiveDate) -> TaskCommand {
        TaskCommand::Lifecycle(C::Assign {
            lead: dref(self.lead, "财政局"),
            cooperating: vec![dref(self.coop, "人社局")],
            due: Some(due),
        })
    }

    pub(super) fn define_measure(&self) -> DefineMeasure {
        DefineMeasure {
            id: self.task,
            plan: self.plan(),
            code: Some(" 三(二)5 ".into()),
            title: " 配齐音乐教室 ".into(),
            description: Some("  ".into()),
            phase: Some("实施创建".into()),
        }
    }

    pub(super) fn measure_task(&self, lead: Option<DepartmentId>, status: S) -> Task {
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

    pub(super) fn schedule_milestone(&self, measure: Task) -> ScheduleMilestone {
        ScheduleMilestone {
            id: self.task,
            measure,
            title: "完成选址".into(),
            due: due(),
        }
    }

    pub(super) fn raise(&self) -> RaiseRectification {
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

pub(super) fn submitted() -> Event {
    Event::CompletionSubmitted(CompletionSubmitted {
        summary: "音乐教室已扩建至96㎡".into(),
        evidence: vec!["https://example.org/photo.jpg".into()],
    })
}

pub(super) fn verified(verdict: Verdict, remarks: Option<&str>, late: bool) -> Event {
    Event::TaskVerified(TaskVerified {
        verdict,
        remarks: remarks.map(str::to_string),
        late,
    })
}

pub(super) fn overdue_event(due: NaiveDate, detected_at: DateTime<Utc>) -> Event {
    Event::TaskOverdue(TaskOverdue { due, detected_at })
}

pub(super) fn cancelled() -> Event {
    Event::TaskCancelled(Note {
        note: "并入其他任务".into(),
    })
}

pub(super) fn lc(command: C) -> TaskCommand {
    TaskCommand::Lifecycle(command)
}

pub(super) fn progress(percent: i64) -> TaskCommand {
    lc(C::ReportProgress {
        percent,
        note: "已完成选址".into(),
        evidence: vec![],
    })
}

pub(super) fn submit() -> TaskCommand {
    lc(C::Submit {
        summary: "音乐教室已扩建至96㎡".into(),
        evidence: vec!["https://example.org/photo.jpg".into()],
    })
}

pub(super) fn verify(verdict: Verdict) -> TaskCommand {
    lc(C::Verify {
        verdict,
        remarks: None,
    })
}

pub(super) fn mark_overdue() -> TaskCommand {
    lc(C::MarkOverdue)
}

pub(super) fn extend(due: NaiveDate) -> TaskCommand {
    lc(C::ExtendDeadline {
        due,
        reason: "资金到位推迟".into(),
    })
}

pub(super) fn urge() -> TaskCommand {
    lc(C::Urge {
        note: "请加快进度".into(),
    })
}

pub(super) fn escalate() -> TaskCommand {
    lc(C::Escalate {
        note: "列入挂牌督办".into(),
    })
}

pub(super) fn cancel() -> TaskCommand {
    lc(C::Cancel {
        reason: "并入其他任务".into(),
    })
}

pub(super) fn reopen() -> TaskCommand {
    lc(C::Reopen {
        reason: "复查发现面积不达标".into(),
    })
}

pub(super) fn given(events: &[Event]) -> Given<Task> {
    Given::<Task>::events(events)
}

pub(super) const ALL_STATES: [S; 6] = [
    S::Defined,
    S::Assigned,
    S::InProgress,
    S::PendingVerification,
    S::Closed,
    S::Cancelled,
];
