//! `taskEvents`: task events as they are recorded. A DEPARTMENT sees only events of
//! tasks where it is lead or cooperating as the task stood right after the event (so the
//! assignment that makes it lead is delivered to it, and an event from before a
//! reassignment to it is not).
//!
//! Events come from the read model's feed (`readmodel::feed`), not from the log: one
//! read serves every subscription. A subscription that falls [`FEED_CAPACITY`] batches
//! behind gets an error and ends; its client resubscribes. Before a batch is delivered,
//! the connection's token is checked as of the batch's last event (see
//! [`super::connection`]).
//!
//! [`FEED_CAPACITY`]: crate::readmodel::feed::FEED_CAPACITY

use async_graphql::{Context, ErrorExtensions, ID, Subscription};
use futures::Stream;
use tokio::sync::broadcast::error::RecvError;

use duban_domain::Role;
use duban_domain::ids::{DepartmentId, PlanId};

use super::connection::ConnectionAuth;
use super::context::{GqlResult, app, viewer};
use super::types::EventObj;
use crate::error::ErrorCode;

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
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<EventObj>> + use<>> {
        let viewer = viewer(ctx)?.clone();
        let app = app(ctx).clone();
        let auth = ctx.data_opt::<ConnectionAuth>().cloned();
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
        let (mut feed, mut after) = app.read.follow();
        Ok(async_stream::stream! {
            loop {
                let batch = match feed.recv().await {
                    Ok(batch) => batch,
                    Err(RecvError::Closed) => break,
                    Err(RecvError::Lagged(_)) => {
                        tracing::warn!("a subscription fell behind the feed and was ended");
                        yield Err(async_graphql::Error::new(
                            "this subscription fell too far behind the log and has ended: \
                             subscribe again (events since are in the task's history)",
                        )
                        .extend_with(|_, e| e.set("code", ErrorCode::Internal.as_str())));
                        break;
                    }
                };
                let visible: Vec<_> = batch
                    .iter()
                    .filter(|folded| folded.record.position > after)
                    .filter(|folded| {
                        folded.scope.as_ref().is_some_and(|scope| {
                            plan_id.is_none_or(|p| scope.plan_id == Some(p))
                                && department.is_none_or(|d| scope.involves(d))
                        })
                    })
                    .collect();
                if let Some(last) = batch.last() {
                    after = after.max(last.record.position);
                }
                let Some(newest) = visible.last() else {
                    continue;
                };
                if let Some(auth) = &auth
                    && !auth.holds_through(&app, newest.record.position).await
                {
                    break;
                }
                for folded in visible {
                    yield Ok(EventObj(folded.record.clone()));
                }
            }
        })
    }
}
