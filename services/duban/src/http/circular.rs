//! The quarterly circular (调度通报) as a download: `GET /export/circular.md` (the
//! Markdown) and `GET /export/circular.docx` (the same text laid out as a 公文, see
//! [`crate::circular_docx`]), with `year`, `quarter` and an optional `planId` as query
//! parameters and the bearer token, like the ledger exports.
//!
//! The text is the one `quarterlyDispatch.circular` serves the same viewer: both come
//! from [`App::dispatch_answer`]; nothing is rendered here.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use duban_domain::ids::PlanId;
use duban_domain::time::Quarter;

use crate::app::App;
use crate::auth::TokenInfo;
use crate::circular_docx::circular_docx;
use crate::error::ServiceError;

use super::endpoints::viewer_of;

/// Query parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CircularParams {
    year: i32,
    quarter: i32,
    plan_id: Option<String>,
}

use super::refusal::refuse;

/// The circular the viewer would read in `quarterlyDispatch.circular`.
async fn circular_for(
    app: &App,
    viewer: &TokenInfo,
    params: &CircularParams,
) -> Result<(Arc<str>, String), ServiceError> {
    let plan_id = params
        .plan_id
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| PlanId::parse("planId", p))
        .transpose()?;
    let (year, quarter) = (params.year, params.quarter);
    let q = u32::try_from(quarter)
        .ok()
        .and_then(|n| Quarter::new(year, n))
        .ok_or_else(|| {
            ServiceError::invalid(
                "quarter",
                format!("{year} Q{quarter} is not a quarter (quarter is 1 to 4)"),
            )
        })?;
    if q.start() > app.clock.now() {
        return Err(ServiceError::invalid(
            "quarter",
            format!("{year} Q{quarter} has not started yet; ask for a past or the current quarter"),
        ));
    }
    let answer = app.dispatch_answer(plan_id, q).await?;
    Ok((
        answer.circular_seen_by(viewer),
        format!("circular-{year}-Q{quarter}"),
    ))
}

async fn fetch(
    req: &HttpRequest,
    app: &App,
    params: &CircularParams,
) -> Result<(Arc<str>, String), HttpResponse> {
    let viewer = viewer_of(app, req).await?;
    circular_for(app, &viewer, params)
        .await
        .map_err(|e| refuse(app, &e))
}

fn attachment(name: &str) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{name}\""),
    )
}

/// GET /export/circular.md
pub async fn circular_md(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<CircularParams>,
) -> HttpResponse {
    match fetch(&req, &app, &params).await {
        Ok((text, name)) => HttpResponse::Ok()
            .content_type("text/markdown; charset=utf-8")
            .insert_header(attachment(&format!("{name}.md")))
            .body(text.to_string()),
        Err(response) => response,
    }
}

/// GET /export/circular.docx
pub async fn circular_docx_export(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<CircularParams>,
) -> HttpResponse {
    let (text, name) = match fetch(&req, &app, &params).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match circular_docx(&text) {
        Ok(bytes) => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            .insert_header(attachment(&format!("{name}.docx")))
            .body(bytes),
        Err(e) => refuse(&app, &ServiceError::Internal(e.to_string())),
    }
}
