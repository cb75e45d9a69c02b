//! /healthz (the process is up), /readyz (the database answers and the read models are
//! not too far behind), /metrics (Prometheus text, for the office's and auditors'
//! tokens, or on an address of its own).

use std::sync::Arc;
use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use duban_domain::Role;

use crate::app::App;

use super::ServerConfig;

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// How long readiness waits for the database: a load balancer asks often and wants a
/// quick no rather than a slow answer while the database restarts.
const READY_WITHIN: Duration = Duration::from_millis(300);

/// Ready when the database answers within [`READY_WITHIN`] and the projection lag is
/// within the bound.
pub async fn readyz(app: web::Data<Arc<App>>, config: web::Data<ServerConfig>) -> HttpResponse {
    let head = match tokio::time::timeout(READY_WITHIN, app.store.head()).await {
        Ok(Ok(head)) => head,
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database unreachable");
            return HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "not ready", "database": "unreachable" }));
        }
        Err(_) => {
            tracing::warn!("readiness: the database did not answer in {READY_WITHIN:?}");
            return HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "not ready", "database": "not answering" }));
        }
    };
    let lag = (head - app.read.position()).max(0);
    app.metrics.set_lag(lag);
    let body =
        json!({ "database": "ok", "head": head, "projectionLag": lag, "maxLag": config.max_lag });
    if lag > config.max_lag {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "not ready", "detail": body }))
    } else {
        HttpResponse::Ok().json(json!({ "status": "ready", "detail": body }))
    }
}

/// Prometheus text exposition on the API's address: for the office's or an auditor's
/// bearer token only (a scraper sends one; or serve /metrics on an address of its own
/// with `serve --metrics-listen`, see [`open_metrics`]).
pub async fn metrics(app: web::Data<Arc<App>>, req: HttpRequest) -> HttpResponse {
    let token = match super::endpoints::viewer_of(&app, &req).await {
        Ok(token) => token,
        Err(response) => return response,
    };
    if !matches!(token.role, Role::Office | Role::Auditor) {
        let refused =
            duban_domain::DomainError::forbidden("metrics are for the office and auditors");
        return super::refusal::refuse(&app, &refused.into());
    }
    open_metrics(app).await
}

/// Prometheus text exposition without a token, for the metrics address only.
pub async fn open_metrics(app: web::Data<Arc<App>>) -> HttpResponse {
    if let Ok(head) = app.store.head().await {
        app.metrics.set_lag((head - app.read.position()).max(0));
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(app.metrics.render())
}
