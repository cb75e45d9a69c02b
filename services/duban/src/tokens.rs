//! The tokens a server has looked up, kept while the store can vouch that no stored
//! token changed since ([`EventStore::token_epoch`]): on PostgreSQL every revocation is
//! notified to every server at its commit and a heartbeat proves that notifications are
//! arriving, so a request with a known token needs no query. SQLite gives no such
//! notice, so there every request looks its token up. Where the store cannot vouch and
//! the database does not answer, authentication fails closed.

use crate::auth::{TokenInfo, authenticate, hash_token};
use crate::bounded::Bounded;
use crate::error::ServiceResult;
use duban_store::{Db, EventStore};

/// Entries kept: far more tokens than a county hands out; the least used go first.
const CAPACITY: usize = 10_000;

/// Token hash → (the epoch it was looked up under, the live token).
pub struct TokenCache {
    db: Db,
    entries: Bounded<String, (u64, TokenInfo)>,
}

impl TokenCache {
    /// The cache of tokens stored in `db` (the server's tables).
    pub fn new(db: Db) -> Self {
        Self {
            db,
            entries: Bounded::new(CAPACITY),
        }
    }

    /// The live token with this secret, or UNAUTHENTICATED; from the cache when the
    /// store's token epoch has not moved since it was looked up.
    pub async fn authenticate(
        &self,
        store: &dyn EventStore,
        token: &str,
    ) -> ServiceResult<TokenInfo> {
        self.lookup(token, store.token_epoch()).await
    }

    /// [`TokenCache::authenticate`] for delivering the event at `position`: the cache
    /// serves only when every token change committed before that event is known, so an
    /// event recorded after a revocation never reaches the revoked token's holder.
    pub async fn authenticate_through(
        &self,
        store: &dyn EventStore,
        token: &str,
        position: i64,
    ) -> ServiceResult<TokenInfo> {
        self.lookup(token, store.token_epoch_through(position))
            .await
    }

    async fn lookup(
        &self,
        token: &str,
        // Read before the lookup: a change committed during it moves the epoch on, and
        // the entry, stored under the older epoch, is then never used.
        epoch: Option<u64>,
    ) -> ServiceResult<TokenInfo> {
        let Some(epoch) = epoch else {
            return authenticate(&self.db, token).await;
        };
        let hash = hash_token(token);
        if let Some((seen, info)) = self.entries.get(&hash)
            && seen == epoch
        {
            return Ok(info);
        }
        let info = authenticate(&self.db, token).await?;
        self.entries.insert(hash, (epoch, info.clone()));
        Ok(info)
    }
}
