//! The demo's county for the 优质均衡 assessment: nine schools (one a nine-year school
//! with two stages, one a teaching point left out of the coefficients) surveyed for the
//! 2024 and 2025 school years. The 2024 survey raises two items: 长风初级中学's music and
//! art rooms (72 ㎡), rebuilt by the 2025 survey, which notes the item as met, and then
//! submitted and verified by the office (closed); 大路小学's PE and arts teachers, still
//! short in 2025 and still open. The office answers the items that need evidence for
//! both years: teacher rotation (G6) short in 2024, raised for the county, and met in
//! 2025, which notes the item for verification. The demo's figures for 长风初级中学 keep its students,
//! teachers and rooms but scale its areas and equipment to its neighbours', so the
//! county's coefficients meet their limits.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use duban_domain::Actor;
use duban_domain::department::DepartmentKind;
use duban_domain::task::{Task, Verdict};

use crate::app::App;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};
use crate::ops::LifecycleInput;
use crate::ops::guarantee_answer::GuaranteeAnswer;
use crate::ops::survey::SurveyImport;

/// The 2024 statistics table.
pub const COUNTY_2024: &str = include_str!("../../demo/county_2024.csv");
/// The 2025 statistics table: 长风初级中学's rooms rebuilt to 96 / 90 ㎡.
pub const COUNTY_2025: &str = include_str!("../../demo/county_2025.csv");

fn options(step: &str) -> CommandOptions {
    CommandOptions {
        expected_version: None,
        command_id: Some(format!("demo:county:{step}")),
    }
}

async fn import(app: &App, office: &Actor, year: i32, text: &str) -> ServiceResult<Vec<Task>> {
    let import = SurveyImport {
        file_name: format!("{year}学年县域义务教育学校办学条件统计表.csv"),
        year,
        command_id: Some(format!("demo:county:survey-{year}")),
        ..SurveyImport::default()
    };
    let done = app.import_survey(office, text.as_bytes(), &import).await?;
    if !done.problems.is_empty() {
        return Err(ServiceError::Internal(done.problems.join("; ")));
    }
    Ok(done.rectifications_raised)
}

/// The school department of this name, registered if it is not yet.
async fn school(app: &App, office: &Actor, name: &str) -> ServiceResult<Actor> {
    let existing = app.read.read(|m| {
        m.departments
            .values()
            .find(|d| d.name == name && d.kind == DepartmentKind::School)
            .map(|d| d.id)
    });
    let id = match existing {
        Some(id) => id,
        None => {
            let step = format!("department-{name}");
            let command_id = options(&step).command_id;
            app.register_department(office, name, DepartmentKind::School, None, command_id)
                .await?
                .id
        }
    };
    Ok(Actor::department(name, id))
}

fn item<'a>(items: &'a [Task], unit: &str) -> ServiceResult<&'a Task> {
    items
        .iter()
        .find(|t| t.rectification.as_ref().and_then(|r| r.unit.as_deref()) == Some(unit))
        .ok_or_else(|| ServiceError::Internal(format!("the demo county raised no item for {unit}")))
}

/// Records the county's two years and follows its two items; `at` moves the demo clock.
pub async fn load(
    app: &Arc<App>,
    office: &Actor,
    at: impl Fn(i32, u32, u32) -> DateTime<Utc>,
) -> ServiceResult<()> {
    let set = |y, m, d| app.clock.set(at(y, m, d));
    set(2025, 7, 2);
    let raised = import(app, office, 2024, COUNTY_2024).await?;
    answer(
        app,
        office,
        2024,
        [
            ("G1", true, "学校布局规划经县政府批准, 服务半径符合规定"),
            ("G2", true, "生均公用经费按标准足额拨付, 见2024年决算"),
            (
                "G6",
                false,
                "交流轮岗教师占符合条件教师的8%, 骨干教师占其中15%",
            ),
            ("G7", true, "五年360学时培训完成率100%"),
        ],
    )
    .await?;
    let rooms = item(&raised, "长风初级中学")?.id.stream();
    let teachers = item(&raised, "大路小学")?.id.stream();
    let changfeng = school(app, office, "长风初级中学").await?;
    let dalu = school(app, office, "大路小学").await?;
    let lead = |a: &Actor| a.department.map(|d| d.stream()).unwrap_or_default();
    set(2025, 7, 3);
    let steps: Vec<(&str, &Actor, &str, LifecycleInput)> = vec![
        (
            "assign-rooms",
            office,
            &rooms,
            LifecycleInput::Assign {
                lead_id: lead(&changfeng),
                cooperating_ids: vec![],
                due: chrono::NaiveDate::from_ymd_opt(2025, 10, 31).unwrap_or_default(),
            },
        ),
        (
            "assign-teachers",
            office,
            &teachers,
            LifecycleInput::Assign {
                lead_id: lead(&dalu),
                cooperating_ids: vec![],
                due: chrono::NaiveDate::from_ymd_opt(2026, 8, 31).unwrap_or_default(),
            },
        ),
    ];
    run(app, steps).await?;
    set(2025, 8, 20);
    run(
        app,
        vec![
            (
                "progress-rooms",
                &changfeng,
                &rooms,
                LifecycleInput::ReportProgress {
                    percent: 60,
                    note: "录播室兼做音乐室、阶梯教室改造为美术室, 暑期施工".into(),
                    evidence: vec![],
                },
            ),
            (
                "progress-teachers",
                &dalu,
                &teachers,
                LifecycleInput::ReportProgress {
                    percent: 20,
                    note: "已向教育局申报体育、音乐教师招聘计划".into(),
                    evidence: vec![],
                },
            ),
        ],
    )
    .await?;
    set(2025, 10, 15);
    import(app, office, 2025, COUNTY_2025).await?;
    answer(
        app,
        office,
        2025,
        [
            ("G1", true, "学校布局规划经县政府批准, 服务半径符合规定"),
            ("G2", true, "生均公用经费按标准足额拨付, 见2025年预算"),
            (
                "G6",
                true,
                "交流轮岗教师占符合条件教师的12%, 骨干教师占其中25%",
            ),
            ("G7", true, "五年360学时培训完成率100%"),
        ],
    )
    .await?;
    set(2025, 10, 17);
    run(
        app,
        vec![(
            "submit-rooms",
            &changfeng,
            &rooms,
            LifecycleInput::Submit {
                summary: "音乐专用教室96㎡、美术专用教室90㎡已投入使用".into(),
                evidence: vec![],
            },
        )],
    )
    .await?;
    set(2025, 10, 24);
    run(
        app,
        vec![(
            "verify-rooms",
            office,
            &rooms,
            LifecycleInput::Verify {
                verdict: Verdict::Accepted,
                remarks: Some("2025学年调查已达标, 现场核验通过, 同意销号".into()),
            },
        )],
    )
    .await?;
    Ok(())
}

/// The office's answers to the items that need evidence for `year`.
async fn answer(
    app: &App,
    office: &Actor,
    year: i32,
    answers: [(&str, bool, &str); 4],
) -> ServiceResult<()> {
    for (code, met, note) in answers {
        let answer = GuaranteeAnswer {
            year,
            code: code.into(),
            met,
            note: Some(note.into()),
        };
        app.answer_guarantee_item(office, answer, &options(&format!("answer-{year}-{code}")))
            .await?;
    }
    Ok(())
}

async fn run(app: &App, steps: Vec<(&str, &Actor, &str, LifecycleInput)>) -> ServiceResult<()> {
    for (step, actor, task, input) in steps {
        app.task_command(actor, task, &options(step), input).await?;
    }
    Ok(())
}
