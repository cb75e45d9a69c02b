//! The demo data set behind `duban serve --demo`: the Licheng plan (seed 000) through the
//! plan importer, the departments its leadership group names, rectification items like
//! those Changfeng junior middle school reported (seed 003), and a history of
//! assignments, progress, submissions, verifications, a rejection, overdue items and a
//! late closing spread over 2023–2025, all recorded through the normal command path with
//! a demo clock that walks through those dates.
//!
//! [`county`] adds a county's school surveys for the 优质均衡 assessment (2024, 2025).
//!
//! It is loaded once: every demo command carries a command id, and the import's id is
//! checked first, so starting again with `--demo` on the same database adds nothing.

mod county;

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use duban_domain::department::DepartmentKind;
use duban_domain::task::{RectificationSource, Verdict};
use duban_domain::time::start_of_day;
use duban_domain::{Actor, Role};

use crate::app::App;
use crate::auth::create_token;
use crate::clock::Clock;
use crate::commands::CommandOptions;
use crate::error::{ServiceError, ServiceResult};
use crate::ops::LifecycleInput;
use crate::ops::import_plan::ImportOptions;
use crate::ops::raise_rectification::RectificationInput;

/// The plan document the demo imports (seed 000, 鲤城区推进义务教育优质均衡发展工作规划).
pub const LICHENG_PLAN: &str = include_str!("../demo/licheng_plan.txt");
const IMPORT_ID: &str = "demo:import-licheng";

/// A date of the demo's fixed data set; a mistyped one is a bug in this file, so it
/// panics rather than becoming some other day.
fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap_or_else(|| panic!("demo date {y}-{m:02}-{d:02} is not a calendar date"))
}

/// 09:30 Asia/Shanghai on a day.
fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    start_of_day(day(y, m, d)) + chrono::Duration::minutes(9 * 60 + 30)
}

struct Demo {
    app: Arc<App>,
    office: Actor,
    step: u32,
}

impl Demo {
    fn at(&self, t: DateTime<Utc>) {
        self.app.clock.set(t);
    }

    fn options(&mut self) -> CommandOptions {
        self.step += 1;
        CommandOptions {
            expected_version: None,
            command_id: Some(format!("demo:{}", self.step)),
        }
    }

    async fn dept(&mut self, name: &str, kind: DepartmentKind) -> ServiceResult<String> {
        if let Some(id) = self.app.read.read(|m| {
            m.departments
                .values()
                .find(|d| d.name == name)
                .map(|d| d.id.stream())
        }) {
            return Ok(id);
        }
        let id = self.options().command_id;
        Ok(self
            .app
            .register_department(&self.office, name, kind, None, id)
            .await?
            .id
            .stream())
    }

    async fn act(&mut self, actor: &Actor, task: &str, input: LifecycleInput) -> ServiceResult<()> {
        let options = self.options();
        self.app.task_command(actor, task, &options, input).await?;
        Ok(())
    }

    async fn assign(
        &mut self,
        task: &str,
        lead: &str,
        coop: &[&str],
        due: NaiveDate,
    ) -> ServiceResult<()> {
        let input = LifecycleInput::Assign {
            lead_id: lead.to_string(),
            cooperating_ids: coop.iter().map(|c| c.to_string()).collect(),
            due,
        };
        let office = self.office.clone();
        self.act(&office, task, input).await
    }

    async fn progress(
        &mut self,
        dept: &Actor,
        task: &str,
        percent: i64,
        note: &str,
    ) -> ServiceResult<()> {
        let input = LifecycleInput::ReportProgress {
            percent,
            note: note.into(),
            evidence: vec![],
        };
        self.act(dept, task, input).await
    }

    async fn submit(&mut self, dept: &Actor, task: &str, summary: &str) -> ServiceResult<()> {
        let input = LifecycleInput::Submit {
            summary: summary.into(),
            evidence: vec![],
        };
        self.act(dept, task, input).await
    }

    async fn verify(&mut self, task: &str, verdict: Verdict, remarks: &str) -> ServiceResult<()> {
        let input = LifecycleInput::Verify {
            verdict,
            remarks: Some(remarks.into()),
        };
        let office = self.office.clone();
        self.act(&office, task, input).await
    }

    async fn office_does(&mut self, task: &str, input: LifecycleInput) -> ServiceResult<()> {
        let office = self.office.clone();
        self.act(&office, task, input).await
    }

    async fn milestone(
        &mut self,
        measure: &str,
        title: &str,
        due: NaiveDate,
    ) -> ServiceResult<String> {
        let id = self.options().command_id;
        Ok(self
            .app
            .schedule_milestone(&self.office, measure, title.into(), due, id)
            .await?
            .id
            .stream())
    }

    async fn rectification(&mut self, item: RectificationInput) -> ServiceResult<String> {
        let id = self.options().command_id;
        Ok(self
            .app
            .raise_rectification(&self.office, item, id)
            .await?
            .id
            .stream())
    }
}

fn as_dept(name: &str, id: &str) -> ServiceResult<Actor> {
    let dept = duban_domain::ids::DepartmentId::parse("department", id)?;
    Ok(Actor::department(format!("{name}联络员"), dept))
}

/// Loads the demo data set unless it is already there.
pub async fn load(app: &Arc<App>) -> ServiceResult<()> {
    if app.store.find_command(IMPORT_ID).await?.is_some() {
        tracing::info!("demo data already loaded; nothing added");
        return Ok(());
    }
    let demo_app = App::with_store(
        Arc::clone(&app.store),
        app.db.clone(),
        Clock::fixed(at(2023, 1, 5)),
    )
    .await?;
    let mut d = Demo {
        app: demo_app,
        office: Actor::office("区教育局 领导小组办公室"),
        step: 0,
    };
    script(&mut d).await?;
    county::load(&d.app, &d.office, at).await?;
    app.read.catch_up().await?;
    tracing::info!(events = app.read.position(), "demo data loaded");
    Ok(())
}

async fn script(d: &mut Demo) -> ServiceResult<()> {
    use DepartmentKind::{Bureau, School, Township};
    use LifecycleInput as L;
    let plan = d
        .app
        .import_plan(
            &d.office,
            LICHENG_PLAN.as_bytes(),
            ImportOptions {
                title: None,
                region: Some("鲤城区".into()),
                command_id: Some(IMPORT_ID.into()),
                ..ImportOptions::default()
            },
            &|_, _| {},
        )
        .await?;
    let measure = |code: &str| -> ServiceResult<String> {
        plan.measures
            .iter()
            .find(|m| m.code.as_deref() == Some(code))
            .map(|m| m.id.stream())
            .ok_or_else(|| {
                ServiceError::Internal(format!("the Licheng plan has no measure {code}"))
            })
    };

    d.at(at(2023, 1, 9));
    let bianban = d.dept("区委编办", Bureau).await?;
    let jiaoyu = d.dept("教育局", Bureau).await?;
    let fagai = d.dept("发改局", Bureau).await?;
    let renshe = d.dept("人社局", Bureau).await?;
    let caizheng = d.dept("财政局", Bureau).await?;
    let ziran = d.dept("自然资源局", Bureau).await?;
    let zhujian = d.dept("住建局", Bureau).await?;
    let haibin = d.dept("海滨街道", Township).await?;
    let kaiyuan = d.dept("开元街道", Township).await?;
    let changfeng = d.dept("长风初级中学", School).await?;
    let jy = as_dept("教育局", &jiaoyu)?;
    let zj = as_dept("住建局", &zhujian)?;
    let bb = as_dept("区委编办", &bianban)?;
    let cz = as_dept("财政局", &caizheng)?;

    // 2023 Q1: the office assigns the measures of 四、工作措施.
    d.at(at(2023, 1, 10));
    let m1 = measure("四(一)")?;
    let m2 = measure("四(二)")?;
    let m3 = measure("四(三)")?;
    let m4 = measure("四(四)")?;
    let m5 = measure("四(五)")?;
    let m10 = measure("四(十)")?;
    let m11 = measure("四(十一)")?;
    d.assign(&m1, &jiaoyu, &[&fagai, &caizheng], day(2023, 6, 30))
        .await?;
    d.assign(&m2, &zhujian, &[&ziran, &jiaoyu, &fagai], day(2024, 6, 30))
        .await?;
    d.assign(&m3, &jiaoyu, &[&haibin, &kaiyuan], day(2024, 12, 31))
        .await?;
    d.assign(&m4, &bianban, &[&renshe, &jiaoyu], day(2023, 12, 31))
        .await?;
    d.assign(&m5, &jiaoyu, &[&renshe], day(2025, 6, 30)).await?;
    d.assign(&m10, &jiaoyu, &[&caizheng], day(2025, 12, 31))
        .await?;
    d.assign(&m11, &caizheng, &[&jiaoyu, &zhujian], day(2025, 9, 30))
        .await?;

    // Progress through 2023; measure (一) is submitted and accepted on time.
    d.at(at(2023, 3, 20));
    d.progress(&jy, &m1, 40, "规划初稿已报区政府常务会审议")
        .await?;
    d.progress(&zj, &m2, 10, "完成学校布局专项规划招标").await?;
    d.at(at(2023, 5, 25));
    d.progress(&jy, &m1, 90, "规划已写入区政府工作报告").await?;
    d.submit(&jy, &m1, "优质均衡发展规划已印发并纳入政府工作报告")
        .await?;
    d.at(at(2023, 6, 12));
    d.verify(&m1, Verdict::Accepted, "材料齐全,予以销号")
        .await?;

    // Measure (四): 编办 reports, submits, is rejected once, and closes late.
    d.at(at(2023, 9, 15));
    d.progress(&bb, &m4, 60, "已核定2023年教师编制,空余编制向教育倾斜")
        .await?;
    d.at(at(2023, 12, 20));
    d.submit(&bb, &m4, "教师交流轮岗方案已印发").await?;
    d.at(at(2023, 12, 28));
    d.verify(
        &m4,
        Verdict::Rejected,
        "缺少交流轮岗教师名单及比例测算,请补充",
    )
    .await?;
    d.at(at(2024, 1, 3));
    d.app.tick().await?; // (四) is overdue from 2024-01-01
    d.office_does(&m4, L::Urge("请区委编办于1月底前补齐交流轮岗名单".into()))
        .await?;
    d.at(at(2024, 2, 6));
    d.progress(&bb, &m4, 100, "补充交流轮岗教师名单,比例达12%")
        .await?;
    d.submit(&bb, &m4, "交流轮岗比例12%,骨干教师占22%").await?;
    d.at(at(2024, 2, 20));
    d.verify(&m4, Verdict::Accepted, "逾期办结,予以销号")
        .await?;

    // Milestones under measure (二).
    d.at(at(2024, 3, 1));
    let ms1 = d
        .milestone(&m2, "江南新区九年一贯制学校完成立项", day(2024, 4, 30))
        .await?;
    let ms2 = d
        .milestone(&m2, "老城区小学扩容改造开工", day(2024, 9, 30))
        .await?;
    d.progress(&zj, &ms1, 50, "项目建议书已报区发改局").await?;

    // Rectification items found in the 2024 self-inspection (like seed 003).
    d.at(at(2024, 3, 18));
    let music = d
        .rectification(RectificationInput {
            source: RectificationSource::SelfInspection,
            finding: "音乐专用教室面积不达标".into(),
            standard: Some("每间不小于96㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some("长风初级中学".into()),
            severity: Some(2),
            plan_id: Some(plan.plan.id.stream()),
            measure_id: Some(m11.clone()),
        })
        .await?;
    let art = d
        .rectification(RectificationInput {
            source: RectificationSource::SelfInspection,
            finding: "美术专用教室面积不达标".into(),
            standard: Some("每间不小于90㎡".into()),
            measured: Some("72㎡".into()),
            unit: Some("长风初级中学".into()),
            severity: Some(2),
            plan_id: Some(plan.plan.id.stream()),
            measure_id: Some(m11.clone()),
        })
        .await?;
    let computers = d
        .rectification(RectificationInput {
            source: RectificationSource::SelfInspection,
            finding: "教师办公电脑超过使用年限,不能满足网络办公".into(),
            standard: Some("教师“一人一机”,设备在使用年限内".into()),
            measured: Some("现有电脑均超期使用".into()),
            unit: Some("长风初级中学".into()),
            severity: Some(1),
            plan_id: Some(plan.plan.id.stream()),
            measure_id: Some(m10.clone()),
        })
        .await?;
    let walls = d
        .rectification(RectificationInput {
            source: RectificationSource::Supervision,
            finding: "校舍陈旧,内外墙壁皲裂,墙体涂层脱落".into(),
            standard: Some("校舍安全、完好".into()),
            measured: None,
            unit: Some("长风初级中学".into()),
            severity: Some(3),
            plan_id: Some(plan.plan.id.stream()),
            measure_id: Some(m11.clone()),
        })
        .await?;
    d.assign(&music, &jiaoyu, &[&zhujian, &changfeng], day(2024, 8, 31))
        .await?;
    d.assign(&art, &jiaoyu, &[&zhujian, &changfeng], day(2024, 8, 31))
        .await?;
    d.assign(&computers, &jiaoyu, &[&caizheng], day(2024, 6, 30))
        .await?;
    d.assign(&walls, &zhujian, &[&jiaoyu], day(2024, 8, 31))
        .await?;

    d.at(at(2024, 4, 15));
    d.progress(&jy, &computers, 50, "已采购教师台式电脑8台")
        .await?;
    d.progress(&zj, &walls, 20, "校舍维修已纳入2024年暑期工程")
        .await?;
    d.at(at(2024, 5, 6));
    d.app.tick().await?;
    d.at(at(2024, 6, 3));
    d.progress(&jy, &computers, 100, "教师“一人一机”全部更换到位")
        .await?;
    d.submit(&jy, &computers, "16名专任教师全部配发新电脑")
        .await?;
    d.at(at(2024, 6, 14));
    d.verify(&computers, Verdict::Accepted, "现场核查,按期整改到位")
        .await?;
    d.progress(&jy, &music, 30, "音乐教室扩建方案已完成设计")
        .await?;

    // Summer works: the wall repair slips past its deadline and closes late.
    d.at(at(2024, 9, 2));
    d.app.tick().await?;
    d.office_does(&walls, L::Urge("请住建局加快暑期维修工程进度".into()))
        .await?;
    d.office_does(
        &music,
        L::Escalate("音乐教室面积整改滞后,提请领导小组挂牌督办".into()),
    )
    .await?;
    d.office_does(
        &art,
        L::Extend {
            due: day(2025, 3, 31),
            reason: "与音乐教室扩建合并实施,需调整工期".into(),
        },
    )
    .await?;
    d.at(at(2024, 10, 21));
    d.progress(&zj, &walls, 100, "内外墙修缮出新完成").await?;
    d.submit(&zj, &walls, "墙体修缮完工并通过安全鉴定").await?;
    d.at(at(2024, 10, 30));
    d.verify(&walls, Verdict::Accepted, "逾期办结").await?;
    d.at(at(2024, 11, 5));
    d.app.tick().await?;

    // 2025: measure (二) goes overdue; (三) and (五) move on; the art room progresses.
    d.at(at(2025, 1, 8));
    d.app.tick().await?;
    d.progress(&jy, &m3, 70, "优质学校+分校模式覆盖6所学校")
        .await?;
    d.progress(&jy, &art, 60, "美术教室扩建主体完工").await?;
    d.at(at(2025, 3, 10));
    d.progress(&jy, &m5, 85, "随迁子女公办学校就读率达92%")
        .await?;
    d.at(at(2025, 4, 2));
    d.app.tick().await?;
    d.office_does(
        &m2,
        L::Escalate("学校布局项目滞后,列入领导小组挂牌督办".into()),
    )
    .await?;
    d.at(at(2025, 6, 16));
    d.progress(&jy, &m10, 50, "片区组团覆盖全部薄弱学校")
        .await?;
    d.progress(
        &as_dept("财政局", &caizheng)?,
        &m11,
        40,
        "现代化建设资金已列入年度预算",
    )
    .await?;
    let _ = (ms2, cz);
    d.at(at(2025, 7, 1));
    d.app.tick().await?;
    Ok(())
}

/// Creates and prints the three demo tokens (office, one department, auditor) with
/// their console sign-in links on `addr`.
pub async fn print_tokens(app: &App, addr: &str) -> ServiceResult<()> {
    let link = |token: &str| crate::http::console::sign_in_link(addr, token);
    let db = app.db.clone();
    let now = app.clock.now();
    let jiaoyu = app.read.read(|m| {
        m.departments
            .values()
            .find(|d| d.name == "教育局")
            .map(|d| d.id)
    });
    let (_, office) = create_token(&db, "demo office", Role::Office, None, now).await?;
    let (_, auditor) = create_token(&db, "demo auditor", Role::Auditor, None, now).await?;
    println!("demo tokens (shown once; send as Authorization: Bearer <token>):");
    println!("  OFFICE     {office}");
    println!("             {}", link(&office));
    if let Some(dept) = jiaoyu {
        let (_, dept_token) =
            create_token(&db, "demo 教育局", Role::Department, Some(dept), now).await?;
        println!("  DEPARTMENT {dept_token}   (教育局)");
        println!("             {}", link(&dept_token));
    }
    println!("  AUDITOR    {auditor}");
    println!("             {}", link(&auditor));
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "demo date 2025-02-30 is not a calendar date")]
    fn a_mistyped_demo_date_panics() {
        super::day(2025, 2, 30);
    }
}
