//! The real `duban` binary: `schema` prints the committed schema.graphql, which holds
//! every type and field of the contract (`tests/contract.graphql`); `import-plan` on a
//! fresh SQLite file, idempotent under `--command-id`, refusing empty and non-UTF-8
//! files; `token create/list/revoke` against a running server; `tick`, `projections
//! rebuild` and `verify` (clean, then after tampering a row). See `cli/`.

mod import;
mod ops;
mod schema;
mod sdl;
pub mod support;
mod tokens;
