//! The bulletin clock (定期通报): one pass records each department's weekly digest once
//! Monday 09:00 Asia/Shanghai has come, and the quarterly circular once a quarter has
//! ended (see [`duban_domain::bulletin`]).
//!
//! Exactly once, also with several servers and after a restart: each bulletin has a
//! stream of its own named after its department and week (or its quarter), and is
//! appended there only while the stream is empty; a racing clock's append conflicts,
//! is retried on the written stream and records nothing.

use std::collections::BTreeMap;

use duban_domain::Actor;
use duban_domain::Event;
use duban_domain::bulletin::{
    Bulletin, QuarterlyCircularDue, RecordBulletin, circular_quarter, digest, digest_week,
};
use duban_domain::ids::{BulletinId, DepartmentId};
use duban_domain::task::Task;

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::ServiceResult;

impl App {
    /// One pass of the weekly digest clock; returns how many digests were recorded.
    pub async fn digest(&self) -> ServiceResult<usize> {
        let now = self.clock.now();
        let monday = digest_week(now);
        // Each department with running tasks, and those tasks (lead or cooperating).
        let by_department: BTreeMap<DepartmentId, Vec<Task>> = self.read.read(|m| {
            let mut by: BTreeMap<DepartmentId, Vec<Task>> = BTreeMap::new();
            for t in m.tasks.values().map(|v| &v.task) {
                if !t.status.is_running() {
                    continue;
                }
                for d in t.lead.iter().chain(&t.cooperating) {
                    by.entry(*d).or_default().push(t.clone());
                }
            }
            by
        });
        let mut recorded = 0;
        for (department, tasks) in by_department {
            let id = Bulletin::weekly_id(department, monday);
            if self.load::<Bulletin>(&id.stream()).await?.is_some() {
                continue;
            }
            let Some(due) = digest(department, &tasks, now) else {
                continue;
            };
            recorded += self
                .record_bulletin(id, Event::WeeklyDigestDue(due))
                .await?;
        }
        if recorded > 0 {
            tracing::info!(recorded, %monday, "bulletin clock recorded WeeklyDigestDue");
        }
        Ok(recorded)
    }

    /// One pass of the quarterly circular clock; returns 1 when it recorded the
    /// circular of the quarter that ended last, else 0.
    pub async fn circulate(&self) -> ServiceResult<usize> {
        let now = self.clock.now();
        let quarter = circular_quarter(now);
        let id = Bulletin::quarterly_id(quarter);
        if self.load::<Bulletin>(&id.stream()).await?.is_some() {
            return Ok(0);
        }
        let event = Event::QuarterlyCircularDue(QuarterlyCircularDue {
            year: quarter.year,
            quarter: quarter.quarter,
            detected_at: now,
        });
        let recorded = self.record_bulletin(id, event).await?;
        if recorded > 0 {
            tracing::info!(
                year = quarter.year,
                quarter = quarter.quarter,
                "bulletin clock recorded QuarterlyCircularDue"
            );
        }
        Ok(recorded)
    }

    /// Records `event` on bulletin `id`'s stream unless it is written; the events
    /// recorded (0 or 1).
    async fn record_bulletin(&self, id: BulletinId, event: Event) -> ServiceResult<usize> {
        let done = self
            .run::<Bulletin>(
                &id.stream(),
                &Actor::system(),
                &CommandOptions::default(),
                RecordBulletin(event),
            )
            .await?;
        Ok(done.events.len())
    }
}
