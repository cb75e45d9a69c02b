//! Notification endpoints and their deliveries in the API: `endpoints` and the
//! `addEndpoint` family are the office's (departments and auditors get FORBIDDEN: an
//! endpoint's URL may carry a robot's key); `deliveries` is open to the office and
//! auditors. The roots in [`super::query`] and [`super::mutation`] call these.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use duban_domain::endpoint::{Endpoint, EndpointCommand, EndpointKind};

use super::context::{GqlResult, app, viewer};
use super::page::{PageInfo, page_size};
use super::scalars::Instant;
use super::types::{DepartmentObj, department};
use crate::error::ServiceError;
use crate::notify::format::delivery_id;
use crate::notify::ledger::{DeliveryRow, Ledger};
use crate::ops::endpoint::{AddEndpoint, EndpointEntry};

/// Where notifications go.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "EndpointKind", remote = "EndpointKind")]
pub enum EndpointKindGql {
    /// A generic webhook (signed JSON).
    Webhook,
    /// 企业微信 group robot.
    Wecom,
    /// 钉钉 group robot.
    Dingtalk,
    /// 飞书 group robot.
    Feishu,
    /// The server's log.
    Log,
}

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "DeliveryStatus")]
pub enum DeliveryStatusGql {
    /// Not acknowledged yet; being retried.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Past the give-up limit (still probed; see docs/notifications.md).
    Failed,
}

impl DeliveryStatusGql {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryStatusGql::Pending => "PENDING",
            DeliveryStatusGql::Delivered => "DELIVERED",
            DeliveryStatusGql::Failed => "FAILED",
        }
    }
}

/// An endpoint with its delivery state.
pub struct EndpointObj(pub EndpointEntry);

#[Object(name = "Endpoint")]
impl EndpointObj {
    async fn id(&self) -> ID {
        ID(self.0.endpoint.id.stream())
    }
    async fn name(&self) -> &str {
        &self.0.endpoint.name
    }
    async fn kind(&self) -> EndpointKindGql {
        self.0.endpoint.kind.into()
    }
    async fn url(&self) -> Option<&str> {
        self.0.endpoint.url.as_deref()
    }
    /// Set when the endpoint receives one department's tasks only.
    async fn department(&self, ctx: &Context<'_>) -> Option<DepartmentObj> {
        self.0.endpoint.department.and_then(|d| department(ctx, d))
    }
    /// Event types sent; empty means all that the endpoint may see.
    async fn event_types(&self) -> &[String] {
        &self.0.endpoint.event_types
    }
    async fn paused(&self) -> bool {
        self.0.endpoint.paused
    }
    async fn failing(&self) -> bool {
        self.0.failing
    }
}

/// One event for one endpoint.
pub struct DeliveryObj {
    row: DeliveryRow,
    endpoint: EndpointEntry,
}

#[Object(name = "Delivery")]
impl DeliveryObj {
    /// The idempotency id the receiver sees (X-Duban-Delivery).
    async fn id(&self) -> ID {
        ID(delivery_id(self.endpoint.endpoint.id.0, self.row.position))
    }
    async fn endpoint(&self) -> EndpointObj {
        EndpointObj(self.endpoint.clone())
    }
    async fn position(&self) -> String {
        self.row.position.to_string()
    }
    async fn event_type(&self) -> &str {
        &self.row.event_type
    }
    async fn status(&self) -> DeliveryStatusGql {
        match self.row.status.as_str() {
            "DELIVERED" => DeliveryStatusGql::Delivered,
            "FAILED" => DeliveryStatusGql::Failed,
            _ => DeliveryStatusGql::Pending,
        }
    }
    async fn attempts(&self) -> i32 {
        self.row.attempts
    }
    async fn last_attempt_at(&self) -> Option<Instant> {
        chrono::DateTime::from_timestamp_millis(self.row.last_attempt_at).map(Instant)
    }
    async fn last_status_code(&self) -> Option<i32> {
        self.row.last_status_code
    }
}

/// An edge of [`DeliveryConnection`].
#[derive(SimpleObject)]
pub struct DeliveryEdge {
    cursor: String,
    node: DeliveryObj,
}

/// A page of deliveries, in log order.
#[derive(SimpleObject)]
pub struct DeliveryConnection {
    edges: Vec<DeliveryEdge>,
    nodes: Vec<DeliveryObj>,
    page_info: PageInfo,
}

/// `addEndpoint`'s input.
#[derive(InputObject)]
pub struct AddEndpointInput {
    name: String,
    kind: EndpointKindGql,
    url: Option<String>,
    department_id: Option<ID>,
    event_types: Option<Vec<String>>,
    command_id: Option<String>,
    /// The robot's own secret (钉钉 加签, 飞书 签名校验); a WEBHOOK gets a new one.
    secret: Option<String>,
}

/// What `addEndpoint` did.
#[derive(SimpleObject)]
pub struct AddEndpointPayload {
    endpoint: EndpointObj,
    /// The signing secret, shown this once.
    secret: Option<String>,
}

/// `endpoints`: every endpoint not removed, oldest first. OFFICE.
pub async fn endpoints(ctx: &Context<'_>) -> async_graphql::Result<Vec<EndpointObj>> {
    viewer(ctx)?
        .actor()
        .require_office("list notification endpoints")
        .gql()?;
    let all = app(ctx).list_endpoints().await.gql()?;
    Ok(all
        .into_iter()
        .filter(|e| !e.endpoint.removed)
        .map(EndpointObj)
        .collect())
}

/// `deliveries`: in log order, of one endpoint or all. OFFICE and AUDITOR.
pub async fn deliveries(
    ctx: &Context<'_>,
    endpoint_id: Option<ID>,
    status: Option<DeliveryStatusGql>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<DeliveryConnection> {
    viewer(ctx)?.require_office_or_auditor("the deliveries of notifications")?;
    let size = page_size(first).gql()?;
    let endpoint = endpoint_id
        .map(|id| duban_domain::ids::EndpointId::parse("endpointId", &id))
        .transpose()
        .gql()?;
    let after = match after.as_deref() {
        None => (0, String::new()),
        Some(cursor) => cursor
            .rsplit_once(':')
            .and_then(|(e, p)| Some((p.parse::<i64>().ok()?, e.to_string())))
            .ok_or_else(|| ServiceError::invalid("after", format!("'{cursor}' is not a cursor")))
            .gql()?,
    };
    let app = app(ctx);
    let key = endpoint.map(|e| e.0.to_string());
    let mut rows = Ledger::new(app.db.clone())
        .deliveries(
            key.as_deref(),
            status.map(DeliveryStatusGql::as_str),
            (after.0, &after.1),
            size as i64 + 1,
        )
        .await
        .gql()?;
    let has_next_page = rows.len() > size;
    rows.truncate(size);
    let by_id: HashMap<String, EndpointEntry> = app
        .list_endpoints()
        .await
        .gql()?
        .into_iter()
        .map(|e| (e.endpoint.id.0.to_string(), e))
        .collect();
    let mut edges = Vec::with_capacity(rows.len());
    let mut nodes = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(endpoint) = by_id.get(&row.endpoint_id).cloned() else {
            continue;
        };
        let cursor = delivery_id(endpoint.endpoint.id.0, row.position);
        let again = DeliveryObj {
            row: row.clone(),
            endpoint: endpoint.clone(),
        };
        edges.push(DeliveryEdge {
            cursor,
            node: DeliveryObj { row, endpoint },
        });
        nodes.push(again);
    }
    let page_info = PageInfo {
        has_next_page,
        end_cursor: edges.last().map(|e| e.cursor.clone()),
    };
    Ok(DeliveryConnection {
        edges,
        nodes,
        page_info,
    })
}

/// `addEndpoint`. OFFICE.
pub async fn add_endpoint(
    ctx: &Context<'_>,
    input: AddEndpointInput,
) -> async_graphql::Result<AddEndpointPayload> {
    let actor = viewer(ctx)?.actor();
    let app = app(ctx);
    let (endpoint, secret) = app
        .add_endpoint(
            &actor,
            AddEndpoint {
                name: input.name,
                kind: input.kind.into(),
                url: input.url,
                department_id: input.department_id.map(|d| d.0),
                event_types: input.event_types.unwrap_or_default(),
                secret: input.secret,
                allow_private: app.notify.allow_private(),
                command_id: input.command_id,
            },
        )
        .await
        .gql()?;
    Ok(AddEndpointPayload {
        endpoint: EndpointObj(EndpointEntry {
            endpoint,
            failing: false,
        }),
        secret,
    })
}

/// `pauseEndpoint`, `resumeEndpoint`, `removeEndpoint`. OFFICE.
pub async fn change_endpoint(
    ctx: &Context<'_>,
    id: &ID,
    command: EndpointCommand,
) -> async_graphql::Result<EndpointObj> {
    let actor = viewer(ctx)?.actor();
    let app = app(ctx);
    let endpoint: Endpoint = app.change_endpoint(&actor, id, command).await.gql()?;
    let failing = app.endpoint_failing(&endpoint).await.gql()?;
    Ok(EndpointObj(EndpointEntry { endpoint, failing }))
}
