//! `duban backup`: an online, consistent copy of an SQLite database with `VACUUM INTO`
//! (a read transaction: appends carry on meanwhile). PostgreSQL is backed up with its own
//! tools (`pg_dump -Fc`, see deploy/README.md).

use std::path::Path;

use duban_store::Db;

use crate::error::{ServiceError, ServiceResult};

/// What to tell PostgreSQL users.
pub const PG_DUMP_HINT: &str = "duban backup copies SQLite databases only; back up \
     PostgreSQL with pg_dump, e.g. `pg_dump -Fc -f duban.dump \"$DUBAN_DATABASE_URL\"` \
     (restore with pg_restore; see deploy/README.md)";

/// Copies the SQLite database of `db` to `to`, which must not exist yet.
pub async fn backup(db: &Db, to: &Path) -> ServiceResult<()> {
    let Db::Sqlite(pool) = db else {
        return Err(ServiceError::invalid("database", PG_DUMP_HINT));
    };
    if to.exists() {
        return Err(ServiceError::invalid(
            "to",
            format!("{} already exists; choose a new file", to.display()),
        ));
    }
    let target = to
        .to_str()
        .ok_or_else(|| ServiceError::invalid("to", "the path must be valid UTF-8"))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(pool)
        .await?;
    Ok(())
}
