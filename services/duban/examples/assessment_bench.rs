//! One measurement of the assessment at county scale: 60 schools × 5 school years
//! imported through `App::import_survey` (surveys recorded, the policy run, its items
//! raised) into a fresh SQLite file, then the assessment of a year computed 1,000 times
//! as the `assessment` query does (the survey book's rows, then `assess`).
//!
//! `cargo run --release -p duban --example assessment_bench`

use std::time::Instant;

use duban::ops::survey::SurveyImport;
use duban::{App, Clock};
use duban_domain::Actor;

const HEADER: &str = "学校名称,学校类型,所属乡镇,学段,在校学生数,教学班数,最大班额,专任教师数,高于规定学历教师数,县级及以上骨干教师数,体育专任教师数,音乐专任教师数,美术专任教师数,教学及辅助用房面积,体育运动场馆面积,教学仪器设备值,网络多媒体教室数,音乐专用教室间数,音乐专用教室最小面积,美术专用教室间数,美术专用教室最小面积";

/// A year's table: school i has 200 + 37·i students; every tenth lacks PE teachers,
/// every seventh has small music rooms until year 3.
fn table(year: usize) -> String {
    let mut out = String::from(HEADER);
    for i in 0..60usize {
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("duban-assessment-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let app = App::open(&dir.join("bench.db").display().to_string(), Clock::system()).await?;
    let office = Actor::office("bench");
    let tables: Vec<String> = (0..5).map(table).collect();
    let started = Instant::now();
    let mut raised = 0;
    for (year, text) in tables.iter().enumerate() {
        let import = SurveyImport {
            file_name: format!("{year}.csv"),
            year: 2021 + year as i32,
            ..SurveyImport::default()
        };
        let done = app.import_survey(&office, text.as_bytes(), &import).await?;
        assert!(done.problems.is_empty(), "{:?}", done.problems);
        raised += done.rectifications_raised.len();
    }
    let import = started.elapsed();
    let mut times = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let t = Instant::now();
        let a = app.assessment.assess(2025);
        std::hint::black_box(&a);
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "60 schools x 5 years: imported, assessed and {raised} items raised in {:.3} s (limit 2 s)",
        import.as_secs_f64()
    );
    println!(
        "assessment of a year: p50 {:.3} ms, p99 {:.3} ms (limit 20 ms)",
        times[500].as_secs_f64() * 1e3,
        times[989].as_secs_f64() * 1e3
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
