//! The rial's calendar for Solar Hijri 1406 against the Solar Hijri calendar itself: its span
//! is the year, each fixed holiday is on the Solar Hijri date it names, Friday is the weekend
//! and Thursday a working day.

use corridor_calendar::{Calendar, DayKind, SOLAR_HIJRI_MONTHS, parse, solar_hijri};
use time::{Date, Duration, Month, Weekday};

const TEXT: &str = include_str!("../data/irr-1406.csv");

const ESTIMATE: &str = "Estimate from the lunar calendar (within a day); amend when published";

fn irr() -> Calendar {
    parse(TEXT).unwrap_or_else(|e| panic!("irr-1406.csv: {e}"))
}

fn d(year: i32, month: u8, day: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).unwrap(), day).unwrap()
}

fn days(calendar: &Calendar) -> impl Iterator<Item = Date> {
    let (first, last) = calendar.span();
    (0..=(last - first).whole_days()).map(move |n| first + Duration::days(n))
}

/// The Solar Hijri month and day a holiday's name gives ("(12 Farvardin)"), if it gives one.
fn named_solar_hijri(name: &str) -> Option<(u8, u8)> {
    SOLAR_HIJRI_MONTHS
        .iter()
        .zip(1u8..)
        .find_map(|(month, number)| {
            let before = name.split(&format!(" {month}")).next()?;
            let day: u8 = before.rsplit(['(', ' ']).next()?.parse().ok()?;
            name.contains(month).then_some((number, day))
        })
}

#[test]
fn the_span_is_solar_hijri_1406() {
    let irr = irr();
    assert_eq!(irr.currency(), "IRR");
    assert_eq!(irr.version(), "1406.1");
    let (first, last) = irr.span();
    assert_eq!(solar_hijri(first).unwrap().to_string(), "1406-01-01");
    assert_eq!(solar_hijri(last).unwrap().year, 1406);
    assert_eq!(
        solar_hijri(last.next_day().unwrap()).unwrap().to_string(),
        "1407-01-01",
        "the span ends on the last day of 1406"
    );
    assert_eq!(solar_hijri(last).unwrap().to_string(), "1406-12-29");
    assert_eq!(
        solar_hijri(first.previous_day().unwrap()).unwrap().year,
        1405
    );
}

/// A holiday named with its Solar Hijri date ("(12 Farvardin)") is on that date.
#[test]
fn fixed_holidays_fall_on_the_solar_hijri_dates_they_name() {
    let irr = irr();
    let mut checked = Vec::new();
    for (date, note) in irr.holidays() {
        let Some((month, day)) = named_solar_hijri(&note.name) else {
            assert_eq!(note.source, ESTIMATE, "{date} {} has no date", note.name);
            continue;
        };
        let actual = solar_hijri(date).unwrap();
        assert_eq!(
            (actual.year, actual.month, actual.day),
            (1406, month, day),
            "{date} {}",
            note.name
        );
        checked.push((month, day));
    }
    let fixed = [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 12),
        (1, 13),
        (3, 14),
        (3, 15),
        (11, 22),
        (12, 29),
    ];
    assert_eq!(checked, fixed, "every fixed holiday, once, in order");
}

#[test]
fn nowruz_is_four_days_off() {
    let irr = irr();
    for day in 21..=24 {
        assert!(
            matches!(irr.day(d(2027, 3, day)), DayKind::Holiday(_)),
            "{day} Mar 2027"
        );
    }
    assert!(irr.is_business_day(d(2027, 3, 25)), "a Thursday");
    assert_eq!(irr.next_business_day(d(2027, 3, 21)), Some(d(2027, 3, 25)));
    assert_eq!(irr.day(d(2027, 3, 20)), DayKind::Unknown, "1405");
    assert_eq!(irr.day(d(2028, 3, 20)), DayKind::Unknown, "1407");
}

#[test]
fn fridays_rest_and_thursdays_work() {
    let irr = irr();
    let (mut fridays, mut thursdays) = (0, 0);
    for date in days(&irr) {
        let kind = irr.day(date);
        match date.weekday() {
            Weekday::Friday => {
                assert!(!kind.is_business_day(), "{date} is a Friday");
                if !matches!(kind, DayKind::Holiday(_)) {
                    assert_eq!(kind, DayKind::Weekend, "{date}");
                }
                fridays += 1;
            }
            Weekday::Thursday if !matches!(kind, DayKind::Holiday(_)) => {
                assert!(kind.is_business_day(), "{date} is a working Thursday");
                thursdays += 1;
            }
            _ if !matches!(kind, DayKind::Holiday(_)) => {
                assert!(kind.is_business_day(), "{date}");
            }
            _ => {}
        }
    }
    assert_eq!(fridays, 52);
    assert!(thursdays >= 45, "{thursdays} working Thursdays");
}

/// A holiday not named with a Solar Hijri date is a lunar one, an estimate until published.
#[test]
fn lunar_holidays_are_marked_as_estimates() {
    let irr = irr();
    let mut estimates = 0;
    for (date, note) in irr.holidays().filter(|(_, note)| note.source == ESTIMATE) {
        assert!(
            named_solar_hijri(&note.name).is_none(),
            "{date} {} names a fixed date",
            note.name
        );
        estimates += 1;
    }
    assert!(estimates > 0);
}
