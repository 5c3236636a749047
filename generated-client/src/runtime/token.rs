//! The access-token cache: one load at a time, its outcome shared by every caller that waited on
//! it, and the token reused until shortly before it expires.
//!
//! Readers take a short synchronous lock and never wait on the network. A reader that finds no
//! fresh token queues on the async `refill` lock; when its turn comes it takes the outcome of any
//! load that finished while it waited (the token, or the same error) and loads only if none did.
//! So N concurrent calls on a cold cache make one load, and a failing token endpoint sees one load
//! (with its retries) per outage window, not one per caller. With a shared store, the clients
//! (and processes) sharing it also fetch one at a time, through the store's lease. Time comes from
//! tokio's clock, so tests control it with `tokio::time::pause`.

use crate::error::TimeoutScope;
use crate::token_store::{StoredToken, TokenStore};
use crate::{Error, Secret};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// The shortest lifetime a token is kept for. A vendor (or a proxy) that says 0 would otherwise
/// cost one token fetch per call; a token that is really dead is rejected by the vendor, and the
/// call path refreshes it once, so the clamp cannot make a call use a dead token twice.
pub(crate) const MIN_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime a token is kept for. Both vendors issue 7200 s tokens; a larger number is
/// a fault we survive, and the bound keeps `Instant` arithmetic far from overflow.
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// How long a failed load's error is returned to new callers without loading again, so that
/// callers arriving just after a failure do not hammer a token endpoint that is down.
const FAILED_LOAD_REUSE: Duration = Duration::from_secs(1);

/// How often a client waiting on another's fetch (through a shared store) looks for its token:
/// from the first to the last interval, doubling.
const LEASE_POLL_MIN: Duration = Duration::from_millis(25);
const LEASE_POLL_MAX: Duration = Duration::from_millis(400);

/// A name for this cache as a lease holder, unique across processes.
fn holder_name() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{nanos:x}-{n}", std::process::id())
}

/// How long before `expires_in` runs out a token stops being handed out.
fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 10).min(Duration::from_secs(300))
}

/// The lifetime a token response states, in seconds: a non-negative integer, or its string form.
///
/// Missing, negative, fractional or non-numeric values are errors, not a guessed 7200 s: they are
/// not a lifetime at all, and a guess could hand out a dead token for two hours. Any number is
/// then clamped into [`MIN_LIFETIME`, `MAX_LIFETIME`] (digit strings too long for a `u64` included).
pub(crate) fn lifetime_from(value: Option<&serde_json::Value>) -> Result<Duration, &'static str> {
    let secs = match value {
        None | Some(serde_json::Value::Null) => return Err("no lifetime"),
        Some(serde_json::Value::Number(n)) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(s), _, _) => s,
            (None, Some(_), _) => return Err("a negative lifetime"),
            // Past u64 serde_json keeps a float: a whole, positive one is just very long.
            (None, None, Some(f)) if f > 0.0 && f.fract() == 0.0 => u64::MAX,
            _ => return Err("a lifetime that is not a whole number of seconds"),
        },
        Some(serde_json::Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().unwrap_or(u64::MAX)
        }
        Some(_) => return Err("a lifetime that is not a whole number of seconds"),
    };
    Ok(Duration::from_secs(secs).clamp(MIN_LIFETIME, MAX_LIFETIME))
}

/// `now + d` (at most [`MAX_LIFETIME`]), never panicking.
fn later(now: Instant, d: Duration) -> Instant {
    // On overflow the token is stale at once: a refetch, never a panic.
    now.checked_add(d.min(MAX_LIFETIME)).unwrap_or(now)
}

#[derive(Clone)]
struct Cached {
    token: Secret,
    fresh_until: Instant,
}

#[derive(Default)]
struct State {
    current: Option<Cached>,
    /// Loads finished so far, successful or not: a waiter that sees it move while it waited for
    /// the `refill` lock takes that load's outcome instead of loading again.
    finished: u64,
    /// The last load's error, and when it ended; cleared by a successful load.
    failure: Option<(Instant, Error)>,
}

/// One credential's token: a local copy, and optionally a shared store behind it.
pub(crate) struct TokenCache {
    state: Mutex<State>,
    refill: tokio::sync::Mutex<()>,
    shared: Option<(Arc<dyn TokenStore>, String)>,
    /// The token endpoint's id, for timeout errors.
    endpoint: &'static str,
    load_timeout: Duration,
    /// This cache's name when it holds the shared store's fetch lease.
    holder: String,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state();
        let state = match &s.current {
            Some(c) if c.fresh_until > Instant::now() => "fresh",
            Some(_) => "stale",
            None => "empty",
        };
        f.debug_struct("TokenCache").field("token", &state).finish()
    }
}

impl TokenCache {
    /// An empty cache for the token of `endpoint`; a load taking longer than `load_timeout` fails.
    pub(crate) fn new(endpoint: &'static str, load_timeout: Duration) -> Self {
        TokenCache {
            state: Mutex::default(),
            refill: tokio::sync::Mutex::new(()),
            shared: None,
            endpoint,
            load_timeout,
            holder: holder_name(),
        }
    }

    /// The same cache, also keeping its token in `store` under `key`.
    pub(crate) fn shared(mut self, store: Arc<dyn TokenStore>, key: String) -> Self {
        self.shared = Some((store, key));
        self
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A fresh token, or the error of a load that finished after `seen` or within the reuse window.
    fn settled(&self, seen: Option<u64>) -> Option<Result<Secret, Error>> {
        let s = self.state();
        let now = Instant::now();
        if let Some(c) = s.current.as_ref().filter(|c| c.fresh_until > now) {
            return Some(Ok(c.token.clone()));
        }
        let (failed_at, error) = s.failure.as_ref()?;
        let waited_on_it = seen.is_some_and(|seen| s.finished != seen);
        (waited_on_it || now.saturating_duration_since(*failed_at) < FAILED_LOAD_REUSE).then(|| Err(error.clone()))
    }

    /// A fresh token, loading one with `fetch` (returning the token and its lifetime, which is
    /// clamped again here) when there is none. Every caller that waited on a load gets its outcome.
    pub(crate) async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), Error>>,
    {
        if let Some(outcome) = self.settled(None) {
            return outcome;
        }
        let seen = self.state().finished;
        let _refill = self.refill.lock().await;
        if let Some(outcome) = self.settled(Some(seen)) {
            return outcome;
        }
        // This caller loads. If it is cancelled (its call timed out or was dropped), nothing is
        // recorded and the next waiter loads instead.
        let outcome = match tokio::time::timeout(self.load_timeout, self.load(fetch)).await {
            Ok(outcome) => outcome,
            Err(_) => Err(Error::Timeout {
                endpoint: self.endpoint,
                after: self.load_timeout,
                scope: TimeoutScope::TokenLoad,
                attempts: 1,
            }),
        };
        let mut s = self.state();
        s.finished = s.finished.wrapping_add(1);
        match &outcome {
            Ok(_) => s.failure = None,
            Err(e) => s.failure = Some((Instant::now(), e.clone())),
        }
        outcome
    }

    /// A token from `fetch`, or with a shared store, the store's if it has a fresh one. Clients
    /// sharing the store fetch one at a time, each holding the store's lease while it does; the
    /// others poll the store until the token appears or the lease is theirs.
    async fn load<F, Fut>(&self, fetch: F) -> Result<Secret, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), Error>>,
    {
        let Some((store, key)) = &self.shared else {
            return self.fetch_and_keep(fetch).await;
        };
        let mut poll = LEASE_POLL_MIN;
        loop {
            if let Some(token) = self.stored_token(store.as_ref(), key).await? {
                return Ok(token);
            }
            // The lease outlives a holder that dies by at most one load timeout.
            if store.lease(key, &self.holder, self.load_timeout).await? {
                break;
            }
            tokio::time::sleep(poll).await;
            poll = (poll * 2).min(LEASE_POLL_MAX);
        }
        // The previous holder may have saved its token just before the lease came free.
        let loaded = match self.stored_token(store.as_ref(), key).await {
            Ok(Some(token)) => Ok(token),
            Ok(None) => self.fetch_and_keep(fetch).await,
            Err(e) => Err(e),
        };
        let released = store.release(key, &self.holder).await;
        let token = loaded?;
        released?;
        Ok(token)
    }

    /// The shared store's token, kept here too, if it is fresh.
    async fn stored_token(&self, store: &dyn TokenStore, key: &str) -> Result<Option<Secret>, Error> {
        Ok(match store.load(key).await? {
            Some(stored) => match stored.fresh_until.duration_since(SystemTime::now()) {
                Ok(left) if !left.is_zero() => {
                    self.keep(stored.token.clone(), later(Instant::now(), left));
                    Some(stored.token)
                }
                _ => None,
            },
            None => None,
        })
    }

    /// A token from `fetch`, kept here and in the shared store.
    async fn fetch_and_keep<F, Fut>(&self, fetch: F) -> Result<Secret, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), Error>>,
    {
        let (token, lifetime) = fetch().await?;
        let lifetime = lifetime.clamp(MIN_LIFETIME, MAX_LIFETIME);
        let fresh_for = lifetime.saturating_sub(refresh_margin(lifetime));
        self.keep(token.clone(), later(Instant::now(), fresh_for));
        if let Some((store, key)) = &self.shared {
            let stored = StoredToken {
                token: token.clone(),
                fresh_until: SystemTime::now().checked_add(fresh_for).unwrap_or_else(SystemTime::now),
            };
            store.save(key, &stored).await?;
        }
        Ok(token)
    }

    fn keep(&self, token: Secret, fresh_until: Instant) {
        self.state().current = Some(Cached { token, fresh_until });
    }

    /// Forgets `rejected` here and in the shared store, if it is still the token there.
    pub(crate) async fn invalidate(&self, rejected: &Secret) -> Result<(), Error> {
        {
            let mut s = self.state();
            if s.current.as_ref().is_some_and(|c| &c.token == rejected) {
                s.current = None;
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
    use serde_json::json;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn cache() -> Arc<TokenCache> {
        Arc::new(TokenCache::new("gettoken", Duration::from_secs(5)))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_cold_calls_fetch_once_and_invalidate_only_the_rejected_token() {
        let cache = cache();
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
        let fresh = |c: &TokenCache| c.settled(None).is_some_and(|r| r.is_ok());
        cache.invalidate(&Secret::new("other")).await.unwrap();
        assert!(fresh(&cache), "a token that was not rejected stays");
        cache.invalidate(&Secret::new("t0")).await.unwrap();
        assert!(!fresh(&cache));
        assert_eq!(refresh_margin(Duration::from_secs(7200)), Duration::from_secs(300));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_load_is_shared_by_its_waiters_and_reused_briefly() {
        let cache = cache();
        let fetches = Arc::new(AtomicUsize::new(0));
        let failing = |fetches: Arc<AtomicUsize>| {
            move || async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err::<(Secret, Duration), _>(Error::config("token endpoint down"))
            }
        };
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let (cache, f) = (cache.clone(), failing(fetches.clone()));
                tokio::spawn(async move { cache.get(f).await })
            })
            .collect();
        for t in tasks {
            assert!(matches!(t.await.unwrap(), Err(Error::Config { .. })));
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1, "one load for 100 waiters");
        assert!(cache.get(failing(fetches.clone())).await.is_err());
        assert_eq!(fetches.load(Ordering::SeqCst), 1, "reused within the window");
        tokio::time::advance(FAILED_LOAD_REUSE).await;
        assert!(cache.get(failing(fetches.clone())).await.is_err());
        assert_eq!(fetches.load(Ordering::SeqCst), 2, "loaded again after it");
    }

    #[tokio::test(start_paused = true)]
    async fn a_load_that_hangs_times_out_and_the_next_caller_loads_again() {
        let cache = cache();
        let hang = || std::future::pending::<Result<(Secret, Duration), Error>>();
        let err = cache.get(hang).await.unwrap_err();
        assert!(
            matches!(err, Error::Timeout { scope: TimeoutScope::TokenLoad, after, .. } if after == Duration::from_secs(5)),
            "{err:?}"
        );
        tokio::time::advance(FAILED_LOAD_REUSE).await;
        let ok = cache
            .get(|| async { Ok((Secret::new("t"), Duration::from_secs(7200))) })
            .await;
        assert_eq!(ok.unwrap().expose(), "t");
    }

    #[tokio::test(start_paused = true)]
    async fn lifetimes_are_clamped_and_the_token_expires_on_tokio_time() {
        let cache = cache();
        let fetch = |life: u64| move || async move { Ok((Secret::new(format!("t{life}")), Duration::from_secs(life))) };
        assert_eq!(cache.get(fetch(0)).await.unwrap().expose(), "t0", "0 s is kept 60 s");
        tokio::time::advance(Duration::from_secs(50)).await;
        assert_eq!(cache.get(fetch(1)).await.unwrap().expose(), "t0", "still fresh at 50 s");
        tokio::time::advance(Duration::from_secs(10)).await;
        assert_eq!(
            cache.get(fetch(u64::MAX)).await.unwrap().expose(),
            format!("t{}", u64::MAX)
        );
        tokio::time::advance(MAX_LIFETIME - Duration::from_secs(301)).await;
        assert!(
            cache.settled(None).is_some(),
            "a huge lifetime is a day, less the margin"
        );
        tokio::time::advance(Duration::from_secs(2)).await;
        assert!(cache.settled(None).is_none());
    }

    #[test]
    fn a_lifetime_is_a_whole_number_of_seconds_or_an_error() {
        let secs = |v: serde_json::Value| lifetime_from(Some(&v)).map(|d| d.as_secs());
        assert_eq!(secs(json!(7200)), Ok(7200));
        assert_eq!(secs(json!("7200")), Ok(7200));
        assert_eq!(secs(json!(0)), Ok(60));
        assert_eq!(secs(json!(u64::MAX)), Ok(86400));
        assert_eq!(secs(json!(1e30)), Ok(86400));
        assert_eq!(secs(json!("99999999999999999999999")), Ok(86400));
        assert!(secs(json!(-1)).is_err());
        assert!(secs(json!(1.5)).is_err());
        assert!(secs(json!("soon")).is_err());
        assert!(secs(json!("-5")).is_err());
        assert!(secs(json!(null)).is_err());
        assert!(lifetime_from(None).is_err());
    }
}
