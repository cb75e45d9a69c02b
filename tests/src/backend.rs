//! Which database a test runs on, and [`backend_tests!`](crate::backend_tests), which
//! emits an end-to-end test once per backend.

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// Emits each named `async fn name(backend: Backend)` as two tests, `name::sqlite` and
/// `name::postgres`, so that each backend passes or fails on its own and the output
/// names the one that failed.
///
/// The PostgreSQL half behaves as the kit does without `DUBAN_TEST_POSTGRES_URL`: the
/// function gets `None` from [`spawn_app`](crate::spawn_app) or
/// [`fresh_db`](crate::fresh_db), which print `skipped: …` (and panic when `CI` is set),
/// and returns.
///
/// The tests run on tokio's multi-thread runtime with two workers; another runtime is
/// given as the first argument:
///
/// ```text
/// backend_tests!(delivers_every_notice);
/// backend_tests!(#[tokio::test(flavor = "multi_thread", worker_threads = 4)] raced, stalled);
/// ```
///
/// (A `macro_rules!` macro cannot join identifiers, so the backend is a module level
/// below the test's name rather than a suffix of it.)
#[macro_export]
macro_rules! backend_tests {
    (#[$runtime:meta] $($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[$runtime]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await;
                }

                #[$runtime]
                async fn postgres() {
                    super::$name($crate::Backend::Postgres).await;
                }
            }
        )+
    };
    ($($name:ident),+ $(,)?) => {
        $crate::backend_tests!(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)] $($name),+
        );
    };
}
