//! The student-weighted difference coefficient (差异系数) of the 优质均衡 assessment.
//!
//! CV = sqrt(Σ (Pᵢ/P)(Xᵢ − X̄)²) / X̄, where Xᵢ is school i's ratio (e.g. books per
//! student), Pᵢ its students, P the county's students and X̄ the county total divided by
//! the county's students (not the mean of the ratios). The unweighted σ/μ over the ratios,
//! which offices often compute by hand, is [`unweighted`]: kept only to show the
//! difference, never used for a verdict.

/// One school's share: its students and its total (books, ㎡, teachers × per).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// Pᵢ.
    pub students: f64,
    /// The school's total of the measured quantity, already multiplied by `per`.
    pub total: f64,
}

/// The student-weighted coefficient; `None` without students or when the county's
/// mean is 0 (the coefficient is not defined).
pub fn weighted(shares: &[Share]) -> Option<f64> {
    let students: f64 = shares.iter().map(|s| s.students).sum();
    let total: f64 = shares.iter().map(|s| s.total).sum();
    if students <= 0.0 || total <= 0.0 {
        return None;
    }
    let mean = total / students;
    let variance: f64 = shares
        .iter()
        .filter(|s| s.students > 0.0)
        .map(|s| {
            let x = s.total / s.students;
            s.students / students * (x - mean).powi(2)
        })
        .sum();
    Some(variance.sqrt() / mean)
}

/// The population σ/μ of the schools' ratios, every school counting alike: the wrong
/// formula for the assessment, kept to show how far it is from [`weighted`].
pub fn unweighted(shares: &[Share]) -> Option<f64> {
    let ratios: Vec<f64> = shares
        .iter()
        .filter(|s| s.students > 0.0)
        .map(|s| s.total / s.students)
        .collect();
    if ratios.is_empty() {
        return None;
    }
    let n = ratios.len() as f64;
    let mean = ratios.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return None;
    }
    let variance = ratios.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    Some(variance.sqrt() / mean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(rows: &[(f64, f64)]) -> Vec<Share> {
        rows.iter()
            .map(|&(students, total)| Share { students, total })
            .collect()
    }

    /// The published example: 5 primary schools, 302 students, 1,913 books.
    fn worked_example() -> Vec<Share> {
        shares(&[
            (45.0, 279.0),
            (37.0, 137.0),
            (89.0, 935.0),
            (76.0, 160.0),
            (55.0, 402.0),
        ])
    }

    #[test]
    fn the_worked_example_gives_0_515_weighted_and_0_489_unweighted() {
        let example = worked_example();
        let students: f64 = example.iter().map(|s| s.students).sum();
        let books: f64 = example.iter().map(|s| s.total).sum();
        assert_eq!((students, books), (302.0, 1913.0));
        let cv = weighted(&example).expect("defined");
        assert_eq!(format!("{cv:.3}"), "0.515");
        let naive = unweighted(&example).expect("defined");
        assert_eq!(format!("{naive:.3}"), "0.489");
    }

    #[test]
    fn equal_ratios_give_zero_and_scaling_gives_the_same_coefficient() {
        let even = shares(&[(10.0, 50.0), (30.0, 150.0), (60.0, 300.0)]);
        assert_eq!(weighted(&even), Some(0.0));
        let example = worked_example();
        let doubled: Vec<Share> = example
            .iter()
            .map(|s| Share {
                students: s.students * 2.0,
                total: s.total * 3.0,
            })
            .collect();
        let (a, b) = (weighted(&example).unwrap(), weighted(&doubled).unwrap());
        assert!((a - b).abs() < 1e-12, "{a} vs {b}");
    }

    #[test]
    fn undefined_without_students_or_total() {
        assert_eq!(weighted(&[]), None);
        assert_eq!(weighted(&shares(&[(10.0, 0.0)])), None);
        assert_eq!(unweighted(&[]), None);
    }
}
