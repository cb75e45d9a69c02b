//! `taskEvents`: task events as they are recorded. A DEPARTMENT sees only events of
//! tasks where it is lead or cooperating (as the task stands once the event is folded in,
//! so the assignment that makes it lead is delivered to it).

use async_graphql::{Context, ID, Subscription};
use futures::Stream;

use duban_domain::Role;
use duban_domain::ids::{DepartmentId, PlanId, TaskId, split_stream};

use super::context::{GqlResult, app, viewer};
use super::types::EventObj;

/// The root subscription type.
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Task events as they are recorded; a DEPARTMENT sees only its own tasks' events.
    async fn task_events(
        &self,
        ctx: &Context<'_>,
        plan_id: Option<ID>,
        department_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = EventObj> + use<>> {
        let viewer = viewer(ctx)?.clone();
        let app = app(ctx).clone();
        let plan_id = plan_id
            .map(|p| PlanId::parse("planId", &p))
            .transpose()
            .gql()?;
        let mut department = department_id
            .map(|d| DepartmentId::parse("departmentId", &d))
            .transpose()
            .gql()?;
        if viewer.token.role == Role::Department {
            if department.is_some() && department != viewer.token.department {
                return Err(super::context::to_gql(
                    duban_domain::DomainError::forbidden(
                        "a department subscribes only to its own tasks",
                    )
                    .into(),
                ));
            }
            department = viewer.token.department;
        }
        let mut rx = app.store.subscribe();
        let mut after = app.store.head().await.gql()?;
        Ok(async_stream::stream! {
            loop {
                let batch = match app.store.read_all(after, 500).await {
                    Ok(batch) => batch,
                    Err(e) => {
                        tracing::error!(error = %e, "subscription read failed");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if batch.is_empty() {
                    if rx.changed().await.is_err() {
                        break;
                    }
                    continue;
                }
                if let Some(last) = batch.last() {
                    after = last.position;
                    if app.read.wait_for(after).await.is_err() {
                        continue;
                    }
                }
                for rec in batch {
                    let Some((TaskId::PREFIX, uuid)) = split_stream(&rec.stream_id) else {
                        continue;
                    };
                    let visible = app.read.read(|m| {
                        m.tasks.get(&TaskId(uuid)).is_some_and(|v| {
                            plan_id.is_none_or(|p| v.task.plan_id == Some(p))
                                && department.is_none_or(|d| v.task.involves(d))
                        })
                    });
                    if visible {
                        yield EventObj(rec);
                    }
                }
            }
        })
    }
}
