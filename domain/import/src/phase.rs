//! Phases: the stages of the 实施步骤 chapter with their date ranges.
//!
//! A phase is a numbered node of the phases chapter (or any node whose name ends in
//! 阶段) whose first line names it and then gives a date range:
//! `(一)启动准备阶段(2021年11月-2022年12月):…`, `(三) 整改提升阶段(2026年1月—2027年12月)。`.
//! The name is the text before the range (at most 30 characters); it starts on the
//! first day of the start month and ends on the last day of the end month.

use crate::dates::date_ranges;
use crate::model::ParsedPhase;
use crate::text::{Line, tidy};

const NAME_TRIM: &[char] = &['(', '（', ':', '：', ',', '，', '、', '.', '。', '-', '—'];

/// The phase a node's first line names, if it names one. `in_phases_chapter` says
/// whether the node sits in the 实施步骤 chapter; elsewhere the name must end in 阶段.
pub(crate) fn phase_of(head: &Line, in_phases_chapter: bool) -> Option<ParsedPhase> {
    let range = date_ranges(&head.norm).into_iter().next()?;
    let before = head.norm[..range.span.start]
        .trim_end()
        .trim_end_matches(NAME_TRIM)
        .trim_end();
    let start = before.len() - before.trim_start().len();
    let name_norm = &before[start..];
    if name_norm.is_empty() || name_norm.chars().count() > 30 {
        return None;
    }
    if !in_phases_chapter && !name_norm.ends_with("阶段") {
        return None;
    }
    let name = tidy(&head.orig[start..before.len()]);
    Some(ParsedPhase {
        name,
        starts: range.starts,
        ends: range.ends,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn phases_from_their_headings() {
        let phase = phase_of(
            &Line::new("启动准备阶段(2021年11月-2022年12月):制定并启动"),
            true,
        )
        .expect("a phase");
        assert_eq!(phase.name, "启动准备阶段");
        assert_eq!(
            phase.starts,
            NaiveDate::from_ymd_opt(2021, 11, 1).expect("date")
        );
        assert_eq!(
            phase.ends,
            NaiveDate::from_ymd_opt(2022, 12, 31).expect("date")
        );
        let phase =
            phase_of(&Line::new("整改提升阶段（2026年1月—2027年12月）。"), false).expect("a phase");
        assert_eq!(phase.name, "整改提升阶段");
    }

    #[test]
    fn no_phase_without_a_range_or_a_name() {
        assert_eq!(
            phase_of(
                &Line::new("整个创建工作从2021年开始,到2028年实现达标"),
                true
            ),
            None
        );
        assert_eq!(
            phase_of(&Line::new("加强管理(2021年1月-2021年6月)"), false),
            None
        );
    }
}
