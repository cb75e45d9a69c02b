//! The plan put together: which numbered nodes are measures, their phases, the
//! departments they name, the period.
//!
//! A node is a **measure** when it is a leaf of the outline (nothing numbered under
//! it) below chapter level, no chapter or section above it holds goals or
//! principles (see [`crate::chapter`]), and
//! * its chapter holds measures (or the document has no chapters at all), or
//! * its chapter is the 实施步骤 chapter and it sits under a phase or step (its
//!   `phase` is then the phase's name), or
//! * it names a responsible department, whatever its chapter.
//!
//! Phases themselves are not measures. When no node qualifies, chapters of the
//! measures kind with nothing numbered under them are taken as measures instead
//! (plans whose measures are the chapters). A measure whose text is empty goes to
//! `unrecognised`. Codes are as printed; should a code come twice (a compilation
//! restarting its numbering), the later one is suffixed `#2`, `#3` ….

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::chapter::{ChapterKind, classify, holds_no_measures};
use crate::dates::date_ranges;
use crate::department::kind_of;
use crate::error::ImportError;
use crate::header;
use crate::measure::{self, Context};
use crate::model::{ParsedDepartment, ParsedMeasure, ParsedPhase, ParsedPlan};
use crate::outline::{self, Node};
use crate::phase::phase_of;
use crate::script::fold;

/// The plan in checked text.
pub(crate) fn parse(text: &str) -> Result<ParsedPlan, ImportError> {
    let outline = outline::read(text);
    let header = header::read(&outline.preamble);
    let region = header.region.as_deref();
    let period_guess = period(&[], header.title.as_deref());
    let context = Context {
        region,
        year: header
            .title
            .as_deref()
            .and_then(year_in)
            .or(period_guess.map(|(s, _)| s.year())),
    };
    let nodes = &outline.nodes;
    let has_chapters = nodes.iter().any(|n| n.rank == 1);
    let chapter_of = |i: usize| ancestors(nodes, i).chain([i]).find(|&a| nodes[a].rank == 1);
    let kind_of_chapter = |i: usize| {
        chapter_of(i).map_or(
            if has_chapters {
                ChapterKind::Other
            } else {
                ChapterKind::Measures
            },
            |c| classify(&nodes[c].head.norm),
        )
    };

    let phases: Vec<Option<ParsedPhase>> = (0..nodes.len())
        .map(|i| {
            let in_phases = kind_of_chapter(i) == ChapterKind::Phases;
            (nodes[i].rank >= 2)
                .then(|| phase_of(&nodes[i].head, in_phases))
                .flatten()
        })
        .collect();

    let mut measures: Vec<ParsedMeasure> = Vec::new();
    let mut unrecognised: Vec<String> = Vec::new();
    for (i, node) in nodes.iter().enumerate() {
        if node.rank < 2 || node.children > 0 || phases[i].is_some() {
            continue;
        }
        let above: Vec<usize> = ancestors(nodes, i).collect();
        let in_goals = above
            .iter()
            .any(|&a| holds_no_measures(&nodes[a].head.norm));
        let phase = above
            .iter()
            .find_map(|&a| phases[a].as_ref().map(|p| p.name.clone()));
        let kind = kind_of_chapter(i);
        let under_a_step = above.iter().any(|&a| nodes[a].rank >= 2);
        let Some(mut measure) = measure::read(node, phase, context) else {
            if !in_goals
                && (kind == ChapterKind::Measures || (kind == ChapterKind::Phases && under_a_step))
            {
                unrecognised.push(node.raw.clone());
            }
            continue;
        };
        inherit_from_headings(&mut measure, nodes, &above, context);
        let names_department = measure.lead.is_some() || !measure.cooperating.is_empty();
        let counts = match kind {
            _ if in_goals => names_department,
            ChapterKind::Measures => true,
            ChapterKind::Phases => under_a_step || names_department,
            ChapterKind::Other => names_department,
        };
        if counts {
            measures.push(measure);
        }
    }
    if measures.is_empty() {
        measures = nodes
            .iter()
            .enumerate()
            .filter(|(i, n)| {
                n.rank == 1 && n.children == 0 && kind_of_chapter(*i) == ChapterKind::Measures
            })
            .filter_map(|(_, n)| measure::read(n, None, context))
            .collect();
    }
    if measures.is_empty() {
        return Err(ImportError::NoMeasures);
    }
    suffix_repeated_codes(&mut measures);

    let phases: Vec<ParsedPhase> = phases.into_iter().flatten().collect();
    let period = period(&phases, header.title.as_deref());
    Ok(ParsedPlan {
        title: header.title,
        region: header.region,
        issuer: header.issuer,
        period,
        phases,
        departments: departments(&measures),
        measures,
        unrecognised,
    })
}

/// A note on a heading applies to the items under it that have none of their own:
/// the nearest enclosing heading that names a department gives its departments, the
/// nearest that states a deadline gives its deadline.
fn inherit_from_headings(
    measure: &mut ParsedMeasure,
    nodes: &[Node],
    above: &[usize],
    context: Context<'_>,
) {
    if measure.lead.is_some() && (measure.due.is_some() || measure.ongoing) {
        return;
    }
    for &a in above {
        let heading = Node {
            children: 0,
            body: own_body(nodes, a),
            ..nodes[a].clone()
        };
        let Some(from) = measure::read(&heading, None, context) else {
            continue;
        };
        if measure.lead.is_none() && from.lead.is_some() && measure.cooperating.is_empty() {
            measure.lead = from.lead;
            measure.lead_printed = from.lead_printed;
            measure.cooperating = from.cooperating;
            measure.cooperating_printed = from.cooperating_printed;
        }
        if measure.due.is_none()
            && !measure.ongoing
            && responsibility_or_time(&heading)
            && (from.due.is_some() || from.ongoing)
        {
            measure.due = from.due;
            measure.ongoing = from.ongoing;
        }
    }
}

/// Whether a heading carries a note (a responsibility or 完成时限 clause), so that its
/// dates are a deadline for the items under it rather than part of its prose.
fn responsibility_or_time(node: &Node) -> bool {
    let mut text = node.head.norm.clone();
    for line in &node.body {
        text.push('\n');
        text.push_str(&line.norm);
    }
    crate::responsibility::has_labelled_clause(&text)
        || text.contains("完成时限")
        || text.contains("时间节点")
}

/// The lines of a heading before its first numbered child (all of them: the outline
/// keeps only those).
fn own_body(nodes: &[Node], i: usize) -> Vec<crate::text::Line> {
    nodes[i].body.clone()
}

/// The first year printed in a title (`…2024年工作要点` → 2024).
pub(crate) fn year_in(title: &str) -> Option<i32> {
    let folded = fold(title);
    let digits: String = folded
        .chars()
        .map(|c| if c.is_ascii_digit() { c } else { ' ' })
        .collect();
    digits
        .split_whitespace()
        .filter(|d| d.len() == 4)
        .find_map(|d| d.parse().ok())
        .filter(|y| (1990..=2100).contains(y))
}

/// The nodes enclosing node `i`, nearest first.
fn ancestors(nodes: &[Node], i: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(nodes[i].parent, |&p| nodes[p].parent)
}

fn suffix_repeated_codes(measures: &mut [ParsedMeasure]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for measure in measures {
        let count = seen.entry(measure.code.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            measure.code = format!("{}#{count}", measure.code);
        }
    }
}

/// Every department the measures name, leads first within a measure, in first-seen order.
pub(crate) fn departments(measures: &[ParsedMeasure]) -> Vec<ParsedDepartment> {
    let mut departments: Vec<ParsedDepartment> = Vec::new();
    for name in measures
        .iter()
        .flat_map(|m| m.lead.iter().chain(&m.cooperating))
    {
        if !departments.iter().any(|d| &d.name == name) {
            departments.push(ParsedDepartment {
                name: name.clone(),
                kind: kind_of(name),
            });
        }
    }
    departments
}

/// From the earliest phase start to the latest phase end; without phases, a range
/// printed in the title (`…规划(2021-2025年)`).
fn period(phases: &[ParsedPhase], title: Option<&str>) -> Option<(NaiveDate, NaiveDate)> {
    let starts = phases.iter().map(|p| p.starts).min();
    let ends = phases.iter().map(|p| p.ends).max();
    if let (Some(starts), Some(ends)) = (starts, ends) {
        return Some((starts, ends));
    }
    let range = date_ranges(&fold(title?)).into_iter().next()?;
    Some((range.starts, range.ends))
}
