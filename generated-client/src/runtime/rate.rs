//! The optional client-side rate limiter: a sliding window per endpoint, sized from the spec's
//! documented limits (an endpoint's own `rate_limit`, else the vendor's). DingTalk counts per app
//! and API, and a `Client` is one app, so one window per endpoint id is the vendor's own scope.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// Sliding windows of recent call times, one per endpoint.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    windows: Mutex<HashMap<&'static str, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Waits until one more call of `endpoint` fits `calls` per `per`, and counts it.
    pub(crate) async fn acquire(&self, endpoint: &'static str, calls: u32, per: Duration) {
        loop {
            let wait = {
                let mut windows = self.windows.lock().await;
                let window = windows.entry(endpoint).or_default();
                let now = Instant::now();
                while window.front().is_some_and(|t| now.duration_since(*t) >= per) {
                    window.pop_front();
                }
                if window.len() < calls as usize {
                    window.push_back(now);
                    return;
                }
                // Full: the oldest call leaves the window first.
                window
                    .front()
                    .map(|t| per.saturating_sub(now.duration_since(*t)))
                    .unwrap_or_default()
            };
            tracing::debug!(endpoint, wait_ms = wait.as_millis() as u64, "rate limit: waiting");
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_call_past_the_limit_waits_for_the_window() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..20 {
            limiter.acquire("a", 20, Duration::from_secs(1)).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "20 calls a second fit at once");
        limiter.acquire("b", 20, Duration::from_secs(1)).await;
        assert_eq!(start.elapsed(), Duration::ZERO, "another endpoint has its own window");
        limiter.acquire("a", 20, Duration::from_secs(1)).await;
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "the 21st waits until the first leaves"
        );
        for _ in 0..99 {
            limiter.acquire("c", 100, Duration::from_secs(60)).await;
        }
        limiter.acquire("c", 100, Duration::from_secs(60)).await;
        limiter.acquire("c", 100, Duration::from_secs(60)).await;
        assert_eq!(start.elapsed(), Duration::from_secs(61));
    }
}
