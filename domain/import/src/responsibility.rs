//! Who is responsible for a measure: 牵头单位 (lead), 责任单位 / 责任部门
//! (responsible) and 配合单位 (cooperating), in every form the plans print.
//!
//! * A bracketed clause after the text: `(责任部门:党委组织部,纪委监委,教育局,各团镇)`,
//!   `(牵头单位:县教育局;配合单位:县住建局、发改局、国土局)`, `〔责任单位:…〕`, in
//!   ASCII or full-width brackets (`()` `（）` `〔〕` `[]` `【】`) and colons.
//! * A clause on a line of its own (or after a full stop): `牵头单位:区发改局`,
//!   `责任单位:…`, up to the end of the line.
//!
//! Labels: 牵头/主责 (lead), 责任/负责 (responsible), 配合/协办/协助/参与/协同
//! (cooperating), each optionally followed by 单位, 部门, 处室, 科室 or 主体, and always
//! by a colon. Traditional forms (牽頭單位, 責任單位, 配合單位, 部門) are folded before
//! matching. Lists split on 、 , ， ; ； (see [`crate::department`]).
//!
//! The lead is the first name of the first lead list; without one, the first name of
//! the first responsible list (when only one list is given, the first department
//! named is the lead). Every other name, in the order printed, is cooperating.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::department::{normalise_department, split_list};

const LABEL: &str =
    r"(?:牵头|主责|责任|负责|配合|协办|协助|参与|协同)(?:单位|部门|处室|科室|主体)?\s*[:：]";

static LABELS: LazyLock<Regex> = LazyLock::new(|| re(&format!("({LABEL})")));
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"[(（〔\[【]\s*{LABEL}[^()（）〔〕\[\]【】]*[)）〕\]】]"
    ))
});
static ON_ITS_OWN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?m)(?:^|[。；;])[ \t\u{{3000}}]*({LABEL}[^\n。]*)"
    ))
});

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// The part a list plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Responsible,
    Cooperating,
}

/// The departments a measure names, normalised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Responsibility {
    /// The lead department.
    pub lead: Option<String>,
    /// Every other department named, in the order printed.
    pub cooperating: Vec<String>,
}

/// Byte ranges of the bracketed responsibility clauses in folded text.
pub(crate) fn bracketed_clauses(norm: &str) -> Vec<Range<usize>> {
    BRACKETED.find_iter(norm).map(|m| m.range()).collect()
}

/// Where the first unbracketed responsibility clause of folded text starts, if any.
pub(crate) fn first_unbracketed(norm: &str) -> Option<usize> {
    let bracketed = bracketed_clauses(norm);
    unbracketed(norm, &bracketed).first().map(|r| r.start)
}

fn unbracketed(norm: &str, bracketed: &[Range<usize>]) -> Vec<Range<usize>> {
    ON_ITS_OWN
        .captures_iter(norm)
        .filter_map(|c| c.get(1))
        .map(|m| m.range())
        .filter(|r| !bracketed.iter().any(|b| b.contains(&r.start)))
        .collect()
}

/// The departments named in folded text (a measure's lines joined by line breaks),
/// normalised with the plan's region.
pub(crate) fn read(norm: &str, region: Option<&str>) -> Responsibility {
    let bracketed = bracketed_clauses(norm);
    let mut clauses: Vec<Range<usize>> = bracketed.clone();
    clauses.extend(unbracketed(norm, &bracketed));
    clauses.sort_by_key(|r| r.start);

    let mut lists: Vec<(Role, Vec<String>)> = Vec::new();
    for clause in clauses {
        lists.extend(labelled_lists(&norm[clause], region));
    }
    let lead_list = lists
        .iter()
        .position(|(role, names)| *role == Role::Lead && !names.is_empty())
        .or_else(|| {
            lists
                .iter()
                .position(|(role, names)| *role == Role::Responsible && !names.is_empty())
        });
    let lead = lead_list.map(|i| lists[i].1[0].clone());
    let mut cooperating: Vec<String> = Vec::new();
    for name in lists.into_iter().flat_map(|(_, names)| names) {
        if Some(&name) != lead.as_ref() && !cooperating.contains(&name) {
            cooperating.push(name);
        }
    }
    Responsibility { lead, cooperating }
}

/// The lists of one clause, each with the role of its label.
fn labelled_lists(clause: &str, region: Option<&str>) -> Vec<(Role, Vec<String>)> {
    let labels: Vec<_> = LABELS.find_iter(clause).collect();
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let end = labels.get(i + 1).map_or(clause.len(), |next| next.start());
            let names = split_list(&clause[label.end()..end])
                .iter()
                .filter_map(|raw| normalise_department(raw, region).map(|(name, _)| name))
                .fold(Vec::new(), |mut names: Vec<String>, name| {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                    names
                });
            (role_of(label.as_str()), names)
        })
        .collect()
}

fn role_of(label: &str) -> Role {
    if label.starts_with("牵头") || label.starts_with("主责") {
        Role::Lead
    } else if label.starts_with("责任") || label.starts_with("负责") {
        Role::Responsible
    } else {
        Role::Cooperating
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(text: &str) -> (Option<String>, Vec<String>) {
        let r = read(&crate::script::fold(text), None);
        (r.lead, r.cooperating)
    }

    #[test]
    fn one_responsible_list_leads_with_its_first_name() {
        let (lead, coop) = parties("选优配强。(责任部门:党委组织部,纪委监委,教育局,各团镇)");
        assert_eq!(lead.as_deref(), Some("党委组织部"));
        assert_eq!(coop, ["纪委监委", "教育局", "各团镇"]);
    }

    #[test]
    fn lead_and_cooperating_lists() {
        let (lead, coop) =
            parties("先建后撤制度。(牵头单位:县教育局;配合单位:县住建局、发改局、国土局)");
        assert_eq!(lead.as_deref(), Some("教育局"));
        assert_eq!(coop, ["住建局", "发改局", "国土局"]);
    }

    #[test]
    fn clauses_on_lines_of_their_own() {
        let (lead, coop) =
            parties("推进项目建设。\n牵头单位：区发改局\n责任单位：区财政局、区自然资源局");
        assert_eq!(lead.as_deref(), Some("发改局"));
        assert_eq!(coop, ["财政局", "自然资源局"]);
    }

    #[test]
    fn tortoise_shell_and_full_width_brackets() {
        assert_eq!(
            parties("完成。〔责任单位：县教育局〕").0.as_deref(),
            Some("教育局")
        );
        assert_eq!(
            parties("完成。【牵头单位：财政局】").0.as_deref(),
            Some("财政局")
        );
        assert_eq!(
            parties("完成。（责任单位：人社局）").0.as_deref(),
            Some("人社局")
        );
        assert_eq!(
            parties("完成。[责任单位:卫健委]").0.as_deref(),
            Some("卫健委")
        );
    }

    #[test]
    fn prose_mentioning_a_lead_is_no_clause() {
        assert_eq!(
            parties("中小教科牵头负责完善教育管理机制建设工程。"),
            (None, vec![])
        );
    }
}
