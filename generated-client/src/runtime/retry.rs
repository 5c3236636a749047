//! Retrying transient failures: exponential backoff with full jitter, capped, bounded.
//!
//! What may be retried depends on whether the endpoint is idempotent (the spec says). A write that
//! is not (creating a report, an announcement) is resent only when the vendor certainly did not
//! act on it: the connection was never made, or the vendor answered that it throttled the call.
//! A timeout or a connection cut mid-response may hide a write that happened, so it is not resent.

use crate::{Error, ErrorKind};
use std::sync::Mutex;
use std::time::Duration;

/// How the client retries transient failures (HTTP 5xx, connection errors, vendor "system busy",
/// throttling). Quota exhaustion and bad parameters are never retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms, capped at 5 s.
    fn default() -> Self {
        RetryPolicy::new(3, Duration::from_millis(200), Duration::from_secs(5))
    }
}

impl RetryPolicy {
    /// At most `max_attempts` attempts in all (at least 1); before retry `n` (1-based), a random wait
    /// between zero and `min(max_delay, base_delay * 2^(n-1))`.
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            base_delay,
            max_delay,
        }
    }

    /// No retries: every call is sent once (a rejected token is still refreshed once).
    pub fn none() -> Self {
        RetryPolicy::new(1, Duration::ZERO, Duration::ZERO)
    }

    /// Attempts in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the wait before retry `retry` (1-based).
    pub fn ceiling(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }

    /// The wait before retry `retry`: uniform in `[0, ceiling]` ("full jitter").
    pub(crate) fn backoff(&self, retry: u32, jitter: &Jitter) -> Duration {
        let ceiling = self.ceiling(retry);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            Duration::ZERO
        } else {
            Duration::from_nanos(jitter.next() % (nanos + 1))
        }
    }
}

/// A small xorshift generator: jitter needs spread, not secrecy.
#[derive(Debug)]
pub(crate) struct Jitter(Mutex<u64>);

impl Jitter {
    pub(crate) fn new() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Jitter(Mutex::new(seed | 1))
    }

    fn next(&self) -> u64 {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut x = *s;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *s = x;
        x
    }
}

/// Whether `err` may be retried on an endpoint that is (or is not) idempotent.
pub(crate) fn may_retry(err: &Error, idempotent: bool) -> bool {
    match err {
        // Never connected: the vendor saw nothing. Anything else (timeout, cut) may have landed.
        Error::Transport { source, .. } => source.is_connect() || idempotent,
        Error::Vendor(_) | Error::Api(_) | Error::Http { .. } => match err.kind() {
            ErrorKind::Throttle => true,
            ErrorKind::Busy => idempotent,
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_is_capped_and_jittered() {
        let p = RetryPolicy::new(5, Duration::from_millis(100), Duration::from_millis(350));
        assert_eq!(p.ceiling(1), Duration::from_millis(100));
        assert_eq!(p.ceiling(2), Duration::from_millis(200));
        assert_eq!(p.ceiling(3), Duration::from_millis(350));
        assert_eq!(
            p.ceiling(40),
            Duration::from_millis(350),
            "no overflow on large retries"
        );
        let jitter = Jitter::new();
        let waits: Vec<Duration> = (0..200).map(|_| p.backoff(2, &jitter)).collect();
        assert!(waits.iter().all(|w| *w <= Duration::from_millis(200)));
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(
            distinct.len() > 150,
            "full jitter spreads the waits: {} distinct",
            distinct.len()
        );
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(RetryPolicy::new(0, Duration::ZERO, Duration::ZERO).max_attempts(), 1);
    }
}
