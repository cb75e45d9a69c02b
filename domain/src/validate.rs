//! Input checks shared by the aggregates: trimmed, non-empty, bounded text.

use crate::error::DomainError;

/// A required text: trimmed, not empty, at most `max` characters.
pub fn required_text(field: &'static str, raw: &str, max: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::invalid(field, "must not be empty"));
    }
    bounded(field, text, max)
}

/// An optional text: trimmed; empty becomes `None`; at most `max` characters.
pub fn optional_text(
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => bounded(field, text, max).map(Some),
    }
}

/// Evidence links: at most 50, each non-empty and at most 2,000 characters.
pub fn evidence(raw: &[String]) -> Result<Vec<String>, DomainError> {
    if raw.len() > 50 {
        return Err(DomainError::invalid("evidence", "at most 50 links"));
    }
    raw.iter()
        .map(|link| required_text("evidence", link, 2000))
        .collect()
}

fn bounded(field: &'static str, text: &str, max: usize) -> Result<String, DomainError> {
    // Line breaks and tabs belong in notes; other control characters (NUL above all,
    // which PostgreSQL text cannot hold) are never meant.
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    let count = text.chars().count();
    if count > max {
        return Err(DomainError::invalid(
            field,
            format!("at most {max} characters (got {count})"),
        ));
    }
    Ok(text.to_string())
}
