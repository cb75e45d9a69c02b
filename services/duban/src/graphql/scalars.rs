//! The contract's scalars: `Date` (YYYY-MM-DD in Asia/Shanghai) and `DateTime` (RFC 3339
//! with offset; we answer in +08:00). `JSON` is async-graphql's own.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use duban_domain::time::ZONE;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => parse_date(s).map(Date).ok_or_else(|| {
                InputValueError::custom(format!(
                    "'{s}' is not a date between {FIRST_YEAR} and {LAST_YEAR} written YYYY-MM-DD"
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// The years a plan's dates may fall in: wide enough for any plan, narrow enough that a
/// typo (year 0, 20255) is refused rather than recorded.
pub const FIRST_YEAR: i32 = 1900;
/// See [`FIRST_YEAR`].
pub const LAST_YEAR: i32 = 2199;

/// Exactly `YYYY-MM-DD` (two-digit month and day), a real date, within the years above.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    (shape && (FIRST_YEAR..=LAST_YEAR).contains(&date.year())).then_some(date)
}

/// An instant, shown in Asia/Shanghai's offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant(pub DateTime<Utc>);

#[Scalar(name = "DateTime")]
impl ScalarType for Instant {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => DateTime::parse_from_rfc3339(s.trim())
                .map(|t| Instant(t.with_timezone(&Utc)))
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "'{s}' is not an RFC 3339 timestamp with offset"
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        let local: DateTime<FixedOffset> = self.0.with_timezone(&ZONE).fixed_offset();
        Value::String(local.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_are_strict() {
        assert!(parse_date("2025-07-10").is_some());
        for bad in [
            "0000-01-01",
            "-0001-01-01",
            "2025-1-1",
            "2025-02-30",
            " 2025-07-10",
            "20255-07-10",
            "2200-01-01",
            "1899-12-31",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
