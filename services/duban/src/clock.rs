//! The injected clock. `DUBAN_NOW=2025-07-01T09:00:00+08:00` fixes it for a whole process
//! (demos, tests, what-if runs); tests may also move a manual clock forward.

use chrono::{DateTime, Utc};
use std::sync::{Arc, RwLock};

/// Where "now" comes from.
#[derive(Clone, Debug)]
pub struct Clock {
    fixed: Option<Arc<RwLock<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that stands at `at` until [`Clock::set`] moves it.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self {
            fixed: Some(Arc::new(RwLock::new(at))),
        }
    }

    /// `DUBAN_NOW` if set (RFC 3339), else the system clock.
    pub fn from_env() -> Result<Self, String> {
        match std::env::var("DUBAN_NOW") {
            Ok(raw) if !raw.trim().is_empty() => DateTime::parse_from_rfc3339(raw.trim())
                .map(|t| Self::fixed(t.with_timezone(&Utc)))
                .map_err(|e| format!("DUBAN_NOW={raw} is not an RFC 3339 time: {e}")),
            _ => Ok(Self::system()),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            None => Utc::now(),
            Some(at) => *at.read().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a fixed clock; a system clock ignores it.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(fixed) = &self.fixed {
            *fixed.write().unwrap_or_else(|e| e.into_inner()) = at;
        }
    }

    /// Whether the clock is fixed.
    pub fn is_fixed(&self) -> bool {
        self.fixed.is_some()
    }
}
