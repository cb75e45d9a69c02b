//! The guarantee items answered with evidence, over a real server: a "no" raises one
//! county item caused by the answer event; the same answer again records nothing; a
//! later "yes" notes the item without closing it; bad codes and years are refused with
//! nothing recorded; only the office answers, a school sees the texts but not the
//! county's answers; a policy replaying the log from zero writes nothing.

use serde_json::{Value, json};

use super::support::{ASSESSMENT, SURVEY_2024, import};
use duban::App;
use duban_tests::{Backend, TestApp, backend_tests, spawn_app};

/// The answerGuaranteeItem mutation's selection.
const ANSWER: &str = "mutation($y: Int!, $c: String!, $m: Boolean!, $n: String, $k: String) {
  answerGuaranteeItem(input: {year: $y, code: $c, met: $m, note: $n, commandId: $k}) {
    item { code name text answer { met note answeredBy answeredAt } }
    rectification { id status title rectification { source unit standard measured }
      history(first: 20) { nodes { type data } } }
  }
}";

async fn answer(app: &TestApp, year: i32, code: &str, met: bool, note: Option<&str>) -> Value {
    app.ok(
        &app.office,
        ANSWER,
        json!({ "y": year, "c": code, "m": met, "n": note }),
    )
    .await["answerGuaranteeItem"]
        .clone()
}

fn evidence_item<'a>(assessment: &'a Value, code: &str) -> &'a Value {
    assessment["assessment"]["evidenceItems"]
        .as_array()
        .expect("evidenceItems")
        .iter()
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} in {assessment}"))
}

const WITH_ANSWERS: &str = "query($y: Int!) { assessment(year: $y) {
  evidenceItems { code answer { met note answeredBy } } } }";

async fn a_no_raises_one_county_item_and_a_yes_notes_it(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    import(&app, 2024, "2024.csv", SURVEY_2024).await;
    let before = app.event_count().await;
    let no = answer(&app, 2024, "G6", false, Some("交流轮岗教师占 6%")).await;
    assert_eq!(no["item"]["answer"]["met"], false);
    assert_eq!(no["item"]["answer"]["note"], "交流轮岗教师占 6%");
    assert_eq!(no["item"]["answer"]["answeredBy"], "test office");
    assert!(no["item"]["text"].as_str().unwrap().contains("10%"));
    let item = &no["rectification"];
    assert_eq!(item["status"], "DEFINED");
    assert_eq!(item["rectification"]["source"], "SELF_INSPECTION");
    assert_eq!(item["rectification"]["unit"], "县域");
    assert!(item["title"].as_str().unwrap().contains("G6"), "{item}");
    assert!(
        item["rectification"]["measured"]
            .as_str()
            .unwrap()
            .contains("6%")
    );
    assert_eq!(
        app.event_count().await,
        before + 2,
        "the answer and the item"
    );

    // The item is caused by the answer event.
    let county = duban_domain::county::CountyYear::id_for(2024).stream();
    let answered = app
        .app
        .store
        .read_stream(&county, duban_store::StreamBound::All)
        .await
        .unwrap();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].event_type, "GuaranteeItemAnswered");
    let id = item["id"].as_str().unwrap();
    let stream = if id.starts_with("task-") {
        id.to_string()
    } else {
        format!("task-{id}")
    };
    let raised = app
        .app
        .store
        .read_stream(&stream, duban_store::StreamBound::All)
        .await
        .unwrap();
    assert_eq!(raised[0].event_type, "RectificationRaised");
    assert_eq!(raised[0].metadata.causation_id, Some(answered[0].event_id));

    // The same answer again, or by the same command id twice: nothing new.
    let before = app.event_count().await;
    let again = answer(&app, 2024, "G6", false, Some("交流轮岗教师占 6%")).await;
    assert_eq!(again["rectification"]["id"], item["id"]);
    assert_eq!(app.event_count().await, before);
    let vars = json!({ "y": 2024, "c": "G1", "m": true, "k": "answer-g1-2024" });
    let first = app.ok(&app.office, ANSWER, vars.clone()).await;
    let second = app.ok(&app.office, ANSWER, vars).await;
    assert_eq!(first, second);
    assert_eq!(first["answerGuaranteeItem"]["rectification"], Value::Null);
    assert_eq!(
        app.event_count().await,
        before + 1,
        "one answer, nothing raised"
    );

    // The year's answers in the assessment; the next year's are its own.
    let a = app
        .ok(&app.office, WITH_ANSWERS, json!({ "y": 2024 }))
        .await;
    assert_eq!(evidence_item(&a, "G6")["answer"]["met"], false);
    assert_eq!(evidence_item(&a, "G1")["answer"]["met"], true);
    assert_eq!(evidence_item(&a, "G2")["answer"], Value::Null);
    let next = app
        .ok(&app.office, WITH_ANSWERS, json!({ "y": 2025 }))
        .await;
    assert_eq!(evidence_item(&next, "G6")["answer"], Value::Null);

    // 2025: met. The open item gets a note, stays open, nothing new is raised.
    let yes = answer(&app, 2025, "G6", true, Some("交流轮岗 12%, 骨干 25%")).await;
    assert_eq!(yes["rectification"]["id"], item["id"]);
    assert_eq!(
        yes["rectification"]["status"], "DEFINED",
        "never closed by it"
    );
    let notes: Vec<_> = yes["rectification"]["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "SurveyMeetsStandard")
        .map(|e| e["data"]["note"].clone())
        .collect();
    assert_eq!(notes, vec![json!("answer for 2025 meets the standard")]);

    // Refused: not an evidence item, a year out of range, an overlong note; nothing
    // recorded.
    let before = app.event_count().await;
    for (year, code, note) in [
        (2024, "G3", None),
        (2024, "R1", None),
        (1999, "G2", None),
        (2024, "G2", Some("很".repeat(2001))),
    ] {
        let body = app
            .fails(
                &app.office,
                ANSWER,
                json!({ "y": year, "c": code, "m": false, "n": note }),
                "BAD_USER_INPUT",
            )
            .await;
        assert!(!body.to_string().contains("panicked"), "{body}");
    }
    assert_eq!(app.event_count().await, before);

    // A policy reading the log from zero writes nothing and shows the same answers.
    let fresh = App::open(&app.db.url(), app.app.clock.clone())
        .await
        .unwrap();
    assert_eq!(fresh.assessment.catch_up().await.unwrap(), 0);
    assert_eq!(app.event_count().await, before);
    let book = fresh.assessment.book();
    assert!(book.answer(2025, "G6").is_some_and(|a| a.met));
    assert_eq!(
        book.answer(2024, "G6").map(|a| a.by.as_str()),
        Some("test office")
    );
}

backend_tests!(
    #[tokio::test]
    a_no_raises_one_county_item_and_a_yes_notes_it
);

async fn only_the_office_answers_and_a_school_sees_no_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else {
        println!("skipped: no PostgreSQL (set DUBAN_TEST_POSTGRES_URL)");
        return;
    };
    import(&app, 2024, "2024.csv", SURVEY_2024).await;
    answer(&app, 2024, "G7", false, Some("完成率 92%")).await;
    let (school_token, bureau_token) = super::support::school_and_bureau_tokens(&app).await;
    let before = app.event_count().await;
    for token in [&app.auditor, &school_token, &bureau_token] {
        app.fails(
            token,
            ANSWER,
            json!({ "y": 2024, "c": "G7", "m": true }),
            "FORBIDDEN",
        )
        .await;
    }
    assert_eq!(app.event_count().await, before, "a refusal records nothing");

    let audited = app
        .ok(&app.auditor, WITH_ANSWERS, json!({ "y": 2024 }))
        .await;
    assert_eq!(
        evidence_item(&audited, "G7")["answer"]["note"],
        "完成率 92%"
    );
    let own = app
        .ok(&school_token, ASSESSMENT, json!({ "y": 2024 }))
        .await;
    let texts = own["assessment"]["evidenceItems"].as_array().unwrap();
    assert_eq!(
        texts.len(),
        4,
        "G1, G2, G6 and G7 are listed with their text"
    );
    let own = app
        .ok(&school_token, WITH_ANSWERS, json!({ "y": 2024 }))
        .await;
    assert_eq!(evidence_item(&own, "G7")["answer"], Value::Null);
    // The school's own row carries its shortfalls: 72 ㎡ rooms, 42 ㎡ short in all.
    let row = &own["assessment"];
    assert!(row["evidenceItems"].is_array());
    let rows = app
        .ok(&school_token, ASSESSMENT, json!({ "y": 2024 }))
        .await;
    let g3 = super::support::indicator(&rows["assessment"], "长风初级中学", "G3");
    assert_eq!(g3["meets"], false);
    assert_eq!(g3["missing"], 42.0);
}

backend_tests!(
    #[tokio::test]
    only_the_office_answers_and_a_school_sees_no_answers
);
