//! Workload 8: the 优质均衡 assessment at county scale. A county of
//! [`AssessmentSizes::schools`] schools surveyed for [`AssessmentSizes::years`] school
//! years is imported year by year through `importSurvey` over HTTP (each import records
//! the surveys, runs the assessment policy and raises its items before it answers: the
//! figure is import, assessment and items together), then the `assessment` query of the
//! last year, every school's indicators and the county's coefficients, is asked
//! [`AssessmentSizes::queries`] times by one client in a closed loop.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::json;

use crate::client::GqlConnection;
use crate::config::{AssessmentSizes, Backend, Config};
use crate::db::{BenchResult, FreshDb};
use crate::report::Report;
use crate::server::{Server, gql};
use crate::stats::Latency;

/// The workload's name.
pub const NAME: &str = "8 assessment";

/// The first school year surveyed.
const FIRST_YEAR: i32 = 2021;

const HEADER: &str = "学校名称,学校类型,所属乡镇,学段,在校学生数,教学班数,最大班额,专任教师数,\
高于规定学历教师数,县级及以上骨干教师数,体育专任教师数,音乐专任教师数,美术专任教师数,\
教学及辅助用房面积,体育运动场馆面积,教学仪器设备值,网络多媒体教室数,音乐专用教室间数,\
音乐专用教室最小面积,美术专用教室间数,美术专用教室最小面积";

const IMPORT: &str = "mutation($f: FileInput!, $y: Int!) { importSurvey(input: {file: $f, \
    year: $y}) { surveysRecorded rectificationsRaised { id } problems } }";

/// The query an office's assessment screen asks.
pub const QUERY: &str = "query($y: Int!) { assessment(year: $y) { year passes \
    schools { school { id name kind } stage students meetsCount passes excluded \
    indicators { code value threshold meets shortfall } } \
    coefficients { code stage cv limit meets } evidenceItems { code text } } }";

/// The statistics table of year `year` (0-based): school i has 200 + 37·i students;
/// every tenth has no PE teachers, every seventh small music rooms until year 3.
pub fn table(schools: usize, year: usize) -> String {
    let mut out = String::from(HEADER);
    for i in 0..schools {
        let s = 200 + 37 * i + 5 * year;
        let f = s as f64;
        let pe = if i % 10 == 0 {
            0
        } else {
            (f * 0.012).ceil() as usize
        };
        let music = if i % 7 == 0 && year < 3 { 80 } else { 96 };
        out.push_str(&format!(
            "\n第{i}小学,小学,第{}镇,小学,{s},{},40,{},{},{},{pe},1,1,{},{},{},{},2,{music},2,90",
            i % 8,
            s / 40 + 1,
            (f * 0.07) as usize,
            (f * 0.06) as usize,
            (f * 0.015) as usize,
            (f * 5.5) as usize,
            (f * 9.0) as usize,
            (f * 2600.0) as usize,
            (f * 0.03) as usize + 1,
        ));
    }
    out
}

/// Runs the workload on `backend`.
pub async fn run(report: &mut Report, config: &Config, backend: Backend) -> BenchResult<()> {
    let AssessmentSizes {
        schools,
        years,
        queries,
    } = config.assessment;
    let db = FreshDb::create(backend, config).await?;
    let server = Server::in_process(&db.url()).await?;
    let tables: Vec<String> = (0..years).map(|y| table(schools, y)).collect();
    let client = reqwest::Client::new();
    let mark = report.begin(NAME, backend);
    let (mut surveys, mut raised) = (0, 0);
    let started = Instant::now();
    for (y, text) in tables.iter().enumerate() {
        let file = json!({
            "name": format!("{}.csv", FIRST_YEAR + y as i32),
            "contentBase64": base64::engine::general_purpose::STANDARD.encode(text),
        });
        let vars = json!({ "f": file, "y": FIRST_YEAR + y as i32 });
        let data = gql(&client, &server.base, &server.office, IMPORT, vars).await?;
        let done = &data["importSurvey"];
        if done["problems"].as_array().is_none_or(|p| !p.is_empty()) {
            return Err(format!("the generated table was refused: {done}").into());
        }
        surveys += done["surveysRecorded"].as_u64().unwrap_or(0);
        raised += done["rectificationsRaised"].as_array().map_or(0, Vec::len);
    }
    let imported = started.elapsed();
    if surveys != (schools * years) as u64 {
        return Err(format!("{surveys} surveys recorded of {}", schools * years).into());
    }
    let last = json!({ "y": FIRST_YEAR + years.max(1) as i32 - 1 });
    let mut conn = GqlConnection::open(&server.base, &server.office).await?;
    for _ in 0..queries.min(10) {
        conn.post(QUERY, &last).await?;
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(queries);
    for _ in 0..queries {
        let t = Instant::now();
        conn.post(QUERY, &last).await?;
        samples.push(t.elapsed());
    }
    report.add(
        NAME,
        backend,
        "assessment_import_s",
        imported.as_secs_f64(),
        "s",
    );
    report.add(NAME, backend, "assessment_surveys", surveys as f64, "n");
    report.add(NAME, backend, "assessment_items_raised", raised as f64, "n");
    report.latency(NAME, backend, "assessment_query", Latency::of(&samples));
    report.end(mark);
    server.stop().await;
    Ok(())
}
