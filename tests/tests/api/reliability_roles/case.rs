//! One cell of the role matrix: the request an operation's builder makes, who may send
//! it, and what a successful answer must show.

use serde_json::Value;

use super::world::Who;

/// Who, among the authenticated, may run an operation; everyone else gets FORBIDDEN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every role (departments get data scoped to their own tasks where the check says).
    Everyone,
    /// The office and auditors (history, the log, integrity; reads involving a task).
    OfficeAndAuditor,
    /// The office, auditors, and the departments involved in the task (lead, cooperating).
    Involved,
    /// The office, auditors and department A (A's worklist).
    OfficeAuditorLead,
    /// Only the office: every write except progress and submission.
    Office,
    /// The office and the involved departments (progress reports).
    OfficeAndInvolved,
    /// The office and the lead department (submission for verification).
    OfficeAndLead,
}

impl Rule {
    /// Whether `who` (authenticated) may run the operation.
    pub fn permits(self, who: Who) -> bool {
        use Who::*;
        match self {
            Rule::Everyone => matches!(who, Office | Lead | Cooperating | Other | Auditor),
            Rule::OfficeAndAuditor => matches!(who, Office | Auditor),
            Rule::Involved => matches!(who, Office | Auditor | Lead | Cooperating),
            Rule::OfficeAuditorLead => matches!(who, Office | Auditor | Lead),
            Rule::Office => who == Office,
            Rule::OfficeAndInvolved => matches!(who, Office | Lead | Cooperating),
            Rule::OfficeAndLead => matches!(who, Office | Lead),
        }
    }
}

/// Checks the `data` of a successful answer.
pub type Check = Box<dyn Fn(&Value) -> Result<(), String> + Send + Sync>;

/// A request of one operation, as one role sends it.
pub struct Case {
    /// The GraphQL document.
    pub query: &'static str,
    /// Its variables.
    pub variables: Value,
    /// Who may run it.
    pub rule: Rule,
    /// What a successful answer must show.
    pub check: Check,
}

impl Case {
    /// A case whose successful answer must pass `check`.
    pub fn new(
        query: &'static str,
        variables: Value,
        rule: Rule,
        check: impl Fn(&Value) -> Result<(), String> + Send + Sync + 'static,
    ) -> Case {
        Case {
            query,
            variables,
            rule,
            check: Box::new(check),
        }
    }
}

/// The `id`s of a list of objects.
pub fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Passes when `actual` equals `expected`.
pub fn equals(what: &str, actual: &Value, expected: &Value) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{what} is {actual}, expected {expected}"))
    }
}

/// Passes when the list holds every id of `wanted` and none of `unwanted`.
pub fn scoped(list: &Value, wanted: &[&str], unwanted: &[&str]) -> Result<(), String> {
    let ids = ids(list);
    for id in wanted {
        if !ids.iter().any(|i| i == id) {
            return Err(format!("{id} is missing from {list}"));
        }
    }
    for id in unwanted {
        if ids.iter().any(|i| i == id) {
            return Err(format!("{id} must not be listed: {list}"));
        }
    }
    Ok(())
}
