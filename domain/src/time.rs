//! Calendar rules: deadlines and quarters are read in Asia/Shanghai.
//!
//! A task due on 2025-06-30 is overdue from 2025-07-01 00:00 Asia/Shanghai.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone in which every date of the domain is read.
pub const ZONE: Tz = chrono_tz::Asia::Shanghai;

/// The calendar date in Asia/Shanghai at `now`.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&ZONE).date_naive()
}

/// 00:00 Asia/Shanghai of `date`, as a UTC instant.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    // Asia/Shanghai has no DST since 1991, so local midnight is always unambiguous.
    ZONE.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
}

/// The instant from which a task due on `due` is overdue: 00:00 of the next day.
pub fn overdue_from(due: NaiveDate) -> DateTime<Utc> {
    start_of_day(due.checked_add_days(Days::new(1)).unwrap_or(due))
}

/// Whether the due date has passed at `now`.
pub fn is_past_due(due: NaiveDate, now: DateTime<Utc>) -> bool {
    now >= overdue_from(due)
}

/// Whole days past the due date at `now` (0 when not past due).
pub fn days_overdue(due: NaiveDate, now: DateTime<Utc>) -> i64 {
    (local_date(now) - due).num_days().max(0)
}

/// A calendar quarter in Asia/Shanghai.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    /// A quarter, if `quarter` is 1..=4 and the year is plausible.
    pub fn new(year: i32, quarter: u32) -> Option<Self> {
        ((1..=4).contains(&quarter) && (1900..=9999).contains(&year))
            .then_some(Self { year, quarter })
    }

    /// The quarter that contains `date`.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            quarter: (date.month() - 1) / 3 + 1,
        }
    }

    /// The first day of the quarter.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1).unwrap_or_default()
    }

    /// The last day of the quarter.
    pub fn last_day(&self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    /// The quarter after this one.
    pub fn next(&self) -> Self {
        if self.quarter == 4 {
            Self {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Self {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// 00:00 Asia/Shanghai on the first day: the quarter's start instant.
    pub fn start(&self) -> DateTime<Utc> {
        start_of_day(self.first_day())
    }

    /// 00:00 Asia/Shanghai on the first day of the next quarter: the exclusive end.
    pub fn end(&self) -> DateTime<Utc> {
        start_of_day(self.next().first_day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn overdue_starts_at_local_midnight_after_the_due_date() {
        let due = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        assert!(!is_past_due(due, at("2025-06-30T23:59:59+08:00")));
        assert!(is_past_due(due, at("2025-07-01T00:00:00+08:00")));
        // 2025-06-30T16:00Z is 2025-07-01 00:00 in Shanghai.
        assert!(is_past_due(due, at("2025-06-30T16:00:00Z")));
        assert!(!is_past_due(due, at("2025-06-30T15:59:59Z")));
        assert_eq!(days_overdue(due, at("2025-07-03T08:00:00+08:00")), 3);
    }

    #[test]
    fn quarters_are_bounded_in_shanghai() {
        let q = Quarter::new(2024, 2).unwrap();
        assert_eq!(q.first_day(), NaiveDate::from_ymd_opt(2024, 4, 1).unwrap());
        assert_eq!(q.last_day(), NaiveDate::from_ymd_opt(2024, 6, 30).unwrap());
        assert_eq!(q.end(), at("2024-07-01T00:00:00+08:00"));
        assert_eq!(q.start(), at("2024-04-01T00:00:00+08:00"));
        assert_eq!(
            Quarter::new(2024, 4).unwrap().next(),
            Quarter::new(2025, 1).unwrap()
        );
        assert!(Quarter::new(2024, 5).is_none());
        assert_eq!(
            Quarter::of(local_date(at("2024-03-31T16:00:00Z"))),
            Quarter::new(2024, 2).unwrap()
        );
    }
}
