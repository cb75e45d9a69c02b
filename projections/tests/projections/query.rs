//! Task lists: each filter criterion, the worklist, the ledger, and the stable order.

use chrono::Duration;
use duban_domain::task::{RectificationSource, TaskKind, TaskStatus};
use duban_projections::{TaskQuery, filter_tasks, rectification_ledger, worklist};

use crate::world::{World, day};

struct Fixture {
    w: World,
    lead: duban_domain::ids::DepartmentId,
    helper: duban_domain::ids::DepartmentId,
    other: duban_domain::ids::DepartmentId,
    plan: duban_domain::ids::PlanId,
    other_plan: duban_domain::ids::PlanId,
    /// Codes 三(二)10, 三(二)9, 二(一)1, none — created in that order.
    measures: [duban_domain::ids::TaskId; 4],
    audit: duban_domain::ids::TaskId,
    complaint: duban_domain::ids::TaskId,
    elsewhere: duban_domain::ids::TaskId,
}

fn fixture() -> Fixture {
    let mut w = World::at("2024-04-01T09:00:00");
    let lead = w.department("教育局");
    let helper = w.department("财政局");
    let other = w.department("人社局");
    let plan = w.plan("规划");
    let other_plan = w.plan("另一规划");
    let m10 = w.measure(plan, Some("三(二)10"), "十");
    w.advance(Duration::seconds(1));
    let m9 = w.measure(plan, Some("三(二)9"), "九");
    w.advance(Duration::seconds(1));
    let m1 = w.measure(plan, Some("二(一)1"), "一");
    w.advance(Duration::seconds(1));
    let none = w.measure(plan, None, "无编号");
    w.advance(Duration::seconds(1));
    let audit = w.rectification(
        Some(plan),
        RectificationSource::Audit,
        "鲤城区第一中学",
        "音乐教室不足",
    );
    w.advance(Duration::seconds(1));
    let complaint = w.rectification(
        Some(plan),
        RectificationSource::Complaint,
        "实验小学",
        "食堂",
    );
    let elsewhere = w.measure(other_plan, Some("一"), "别处");
    w.try_assign(m10, lead, &[helper], day("2024-04-10"))
        .unwrap();
    w.assign(m9, other, "2024-12-31");
    w.try_assign(audit, helper, &[], day("2024-12-31")).unwrap();
    w.assign(elsewhere, lead, "2024-12-31");
    w.set("2024-04-11T00:00:00").mark_overdue(m10);
    Fixture {
        w,
        lead,
        helper,
        other,
        plan,
        other_plan,
        measures: [m10, m9, m1, none],
        audit,
        complaint,
        elsewhere,
    }
}

fn ids(views: Vec<&duban_projections::TaskView>) -> Vec<duban_domain::ids::TaskId> {
    views.into_iter().map(|v| v.task.id).collect()
}

#[test]
fn a_plan_lists_coded_tasks_in_natural_order_then_the_rest_by_creation() {
    let f = fixture();
    let model = f.w.model();
    let [m10, m9, m1, none] = f.measures;
    let query = TaskQuery {
        plan_id: Some(f.plan),
        ..TaskQuery::default()
    };
    assert_eq!(
        ids(filter_tasks(&model, &query)),
        [m1, m9, m10, none, f.audit, f.complaint]
    );
    let query = TaskQuery {
        plan_id: Some(f.other_plan),
        ..TaskQuery::default()
    };
    assert_eq!(ids(filter_tasks(&model, &query)), [f.elsewhere]);
    assert_eq!(filter_tasks(&model, &TaskQuery::default()).len(), 7);
}

#[test]
fn each_criterion_filters() {
    let f = fixture();
    let model = f.w.model();
    let [m10, m9, m1, none] = f.measures;
    let p = Some(f.plan);
    let q = |query: TaskQuery| {
        ids(filter_tasks(
            &model,
            &TaskQuery {
                plan_id: p,
                ..query
            },
        ))
    };
    assert_eq!(
        q(TaskQuery {
            kinds: vec![TaskKind::Rectification],
            ..Default::default()
        }),
        [f.audit, f.complaint]
    );
    assert_eq!(
        q(TaskQuery {
            statuses: vec![TaskStatus::Defined],
            ..Default::default()
        }),
        [m1, none, f.complaint]
    );
    assert_eq!(
        q(TaskQuery {
            statuses: vec![TaskStatus::Assigned, TaskStatus::Defined],
            kinds: vec![TaskKind::Measure],
            ..Default::default()
        }),
        [m1, m9, m10, none]
    );
    assert_eq!(
        q(TaskQuery {
            department_id: Some(f.helper),
            ..Default::default()
        }),
        [m10, f.audit],
        "lead or cooperating"
    );
    assert_eq!(
        q(TaskQuery {
            department_id: Some(f.other),
            ..Default::default()
        }),
        [m9]
    );
    assert_eq!(
        q(TaskQuery {
            overdue: Some(true),
            ..Default::default()
        }),
        [m10]
    );
    assert_eq!(
        q(TaskQuery {
            overdue: Some(false),
            ..Default::default()
        })
        .len(),
        5
    );
    assert_eq!(
        q(TaskQuery {
            source: Some(RectificationSource::Complaint),
            ..Default::default()
        }),
        [f.complaint]
    );
    assert_eq!(
        q(TaskQuery {
            unit: Some("第一中学".into()),
            ..Default::default()
        }),
        [f.audit]
    );
    assert_eq!(
        q(TaskQuery {
            unit: Some("  ".into()),
            ..Default::default()
        })
        .len(),
        6,
        "a blank unit does not filter"
    );
    assert!(
        q(TaskQuery {
            unit: Some("第二中学".into()),
            ..Default::default()
        })
        .is_empty()
    );
}

#[test]
fn a_worklist_holds_lead_and_cooperating_tasks_of_every_plan() {
    let f = fixture();
    let model = f.w.model();
    let [m10, ..] = f.measures;
    let list = ids(worklist(&model, f.lead));
    assert!(list.contains(&m10) && list.contains(&f.elsewhere) && list.len() == 2);
    assert_eq!(ids(worklist(&model, f.helper)), [m10, f.audit]);
}

#[test]
fn a_worklist_follows_reassignment_and_survives_a_model_changed_by_hand() {
    let mut f = fixture();
    let [m10, ..] = f.measures;
    f.w.try_assign(m10, f.other, &[], day("2024-12-31"))
        .unwrap();
    let mut model = f.w.model();
    assert_eq!(ids(worklist(&model, f.lead)), [f.elsewhere]);
    assert_eq!(ids(worklist(&model, f.helper)), [f.audit]);
    assert!(ids(worklist(&model, f.other)).contains(&m10));
    // A task put in by hand, past the index: worklists scan instead of missing it.
    let mut copy = model.tasks[&m10].clone();
    copy.task.id = duban_domain::ids::TaskId::new();
    let id = copy.task.id;
    model.tasks.insert(id, copy);
    assert!(model.tasks_involving(f.other).is_none(), "out of step");
    assert!(ids(worklist(&model, f.other)).contains(&id));
}

#[test]
fn the_ledger_lists_rectification_items_only() {
    let f = fixture();
    let model = f.w.model();
    let all = TaskQuery {
        kinds: vec![TaskKind::Measure],
        ..TaskQuery::default()
    };
    assert_eq!(
        ids(rectification_ledger(&model, &all)),
        [f.audit, f.complaint]
    );
    let audited = TaskQuery {
        source: Some(RectificationSource::Audit),
        ..TaskQuery::default()
    };
    assert_eq!(ids(rectification_ledger(&model, &audited)), [f.audit]);
}
