//! The optional client-side rate limiter: waits until a [`RateStore`] admits the call, for the
//! spec's documented limits (an endpoint's own `rate_limit`, else the vendor's). DingTalk counts per
//! app and API, and a `Client` is one app, so the key is the credential and the endpoint id.

use crate::Error;
use crate::rate_store::{Admission, RateStore};
use std::sync::Arc;
use std::time::Duration;

/// A store and this client's part of its keys.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    store: Arc<dyn RateStore>,
    /// `workapi:rate:<vendor>:<id>:`
    prefix: String,
}

impl RateLimiter {
    pub(crate) fn new(store: Arc<dyn RateStore>, vendor: &str, id: &str) -> Self {
        RateLimiter {
            store,
            prefix: format!("workapi:rate:{vendor}:{id}:"),
        }
    }

    /// Waits until one more call of `endpoint` fits `calls` per `per`, and counts it.
    pub(crate) async fn acquire(&self, endpoint: &'static str, calls: u32, per: Duration) -> Result<(), Error> {
        let key = format!("{}{endpoint}", self.prefix);
        loop {
            match self.store.acquire(&key, calls, per).await? {
                Admission::Granted => return Ok(()),
                Admission::Wait(wait) => {
                    // A store's answer is bounded by the window: a wrong one cannot park a call.
                    let wait = wait.clamp(Duration::from_millis(1), per.max(Duration::from_millis(1)));
                    tracing::debug!(endpoint, wait_ms = wait.as_millis() as u64, "rate limit: waiting");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_store::MemoryRateStore;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn the_call_past_the_limit_waits_for_the_window() {
        let limiter = RateLimiter::new(Arc::new(MemoryRateStore::default()), "v", "id");
        let start = Instant::now();
        for _ in 0..20 {
            limiter.acquire("a", 20, Duration::from_secs(1)).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "20 calls a second fit at once");
        limiter.acquire("b", 20, Duration::from_secs(1)).await.unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO, "another endpoint has its own window");
        limiter.acquire("a", 20, Duration::from_secs(1)).await.unwrap();
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "the 21st waits until the first leaves"
        );
        for _ in 0..99 {
            limiter.acquire("c", 100, Duration::from_secs(60)).await.unwrap();
        }
        limiter.acquire("c", 100, Duration::from_secs(60)).await.unwrap();
        limiter.acquire("c", 100, Duration::from_secs(60)).await.unwrap();
        assert_eq!(start.elapsed(), Duration::from_secs(61));
    }

    /// A store that always says "wait an hour", and counts how often it was asked.
    #[derive(Debug, Default)]
    struct Stuck(std::sync::atomic::AtomicU32);
    impl RateStore for Stuck {
        fn acquire<'a>(
            &'a self,
            _: &'a str,
            _: u32,
            _: Duration,
        ) -> futures::future::BoxFuture<'a, Result<Admission, Error>> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Box::pin(async { Ok(Admission::Wait(Duration::from_secs(3600))) })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_store_cannot_park_a_call_past_the_window() {
        let store = Arc::new(Stuck::default());
        let limiter = RateLimiter::new(store.clone(), "v", "id");
        let waited = tokio::time::timeout(
            Duration::from_millis(2500),
            limiter.acquire("a", 20, Duration::from_secs(1)),
        );
        assert!(waited.await.is_err(), "Stuck never admits");
        // Asked again every window (at 0, 1 and 2 s), not once an hour.
        assert_eq!(store.0.load(std::sync::atomic::Ordering::Relaxed), 3);
    }
}
