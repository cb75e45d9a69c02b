//! Property tests: random sequences of task commands, by random actors (office, lead,
//! cooperating, other and retired departments, auditor, system clock), at non-decreasing
//! random times. After every command: the status change is an edge of the lifecycle,
//! folding all events from scratch with `evolve` gives the state `decide` is handed next,
//! the version counts the events, and the lifecycle's invariants hold.

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use duban_domain::aggregate::{Aggregate, replay};
use duban_domain::department::DepartmentRef;
use duban_domain::event::{MeasureDefined, TaskAssigned};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::measure::DefineMeasure;
use duban_domain::milestone::ScheduleMilestone;
use duban_domain::plan::Plan;
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{
    LifecycleCommand as C, RectificationSource, Task, TaskCommand, TaskKind, TaskStatus as S,
    Verdict,
};
use duban_domain::time::local_date;
use duban_domain::{Actor, DomainError, Event, Role};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Departments 0..4 are active; department 4 is retired.
const POOL: usize = 5;
const RETIRED: usize = 4;

#[derive(Debug, Clone, Copy)]
enum Start {
    Measure,
    MilestoneLed,
    MilestoneUnled,
    Rectification,
}

#[derive(Debug, Clone, Copy)]
enum Who {
    Office,
    /// The task's current lead (department 0 while there is none).
    Lead,
    /// The task's first cooperating department (department 1 while there is none).
    Coop,
    /// An active department not involved in the task.
    Other,
    /// Any department of the pool, the retired one included.
    Dept(usize),
    Auditor,
    System,
}

#[derive(Debug, Clone)]
enum Cmd {
    Assign {
        lead: usize,
        cooperating: Vec<usize>,
        /// Days from today (Shanghai).
        due_in: i64,
    },
    Progress {
        percent: i64,
        note: &'static str,
    },
    Submit {
        summary: &'static str,
    },
    Verify {
        accept: bool,
    },
    MarkOverdue,
    Extend {
        /// Days from the current due date (today when there is none).
        by: i64,
        reason: &'static str,
    },
    Urge,
    Escalate,
    Cancel {
        reason: &'static str,
    },
    Reopen,
    /// A creation command on the existing stream.
    Redefine,
}

#[derive(Debug, Clone, Copy)]
enum Tick {
    Secs(i64),
    /// To the first instant the current due date is past (if later than now).
    ToOverdue,
    /// To one second before that instant (if later than now).
    JustBeforeOverdue,
}

#[derive(Debug, Clone)]
struct Step {
    who: Who,
    cmd: Cmd,
    tick: Tick,
}

fn who() -> impl Strategy<Value = Who> {
    prop_oneof![
        4 => Just(Who::Office),
        3 => Just(Who::Lead),
        2 => Just(Who::Coop),
        1 => Just(Who::Other),
        1 => (0..POOL).prop_map(Who::Dept),
        1 => Just(Who::Auditor),
        2 => Just(Who::System),
    ]
}

/// An actor whom docs/domain.md lets issue `cmd` (on a task it is involved in).
fn plausible(cmd: &Cmd) -> BoxedStrategy<Who> {
    match cmd {
        Cmd::Progress { .. } => {
            prop_oneof![Just(Who::Office), Just(Who::Lead), Just(Who::Coop)].boxed()
        }
        Cmd::Submit { .. } => prop_oneof![Just(Who::Office), Just(Who::Lead)].boxed(),
        Cmd::MarkOverdue => Just(Who::System).boxed(),
        _ => Just(Who::Office).boxed(),
    }
}

fn text() -> impl Strategy<Value = &'static str> {
    prop_oneof![1 => Just(""), 1 => Just("  "), 6 => Just("按计划推进")]
}

/// A lead and cooperating departments: mostly well-formed (active, distinct from the
/// lead), sometimes anything at all (retired, duplicated, the lead again).
fn assignment() -> impl Strategy<Value = (usize, Vec<usize>)> {
    prop_oneof![
        4 => (0..RETIRED, prop::collection::vec(1..RETIRED, 0..3)).prop_map(|(lead, shifts)| {
            let cooperating = shifts.iter().map(|k| (lead + k) % RETIRED).collect();
            (lead, cooperating)
        }),
        1 => (0..POOL, prop::collection::vec(0..POOL, 0..4)),
    ]
}

fn cmd() -> impl Strategy<Value = Cmd> {
    prop_oneof![
        4 => (assignment(), -10i64..40)
            .prop_map(|((lead, cooperating), due_in)| Cmd::Assign { lead, cooperating, due_in }),
        10 => (prop_oneof![10 => 0i64..=100, 1 => -5i64..0, 1 => 101i64..110], text())
            .prop_map(|(percent, note)| Cmd::Progress { percent, note }),
        8 => text().prop_map(|summary| Cmd::Submit { summary }),
        8 => any::<bool>().prop_map(|accept| Cmd::Verify { accept }),
        6 => Just(Cmd::MarkOverdue),
        4 => (-3i64..30, text()).prop_map(|(by, reason)| Cmd::Extend { by, reason }),
        2 => Just(Cmd::Urge),
        2 => Just(Cmd::Escalate),
        1 => text().prop_map(|reason| Cmd::Cancel { reason }),
        6 => Just(Cmd::Reopen),
        2 => Just(Cmd::Redefine),
    ]
}

fn tick() -> impl Strategy<Value = Tick> {
    prop_oneof![
        8 => (0i64..3 * 86_400).prop_map(Tick::Secs),
        1 => Just(Tick::ToOverdue),
        1 => Just(Tick::JustBeforeOverdue),
    ]
}

fn start() -> impl Strategy<Value = Start> {
    prop_oneof![
        2 => Just(Start::Measure),
        1 => Just(Start::MilestoneLed),
        1 => Just(Start::MilestoneUnled),
        3 => Just(Start::Rectification),
    ]
}

fn scenario() -> impl Strategy<Value = (Start, Vec<Step>)> {
    (
        start(),
        prop::collection::vec(
            prop_oneof![
                // Anyone tries anything: mostly refusals.
                2 => (who(), cmd(), tick()),
                // Someone who may plausibly issue the command does: the task moves on.
                3 => (cmd(), tick()).prop_flat_map(|(cmd, tick)| {
                    (plausible(&cmd), Just(cmd), Just(tick))
                }),
            ]
            .prop_map(|(who, cmd, tick)| Step { who, cmd, tick }),
            1..64,
        ),
    )
}

// ---------------------------------------------------------------------------------------
// The world a scenario runs in
// ---------------------------------------------------------------------------------------

struct World {
    plan: Plan,
    task: TaskId,
    pool: Vec<DepartmentRef>,
}

impl World {
    fn new() -> Self {
        let pool = (0..POOL)
            .map(|i| DepartmentRef {
                id: DepartmentId::new(),
                name: format!("单位{i}"),
                retired: i == RETIRED,
            })
            .collect();
        Self {
            plan: Plan {
                id: PlanId::new(),
                title: "实施方案".into(),
                region: "鲤城区".into(),
                issuer: None,
                period_start: day(2021, 11, 1),
                period_end: day(2026, 12, 31),
                phases: vec![],
                version: 1,
            },
            task: TaskId::new(),
            pool,
        }
    }

    fn id(&self, i: usize) -> DepartmentId {
        self.pool[i].id
    }

    fn measure(&self, led: bool) -> Task {
        let id = TaskId::new();
        let mut events = vec![Event::MeasureDefined(MeasureDefined {
            task_id: id,
            plan_id: self.plan.id,
            code: None,
            title: "措施".into(),
            description: None,
            phase: None,
        })];
        if led {
            events.push(Event::TaskAssigned(TaskAssigned {
                lead: self.id(0),
                cooperating: vec![self.id(1)],
                due: Some(day(2026, 6, 30)),
            }));
        }
        replay(&events).expect("a measure")
    }

    fn create(&self, start: Start, now: DateTime<Utc>) -> TaskCommand {
        match start {
            Start::Measure => TaskCommand::DefineMeasure(self.define()),
            Start::MilestoneLed | Start::MilestoneUnled => {
                TaskCommand::ScheduleMilestone(ScheduleMilestone {
                    id: self.task,
                    measure: self.measure(matches!(start, Start::MilestoneLed)),
                    title: "节点".into(),
                    due: local_date(now) + Days::new(5),
                })
            }
            Start::Rectification => TaskCommand::RaiseRectification(RaiseRectification {
                id: self.task,
                source: RectificationSource::Audit,
                finding: "音乐教室面积72㎡".into(),
                standard: Some("96㎡".into()),
                measured: Some("72㎡".into()),
                unit: None,
                severity: Some(2),
                plan_id: Some(self.plan.id),
                measure: None,
            }),
        }
    }

    fn define(&self) -> DefineMeasure {
        DefineMeasure {
            id: self.task,
            plan: self.plan.clone(),
            code: None,
            title: "配齐音乐教室".into(),
            description: None,
            phase: None,
        }
    }

    fn actor(&self, who: Who, state: Option<&Task>) -> Actor {
        let dept = |id: DepartmentId| Actor::department("单位", id);
        match who {
            Who::Office => Actor::office("办公室"),
            Who::Auditor => Actor::auditor("审计"),
            Who::System => Actor::system(),
            Who::Dept(i) => dept(self.id(i)),
            Who::Lead => dept(state.and_then(|t| t.lead).unwrap_or(self.id(0))),
            Who::Coop => dept(
                state
                    .and_then(|t| t.cooperating.first().copied())
                    .unwrap_or(self.id(1)),
            ),
            Who::Other => {
                let free = self.pool[..RETIRED]
                    .iter()
                    .map(|d| d.id)
                    .find(|id| state.is_none_or(|t| !t.involves(*id)))
                    // A retired department is never involved in anything.
                    .unwrap_or(self.id(RETIRED));
                dept(free)
            }
        }
    }

    fn command(&self, cmd: &Cmd, state: Option<&Task>, now: DateTime<Utc>) -> TaskCommand {
        let today = local_date(now);
        let lc = TaskCommand::Lifecycle;
        match cmd {
            Cmd::Assign {
                lead,
                cooperating,
                due_in,
            } => lc(C::Assign {
                lead: self.pool[*lead].clone(),
                cooperating: cooperating.iter().map(|i| self.pool[*i].clone()).collect(),
                due: Some(shift(today, *due_in)),
            }),
            Cmd::Progress { percent, note } => lc(C::ReportProgress {
                percent: *percent,
                note: note.to_string(),
                evidence: vec![],
            }),
            Cmd::Submit { summary } => lc(C::Submit {
                summary: summary.to_string(),
                evidence: vec![],
            }),
            Cmd::Verify { accept } => lc(C::Verify {
                verdict: if *accept {
                    Verdict::Accepted
                } else {
                    Verdict::Rejected
                },
                remarks: None,
            }),
            Cmd::MarkOverdue => lc(C::MarkOverdue),
            Cmd::Extend { by, reason } => lc(C::ExtendDeadline {
                due: shift(state.and_then(|t| t.due).unwrap_or(today), *by),
                reason: reason.to_string(),
            }),
            Cmd::Urge => lc(C::Urge {
                note: "请加快".into(),
            }),
            Cmd::Escalate => lc(C::Escalate {
                note: "挂牌督办".into(),
            }),
            Cmd::Cancel { reason } => lc(C::Cancel {
                reason: reason.to_string(),
            }),
            Cmd::Reopen => lc(C::Reopen {
                reason: "反弹".into(),
            }),
            Cmd::Redefine => TaskCommand::DefineMeasure(self.define()),
        }
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn shift(date: NaiveDate, days: i64) -> NaiveDate {
    date + Duration::days(days)
}

/// docs/domain.md, independently of `time.rs`: due on D means overdue from D+1 00:00 in
/// Asia/Shanghai, which is UTC+8 all year (no DST since 1991).
fn overdue_instant(due: NaiveDate) -> DateTime<Utc> {
    let next = due.succ_opt().expect("a next day");
    next.and_hms_opt(0, 0, 0).expect("midnight").and_utc() - Duration::hours(8)
}

fn advance(now: DateTime<Utc>, tick: Tick, state: Option<&Task>) -> DateTime<Utc> {
    let target = match (tick, state.and_then(|t| t.due)) {
        (Tick::Secs(s), _) => now + Duration::seconds(s),
        (Tick::ToOverdue, Some(due)) => overdue_instant(due),
        (Tick::JustBeforeOverdue, Some(due)) => overdue_instant(due) - Duration::seconds(1),
        (_, None) => now,
    };
    target.max(now)
}

// ---------------------------------------------------------------------------------------
// The lifecycle as docs/domain.md draws it
// ---------------------------------------------------------------------------------------

/// Whether `event` may move a task of `kind` from `from` (None: no task yet) to `to`.
fn allowed_edge(kind: TaskKind, from: Option<S>, to: S, event: &Event) -> bool {
    use Event as E;
    let running = |s: S| matches!(s, S::Assigned | S::InProgress | S::PendingVerification);
    match (from, to, event) {
        (None, S::Defined, E::MeasureDefined(_) | E::RectificationRaised(_)) => true,
        (None, S::Defined, E::MilestoneScheduled(m)) => m.lead.is_none(),
        (None, S::Assigned, E::MilestoneScheduled(m)) => m.lead.is_some(),
        (None, _, _) => false,
        (Some(S::Defined), S::Assigned, E::TaskAssigned(_)) => true,
        (Some(S::Assigned), S::InProgress, E::ProgressReported(_)) => true,
        (Some(S::Assigned | S::InProgress), S::PendingVerification, E::CompletionSubmitted(_)) => {
            true
        }
        (Some(S::PendingVerification), S::Closed, E::TaskVerified(v)) => {
            v.verdict == Verdict::Accepted
        }
        (Some(S::PendingVerification), S::InProgress, E::TaskVerified(v)) => {
            v.verdict == Verdict::Rejected && !v.late
        }
        (Some(f), S::Cancelled, E::TaskCancelled(_)) => f.is_open(),
        (Some(S::Closed), S::InProgress, E::RectificationReopened(_)) => {
            kind == TaskKind::Rectification
        }
        // Events that leave the state where it is.
        (Some(f), t, e) if f == t => match e {
            E::TaskAssigned(_) | E::DeadlineExtended(_) | E::TaskUrged(_) | E::TaskEscalated(_) => {
                running(f)
            }
            E::ProgressReported(_) => matches!(f, S::InProgress | S::PendingVerification),
            E::TaskOverdue(_) => matches!(f, S::Assigned | S::InProgress),
            _ => false,
        },
        _ => false,
    }
}

/// The event a command records when it is accepted.
fn event_type_of(command: &TaskCommand) -> &'static str {
    match command {
        TaskCommand::DefineMeasure(_) => "MeasureDefined",
        TaskCommand::ScheduleMilestone(_) => "MilestoneScheduled",
        TaskCommand::RaiseRectification(_) => "RectificationRaised",
        TaskCommand::Lifecycle(c) => match c {
            C::Assign { .. } => "TaskAssigned",
            C::ReportProgress { .. } => "ProgressReported",
            C::Submit { .. } => "CompletionSubmitted",
            C::Verify { .. } => "TaskVerified",
            C::MarkOverdue => "TaskOverdue",
            C::MarkReminderDue { .. } => "TaskReminderDue",
            C::ExtendDeadline { .. } => "DeadlineExtended",
            C::Urge { .. } => "TaskUrged",
            C::Escalate { .. } => "TaskEscalated",
            C::Cancel { .. } => "TaskCancelled",
            C::Reopen { .. } => "RectificationReopened",
        },
    }
}

/// For the office with well-formed input: whether docs/domain.md lets the command through in
/// this state. `None` where the answer also depends on the input.
fn office_may(task: &Task, cmd: &Cmd) -> Option<bool> {
    let s = task.status;
    let running = s.is_running();
    Some(match cmd {
        Cmd::Assign {
            lead, cooperating, ..
        } => {
            if *lead == RETIRED || cooperating.contains(&RETIRED) || cooperating.contains(lead) {
                return None;
            }
            s.is_open()
        }
        Cmd::Progress { percent, .. } if (0..=100).contains(percent) => {
            matches!(s, S::Assigned | S::InProgress | S::PendingVerification)
        }
        Cmd::Submit { summary } if !summary.trim().is_empty() => {
            matches!(s, S::Assigned | S::InProgress)
        }
        Cmd::Verify { .. } => s == S::PendingVerification,
        Cmd::Urge | Cmd::Escalate => running,
        Cmd::Cancel { reason } if !reason.trim().is_empty() => s.is_open(),
        Cmd::Reopen => s == S::Closed && task.kind == TaskKind::Rectification,
        _ => return None,
    })
}

fn check_invariants(task: &Task) -> Result<(), TestCaseError> {
    prop_assert!(task.progress <= 100, "progress {}", task.progress);
    if task.status == S::Closed {
        prop_assert!(task.lead.is_some(), "a CLOSED task has a lead");
    }
    if !matches!(task.status, S::Defined | S::Cancelled) {
        prop_assert!(task.lead.is_some() && task.due.is_some(), "{task:?}");
    }
    if task.overdue() {
        prop_assert!(task.status.is_running(), "overdue but {:?}", task.status);
    }
    if task.closed_late {
        prop_assert_eq!(task.status, S::Closed);
    }
    prop_assert_eq!(task.went_overdue, task.overdue_for.is_some());
    if let Some(lead) = task.lead {
        prop_assert!(!task.cooperating.contains(&lead), "lead also cooperating");
    }
    let distinct: BTreeSet<_> = task.cooperating.iter().collect();
    prop_assert_eq!(
        distinct.len(),
        task.cooperating.len(),
        "duplicate cooperating"
    );
    Ok(())
}

/// An edge walked: from, to, and the event (with `:late` for a late close).
type Walked = (Option<S>, S, String);

fn label(event: &Event) -> String {
    match event {
        Event::TaskVerified(v) if v.late => "TaskVerified:late".into(),
        e => e.event_type().into(),
    }
}

/// Runs one scenario; returns the edges it walked, for coverage.
fn run(start: Start, steps: &[Step]) -> Result<HashSet<Walked>, TestCaseError> {
    let world = World::new();
    let mut now = DateTime::parse_from_rfc3339("2025-06-01T09:00:00+08:00")
        .expect("an instant")
        .with_timezone(&Utc);
    let mut events: Vec<Event> = vec![];
    let mut state: Option<Task> = None;
    let mut edges = HashSet::new();

    let create = world.create(start, now);
    let created = Task::decide(None, &create, &Actor::office("办公室"), now)
        .map_err(|e| TestCaseError::fail(format!("creation refused: {e}")))?;
    for event in created {
        let to = Task::evolve(None, &event).expect("a creation event creates a task");
        prop_assert!(allowed_edge(to.kind, None, to.status, &event));
        edges.insert((None, to.status, label(&event)));
        events.push(event);
        state = Some(to);
    }

    for step in steps {
        now = advance(now, step.tick, state.as_ref());
        let actor = world.actor(step.who, state.as_ref());
        let command = world.command(&step.cmd, state.as_ref(), now);
        let before = state.clone();
        // (b) the state decide sees is what evolve makes of all events so far.
        prop_assert_eq!(&replay::<Task>(&events), &before);
        let task = before.as_ref().expect("created above");
        let result = Task::decide(before.as_ref(), &command, &actor, now);

        // Role rules that hold whatever the state.
        match actor.role {
            Role::Auditor => prop_assert!(
                matches!(result, Err(DomainError::Forbidden { .. })),
                "an auditor wrote: {result:?}"
            ),
            Role::System if !matches!(step.cmd, Cmd::MarkOverdue) => prop_assert!(
                matches!(result, Err(DomainError::Forbidden { .. })),
                "the clock did more than mark overdue: {result:?}"
            ),
            Role::Department if !matches!(step.cmd, Cmd::Progress { .. } | Cmd::Submit { .. }) => {
                prop_assert!(
                    matches!(result, Err(DomainError::Forbidden { .. })),
                    "a department did an office command: {result:?}"
                );
            }
            _ => {}
        }
        if matches!(step.cmd, Cmd::Redefine) && actor.role == Role::Office {
            prop_assert_eq!(
                &result,
                &Err(DomainError::VersionConflict {
                    expected: 0,
                    actual: task.version,
                })
            );
        }
        // The clock records TaskOverdue exactly when the rule says.
        if actor.role == Role::System && matches!(step.cmd, Cmd::MarkOverdue) {
            let due_now = task.due.is_some_and(|due| {
                matches!(task.status, S::Assigned | S::InProgress)
                    && task.overdue_for != Some(due)
                    && now >= overdue_instant(due)
            });
            let recorded = result.as_ref().map(|e| e.len()).unwrap_or(0);
            prop_assert_eq!(recorded, usize::from(due_now), "mark overdue at {}", now);
        }
        if actor.role == Role::Office
            && let Some(may) = office_may(task, &step.cmd)
        {
            prop_assert_eq!(
                result.is_ok(),
                may,
                "office {:?} from {:?}: {:?}",
                step.cmd,
                task.status,
                result
            );
        }

        let Ok(new_events) = result else {
            // (d) a refused command produced no events: nothing is folded in.
            continue;
        };
        prop_assert!(new_events.len() <= 1, "{new_events:?}");
        for event in new_events {
            prop_assert_eq!(event.event_type(), event_type_of(&command));
            match actor.role {
                Role::Auditor => prop_assert!(false, "auditors never produce events"),
                Role::System => prop_assert!(matches!(event, Event::TaskOverdue(_))),
                Role::Office => prop_assert!(!matches!(event, Event::TaskOverdue(_))),
                Role::Department => {
                    let dept = actor.department.expect("a department actor");
                    match &event {
                        Event::ProgressReported(p) => {
                            prop_assert!(task.involves(dept), "not involved");
                            prop_assert_eq!(p.department, Some(dept));
                        }
                        Event::CompletionSubmitted(_) => {
                            prop_assert_eq!(task.lead, Some(dept), "not lead");
                        }
                        other => prop_assert!(false, "a department recorded {other:?}"),
                    }
                }
            }
            let from = state.as_ref().map(|t| t.status);
            let after = Task::evolve(state.clone(), &event).expect("a task stays a task");
            // (a) the change is an edge of the lifecycle.
            prop_assert!(
                allowed_edge(after.kind, from, after.status, &event),
                "{:?} -> {:?} by {:?}",
                from,
                after.status,
                event
            );
            edges.insert((from, after.status, label(&event)));
            events.push(event);
            state = Some(after);
        }
        let task = state.as_ref().expect("a task");
        // (b) from scratch equals incremental; (c) version counts events.
        prop_assert_eq!(&replay::<Task>(&events), &state);
        prop_assert_eq!(task.version(), events.len() as i64);
        // (d) invariants.
        check_invariants(task)?;
    }

    // The stored form replays to the same state.
    let stored: Vec<Event> = events
        .iter()
        .map(|e| Event::from_stored(e.event_type(), e.schema_version(), &e.payload()))
        .collect::<Result<_, _>>()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&stored, &events);
    prop_assert_eq!(replay::<Task>(&stored), state);
    Ok(edges)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

    #[test]
    fn random_command_sequences_stay_within_the_lifecycle((start, steps) in scenario()) {
        run(start, &steps)?;
    }
}

/// The generator is worth its salt: over a fixed-seed run, every edge of the lifecycle is
/// walked at least once (so the property above is not vacuously true).
#[test]
fn the_random_sequences_walk_every_edge_of_the_lifecycle() {
    let config = Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let seen = std::sync::Mutex::new(HashSet::new());
    runner
        .run(&scenario(), |(start, steps)| {
            let edges = run(start, &steps)?;
            seen.lock().expect("not poisoned").extend(edges);
            Ok(())
        })
        .expect("the property holds");
    let seen = seen.into_inner().expect("not poisoned");
    use S::{Assigned as A, Closed, Defined as D, InProgress as I, PendingVerification as P};
    let expected: &[(Option<S>, S, &str)] = &[
        (None, D, "MeasureDefined"),
        (None, D, "MilestoneScheduled"),
        (None, A, "MilestoneScheduled"),
        (None, D, "RectificationRaised"),
        (Some(D), A, "TaskAssigned"),
        (Some(A), I, "ProgressReported"),
        (Some(A), P, "CompletionSubmitted"),
        (Some(I), P, "CompletionSubmitted"),
        (Some(P), Closed, "TaskVerified"),
        (Some(P), Closed, "TaskVerified:late"),
        (Some(P), I, "TaskVerified"),
        (Some(D), S::Cancelled, "TaskCancelled"),
        (Some(A), S::Cancelled, "TaskCancelled"),
        (Some(I), S::Cancelled, "TaskCancelled"),
        (Some(P), S::Cancelled, "TaskCancelled"),
        (Some(Closed), I, "RectificationReopened"),
        (Some(A), A, "TaskOverdue"),
        (Some(I), I, "TaskOverdue"),
        (Some(I), I, "ProgressReported"),
        (Some(P), P, "ProgressReported"),
    ];
    let mut expected: Vec<(Option<S>, S, String)> = expected
        .iter()
        .map(|(f, t, e)| (*f, *t, e.to_string()))
        .collect();
    for s in [A, I, P] {
        for e in [
            "TaskAssigned",
            "DeadlineExtended",
            "TaskUrged",
            "TaskEscalated",
        ] {
            expected.push((Some(s), s, e.to_string()));
        }
    }
    for edge in expected {
        assert!(
            seen.contains(&edge),
            "never walked {edge:?}; walked {seen:?}"
        );
    }
}
