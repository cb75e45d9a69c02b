//! Who is responsible for a measure: 牵头单位 (lead), 责任单位 / 责任部门
//! (responsible) and 配合单位 (cooperating), in every form the plans print.
//!
//! * A bracketed clause after the text: `(责任部门:党委组织部,纪委监委,教育局,各团镇)`,
//!   `(牵头单位:县教育局;配合单位:县住建局、发改局、国土局)`, `〔责任单位:…〕`, in
//!   ASCII or full-width brackets (`()` `（）` `〔〕` `[]` `【】`) and colons.
//! * A label in brackets of its own: `【责任单位】县教育局`, `[牵头单位]…`.
//! * A clause on a line of its own (or after a full stop): `牵头单位:区发改局`,
//!   `责任单位:…`, up to the end of the line.
//! * Prose, only as a whole bracketed note or a whole sentence whose every name is a
//!   unit: `(县教育局牵头，县财政局、县人社局配合)`, `X、Y牵头，各有关部门按职责分工负责`,
//!   `由X负责`, `X负责，Y参与`.
//!
//! Labels: 牵头/主责/主要责任 (lead), 责任/负责 (responsible), 配合/协办/协助/参与/
//! 协同 (cooperating), each optionally followed by 单位, 部门, 处室, 科室 or 主体, and
//! always by a colon. 责任领导 / 分管领导 / 责任人 name a person and 完成时限 /
//! 时间节点 a date: they end the list before them and name no department. Traditional
//! forms are folded before matching. Lists split on 、 , ， ; ； (see
//! [`crate::department`]).
//!
//! The lead is the first name of the first lead list; without one, the first name of
//! the first responsible list (when only one list is given, the first department
//! named is the lead). Every other name, in the order printed, is cooperating; when a
//! lead list names several, a warning says the others were taken as cooperating.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::department::{kind_of, normalise_department, split_list};
use crate::model::DepartmentKind;

const UNIT: &str = r"(?:单位|部门|处室|科室|股室|主体)";
const PARTY: &str = r"(?:牵头|主责|主要责任|牵头责任|责任|负责|配合|协同配合|协办|协助|参与|协同)";
const OTHER: &str = r"(?:(?:责任|分管|牵头|包保|联系)?(?:县|区|市|校)?(?:级)?领导|责任人|联系人|完成时限|时间节点|完成时间|完成期限|时限要求|时限)";

static LABEL: LazyLock<String> = LazyLock::new(|| format!(r"(?:{PARTY}{UNIT}?|{OTHER})\s*[:：]"));
static LABELS: LazyLock<Regex> = LazyLock::new(|| re(&format!("({})", *LABEL)));
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"[(（〔\[【]\s*{}[^()（）〔〕\[\]【】]*[)）〕\]】]",
        *LABEL
    ))
});
static ON_ITS_OWN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?m)(?:^|[。；;])[ \t\u{{3000}}]*({}[^\n。]*)",
        *LABEL
    ))
});
/// `【责任单位】` and `[责任单位]`: a label in brackets of its own, no colon.
static LABEL_IN_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"([【\[〔][ \t\u{{3000}}]*)((?:{PARTY}{UNIT}?|{OTHER}))([ \t\u{{3000}}]*[】\]〕][ \t\u{{3000}}]*[:：]?)"
    ))
});
/// A bracketed note that may be prose: `(县教育局牵头,县财政局配合)`.
static NOTE: LazyLock<Regex> =
    LazyLock::new(|| re(r"[(（〔【]([^()（）〔〕【】]{2,200})[)）〕】]"));
static PROSE_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(.+?)牵头(?:负责|实施|落实)?(?:[,，;；]\s*(.+?)(?:配合|参与|协助|协同|共同负责|按职责分工负责|按职责分工落实|按职责负责|分工负责|各负其责|负责))?$",
    )
});
static PROSE_RESPONSIBLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^由?(.+?)(?:负责|承担|组织实施|具体负责)(?:落实|实施)?(?:[,，;；]\s*(.+?)(?:配合|参与|协助|协同|共同负责|按职责分工负责))?$",
    )
});

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}"))
}

/// Lists of departments, each with the part it plays, in printed order.
type Lists = Vec<(Role, Vec<Named>)>;

/// The part a list plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Lead,
    Responsible,
    Cooperating,
    /// A person or a date: names no department.
    Other,
}

/// One department as printed and as normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    /// As printed (folded), e.g. 县教育局.
    pub printed: String,
    /// Normalised, e.g. 教育局.
    pub name: String,
}

/// The departments a measure names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Responsibility {
    /// The lead department.
    pub lead: Option<Named>,
    /// Every other department named, in the order printed.
    pub cooperating: Vec<Named>,
    /// Several leads printed: the names taken as cooperating.
    pub extra_leads: Vec<String>,
}

/// Folded text with `【责任单位】` written `  责任单位：` (same byte length, so offsets
/// found in it hold for the text it came from).
pub(crate) fn prepare(norm: &str) -> String {
    LABEL_IN_BRACKETS
        .replace_all(norm, |c: &regex::Captures<'_>| {
            // The label keeps its offset; the brackets become spaces and a colon, so every
            // offset found in the result is a character boundary of `norm` too.
            let (open, label, close) = (&c[1], &c[2], &c[3]);
            let colon = if close.len() >= '：'.len_utf8() {
                "："
            } else {
                ":"
            };
            format!(
                "{}{label}{colon}{}",
                " ".repeat(open.len()),
                " ".repeat(close.len() - colon.len())
            )
        })
        .into_owned()
}

/// Byte ranges of the bracketed responsibility clauses in folded text.
pub(crate) fn bracketed_clauses(norm: &str) -> Vec<Range<usize>> {
    let prepared = prepare(norm);
    let mut ranges: Vec<Range<usize>> = BRACKETED.find_iter(&prepared).map(|m| m.range()).collect();
    ranges.extend(prose_notes(&prepared).into_iter().map(|(r, _)| r));
    ranges.sort_by_key(|r| r.start);
    // A prose note may overlap a labelled clause: keep the first of overlapping ranges.
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if kept.last().is_none_or(|k| r.start >= k.end) {
            kept.push(r);
        }
    }
    kept
}

/// Where the first unbracketed responsibility clause of folded text starts, if any.
pub(crate) fn first_unbracketed(norm: &str) -> Option<usize> {
    let prepared = prepare(norm);
    let bracketed: Vec<Range<usize>> = BRACKETED.find_iter(&prepared).map(|m| m.range()).collect();
    unbracketed(&prepared, &bracketed).first().map(|r| r.start)
}

fn unbracketed(norm: &str, bracketed: &[Range<usize>]) -> Vec<Range<usize>> {
    ON_ITS_OWN
        .captures_iter(norm)
        .filter_map(|c| c.get(1))
        .map(|m| m.range())
        .filter(|r| !bracketed.iter().any(|b| b.contains(&r.start)))
        .collect()
}

/// Whether folded text holds a labelled responsibility clause (bracketed or not).
pub(crate) fn has_labelled_clause(norm: &str) -> bool {
    let prepared = prepare(norm);
    LABELS
        .find_iter(&prepared)
        .any(|m| role_of(m.as_str()) != Role::Other)
}

/// The departments named in folded text (a measure's lines joined by line breaks),
/// normalised with the plan's region.
pub(crate) fn read(norm: &str, region: Option<&str>) -> Responsibility {
    let norm = prepare(norm);
    let bracketed: Vec<Range<usize>> = BRACKETED.find_iter(&norm).map(|m| m.range()).collect();
    let mut clauses: Vec<Range<usize>> = bracketed.clone();
    clauses.extend(unbracketed(&norm, &bracketed));
    clauses.sort_by_key(|r| r.start);

    let mut lists: Vec<(Role, Vec<Named>)> = Vec::new();
    for clause in clauses {
        lists.extend(labelled_lists(&norm[clause], region));
    }
    if !lists
        .iter()
        .any(|(role, names)| *role != Role::Other && !names.is_empty())
    {
        lists = prose_notes(&norm)
            .into_iter()
            .flat_map(|(_, l)| l)
            .collect();
        if lists.is_empty() {
            lists = prose_sentences(&norm, region);
        }
        lists = lists
            .into_iter()
            .map(|(role, names)| {
                (
                    role,
                    names
                        .into_iter()
                        .filter_map(|n| named(&n.printed, region))
                        .collect(),
                )
            })
            .collect();
    }
    decide(lists)
}

/// The lead, the cooperating and the extra leads from the lists in printed order.
fn decide(lists: Vec<(Role, Vec<Named>)>) -> Responsibility {
    let lead_list = lists
        .iter()
        .position(|(role, names)| *role == Role::Lead && !names.is_empty())
        .or_else(|| {
            lists
                .iter()
                .position(|(role, names)| *role == Role::Responsible && !names.is_empty())
        });
    let lead = lead_list.map(|i| lists[i].1[0].clone());
    let extra_leads = lead_list
        .filter(|&i| lists[i].0 == Role::Lead)
        .map(|i| lists[i].1[1..].iter().map(|n| n.printed.clone()).collect())
        .unwrap_or_default();
    let mut cooperating: Vec<Named> = Vec::new();
    for named in lists
        .into_iter()
        .filter(|(role, _)| *role != Role::Other)
        .flat_map(|(_, names)| names)
    {
        if Some(&named.name) != lead.as_ref().map(|l| &l.name)
            && !cooperating.iter().any(|c| c.name == named.name)
        {
            cooperating.push(named);
        }
    }
    Responsibility {
        lead,
        cooperating,
        extra_leads,
    }
}

fn named(raw: &str, region: Option<&str>) -> Option<Named> {
    let printed: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let printed =
        crate::department::trim_name(crate::department::trim_name(&printed).trim_end_matches('等'))
            .to_owned();
    normalise_department(&printed, region).map(|(name, _)| Named { printed, name })
}

/// The lists of one clause, each with the role of its label.
fn labelled_lists(clause: &str, region: Option<&str>) -> Vec<(Role, Vec<Named>)> {
    let labels: Vec<_> = LABELS.find_iter(clause).collect();
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let role = role_of(label.as_str());
            let end = labels.get(i + 1).map_or(clause.len(), |next| next.start());
            if role == Role::Other {
                return (role, Vec::new());
            }
            let names = split_list(&clause[label.end()..end])
                .iter()
                .filter_map(|raw| named(raw, region))
                .fold(Vec::new(), |mut names: Vec<Named>, n| {
                    if !names.iter().any(|x| x.name == n.name) {
                        names.push(n);
                    }
                    names
                });
            (role, names)
        })
        .collect()
}

fn role_of(label: &str) -> Role {
    let label = label.trim();
    if label.starts_with("牵头") && !label.contains("领导")
        || label.starts_with("主责")
        || label.starts_with("主要责任")
    {
        Role::Lead
    } else if label.contains("领导") || label.contains("人") || label.contains("时") {
        Role::Other
    } else if label.starts_with("责任") || label.starts_with("负责") {
        Role::Responsible
    } else {
        Role::Cooperating
    }
}

/// Bracketed notes written as prose (`(县教育局牵头，县财政局配合)`), with their lists;
/// a note counts only when every name in it is a unit.
fn prose_notes(norm: &str) -> Vec<(Range<usize>, Lists)> {
    NOTE.captures_iter(norm)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let inner = c.get(1)?.as_str();
            let trailing = norm[whole.end()..].split('\n').next().is_some_and(|rest| {
                rest.chars()
                    .all(|c| c.is_whitespace() || "。.；;，,".contains(c))
            });
            let lists = prose(inner).or_else(|| trailing.then(|| bare_list(inner)).flatten())?;
            Some((whole.range(), lists))
        })
        .collect()
}

/// Clauses of a bare list that say how to read it, not who: `排名第一位为牵头单位`, `下同`.
static LIST_CONVENTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:排名第一(?:位)?的?为牵头单位|排在第一(?:位)?的?为牵头单位|列第一(?:位)?的?为牵头单位|第一(?:个|位)?为牵头单位|下同|以下同|按职责分工负责|分别负责)$",
    )
});

/// A note at the end of an item that is nothing but units, `(市教育局,市委农办,各县<市、区>人民政府,
/// 排名第一位为牵头单位,下同)`: its first unit leads, the others cooperate.
fn bare_list(inner: &str) -> Option<Vec<(Role, Vec<Named>)>> {
    if inner.chars().count() > 150 {
        return None;
    }
    let names: Vec<Named> = split_list(inner)
        .iter()
        .filter(|piece| !LIST_CONVENTION.is_match(piece))
        .map(|raw| named(raw, None).filter(|n| is_unit(&n.printed)))
        .collect::<Option<Vec<_>>>()?;
    (!names.is_empty()).then(|| vec![(Role::Responsible, names)])
}

/// Whole sentences written as prose responsibility (`由县教育局负责。`).
fn prose_sentences(norm: &str, _region: Option<&str>) -> Vec<(Role, Vec<Named>)> {
    norm.split(['。', '\n', '！', '!'])
        .filter_map(prose)
        .next()
        .unwrap_or_default()
}

/// One prose note or sentence read as lists, when it is nothing but units and the
/// words 牵头 / 负责 / 配合.
fn prose(text: &str) -> Option<Vec<(Role, Vec<Named>)>> {
    let text = text.trim().trim_end_matches(['。', '；', ';', '，', ',']);
    if text.chars().count() > 150 {
        return None;
    }
    let (first_role, captures) = if let Some(c) = PROSE_LEAD.captures(text) {
        (Role::Lead, c)
    } else {
        (Role::Responsible, PROSE_RESPONSIBLE.captures(text)?)
    };
    let units = |s: &str| -> Option<Vec<Named>> {
        let names: Vec<Named> = split_list(s)
            .iter()
            .map(|raw| {
                let raw = raw.strip_prefix('由').unwrap_or(raw);
                named(raw, None).filter(|n| is_unit(&n.printed))
            })
            .collect::<Option<Vec<_>>>()?;
        (!names.is_empty()).then_some(names)
    };
    let mut lists = vec![(first_role, units(captures.get(1)?.as_str())?)];
    if let Some(rest) = captures.get(2) {
        lists.push((Role::Cooperating, units(rest.as_str())?));
    }
    Some(lists)
}

/// Endings of names that are organisations (not persons, not work): the check that
/// keeps prose such as `中小教科牵头负责完善…` or `学校负责人…` from naming departments.
const UNIT_ENDINGS: &[&str] = &[
    "政府",
    "委员会",
    "妇联",
    "团委",
    "残联",
    "工会",
    "科协",
    "公司",
    "集团",
    "管委会",
    "单位",
    "部门",
    "机构",
    "科",
    "股",
    "室",
    "站",
    "所",
    "队",
    "会",
    "馆",
    "院",
    "中心",
    "党委",
    "纪委",
    "监委",
    "办",
    "局",
    "委",
    "部",
    "厅",
    "处",
    "校",
    "园",
    "街道",
    "乡镇",
    "团镇",
    "分局",
    "支队",
    "大队",
];

fn is_unit(printed: &str) -> bool {
    let n = printed.chars().count();
    (2..=24).contains(&n)
        && (kind_of(printed) != DepartmentKind::Other
            || UNIT_ENDINGS.iter().any(|e| printed.ends_with(e)))
        && !printed.contains(['，', ',', '。', '的', '和', '与'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(text: &str) -> (Option<String>, Vec<String>) {
        let r = read(&crate::script::fold(text), None);
        (
            r.lead.map(|l| l.name),
            r.cooperating.into_iter().map(|c| c.name).collect(),
        )
    }

    #[test]
    fn a_bare_list_at_the_end_leads_with_its_first_name() {
        let (lead, coop) = parties(
            "纳入重点工作。(市教育局,市委农办,各县<市、区>人民政府,排名第一位为牵头单位,下同)",
        );
        assert_eq!(lead.as_deref(), Some("教育局"));
        assert_eq!(coop, ["市委农办", "各县<市、区>人民政府"]);
        // Inside a sentence a bracketed word is not a list.
        assert_eq!(parties("镇(街道)参与的管理体制。").0, None);
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
    fn labels_in_brackets_of_their_own_and_persons() {
        assert_eq!(
            parties("完成。【责任单位】县教育局、县财政局").0.as_deref(),
            Some("教育局")
        );
        let (lead, coop) = parties(
            "完成。\n责任领导：张三\n牵头单位：县教育局\n配合单位：县财政局\n完成时限：2024年底",
        );
        assert_eq!(
            (lead.as_deref(), coop),
            (Some("教育局"), vec!["财政局".to_owned()])
        );
        assert_eq!(
            parties("完成。(责任单位:县教育局;完成时限:2023年6月)").1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn prose_notes_and_sentences() {
        let (lead, coop) = parties("推进改革。（县教育局牵头，县财政局、县人社局配合）");
        assert_eq!(
            (lead.as_deref(), coop),
            (
                Some("教育局"),
                vec!["财政局".to_owned(), "人社局".to_owned()]
            )
        );
        let (lead, coop) = parties("推进改革。县教育局、县发改局牵头，各有关部门按职责分工负责。");
        assert_eq!(
            (lead.as_deref(), coop),
            (
                Some("教育局"),
                vec!["发改局".to_owned(), "各有关部门".to_owned()]
            )
        );
        assert_eq!(
            parties("推进改革。由县教育局负责。").0.as_deref(),
            Some("教育局")
        );
        let (lead, coop) = parties("推进改革（县教育局负责，县财政局参与）");
        assert_eq!(
            (lead.as_deref(), coop),
            (Some("教育局"), vec!["财政局".to_owned()])
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
