//! The government-guarantee items that need evidence rather than figures, in the API:
//! each listed with its text in `Assessment.evidenceItems` and the office's answer for
//! the year (`GuaranteeItem.answer`), and `answerGuaranteeItem`, the office's yes or no
//! with a note. The answers are the county's: a SCHOOL department sees the items'
//! texts but not the answers, as it sees no county coefficients.

use async_graphql::{Context, InputObject, SimpleObject};

use duban_projections::assessment::Catalogue;
use duban_projections::assessment::book::{AnswerRecord, SurveyBook};
use duban_projections::assessment::catalogue::GuaranteeRule;

use super::context::{GqlResult, app, viewer};
use super::scalars::Instant;
use super::types::{TaskObj, shown};
use crate::commands::CommandOptions;
use crate::ops::guarantee_answer::GuaranteeAnswer;

/// The office's answer to a guarantee item for a school year.
#[derive(SimpleObject)]
pub struct GuaranteeItemAnswer {
    /// Whether the county meets the item.
    met: bool,
    /// The evidence, or what is missing.
    note: Option<String>,
    /// Who answered.
    answered_by: String,
    /// When the answer was recorded.
    answered_at: Instant,
}

impl From<AnswerRecord> for GuaranteeItemAnswer {
    fn from(a: AnswerRecord) -> Self {
        Self {
            met: a.met,
            note: a.note,
            answered_by: a.by,
            answered_at: Instant(a.at),
        }
    }
}

/// A government-guarantee item that needs evidence rather than numbers.
#[derive(SimpleObject)]
pub struct GuaranteeItem {
    code: String,
    name: String,
    /// The standard as the document states it.
    text: String,
    /// The office's latest answer for the year assessed; null while unanswered, and for
    /// a SCHOOL department (the answers are the county's).
    answer: Option<GuaranteeItemAnswer>,
}

/// Every item answered with evidence, with the year's answers when `answers` is set.
pub fn evidence_items(
    catalogue: &Catalogue,
    book: &SurveyBook,
    year: i32,
    answers: bool,
) -> Vec<GuaranteeItem> {
    catalogue
        .guarantees
        .iter()
        .filter(|g| g.rule == GuaranteeRule::Evidence)
        .map(|g| GuaranteeItem {
            code: g.code.clone(),
            name: g.name.clone(),
            text: g.text.clone(),
            answer: answers
                .then(|| book.answer(year, &g.code).cloned().map(Into::into))
                .flatten(),
        })
        .collect()
}

/// `answerGuaranteeItem`'s input.
#[derive(InputObject)]
pub struct AnswerGuaranteeItemInput {
    /// The school year (2024 = the 2024-2025 school year).
    year: i32,
    /// The item's code, one of `Assessment.evidenceItems` (G1, G2, G6, G7).
    code: String,
    /// Whether the county meets the item.
    met: bool,
    /// The evidence, or what is missing (at most 2,000 characters).
    note: Option<String>,
    /// The version of the county's year stream the answer was given against.
    expected_version: Option<i32>,
    command_id: Option<String>,
}

/// What `answerGuaranteeItem` left.
#[derive(SimpleObject)]
pub struct AnswerGuaranteeItemPayload {
    /// The item with the answer now in force for the year.
    item: GuaranteeItem,
    /// The item's rectification item, when one was ever raised for it: raised by a "no",
    /// noted by a later "yes" (never closed by it), reopened by a "no" after closing.
    rectification: Option<TaskObj>,
}

/// `answerGuaranteeItem`.
pub async fn answer_guarantee_item(
    ctx: &Context<'_>,
    input: AnswerGuaranteeItemInput,
) -> async_graphql::Result<AnswerGuaranteeItemPayload> {
    let actor = viewer(ctx)?.actor();
    let app = app(ctx);
    let options = CommandOptions {
        expected_version: input.expected_version.map(i64::from),
        command_id: input.command_id,
    };
    let year = input.year;
    let answered = app
        .answer_guarantee_item(
            &actor,
            GuaranteeAnswer {
                year,
                code: input.code,
                met: input.met,
                note: input.note,
            },
            &options,
        )
        .await
        .gql()?;
    let catalogue = app.assessment.catalogue();
    let item = evidence_items(catalogue, &app.assessment.book(), year, true)
        .into_iter()
        .find(|i| i.code == answered.code)
        .ok_or_else(|| async_graphql::Error::new("the item left the catalogue"))?;
    Ok(AnswerGuaranteeItemPayload {
        item,
        rectification: answered
            .rectification
            .map(|task| shown(ctx, task))
            .transpose()?,
    })
}
