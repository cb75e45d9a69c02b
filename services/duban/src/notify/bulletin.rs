//! What an endpoint is sent for a bulletin (a `bulletin-…` stream's event): a
//! department's weekly digest goes to that department's endpoints and to county-wide
//! endpoints whose filter names `WeeklyDigestDue`; the quarterly circular goes to every
//! endpoint whose filter lets it through — the county's circular to county-wide
//! endpoints, and to a department's endpoint its own version (its figures and rank,
//! as a department reads the circular in the API).

use duban_domain::Event;
use duban_domain::bulletin::{QuarterlyCircularDue, WeeklyDigestDue};
use duban_domain::endpoint::Endpoint;
use duban_domain::time::Quarter;
use duban_store::RecordedEvent;

use super::format::Notice;
use super::message::Message;
use crate::app::App;
use crate::commands::decode;
use crate::error::ServiceResult;

/// The message `endpoint` gets for the bulletin `rec`, or `None` when it is not for it.
pub async fn for_endpoint(
    app: &App,
    endpoint: &Endpoint,
    rec: &RecordedEvent,
) -> ServiceResult<Option<Message>> {
    if !endpoint.wants(&rec.event_type) {
        return Ok(None);
    }
    let event = decode(rec)?;
    let notice = match &event {
        Event::WeeklyDigestDue(d) => {
            if !endpoint.wants_digest_of(d.department) {
                return Ok(None);
            }
            app.read
                .read(|m| digest_notice(d, &m.department_name(d.department)))
        }
        Event::QuarterlyCircularDue(c) => {
            let Some(quarter) = Quarter::new(c.year, c.quarter) else {
                return Ok(None);
            };
            let answer = app.dispatch_answer(None, quarter).await?;
            let text: String = match endpoint.department {
                Some(d) => {
                    duban_projections::dispatch::circular_for_department(&answer.dispatch, d)
                }
                None => answer.circular.to_string(),
            };
            circular_notice(c, &text)
        }
        _ => return Ok(None),
    };
    Ok(Some(Message::new(endpoint, rec, &event, None, notice)))
}

/// The digest in Chinese: a title, then one line per open task, overdue first.
pub fn digest_notice(d: &WeeklyDigestDue, department: &str) -> Notice {
    let title = format!("【每周督办提醒】{department}（{} 周）", d.week_of);
    let overdue = d.tasks.iter().filter(|t| t.overdue).count();
    let mut lines = vec![
        format!("**{title}**"),
        format!("> 在办任务 {} 项，其中逾期 {overdue} 项", d.tasks.len()),
    ];
    for t in &d.tasks {
        let name = match &t.code {
            Some(code) => format!("{code} {}", t.title),
            None => t.title.clone(),
        };
        let due = t
            .due
            .map_or_else(|| "长期坚持".to_owned(), |d| d.to_string());
        let flag = if t.overdue { "【逾期】" } else { "" };
        let role = if t.lead { "牵头" } else { "配合" };
        lines.push(format!(
            "- {flag}{name}（{role}，时限 {due}，{}）",
            status_name(&t.status)
        ));
    }
    Notice {
        title,
        markdown: lines.join("\n"),
    }
}

/// The circular's notice: its title and the circular's Markdown.
pub fn circular_notice(c: &QuarterlyCircularDue, circular: &str) -> Notice {
    let title = format!(
        "【调度通报】{} 年{}",
        c.year,
        duban_projections::dispatch::circular::quarter_name(c.quarter)
    );
    Notice {
        markdown: format!("**{title}**\n\n{circular}"),
        title,
    }
}

fn status_name(status: &str) -> &'static str {
    match status {
        "ASSIGNED" => "已交办",
        "IN_PROGRESS" => "推进中",
        "PENDING_VERIFICATION" => "待验收",
        _ => "在办",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::bulletin::DigestTask;
    use duban_domain::ids::{DepartmentId, TaskId};

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn the_digest_lists_overdue_tasks_first_in_chinese() {
        let row = |code: &str, title: &str, due, overdue, lead| DigestTask {
            task_id: TaskId::new(),
            code: Some(code.into()),
            title: title.into(),
            due: Some(due),
            status: "ASSIGNED".into(),
            overdue,
            lead,
        };
        let digest = WeeklyDigestDue {
            department: DepartmentId::new(),
            week_of: day(2025, 7, 7),
            tasks: vec![
                row("一(2)", "改造运动场", day(2025, 6, 25), true, true),
                row("一(3)", "建设图书室", day(2025, 7, 30), false, false),
            ],
            detected_at: chrono::Utc::now(),
        };
        let notice = digest_notice(&digest, "教育局");
        assert_eq!(notice.title, "【每周督办提醒】教育局（2025-07-07 周）");
        let lines: Vec<&str> = notice.markdown.lines().collect();
        assert_eq!(lines[1], "> 在办任务 2 项，其中逾期 1 项");
        assert_eq!(
            lines[2],
            "- 【逾期】一(2) 改造运动场（牵头，时限 2025-06-25，已交办）"
        );
        assert_eq!(
            lines[3],
            "- 一(3) 建设图书室（配合，时限 2025-07-30，已交办）"
        );
    }
}
