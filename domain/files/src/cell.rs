//! One spreadsheet cell as the string a reader of the sheet sees.

use calamine::Data;

/// The cell as printed: trimmed text, whole numbers without `.0`, dates as
/// `YYYY-MM-DD` (Excel's 1900 date system), booleans as `TRUE` / `FALSE`.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) => number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) if dt.is_datetime() => excel_date(dt.as_f64()),
        Data::DateTime(dt) => number(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as a person types it: `3`, not `3.0`; `0.25` as is.
pub(crate) fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// An Excel serial date (days since 1899-12-30, the fraction being the time of day)
/// as `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM` when it carries a time.
fn excel_date(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
        return number(serial);
    }
    let days = serial.floor() as i64;
    let (y, m, d) = civil_from_days(days - 25_569); // 1970-01-01 is serial 25569
    let minutes = ((serial - serial.floor()) * 1440.0).round() as i64;
    if minutes == 0 || minutes == 1440 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}",
            minutes / 60,
            minutes % 60
        )
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_print_as_read() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2025.0), "2025");
        assert_eq!(number(0.25), "0.25");
        assert_eq!(excel_date(45_473.0), "2024-06-30");
        assert_eq!(excel_date(25_569.5), "1970-01-01 12:00");
        assert_eq!(cell_text(&Data::String("  县教育局 ".into())), "县教育局");
    }
}
