//! Iran's dates in the Solar Hijri (Jalali) calendar, for statements, the CLI and the API.
//! ICU4X's Persian calendar follows the astronomical rule Iran uses (the year starts at the
//! March equinox as seen from Tehran); arithmetic shortcuts of the Birashk kind are wrong in
//! some years (1404 among them), so none is written here.

use icu_calendar::Date as IcuDate;
use icu_calendar::cal::Persian;
use time::Date;

/// The Solar Hijri months, Farvardin first, as Iran's calendars name them in Latin script.
pub const SOLAR_HIJRI_MONTHS: [&str; 12] = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
];

/// A date of the Solar Hijri calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolarHijriDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for SolarHijriDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The Solar Hijri date of a Gregorian date; `None` only outside ICU's range.
pub fn solar_hijri(date: Date) -> Option<SolarHijriDate> {
    let iso = IcuDate::try_new_iso(date.year(), u8::from(date.month()), date.day()).ok()?;
    let persian = iso.to_calendar(Persian);
    Some(SolarHijriDate {
        year: persian.era_year().year,
        month: persian.month().ordinal,
        day: persian.day_of_month().0,
    })
}
