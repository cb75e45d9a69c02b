//! The tokens a server has looked up, kept while the store can vouch that no stored
//! token changed since ([`EventStore::token_epoch`]): on PostgreSQL a trigger notifies
//! every server of a revocation at its commit, so a request with a known token needs
//! no query. SQLite gives no such notice, so there every request looks its token up.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use duban_store::EventStore;

use crate::auth::{TokenInfo, authenticate, hash_token};
use crate::error::ServiceResult;

/// Entries kept before the cache starts again from empty: far more tokens than a
/// county hands out, small enough (a few MB) not to matter.
const CAPACITY: usize = 10_000;

/// Token hash → (the epoch it was looked up under, the live token).
#[derive(Debug, Default)]
pub struct TokenCache {
    entries: Mutex<HashMap<String, (u64, TokenInfo)>>,
}

impl TokenCache {
    /// The live token with this secret, or UNAUTHENTICATED; from the cache when the
    /// store's token epoch has not moved since it was looked up.
    pub async fn authenticate(
        &self,
        store: &dyn EventStore,
        token: &str,
    ) -> ServiceResult<TokenInfo> {
        // Read before the lookup: a change committed during it moves the epoch on, and
        // the entry, stored under the older epoch, is then never used.
        let Some(epoch) = store.token_epoch() else {
            return authenticate(&store.db(), token).await;
        };
        let hash = hash_token(token);
        if let Some((seen, info)) = self.lock().get(&hash)
            && *seen == epoch
        {
            return Ok(info.clone());
        }
        let info = authenticate(&store.db(), token).await?;
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(hash, (epoch, info.clone()));
        Ok(info)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (u64, TokenInfo)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
