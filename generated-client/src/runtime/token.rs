//! The access-token cache: one fetch at a time, reused until shortly before it expires.
//!
//! Readers take a short synchronous read lock and never wait on the network. A reader that finds
//! no fresh token takes the async `refill` lock, looks again (another task may have refilled
//! while it waited), and only then fetches: so N concurrent calls on a cold cache make one request.

use crate::token_store::{StoredToken, TokenStore};
use crate::{Error, Secret};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime};

/// How long before `expires_in` runs out a token stops being handed out.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

#[derive(Clone)]
struct Cached {
    token: Secret,
    fresh_until: Instant,
}

/// One credential's token: a local copy, and optionally a shared store behind it.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: RwLock<Option<Cached>>,
    refill: tokio::sync::Mutex<()>,
    shared: Option<(Arc<dyn TokenStore>, String)>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match self.current.read() {
            Ok(g) if g.as_ref().is_some_and(|c| c.fresh_until > Instant::now()) => "fresh",
            Ok(g) if g.is_some() => "stale",
            _ => "empty",
        };
        f.debug_struct("TokenCache").field("token", &state).finish()
    }
}

impl TokenCache {
    /// A cache that also keeps its token in `store` under `key`.
    pub(crate) fn shared(store: Arc<dyn TokenStore>, key: String) -> Self {
        TokenCache {
            shared: Some((store, key)),
            ..TokenCache::default()
        }
    }

    fn keep(&self, token: Secret, fresh_until: Instant) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(Cached { token, fresh_until });
    }

    fn fresh(&self) -> Option<Secret> {
        let guard = self.current.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| c.fresh_until > Instant::now())
            .map(|c| c.token.clone())
    }

    /// A fresh token, fetching one with `fetch` (returning the token and its lifetime) when none is.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), Error>>,
    {
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        let _refill = self.refill.lock().await;
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        // Another client or process may have fetched one already.
        if let Some((store, key)) = &self.shared
            && let Some(stored) = store.load(key).await?
            && let Ok(left) = stored.fresh_until.duration_since(SystemTime::now())
        {
            self.keep(stored.token.clone(), Instant::now() + left);
            return Ok(stored.token);
        }
        let (token, lifetime) = fetch().await?;
        let fresh_for = lifetime.saturating_sub(refresh_margin(lifetime));
        self.keep(token.clone(), Instant::now() + fresh_for);
        if let Some((store, key)) = &self.shared {
            let stored = StoredToken {
                token: token.clone(),
                fresh_until: SystemTime::now() + fresh_for,
            };
            store.save(key, &stored).await?;
        }
        Ok(token)
    }

    /// Forgets `rejected` here and in the shared store, if it is still the token there.
    pub(crate) async fn invalidate(&self, rejected: &Secret) -> Result<(), Error> {
        {
            let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
            if guard.as_ref().is_some_and(|c| &c.token == rejected) {
                *guard = None;
            }
        }
        match &self.shared {
            Some((store, key)) => store.discard(key, rejected).await,
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_cold_calls_fetch_once_and_invalidate_only_the_rejected_token() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..200 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|| async {
                        let n = fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok((Secret::new(format!("t{n}")), Duration::from_secs(7200)))
                    })
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().expose(), "t0");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        cache.invalidate(&Secret::new("other")).await.unwrap();
        assert!(cache.fresh().is_some(), "a token that was not rejected stays");
        cache.invalidate(&Secret::new("t0")).await.unwrap();
        assert!(cache.fresh().is_none());
        assert_eq!(refresh_margin(Duration::from_secs(7200)), Duration::from_secs(300));
    }
}
