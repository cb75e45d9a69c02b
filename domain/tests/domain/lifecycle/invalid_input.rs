//! Invalid input per field: percent, the bounds of notes, links and remarks, the texts
//! each command needs, and the departments an assignment may name.

use duban_domain::department::DepartmentRef;
use duban_domain::ids::DepartmentId;
use duban_domain::task::{LifecycleCommand as C, TaskKind, TaskStatus as S, Verdict};

use super::fixtures::*;

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
