//! Retrying transient failures: exponential backoff with full jitter, capped, bounded.
//!
//! What may be retried depends on whether the endpoint is idempotent (the spec says). A write that
//! is not (creating a report, an announcement) is resent only when the vendor certainly did not
//! act on it: the connection was never made, or the vendor answered that it throttled the call.
//! A timeout or a connection cut mid-response may hide a write that happened, so it is not resent.
//!
//! Retries also spend from a client-wide budget (smithy-rs's retry quota): when a vendor keeps
//! failing, retries stop until successes refill it, so a client cannot multiply an outage's load.

use crate::error::TimeoutScope;
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
    max_retry_after: Duration,
    budget: u32,
}

/// The default longest `Retry-After` the client waits out.
const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(10);
/// The default retry budget: smithy-rs's 500, so 100 ordinary retries.
const DEFAULT_BUDGET: u32 = 500;
/// What one retry costs from the budget; a retry after a timeout costs twice as much, as a
/// vendor that times out is the one most hurt by more load.
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;

impl Default for RetryPolicy {
    /// Three attempts, backoff from 200 ms, capped at 5 s; `Retry-After` honoured up to 10 s; a
    /// budget of 500 (100 retries).
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
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
            budget: DEFAULT_BUDGET,
        }
    }

    /// The longest `Retry-After` the client waits out before a retry (default 10 s). A server that
    /// asks for longer gets no retry: the error, with [`Error::retry_after`], goes to the caller.
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The longest `Retry-After` the client waits out.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The client-wide retry budget (default 500). Each retry spends 5 (10 after a timeout); each
    /// success gives back 1, and a success after retries gives back what they spent. With the
    /// budget spent, failures are returned without retrying until successes refill it; a budget
    /// under 5 never retries.
    pub fn with_retry_budget(mut self, budget: u32) -> Self {
        self.budget = budget;
        self
    }

    /// The client-wide retry budget.
    pub fn retry_budget(&self) -> u32 {
        self.budget
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

/// The client-wide retry budget: a token bucket, filled by successes, spent by retries.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    capacity: u32,
    left: Mutex<u32>,
}

impl RetryQuota {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            left: Mutex::new(capacity),
        }
    }

    /// What a retry after `err` costs.
    pub(crate) fn cost(err: &Error) -> u32 {
        let timed_out = matches!(err, Error::Timeout { .. })
            || matches!(err, Error::Transport { source, .. } if source.is_timeout());
        if timed_out { TIMEOUT_RETRY_COST } else { RETRY_COST }
    }

    /// Takes `cost` if the budget has it.
    pub(crate) fn try_spend(&self, cost: u32) -> bool {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        match left.checked_sub(cost) {
            Some(rest) => {
                *left = rest;
                true
            }
            None => false,
        }
    }

    /// A success: gives back what its retries spent, or 1 if it needed none.
    pub(crate) fn refund(&self, spent: u32) {
        let mut left = self.left.lock().unwrap_or_else(|p| p.into_inner());
        *left = left.saturating_add(spent.max(1)).min(self.capacity);
    }
}

/// A `Retry-After` header in its delta-seconds form. The HTTP-date form is not parsed: neither
/// vendor sends it, and a gateway that does gets the ordinary backoff.
pub(crate) fn parse_retry_after(value: Option<&reqwest::header::HeaderValue>) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: too many for a u64 is "very long", which is past any cap.
    Some(Duration::from_secs(text.parse().unwrap_or(u64::MAX)))
}

/// Whether `err` may be retried on an endpoint that is (or is not) idempotent.
pub(crate) fn may_retry(err: &Error, idempotent: bool) -> bool {
    match err {
        // Never connected: the vendor saw nothing. Anything else (timeout, cut) may have landed.
        Error::Transport { source, .. } => source.is_connect() || idempotent,
        // One attempt ran out of time: the same as a cut. The whole operation's or the token
        // load's limit is the caller's answer, not a reason to go on.
        Error::Timeout { scope, .. } => *scope == TimeoutScope::Attempt && idempotent,
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

    #[test]
    fn the_budget_runs_out_and_successes_refill_it() {
        let quota = RetryQuota::new(12);
        assert!(quota.try_spend(5) && quota.try_spend(5));
        assert!(!quota.try_spend(5), "2 left: no third retry");
        quota.refund(10);
        assert!(quota.try_spend(10));
        quota.refund(0);
        quota.refund(100);
        assert!(quota.try_spend(12) && !quota.try_spend(1), "never above capacity");
    }

    #[test]
    fn retry_after_is_read_in_seconds_and_nothing_else() {
        use reqwest::header::HeaderValue;
        let parse = |s: &'static str| parse_retry_after(Some(&HeaderValue::from_static(s)));
        assert_eq!(parse("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse("99999999999999999999999"), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(parse("-1"), None);
        assert_eq!(parse("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after(None), None);
    }
}
