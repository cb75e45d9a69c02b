//! `duban schema` is the committed schema.graphql, and that schema holds the contract.

use super::sdl::{missing, parse};
use super::support::{duban_ok, workspace};

fn read(relative: &str) -> String {
    let path = workspace().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn duban_schema_prints_the_committed_schema() {
    let db = duban_store::testing::TempDbFile::new();
    let printed = duban_ok(db.path(), None, &["schema"]).stdout;
    let committed = read("schema.graphql");
    assert!(
        printed == committed,
        "schema.graphql is stale: run `cargo run -p duban -- schema > schema.graphql`"
    );
}

#[test]
fn the_committed_schema_holds_every_type_and_field_of_the_contract() {
    let contract = parse(&read("tests/contract.graphql"));
    // The reader saw the whole contract, not an empty prefix of it.
    assert!(contract.len() >= 40, "{} definitions", contract.len());
    let mutation = &contract["Mutation"].fields;
    assert_eq!(mutation["importPlan"].ty, "ImportPlanPayload!");
    assert_eq!(mutation["importPlan"].args["input"], "ImportPlanInput!");
    assert_eq!(contract["Plan"].fields["tasks"].args.len(), 3);
    assert_eq!(contract["TaskStatus"].fields.len(), 6);

    let schema = parse(&read("schema.graphql"));
    let problems = missing(&contract, &schema);
    assert!(
        problems.is_empty(),
        "schema.graphql breaks the contract:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_contract_check_notices_what_is_missing_or_changed() {
    let contract = parse(&read("tests/contract.graphql"));
    let committed = read("schema.graphql");
    let mut schema = parse(&committed);
    schema
        .get_mut("Task")
        .expect("Task")
        .fields
        .remove("overdue");
    if let Some(f) = schema
        .get_mut("Query")
        .and_then(|q| q.fields.get_mut("plan"))
    {
        f.ty = "Plan!".into();
    }
    if let Some(f) = schema
        .get_mut("Mutation")
        .and_then(|m| m.fields.get_mut("assignTask"))
    {
        f.args.insert("reason".into(), "String!".into());
    }
    schema.remove("BoardCounts");
    let problems = missing(&contract, &schema);
    assert_eq!(
        problems,
        [
            "type BoardCounts is missing",
            "Mutation.assignTask(reason: String!) is an added required argument",
            "Query.plan is Plan! instead of Plan",
            "Task.overdue is missing",
        ],
    );
}
