//! The assessment's county table of a school year as CSV and XLSX
//! (`GET /export/assessment.csv?year=2024`, `.xlsx`), with the same bearer token: the
//! office and auditors get every school, a SCHOOL department its own row.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use duban_projections::assessment::Assessment;

use crate::app::App;
use crate::error::ServiceError;
use crate::ops::survey_export::{write_csv, write_xlsx};

use super::endpoints::viewer_of;

/// Query parameters.
#[derive(Debug, Deserialize)]
pub struct TableParams {
    year: i32,
}

use super::refusal::refuse;

async fn table(req: &HttpRequest, app: &App, year: i32) -> Result<Assessment, HttpResponse> {
    let token = viewer_of(app, req).await?;
    let only = app.assessment_scope(&token).map_err(|e| refuse(app, &e))?;
    let mut a = app.assessment.assess(year);
    if let Some(name) = only {
        a.schools.retain(|s| s.school.name == name);
        a.coefficients.clear();
    }
    Ok(a)
}

fn attachment(content_type: &str, name: String, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// GET /export/assessment.csv?year=
pub async fn table_csv(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<TableParams>,
) -> HttpResponse {
    match table(&req, &app, params.year).await {
        Ok(a) => attachment(
            "text/csv; charset=utf-8",
            format!("assessment-{}.csv", a.year),
            write_csv(&a),
        ),
        Err(response) => response,
    }
}

/// GET /export/assessment.xlsx?year=
pub async fn table_xlsx(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<TableParams>,
) -> HttpResponse {
    let a = match table(&req, &app, params.year).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    match write_xlsx(&a) {
        Ok(bytes) => attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("assessment-{}.xlsx", a.year),
            bytes,
        ),
        Err(e) => {
            tracing::error!(error = %e, "assessment xlsx export failed");
            refuse(&app, &ServiceError::Internal(e.to_string()))
        }
    }
}
