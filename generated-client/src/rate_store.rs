//! Where the client-side rate limiter counts calls: [`RateStore`], with an in-memory store and,
//! behind the `redis` feature, a Redis store through which the vendors' documented limits hold
//! across every process of a deployment.
//!
//! The vendors count per app and API (DingTalk: 20 calls a second per app and API; WeCom check-in:
//! 100 a minute), so a limit kept in each process's memory lets N workers send N times the limit
//! and earn errcode 90018 / 45033 for all of them. Keys are `workapi:rate:<vendor>:<id>:<endpoint>`:
//! the credential's public id (a DingTalk app key, a WeCom corp id) and the endpoint id, never a
//! secret. For WeCom the key is per corp rather than per app: stricter than the vendor where a corp
//! runs several apps, never looser.

use crate::Error;
use futures::future::BoxFuture;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// What a [`RateStore`] answers for one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// The call fits the window and has been counted: send it.
    Granted,
    /// The window is full: ask again after this long (when its oldest call leaves it).
    Wait(Duration),
}

/// A count of recent calls per key, shared by every client (and process) that uses it.
///
/// One method, atomic per key: counting a call and checking the limit cannot be two steps, or two
/// processes would both see room for the last call.
pub trait RateStore: Send + Sync + std::fmt::Debug {
    /// Counts one call under `key` if fewer than `calls` were counted in the last `per`; else
    /// says how long until one leaves the window.
    fn acquire<'a>(&'a self, key: &'a str, calls: u32, per: Duration) -> BoxFuture<'a, Result<Admission, Error>>;
}

/// Calls counted in this process's memory (a sliding window of call times per key): what
/// `rate_limit(true)` uses when no store is given. Share one `Arc<MemoryRateStore>` between the
/// clients of one app in a process so they share its limit.
#[derive(Debug, Default)]
pub struct MemoryRateStore {
    windows: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl MemoryRateStore {
    fn admit(&self, key: &str, calls: u32, per: Duration) -> Admission {
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let window = windows.entry(key.to_owned()).or_default();
        let now = Instant::now();
        while window.front().is_some_and(|t| now.duration_since(*t) >= per) {
            window.pop_front();
        }
        if window.len() < calls as usize {
            window.push_back(now);
            return Admission::Granted;
        }
        // Full: the oldest call leaves the window first.
        let wait = window
            .front()
            .map(|t| per.saturating_sub(now.duration_since(*t)))
            .unwrap_or_default();
        Admission::Wait(wait)
    }
}

impl RateStore for MemoryRateStore {
    fn acquire<'a>(&'a self, key: &'a str, calls: u32, per: Duration) -> BoxFuture<'a, Result<Admission, Error>> {
        let admission = self.admit(key, calls, per);
        Box::pin(async move { Ok(admission) })
    }
}

#[cfg(feature = "redis")]
pub use self::redis_store::RedisRateStore;

#[cfg(feature = "redis")]
mod redis_store {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};

    /// The sliding window as a sorted set of call times (microseconds of the Redis server's clock,
    /// so the workers' clocks need not agree), checked and counted in one script.
    const ADMIT: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local calls = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < calls then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local wait = tonumber(oldest[2]) + window - now
if wait < 1 then wait = 1 end
return wait
";

    /// Call counts in Redis (5 or newer), shared by every process that connects to the same
    /// server: the documented per-app limits hold for the deployment, not per worker.
    pub struct RedisRateStore {
        connection: redis::aio::ConnectionManager,
        script: redis::Script,
        /// Makes each counted call a distinct member of the window's set.
        member_prefix: String,
        next: AtomicU64,
    }

    impl std::fmt::Debug for RedisRateStore {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("RedisRateStore").finish_non_exhaustive()
        }
    }

    fn store_error(e: redis::RedisError) -> Error {
        Error::rate_store("redis", Some(Box::new(e)))
    }

    impl RedisRateStore {
        /// Connects to `url` (`redis://127.0.0.1:6379/`); reconnects by itself later on.
        pub async fn connect(url: &str) -> Result<Self, Error> {
            let client = redis::Client::open(url).map_err(store_error)?;
            let connection = redis::aio::ConnectionManager::new(client).await.map_err(store_error)?;
            static STORES: AtomicU64 = AtomicU64::new(0);
            let started = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            let member_prefix = format!(
                "{:x}-{:x}-{:x}",
                std::process::id(),
                started,
                STORES.fetch_add(1, Ordering::Relaxed)
            );
            Ok(RedisRateStore {
                connection,
                script: redis::Script::new(ADMIT),
                member_prefix,
                next: AtomicU64::new(0),
            })
        }
    }

    impl RateStore for RedisRateStore {
        fn acquire<'a>(&'a self, key: &'a str, calls: u32, per: Duration) -> BoxFuture<'a, Result<Admission, Error>> {
            Box::pin(async move {
                let window_us = u64::try_from(per.as_micros()).unwrap_or(u64::MAX).max(1);
                let member = format!("{}-{}", self.member_prefix, self.next.fetch_add(1, Ordering::Relaxed));
                let mut c = self.connection.clone();
                let wait_us: i64 = self
                    .script
                    .key(key)
                    .arg(calls)
                    .arg(window_us)
                    .arg(member)
                    .invoke_async(&mut c)
                    .await
                    .map_err(store_error)?;
                Ok(match u64::try_from(wait_us) {
                    Ok(0) | Err(_) => Admission::Granted,
                    Ok(us) => Admission::Wait(Duration::from_micros(us)),
                })
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn granted(store: &MemoryRateStore, key: &str, calls: u32, secs: u64) -> bool {
        store.admit(key, calls, Duration::from_secs(secs)) == Admission::Granted
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_window_says_when_its_oldest_call_leaves() {
        let store = MemoryRateStore::default();
        assert!(granted(&store, "a", 20, 1));
        tokio::time::advance(Duration::from_millis(300)).await;
        for _ in 0..19 {
            assert!(granted(&store, "a", 20, 1));
        }
        assert!(granted(&store, "b", 20, 1), "another key has its own window");
        assert_eq!(
            store.admit("a", 20, Duration::from_secs(1)),
            Admission::Wait(Duration::from_millis(700))
        );
        tokio::time::advance(Duration::from_millis(700)).await;
        assert!(granted(&store, "a", 20, 1), "the first call has left the window");
        assert!(!granted(&store, "a", 20, 1), "and only the first");
    }
}
