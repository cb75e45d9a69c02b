//! The corpus of public plans (`tests/corpus/`, see its README): every document read
//! from its file as an office would send it, each measure compared with the answer
//! written by hand (code, lead, cooperating, due). Prints the share right per document;
//! fails when the share over the corpus falls under the floor, when a document reads
//! under half right, when a measure is found that the answers do not have (page
//! furniture, a goal), or when any department is named that the answers do not name.

use std::collections::BTreeSet;
use std::path::Path;

use duban_import::read_document;

/// The least share of measures read right over the whole corpus.
const FLOOR: f64 = 0.95;

struct Expected {
    code: String,
    lead: String,
    cooperating: String,
    due: String,
}

fn expected(path: &Path) -> Vec<Expected> {
    std::fs::read_to_string(path)
        .expect("the answers")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{}: {l}", path.display());
            Expected {
                code: f[0].into(),
                lead: f[1].into(),
                cooperating: f[2].into(),
                due: f[3].into(),
            }
        })
        .collect()
}

#[test]
fn the_corpus_reads_right_above_the_floor_and_invents_no_department() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut documents: Vec<_> = std::fs::read_dir(&dir)
        .expect("the corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.to_string_lossy();
            !name.ends_with(".tsv") && !name.ends_with(".md") && !name.ends_with(".py")
        })
        .collect();
    documents.sort();
    assert!(documents.len() >= 7, "{documents:?}");
    let (mut total, mut right) = (0usize, 0usize);
    let mut report = String::new();
    for doc in &documents {
        let name = doc.file_name().and_then(|n| n.to_str()).expect("a name");
        let answers = expected(&dir.join(format!("{name}.expected.tsv")));
        let bytes = std::fs::read(doc).expect("the document");
        let plan = read_document(&bytes, name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .plan;
        let allowed: BTreeSet<&str> = answers
            .iter()
            .flat_map(|a| std::iter::once(a.lead.as_str()).chain(a.cooperating.split(';')))
            .filter(|d| !d.is_empty() && *d != "-")
            .collect();
        let mut doc_right = 0;
        for a in &answers {
            let Some(m) = plan.measures.iter().find(|m| m.code == a.code) else {
                report.push_str(&format!("  {name} {}: not found\n", a.code));
                continue;
            };
            let due = match (m.due, m.ongoing) {
                (Some(d), _) => d.to_string(),
                (None, true) => "ongoing".into(),
                (None, false) => "-".into(),
            };
            let got = (
                m.lead_printed.clone().unwrap_or_else(|| "-".into()),
                m.cooperating_printed.join(";"),
                due,
            );
            let want = (a.lead.clone(), a.cooperating.clone(), a.due.clone());
            if got == want {
                doc_right += 1;
            } else {
                report.push_str(&format!(
                    "  {name} {}: got {got:?}, want {want:?}\n",
                    a.code
                ));
            }
        }
        let extra: Vec<&str> = plan
            .measures
            .iter()
            .map(|m| m.code.as_str())
            .filter(|code| !answers.iter().any(|a| a.code == *code))
            .collect();
        assert!(
            extra.is_empty(),
            "{name}: measures the answers do not have: {extra:?}\n{report}"
        );
        for m in &plan.measures {
            for d in m.lead_printed.iter().chain(&m.cooperating_printed) {
                assert!(
                    allowed.contains(d.as_str()),
                    "{name} {}: invented department {d}",
                    m.code
                );
            }
        }
        report.push_str(&format!(
            "{name}: {} measures found, {doc_right} of {} right\n",
            plan.measures.len(),
            answers.len()
        ));
        assert!(
            doc_right * 2 >= answers.len(),
            "{name} reads under half right\n{report}"
        );
        total += answers.len();
        right += doc_right;
    }
    let share = right as f64 / total as f64;
    println!(
        "{report}corpus: {right} of {total} measures right ({:.1} %)",
        share * 100.0
    );
    assert!(
        share >= FLOOR,
        "{report}share {share:.3} under the floor {FLOOR}"
    );
}
