//! Bearer tokens: created once by `duban token create`, stored only as a SHA-256 hash.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

use duban_domain::ids::DepartmentId;
use duban_domain::{Actor, Role};
use duban_store::Db;

use crate::error::{ServiceError, ServiceResult};
use crate::on_db;

/// A stored token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Its id.
    pub id: String,
    /// Who holds it.
    pub name: String,
    /// The role it grants.
    pub role: Role,
    /// For DEPARTMENT tokens.
    pub department: Option<DepartmentId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenInfo {
    /// The actor this token acts as.
    pub fn actor(&self) -> Actor {
        Actor {
            name: self.name.clone(),
            role: self.role,
            department: self.department,
        }
    }
}

/// The hash under which a token is stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// Creates a token and returns (info, the secret). The secret is shown once.
pub async fn create_token(
    db: &Db,
    name: &str,
    role: Role,
    department: Option<DepartmentId>,
    now: DateTime<Utc>,
) -> ServiceResult<(TokenInfo, String)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ServiceError::invalid("name", "a token needs a name"));
    }
    match (role, department) {
        (Role::Department, None) => {
            return Err(ServiceError::invalid(
                "department",
                "a DEPARTMENT token must name its department",
            ));
        }
        (Role::Office | Role::Auditor, Some(_)) => {
            return Err(ServiceError::invalid(
                "department",
                "only DEPARTMENT tokens name a department",
            ));
        }
        (Role::System, _) => {
            return Err(ServiceError::invalid(
                "role",
                "no token acts as the system clock",
            ));
        }
        _ => {}
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let token = format!("dbn_{}", hex::encode(secret));
    let info = TokenInfo {
        id: uuid::Uuid::now_v7().to_string(),
        name: name.to_string(),
        role,
        department,
        created_at: now,
        revoked_at: None,
    };
    let sql = "INSERT INTO api_tokens (id, name, role, department_id, token_hash, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6)";
    on_db!(db, |pool| sqlx::query(sql)
        .bind(&info.id)
        .bind(&info.name)
        .bind(role.as_str())
        .bind(department.map(|d| d.to_string()))
        .bind(hash_token(&token))
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
    Ok((info, token))
}

const COLUMNS: &str = "id, name, role, department_id, created_at, revoked_at";

fn read_row<R: Row>(row: &R) -> ServiceResult<TokenInfo>
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> DateTime<Utc>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<DateTime<Utc>>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    let role: String = row.try_get("role")?;
    let department: Option<String> = row.try_get("department_id")?;
    Ok(TokenInfo {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: Role::parse(&role)
            .ok_or_else(|| ServiceError::Internal(format!("stored token role {role}")))?,
        department: department
            .map(|d| DepartmentId::parse("department", &d))
            .transpose()?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

/// The live token with this secret, or UNAUTHENTICATED.
pub async fn authenticate(db: &Db, token: &str) -> ServiceResult<TokenInfo> {
    let sql =
        format!("SELECT {COLUMNS} FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL");
    let hash = hash_token(token);
    let found = on_db!(
        db,
        |pool| match sqlx::query(&sql).bind(&hash).fetch_optional(pool).await? {
            Some(row) => Some(read_row(&row)?),
            None => None,
        }
    );
    found.ok_or_else(|| {
        ServiceError::Unauthenticated("the bearer token is not known or was revoked".into())
    })
}

/// Every token, newest last.
pub async fn list_tokens(db: &Db) -> ServiceResult<Vec<TokenInfo>> {
    let sql = format!("SELECT {COLUMNS} FROM api_tokens ORDER BY created_at, id");
    on_db!(db, |pool| sqlx::query(&sql)
        .fetch_all(pool)
        .await?
        .iter()
        .map(read_row)
        .collect())
}

/// Revokes a token by id or name; returns how many were revoked.
pub async fn revoke_token(db: &Db, id_or_name: &str, now: DateTime<Utc>) -> ServiceResult<u64> {
    let sql = "UPDATE api_tokens SET revoked_at = $1 \
               WHERE (id = $2 OR name = $2) AND revoked_at IS NULL";
    let n = on_db!(db, |pool| sqlx::query(sql)
        .bind(now)
        .bind(id_or_name)
        .execute(pool)
        .await?
        .rows_affected());
    Ok(n)
}
