//! A realistic event log: hundreds of departments, plans with measures, milestones and
//! rectification items, each with a lifecycle over 2023-01-02..2025-06-30 (see
//! [`lifecycle`]), as real `duban_domain` events; and the batching of that log into
//! `StreamAppend`s for bulk appends ([`batch`]).

pub mod batch;
pub mod lifecycle;
mod names;
mod rng;

pub use batch::{appends, generator_meta};
pub use rng::Rng;

use names::{BUREAUS, MEASURES};

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};

use duban_domain::department::DepartmentKind;
use duban_domain::event::{
    DepartmentRegistered, Event, MeasureDefined, MilestoneScheduled, PlanDrafted,
    RectificationRaised,
};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::Phase;
use duban_domain::task::{RectificationDetail, RectificationSource};
use duban_domain::time::start_of_day;

/// The first day of the generated history.
pub fn history_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 2).expect("valid date")
}

/// The last day of the generated history (2025-06-30).
pub fn history_end_day() -> u32 {
    let end = NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date");
    u32::try_from((end - history_start()).num_days()).expect("positive")
}

/// "Now" for servers over the generated log: 2025-07-01 09:00 Asia/Shanghai.
pub fn now() -> DateTime<Utc> {
    at_day(history_start(), history_end_day() + 1)
}

/// 09:00 Asia/Shanghai on day `day` after `start`.
pub fn at_day(start: NaiveDate, day: u32) -> DateTime<Utc> {
    start_of_day(start + Days::new(u64::from(day))) + Duration::hours(9)
}

/// One event of the log, with its day and stream.
#[derive(Debug, Clone)]
pub struct Item {
    /// Day after [`history_start`].
    pub day: u32,
    /// The stream.
    pub stream: String,
    /// The stream type (`plan`, `department`, `task`).
    pub stream_type: &'static str,
    /// The event.
    pub event: Event,
}

/// The generated log.
pub struct DataSet {
    /// Every event, in log order.
    pub items: Vec<Item>,
    /// The plans.
    pub plans: Vec<PlanId>,
    /// The departments.
    pub departments: Vec<DepartmentId>,
    /// How many tasks (measures, milestones, rectification items).
    pub tasks: usize,
}

/// Generates exactly `target` events (at least the departments and one plan).
pub fn generate(target: u64, seed: u64) -> DataSet {
    let mut rng = Rng::new(seed);
    let start = history_start();
    let end = history_end_day();
    let mut seq: Vec<(u32, usize, Item)> = Vec::new();
    let mut push = |seq: &mut Vec<(u32, usize, Item)>, day: u32, stream: String, ty, event| {
        let n = seq.len();
        seq.push((
            day,
            n,
            Item {
                day,
                stream,
                stream_type: ty,
                event,
            },
        ));
    };
    let n_departments = (target / 2500).clamp(20, 300) as usize;
    let mut departments = Vec::with_capacity(n_departments);
    for i in 0..n_departments {
        let id = DepartmentId::new();
        let (kind, name, parent) = match i {
            0..=29 => (
                DepartmentKind::Bureau,
                format!("{}局", BUREAUS[i % BUREAUS.len()]),
                None,
            ),
            30..=59 => (DepartmentKind::Township, format!("第{}镇", i - 29), None),
            _ => {
                let township = departments.get(30 + i % 30).copied();
                (
                    DepartmentKind::School,
                    format!("第{}中心小学", i - 59),
                    township,
                )
            }
        };
        let name = if i < 30 && i >= BUREAUS.len() {
            format!("{name}{i}")
        } else {
            name
        };
        let event = Event::DepartmentRegistered(DepartmentRegistered {
            department_id: id,
            name,
            kind,
            parent,
        });
        push(&mut seq, 0, id.stream(), "department", event);
        departments.push(id);
    }
    let mut plans = Vec::new();
    let mut tasks = 0usize;
    // 120 measures a plan at full size; fewer for small logs, so trimming can hit `target`.
    let n_measures = (target / 100).clamp(4, 120) as u32;
    let n_rectifications = n_measures * 5 / 4;
    let mut pick = |rng: &mut Rng| departments[rng.below(departments.len() as u64) as usize];
    while (seq.len() as u64) < target {
        let plan = PlanId::new();
        let plan_day = rng.below(300) as u32;
        let p0 = start + Days::new(u64::from(plan_day));
        let phases = vec![
            Phase {
                name: "启动准备".into(),
                starts: p0,
                ends: p0 + Days::new(180),
            },
            Phase {
                name: "实施创建".into(),
                starts: p0 + Days::new(181),
                ends: p0 + Days::new(900),
            },
            Phase {
                name: "总结验收".into(),
                starts: p0 + Days::new(901),
                ends: p0 + Days::new(1095),
            },
        ];
        let n = plans.len() + 1;
        let drafted = Event::PlanDrafted(PlanDrafted {
            plan_id: plan,
            title: format!("县域义务教育优质均衡发展实施方案（第{n}批）"),
            region: "鲤城区".into(),
            issuer: Some("区人民政府教育督导委员会".into()),
            period_start: p0,
            period_end: p0 + Days::new(1095),
            phases,
        });
        push(&mut seq, plan_day, plan.stream(), "plan", drafted);
        plans.push(plan);
        let mut measures = Vec::new();
        for m in 0..n_measures {
            let id = TaskId::new();
            let day = plan_day + 1 + rng.below(5) as u32;
            let event = Event::MeasureDefined(MeasureDefined {
                task_id: id,
                plan_id: plan,
                code: Some(format!(
                    "{}({}){}",
                    ["一", "二", "三", "四"][(m % 4) as usize],
                    m / 10 + 1,
                    m % 10 + 1
                )),
                title: format!("{}（措施{}）", MEASURES[m as usize % MEASURES.len()], m + 1),
                description: Some("按照国家和省有关标准，补齐短板，逐项整改到位。".into()),
                phase: Some("实施创建".into()),
            });
            push(&mut seq, day, id.stream(), "task", event);
            measures.push((id, day));
            task_life(
                &mut rng, &mut seq, &mut push, &mut pick, id, day, end, false,
            );
            tasks += 1;
            for k in 0..2u64 {
                let ms = TaskId::new();
                let ms_day = day + 2 + k as u32;
                let event = Event::MilestoneScheduled(MilestoneScheduled {
                    task_id: ms,
                    measure_id: id,
                    plan_id: Some(plan),
                    title: format!("阶段目标{}", k + 1),
                    due: start + Days::new(u64::from(ms_day) + 90 + 180 * k),
                    lead: None,
                    cooperating: vec![],
                });
                push(&mut seq, ms_day, ms.stream(), "task", event);
                task_life(
                    &mut rng, &mut seq, &mut push, &mut pick, ms, ms_day, end, false,
                );
                tasks += 1;
            }
        }
        for _ in 0..n_rectifications {
            let id = TaskId::new();
            let (measure, m_day) = measures[rng.below(measures.len() as u64) as usize];
            let day =
                m_day + 10 + rng.below(u64::from(end.saturating_sub(m_day + 40)).max(1)) as u32;
            let event = Event::RectificationRaised(RectificationRaised {
                task_id: id,
                plan_id: Some(plan),
                measure_id: Some(measure),
                detail: RectificationDetail {
                    source: [
                        RectificationSource::SelfInspection,
                        RectificationSource::Supervision,
                        RectificationSource::Audit,
                        RectificationSource::Complaint,
                    ][rng.below(4) as usize],
                    finding: "音乐专用教室面积72㎡，低于标准".into(),
                    standard: Some("96㎡".into()),
                    measured: Some("72㎡".into()),
                    unit: Some(format!("第{}中心小学", rng.below(200) + 1)),
                    severity: 1 + rng.below(3) as u8,
                },
            });
            push(&mut seq, day, id.stream(), "task", event);
            task_life(&mut rng, &mut seq, &mut push, &mut pick, id, day, end, true);
            tasks += 1;
        }
    }
    trim(&mut seq, target as usize);
    seq.sort_by_key(|(day, n, _)| (*day, *n));
    seq.truncate(target as usize);
    DataSet {
        items: seq.into_iter().map(|(_, _, item)| item).collect(),
        plans,
        departments,
        tasks,
    }
}

type Push<'p> = dyn FnMut(&mut Vec<(u32, usize, Item)>, u32, String, &'static str, Event) + 'p;

#[expect(
    clippy::too_many_arguments,
    reason = "one call site pattern, internal helper"
)]
fn task_life(
    rng: &mut Rng,
    seq: &mut Vec<(u32, usize, Item)>,
    push: &mut Push<'_>,
    pick: &mut dyn FnMut(&mut Rng) -> DepartmentId,
    id: TaskId,
    created: u32,
    end: u32,
    rectification: bool,
) {
    let lead = pick(rng);
    let mut cooperating = Vec::new();
    for _ in 0..rng.below(3) {
        let c = pick(rng);
        if c != lead && !cooperating.contains(&c) {
            cooperating.push(c);
        }
    }
    let life = lifecycle::lifecycle(
        rng,
        history_start(),
        created,
        end,
        lead,
        cooperating,
        rectification,
    );
    for (day, event) in life {
        push(seq, day, id.stream(), "task", event);
    }
}

/// Drops `ProgressReported` events from the end until exactly `target` remain.
fn trim(seq: &mut Vec<(u32, usize, Item)>, target: usize) {
    let mut surplus = seq.len().saturating_sub(target);
    let mut drop = vec![false; seq.len()];
    for (i, entry) in seq.iter().enumerate().rev() {
        if surplus == 0 {
            break;
        }
        if matches!(entry.2.event, Event::ProgressReported(_)) {
            drop[i] = true;
            surplus -= 1;
        }
    }
    let mut i = 0;
    seq.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
}
