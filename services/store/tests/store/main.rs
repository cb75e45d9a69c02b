//! Tests of duban-store: the conformance suite on both backends, tampering, concurrency.
//!
//! Every conformance check is written once (in `conformance`) over `&dyn EventStore`
//! and instantiated for SQLite (`sqlite::*`) and PostgreSQL (`postgres::*`; skipped with
//! a notice unless `DUBAN_TEST_POSTGRES_URL` is set).

mod backends;
mod concurrency;
mod conformance;
mod group;
mod support;

/// Instantiates each named conformance check once per backend.
macro_rules! conformance_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _file) = duban_store::testing::fresh_sqlite().await;
                    crate::conformance::$name(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some((store, _db)) = duban_store::testing::fresh_postgres().await else {
                        return;
                    };
                    crate::conformance::$name(&store).await;
                }
            )*
        }
    };
}

conformance_tests!(
    append_and_read,
    version_conflict_writes_nothing,
    duplicate_command_returns_first_result,
    multi_stream_append_is_atomic,
    invalid_appends_are_refused,
    racing_duplicate_commands_write_once,
    racing_expected_versions_let_one_win,
    read_all_is_ordered_and_paged,
    read_all_lean_matches_read_all,
    read_stream_by_version,
    read_stream_by_time,
    hash_chain_links_each_stream,
    notifies_on_commit,
    payloads_round_trip_canonically,
    verify_detects_a_changed_row,
    verify_detects_a_deleted_row,
    verify_detects_a_deleted_last_row,
    verify_detects_swapped_positions,
    large_appends_span_insert_chunks,
);
