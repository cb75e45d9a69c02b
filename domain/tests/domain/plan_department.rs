//! Given/when/then for the Plan and Department aggregates: who may draft, register and
//! retire; input rules; conflicts; and how a retired department reaches task assignment.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::aggregate::{Aggregate, replay, version_of};
use duban_domain::department::{Department, DepartmentCommand, DepartmentKind, DepartmentRef};
use duban_domain::event::{
    DepartmentRegistered, DepartmentRetired, MeasureDefined, PlanDrafted, TaskAssigned,
};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::{Phase, Plan, PlanCommand};
use duban_domain::task::{LifecycleCommand, Task, TaskCommand};
use duban_domain::testkit::Given;
use duban_domain::{Actor, DomainError, Event, Role};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-03-01T09:00:00+08:00")
        .expect("a valid instant")
        .with_timezone(&Utc)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn office() -> Actor {
    Actor::office("办公室")
}

fn not_office() -> Vec<Actor> {
    vec![
        Actor::department("财政局", DepartmentId::new()),
        Actor::auditor("审计"),
        Actor::system(),
        Actor {
            name: "无名".into(),
            role: Role::Department,
            department: None,
        },
    ]
}

fn phases() -> Vec<Phase> {
    vec![
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
        Phase {
            name: "整改提升".into(),
            starts: day(2025, 1, 1),
            ends: day(2025, 6, 30),
        },
        Phase {
            name: "达标验收".into(),
            starts: day(2025, 7, 1),
            ends: day(2025, 12, 31),
        },
    ]
}

struct Draft {
    id: PlanId,
    title: String,
    region: String,
    issuer: Option<String>,
    period_start: NaiveDate,
    period_end: NaiveDate,
    phases: Vec<Phase>,
}

impl Draft {
    fn new(id: PlanId) -> Self {
        Self {
            id,
            title: " 鲤城区创建全国义务教育优质均衡发展区实施方案 ".into(),
            region: "鲤城区".into(),
            issuer: Some("鲤城区人民政府办公室".into()),
            period_start: day(2021, 11, 1),
            period_end: day(2025, 12, 31),
            phases: phases(),
        }
    }

    fn command(self) -> PlanCommand {
        PlanCommand::Draft {
            id: self.id,
            title: self.title,
            region: self.region,
            issuer: self.issuer,
            period_start: self.period_start,
            period_end: self.period_end,
            phases: self.phases,
        }
    }
}

fn drafted(id: PlanId) -> Event {
    Event::PlanDrafted(PlanDrafted {
        plan_id: id,
        title: "鲤城区创建全国义务教育优质均衡发展区实施方案".into(),
        region: "鲤城区".into(),
        issuer: Some("鲤城区人民政府办公室".into()),
        period_start: day(2021, 11, 1),
        period_end: day(2025, 12, 31),
        phases: phases(),
    })
}

// ---------------------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------------------

#[test]
fn the_office_drafts_a_plan() {
    let id = PlanId::new();
    let plan = Given::<Plan>::no_events()
        .when(Draft::new(id).command(), &office(), now())
        .then_events(&[drafted(id)])
        .expect("a plan");
    assert_eq!(plan.id, id);
    assert_eq!(plan.title, "鲤城区创建全国义务教育优质均衡发展区实施方案");
    assert_eq!(plan.phases.len(), 4);
    assert_eq!(plan.version, 1);
    assert_eq!(Plan::STREAM_TYPE, "plan");
    assert_eq!(id.stream(), format!("plan-{id}"));
}

#[test]
fn only_the_office_drafts_plans() {
    for actor in not_office() {
        Given::<Plan>::no_events()
            .when(Draft::new(PlanId::new()).command(), &actor, now())
            .then_forbidden();
    }
}

#[test]
fn a_plan_is_drafted_once() {
    let id = PlanId::new();
    Given::<Plan>::events(&[drafted(id)])
        .when(Draft::new(id).command(), &office(), now())
        .then_error(DomainError::VersionConflict {
            expected: 0,
            actual: 1,
        });
}

#[test]
fn a_plan_needs_a_title_and_a_region() {
    for title in ["", "   ", &"题".repeat(501)] {
        let mut draft = Draft::new(PlanId::new());
        draft.title = title.to_string();
        Given::<Plan>::no_events()
            .when(draft.command(), &office(), now())
            .then_invalid("title");
    }
    for region in ["", "\t", &"区".repeat(101)] {
        let mut draft = Draft::new(PlanId::new());
        draft.region = region.to_string();
        Given::<Plan>::no_events()
            .when(draft.command(), &office(), now())
            .then_invalid("region");
    }
}

#[test]
fn the_issuer_is_optional_and_bounded() {
    let mut draft = Draft::new(PlanId::new());
    draft.issuer = Some("  ".into());
    let plan = Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_ok()
        .1
        .expect("a plan");
    assert_eq!(plan.issuer, None);
    let mut draft = Draft::new(PlanId::new());
    draft.issuer = Some("府".repeat(201));
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_invalid("issuer");
}

#[test]
fn the_period_must_not_end_before_it_starts() {
    let mut draft = Draft::new(PlanId::new());
    draft.period_end = day(2021, 10, 31);
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_invalid("periodEnd");
    // A single day is a period.
    let mut draft = Draft::new(PlanId::new());
    draft.period_end = draft.period_start;
    draft.phases = vec![];
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_ok();
}

#[test]
fn phases_are_named_and_ordered_in_time() {
    let mut draft = Draft::new(PlanId::new());
    draft.phases[1].name = " ".into();
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_invalid("phases.name");
    let mut draft = Draft::new(PlanId::new());
    draft.phases[2].ends = day(2024, 12, 31);
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_invalid("phases.ends");
    let mut draft = Draft::new(PlanId::new());
    draft.phases = (0..51)
        .map(|i| Phase {
            name: format!("阶段{i}"),
            starts: day(2022, 1, 1),
            ends: day(2022, 1, 1),
        })
        .collect();
    Given::<Plan>::no_events()
        .when(draft.command(), &office(), now())
        .then_invalid("phases");
}

#[test]
fn a_plan_stream_starts_with_its_draft() {
    // Other events do not create a plan.
    let department = Event::DepartmentRegistered(DepartmentRegistered {
        department_id: DepartmentId::new(),
        name: "教育局".into(),
        kind: DepartmentKind::Bureau,
        parent: None,
    });
    assert_eq!(replay::<Plan>(&[department]), None);
    assert_eq!(version_of::<Plan>(None), 0);
}

// ---------------------------------------------------------------------------------------
// Department
// ---------------------------------------------------------------------------------------

fn register(id: DepartmentId, parent: Option<DepartmentRef>) -> DepartmentCommand {
    DepartmentCommand::Register {
        id,
        name: " 海滨街道 ".into(),
        kind: DepartmentKind::Township,
        parent,
    }
}

fn registered(id: DepartmentId, parent: Option<DepartmentId>) -> Event {
    Event::DepartmentRegistered(DepartmentRegistered {
        department_id: id,
        name: "海滨街道".into(),
        kind: DepartmentKind::Township,
        parent,
    })
}

fn retired_event() -> Event {
    Event::DepartmentRetired(DepartmentRetired {
        reason: "机构改革撤并".into(),
    })
}

fn retire() -> DepartmentCommand {
    DepartmentCommand::Retire {
        reason: " 机构改革撤并 ".into(),
    }
}

#[test]
fn the_office_registers_a_department() {
    let id = DepartmentId::new();
    let department = Given::<Department>::no_events()
        .when(register(id, None), &office(), now())
        .then_events(&[registered(id, None)])
        .expect("a department");
    assert_eq!(department.name, "海滨街道");
    assert_eq!(department.kind, DepartmentKind::Township);
    assert!(!department.retired);
    assert_eq!(department.version, 1);
    assert_eq!(Department::STREAM_TYPE, "department");
}

#[test]
fn a_department_records_its_parent() {
    let parent = Department {
        id: DepartmentId::new(),
        name: "鲤城区人民政府".into(),
        kind: DepartmentKind::Other,
        parent: None,
        retired: false,
        version: 1,
    };
    let id = DepartmentId::new();
    let department = Given::<Department>::no_events()
        .when(
            register(id, Some(DepartmentRef::from(&parent))),
            &office(),
            now(),
        )
        .then_events(&[registered(id, Some(parent.id))])
        .expect("a department");
    assert_eq!(department.parent, Some(parent.id));
}

#[test]
fn only_the_office_registers_and_retires() {
    let id = DepartmentId::new();
    for actor in not_office() {
        Given::<Department>::no_events()
            .when(register(id, None), &actor, now())
            .then_forbidden();
        Given::<Department>::events(&[registered(id, None)])
            .when(retire(), &actor, now())
            .then_forbidden();
    }
}

#[test]
fn a_department_is_registered_once() {
    let id = DepartmentId::new();
    Given::<Department>::events(&[registered(id, None), retired_event()])
        .when(register(id, None), &office(), now())
        .then_error(DomainError::VersionConflict {
            expected: 0,
            actual: 2,
        });
}

#[test]
fn a_department_needs_a_name() {
    for name in ["", "  ", &"名".repeat(101)] {
        Given::<Department>::no_events()
            .when(
                DepartmentCommand::Register {
                    id: DepartmentId::new(),
                    name: name.to_string(),
                    kind: DepartmentKind::School,
                    parent: None,
                },
                &office(),
                now(),
            )
            .then_invalid("name");
    }
}

#[test]
fn the_office_retires_a_department() {
    let id = DepartmentId::new();
    let department = Given::<Department>::events(&[registered(id, None)])
        .when(retire(), &office(), now())
        .then_events(&[retired_event()])
        .expect("a department");
    assert!(department.retired);
    assert_eq!(department.version, 2);
    assert!(DepartmentRef::from(&department).retired);
}

#[test]
fn retiring_a_missing_department_is_not_found() {
    Given::<Department>::no_events()
        .when(retire(), &office(), now())
        .then_error(DomainError::NotFound {
            what: "department",
            id: "?".into(),
        });
}

#[test]
fn a_department_is_retired_once() {
    let id = DepartmentId::new();
    Given::<Department>::events(&[registered(id, None), retired_event()])
        .when(retire(), &office(), now())
        .then_error(DomainError::InvalidTransition {
            from: "RETIRED".into(),
            action: "retire",
        });
}

#[test]
fn retiring_needs_a_reason() {
    let id = DepartmentId::new();
    for reason in ["", " ", &"因".repeat(2001)] {
        Given::<Department>::events(&[registered(id, None)])
            .when(
                DepartmentCommand::Retire {
                    reason: reason.to_string(),
                },
                &office(),
                now(),
            )
            .then_invalid("reason");
    }
}

#[test]
fn a_department_stream_starts_with_its_registration() {
    assert_eq!(replay::<Department>(&[retired_event()]), None);
}

#[test]
fn a_retired_department_cannot_be_assigned_a_task() {
    let id = DepartmentId::new();
    let department: Department =
        replay(&[registered(id, None), retired_event()]).expect("a department");
    let task_id = TaskId::new();
    let defined = Event::MeasureDefined(MeasureDefined {
        task_id,
        plan_id: PlanId::new(),
        code: None,
        title: "配齐音乐教室".into(),
        description: None,
        phase: None,
    });
    Given::<Task>::events(std::slice::from_ref(&defined))
        .when(
            TaskCommand::Lifecycle(LifecycleCommand::Assign {
                lead: DepartmentRef::from(&department),
                cooperating: vec![],
                due: Some(day(2025, 6, 30)),
            }),
            &office(),
            now(),
        )
        .then_invalid("leadId");
    // Before it was retired, it could be.
    let active: Department = replay(&[registered(id, None)]).expect("a department");
    Given::<Task>::events(&[defined])
        .when(
            TaskCommand::Lifecycle(LifecycleCommand::Assign {
                lead: DepartmentRef::from(&active),
                cooperating: vec![],
                due: Some(day(2025, 6, 30)),
            }),
            &office(),
            now(),
        )
        .then_events(&[Event::TaskAssigned(TaskAssigned {
            lead: id,
            cooperating: vec![],
            due: Some(day(2025, 6, 30)),
        })]);
}

#[test]
fn ids_parse_bare_or_as_stream_names() {
    let id = DepartmentId::new();
    assert_eq!(DepartmentId::parse("leadId", &id.stream()), Ok(id));
    assert_eq!(DepartmentId::parse("leadId", &format!(" {id} ")), Ok(id));
    assert!(matches!(
        DepartmentId::parse("leadId", &PlanId::new().stream()),
        Err(DomainError::InvalidInput {
            field: "leadId",
            ..
        })
    ));
    assert_eq!(
        duban_domain::ids::split_stream(&id.stream()),
        Some(("department", id.0))
    );
}
