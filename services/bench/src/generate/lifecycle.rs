//! One task's history: assignment, progress reports, submissions, verifications,
//! overdue marks, extensions, urging, escalation, cancellation and reopening, on a
//! timeline of days, consistent with the domain's rules (the overdue clock would find
//! nothing to add at the end of the history).

use chrono::{Days, NaiveDate};

use duban_domain::event::{
    CompletionSubmitted, DeadlineExtended, Event, Note, ProgressReported, TaskAssigned,
    TaskOverdue, TaskVerified,
};
use duban_domain::ids::DepartmentId;
use duban_domain::task::Verdict;

use super::{Rng, at_day};

/// A dated event of one stream.
pub type Dated = (u32, Event);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Running,
    Pending,
    Closed,
    Cancelled,
}

/// Simulates a task from its assignment day to the end of the history (`end`, the last
/// day, exclusive of "now"), pushing its events to `out`.
pub struct Life<'a> {
    rng: &'a mut Rng,
    start: NaiveDate,
    out: Vec<Dated>,
    status: Status,
    due: NaiveDate,
    overdue_for: Option<NaiveDate>,
    went_overdue: bool,
    percent: u8,
    lead: DepartmentId,
}

impl<'a> Life<'a> {
    fn date(&self, day: u32) -> NaiveDate {
        self.start + Days::new(u64::from(day))
    }

    fn day_of(&self, date: NaiveDate) -> u32 {
        u32::try_from((date - self.start).num_days()).unwrap_or(0)
    }

    /// Records `TaskOverdue` when the deadline passed before `day` while running.
    fn overdue_check(&mut self, day: u32) {
        if self.status == Status::Running
            && self.date(day) > self.due
            && self.overdue_for != Some(self.due)
        {
            let last = self.out.last().map_or(0, |(d, _)| *d);
            let mark = (self.day_of(self.due) + 1).max(last);
            self.out.push((
                mark,
                Event::TaskOverdue(TaskOverdue {
                    due: self.due,
                    detected_at: at_day(self.start, mark),
                }),
            ));
            self.overdue_for = Some(self.due);
            self.went_overdue = true;
        }
    }

    fn push(&mut self, day: u32, event: Event) {
        self.overdue_check(day);
        self.out.push((day, event));
    }

    fn progress(&mut self, day: u32) {
        let step = 3 + (self.rng.below(15) as u8);
        self.percent = (self.percent + step).min(95);
        let note = format!(
            "第{}次调度：已完成{}%，{}",
            self.out.len(),
            self.percent,
            NOTES[self.rng.below(NOTES.len() as u64) as usize]
        );
        let evidence = if self.rng.chance(0.3) {
            vec![format!(
                "https://oa.example.gov.cn/files/{}.pdf",
                self.rng.next()
            )]
        } else {
            vec![]
        };
        let at = at_day(self.start, day);
        self.push(
            day,
            Event::ProgressReported(ProgressReported {
                department: Some(self.lead),
                percent: self.percent,
                note,
                evidence,
                reported_at: Some(at),
            }),
        );
    }

    fn submit(&mut self, day: u32) {
        self.push(
            day,
            Event::CompletionSubmitted(CompletionSubmitted {
                summary: "已按方案要求完成建设任务，相关佐证材料已上传。".into(),
                evidence: vec!["https://oa.example.gov.cn/files/summary.pdf".into()],
            }),
        );
        self.status = Status::Pending;
    }

    fn verify(&mut self, day: u32, verdict: Verdict) {
        let late = verdict == Verdict::Accepted && (self.went_overdue || self.date(day) > self.due);
        self.push(
            day,
            Event::TaskVerified(TaskVerified {
                verdict,
                remarks: Some(match verdict {
                    Verdict::Accepted => "同意销号".into(),
                    Verdict::Rejected => "佐证材料不全，请补充后重新提交".into(),
                }),
                late,
            }),
        );
        self.status = match verdict {
            Verdict::Accepted => Status::Closed,
            Verdict::Rejected => Status::Running,
        };
    }
}

const NOTES: [&str; 6] = [
    "场地改造按计划推进",
    "设备采购已完成招标",
    "师资培训已开展两期",
    "资金已拨付到位",
    "已召开专题推进会",
    "已完成自查并形成台账",
];

/// Generates the lifecycle of a task created on `created` (a day), assigned to `lead`
/// with `cooperating`, up to `end` (the last day of the history). `rectification`
/// allows reopening.
pub fn lifecycle(
    rng: &mut Rng,
    start: NaiveDate,
    created: u32,
    end: u32,
    lead: DepartmentId,
    cooperating: Vec<DepartmentId>,
    rectification: bool,
) -> Vec<Dated> {
    let assign = created + 1 + rng.below(10) as u32;
    if assign > end {
        return vec![];
    }
    let due_day = assign + 45 + rng.below(360) as u32;
    let mut life = Life {
        rng,
        start,
        out: Vec::new(),
        status: Status::Running,
        due: start + Days::new(u64::from(due_day)),
        overdue_for: None,
        went_overdue: false,
        percent: 0,
        lead,
    };
    life.push(
        assign,
        Event::TaskAssigned(TaskAssigned {
            lead,
            cooperating,
            due: Some(life.due),
        }),
    );
    // How it goes: finishes on time, is rejected once, slips past the deadline (then is
    // urged, escalated or extended), is cancelled, or is simply still under way.
    let fate = life.rng.below(100);
    let finish = match fate {
        0..=54 => due_day.saturating_sub(life.rng.below(30) as u32),
        55..=89 => due_day + 10 + life.rng.below(120) as u32,
        _ => u32::MAX,
    }
    .max(assign + 1);
    let mut day = assign;
    loop {
        day += 7 + life.rng.below(21) as u32;
        if day > end || day >= finish {
            break;
        }
        life.progress(day);
        if fate >= 97 && life.rng.chance(0.2) {
            life.push(
                day + 1,
                Event::TaskCancelled(Note {
                    note: "任务调整，不再实施".into(),
                }),
            );
            life.status = Status::Cancelled;
            return life.out;
        }
        if life.overdue_for == Some(life.due) && life.status == Status::Running {
            let note = Note {
                note: "请加快推进，按期完成".into(),
            };
            match life.rng.below(4) {
                0 => life.push(day, Event::TaskUrged(note)),
                1 => life.push(day, Event::TaskEscalated(note)),
                2 if day + 30 <= end => {
                    let previous = life.due;
                    let later = day + 30 + life.rng.below(90) as u32;
                    let new_due = life.date(later);
                    life.push(
                        day,
                        Event::DeadlineExtended(DeadlineExtended {
                            previous_due: Some(previous),
                            due: new_due,
                            reason: "受施工周期影响申请延期".into(),
                        }),
                    );
                    life.due = new_due;
                }
                _ => {}
            }
        }
    }
    if finish <= end && finish != u32::MAX {
        life.submit(finish);
        let verify_day = finish + 1 + life.rng.below(10) as u32;
        if verify_day <= end {
            if life.rng.chance(0.15) {
                life.verify(verify_day, Verdict::Rejected);
                let again = verify_day + 5 + life.rng.below(20) as u32;
                if again + 3 <= end {
                    life.progress(again);
                    life.submit(again + 1);
                    life.verify(again + 3, Verdict::Accepted);
                }
            } else {
                life.verify(verify_day, Verdict::Accepted);
            }
        }
        if rectification && life.status == Status::Closed && life.rng.chance(0.1) {
            let reopen = verify_day + 20;
            if reopen + 10 <= end {
                life.push(
                    reopen,
                    Event::RectificationReopened(Note {
                        note: "复查发现问题反弹".into(),
                    }),
                );
                life.status = Status::Running;
                life.submit(reopen + 5);
                life.verify(reopen + 10, Verdict::Accepted);
            }
        }
    }
    // "Now" is the day after `end`: whatever is running and past due is marked.
    life.overdue_check(end + 1);
    life.out
}
