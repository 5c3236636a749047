//! [`Freshness`]: an optional check that a callback's timestamp is recent, against a "now" the
//! caller passes in, so the crypto itself reads no clock and tests control time.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::error::CallbackError;

/// The unit of a callback's `timestamp` query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampUnit {
    /// Seconds since 1970 (WeCom: `timestamp=1409659813`).
    Seconds,
    /// Milliseconds since 1970 (DingTalk: `timestamp=1445827045067` in 回调事件消息体加解密,
    /// and its libraries sign replies with `System.currentTimeMillis()`).
    Millis,
}

/// Accepts a timestamp at most `max_age` old, and at most `max_age` ahead (clock skew).
///
/// The vendors resend an unanswered push (WeCom: up to three times, after five seconds each),
/// and the resends may keep the first timestamp, so allow minutes rather than seconds. The
/// timestamp is covered by the signature, so a request passes only when both checks do, in
/// either order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    max_age: Duration,
    unit: TimestampUnit,
}

impl Freshness {
    /// Accepts timestamps in `unit` within `max_age` of now.
    pub fn new(max_age: Duration, unit: TimestampUnit) -> Self {
        Freshness { max_age, unit }
    }

    /// Checks `timestamp` (the query value, decimal digits) against `now`.
    ///
    /// # Errors
    /// [`CallbackError::InvalidTimestamp`], [`CallbackError::StaleTimestamp`] or
    /// [`CallbackError::FutureTimestamp`].
    pub fn check(&self, timestamp: &str, now: SystemTime) -> Result<(), CallbackError> {
        // Digits only: `u64::from_str` would also take a leading `+`.
        if timestamp.is_empty() || !timestamp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CallbackError::InvalidTimestamp);
        }
        let value: u64 = timestamp.parse().map_err(|_| CallbackError::InvalidTimestamp)?;
        let at = match self.unit {
            TimestampUnit::Seconds => Duration::from_secs(value),
            TimestampUnit::Millis => Duration::from_millis(value),
        };
        // A clock before 1970 counts as 1970: every real timestamp is then in the future.
        let now = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        if let Some(age) = now.checked_sub(at) {
            if age > self.max_age {
                return Err(CallbackError::StaleTimestamp {
                    age,
                    max_age: self.max_age,
                });
            }
        } else {
            let ahead = at.saturating_sub(now);
            if ahead > self.max_age {
                return Err(CallbackError::FutureTimestamp {
                    ahead,
                    max_age: self.max_age,
                });
            }
        }
        Ok(())
    }
}
