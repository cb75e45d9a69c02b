//! The school aggregate: registration, surveys, corrections and refusals.

use chrono::Utc;

use super::*;
use crate::testkit::Given;

fn register(name: &str, kind: SchoolKind) -> SchoolCommand {
    SchoolCommand::Register {
        name: name.into(),
        kind,
        township: Some("玉溪镇".into()),
    }
}

fn survey(year: i32, stage: Stage, students: f64) -> SchoolCommand {
    let mut figures = Figures::default();
    figures.set(Field::Students, students);
    figures.set(Field::RoomArea, 1833.5);
    SchoolCommand::Survey {
        year,
        stage,
        figures,
        source: SurveySource {
            file: "2024.csv".into(),
            row: 2,
        },
    }
}

fn registered(name: &str, kind: SchoolKind) -> Vec<Event> {
    let (events, _) = Given::<School>::no_events()
        .when(register(name, kind), &Actor::office("o"), Utc::now())
        .then_ok();
    events
}

#[test]
fn a_school_is_registered_under_the_id_its_name_gives() {
    let events = registered(" 大路小学 ", SchoolKind::Primary);
    let Event::SchoolRegistered(e) = &events[0] else {
        panic!("expected SchoolRegistered, got {events:?}");
    };
    assert_eq!(e.name, "大路小学");
    assert_eq!(e.school_id, School::id_for("大路小学"));
    assert_ne!(e.school_id, School::id_for("长风初级中学"));
    Given::<School>::events(&events)
        .when(
            register("大路小学", SchoolKind::Primary),
            &Actor::office("o"),
            Utc::now(),
        )
        .then_error(DomainError::VersionConflict {
            expected: 0,
            actual: 1,
        });
}

#[test]
fn a_corrected_survey_supersedes_and_the_same_figures_record_nothing() {
    let mut history = registered("大路小学", SchoolKind::Primary);
    let office = Actor::office("o");
    let (first, _) = Given::<School>::events(&history)
        .when(survey(2024, Stage::Primary, 312.0), &office, Utc::now())
        .then_ok();
    let Event::SchoolSurveyed(e) = &first[0] else {
        panic!("expected SchoolSurveyed");
    };
    assert!(!e.corrects);
    history.extend(first);
    Given::<School>::events(&history)
        .when(survey(2024, Stage::Primary, 312.0), &office, Utc::now())
        .then_events(&[]);
    let (second, state) = Given::<School>::events(&history)
        .when(survey(2024, Stage::Primary, 313.0), &office, Utc::now())
        .then_ok();
    let Event::SchoolSurveyed(e) = &second[0] else {
        panic!("expected SchoolSurveyed");
    };
    assert!(e.corrects);
    let state = state.expect("a school");
    assert_eq!(state.version, 3);
    assert_eq!(
        state.surveys[&(2024, Stage::Primary)].get(Field::Students),
        313.0
    );
}

#[test]
fn surveys_are_refused_for_a_stage_the_school_lacks_bad_figures_and_non_office() {
    let history = registered("大路小学", SchoolKind::Primary);
    let office = Actor::office("o");
    let refused = |command, actor: &Actor| {
        School::decide(replay_state(&history).as_ref(), &command, actor, Utc::now()).unwrap_err()
    };
    assert!(matches!(
        refused(survey(2024, Stage::Junior, 10.0), &office),
        DomainError::InvalidInput { field: "stage", .. }
    ));
    assert!(matches!(
        refused(survey(2024, Stage::Primary, 10.5), &office),
        DomainError::InvalidInput {
            field: "figures",
            ..
        }
    ));
    assert!(matches!(
        refused(survey(1900, Stage::Primary, 10.0), &office),
        DomainError::InvalidInput { field: "year", .. }
    ));
    assert!(matches!(
        refused(survey(2024, Stage::Primary, 10.0), &Actor::auditor("a")),
        DomainError::Forbidden { .. }
    ));
}

#[test]
fn events_survive_the_store_round_trip() {
    let mut events = registered("长风初级中学", SchoolKind::Junior);
    let (surveyed, _) = Given::<School>::events(&events)
        .when(
            survey(2024, Stage::Junior, 83.0),
            &Actor::office("o"),
            Utc::now(),
        )
        .then_ok();
    events.extend(surveyed);
    for event in events {
        let text = event.payload().to_string();
        let read = Event::from_stored_str(event.event_type(), event.schema_version(), &text)
            .expect("reads back");
        assert_eq!(read, event);
    }
}

fn replay_state(events: &[Event]) -> Option<School> {
    crate::aggregate::replay(events)
}
