//! The end of a business day: the operator closes a date, and every participant receives a
//! statement (camt.053) of each account it owns for the day, from the previous close (or
//! the beginning) to the closing instant. The outbox keeps only the account and the period;
//! the statement is built from the account's entries when the outbox is read, and cannot
//! change afterwards because later postings fall after the period.

use std::fmt;
use std::str::FromStr;

use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::audit::AuditHead;
use crate::rejection::Rejection;

/// DT01 InvalidDate: a business date the hub cannot close.
const INVALID_DATE: &str = "DT01";

/// A calendar date as ISO 20022 `ISODate` writes it (YYYY-MM-DD); ordered by time. Stored
/// and shown as that text, so the journal re-checks it on decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct BusinessDate {
    year: u16,
    month: u8,
    day: u8,
}

impl FromStr for BusinessDate {
    type Err = Rejection;

    fn from_str(text: &str) -> Result<BusinessDate, Rejection> {
        let invalid = || Rejection::format(format!("business date {text:?} is not YYYY-MM-DD"));
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(invalid());
        }
        let number = |range: std::ops::Range<usize>| {
            text.get(range)
                .filter(|part| part.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|part| part.parse::<u16>().ok())
                .ok_or_else(invalid)
        };
        let year = number(0..4)?;
        let month = u8::try_from(number(5..7)?).map_err(|_| invalid())?;
        let day = u8::try_from(number(8..10)?).map_err(|_| invalid())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(Rejection::new(
                INVALID_DATE,
                format!("{text} is not a calendar date"),
            ));
        }
        Ok(BusinessDate { year, month, day })
    }
}

impl BusinessDate {
    /// The calendar date, for the calendar and schedule to reason about.
    pub fn to_date(self) -> time::Date {
        let month = time::Month::try_from(self.month).unwrap_or(time::Month::January);
        time::Date::from_calendar_date(i32::from(self.year), month, self.day)
            .unwrap_or(time::Date::MIN)
    }

    /// `None` for a year ISO 20022 cannot write (before 0 or after 9999).
    pub fn from_date(date: time::Date) -> Option<BusinessDate> {
        Some(BusinessDate {
            year: u16::try_from(date.year()).ok().filter(|y| *y <= 9_999)?,
            month: u8::from(date.month()),
            day: date.day(),
        })
    }

    /// The UTC date of an instant.
    pub fn of_instant(at: Timestamp) -> BusinessDate {
        let days = i32::try_from(at.0 / 86_400_000_000_000).unwrap_or(0);
        let date =
            time::Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY + days).unwrap_or(time::Date::MIN);
        BusinessDate::from_date(date).unwrap_or(BusinessDate {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// The date in the Solar Hijri calendar, for a currency that keeps it (IRR).
    pub fn solar_hijri(self, currency: CurrencyCode) -> Option<String> {
        corridor_calendar::solar_hijri_for(currency.as_str(), self.to_date())
    }

    /// Days from 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        i64::from(self.to_date().to_julian_day() - UNIX_EPOCH_JULIAN_DAY)
    }

    /// The date `days` later (or earlier), if ISO 20022 can still write it.
    pub fn plus_days(self, days: i64) -> Option<BusinessDate> {
        let day = i32::try_from(i64::from(self.to_date().to_julian_day()) + days).ok()?;
        BusinessDate::from_date(time::Date::from_julian_day(day).ok()?)
    }
}

const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

impl fmt::Display for BusinessDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl From<BusinessDate> for String {
    fn from(date: BusinessDate) -> String {
        date.to_string()
    }
}

impl TryFrom<String> for BusinessDate {
    type Error = Rejection;

    fn try_from(text: String) -> Result<BusinessDate, Rejection> {
        text.parse()
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A closed business day: its statements cover `[from, to)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClosedDay {
    #[schema(value_type = String, example = "2026-11-24")]
    pub date: BusinessDate,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Statement notices put into the participants' outboxes.
    pub statements: u64,
    /// The audit chain's head at the close, published in every statement of the day.
    #[serde(default)]
    pub audit_head: AuditHead,
    /// The currency whose end of day this was; none for the operator's close of every
    /// currency not yet closed that day (`from` is then the earliest period's start).
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "RUB")]
    pub currency: Option<CurrencyCode>,
}

/// What closing a date means now.
pub(crate) enum Closing {
    /// The date is the last one the operator closed: its close, again.
    Again(ClosedDay),
    /// A new close up to `to`.
    Until(Timestamp),
}

/// Every closed business day, oldest first: the operator's closes and each currency's own.
#[derive(Debug, Default)]
pub(crate) struct ClosedDays {
    days: Vec<ClosedDay>,
}

impl ClosedDays {
    pub(crate) fn restore(days: Vec<ClosedDay>) -> ClosedDays {
        ClosedDays { days }
    }

    pub(crate) fn all(&self) -> &[ClosedDay] {
        &self.days
    }

    /// The last close that covered `currency`: its own end of day or the operator's.
    pub(crate) fn last_for(&self, currency: CurrencyCode) -> Option<&ClosedDay> {
        self.days
            .iter()
            .rev()
            .find(|d| d.currency.is_none_or(|c| c == currency))
    }

    /// Where `currency`'s next statement period starts, or `None` when `date` is already
    /// closed for it.
    pub(crate) fn period_start(
        &self,
        currency: CurrencyCode,
        date: BusinessDate,
    ) -> Option<Timestamp> {
        match self.last_for(currency) {
            Some(last) if last.date >= date => None,
            Some(last) => Some(last.to),
            None => Some(Timestamp::ZERO),
        }
    }

    /// What the operator's close of `date` at `at` would cover. Closing the last date the
    /// operator closed is that close again; an earlier date, or an instant before the
    /// previous close, is DT01.
    pub(crate) fn closing(
        &self,
        date: BusinessDate,
        at: Timestamp,
        now: Timestamp,
    ) -> Result<Closing, Rejection> {
        let last = self.days.iter().rev().find(|d| d.currency.is_none());
        let from = match last {
            Some(last) if last.date == date => return Ok(Closing::Again(last.clone())),
            Some(last) if last.date > date => {
                return Err(Rejection::new(
                    INVALID_DATE,
                    format!(
                        "{date} is before {}, the last closed business day",
                        last.date
                    ),
                ));
            }
            Some(last) => last.to,
            None => Timestamp::ZERO,
        };
        // A statement must not change once sent: everything posted from now on is at `now`
        // or later, so the period never reaches past it.
        let to = at.min(now);
        if to < from {
            return Err(Rejection::new(
                INVALID_DATE,
                format!("closing instant {to} is before the previous close at {from}"),
            ));
        }
        Ok(Closing::Until(to))
    }

    pub(crate) fn record(&mut self, day: ClosedDay) {
        self.days.push(day);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_dates_parse_and_order() {
        let parse = |s: &str| s.parse::<BusinessDate>();
        assert!(parse("2026-11-24").is_ok());
        assert!(parse("2024-02-29").is_ok());
        assert_eq!(parse("2025-02-29").map_err(|e| e.code), Err("DT01".into()));
        assert_eq!(parse("2026-13-01").map_err(|e| e.code), Err("DT01".into()));
        assert_eq!(parse("2026-1-011").map_err(|e| e.code), Err("FF01".into()));
        assert_eq!(parse("2026-+1-01").map_err(|e| e.code), Err("FF01".into()));
        assert!(parse("2026-11-24").ok() < parse("2026-12-01").ok());
        assert_eq!(
            parse("2026-01-05").map(|d| d.to_string()),
            Ok("2026-01-05".into())
        );
    }
}
