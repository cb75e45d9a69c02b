//! The rectification ledger (整改台账) as rows, CSV and XLSX.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use duban_domain::task::{RectificationSource, TaskStatus};
use duban_domain::time::local_date;
use duban_projections::{ReadModel, TaskQuery};

/// One ledger line.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    /// Task id (stream name).
    pub id: String,
    /// 来源.
    pub source: &'static str,
    /// 问题.
    pub finding: String,
    /// 标准.
    pub standard: String,
    /// 实测.
    pub measured: String,
    /// 单位 (school or unit).
    pub unit: String,
    /// 责任单位.
    pub department: String,
    /// 整改时限.
    pub due: Option<NaiveDate>,
    /// 状态.
    pub status: &'static str,
    /// 办结日期.
    pub closed_on: Option<NaiveDate>,
    /// 按期/逾期.
    pub timeliness: &'static str,
}

/// The ledger's column headers.
pub const HEADERS: [&str; 11] = [
    "编号",
    "来源",
    "问题",
    "标准",
    "实测",
    "学校/单位",
    "责任单位",
    "整改时限",
    "状态",
    "办结日期",
    "按期情况",
];

fn source_zh(s: RectificationSource) -> &'static str {
    match s {
        RectificationSource::SelfInspection => "自查",
        RectificationSource::Supervision => "督导",
        RectificationSource::Audit => "审计",
        RectificationSource::Complaint => "投诉",
    }
}

fn status_zh(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Defined => "待交办",
        TaskStatus::Assigned => "已交办",
        TaskStatus::InProgress => "整改中",
        TaskStatus::PendingVerification => "待验收",
        TaskStatus::Closed => "已销号",
        TaskStatus::Cancelled => "已撤销",
    }
}

/// The ledger rows matching `query`.
pub fn ledger_rows(model: &ReadModel, query: &TaskQuery) -> Vec<LedgerRow> {
    duban_projections::rectification_ledger(model, query)
        .into_iter()
        .filter_map(|view| {
            let task = &view.task;
            let detail = task.rectification.as_ref()?;
            let timeliness = match task.status {
                TaskStatus::Closed if task.closed_late => "逾期办结",
                TaskStatus::Closed => "按期办结",
                _ if task.overdue() => "逾期未办结",
                _ => "",
            };
            Some(LedgerRow {
                id: task.id.stream(),
                source: source_zh(detail.source),
                finding: detail.finding.clone(),
                standard: detail.standard.clone().unwrap_or_default(),
                measured: detail.measured.clone().unwrap_or_default(),
                unit: detail.unit.clone().unwrap_or_default(),
                department: task
                    .lead
                    .map(|d| model.department_name(d))
                    .unwrap_or_default(),
                due: task.due,
                status: status_zh(task.status),
                closed_on: view.closed_at.map(local_date),
                timeliness,
            })
        })
        .collect()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// CSV, UTF-8 with a byte-order mark.
pub fn write_csv(rows: &[LedgerRow]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let _ = w.write_record(HEADERS);
        for r in rows {
            let _ = w.write_record([
                r.id.as_str(),
                r.source,
                &r.finding,
                &r.standard,
                &r.measured,
                &r.unit,
                &r.department,
                &date(r.due),
                r.status,
                &date(r.closed_on),
                r.timeliness,
            ]);
        }
        let _ = w.flush();
    }
    out
}

/// XLSX with a bold header row, fitted column widths and real dates.
pub fn write_xlsx(rows: &[LedgerRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("整改台账")?;
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        let texts = [
            r.id.as_str(),
            r.source,
            &r.finding,
            &r.standard,
            &r.measured,
            &r.unit,
            &r.department,
        ];
        for (col, text) in texts.iter().enumerate() {
            sheet.write_string(row, col as u16, *text)?;
        }
        if let Some(due) = r.due {
            sheet.write_date_with_format(row, 7, due, &date_format)?;
        }
        sheet.write_string(row, 8, r.status)?;
        if let Some(closed) = r.closed_on {
            sheet.write_date_with_format(row, 9, closed, &date_format)?;
        }
        sheet.write_string(row, 10, r.timeliness)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}
