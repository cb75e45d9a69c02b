//! Plan import: a published plan document (.txt in any Chinese encoding, .docx, .xlsx,
//! .xls, .csv) in; a plan, its measures and their departments out, all recorded
//! atomically as events of the importing office. [`preview`] reads the same document
//! without recording anything (see `import_preview`).
//!
//! Decisions:
//! - every record goes through the domain's `decide`, exactly as if typed in by hand, and
//!   the whole import is one atomic append under the command id, so a failed import
//!   records nothing and a repeated `commandId` records nothing new;
//! - a department named in the text is matched to a registered one by its normalised name
//!   (`县教育局` = `教育局`), else registered;
//! - a measure that names a lead department is assigned to it, due on the date the text
//!   states, or else on the last day of the plan's period (the plan's own deadline);
//! - without phases, the period runs from the import date to the latest stated due date
//!   (or the end of the year);
//! - a measure marked ongoing (长期坚持, 持续推进, 每年 …) is assigned with no due date:
//!   it is shown as ongoing and never goes overdue;
//! - a document without a title line takes the title passed, else the file name
//!   without its extension, else 导入的规划: it is never refused for that;
//! - with a `preview_digest`, the import reads the document again and records only
//!   when it reads exactly as that preview did.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use duban_domain::aggregate::Aggregate;
use duban_domain::department::{Department, DepartmentCommand, DepartmentKind, DepartmentRef};
use duban_domain::ids::{DepartmentId, PlanId, TaskId};
use duban_domain::measure::DefineMeasure;
use duban_domain::plan::{Phase, Plan, PlanCommand};
use duban_domain::task::{LifecycleCommand, Task, TaskCommand};
use duban_domain::time::local_date;
use duban_domain::{Actor, Event};
use duban_import::ParsedPlan;

pub use super::import_preview::{ImportedMeasure, PlanImportPreview, preview};
use duban_store::{ExpectedVersion, StreamAppend};

use crate::app::App;
use crate::commands::encode;
use crate::error::{ServiceError, ServiceResult};

/// What an import created.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The plan.
    pub plan: Plan,
    /// The measures, in document order.
    pub measures: Vec<Task>,
    /// Departments registered by this import.
    pub departments_created: Vec<Department>,
    /// Lines that looked like measures but could not be read.
    pub unrecognised: Vec<String>,
}

/// Overrides for what the text says.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Title instead of the document's first line.
    pub title: Option<String>,
    /// Region instead of the one read from the title.
    pub region: Option<String>,
    /// Idempotency key.
    pub command_id: Option<String>,
    /// The file's name as sent (its extension tells a CSV from text; its stem is the
    /// title of last resort). Empty for text sent inline.
    pub file_name: String,
    /// The digest of a preview this import must match.
    pub preview_digest: Option<String>,
}

fn kind(k: duban_import::DepartmentKind) -> DepartmentKind {
    match k {
        duban_import::DepartmentKind::Bureau => DepartmentKind::Bureau,
        duban_import::DepartmentKind::Township => DepartmentKind::Township,
        duban_import::DepartmentKind::School => DepartmentKind::School,
        duban_import::DepartmentKind::Other => DepartmentKind::Other,
    }
}

fn end_of_year(date: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap_or(date)
}

/// Collects the decided events of one new stream.
struct Batch {
    streams: Vec<StreamAppend>,
}

impl Batch {
    fn push<A: Aggregate>(&mut self, stream: String, events: &[Event]) {
        self.streams.push(StreamAppend {
            stream_id: stream,
            stream_type: A::STREAM_TYPE.to_string(),
            expected: ExpectedVersion::Exact(0),
            events: events.iter().map(encode).collect(),
        });
    }
}

impl App {
    /// Imports a plan document. `progress(done, total)` reports the measures decided.
    pub async fn import_plan(
        &self,
        actor: &Actor,
        bytes: &[u8],
        options: ImportOptions,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> ServiceResult<Imported> {
        // Checked here as well as by each aggregate's `decide` on purpose: an import
        // parses a whole document and plans hundreds of events before anything is
        // decided, and a sender who may not import should not cost the server that.
        actor.require_office("import a plan")?;
        let read = preview(bytes, &options)?;
        if let Some(digest) = options.preview_digest.as_deref()
            && digest != read.digest
        {
            return Err(ServiceError::invalid(
                "previewDigest",
                "the document no longer reads as that preview showed (a different file, title or \
                 region): preview it again",
            ));
        }
        let parsed = read.parsed;
        if let Some(first) = self
            .replay_import(actor, options.command_id.as_deref(), &parsed)
            .await?
        {
            return Ok(first);
        }
        let now = self.clock.now();
        let today = local_date(now);
        let region = options
            .region
            .clone()
            .or(parsed.region.clone())
            .unwrap_or_else(|| "未注明".to_string());
        let title = read.title_used;
        let latest_due = parsed.measures.iter().filter_map(|m| m.due).max();
        let (period_start, period_end) = parsed.period.unwrap_or_else(|| {
            let end = latest_due.unwrap_or_else(|| end_of_year(today)).max(today);
            (today, end)
        });

        let mut batch = Batch { streams: vec![] };
        let plan_id = PlanId::new();
        let plan_events = Plan::decide(
            None,
            &PlanCommand::Draft {
                id: plan_id,
                title,
                region: region.clone(),
                issuer: parsed.issuer.clone(),
                period_start,
                period_end,
                phases: parsed
                    .phases
                    .iter()
                    .map(|p| Phase {
                        name: p.name.clone(),
                        starts: p.starts,
                        ends: p.ends,
                    })
                    .collect(),
            },
            actor,
            now,
        )?;
        let plan = duban_domain::aggregate::replay::<Plan>(&plan_events)
            .ok_or_else(|| ServiceError::Internal("plan draft produced no plan".into()))?;
        batch.push::<Plan>(plan_id.stream(), &plan_events);

        // Departments: match by normalised name, else register.
        let canonical = |name: &str| {
            duban_import::normalise_department(name, Some(&region))
                .map(|(n, _)| n)
                .unwrap_or_else(|| name.trim().to_string())
        };
        let mut by_name: BTreeMap<String, DepartmentRef> = self.read.read(|m| {
            m.departments
                .values()
                .filter(|d| !d.retired)
                .map(|d| (canonical(&d.name), DepartmentRef::from(d)))
                .collect()
        });
        let mut created = Vec::new();
        for parsed_dept in &parsed.departments {
            let key = canonical(&parsed_dept.name);
            if by_name.contains_key(&key) {
                continue;
            }
            let id = DepartmentId::new();
            let events = Department::decide(
                None,
                &DepartmentCommand::Register {
                    id,
                    name: parsed_dept.name.clone(),
                    kind: kind(parsed_dept.kind),
                    parent: None,
                },
                actor,
                now,
            )?;
            let dept = duban_domain::aggregate::replay::<Department>(&events)
                .ok_or_else(|| ServiceError::Internal("registration produced nothing".into()))?;
            by_name.insert(key, DepartmentRef::from(&dept));
            batch.push::<Department>(id.stream(), &events);
            created.push(dept);
        }

        // Measures, assigned where the text names a lead.
        let total = parsed.measures.len() as u64;
        let mut measures = Vec::with_capacity(parsed.measures.len());
        for (i, m) in parsed.measures.iter().enumerate() {
            let id = TaskId::new();
            let mut events = Task::decide(
                None,
                &TaskCommand::DefineMeasure(DefineMeasure {
                    id,
                    plan: plan.clone(),
                    code: Some(m.code.clone()),
                    title: m.title.clone(),
                    description: Some(m.description.clone()),
                    phase: m
                        .phase
                        .clone()
                        .filter(|p| plan.phases.iter().any(|x| &x.name == p)),
                }),
                actor,
                now,
            )
            .map_err(|e| ServiceError::invalid("text", format!("measure {}: {e}", m.code)))?;
            let mut task = duban_domain::aggregate::replay::<Task>(&events);
            if let Some(lead) = &m.lead {
                let find = |name: &str| by_name.get(&canonical(name)).cloned();
                let lead = find(lead).ok_or_else(|| {
                    ServiceError::Internal(format!("department {lead} was not resolved"))
                })?;
                let cooperating: Vec<DepartmentRef> = m
                    .cooperating
                    .iter()
                    .filter_map(|c| find(c))
                    .filter(|c| c.id != lead.id)
                    .collect();
                let assign = TaskCommand::Lifecycle(LifecycleCommand::Assign {
                    lead,
                    cooperating,
                    due: if m.ongoing {
                        None
                    } else {
                        Some(m.due.unwrap_or(period_end))
                    },
                });
                let more = Task::decide(task.as_ref(), &assign, actor, now)?;
                task = more.iter().fold(task, Task::evolve);
                events.extend(more);
            }
            batch.push::<Task>(id.stream(), &events);
            measures.push(task.ok_or_else(|| ServiceError::Internal("no measure".into()))?);
            progress(i as u64 + 1, total);
        }

        let (recorded, duplicate) = self
            .commands
            .append_batch(batch.streams, actor, options.command_id.as_deref(), now)
            .await?;
        if duplicate {
            // Another import with this command id won the race: answer with its result.
            if let Some(first) = self
                .replay_import(actor, options.command_id.as_deref(), &parsed)
                .await?
            {
                return Ok(first);
            }
        }
        self.metrics.events_appended(recorded.len());
        if let Some(last) = recorded.last() {
            self.read.wait_for(last.position).await?;
        }
        Ok(Imported {
            plan,
            measures,
            departments_created: created,
            unrecognised: parsed.unrecognised,
        })
    }

    /// The result of an import already recorded under `command_id`.
    async fn replay_import(
        &self,
        actor: &Actor,
        command_id: Option<&str>,
        parsed: &ParsedPlan,
    ) -> ServiceResult<Option<Imported>> {
        let Some(events) = self.commands.first_answer(actor, command_id).await? else {
            return Ok(None);
        };
        if let Some(last) = events.last() {
            self.read.wait_for(last.position).await?;
        }
        let mut plan = None;
        let mut measures = Vec::new();
        let mut departments = Vec::new();
        for rec in &events {
            match rec.event_type.as_str() {
                "PlanDrafted" => plan = self.load::<Plan>(&rec.stream_id).await?,
                "MeasureDefined" => measures.extend(self.load::<Task>(&rec.stream_id).await?),
                "DepartmentRegistered" => {
                    departments.extend(self.load::<Department>(&rec.stream_id).await?)
                }
                _ => {}
            }
        }
        let plan = plan.ok_or_else(|| {
            ServiceError::invalid("commandId", "this commandId was used for another command")
        })?;
        Ok(Some(Imported {
            plan,
            measures,
            departments_created: departments,
            unrecognised: parsed.unrecognised.clone(),
        }))
    }
}
