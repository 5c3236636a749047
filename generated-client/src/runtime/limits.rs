//! Documented limits, checked before a request is sent. The generated `check_limits` of each
//! request type calls these; the first violation becomes [`crate::Error::Limit`].

use crate::{DateTime, UnixMillis, UnixSeconds};

/// The first limit a request breaks: the field's path, and what is wrong with it.
#[derive(Debug, Default)]
pub(crate) struct LimitCheck {
    path: Vec<String>,
    violation: Option<(String, String)>,
}

/// A time value that can be placed on one axis, to measure spans.
pub(crate) trait EpochSeconds {
    fn epoch_seconds(&self) -> i64;
}

impl EpochSeconds for UnixSeconds {
    fn epoch_seconds(&self) -> i64 {
        self.0
    }
}

impl EpochSeconds for UnixMillis {
    fn epoch_seconds(&self) -> i64 {
        self.0.div_euclid(1000)
    }
}

impl EpochSeconds for DateTime {
    fn epoch_seconds(&self) -> i64 {
        let (h, m, s) = self.time();
        self.days_from_epoch() * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s)
    }
}

impl LimitCheck {
    fn field(&self, name: &str) -> String {
        let mut p = self.path.join(".");
        if !p.is_empty() {
            p.push('.');
        }
        p.push_str(name);
        p
    }

    fn fail(&mut self, name: &str, problem: String) {
        if self.violation.is_none() {
            self.violation = Some((self.field(name), problem));
        }
    }

    /// The violation found, if any.
    pub(crate) fn into_violation(self) -> Option<(String, String)> {
        self.violation
    }

    /// Checks a nested object under `name`.
    pub(crate) fn nested(&mut self, name: &str, check: impl FnOnce(&mut Self)) {
        self.path.push(name.to_owned());
        check(self);
        self.path.pop();
    }

    /// A number within `[min, max]`.
    pub(crate) fn range(&mut self, name: &str, value: i128, min: Option<i128>, max: Option<i128>) {
        if let Some(min) = min.filter(|m| value < *m) {
            self.fail(name, format!("is {value}, below the documented minimum {min}"));
        } else if let Some(max) = max.filter(|m| value > *m) {
            self.fail(name, format!("is {value}, above the documented maximum {max}"));
        }
    }

    /// A list of `[min, max]` items.
    pub(crate) fn items(&mut self, name: &str, len: usize, min: Option<u64>, max: Option<u64>) {
        let len = len as u64;
        if let Some(min) = min.filter(|m| len < *m) {
            self.fail(
                name,
                format!("has {len} items, fewer than the documented minimum {min}"),
            );
        } else if let Some(max) = max.filter(|m| len > *m) {
            self.fail(name, format!("has {len} items, more than the documented maximum {max}"));
        }
    }

    /// A string of `[min, max]` UTF-8 bytes.
    pub(crate) fn bytes(&mut self, name: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        self.length(name, value.len() as u64, "bytes", min, max);
    }

    /// A string of `[min, max]` characters.
    pub(crate) fn chars(&mut self, name: &str, value: &str, min: Option<u64>, max: Option<u64>) {
        self.length(name, value.chars().count() as u64, "characters", min, max);
    }

    fn length(&mut self, name: &str, n: u64, unit: &str, min: Option<u64>, max: Option<u64>) {
        if let Some(min) = min.filter(|m| n < *m) {
            self.fail(
                name,
                format!("is {n} {unit} long, fewer than the documented minimum {min}"),
            );
        } else if let Some(max) = max.filter(|m| n > *m) {
            self.fail(
                name,
                format!("is {n} {unit} long, more than the documented maximum {max}"),
            );
        }
    }

    /// `to` at most `max_days` after `from`.
    pub(crate) fn span<T: EpochSeconds>(&mut self, from: &str, to: &str, a: &T, b: &T, max_days: i64) {
        let secs = b.epoch_seconds() - a.epoch_seconds();
        if secs > max_days * 86_400 {
            let days = secs as f64 / 86_400.0;
            self.fail(
                to,
                format!("is {days:.1} days after {from}, more than the documented maximum of {max_days} days"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_violation_is_kept_with_its_path() {
        let mut c = LimitCheck::default();
        c.range("size", 20, Some(1), Some(20));
        c.nested("create_request", |c| c.items("userid_list", 1001, None, Some(1000)));
        c.range("size", 21, Some(1), Some(20));
        let (field, problem) = c.into_violation().unwrap();
        assert_eq!(field, "create_request.userid_list");
        assert_eq!(problem, "has 1001 items, more than the documented maximum 1000");

        let mut c = LimitCheck::default();
        c.span(
            "start_time",
            "end_time",
            &UnixMillis(0),
            &UnixMillis(181 * 86_400_000),
            180,
        );
        assert!(c.into_violation().unwrap().1.contains("181.0 days after start_time"));
        let mut c = LimitCheck::default();
        c.bytes("template_id", &"汇".repeat(86), None, Some(256));
        c.chars("content", &"汇".repeat(1000), None, Some(1000));
        assert_eq!(
            c.into_violation().unwrap().1,
            "is 258 bytes long, more than the documented maximum 256"
        );
        let mut c = LimitCheck::default();
        c.chars("name", "汇", Some(1), Some(64));
        c.bytes("userid", "", Some(1), Some(64));
        assert_eq!(
            c.into_violation().unwrap(),
            (
                "userid".to_owned(),
                "is 0 bytes long, fewer than the documented minimum 1".to_owned()
            )
        );
        let a: DateTime = "2024-01-01 00:00:00".parse().unwrap();
        let b: DateTime = "2024-06-29 00:00:01".parse().unwrap();
        let mut c = LimitCheck::default();
        c.span("start_time", "end_time", &a, &b, 180);
        assert!(c.into_violation().is_some());
    }
}
