//! The rectification ledger (整改台账) as CSV (UTF-8 with a BOM, so Excel reads the
//! Chinese text) and XLSX (header row, fitted widths, dates as dates), with the
//! `rectificationLedger` filters as query parameters and the same bearer token.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use duban_domain::Role;
use duban_domain::ids::{DepartmentId, PlanId};
use duban_domain::task::{RectificationSource, TaskStatus};
use duban_projections::TaskQuery;

use crate::app::App;
use crate::error::ServiceError;
use crate::ledger::{LedgerRow, ledger_rows, write_csv, write_xlsx};

use super::endpoints::viewer_of;

/// Query parameters: the ledger's filters.
#[derive(Debug, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LedgerParams {
    plan_id: Option<String>,
    status: Option<String>,
    department_id: Option<String>,
    overdue: Option<bool>,
    source: Option<String>,
    unit: Option<String>,
}

fn bad(field: &'static str, reason: String) -> ServiceError {
    ServiceError::invalid(field, reason)
}

impl LedgerParams {
    fn query(&self) -> Result<TaskQuery, ServiceError> {
        fn parse_enum<T: serde::de::DeserializeOwned>(
            field: &'static str,
            raw: &str,
        ) -> Result<T, ServiceError> {
            serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_uppercase()))
                .map_err(|_| bad(field, format!("'{raw}' is not a {field}")))
        }
        let statuses: Vec<TaskStatus> = match &self.status {
            Some(list) => list
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_enum("status", s))
                .collect::<Result<_, _>>()?,
            None => vec![],
        };
        let source: Option<RectificationSource> = self
            .source
            .as_deref()
            .map(|s| parse_enum("source", s))
            .transpose()?;
        Ok(TaskQuery {
            plan_id: self
                .plan_id
                .as_deref()
                .map(|p| PlanId::parse("planId", p))
                .transpose()?,
            kinds: vec![],
            statuses,
            department_id: self
                .department_id
                .as_deref()
                .map(|d| DepartmentId::parse("departmentId", d))
                .transpose()?,
            overdue: self.overdue,
            source,
            unit: self.unit.clone(),
        })
    }
}

async fn rows(
    req: &HttpRequest,
    app: &App,
    params: &LedgerParams,
) -> Result<Vec<LedgerRow>, HttpResponse> {
    let token = viewer_of(app, req).await?;
    let refuse = |e: ServiceError| super::refusal::refuse(app, &e);
    let mut query = params.query().map_err(refuse)?;
    if token.role == Role::Department {
        if query.department_id.is_some() && query.department_id != token.department {
            return Err(refuse(ServiceError::Domain(
                duban_domain::DomainError::forbidden(
                    "a department exports only its own ledger rows",
                ),
            )));
        }
        query.department_id = token.department;
    }
    Ok(app.read.read(|m| ledger_rows(m, &query)))
}

/// GET /export/ledger.csv
pub async fn ledger_csv(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<LedgerParams>,
) -> HttpResponse {
    match rows(&req, &app, &params).await {
        Ok(rows) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ledger.csv\"",
            ))
            .body(write_csv(&rows)),
        Err(response) => response,
    }
}

/// GET /export/ledger.xlsx
pub async fn ledger_xlsx(
    req: HttpRequest,
    app: web::Data<Arc<App>>,
    params: web::Query<LedgerParams>,
) -> HttpResponse {
    let rows = match rows(&req, &app, &params).await {
        Ok(rows) => rows,
        Err(response) => return response,
    };
    match write_xlsx(&rows) {
        Ok(bytes) => HttpResponse::Ok()
            .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ledger.xlsx\"",
            ))
            .body(bytes),
        Err(e) => super::refusal::refuse(
            &app,
            &ServiceError::Internal(format!("xlsx export failed: {e}")),
        ),
    }
}
