//! Fuzzing the whole reader: 100,000 documents made of plan fragments (numbers,
//! labels, brackets, dates, department names, prose, stray bytes) read as text, CSV and
//! task tables never panic; and reading time grows linearly with the input.

use std::time::Instant;

use duban_import::{parse_table, read_document};

const PIECES: &[&str] = &[
    "一、",
    "（一）",
    "(二)",
    "1.",
    "2、",
    "3．",
    "(1)",
    "①",
    "第一条",
    "\n",
    "\n",
    "。",
    "；",
    "，",
    ",",
    "（牵头单位：",
    "牵头单位:",
    "【责任单位】",
    "〔責任單位:",
    "配合单位：",
    "责任领导：",
    "完成时限：",
    "）",
    ")",
    "〕",
    "】",
    "县教育局",
    "区财政局、",
    "各乡镇（街道）",
    "由县人社局负责",
    "牵头，",
    "配合",
    "2024年10月底前",
    "年底前",
    "三季度末",
    "长期坚持",
    "2025年秋季学期",
    "到2027年",
    "重点任务",
    "总体目标",
    "抄送：",
    "- 3 -",
    "\t",
    "\"",
    "序号",
    "任务",
    "新建学校",
    "\u{0}",
    "\u{7}",
    "\u{feff}",
    "﻿",
    "𠀀",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn document(rng: &mut Rng, pieces: usize) -> String {
    (0..pieces)
        .map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize])
        .collect()
}

#[test]
fn a_hundred_thousand_documents_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for i in 0..100_000 {
        let n = 1 + (rng.next() % 40) as usize;
        let text = document(&mut rng, n);
        let name = ["plan.txt", "tasks.csv", ""][i % 3];
        let _ = read_document(text.as_bytes(), name);
        if i % 10 == 0 {
            let rows: Vec<Vec<String>> = text
                .lines()
                .map(|l| l.split(['，', ',']).map(str::to_owned).collect())
                .collect();
            let _ = parse_table(&rows);
        }
    }
}

#[test]
fn reading_time_grows_linearly() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let unit = document(&mut rng, 4_000);
    let time = |copies: usize| {
        let text = unit.repeat(copies);
        let started = Instant::now();
        let _ = read_document(text.as_bytes(), "plan.txt");
        started.elapsed().as_secs_f64()
    };
    let small = time(2).max(1e-4);
    let large = time(16);
    assert!(
        large / small < 8.0 * 4.0,
        "8× the input took {:.1}× the time",
        large / small
    );
}
