//! `answerGuaranteeItem`: the office answers a government-guarantee item that needs
//! evidence rather than figures (G1, G2, G6, G7 in the catalogue) yes or no with a note,
//! for a school year. The answer is a `GuaranteeItemAnswered` event on the county's
//! stream for that year; the assessment policy then reads a "no" as a shortfall of the
//! county (one rectification item, raised once) and a later "yes" as a note on the open
//! item, exactly as it reads a survey.

use duban_domain::Actor;
use duban_domain::county::{CountyYear, CountyYearCommand};
use duban_domain::task::Task;
use duban_projections::assessment::book::{AnswerRecord, evidence_key, is_evidence_item};
use duban_projections::assessment::catalogue::GuaranteeRule;
use duban_projections::assessment::policy::Policy;

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};

/// One answer, as the office gives it.
#[derive(Debug, Clone)]
pub struct GuaranteeAnswer {
    /// The school year (2024 = 2024-2025).
    pub year: i32,
    /// The item's code.
    pub code: String,
    /// Met or not.
    pub met: bool,
    /// The evidence, or what is missing.
    pub note: Option<String>,
}

/// What an answer left: the item's answer on the books and its rectification item.
#[derive(Debug, Clone)]
pub struct GuaranteeAnswered {
    /// The item's code, trimmed.
    pub code: String,
    /// The answer now in force for the year and item.
    pub answer: Option<AnswerRecord>,
    /// The item's rectification item, when one was ever raised (by this answer or an
    /// earlier one).
    pub rectification: Option<Task>,
}

impl App {
    /// Records the office's answer to a guarantee item and runs the policy over it.
    pub async fn answer_guarantee_item(
        &self,
        actor: &Actor,
        answer: GuaranteeAnswer,
        options: &CommandOptions,
    ) -> ServiceResult<GuaranteeAnswered> {
        // Also decided by `CountyYear::decide`; checked first on purpose, so that the
        // item's code is not validated (and named) for a sender who may not answer.
        actor.require_office("answer a guarantee item")?;
        let code = answer.code.trim().to_string();
        let catalogue = self.assessment.catalogue();
        if !is_evidence_item(catalogue, &code) {
            let answerable: Vec<&str> = catalogue
                .guarantees
                .iter()
                .filter(|g| g.rule == GuaranteeRule::Evidence)
                .map(|g| g.code.as_str())
                .collect();
            return Err(ServiceError::invalid(
                "code",
                format!(
                    "'{code}' is not an item answered with evidence (those are {})",
                    answerable.join(", ")
                ),
            ));
        }
        let command = CountyYearCommand::Answer {
            year: answer.year,
            code: code.clone(),
            met: answer.met,
            note: answer.note,
        };
        let stream = CountyYear::id_for(answer.year).stream();
        let executed = self
            .run::<CountyYear>(&stream, actor, options, command)
            .await?;
        let written = self.assessment.catch_up().await?;
        let last = executed.last_position().unwrap_or(0).max(written);
        self.read.wait_for(last).await?;
        let task_id = Policy::task_for(&evidence_key(&code));
        Ok(GuaranteeAnswered {
            code: code.clone(),
            answer: self.assessment.book().answer(answer.year, &code).cloned(),
            rectification: self.load::<Task>(&task_id.stream()).await?,
        })
    }
}
