//! The access-token cache: one fetch at a time, reused until shortly before it expires.
//!
//! Readers take a short synchronous read lock and never wait on the network. A reader that finds
//! no fresh token takes the async `refill` lock, looks again (another task may have refilled
//! while it waited), and only then fetches: so N concurrent calls on a cold cache make one request.

use crate::Secret;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long before `expires_in` runs out a token stops being handed out.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

#[derive(Clone)]
struct Cached {
    token: Secret,
    fresh_until: Instant,
}

/// One credential's token.
#[derive(Default)]
pub(crate) struct TokenCache {
    current: RwLock<Option<Cached>>,
    refill: tokio::sync::Mutex<()>,
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
    fn fresh(&self) -> Option<Secret> {
        let guard = self.current.read().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .filter(|c| c.fresh_until > Instant::now())
            .map(|c| c.token.clone())
    }

    /// A fresh token, fetching one with `fetch` (returning the token and its lifetime) when none is.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, crate::Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), crate::Error>>,
    {
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        let _refill = self.refill.lock().await;
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        let (token, lifetime) = fetch().await?;
        let fresh_until = Instant::now() + lifetime.saturating_sub(refresh_margin(lifetime));
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Some(Cached {
            token: token.clone(),
            fresh_until,
        });
        Ok(token)
    }

    /// Forgets `rejected` if it is still the cached token (a newer one is kept).
    pub(crate) fn invalidate(&self, rejected: &Secret) {
        let mut guard = self.current.write().unwrap_or_else(|p| p.into_inner());
        if guard.as_ref().is_some_and(|c| &c.token == rejected) {
            *guard = None;
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
        cache.invalidate(&Secret::new("other"));
        assert!(cache.fresh().is_some(), "a token that was not rejected stays");
        cache.invalidate(&Secret::new("t0"));
        assert!(cache.fresh().is_none());
        assert_eq!(refresh_margin(Duration::from_secs(7200)), Duration::from_secs(300));
    }
}
