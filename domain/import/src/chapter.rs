//! What a chapter holds, judged by its heading.
//!
//! * **Other** — a heading that ends in one of [`NOT_MEASURES`] (指导思想, 基本原则,
//!   总体目标, 总体要求, 基本情况, 存在问题 …): goals, principles and reports of the
//!   situation, not work to be assigned.
//! * **Phases** — a heading naming the steps or stages (实施步骤, 阶段, 进度安排 …).
//! * **Measures** — every other chapter: 重点任务, 工作措施, 主要任务与实施举措,
//!   保障措施, 组织保障, and headings that name the work itself.
//!
//! The same endings mark a section (`(一)指导思想` under `一、总体要求`) as no place for
//! measures.

/// What a chapter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChapterKind {
    /// Tasks, measures and safeguards: its numbered leaves are measures.
    Measures,
    /// The implementation steps: its sections are phases.
    Phases,
    /// Guiding ideas, goals, principles, situation, problems.
    Other,
}

/// Heading endings of chapters and sections that hold no measures.
const NOT_MEASURES: &[&str] = &[
    "指导思想",
    "思想",
    "原则",
    "目标",
    "总体要求",
    "基本要求",
    "背景",
    "意义",
    "现状",
    "成效",
    "实效",
    "成绩",
    "情况",
    "问题",
    "说明",
    "依据",
    "范围",
    "形势",
    "定位",
    "愿景",
    "概况",
    "简介",
];
const PHASE_WORDS: &[&str] = &[
    "步骤",
    "阶段",
    "进度安排",
    "时间安排",
    "时间节点",
    "实施安排",
    "推进安排",
];

/// The heading proper: the text before the first punctuation mark.
pub(crate) fn heading(head: &str) -> &str {
    let end = head
        .find(['。', '：', ':', '，', ',', '；', ';', '（', '('])
        .unwrap_or(head.len());
    head[..end].trim()
}

/// What the chapter with this (folded) first line holds.
pub(crate) fn classify(head: &str) -> ChapterKind {
    let heading = heading(head);
    if holds_no_measures(heading) {
        ChapterKind::Other
    } else if PHASE_WORDS.iter().any(|w| heading.contains(w)) {
        ChapterKind::Phases
    } else {
        ChapterKind::Measures
    }
}

/// Whether a chapter or section with this (folded) first line holds no measures.
pub(crate) fn holds_no_measures(head: &str) -> bool {
    let heading = heading(head);
    NOT_MEASURES.iter().any(|e| heading.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_of_the_seeds() {
        assert_eq!(classify("指导思想"), ChapterKind::Other);
        assert_eq!(classify("总体目标"), ChapterKind::Other);
        assert_eq!(classify("主要目标"), ChapterKind::Other);
        assert_eq!(classify("仍存在问题:"), ChapterKind::Other);
        assert_eq!(classify("重点任务"), ChapterKind::Measures);
        assert_eq!(classify("重点任务与实施举措"), ChapterKind::Measures);
        assert_eq!(classify("工作措施"), ChapterKind::Measures);
        assert_eq!(classify("目标任务"), ChapterKind::Measures);
        assert_eq!(classify("加强组织保障"), ChapterKind::Measures);
        assert_eq!(classify("实施步骤"), ChapterKind::Phases);
    }
}
