//! Fixed examples next to the generated run: a body over the 1 MiB limit gets 413 with a
//! coded GraphQL error (and one just under it is answered); an argument that does not
//! coerce to its type gets an error with `extensions.code` BAD_USER_INPUT (it used to come
//! back without a code, because async-graphql reports it from execution, with a path).

use serde_json::{Value, json};

use duban_tests::{Backend, spawn_app};

use super::request;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_one_mebibyte_is_refused_with_413() {
    for backend in Backend::ALL {
        let Some(app) = spawn_app(backend).await else {
            continue;
        };
        let limit = duban::http::graphql_over_http::MAX_BODY_BYTES;
        let pad = " ".repeat(limit);
        let body = format!(r#"{{"query":"{{ me {{ name }} }}","pad":"{pad}"}}"#);
        let response = app
            .client()
            .post(app.graphql_url())
            .bearer_auth(&app.office)
            .header("content-type", "application/json")
            .header("accept", request::GQL)
            .body(body)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 413);
        let body: Value = response.json().await.expect("a GraphQL body");
        assert_eq!(
            body["errors"][0]["extensions"]["code"],
            request::BAD,
            "{body}"
        );
        assert!(body.get("data").is_none(), "{body}");
        let message = body["errors"][0]["message"].as_str().expect("message");
        assert!(message.contains(&limit.to_string()), "{message}");
        // A body just under the limit is read and answered.
        let pad = " ".repeat(limit - 100);
        let body = format!(r#"{{"query":"{{ me {{ name }} }}","pad":"{pad}"}}"#);
        let (status, answer) = {
            let response = app
                .client()
                .post(app.graphql_url())
                .bearer_auth(&app.office)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("an answer");
            (
                response.status().as_u16(),
                response.json::<Value>().await.expect("json"),
            )
        };
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer["data"]["me"]["name"], "test office");
        app.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_argument_of_the_wrong_type_is_a_coded_error() {
    for backend in Backend::ALL {
        let Some(app) = spawn_app(backend).await else {
            continue;
        };
        let cases = [
            (
                "query($v: DateTime!) { taskAsOf(id: \"x\", at: $v) { id } }",
                json!(true),
            ),
            (
                "query($v: Int) { tasks(first: $v) { totalCount } }",
                json!(2_147_483_648_i64),
            ),
            (
                "query($v: TaskFilter) { tasks(filter: $v) { totalCount } }",
                json!("str"),
            ),
            (
                "query($v: Int!) { quarterlyDispatch(year: 2025, quarter: $v) { year } }",
                json!(1.5),
            ),
        ];
        for (query, value) in cases {
            let (status, body) = app
                .gql(Some(&app.office), query, json!({ "v": value }))
                .await;
            assert!(status == 200 || status == 400, "{status} {body}");
            let errors = body["errors"].as_array().expect("errors");
            assert!(!errors.is_empty(), "{body}");
            for error in errors {
                assert_eq!(error["extensions"]["code"], request::BAD, "{query}: {body}");
            }
        }
        app.stop().await;
    }
}
