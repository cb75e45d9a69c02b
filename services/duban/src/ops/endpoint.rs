//! Notification endpoints: registering (with the address rules and the secret kept out
//! of the log), pausing, resuming, removing and listing them. Shared by the CLI and the API
//! (`graphql::endpoints`).

use duban_domain::Actor;
use duban_domain::endpoint::{Endpoint, EndpointCommand, EndpointKind};
use duban_domain::ids::EndpointId;

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};
use crate::notify::{address, sign};
use crate::on_db;

/// What the office asks for when it adds an endpoint.
#[derive(Debug, Clone)]
pub struct AddEndpoint {
    /// A name for people.
    pub name: String,
    /// How it is called.
    pub kind: EndpointKind,
    /// Where (absent for LOG).
    pub url: Option<String>,
    /// A department's id, when it is for that department's tasks only.
    pub department_id: Option<String>,
    /// The filter; empty means the notices.
    pub event_types: Vec<String>,
    /// The robot's secret (钉钉 加签, 飞书 签名校验); a WEBHOOK gets a new one when absent.
    pub secret: Option<String>,
    /// Calls to loopback, private and link-local addresses allowed.
    pub allow_private: bool,
    /// Idempotency key.
    pub command_id: Option<String>,
}

/// A listed endpoint with its delivery state.
#[derive(Debug, Clone)]
pub struct EndpointEntry {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// A delivery went past the give-up limit.
    pub failing: bool,
}

impl App {
    /// Registers an endpoint; returns it and the signing secret, shown this once.
    pub async fn add_endpoint(
        &self,
        actor: &Actor,
        input: AddEndpoint,
    ) -> ServiceResult<(Endpoint, Option<String>)> {
        actor.require_office("manage notification endpoints")?;
        let url = match input
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(raw) if input.kind != EndpointKind::Log => {
                Some(address::check(raw, input.allow_private).await?.to_string())
            }
            other => other.map(String::from),
        };
        let department = match &input.department_id {
            Some(raw) => Some(self.department_ref("departmentId", raw).await?),
            None => None,
        };
        let secret = match (input.kind, input.secret) {
            (_, Some(s)) if s.trim().is_empty() || s.len() > 200 => {
                return Err(ServiceError::invalid("secret", "1 to 200 characters"));
            }
            (_, Some(s)) => Some(s),
            (EndpointKind::Webhook, None) => Some(sign::new_secret()),
            (_, None) => None,
        };
        let id = EndpointId::new();
        // The registry row and the secret go in first: a registration that then fails
        // leaves a row whose stream is empty, which every reader ignores.
        let head = self.store.head().await?;
        let key = id.0.to_string();
        on_db!(self.db.clone(), |pool| {
            sqlx::query("INSERT INTO notify_checkpoints (endpoint_id, position) VALUES ($1, $2)")
                .bind(&key)
                .bind(head)
                .execute(&pool)
                .await?;
            if let Some(s) = &secret {
                sqlx::query("INSERT INTO notify_secrets (endpoint_id, secret) VALUES ($1, $2)")
                    .bind(&key)
                    .bind(s)
                    .execute(&pool)
                    .await?;
            }
        });
        let options = CommandOptions {
            expected_version: None,
            command_id: input.command_id,
        };
        let done = self
            .run::<Endpoint>(
                &id.stream(),
                actor,
                &options,
                EndpointCommand::Register {
                    id,
                    name: input.name,
                    kind: input.kind,
                    url,
                    department,
                    event_types: input.event_types,
                },
            )
            .await?;
        let endpoint = crate::ops::created(done.state)?;
        // A repeated command id answers the first registration, whose secret was shown.
        let secret = secret.filter(|_| !done.duplicate && endpoint.id == id);
        Ok((endpoint, secret))
    }

    /// Pauses, resumes or removes an endpoint.
    pub async fn change_endpoint(
        &self,
        actor: &Actor,
        raw_id: &str,
        command: EndpointCommand,
    ) -> ServiceResult<Endpoint> {
        actor.require_office("manage notification endpoints")?;
        let id = EndpointId::parse("id", raw_id)?;
        if self.load::<Endpoint>(&id.stream()).await?.is_none() {
            return Err(ServiceError::not_found("endpoint", raw_id));
        }
        let done = self
            .run::<Endpoint>(&id.stream(), actor, &CommandOptions::default(), command)
            .await?;
        crate::ops::created(done.state)
    }

    /// Whether deliveries to `endpoint` went past the give-up limit.
    pub async fn endpoint_failing(&self, endpoint: &Endpoint) -> ServiceResult<bool> {
        let key = endpoint.id.0.to_string();
        let row: Option<(i32,)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as("SELECT failing FROM notify_checkpoints WHERE endpoint_id = $1")
                .bind(&key)
                .fetch_optional(&pool)
                .await?
        });
        Ok(row.is_some_and(|r| r.0 != 0))
    }

    /// Every registered endpoint (removed ones too), oldest first.
    pub async fn list_endpoints(&self) -> ServiceResult<Vec<EndpointEntry>> {
        let rows: Vec<(String, i32)> = on_db!(self.db.clone(), |pool| {
            sqlx::query_as(
                "SELECT endpoint_id, failing FROM notify_checkpoints ORDER BY endpoint_id",
            )
            .fetch_all(&pool)
            .await?
        });
        let mut out = Vec::with_capacity(rows.len());
        for (key, failing) in rows {
            let Ok(id) = EndpointId::parse("id", &key) else {
                continue;
            };
            if let Some(endpoint) = self.load::<Endpoint>(&id.stream()).await? {
                out.push(EndpointEntry {
                    endpoint,
                    failing: failing != 0,
                });
            }
        }
        Ok(out)
    }
}
