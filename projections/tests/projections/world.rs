//! A small event store for tests: commands go through the domain's own `decide`, and
//! every accepted event becomes an [`Envelope`] at the world's clock.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use duban_domain::department::{Department, DepartmentCommand, DepartmentKind, DepartmentRef};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::measure::DefineMeasure;
use duban_domain::milestone::ScheduleMilestone;
use duban_domain::plan::{Plan, PlanCommand};
use duban_domain::rectification::RaiseRectification;
use duban_domain::task::{LifecycleCommand, RectificationSource, Task, TaskCommand, Verdict};
use duban_domain::time::ZONE;
use duban_domain::{Actor, Aggregate, DomainError, Event};
use duban_projections::{Envelope, ReadModel};

/// A moment given as Asia/Shanghai local time, `2024-06-30T23:59:59`.
pub fn sh(local: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M:%S").expect("local time");
    ZONE.from_local_datetime(&naive)
        .unwrap()
        .with_timezone(&Utc)
}

/// A calendar date, `2024-06-30`.
pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

/// The store, its clock and the aggregates' current states.
pub struct World {
    /// The clock: every event is recorded at this instant.
    pub now: DateTime<Utc>,
    /// Every envelope recorded, in position order.
    pub envelopes: Vec<Envelope>,
    /// Positions advance by this much (tests gaps).
    pub step: i64,
    position: i64,
    plans: BTreeMap<PlanId, Plan>,
    departments: BTreeMap<DepartmentId, Department>,
    tasks: BTreeMap<TaskId, Task>,
}

impl World {
    /// An empty store at a Shanghai local time.
    pub fn at(local: &str) -> Self {
        Self::starting(sh(local))
    }

    /// An empty store at an instant.
    pub fn starting(now: DateTime<Utc>) -> Self {
        Self {
            now,
            envelopes: vec![],
            step: 1,
            position: 0,
            plans: BTreeMap::new(),
            departments: BTreeMap::new(),
            tasks: BTreeMap::new(),
        }
    }

    /// Moves the clock to a Shanghai local time.
    pub fn set(&mut self, local: &str) -> &mut Self {
        self.now = sh(local);
        self
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) -> &mut Self {
        self.now += by;
        self
    }

    /// The read model of everything recorded, built in one pass.
    pub fn model(&self) -> ReadModel {
        ReadModel::from_envelopes(&self.envelopes)
    }

    /// The office.
    pub fn office() -> Actor {
        Actor::office("办公室")
    }

    /// A department's actor.
    pub fn dept_actor(&self, id: DepartmentId) -> Actor {
        Actor::department(self.departments[&id].name.clone(), id)
    }

    /// Known task ids, in id order.
    pub fn task_ids(&self) -> Vec<TaskId> {
        self.tasks.keys().copied().collect()
    }

    /// Known department ids, in id order.
    pub fn department_ids(&self) -> Vec<DepartmentId> {
        self.departments.keys().copied().collect()
    }

    /// Known plan ids, in id order.
    pub fn plan_ids(&self) -> Vec<PlanId> {
        self.plans.keys().copied().collect()
    }

    /// A task's current state.
    pub fn task(&self, id: TaskId) -> &Task {
        &self.tasks[&id]
    }

    fn record(&mut self, stream: String, actor: &Actor, events: Vec<Event>) {
        for event in events {
            self.position += self.step;
            self.envelopes.push(Envelope {
                position: self.position,
                stream_id: stream.clone(),
                recorded_at: self.now,
                actor: actor.name.clone(),
                role: Some(actor.role),
                department: actor.department,
                event,
            });
        }
    }

    /// Registers a department.
    pub fn department(&mut self, name: &str) -> DepartmentId {
        let id = DepartmentId::new();
        let office = Self::office();
        let cmd = DepartmentCommand::Register {
            id,
            name: name.into(),
            kind: DepartmentKind::Bureau,
            parent: None,
        };
        let events = Department::decide(None, &cmd, &office, self.now).expect("register");
        let state = events
            .iter()
            .fold(None, Department::evolve)
            .expect("department");
        self.departments.insert(id, state);
        self.record(id.stream(), &office, events);
        id
    }

    /// Retires a department.
    pub fn try_retire(&mut self, id: DepartmentId) -> Result<(), DomainError> {
        let office = Self::office();
        let cmd = DepartmentCommand::Retire {
            reason: "合并".into(),
        };
        let state = self.departments.get(&id).cloned();
        let events = Department::decide(state.as_ref(), &cmd, &office, self.now)?;
        let state = events
            .iter()
            .fold(state, Department::evolve)
            .expect("department");
        self.departments.insert(id, state);
        self.record(id.stream(), &office, events);
        Ok(())
    }

    /// Drafts a plan.
    pub fn plan(&mut self, title: &str) -> PlanId {
        let id = PlanId::new();
        let office = Self::office();
        let cmd = PlanCommand::Draft {
            id,
            title: title.into(),
            region: "鲤城区".into(),
            issuer: None,
            period_start: day("2022-01-01"),
            period_end: day("2026-12-31"),
            phases: vec![],
        };
        let events = Plan::decide(None, &cmd, &office, self.now).expect("draft");
        let state = events.iter().fold(None, Plan::evolve).expect("plan");
        self.plans.insert(id, state);
        self.record(id.stream(), &office, events);
        id
    }

    fn create(&mut self, id: TaskId, cmd: TaskCommand) -> Result<TaskId, DomainError> {
        let office = Self::office();
        let events = Task::decide(None, &cmd, &office, self.now)?;
        let state = events.iter().fold(None, Task::evolve).expect("task");
        self.tasks.insert(id, state);
        self.record(id.stream(), &office, events);
        Ok(id)
    }

    /// Defines a measure.
    pub fn measure(&mut self, plan: PlanId, code: Option<&str>, title: &str) -> TaskId {
        let id = TaskId::new();
        let cmd = TaskCommand::DefineMeasure(DefineMeasure {
            id,
            plan: self.plans[&plan].clone(),
            code: code.map(Into::into),
            title: title.into(),
            description: None,
            phase: None,
        });
        self.create(id, cmd).expect("define measure")
    }

    /// Schedules a milestone under a measure.
    pub fn try_milestone(
        &mut self,
        measure: TaskId,
        title: &str,
        due: NaiveDate,
    ) -> Result<TaskId, DomainError> {
        let id = TaskId::new();
        let cmd = TaskCommand::ScheduleMilestone(ScheduleMilestone {
            id,
            measure: self.tasks[&measure].clone(),
            title: title.into(),
            due,
        });
        self.create(id, cmd)
    }

    /// Raises a rectification item.
    pub fn rectification(
        &mut self,
        plan: Option<PlanId>,
        source: RectificationSource,
        unit: &str,
        finding: &str,
    ) -> TaskId {
        let id = TaskId::new();
        let cmd = TaskCommand::RaiseRectification(RaiseRectification {
            id,
            source,
            finding: finding.into(),
            standard: Some("96㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some(unit.into()),
            severity: None,
            plan_id: plan,
            measure: None,
        });
        self.create(id, cmd).expect("raise rectification")
    }

    /// Decides a lifecycle command on a task as `actor`.
    pub fn try_act(
        &mut self,
        id: TaskId,
        cmd: LifecycleCommand,
        actor: &Actor,
    ) -> Result<usize, DomainError> {
        let state = self.tasks.get(&id).cloned();
        let events = Task::decide(
            state.as_ref(),
            &TaskCommand::Lifecycle(cmd),
            actor,
            self.now,
        )?;
        let n = events.len();
        let state = events.iter().fold(state, Task::evolve).expect("task");
        self.tasks.insert(id, state);
        self.record(id.stream(), actor, events);
        Ok(n)
    }

    fn dept_ref(&self, id: DepartmentId) -> DepartmentRef {
        DepartmentRef::from(&self.departments[&id])
    }

    /// Assigns with cooperating departments, as the office.
    pub fn try_assign(
        &mut self,
        id: TaskId,
        lead: DepartmentId,
        cooperating: &[DepartmentId],
        due: NaiveDate,
    ) -> Result<usize, DomainError> {
        let cmd = LifecycleCommand::Assign {
            lead: self.dept_ref(lead),
            cooperating: cooperating.iter().map(|c| self.dept_ref(*c)).collect(),
            due: Some(due),
        };
        self.try_act(id, cmd, &Self::office())
    }

    /// Assigns a lead and a due date, as the office.
    pub fn assign(&mut self, id: TaskId, lead: DepartmentId, due: &str) -> &mut Self {
        self.try_assign(id, lead, &[], day(due)).expect("assign");
        self
    }

    /// Reports progress as `actor`.
    pub fn try_progress(
        &mut self,
        id: TaskId,
        percent: i64,
        actor: &Actor,
    ) -> Result<usize, DomainError> {
        let cmd = LifecycleCommand::ReportProgress {
            percent,
            note: "进展".into(),
            evidence: vec![],
        };
        self.try_act(id, cmd, actor)
    }

    /// Reports progress as the lead department.
    pub fn progress(&mut self, id: TaskId, percent: i64) -> &mut Self {
        let lead = self.tasks[&id].lead.expect("a lead");
        let actor = self.dept_actor(lead);
        self.try_progress(id, percent, &actor).expect("progress");
        self
    }

    /// Submits as the office.
    pub fn try_submit(&mut self, id: TaskId) -> Result<usize, DomainError> {
        let cmd = LifecycleCommand::Submit {
            summary: "已完成".into(),
            evidence: vec![],
        };
        self.try_act(id, cmd, &Self::office())
    }

    /// Submits as the office.
    pub fn submit(&mut self, id: TaskId) -> &mut Self {
        self.try_submit(id).expect("submit");
        self
    }

    /// Verifies as the office.
    pub fn try_verify(&mut self, id: TaskId, accepted: bool) -> Result<usize, DomainError> {
        let verdict = if accepted {
            Verdict::Accepted
        } else {
            Verdict::Rejected
        };
        let cmd = LifecycleCommand::Verify {
            verdict,
            remarks: None,
        };
        self.try_act(id, cmd, &Self::office())
    }

    /// Submits and accepts.
    pub fn close(&mut self, id: TaskId) -> &mut Self {
        self.submit(id);
        self.try_verify(id, true).expect("accept");
        self
    }

    /// The clock marks the task overdue (it must be due).
    pub fn mark_overdue(&mut self, id: TaskId) -> &mut Self {
        let n = self
            .try_act(id, LifecycleCommand::MarkOverdue, &Actor::system())
            .expect("mark overdue");
        assert_eq!(n, 1, "the task should have gone overdue");
        self
    }

    /// Extends the deadline as the office.
    pub fn try_extend(&mut self, id: TaskId, due: NaiveDate) -> Result<usize, DomainError> {
        let cmd = LifecycleCommand::ExtendDeadline {
            due,
            reason: "延期".into(),
        };
        self.try_act(id, cmd, &Self::office())
    }

    /// Escalates as the office.
    pub fn try_escalate(&mut self, id: TaskId) -> Result<usize, DomainError> {
        self.try_act(
            id,
            LifecycleCommand::Escalate {
                note: "挂牌".into(),
            },
            &Self::office(),
        )
    }

    /// Escalates as the office.
    pub fn escalate(&mut self, id: TaskId) -> &mut Self {
        self.try_escalate(id).expect("escalate");
        self
    }

    /// Urges as the office.
    pub fn try_urge(&mut self, id: TaskId) -> Result<usize, DomainError> {
        self.try_act(
            id,
            LifecycleCommand::Urge {
                note: "催办".into(),
            },
            &Self::office(),
        )
    }

    /// Cancels as the office.
    pub fn try_cancel(&mut self, id: TaskId) -> Result<usize, DomainError> {
        self.try_act(
            id,
            LifecycleCommand::Cancel {
                reason: "取消".into(),
            },
            &Self::office(),
        )
    }

    /// Reopens as the office.
    pub fn try_reopen(&mut self, id: TaskId) -> Result<usize, DomainError> {
        self.try_act(
            id,
            LifecycleCommand::Reopen {
                reason: "反弹".into(),
            },
            &Self::office(),
        )
    }
}
