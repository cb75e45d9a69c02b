//! The incremental read model: idempotence, changed documents, task instants.

use chrono::Duration;
use duban_domain::Event;
use duban_domain::event::Note;
use duban_domain::task::{RectificationSource, TaskStatus};
use duban_projections::{Envelope, Key, ReadModel};

use crate::world::{World, sh};

#[test]
fn apply_returns_the_changed_document_and_ignores_what_it_has_seen() {
    let mut w = World::at("2024-04-01T09:00:00");
    let dept = w.department("教育局");
    let plan = w.plan("规划");
    let task = w.measure(plan, Some("一(一)1"), "学校建设");
    let mut model = ReadModel::default();
    let keys: Vec<_> = w.envelopes.iter().map(|e| model.apply(e)).collect();
    assert_eq!(
        keys,
        [
            Some(Key::Department(dept)),
            Some(Key::Plan(plan)),
            Some(Key::Task(task))
        ]
    );
    assert_eq!(model.position, 3);
    let before = model.clone();
    for env in &w.envelopes {
        assert_eq!(
            model.apply(env),
            None,
            "position {} applied twice",
            env.position
        );
    }
    assert_eq!(model, before);
}

#[test]
fn apply_all_reports_each_changed_document_once() {
    let mut w = World::at("2024-04-01T09:00:00");
    let dept = w.department("教育局");
    let plan = w.plan("规划");
    let task = w.measure(plan, None, "学校建设");
    w.assign(task, dept, "2024-06-30")
        .progress(task, 10)
        .progress(task, 20);
    let mut model = ReadModel::default();
    let keys = model.apply_all(&w.envelopes[3..]);
    // The task's stream had no creation in this model: nothing to change.
    assert!(keys.is_empty());
    let mut model = ReadModel::default();
    let keys = model.apply_all(&w.envelopes);
    assert_eq!(
        keys.into_iter().collect::<Vec<_>>(),
        [Key::Plan(plan), Key::Department(dept), Key::Task(task)]
    );
}

#[test]
fn an_unknown_stream_moves_the_checkpoint_only() {
    let mut model = ReadModel::default();
    let env = Envelope {
        position: 7,
        stream_id: "import-0191b4d4-8a2e-7c2b-9d3e-4f5a6b7c8d9e".into(),
        recorded_at: sh("2024-04-01T09:00:00"),
        actor: "system".into(),
        role: None,
        department: None,
        event: Event::TaskUrged(Note { note: "?".into() }),
    };
    assert_eq!(model.apply(&env), None);
    assert_eq!(model.position, 7);
    assert_eq!(
        model,
        ReadModel {
            position: 7,
            ..ReadModel::default()
        }
    );
}

#[test]
fn task_view_keeps_the_instants_of_its_milestones() {
    let mut w = World::at("2024-04-01T09:00:00");
    let dept = w.department("教育局");
    let plan = w.plan("规划");
    let t0 = w.now;
    let task = w.rectification(
        Some(plan),
        RectificationSource::Audit,
        "第一中学",
        "音乐教室不足",
    );
    w.advance(Duration::days(1))
        .assign(task, dept, "2024-06-30");
    let t1 = w.now;
    w.advance(Duration::days(1)).progress(task, 50);
    let t2 = w.now;
    w.advance(Duration::days(1)).submit(task);
    let t3 = w.now;
    w.advance(Duration::days(1));
    w.try_verify(task, true).unwrap();
    let t4 = w.now;
    let view = w.model().tasks[&task].clone();
    assert_eq!(view.created_at, t0);
    assert_eq!(view.assigned_at, Some(t1));
    assert_eq!(view.last_progress_at, Some(t2));
    assert_eq!(view.submitted_at, Some(t3));
    assert_eq!(view.closed_at, Some(t4));
    assert_eq!(view.last_event_at, t4);
    assert_eq!(view.task.status, TaskStatus::Closed);
    assert_eq!(view.task.version, 5);

    w.advance(Duration::days(1));
    w.try_reopen(task).unwrap();
    let view = w.model().tasks[&task].clone();
    assert_eq!(view.closed_at, None, "a reopened item is no longer closed");
    assert_eq!(view.last_event_at, w.now);
    assert_eq!(view.task.status, TaskStatus::InProgress);
}

#[test]
fn a_milestone_under_an_assigned_measure_is_assigned_at_creation() {
    let mut w = World::at("2024-04-01T09:00:00");
    let dept = w.department("教育局");
    let plan = w.plan("规划");
    let measure = w.measure(plan, None, "学校建设");
    w.assign(measure, dept, "2024-12-31");
    w.advance(Duration::hours(1));
    let milestone = w
        .try_milestone(measure, "完成设计", crate::world::day("2024-06-30"))
        .unwrap();
    let view = &w.model().tasks[&milestone];
    assert_eq!(view.assigned_at, Some(w.now));
    assert_eq!(view.task.lead, Some(dept));
}

#[test]
fn the_model_survives_json_and_documents() {
    let mut w = World::at("2024-04-01T09:00:00");
    let dept = w.department("教育局");
    let plan = w.plan("规划");
    let task = w.measure(plan, Some("三(二)5"), "学校建设");
    w.assign(task, dept, "2024-06-30").progress(task, 40);
    let model = w.model();
    let json = serde_json::to_string(&model).unwrap();
    assert_eq!(serde_json::from_str::<ReadModel>(&json).unwrap(), model);

    let mut restored = ReadModel {
        position: model.position,
        ..ReadModel::default()
    };
    for key in [Key::Plan(plan), Key::Department(dept), Key::Task(task)] {
        let doc = model.document(&key).expect("a document").unwrap();
        restored.restore_document(&key, &doc).unwrap();
    }
    assert_eq!(restored, model);
    assert_eq!(Key::Task(task).stream(), task.stream());
    assert_eq!(Key::of_stream(&task.stream()), Some(Key::Task(task)));
}
