//! When a sender wants a payment settled: its settlement date (`IntrBkSttlmDt`), what to do
//! when that day or its cut-off has passed, and T2's timed payments (ISO 20022
//! `SttlmTmReq`: `FrTm` earliest, `TillTm`/`CLSTm` latest with a warning, `RjctTm` reject).
//! Plain data: which instants these mean is the operating day's business.

use std::fmt;

use corridor_core::Timestamp;
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::rejection::Rejection;

/// What to do with a payment whose settlement day is closed or past its cut-off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WhenClosed {
    /// Refuse it: DT01 for a day that is not a business day, TM01 after the cut-off.
    Refuse,
    /// Move it to the next business day (of both currencies, for a cross-currency payment).
    NextBusinessDay,
}

/// `SttlmTmReq`: times of day as ISO 20022 `ISOTime` writes them (`HH:MM:SS`, an optional
/// fraction, and `Z` or `±HH:MM`; without an offset, the local time of the currency).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettlementTimeRequest {
    /// `FrTm`: not settled before this time.
    pub from_time: Option<String>,
    /// `TillTm` (or `CLSTm`): should settle by then; a warning goes to the sender's outbox
    /// shortly before it passes.
    pub till_time: Option<String>,
    /// `RjctTm`: rejected if not settled by then.
    pub reject_time: Option<String>,
}

/// How long before a till time its warning goes out (T2 warns 15 minutes ahead).
pub const TILL_WARNING_SECONDS: u32 = 15 * 60;

/// A time of day with an optional UTC offset, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeOfDay {
    /// Nanoseconds after midnight.
    pub since_midnight_ns: u64,
    /// Seconds east of UTC, when the time names its offset.
    pub offset_seconds: Option<i32>,
}

impl TimeOfDay {
    /// Parses an `ISOTime`; `field` names it in the refusal.
    pub fn parse(field: &str, text: &str) -> Result<TimeOfDay, Rejection> {
        let bad = || {
            Rejection::format(format!(
                "{field} {text:?} is not a time (HH:MM:SS, optional fraction, Z or ±HH:MM)"
            ))
        };
        let (clock, offset_seconds) = split_offset(text).ok_or_else(bad)?;
        let (whole, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        let parts: Vec<&str> = whole.split(':').collect();
        let [h, m, s] = parts[..] else {
            return Err(bad());
        };
        let hours = two_digits(h).filter(|v| *v < 24).ok_or_else(bad)?;
        let minutes = two_digits(m).filter(|v| *v < 60).ok_or_else(bad)?;
        let seconds = two_digits(s).filter(|v| *v < 60).ok_or_else(bad)?;
        if clock.contains('.')
            && (fraction.is_empty() || fraction.len() > 9 || !all_digits(fraction))
        {
            return Err(bad());
        }
        let fraction_ns = if fraction.is_empty() {
            0
        } else {
            let padded = format!("{fraction:0<9}");
            padded.parse::<u64>().map_err(|_| bad())?
        };
        let since_midnight_ns =
            ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000 + fraction_ns;
        Ok(TimeOfDay {
            since_midnight_ns,
            offset_seconds,
        })
    }

    /// The instant this time names on `date`, where a time without an offset is read at
    /// `local_offset_seconds`.
    pub fn on(self, date: BusinessDate, local_offset_seconds: i32) -> Timestamp {
        let offset = i64::from(self.offset_seconds.unwrap_or(local_offset_seconds));
        let midnight_s = date.days_since_epoch() * 86_400 - offset;
        let ns = i128::from(midnight_s) * 1_000_000_000 + i128::from(self.since_midnight_ns);
        Timestamp(u64::try_from(ns.max(0)).unwrap_or(u64::MAX))
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.since_midnight_ns / 1_000_000_000;
        write!(f, "{:02}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60)
    }
}

fn split_offset(text: &str) -> Option<(&str, Option<i32>)> {
    if let Some(clock) = text.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    let Some(at) = text.rfind(['+', '-']) else {
        return Some((text, None));
    };
    let (clock, offset) = text.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let (h, m) = offset.get(1..)?.split_once(':')?;
    let hours = two_digits(h).filter(|v| *v <= 14)?;
    let minutes = two_digits(m).filter(|v| *v < 60)?;
    let seconds = i32::try_from(hours * 3_600 + minutes * 60).ok()?;
    Some((clock, Some(sign * seconds)))
}

fn two_digits(text: &str) -> Option<u64> {
    (text.len() == 2 && all_digits(text))
        .then(|| text.parse().ok())
        .flatten()
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

impl SettlementTimeRequest {
    /// Every time given, parsed; the first malformed one is refused.
    pub(crate) fn parsed(&self) -> Result<[Option<TimeOfDay>; 3], Rejection> {
        let one = |field: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| TimeOfDay::parse(field, text))
                .transpose()
        };
        Ok([
            one("settlement_time.from_time", &self.from_time)?,
            one("settlement_time.till_time", &self.till_time)?,
            one("settlement_time.reject_time", &self.reject_time)?,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> BusinessDate {
        text.parse().unwrap()
    }

    #[test]
    fn iso_times_parse_with_and_without_offsets() {
        let t = TimeOfDay::parse("t", "14:30:00+03:30").unwrap();
        assert_eq!(t.offset_seconds, Some(12_600));
        assert_eq!(t.to_string(), "14:30:00");
        // 14:30 in Tehran is 11:00 UTC.
        let at = t.on(date("2026-12-07"), 0);
        assert_eq!(at.0 % 86_400_000_000_000, 11 * 3_600 * 1_000_000_000);
        let z = TimeOfDay::parse("t", "09:00:00.5Z").unwrap();
        assert_eq!(z.since_midnight_ns, 9 * 3_600_000_000_000 + 500_000_000);
        let local = TimeOfDay::parse("t", "10:00:00").unwrap();
        assert_eq!(local.offset_seconds, None);
        assert_eq!(
            local.on(date("2026-12-07"), 3 * 3_600),
            TimeOfDay::parse("t", "07:00:00Z")
                .unwrap()
                .on(date("2026-12-07"), 0)
        );
    }

    #[test]
    fn malformed_times_are_refused_with_the_field() {
        for bad in [
            "25:00:00",
            "10:00",
            "10:00:00+15:00",
            "ab:cd:ef",
            "10:00:00.",
            "10:60:00",
            "",
        ] {
            let refused = TimeOfDay::parse("settlement_time.from_time", bad).unwrap_err();
            assert_eq!(refused.code, "FF01", "{bad}");
            assert!(refused.message.contains("settlement_time.from_time"));
        }
    }
}
