//! Department names: splitting lists, one canonical name per office, and its kind.
//!
//! * Traditional characters are folded to Simplified (`財政局` → `财政局`).
//! * Brackets, list punctuation, white space and a trailing `等` are dropped.
//! * A leading region name (the plan's region, e.g. `鲤城区`, or its stem `鲤城`) or a
//!   leading administrative prefix `县`/`区`/`市` is dropped when what remains is
//!   itself a bureau: `县教育局`, `区教育局` and `教育局` are one office. It stays when
//!   it is part of a word (`市场监督管理局`, `市政局`, `县委组织部`, `县政府`, `县域`).
//! * In a list, a bare collective after one named with 各 inherits it:
//!   `各团镇、乡` is `各团镇` and `各乡`.
//!
//! Kinds: townships, towns, streets and regiment towns (and 各… of them) are
//! TOWNSHIP; schools and kindergartens SCHOOL; names ending in 局 委 办 部 院 中心 厅
//! 室 处 科 所 站 署 府 组 BUREAU; anything else (妇联, 残联 …) OTHER.

use crate::model::DepartmentKind;
use crate::script::fold;
use crate::text::is_han;

const TOWNSHIP_ENDINGS: &[&str] = &[
    "街道办事处",
    "街道办",
    "街道",
    "办事处",
    "乡镇",
    "团镇",
    "团场",
    "乡",
    "镇",
    "社区",
    "苏木",
    "村",
    "连队",
];
const TOWNSHIP_WORDS: &[&str] = &["镇人民政府", "乡人民政府", "镇政府", "乡政府"];
/// Bare collectives that take the 各 of the name before them in a list.
const COLLECTIVES: &[&str] = &[
    "乡",
    "镇",
    "乡镇",
    "团",
    "团镇",
    "团场",
    "街道",
    "街道办",
    "街道办事处",
    "社区",
    "村",
    "连队",
];
const SCHOOL_ENDINGS: &[&str] = &[
    "校",
    "小学",
    "中学",
    "大学",
    "幼儿园",
    "分校",
    "校区",
    "完小",
    "教学点",
    "附中",
    "职教中心",
    "职业中专",
];
const BUREAU_ENDINGS: &[&str] = &[
    "局", "委", "办", "部", "院", "中心", "厅", "室", "处", "科", "所", "站", "署", "府", "组",
];
/// What may follow 县/区/市 without being a department of its own.
const PREFIX_WORDS: &[&str] = &[
    "委", "政府", "人民", "场", "政局", "政管", "政工", "政园", "政公", "域", "直", "级", "属",
    "长",
];
/// List labels that are not names.
const LABELS: &[&str] = &[
    "责任单位",
    "责任部门",
    "牵头单位",
    "牵头部门",
    "配合单位",
    "配合部门",
];
const TRIM: &[char] = &[
    '、', ',', '，', ';', '；', ':', '：', '。', '.', '(', ')', '（', '）', '〔', '〕', '[', ']',
    '【', '】', '“', '”', '"', '\'', '‘', '’', '《', '》', '<', '>', '/',
];

const PAIRS: &[(char, char)] = &[
    ('(', ')'),
    ('（', '）'),
    ('<', '>'),
    ('《', '》'),
    ('〔', '〕'),
    ('[', ']'),
    ('【', '】'),
];

/// `name` without separators and stray or enclosing brackets at either end; a bracket
/// whose partner is inside the name stays (各乡镇（街道）, 各县(市、区)教育局).
pub(crate) fn trim_name(mut name: &str) -> &str {
    loop {
        let before = name.len();
        if let Some(c) = name.chars().next().filter(|c| TRIM.contains(c)) {
            let inner = &name[c.len_utf8()..];
            let paired = PAIRS.iter().any(|&(open, close)| {
                open == c && inner.contains(close) && !inner.ends_with(close)
            });
            if !paired {
                name = &name[c.len_utf8()..];
            }
        }
        if let Some(c) = name.chars().next_back().filter(|c| TRIM.contains(c)) {
            let inner = &name[..name.len() - c.len_utf8()];
            let paired = PAIRS.iter().any(|&(open, close)| {
                close == c && inner.contains(open) && !inner.starts_with(open)
            });
            if !paired {
                name = &name[..name.len() - c.len_utf8()];
            }
        }
        if name.len() == before {
            return name;
        }
    }
}

/// The canonical name and kind of a department as a plan names it, or `None` when
/// `raw` holds no name. `region` is the plan's region (e.g. `鲤城区`), whose name is
/// dropped from the front of a bureau's name.
///
/// ```
/// use duban_import::{normalise_department, DepartmentKind};
/// assert_eq!(normalise_department("县教育局", None), Some(("教育局".into(), DepartmentKind::Bureau)));
/// assert_eq!(normalise_department("鲤城区教育局", Some("鲤城区")), Some(("教育局".into(), DepartmentKind::Bureau)));
/// assert_eq!(normalise_department("各团镇", None), Some(("各团镇".into(), DepartmentKind::Township)));
/// assert_eq!(normalise_department("市场监督管理局", None), Some(("市场监督管理局".into(), DepartmentKind::Bureau)));
/// ```
pub fn normalise_department(raw: &str, region: Option<&str>) -> Option<(String, DepartmentKind)> {
    let folded: String = fold(raw).chars().filter(|c| !c.is_whitespace()).collect();
    let mut name = trim_name(trim_name(&folded).trim_end_matches('等'));
    if name.is_empty() || name.chars().count() > 30 || !name.chars().any(is_han) {
        return None;
    }
    if LABELS.contains(&name) {
        return None;
    }
    if let Some(region) = region.map(fold) {
        let stem = region.trim_end_matches(['县', '区', '市']);
        let prefixes = [
            region.as_str(),
            if stem.chars().count() >= 2 { stem } else { "" },
        ];
        if let Some(rest) = prefixes
            .iter()
            .filter(|p| !p.is_empty())
            .find_map(|p| name.strip_prefix(p).filter(|rest| strippable(rest)))
        {
            name = rest;
        }
    }
    if let Some(rest) = name
        .strip_prefix(['县', '区', '市'])
        .filter(|rest| strippable(rest))
    {
        name = rest;
    }
    Some((name.to_owned(), kind_of(name)))
}

/// Whether what remains after a region or administrative prefix is a bureau by itself.
fn strippable(rest: &str) -> bool {
    rest.chars().count() >= 2
        && !PREFIX_WORDS.iter().any(|w| rest.starts_with(w))
        && kind_of(rest) == DepartmentKind::Bureau
}

/// The kind of a (folded) department name.
pub(crate) fn kind_of(name: &str) -> DepartmentKind {
    let name = name.strip_prefix('各').unwrap_or(name);
    let ends = |list: &[&str]| list.iter().any(|e| name.ends_with(e));
    if name == "团" || ends(TOWNSHIP_ENDINGS) || TOWNSHIP_WORDS.iter().any(|w| name.contains(w)) {
        DepartmentKind::Township
    } else if ends(SCHOOL_ENDINGS) || numbered_school(name) || school_college(name) {
        DepartmentKind::School
    } else if ends(BUREAU_ENDINGS) {
        DepartmentKind::Bureau
    } else {
        DepartmentKind::Other
    }
}

/// 民乐一中, 第二中 …: a school known by its number.
fn numbered_school(name: &str) -> bool {
    let Some(stem) = name.strip_suffix('中') else {
        return false;
    };
    let digits = stem
        .chars()
        .rev()
        .take_while(|c| "一二三四五六七八九十0123456789".contains(*c))
        .count();
    digits > 0
}

/// A 学院 is a school; a 科学院 or 研究院 is not.
fn school_college(name: &str) -> bool {
    name.ends_with("学院") && !name.ends_with("科学院")
}

/// The names in one printed list, split on 、 , ， ; ； / and white space, with bare
/// collectives taking the 各 of the name before them.
pub(crate) fn split_list(list: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // Separators inside brackets belong to the name: 各县(市、区)人民政府, 各县<市、区>人民政府.
    let mut depth = 0usize;
    let pieces = list.split(|c: char| {
        match c {
            '(' | '（' | '<' | '〈' | '《' => depth += 1,
            ')' | '）' | '>' | '〉' | '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && ("、,，;；/".contains(c) || c.is_whitespace())
    });
    for piece in pieces {
        let piece = piece.trim_matches(TRIM);
        if piece.is_empty() {
            continue;
        }
        let inherits =
            COLLECTIVES.contains(&piece) && names.last().is_some_and(|prev| prev.starts_with('各'));
        names.push(if inherits {
            format!("各{piece}")
        } else {
            piece.to_owned()
        });
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use DepartmentKind::{Bureau, Other, School, Township};

    #[test]
    fn lists_split_on_every_separator() {
        assert_eq!(
            split_list("教育局、财政局,人社局，住建局;发改委；团委"),
            ["教育局", "财政局", "人社局", "住建局", "发改委", "团委"]
        );
    }

    #[test]
    fn separators_inside_brackets_stay_in_the_name() {
        assert_eq!(
            split_list("市委农办,各县<市、区>人民政府、各县（市、区）教育局"),
            ["市委农办", "各县<市、区>人民政府", "各县（市、区）教育局"]
        );
    }

    #[test]
    fn collectives_inherit_ge() {
        assert_eq!(
            split_list("各团镇、乡,各街道办"),
            ["各团镇", "各乡", "各街道办"]
        );
        assert_eq!(split_list("教育局、乡"), ["教育局", "乡"]);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("各团镇"), Township);
        assert_eq!(kind_of("各街道办"), Township);
        assert_eq!(kind_of("城关镇人民政府"), Township);
        assert_eq!(kind_of("民乐一中"), School);
        assert_eq!(kind_of("县职教中心"), School);
        assert_eq!(kind_of("石桥小学"), School);
        assert_eq!(kind_of("张掖开放大学民乐学院"), School);
        assert_eq!(kind_of("教育科学研究院"), Bureau);
        assert_eq!(kind_of("体卫中心"), Bureau);
        assert_eq!(kind_of("纪委监委"), Bureau);
        assert_eq!(kind_of("妇联"), Other);
    }
}
