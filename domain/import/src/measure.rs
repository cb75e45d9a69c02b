//! One measure read from its node: title, full text, departments and deadline.
//!
//! * **Title**: the node's first line when it is a heading with the text on the
//!   lines after it (`1.城乡学校老师轮岗交流`: a line of its own, at most 40
//!   characters, no sentence end); else the first sentence, ending with its
//!   `。` (`完善中小学党的领导体制。`), or the words before a colon when the item is
//!   printed `标题:正文` (`加快学校建设进度`). A first sentence longer than 40
//!   characters is cut at its first comma or semicolon (or after 40 characters, with
//!   `…`). Responsibility clauses are never part of a title.
//! * **Description**: the full text as printed, responsibility clause included, lines
//!   joined (see [`crate::text::Line::join`]).
//! * **Departments**: see [`crate::responsibility`]. **Due**: the latest deadline the
//!   text states (see [`crate::dates`]).

use std::sync::LazyLock;

use regex::Regex;

use crate::dates::{Deadline, deadline_value, latest_deadline, says_ongoing};
use crate::model::ParsedMeasure;
use crate::outline::Node;
use crate::responsibility::{self, bracketed_clauses, first_unbracketed, prepare};
use crate::script::fold;
use crate::text::{Line, tidy};

const SENTENCE_END: &[char] = &['。', '！', '？', '!', '?'];
const TITLE_CHARS: usize = 40;

/// A 完成时限 / 时间节点 clause and its value.
static TIME_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?:完成时限|时间节点|完成时间|完成期限|时限要求|时限)\s*[:：]\s*([^\n;；)）〕】\]]*)",
    )
    .unwrap_or_else(|e| panic!("bad pattern: {e}"))
});

/// What a measure is read in: its phase, the plan's region and year.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context<'a> {
    /// The plan's region, for normalising department names.
    pub region: Option<&'a str>,
    /// The plan's year, for deadlines printed without one (`年底前`).
    pub year: Option<i32>,
}

/// The measure a leaf node holds, or `None` when it holds no text.
pub(crate) fn read(
    node: &Node,
    phase: Option<String>,
    context: Context<'_>,
) -> Option<ParsedMeasure> {
    let heading_only = !node.mid_line
        && !node.body.is_empty()
        && !node.head.is_blank()
        && node.head.norm.chars().count() <= TITLE_CHARS
        && !node.head.norm.contains(SENTENCE_END)
        && !node.head.norm.contains(['；', ';']);
    let description = if heading_only {
        format!("{}\n{}", node.head.orig, Line::join(&node.body).orig)
    } else {
        let mut lines = vec![node.head.clone()];
        lines.extend(node.body.iter().cloned());
        Line::join(&lines).orig
    };
    let description = description.trim().to_owned();
    let clean = without_clauses(&description);
    if clean.trim().is_empty() {
        return None;
    }
    let title = if heading_only {
        tidy(node.head.orig.trim_end_matches([':', '：']))
    } else {
        first_sentence(&clean)
    };
    let mut analysed = node.head.norm.clone();
    for line in &node.body {
        analysed.push('\n');
        analysed.push_str(&line.norm);
    }
    let parties = responsibility::read(&analysed, context.region);
    let mut warnings = Vec::new();
    if !parties.extra_leads.is_empty() {
        warnings.push(format!(
            "line {}: several leads printed; {} is taken as the lead and {} as cooperating",
            node.line,
            parties.lead.as_ref().map_or("", |l| l.printed.as_str()),
            parties.extra_leads.join("、")
        ));
    }
    let deadline = deadline_of(&analysed, &fold(&description), context.year);
    if let Some(value) = deadline.1.filter(|_| deadline.0 == Deadline::default()) {
        warnings.push(format!(
            "line {}: the deadline “{value}” was not understood",
            node.line
        ));
    }
    Some(ParsedMeasure {
        code: node.code.clone(),
        title,
        due: deadline.0.due,
        ongoing: deadline.0.ongoing,
        description,
        lead: parties.lead.as_ref().map(|l| l.name.clone()),
        lead_printed: parties.lead.map(|l| l.printed),
        cooperating: parties.cooperating.iter().map(|c| c.name.clone()).collect(),
        cooperating_printed: parties.cooperating.into_iter().map(|c| c.printed).collect(),
        phase,
        line: node.line,
        warnings,
    })
}

/// The deadline of a measure: its 完成时限 clause when it has one (with the value as
/// printed), else the latest date in its text, else ongoing when the text says so.
fn deadline_of(analysed: &str, description: &str, year: Option<i32>) -> (Deadline, Option<String>) {
    let prepared = prepare(analysed);
    if let Some(value) = TIME_CLAUSE.captures(&prepared).and_then(|c| c.get(1)) {
        let value = value.as_str().trim();
        if !value.is_empty() {
            return (deadline_value(value, year), Some(value.to_owned()));
        }
    }
    let due = latest_deadline(description);
    (
        Deadline {
            due,
            ongoing: due.is_none() && says_ongoing(description),
        },
        None,
    )
}

/// The text without its bracketed responsibility clauses and without anything from
/// the first clause on a line of its own.
fn without_clauses(text: &str) -> String {
    let norm = fold(text);
    let end = first_unbracketed(&norm).unwrap_or(text.len());
    let mut clean = String::with_capacity(end);
    let mut from = 0;
    for clause in bracketed_clauses(&norm[..end]) {
        clean.push_str(&text[from..clause.start]);
        from = clause.end;
    }
    clean.push_str(&text[from..end]);
    clean
}

/// The title of a measure's text (a table cell): its first sentence, notes dropped.
pub(crate) fn title_of(text: &str) -> String {
    let clean = without_clauses(text);
    first_sentence(if clean.trim().is_empty() {
        text
    } else {
        &clean
    })
}

/// The first sentence of a measure's text, as its title.
fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let text = text.split('\n').next().unwrap_or(text);
    let stop = text.find(SENTENCE_END);
    let colon = text
        .find([':', '：'])
        .filter(|&c| stop.is_none_or(|s| c < s));
    let sentence = match (colon, stop) {
        (Some(c), _) if text[..c].chars().count() <= 30 => &text[..c],
        (_, Some(s)) => {
            let end = s + text[s..].chars().next().map_or(0, char::len_utf8);
            &text[..end]
        }
        _ => text,
    };
    let body = sentence.trim_end_matches(SENTENCE_END);
    if body.chars().count() <= TITLE_CHARS {
        return tidy(sentence);
    }
    if let Some(cut) = body
        .find(['，', ',', '；', ';'])
        .filter(|&c| (4..=TITLE_CHARS).contains(&body[..c].chars().count()))
    {
        return tidy(&body[..cut]);
    }
    let short: String = body.chars().take(TITLE_CHARS).collect();
    format!("{}…", tidy(&short))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(
            first_sentence("完善中小学党的领导体制。健全由师市党委统一领导"),
            "完善中小学党的领导体制。"
        );
        assert_eq!(
            first_sentence("加快学校建设进度:全力推进省实验中学郑开校区建设。"),
            "加快学校建设进度"
        );
        assert_eq!(
            first_sentence(
                "完成“政府保障程度”中15项指标,即落实县域内义务教育学校规划布局合理,符合国家规定要求;县域内城乡义务教育学校建设标准统一。"
            ),
            "完成“政府保障程度”中15项指标"
        );
        assert_eq!(
            first_sentence("社会认可度达到85%以上。"),
            "社会认可度达到85%以上。"
        );
    }

    #[test]
    fn clauses_are_dropped_from_the_clean_text() {
        assert_eq!(without_clauses("加强。(责任部门:教育局)"), "加强。");
        assert_eq!(without_clauses("加强。\n牵头单位：区发改局"), "加强。\n");
    }
}
