//! What a receiver gets: the generic webhook's JSON, and the Markdown (in Chinese) the
//! group robots post — 企业微信 `markdown`, 钉钉 `markdown`, 飞书 interactive card.

use serde_json::{Value, json};

use duban_domain::Event;
use duban_domain::endpoint::EndpointKind;
use duban_domain::ids::DepartmentId;
use duban_domain::task::{Task, Verdict};
use duban_store::RecordedEvent;

/// The idempotency id of the event at `position` for one endpoint (`X-Duban-Delivery`):
/// the same on every retry and after a restart, so a receiver drops repeats by it.
pub fn delivery_id(endpoint: uuid::Uuid, position: i64) -> String {
    format!("{endpoint}:{position}")
}

/// A notice for people: a title and Markdown lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// E.g. 【催办】配齐音乐教室.
    pub title: String,
    /// The Markdown text, title first.
    pub markdown: String,
}

/// The notice of `event` on `task`; `name` gives a department's name.
pub fn notice(event: &Event, task: Option<&Task>, name: &dyn Fn(DepartmentId) -> String) -> Notice {
    let title_of = task.map_or_else(String::new, |t| match &t.code {
        Some(code) => format!("{code} {}", t.title),
        None => t.title.clone(),
    });
    let mut lines: Vec<String> = Vec::new();
    let head = match event {
        Event::TaskAssigned(e) => {
            lines.push(format!("> 牵头单位：{}", name(e.lead)));
            if !e.cooperating.is_empty() {
                let coop: Vec<String> = e.cooperating.iter().map(|d| name(*d)).collect();
                lines.push(format!("> 配合单位：{}", coop.join("、")));
            }
            lines.push(match e.due {
                Some(due) => format!("> 完成时限：{due}"),
                None => "> 完成时限：长期坚持".to_owned(),
            });
            "交办"
        }
        Event::TaskUrged(n) => {
            lines.push(format!("> 办公室意见：{}", n.note));
            "催办"
        }
        Event::TaskEscalated(n) => {
            lines.push(format!("> 办公室意见：{}", n.note));
            "挂牌督办"
        }
        Event::TaskVerified(v) => {
            if let Some(r) = &v.remarks {
                lines.push(format!("> 验收意见：{r}"));
            }
            match v.verdict {
                Verdict::Rejected => "验收未通过",
                Verdict::Accepted => "验收通过",
            }
        }
        Event::DeadlineExtended(e) => {
            if let Some(prev) = e.previous_due {
                lines.push(format!("> 原完成时限：{prev}"));
            }
            lines.push(format!("> 新完成时限：{}", e.due));
            lines.push(format!("> 延期理由：{}", e.reason));
            "延期"
        }
        Event::TaskOverdue(e) => {
            lines.push(format!("> 完成时限：{}，已逾期", e.due));
            "逾期"
        }
        Event::TaskReminderDue(e) => {
            lines.push(format!(
                "> 完成时限：{}，还有 {} 天到期",
                e.due, e.days_before
            ));
            "临期提醒"
        }
        other => {
            lines.push(format!("> 事件：{}", other.event_type()));
            "动态"
        }
    };
    if let Some(t) = task {
        if let Some(lead) = t.lead
            && !matches!(event, Event::TaskAssigned(_))
        {
            lines.push(format!("> 牵头单位：{}", name(lead)));
        }
        lines.push(format!("> 当前进度：{}%", t.progress));
    }
    let title = format!("【{head}】{title_of}");
    let markdown = std::iter::once(format!("**{title}**"))
        .chain(lines)
        .collect::<Vec<_>>()
        .join("\n");
    Notice { title, markdown }
}

/// The event as the API shows it (`DomainEvent`), with ids for departments.
pub fn event_json(rec: &RecordedEvent, event: &Event) -> Value {
    json!({
        "position": rec.position.to_string(),
        "streamId": rec.stream_id,
        "version": rec.stream_version,
        "type": rec.event_type,
        "recordedAt": rec.recorded_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "actor": rec.metadata.actor,
        "role": rec.metadata.role,
        "department": rec.metadata.department_id,
        "data": event.payload(),
    })
}

/// The task after the event, in the API's field names.
pub fn task_json(task: &Task) -> Value {
    json!({
        "id": task.id.stream(),
        "code": task.code,
        "title": task.title,
        "status": task.status.as_str(),
        "planId": task.plan_id.map(|p| p.stream()),
        "leadId": task.lead.map(|d| d.stream()),
        "cooperatingIds": task.cooperating.iter().map(|d| d.stream()).collect::<Vec<_>>(),
        "due": task.due,
        "progress": task.progress,
        "overdue": task.overdue(),
        "escalated": task.escalated,
    })
}

/// The body sent to an endpoint of `kind` (LOG has none: its notice is logged). A
/// webhook gets the event, the task after it (when the event is a task's) and the
/// notice's title and Markdown, so a system can show it without formatting its own.
pub fn body(
    kind: EndpointKind,
    id: &str,
    rec: &RecordedEvent,
    event: &Event,
    task: Option<&Task>,
    notice: &Notice,
) -> Option<Value> {
    match kind {
        EndpointKind::Webhook => Some(json!({
            "id": id,
            "type": rec.event_type,
            "event": event_json(rec, event),
            "task": task.map(task_json),
            "title": notice.title,
            "markdown": notice.markdown,
        })),
        EndpointKind::Wecom => Some(json!({
            "msgtype": "markdown",
            "markdown": { "content": notice.markdown },
        })),
        EndpointKind::Dingtalk => Some(json!({
            "msgtype": "markdown",
            "markdown": { "title": notice.title, "text": notice.markdown },
        })),
        EndpointKind::Feishu => Some(json!({
            "msg_type": "interactive",
            "card": {
                "header": { "title": { "tag": "plain_text", "content": notice.title } },
                "elements": [{ "tag": "markdown", "content": notice.markdown }],
            },
        })),
        EndpointKind::Log => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use duban_domain::event::{Note, TaskAssigned, TaskReminderDue};

    fn names(d: DepartmentId) -> String {
        format!("单位{}", &d.0.to_string()[..4])
    }

    #[test]
    fn notices_are_in_chinese_with_the_office_note_and_due_date() {
        let lead = DepartmentId::new();
        let coop = DepartmentId::new();
        let assigned = notice(
            &Event::TaskAssigned(TaskAssigned {
                lead,
                cooperating: vec![coop],
                due: chrono::NaiveDate::from_ymd_opt(2025, 7, 10),
            }),
            None,
            &names,
        );
        assert!(assigned.title.starts_with("【交办】"));
        assert!(
            assigned
                .markdown
                .contains(&format!("牵头单位：{}", names(lead)))
        );
        assert!(
            assigned
                .markdown
                .contains(&format!("配合单位：{}", names(coop)))
        );
        assert!(assigned.markdown.contains("完成时限：2025-07-10"));
        let urged = notice(
            &Event::TaskUrged(Note {
                note: "请于本周内报送进度".into(),
            }),
            None,
            &names,
        );
        assert_eq!(urged.title, "【催办】");
        assert!(urged.markdown.contains("办公室意见：请于本周内报送进度"));
        let reminder = notice(
            &Event::TaskReminderDue(TaskReminderDue {
                due: chrono::NaiveDate::from_ymd_opt(2025, 7, 10).unwrap(),
                days_before: 7,
                detected_at: chrono::Utc::now(),
            }),
            None,
            &names,
        );
        assert!(reminder.markdown.contains("还有 7 天到期"), "{reminder:?}");
    }

    #[test]
    fn the_delivery_id_is_endpoint_and_position() {
        let ep = uuid::Uuid::now_v7();
        assert_eq!(delivery_id(ep, 42), format!("{ep}:42"));
        assert_eq!(delivery_id(ep, 42), delivery_id(ep, 42));
        assert_ne!(delivery_id(ep, 42), delivery_id(uuid::Uuid::now_v7(), 42));
    }
}
