//! Business-day calendars as data, one per currency and version: the weekly rest days, the
//! holidays (each with its name and the act that made it one), extra working days and
//! shortened days, over a stated span of dates. Pure: no clock, no files; the caller reads
//! the text and asks about dates.
//!
//! A calendar never guesses beyond its span: a date outside it is [`DayKind::Unknown`], so a
//! year whose calendar was not loaded is never taken for a working year. Holidays are data,
//! never computed (Iran's lunar holidays move with the observed moon and are published, and
//! sometimes moved, by decree).

mod parse;
mod persian;
mod schedule;

use std::collections::BTreeMap;

pub use parse::{CalendarError, parse};
pub use persian::{SolarHijriDate, solar_hijri};
pub use schedule::{DayTimes, Phase, Schedule, ScheduleError, TransferKind};
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
pub const SHIPPED: [(&str, &str); 3] = [
    ("rub-2026.csv", include_str!("../data/rub-2026.csv")),
    ("rub-2027.csv", include_str!("../data/rub-2027.csv")),
    ("irr-1405.csv", include_str!("../data/irr-1405.csv")),
];
