//! Time values as the vendors send them. Each unit is its own type, so seconds, milliseconds and
//! date strings cannot be passed where another is expected.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

macro_rules! unix_time {
    ($name:ident, $unit:literal, $per_sec:expr) => {
        #[doc = concat!("A point in time as whole ", $unit, " since 1970-01-01T00:00:00Z.")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub i64);

        impl $name {
            /// The current time.
            pub fn now() -> Self {
                Self::from(SystemTime::now())
            }

            #[doc = concat!("The number of ", $unit, ".")]
            pub const fn get(self) -> i64 {
                self.0
            }

            /// The distance from `earlier` to `self` (zero when `earlier` is later).
            pub fn since(self, earlier: Self) -> Duration {
                let units = self.0.saturating_sub(earlier.0).max(0) as u64;
                Duration::from_millis(units.saturating_mul(1000 / $per_sec))
            }
        }

        impl From<SystemTime> for $name {
            fn from(t: SystemTime) -> Self {
                let units = match t.duration_since(UNIX_EPOCH) {
                    Ok(d) => (d.as_millis() / (1000 / $per_sec)) as i64,
                    Err(e) => -((e.duration().as_millis() / (1000 / $per_sec)) as i64),
                };
                $name(units)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::wire::lenient::<D, i64>(d).map($name)
            }
        }
    };
}

unix_time!(UnixSeconds, "seconds", 1);
unix_time!(UnixMillis, "milliseconds", 1000);

impl From<UnixSeconds> for UnixMillis {
    fn from(s: UnixSeconds) -> Self {
        UnixMillis(s.0.saturating_mul(1000))
    }
}

/// A `yyyy-MM-dd HH:mm:ss` wall-clock time, in the vendor's local time (China Standard Time for
/// both vendors). Always valid: the constructor and the parser reject impossible dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

/// Why a `yyyy-MM-dd HH:mm:ss` string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{text}' is not a valid yyyy-MM-dd HH:mm:ss time")]
pub struct DateTimeParseError {
    text: String,
}

impl DateTime {
    /// A wall-clock time, or `None` when there is no such time.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days && hour < 24 && minute < 60 && second < 60).then_some(DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// `(year, month, day)`.
    pub fn date(&self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// `(hour, minute, second)`.
    pub fn time(&self) -> (u8, u8, u8) {
        (self.hour, self.minute, self.second)
    }

    /// Days since 1970-01-01 of the date part (civil calendar), for span checks.
    pub fn days_from_epoch(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl FromStr for DateTime {
    type Err = DateTimeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateTimeParseError {
            text: s.chars().take(40).collect(),
        };
        let b = s.as_bytes();
        if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
            return Err(err());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u16, DateTimeParseError> {
            let part = s.get(r).ok_or_else(err)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(err());
            }
            part.parse().map_err(|_| err())
        };
        let small = |v: u16| u8::try_from(v).map_err(|_| err());
        DateTime::new(
            num(0..4)?,
            small(num(5..7)?)?,
            small(num(8..10)?)?,
            small(num(11..13)?)?,
            small(num(14..16)?)?,
            small(num(17..19)?)?,
        )
        .ok_or_else(err)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_round_trips_and_rejects_impossible_dates() {
        let t: DateTime = "2019-10-22 14:43:07".parse().unwrap();
        assert_eq!(t.to_string(), "2019-10-22 14:43:07");
        assert_eq!(t.date(), (2019, 10, 22));
        assert!("2019-02-29 00:00:00".parse::<DateTime>().is_err());
        assert!("2020-02-29 00:00:00".parse::<DateTime>().is_ok());
        assert!("2019-10-22T14:43:07".parse::<DateTime>().is_err());
        assert!("2019-10-22 24:00:00".parse::<DateTime>().is_err());
        assert!("２019-10-22 14:43:07".parse::<DateTime>().is_err());
        assert_eq!(DateTime::new(1970, 1, 2, 0, 0, 0).unwrap().days_from_epoch(), 1);
    }

    #[test]
    fn units_do_not_mix_and_convert_explicitly() {
        let s = UnixSeconds(1_600_000_000);
        assert_eq!(UnixMillis::from(s), UnixMillis(1_600_000_000_000));
        assert_eq!(UnixSeconds(100).since(UnixSeconds(40)), Duration::from_secs(60));
        assert_eq!(UnixMillis(100).since(UnixMillis(40)), Duration::from_millis(60));
    }
}
