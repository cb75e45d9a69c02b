//! `importSurvey` / `duban import-survey`: a statistics table in, schools registered and
//! surveys recorded in one append, then the assessment policy run to the end of the log
//! so the items it raised for this import can be answered.

use duban_domain::Actor;
use duban_domain::aggregate::{Aggregate, version_of};
use duban_domain::ids::TaskId;
use duban_domain::school::{School, SchoolCommand, SurveySource, YEARS};
use duban_domain::task::Task;
use duban_store::{ExpectedVersion, StoreError, StreamAppend};

use crate::app::App;
use crate::commands::encode;
use crate::error::{ServiceError, ServiceResult};
use crate::ops::survey_file::read_table;
use crate::ops::survey_table::{ColumnMap, SurveyRow, read_rows};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct SurveyImport {
    /// The file's name, kept as each survey's source.
    pub file_name: String,
    /// The school year (2024 = 2024-2025).
    pub year: i32,
    /// Read and check only; record nothing.
    pub dry_run: bool,
    /// Other header spellings.
    pub columns: ColumnMap,
    /// Idempotency key of the whole import.
    pub command_id: Option<String>,
}

/// What an import did (or, for a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct SurveyImported {
    /// Schools registered by this import.
    pub schools_created: Vec<School>,
    /// Surveys recorded (a row equal to the school stage's survey of that year records
    /// nothing).
    pub surveys_recorded: usize,
    /// Rectification items the policy raised for this import's surveys.
    pub rectifications_raised: Vec<Task>,
    /// Every cell that could not be read; nothing is recorded when any.
    pub problems: Vec<String>,
}

/// How often a conflicting concurrent import is retried.
const RETRIES: usize = 10;

impl App {
    /// Imports a statistics table as `actor` (the office).
    pub async fn import_survey(
        &self,
        actor: &Actor,
        bytes: &[u8],
        import: &SurveyImport,
    ) -> ServiceResult<SurveyImported> {
        // Also decided by the aggregates; checked first on purpose, before a whole
        // workbook is read and hundreds of surveys are planned for a sender who may not.
        actor.require_office("import a school survey")?;
        if !YEARS.contains(&import.year) {
            return Err(ServiceError::invalid(
                "year",
                format!("{} is not a school year between 2000 and 2100", import.year),
            ));
        }
        let table =
            read_table(bytes, &import.file_name).map_err(|e| ServiceError::invalid("file", e))?;
        let rows = match read_rows(&table, &import.columns) {
            Ok(rows) => rows,
            Err(problems) => {
                return Ok(SurveyImported {
                    problems,
                    ..SurveyImported::default()
                });
            }
        };
        if let Some(first) = self
            .commands
            .first_answer(actor, import.command_id.as_deref())
            .await?
        {
            return self.answer(&first).await;
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (batch, created, surveys) = self.plan_import(actor, &rows, import).await?;
            if import.dry_run || batch.is_empty() {
                return Ok(SurveyImported {
                    schools_created: created,
                    surveys_recorded: surveys,
                    ..SurveyImported::default()
                });
            }
            match self
                .commands
                .append_batch(batch, actor, import.command_id.as_deref(), self.clock.now())
                .await
            {
                Ok((events, _duplicate)) => {
                    self.metrics.events_appended(events.len());
                    return self.answer(&events).await;
                }
                Err(ServiceError::Store(StoreError::VersionConflict { .. }))
                    if attempt < RETRIES => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// One append: per school, its registration if new and its surveys.
    async fn plan_import(
        &self,
        actor: &Actor,
        rows: &[SurveyRow],
        import: &SurveyImport,
    ) -> ServiceResult<(Vec<StreamAppend>, Vec<School>, usize)> {
        let mut order: Vec<&str> = Vec::new();
        for row in rows {
            if !order.contains(&row.name.as_str()) {
                order.push(&row.name);
            }
        }
        let now = self.clock.now();
        let (mut batch, mut created, mut surveys) = (Vec::new(), Vec::new(), 0);
        for name in order {
            let id = School::id_for(name);
            let mut state: Option<School> = self.load(&id.stream()).await?;
            let version = version_of(state.as_ref());
            let mut events = Vec::new();
            let first = rows.iter().find(|r| r.name == name);
            if state.is_none()
                && let Some(first) = first
            {
                let register = SchoolCommand::Register {
                    name: name.to_string(),
                    kind: first.kind,
                    township: first.township.clone(),
                };
                events.extend(School::decide(None, &register, actor, now)?);
                state = events.iter().fold(None, School::evolve);
                created.extend(state.clone());
            }
            for row in rows.iter().filter(|r| r.name == name) {
                let survey = SchoolCommand::Survey {
                    year: import.year,
                    stage: row.stage,
                    figures: row.figures.clone(),
                    source: SurveySource {
                        file: import.file_name.clone(),
                        row: row.row,
                    },
                };
                let decided = School::decide(state.as_ref(), &survey, actor, now)
                    .map_err(|e| ServiceError::invalid("file", format!("row {}: {e}", row.row)))?;
                surveys += decided.len();
                state = decided.iter().fold(state, School::evolve);
                events.extend(decided);
            }
            if !events.is_empty() {
                batch.push(StreamAppend::new(
                    id.stream(),
                    School::STREAM_TYPE,
                    ExpectedVersion::Exact(version),
                    events.iter().map(encode).collect(),
                ));
            }
        }
        Ok((batch, created, surveys))
    }

    /// The answer for an import's recorded events: runs the policy to the end of the
    /// log and gathers the items raised for these surveys.
    async fn answer(&self, events: &[duban_store::RecordedEvent]) -> ServiceResult<SurveyImported> {
        let written = self.assessment.catch_up().await?;
        let mut last = events.last().map_or(0, |e| e.position);
        last = last.max(written);
        self.read.wait_for(last).await?;
        let mut done = SurveyImported::default();
        let mut raised: Vec<TaskId> = Vec::new();
        for event in events {
            match event.event_type.as_str() {
                "SchoolRegistered" => {
                    let school: Option<School> = self.load(&event.stream_id).await?;
                    done.schools_created.extend(school);
                }
                "SchoolSurveyed" => {
                    done.surveys_recorded += 1;
                    for id in self.assessment.raised_by(event.position).await {
                        if !raised.contains(&id) {
                            raised.push(id);
                        }
                    }
                }
                _ => {}
            }
        }
        for id in raised {
            if let Some(task) = self.load::<Task>(&id.stream()).await? {
                done.rectifications_raised.push(task);
            }
        }
        Ok(done)
    }
}

/// `duban import-survey`: imports a file and prints what it did; any unreadable cell
/// fails the command (BAD_USER_INPUT) with every problem listed, recording nothing.
pub async fn import_file(
    app: &App,
    actor: &Actor,
    file: &std::path::Path,
    year: i32,
    dry_run: bool,
    columns: Option<std::path::PathBuf>,
    command_id: Option<String>,
) -> ServiceResult<()> {
    let read = |path: &std::path::Path| {
        std::fs::read(path).map_err(|e| {
            ServiceError::invalid("file", format!("cannot read {}: {e}", path.display()))
        })
    };
    let columns = match columns {
        Some(path) => {
            let text = String::from_utf8_lossy(&read(&path)?).into_owned();
            ColumnMap::parse(&text)
                .map_err(|e| ServiceError::invalid("columns", format!("{}: {e}", path.display())))?
        }
        None => ColumnMap::default(),
    };
    let import = SurveyImport {
        file_name: file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        year,
        dry_run,
        columns,
        command_id,
    };
    let done = app.import_survey(actor, &read(file)?, &import).await?;
    if !done.problems.is_empty() {
        return Err(ServiceError::invalid(
            "file",
            format!("nothing recorded:\n  {}", done.problems.join("\n  ")),
        ));
    }
    app.read.flush().await?;
    let verb = if dry_run { "would record" } else { "recorded" };
    println!(
        "{verb} {} surveys of {year}; {} schools new; {} rectification items raised",
        done.surveys_recorded,
        done.schools_created.len(),
        done.rectifications_raised.len()
    );
    for task in &done.rectifications_raised {
        println!("  {} {}", task.id.stream(), task.title);
    }
    Ok(())
}

impl App {
    /// Which schools a token may see in the assessment: `None` for all (office,
    /// auditor), the school's name for a SCHOOL department; FORBIDDEN for any other
    /// department.
    pub fn assessment_scope(
        &self,
        token: &crate::auth::TokenInfo,
    ) -> ServiceResult<Option<String>> {
        if token.role != duban_domain::Role::Department {
            return Ok(None);
        }
        let department = token
            .department
            .and_then(|d| self.read.read(|m| m.departments.get(&d).cloned()));
        match department {
            Some(d) if d.kind == duban_domain::department::DepartmentKind::School => {
                Ok(Some(d.name))
            }
            _ => Err(duban_domain::DomainError::forbidden(
                "the assessment is open to the office, auditors and schools",
            )
            .into()),
        }
    }
}
