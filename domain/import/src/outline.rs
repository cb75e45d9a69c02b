//! The document as an outline of numbered nodes, each with the text under it.
//!
//! * Lines are read in order; a line that opens with a number (see
//!   [`crate::numbering`]) starts a node, any other line belongs to the node before it
//!   (or to the preamble before the first number). A node's parent is the nearest
//!   node before it of a smaller rank, so `四、` → `24.` gives the code `四24` and
//!   `三、` → `(二)` → `4.` gives `三(二)4`.
//! * Some copies run several measures together on one line, each after the
//!   responsibility clause of the one before: `…(牵头单位:县教育局)2.消除大班额…`.
//!   A line is cut after a bracketed responsibility clause that a number follows.
//! * Web-page footers (公网安备, 附件:, …的政策解读, a signing date on its own line)
//!   end the text of the node before them.
//! * A compilation of several documents headed `第一篇`, `第二篇` … keeps only the
//!   parts that are plans (方案, 规划, 计划, 意见, 办法, 纲要 in their heading), or all
//!   of them when none is.

use std::sync::LazyLock;

use regex::Regex;

use crate::numbering::numbering_at;
use crate::responsibility::bracketed_clauses;
use crate::text::Line;

/// A numbered chapter, section, item or sub-item and the text under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    /// 1 chapter, 2 section, 3 item, 4 sub-item.
    pub rank: u8,
    /// The numbers of this node and its ancestors, e.g. `三(二)4`.
    pub code: String,
    /// The enclosing node.
    pub parent: Option<usize>,
    /// How many nodes sit directly under this one.
    pub children: usize,
    /// The line as printed, number included.
    pub raw: String,
    /// The text after the number on the node's first line.
    pub head: Line,
    /// The lines after the first, up to the next number.
    pub body: Vec<Line>,
    /// The 1-based line the node starts on.
    pub line: usize,
    /// Whether the node starts in the middle of a printed line (after the
    /// responsibility clause of the measure before it), so its first line is no heading.
    pub mid_line: bool,
}

/// A document read as an outline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Outline {
    /// Lines before the first number.
    pub preamble: Vec<Line>,
    /// The numbered nodes, in document order.
    pub nodes: Vec<Node>,
}

/// Page furniture inside the text: page numbers (`- 3 -`, `第3页`), skipped.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[-—－–]?\s*[0-9０-９]{1,3}\s*[-—－–]?$|^第\s*[0-9０-９]+\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]+\s*页)?$",
    )
});
static PART: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*第[一二三四五六七八九十百0-9０-９]+篇"));
static PLAN_WORDS: LazyLock<Regex> = LazyLock::new(|| re("方案|规划|计划|意见|办法|纲要"));
static FOOTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"公网安备|ICP备|版权所有|打印本页|关闭窗口|扫一扫|^(?:附件|附表)\s*[:：0-9０-９一二三四五六七八九十]|解读$|^(?:主办|承办)单位[:：]|^联系(?:电话|方式)[:：]|^[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*日$|^抄送[:：]|印发$|^[(（]此件",
    )
});

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// The outline of a document's text.
pub(crate) fn read(text: &str) -> Outline {
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, l)| Line::numbered(l, i + 1))
        .collect();
    let mut outline = Outline::default();
    let mut stack: Vec<usize> = Vec::new();
    let mut open = true;
    let mut last_item: Option<u32> = None;
    let mut item_under_parent = false;
    for (line, mid_line) in select_parts(lines).iter().flat_map(split_inline) {
        let line = line.trim();
        if line.is_blank() || PAGE_NUMBER.is_match(&line.norm) {
            continue;
        }
        let numbering = numbering_at(&line.norm).filter(|n| {
            !n.bare
                || (n.value == Some(1) && !item_under_parent)
                || n.value
                    .is_some_and(|v| last_item == Some(v.saturating_sub(1)))
        });
        let Some(n) = numbering else {
            if outline.nodes.is_empty() {
                outline.preamble.push(line);
            } else if FOOTER.is_match(&line.norm) {
                open = false;
            } else if open && let Some(node) = outline.nodes.last_mut() {
                node.body.push(line);
            }
            continue;
        };
        while stack
            .last()
            .is_some_and(|&top| outline.nodes[top].rank >= n.rank)
        {
            stack.pop();
        }
        let parent = stack.last().copied();
        let mut code = parent.map_or_else(String::new, |p| outline.nodes[p].code.clone());
        code.push_str(&n.label);
        if let Some(p) = parent {
            outline.nodes[p].children += 1;
        }
        stack.push(outline.nodes.len());
        outline.nodes.push(Node {
            rank: n.rank,
            code,
            parent,
            children: 0,
            raw: line.orig.clone(),
            line: line.no,
            head: line.slice(n.len..line.orig.len()).trim(),
            body: Vec::new(),
            mid_line,
        });
        open = true;
        match n.rank {
            1 | 2 => item_under_parent = false,
            3 => (last_item, item_under_parent) = (n.value, true),
            _ => {}
        }
    }
    outline
}

/// The lines of the plan parts of a compilation (see the module doc).
fn select_parts(lines: Vec<Line>) -> Vec<Line> {
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| PART.is_match(&lines[i].norm))
        .collect();
    if starts.len() < 2 {
        return lines;
    }
    let part_end = |k: usize| starts.get(k + 1).copied().unwrap_or(lines.len());
    let is_plan = |k: usize| {
        lines[starts[k]..part_end(k)]
            .iter()
            .filter(|l| !l.is_blank())
            .take(2)
            .any(|l| PLAN_WORDS.is_match(&l.norm))
    };
    let plans: Vec<usize> = (0..starts.len()).filter(|&k| is_plan(k)).collect();
    let kept = if plans.is_empty() {
        (0..starts.len()).collect()
    } else {
        plans
    };
    let mut selected: Vec<Line> = lines[..starts[0]].to_vec();
    for k in kept {
        selected.extend_from_slice(&lines[starts[k] + 1..part_end(k)]);
    }
    selected
}

/// A line cut before every number that follows a bracketed responsibility clause;
/// each piece says whether it starts in the middle of the line.
fn split_inline(line: &Line) -> Vec<(Line, bool)> {
    let mut cuts: Vec<usize> = Vec::new();
    for clause in bracketed_clauses(&line.norm) {
        let rest = &line.norm[clause.end..];
        let start = clause.end + (rest.len() - rest.trim_start().len());
        if numbering_at(&line.norm[start..]).is_some_and(|n| !n.bare) {
            cuts.push(start);
        }
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts {
        pieces.push((line.slice(from..cut), from > 0));
        from = cut;
    }
    pieces.push((line.slice(from..line.orig.len()), from > 0));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<String> {
        read(text).nodes.into_iter().map(|n| n.code).collect()
    }

    #[test]
    fn codes_concatenate_the_numbers_as_printed() {
        let text = "三、任务\n（二）改革\n4．推进\n(1)细则\n四、保障\n24.坚持";
        assert_eq!(
            codes(text),
            ["三", "三(二)", "三(二)4", "三(二)4(1)", "四", "四24"]
        );
    }

    #[test]
    fn measures_run_together_after_a_clause_are_cut_apart() {
        let text = "一、任务\n1.甲。(牵头单位:县教育局)2.乙。（牵头单位：县财政局）3.丙。";
        assert_eq!(codes(text), ["一", "一1", "一2", "一3"]);
    }

    #[test]
    fn a_bare_number_counts_only_when_expected() {
        let text = "一、任务\n(一)资源\n1加快建设:确保\n2.规范\n5加强";
        assert_eq!(codes(text), ["一", "一(一)", "一(一)1", "一(一)2"]);
    }

    #[test]
    fn footers_end_the_text_of_a_node() {
        let outline = read("一、任务\n1.甲。\n豫公网安备 41010202002520号\n尾巴");
        assert!(outline.nodes[1].body.is_empty());
    }

    #[test]
    fn compilations_keep_their_plan_parts() {
        let text = "第一篇:工作小结\n一、情况\n1.甲\n第二篇:实施方案\n实施方案\n一、任务\n1.乙";
        let outline = read(text);
        assert_eq!(outline.preamble[0].orig, "实施方案");
        assert_eq!(outline.nodes[1].head.orig, "乙");
    }
}
