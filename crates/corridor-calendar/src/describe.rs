//! One date of a currency as the operator and the banks read it: business day or not and
//! why, the Solar Hijri date where the currency keeps that calendar, and the day's opening,
//! cut-offs and close in local time and in UTC. Shared by the API and the CLI, so both say
//! the same thing.

use jiff::civil::Time;
use serde::Serialize;
use time::Date;

use crate::{Calendar, DayKind, Schedule, TransferKind, solar_hijri};

/// One moment of the day, in local time and as a UTC instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayMoment {
    /// `opens`, `customer_cutoff`, `institution_cutoff`, `liquidity_cutoff`, `closes`.
    #[schema(value_type = String)]
    pub name: &'static str,
    /// `HH:MM` in the currency's time zone.
    pub local: String,
    /// RFC 3339, UTC.
    pub utc: String,
    /// Set when the operator extended this time for the day.
    pub extended: bool,
}

/// What a date is, for one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayDescription {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub business_day: bool,
    /// `business day`, `weekend`, the holiday's name, or `not in any loaded calendar`.
    pub reason: String,
    /// The act or publication behind the reason, for a holiday, a worked rest day or a
    /// shortened day.
    pub source: Option<String>,
    /// For a currency that keeps the Solar Hijri calendar (IRR): the date in it.
    pub solar_hijri: Option<String>,
    /// Empty when the day is not a business day or no schedule is set.
    pub times: Vec<DayMoment>,
}

/// The names of a day's moments, in order.
pub const MOMENTS: [&str; 5] = [
    "opens",
    "customer_cutoff",
    "institution_cutoff",
    "liquidity_cutoff",
    "closes",
];

/// Currencies whose dates are shown in the Solar Hijri calendar too.
fn keeps_solar_hijri(currency: &str) -> bool {
    currency == "IRR"
}

/// `date` in the Solar Hijri calendar (`YYYY-MM-DD`) for a currency that keeps it (IRR).
pub fn solar_hijri_for(currency: &str, date: Date) -> Option<String> {
    keeps_solar_hijri(currency)
        .then(|| solar_hijri(date).map(|d| d.to_string()))
        .flatten()
}

/// Describes `date` of `calendar`. `times` gives each moment's local time for the day (the
/// schedule's, or an extension), in [`MOMENTS`] order with whether it was extended.
pub fn describe(
    calendar: Option<&Calendar>,
    currency: &str,
    date: Date,
    schedule: Option<(&Schedule, [(Time, bool); 5])>,
) -> DayDescription {
    let kind = calendar.map_or(DayKind::Unknown, |c| c.day(date));
    let (reason, source) = match &kind {
        DayKind::Business { shortened: None } => ("business day".to_string(), None),
        DayKind::Business {
            shortened: Some((minutes, note)),
        } => (
            format!(
                "business day, shortened by {minutes} minutes: {}",
                note.name
            ),
            Some(note.source.clone()),
        ),
        DayKind::Weekend => ("weekend".to_string(), None),
        DayKind::Holiday(note) => (note.name.clone(), Some(note.source.clone())),
        DayKind::Unknown => ("not in any loaded calendar".to_string(), None),
    };
    let business_day = kind.is_business_day();
    let times = match schedule {
        Some((schedule, times)) if business_day => moments(schedule, date, times),
        _ => Vec::new(),
    };
    DayDescription {
        date: date.to_string(),
        business_day,
        reason,
        source,
        solar_hijri: solar_hijri_for(currency, date),
        times,
    }
}

/// The schedule's own times for a day nobody extended.
pub fn scheduled_times(schedule: &Schedule) -> [(Time, bool); 5] {
    let t = schedule.times();
    [
        (t.opens, false),
        (t.customer_cutoff, false),
        (t.institution_cutoff, false),
        (t.liquidity_cutoff, false),
        (t.closes, false),
    ]
}

fn moments(schedule: &Schedule, date: Date, times: [(Time, bool); 5]) -> Vec<DayMoment> {
    MOMENTS
        .iter()
        .zip(times)
        .filter_map(|(name, (time, extended))| {
            let at = schedule.at_ns(date, time).ok()?;
            let utc = jiff::Timestamp::from_nanosecond(i128::from(at)).ok()?;
            Some(DayMoment {
                name,
                local: time.strftime("%H:%M").to_string(),
                utc: utc.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                extended,
            })
        })
        .collect()
}

/// Which moment a transfer kind's cut-off is.
pub fn cutoff_moment(kind: TransferKind) -> usize {
    match kind {
        TransferKind::Customer => 1,
        TransferKind::Institution => 2,
        TransferKind::Liquidity => 3,
    }
}
