//! Stored events are (`event_type`, `schema_version`, payload); older versions are
//! upcast on read. Literal v1 payloads, refused versions, and a round trip of every
//! event through `payload()` / `Event::from_stored`.

use chrono::{DateTime, NaiveDate, Utc};
use duban_domain::Event;
use duban_domain::aggregate::replay;
use duban_domain::department::DepartmentKind;
use duban_domain::event::{
    CompletionSubmitted, DeadlineExtended, DepartmentRegistered, DepartmentRetired, MeasureDefined,
    MilestoneScheduled, Note, PlanDrafted, ProgressReported, RectificationRaised, TaskAssigned,
    TaskOverdue, TaskVerified,
};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::plan::Phase;
use duban_domain::school::{
    Figures, Num, School, SchoolKind, SchoolRegistered, SchoolSurveyed, Stage, SurveySource,
};
use duban_domain::task::{RectificationDetail, RectificationSource, Task, TaskStatus, Verdict};
use duban_domain::upcast::{current_version, upcast};
use serde_json::json;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("a valid instant")
        .with_timezone(&Utc)
}

const LEAD: &str = "0190a1b2-0000-7000-8000-000000000001";
const COOP: &str = "0190a1b2-0000-7000-8000-000000000002";

fn lead() -> DepartmentId {
    DepartmentId(Uuid::parse_str(LEAD).expect("a uuid"))
}

fn coop() -> DepartmentId {
    DepartmentId(Uuid::parse_str(COOP).expect("a uuid"))
}

#[test]
fn a_v1_progress_report_reads_without_evidence_or_time() {
    // As written by schema version 1: no `evidence`, no `reported_at`.
    let v1 = json!({
        "department": LEAD,
        "percent": 40,
        "note": "完成选址，正在办理用地手续"
    });
    let event = Event::from_stored("ProgressReported", 1, &v1).expect("a v1 payload reads");
    assert_eq!(
        event,
        Event::ProgressReported(ProgressReported {
            department: Some(lead()),
            percent: 40,
            note: "完成选址，正在办理用地手续".into(),
            evidence: vec![],
            reported_at: None,
        })
    );
    // Written back, it is a current (v2) event.
    assert_eq!(event.schema_version(), 2);
    assert_eq!(event.payload()["evidence"], json!([]));
}

#[test]
fn a_v1_progress_report_by_the_office_reads_too() {
    let v1 = json!({ "department": null, "percent": 100, "note": "" });
    let event = Event::from_stored("ProgressReported", 1, &v1).expect("a v1 payload reads");
    let Event::ProgressReported(p) = event else {
        panic!("expected ProgressReported");
    };
    assert_eq!(p.department, None);
    assert_eq!(p.percent, 100);
}

#[test]
fn a_v1_assignment_reads_without_cooperating_departments() {
    let v1 = json!({ "lead": LEAD, "due": "2025-06-30" });
    let event = Event::from_stored("TaskAssigned", 1, &v1).expect("a v1 payload reads");
    assert_eq!(
        event,
        Event::TaskAssigned(TaskAssigned {
            lead: lead(),
            cooperating: vec![],
            due: Some(day(2025, 6, 30)),
        })
    );
}

#[test]
fn a_task_replays_from_a_v1_history() {
    let task_id = TaskId::new();
    let plan_id = PlanId::new();
    let stored: Vec<(&str, i32, serde_json::Value)> = vec![
        (
            "MeasureDefined",
            1,
            json!({
                "task_id": task_id, "plan_id": plan_id, "code": "三(二)5",
                "title": "配齐音乐教室", "description": null, "phase": null
            }),
        ),
        (
            "TaskAssigned",
            1,
            json!({ "lead": LEAD, "due": "2025-06-30" }),
        ),
        (
            "ProgressReported",
            1,
            json!({ "department": LEAD, "percent": 40, "note": "选址" }),
        ),
        (
            "TaskAssigned",
            2,
            json!({ "lead": LEAD, "cooperating": [COOP], "due": "2025-09-30" }),
        ),
        (
            "ProgressReported",
            2,
            json!({
                "department": COOP, "percent": 60, "note": "施工",
                "evidence": ["https://example.org/a.jpg"],
                "reported_at": "2025-07-10T02:00:00Z"
            }),
        ),
    ];
    let events: Vec<Event> = stored
        .iter()
        .map(|(t, v, p)| Event::from_stored(t, *v, p).expect("reads"))
        .collect();
    let task: Task = replay(&events).expect("a task");
    assert_eq!(task.status, TaskStatus::InProgress);
    assert_eq!(task.lead, Some(lead()));
    assert_eq!(task.cooperating, vec![coop()]);
    assert_eq!(task.progress, 60);
    assert_eq!(task.due, Some(day(2025, 9, 30)));
    assert_eq!(task.last_progress_at, Some(at("2025-07-10T10:00:00+08:00")));
    assert_eq!(task.version, 5);
}

#[test]
fn a_v1_progress_report_leaves_the_last_report_time_alone() {
    let task_id = TaskId::new();
    let events = [
        Event::MeasureDefined(MeasureDefined {
            task_id,
            plan_id: PlanId::new(),
            code: None,
            title: "t".into(),
            description: None,
            phase: None,
        }),
        Event::TaskAssigned(TaskAssigned {
            lead: lead(),
            cooperating: vec![],
            due: Some(day(2025, 6, 30)),
        }),
        Event::ProgressReported(ProgressReported {
            department: Some(lead()),
            percent: 10,
            note: "n".into(),
            evidence: vec![],
            reported_at: Some(at("2025-05-01T09:00:00+08:00")),
        }),
        Event::from_stored(
            "ProgressReported",
            1,
            &json!({ "department": LEAD, "percent": 20, "note": "n" }),
        )
        .expect("reads"),
    ];
    let task: Task = replay(&events).expect("a task");
    assert_eq!(task.progress, 20);
    assert_eq!(task.last_progress_at, Some(at("2025-05-01T09:00:00+08:00")));
}

#[test]
fn upcasting_keeps_fields_already_present() {
    let payload = json!({ "department": LEAD, "percent": 5, "note": "n", "evidence": ["x"] });
    let lifted = upcast("ProgressReported", 1, payload).expect("lifts");
    assert_eq!(lifted["evidence"], json!(["x"]));
}

#[test]
fn the_current_versions() {
    assert_eq!(current_version("ProgressReported"), 2);
    assert_eq!(current_version("TaskAssigned"), 2);
    for other in [
        "PlanDrafted",
        "DepartmentRegistered",
        "DepartmentRetired",
        "MeasureDefined",
        "MilestoneScheduled",
        "RectificationRaised",
        "CompletionSubmitted",
        "TaskVerified",
        "TaskOverdue",
        "DeadlineExtended",
        "TaskUrged",
        "TaskEscalated",
        "TaskCancelled",
        "RectificationReopened",
        "TaskReminderDue",
        "EndpointRegistered",
        "EndpointPaused",
        "EndpointResumed",
        "EndpointRemoved",
        "GuaranteeItemAnswered",
        "WeeklyDigestDue",
        "QuarterlyCircularDue",
    ] {
        assert_eq!(current_version(other), 1, "{other}");
    }
}

#[test]
fn an_unknown_future_version_is_refused() {
    let v3 = json!({
        "department": LEAD, "percent": 40, "note": "n", "evidence": [],
        "reported_at": null, "confidence": "high"
    });
    let err = Event::from_stored("ProgressReported", 3, &v3).expect_err("v3 is not known");
    assert_eq!(err.event_type, "ProgressReported");
    assert_eq!(err.schema_version, 3);
    assert!(err.reason.contains("not known"), "{}", err.reason);
    assert!(err.to_string().contains("ProgressReported v3"));

    let urged = json!({ "note": "n" });
    assert!(Event::from_stored("TaskUrged", 2, &urged).is_err());
    assert!(Event::from_stored("TaskAssigned", 3, &json!({})).is_err());
    assert!(Event::from_stored("TaskUrged", i32::MAX, &urged).is_err());
}

#[test]
fn version_zero_and_below_are_refused() {
    let urged = json!({ "note": "n" });
    assert!(Event::from_stored("TaskUrged", 1, &urged).is_ok());
    for bad in [0, -1, i32::MIN] {
        let err = Event::from_stored("TaskUrged", bad, &urged).expect_err("not a version");
        assert_eq!(err.schema_version, bad);
    }
}

#[test]
fn unreadable_payloads_are_refused_not_guessed() {
    // An unknown event type.
    assert!(Event::from_stored("TaskTeleported", 1, &json!({})).is_err());
    // A v1 payload that is not an object cannot be upcast.
    let err = Event::from_stored("ProgressReported", 1, &json!([1, 2])).expect_err("refused");
    assert!(err.reason.contains("not an object"), "{}", err.reason);
    // A payload missing a required field.
    assert!(Event::from_stored("TaskAssigned", 2, &json!({ "lead": LEAD })).is_err());
    // A percent out of range for the stored type.
    assert!(
        Event::from_stored(
            "ProgressReported",
            2,
            &json!({ "department": null, "percent": 300, "note": "", "evidence": [] })
        )
        .is_err()
    );
}

/// One of every event, with every optional field filled in.
fn one_of_each() -> Vec<Event> {
    let task_id = TaskId::new();
    let plan_id = PlanId::new();
    vec![
        Event::PlanDrafted(PlanDrafted {
            plan_id,
            title: "实施方案".into(),
            region: "鲤城区".into(),
            issuer: Some("鲤城区人民政府".into()),
            period_start: day(2021, 11, 1),
            period_end: day(2025, 12, 31),
            phases: vec![Phase {
                name: "启动准备".into(),
                starts: day(2021, 11, 1),
                ends: day(2022, 12, 31),
            }],
        }),
        Event::DepartmentRegistered(DepartmentRegistered {
            department_id: coop(),
            name: "海滨街道".into(),
            kind: DepartmentKind::Township,
            parent: Some(lead()),
        }),
        Event::DepartmentRetired(DepartmentRetired {
            reason: "撤并".into(),
        }),
        Event::MeasureDefined(MeasureDefined {
            task_id,
            plan_id,
            code: Some("三(二)5".into()),
            title: "配齐音乐教室".into(),
            description: Some("全文".into()),
            phase: Some("启动准备".into()),
        }),
        Event::MilestoneScheduled(MilestoneScheduled {
            task_id: TaskId::new(),
            measure_id: task_id,
            plan_id: Some(plan_id),
            title: "完成选址".into(),
            due: day(2025, 6, 30),
            lead: Some(lead()),
            cooperating: vec![coop()],
        }),
        Event::RectificationRaised(RectificationRaised {
            task_id: TaskId::new(),
            plan_id: Some(plan_id),
            measure_id: Some(task_id),
            detail: RectificationDetail {
                source: RectificationSource::SelfInspection,
                finding: "音乐教室面积72㎡".into(),
                standard: Some("96㎡".into()),
                measured: Some("72㎡".into()),
                unit: Some("实验小学".into()),
                severity: 3,
            },
        }),
        Event::TaskAssigned(TaskAssigned {
            lead: lead(),
            cooperating: vec![coop()],
            due: Some(day(2025, 6, 30)),
        }),
        Event::ProgressReported(ProgressReported {
            department: Some(coop()),
            percent: 100,
            note: "完成".into(),
            evidence: vec!["https://example.org/a.jpg".into()],
            reported_at: Some(at("2025-06-01T08:30:15.123456789+08:00")),
        }),
        Event::CompletionSubmitted(CompletionSubmitted {
            summary: "已扩建".into(),
            evidence: vec!["https://example.org/b.pdf".into()],
        }),
        Event::TaskVerified(TaskVerified {
            verdict: Verdict::Accepted,
            remarks: Some("同意销号".into()),
            late: true,
        }),
        Event::TaskOverdue(TaskOverdue {
            due: day(2025, 6, 30),
            detected_at: at("2025-07-01T00:00:00+08:00"),
        }),
        Event::DeadlineExtended(DeadlineExtended {
            previous_due: Some(day(2025, 6, 30)),
            due: day(2025, 9, 30),
            reason: "资金".into(),
        }),
        Event::TaskUrged(Note {
            note: "催办".into(),
        }),
        Event::TaskEscalated(Note {
            note: "挂牌督办".into(),
        }),
        Event::TaskCancelled(Note {
            note: "取消".into(),
        }),
        Event::RectificationReopened(Note {
            note: "反弹".into(),
        }),
        Event::SchoolRegistered(SchoolRegistered {
            school_id: School::id_for("长风初级中学"),
            name: "长风初级中学".into(),
            kind: SchoolKind::Junior,
            township: Some("长风镇".into()),
        }),
        Event::SchoolSurveyed(SchoolSurveyed {
            school_id: School::id_for("长风初级中学"),
            year: 2024,
            stage: Stage::Junior,
            figures: Figures {
                students: Num(83.0),
                music_room_area: Num(72.5),
                ..Figures::default()
            },
            source: SurveySource {
                file: "2024.xlsx".into(),
                row: 3,
            },
            corrects: true,
        }),
        Event::SurveyMeetsStandard(Note {
            note: "survey of 2025 meets the standard".into(),
        }),
        Event::GuaranteeItemAnswered(duban_domain::county::GuaranteeItemAnswered {
            year: 2024,
            code: "G6".into(),
            met: false,
            note: Some("交流轮岗 6%".into()),
        }),
        Event::TaskReminderDue(duban_domain::event::TaskReminderDue {
            due: day(2025, 7, 10),
            days_before: 7,
            detected_at: at("2025-07-03T09:00:00+08:00"),
        }),
        Event::EndpointRegistered(duban_domain::endpoint::EndpointRegistered {
            endpoint_id: duban_domain::ids::EndpointId::new(),
            name: "教育局工作群".into(),
            kind: duban_domain::endpoint::EndpointKind::Wecom,
            url: Some("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into()),
            department: Some(lead()),
            event_types: vec!["TaskUrged".into()],
        }),
        Event::EndpointPaused(duban_domain::endpoint::EndpointChanged {}),
        Event::EndpointResumed(duban_domain::endpoint::EndpointChanged {}),
        Event::EndpointRemoved(duban_domain::endpoint::EndpointChanged {}),
        Event::WeeklyDigestDue(duban_domain::bulletin::WeeklyDigestDue {
            department: lead(),
            week_of: day(2025, 7, 7),
            tasks: vec![duban_domain::bulletin::DigestTask {
                task_id: duban_domain::ids::TaskId::new(),
                code: Some("三(二)5".into()),
                title: "配齐音乐教室".into(),
                due: Some(day(2025, 7, 10)),
                status: "IN_PROGRESS".into(),
                overdue: false,
                lead: true,
            }],
            detected_at: at("2025-07-07T09:00:00+08:00"),
        }),
        Event::QuarterlyCircularDue(duban_domain::bulletin::QuarterlyCircularDue {
            year: 2025,
            quarter: 2,
            detected_at: at("2025-07-01T09:00:00+08:00"),
        }),
    ]
}

/// Fails to compile when an event is added without a case above.
fn covered(event: &Event) -> usize {
    match event {
        Event::PlanDrafted(_) => 0,
        Event::DepartmentRegistered(_) => 1,
        Event::DepartmentRetired(_) => 2,
        Event::MeasureDefined(_) => 3,
        Event::MilestoneScheduled(_) => 4,
        Event::RectificationRaised(_) => 5,
        Event::TaskAssigned(_) => 6,
        Event::ProgressReported(_) => 7,
        Event::CompletionSubmitted(_) => 8,
        Event::TaskVerified(_) => 9,
        Event::TaskOverdue(_) => 10,
        Event::DeadlineExtended(_) => 11,
        Event::TaskUrged(_) => 12,
        Event::TaskEscalated(_) => 13,
        Event::TaskCancelled(_) => 14,
        Event::RectificationReopened(_) => 15,
        Event::SchoolRegistered(_) => 16,
        Event::SchoolSurveyed(_) => 17,
        Event::SurveyMeetsStandard(_) => 18,
        Event::TaskReminderDue(_) => 19,
        Event::EndpointRegistered(_) => 20,
        Event::EndpointPaused(_) => 21,
        Event::EndpointResumed(_) => 22,
        Event::EndpointRemoved(_) => 23,
        Event::GuaranteeItemAnswered(_) => 24,
        Event::WeeklyDigestDue(_) => 25,
        Event::QuarterlyCircularDue(_) => 26,
    }
}

#[test]
fn every_event_round_trips_through_its_stored_form() {
    let events = one_of_each();
    let mut seen = [false; 27];
    for event in &events {
        seen[covered(event)] = true;
        let payload = event.payload();
        assert!(
            payload.is_object(),
            "{} payload is an object",
            event.event_type()
        );
        assert!(payload.get("type").is_none() && payload.get("data").is_none());
        // Through text, as a store would keep it.
        let text = serde_json::to_string(&payload).expect("serialises");
        let stored: serde_json::Value = serde_json::from_str(&text).expect("parses");
        let read = Event::from_stored(event.event_type(), event.schema_version(), &stored)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&read, event);
        // Straight from the text, as the projection rebuild reads it: the same event.
        let direct = Event::from_stored_str(event.event_type(), event.schema_version(), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&direct, event);
    }
    assert!(seen.iter().all(|s| *s), "one of each event: {seen:?}");
}

#[test]
fn every_event_reads_the_same_from_text_and_from_a_value() {
    for event in one_of_each() {
        let text = serde_json::to_string(&event.payload()).expect("serialises");
        // Key order must not matter: the store keeps canonical (sorted) JSON.
        let value: serde_json::Value = serde_json::from_str(&text).expect("parses");
        let sorted = serde_json::to_string(&value).expect("serialises");
        for text in [&text, &sorted] {
            assert_eq!(
                Event::from_stored_str(event.event_type(), event.schema_version(), text),
                Event::from_stored(event.event_type(), event.schema_version(), &value),
                "{}",
                event.event_type()
            );
        }
    }
}

#[test]
fn old_versions_are_upcast_when_read_from_text() {
    let v1_progress = json!({ "department": LEAD, "percent": 40, "note": "选址" });
    let v1_assigned = json!({ "lead": LEAD, "due": "2025-06-30" });
    for (event_type, v1) in [
        ("ProgressReported", v1_progress),
        ("TaskAssigned", v1_assigned),
    ] {
        let text = v1.to_string();
        let direct = Event::from_stored_str(event_type, 1, &text).expect("a v1 payload reads");
        assert_eq!(
            direct,
            Event::from_stored(event_type, 1, &v1).expect("a v1 payload reads")
        );
        // Read as if it were current, the v1 payload lacks a field and is refused.
        assert!(Event::from_stored_str(event_type, 2, &text).is_err());
    }
}

#[test]
fn unreadable_text_payloads_are_refused() {
    let urged = r#"{"note":"n"}"#;
    assert!(Event::from_stored_str("TaskUrged", 1, urged).is_ok());
    for bad in [0, 2, -1] {
        let err = Event::from_stored_str("TaskUrged", bad, urged).expect_err("not a version");
        assert_eq!(err.schema_version, bad);
    }
    assert!(Event::from_stored_str("TaskTeleported", 1, "{}").is_err());
    assert!(Event::from_stored_str("Task\"Urged", 1, urged).is_err());
    assert!(Event::from_stored_str("TaskUrged", 1, "{\"note\":").is_err());
    assert!(
        Event::from_stored_str("TaskUrged", 1, r#"{"note":"n"},"type":"TaskCancelled""#).is_err()
    );
    let err = Event::from_stored_str("ProgressReported", 1, "[1, 2]").expect_err("refused");
    assert!(err.reason.contains("not an object"), "{}", err.reason);
}

#[test]
fn every_event_round_trips_with_empty_optionals() {
    let bare = vec![
        Event::PlanDrafted(PlanDrafted {
            plan_id: PlanId::new(),
            title: "t".into(),
            region: "r".into(),
            issuer: None,
            period_start: day(2025, 1, 1),
            period_end: day(2025, 1, 1),
            phases: vec![],
        }),
        Event::MilestoneScheduled(MilestoneScheduled {
            task_id: TaskId::new(),
            measure_id: TaskId::new(),
            plan_id: None,
            title: "t".into(),
            due: day(2025, 1, 1),
            lead: None,
            cooperating: vec![],
        }),
        Event::ProgressReported(ProgressReported {
            department: None,
            percent: 0,
            note: String::new(),
            evidence: vec![],
            reported_at: None,
        }),
        Event::TaskVerified(TaskVerified {
            verdict: Verdict::Rejected,
            remarks: None,
            late: false,
        }),
        Event::DeadlineExtended(DeadlineExtended {
            previous_due: None,
            due: day(2025, 1, 1),
            reason: "r".into(),
        }),
    ];
    for event in &bare {
        let read = Event::from_stored(event.event_type(), event.schema_version(), &event.payload())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&read, event);
    }
}

#[test]
fn the_stored_form_names_enums_in_screaming_snake_case() {
    let events = one_of_each();
    let raised = events
        .iter()
        .find(|e| e.event_type() == "RectificationRaised")
        .expect("one");
    assert_eq!(
        raised.payload()["detail"]["source"],
        json!("SELF_INSPECTION")
    );
    let verified = events
        .iter()
        .find(|e| e.event_type() == "TaskVerified")
        .expect("one");
    assert_eq!(verified.payload()["verdict"], json!("ACCEPTED"));
    let registered = events
        .iter()
        .find(|e| e.event_type() == "DepartmentRegistered")
        .expect("one");
    assert_eq!(registered.payload()["kind"], json!("TOWNSHIP"));
}
