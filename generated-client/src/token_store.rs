//! Where access tokens are kept: [`TokenStore`], with an in-memory store and, behind the `redis`
//! feature, a Redis store that lets several processes share one token per credential.
//!
//! Keys name the vendor, the credential's public id and a fingerprint of its secret (WeCom issues a
//! token per corp *and* app secret), never the secret itself.

use crate::{Error, Secret};
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// A token and the wall-clock time until which it may be handed out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredToken {
    /// The access token.
    pub token: Secret,
    /// When it stops being handed out (shortly before the vendor's `expires_in` runs out).
    pub fresh_until: SystemTime,
}

impl StoredToken {
    /// Whether it may still be handed out.
    pub fn is_fresh(&self) -> bool {
        self.fresh_until > SystemTime::now()
    }
}

/// A place to keep tokens between calls; shared by every client (and process) that uses it.
///
/// The client keeps a copy of its token in memory and asks the store only when that copy is
/// missing or stale, so a remote store costs one round trip per token lifetime, not per call.
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The token kept under `key`, if any.
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, Error>>;
    /// Keeps `token` under `key`.
    fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> BoxFuture<'a, Result<(), Error>>;
    /// Forgets the token under `key` if it is `rejected` (a newer one is kept).
    fn discard<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, Result<(), Error>>;

    /// Tries to take the lease to fetch the token of `key` for `ttl`, as `holder`: `true` if taken.
    /// The clients (and processes) sharing the store fetch one at a time: the others wait for the
    /// token to appear, or for the lease to be released or to run out (a holder that died). The
    /// default grants every lease, which is right for a store only one client uses.
    fn lease<'a>(&'a self, key: &'a str, holder: &'a str, ttl: Duration) -> BoxFuture<'a, Result<bool, Error>> {
        let _ = (key, holder, ttl);
        Box::pin(async { Ok(true) })
    }

    /// Gives back the lease of `key` if `holder` still holds it.
    fn release<'a>(&'a self, key: &'a str, holder: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        let _ = (key, holder);
        Box::pin(async { Ok(()) })
    }
}

/// Tokens in this process's memory: share one `Arc<MemoryTokenStore>` between clients of the same
/// credential to share their token.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    tokens: Mutex<HashMap<String, StoredToken>>,
    /// Fetch leases: key -> (holder, until when).
    leases: Mutex<HashMap<String, (String, tokio::time::Instant)>>,
}

impl MemoryTokenStore {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, StoredToken>> {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn leases(&self) -> std::sync::MutexGuard<'_, HashMap<String, (String, tokio::time::Instant)>> {
        self.leases.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, Error>> {
        let found = self.map().get(key).cloned();
        Box::pin(async move { Ok(found) })
    }

    fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> BoxFuture<'a, Result<(), Error>> {
        self.map().insert(key.to_owned(), token.clone());
        Box::pin(async { Ok(()) })
    }

    fn discard<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, Result<(), Error>> {
        let mut map = self.map();
        if map.get(key).is_some_and(|t| &t.token == rejected) {
            map.remove(key);
        }
        Box::pin(async { Ok(()) })
    }

    fn lease<'a>(&'a self, key: &'a str, holder: &'a str, ttl: Duration) -> BoxFuture<'a, Result<bool, Error>> {
        let now = tokio::time::Instant::now();
        let mut leases = self.leases();
        let taken = match leases.get(key) {
            Some((other, until)) if other != holder && *until > now => false,
            _ => {
                let until = now.checked_add(ttl).unwrap_or(now);
                leases.insert(key.to_owned(), (holder.to_owned(), until));
                true
            }
        };
        Box::pin(async move { Ok(taken) })
    }

    fn release<'a>(&'a self, key: &'a str, holder: &'a str) -> BoxFuture<'a, Result<(), Error>> {
        let mut leases = self.leases();
        if leases.get(key).is_some_and(|(h, _)| h == holder) {
            leases.remove(key);
        }
        Box::pin(async { Ok(()) })
    }
}

/// FNV-1a: a fingerprint that is the same in every process (std's hasher is seeded per process).
pub(crate) fn fingerprint(secret: &Secret) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in secret.expose().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(feature = "redis")]
pub use self::redis_store::RedisTokenStore;

#[cfg(feature = "redis")]
mod redis_store {
    use super::*;
    use redis::AsyncCommands;
    use std::time::UNIX_EPOCH;

    /// Tokens in Redis, under `workapi:token:<vendor>:<id>:<secret fingerprint>`, each with a TTL
    /// that ends when it stops being fresh.
    #[derive(Clone)]
    pub struct RedisTokenStore {
        connection: redis::aio::ConnectionManager,
    }

    impl std::fmt::Debug for RedisTokenStore {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("RedisTokenStore").finish_non_exhaustive()
        }
    }

    fn store_error(e: redis::RedisError) -> Error {
        Error::token_store("redis", Some(Box::new(e)))
    }

    impl RedisTokenStore {
        /// Connects to `url` (`redis://127.0.0.1:6379/`); reconnects by itself later on.
        pub async fn connect(url: &str) -> Result<Self, Error> {
            let client = redis::Client::open(url).map_err(store_error)?;
            let connection = redis::aio::ConnectionManager::new(client).await.map_err(store_error)?;
            Ok(RedisTokenStore { connection })
        }
    }

    /// `fresh_until` in unix milliseconds, a space, the token.
    fn encode(t: &StoredToken) -> String {
        let ms = t
            .fresh_until
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        format!("{ms} {}", t.token.expose())
    }

    fn decode(s: &str) -> Option<StoredToken> {
        let (ms, token) = s.split_once(' ')?;
        let fresh_until = UNIX_EPOCH + Duration::from_millis(ms.parse().ok()?);
        Some(StoredToken {
            token: Secret::new(token),
            fresh_until,
        })
    }

    impl TokenStore for RedisTokenStore {
        fn load<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<StoredToken>, Error>> {
            Box::pin(async move {
                let mut c = self.connection.clone();
                let raw: Option<String> = c.get(key).await.map_err(store_error)?;
                Ok(raw.as_deref().and_then(decode))
            })
        }

        fn save<'a>(&'a self, key: &'a str, token: &'a StoredToken) -> BoxFuture<'a, Result<(), Error>> {
            Box::pin(async move {
                let ttl = token.fresh_until.duration_since(SystemTime::now()).unwrap_or_default();
                let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let mut c = self.connection.clone();
                c.pset_ex::<_, _, ()>(key, encode(token), ms).await.map_err(store_error)
            })
        }

        fn discard<'a>(&'a self, key: &'a str, rejected: &'a Secret) -> BoxFuture<'a, Result<(), Error>> {
            Box::pin(async move {
                // Delete only if it is still the rejected token, atomically.
                let script = redis::Script::new(
                    "local v = redis.call('GET', KEYS[1]) \
                     if v and string.sub(v, -string.len(ARGV[1])) == ARGV[1] then return redis.call('DEL', KEYS[1]) end \
                     return 0",
                );
                let mut c = self.connection.clone();
                script
                    .key(key)
                    .arg(format!(" {}", rejected.expose()))
                    .invoke_async::<i64>(&mut c)
                    .await
                    .map_err(store_error)?;
                Ok(())
            })
        }

        fn lease<'a>(&'a self, key: &'a str, holder: &'a str, ttl: Duration) -> BoxFuture<'a, Result<bool, Error>> {
            Box::pin(async move {
                let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let mut c = self.connection.clone();
                // SET NX PX: taken by exactly one holder, and given up by itself if the holder dies.
                let set: Option<String> = redis::cmd("SET")
                    .arg(lease_key(key))
                    .arg(holder)
                    .arg("NX")
                    .arg("PX")
                    .arg(ms)
                    .query_async(&mut c)
                    .await
                    .map_err(store_error)?;
                Ok(set.is_some())
            })
        }

        fn release<'a>(&'a self, key: &'a str, holder: &'a str) -> BoxFuture<'a, Result<(), Error>> {
            Box::pin(async move {
                let script = redis::Script::new(
                    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                );
                let mut c = self.connection.clone();
                script
                    .key(lease_key(key))
                    .arg(holder)
                    .invoke_async::<i64>(&mut c)
                    .await
                    .map_err(store_error)?;
                Ok(())
            })
        }
    }

    fn lease_key(key: &str) -> String {
        format!("{key}:lease")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_do_not_reveal_the_secret() {
        let s = Secret::new("corp-secret");
        assert_eq!(fingerprint(&s), fingerprint(&Secret::new("corp-secret")));
        assert_ne!(fingerprint(&s), fingerprint(&Secret::new("corp-secret2")));
        assert!(!fingerprint(&s).contains("secret"));
        assert_eq!(fingerprint(&Secret::new("")), "cbf29ce484222325", "FNV-1a offset basis");
    }
}
