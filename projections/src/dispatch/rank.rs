//! The dispatch ranking: best on-time rate first (departments with nothing due last),
//! then fewer tasks overdue at the end, then department name.

use std::cmp::Ordering;

use duban_domain::ids::DepartmentId;

use crate::dispatch::{DispatchCounts, DispatchRow, Punctuality};

/// Compares two on-time rates exactly (as fractions), higher first, `None` last.
fn by_rate(a: &Punctuality, b: &Punctuality) -> Ordering {
    match (a.due, b.due) {
        (0, 0) => Ordering::Equal,
        (0, _) => Ordering::Greater,
        (_, 0) => Ordering::Less,
        _ => {
            let left = u64::from(a.on_time) * u64::from(b.due);
            let right = u64::from(b.on_time) * u64::from(a.due);
            right.cmp(&left)
        }
    }
}

/// Ranks the rows 1..n; ties that survive every criterion fall back to the id.
pub fn rank(
    rows: impl IntoIterator<Item = (DepartmentId, String, DispatchCounts, Punctuality)>,
) -> Vec<DispatchRow> {
    let mut rows: Vec<DispatchRow> = rows
        .into_iter()
        .map(
            |(department_id, department, counts, punctuality)| DispatchRow {
                department_id,
                department,
                rank: 0,
                counts,
                punctuality,
                on_time_rate: punctuality.rate(),
            },
        )
        .collect();
    rows.sort_by(|a, b| {
        by_rate(&a.punctuality, &b.punctuality)
            .then_with(|| a.counts.overdue_at_end.cmp(&b.counts.overdue_at_end))
            .then_with(|| a.department.cmp(&b.department))
            .then_with(|| a.department_id.cmp(&b.department_id))
    });
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    rows
}
