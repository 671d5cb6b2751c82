//! Business-day calendars as data, one per currency and version: the weekly rest days, the
//! holidays (each with its name and the act that made it one), extra working days and
//! shortened days, over a stated span of dates. Pure: no clock, no files; the caller reads
//! the text and asks about dates.
//!
//! A calendar never guesses beyond its span: a date outside it is [`DayKind::Unknown`], so a
//! year whose calendar was not loaded is never taken for a working year. Holidays are data,
//! never computed (Iran's lunar holidays move with the observed moon and are published, and
//! sometimes moved, by decree).

mod describe;
mod parse;
mod persian;
mod schedule;

use std::collections::BTreeMap;

pub use describe::{
    DayDescription, DayMoment, MOMENTS, cutoff_moment, describe, scheduled_times, solar_hijri_for,
};
pub use jiff::civil::Time as LocalTime;
pub use parse::{CalendarError, parse};
pub use persian::{SOLAR_HIJRI_MONTHS, SolarHijriDate, solar_hijri};
pub use schedule::{DayTimes, Phase, Schedule, ScheduleError, TransferKind};

/// A local time of day as an operator writes it: `HH:MM` or `HH:MM:SS`.
pub fn parse_local_time(text: &str) -> Option<LocalTime> {
    let ok = matches!(text.len(), 5 | 8) && text.bytes().all(|b| b.is_ascii_digit() || b == b':');
    ok.then(|| text.parse().ok()).flatten()
}
pub use time::{Date, Weekday};

/// Why a date is not a business day, or how a business day is shortened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateNote {
    pub name: String,
    /// The act or publication that made the date what it is.
    pub source: String,
}

/// What a date is in a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    Business {
        /// Minutes the day is shortened by, and why (a pre-holiday day).
        shortened: Option<(u16, DateNote)>,
    },
    /// A weekly rest day not made a working day.
    Weekend,
    Holiday(DateNote),
    /// Outside the calendar's span: nothing is known.
    Unknown,
}

impl DayKind {
    pub fn is_business_day(&self) -> bool {
        matches!(self, DayKind::Business { .. })
    }
}

/// A change to one date of a loaded calendar, as the operator announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateChange {
    /// An ad-hoc closure (a province's banks closed for heat), or a lunar holiday moved to
    /// this date by its publication.
    Close(DateNote),
    /// A date made a working day: a holiday moved away, or a rest day worked.
    Open(DateNote),
}

/// Why an amendment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmendError {
    #[error("{date} is outside the calendar's span {first} to {last}")]
    OutsideSpan { date: Date, first: Date, last: Date },
    #[error("{date} is already {what}")]
    Unchanged { date: Date, what: &'static str },
}

/// One version of one currency's calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    currency: String,
    version: String,
    first: Date,
    last: Date,
    weekend: Vec<Weekday>,
    holidays: BTreeMap<Date, DateNote>,
    working: BTreeMap<Date, DateNote>,
    shortened: BTreeMap<Date, (u16, DateNote)>,
}

impl Calendar {
    pub fn currency(&self) -> &str {
        &self.currency
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    /// The first and last dates the calendar speaks for.
    pub fn span(&self) -> (Date, Date) {
        (self.first, self.last)
    }

    pub fn day(&self, date: Date) -> DayKind {
        if date < self.first || date > self.last {
            return DayKind::Unknown;
        }
        if let Some(note) = self.holidays.get(&date) {
            return DayKind::Holiday(note.clone());
        }
        if self.weekend.contains(&date.weekday()) && !self.working.contains_key(&date) {
            return DayKind::Weekend;
        }
        DayKind::Business {
            shortened: self.shortened.get(&date).cloned(),
        }
    }

    pub fn is_business_day(&self, date: Date) -> bool {
        self.day(date).is_business_day()
    }

    /// The first business day on or after `date`, if the calendar knows one.
    pub fn next_business_day(&self, date: Date) -> Option<Date> {
        let mut day = date.max(self.first);
        while day <= self.last {
            if self.is_business_day(day) {
                return Some(day);
            }
            day = day.next_day()?;
        }
        None
    }

    /// Applies `change` to `date`. Whether the date may still change (it has not opened) is
    /// the caller's rule; the calendar refuses only a date outside its span or a change that
    /// changes nothing.
    pub fn amend(&mut self, date: Date, change: DateChange) -> Result<(), AmendError> {
        if date < self.first || date > self.last {
            return Err(AmendError::OutsideSpan {
                date,
                first: self.first,
                last: self.last,
            });
        }
        let business = self.is_business_day(date);
        match change {
            DateChange::Close(note) => {
                if !business {
                    return Err(AmendError::Unchanged {
                        date,
                        what: "closed",
                    });
                }
                self.working.remove(&date);
                self.shortened.remove(&date);
                self.holidays.insert(date, note);
            }
            DateChange::Open(note) => {
                if business {
                    return Err(AmendError::Unchanged {
                        date,
                        what: "a business day",
                    });
                }
                self.holidays.remove(&date);
                if self.weekend.contains(&date.weekday()) {
                    self.working.insert(date, note);
                }
            }
        }
        Ok(())
    }

    /// The holidays, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = (Date, &DateNote)> {
        self.holidays.iter().map(|(date, note)| (*date, note))
    }

    /// Business days from `from` to `to`, both included (within the span).
    pub fn business_days(&self, from: Date, to: Date) -> usize {
        let mut count = 0;
        let mut day = from.max(self.first);
        while day <= to.min(self.last) {
            if self.is_business_day(day) {
                count += 1;
            }
            let Some(next) = day.next_day() else {
                break;
            };
            day = next;
        }
        count
    }
}

/// The calendars shipped with Corridor, each with every date's source.
pub const SHIPPED: [(&str, &str); 4] = [
    ("rub-2026.csv", include_str!("../data/rub-2026.csv")),
    ("rub-2027.csv", include_str!("../data/rub-2027.csv")),
    ("irr-1405.csv", include_str!("../data/irr-1405.csv")),
    ("irr-1406.csv", include_str!("../data/irr-1406.csv")),
];

/// The calendars shipped for `currency` (an ISO 4217 code), oldest first.
pub fn shipped(currency: &str) -> Vec<Calendar> {
    SHIPPED
        .iter()
        .filter_map(|(_, text)| parse(text).ok())
        .filter(|c| c.currency() == currency)
        .collect()
}
