//! The shipped calendars against the dates their decrees give, and a calendar file's
//! mistakes refused with the line and the reason.

use corridor_calendar::{Calendar, DayKind, SHIPPED, SOLAR_HIJRI_MONTHS, parse};
use time::{Date, Month};

fn shipped(name: &str) -> Calendar {
    let (_, text) = SHIPPED.iter().find(|(n, _)| *n == name).expect("shipped");
    parse(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn d(year: i32, month: u8, day: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).unwrap(), day).unwrap()
}

#[test]
fn every_shipped_calendar_parses() {
    for (name, text) in SHIPPED {
        parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn russia_2026_has_the_decrees_247_working_days() {
    let rub = shipped("rub-2026.csv");
    assert_eq!(rub.currency(), "RUB");
    assert_eq!(rub.business_days(d(2026, 1, 1), d(2026, 12, 31)), 247);
    assert!(matches!(rub.day(d(2026, 11, 4)), DayKind::Holiday(n) if n.name == "Unity Day"));
    assert!(matches!(rub.day(d(2026, 1, 9)), DayKind::Holiday(_)));
    assert_eq!(rub.day(d(2026, 3, 15)), DayKind::Weekend, "a Sunday");
    assert!(matches!(
        rub.day(d(2026, 11, 3)),
        DayKind::Business {
            shortened: Some((60, _))
        }
    ));
    assert_eq!(rub.next_business_day(d(2026, 1, 1)), Some(d(2026, 1, 12)));
    assert_eq!(
        rub.day(d(2027, 1, 11)),
        DayKind::Unknown,
        "outside its span"
    );
}

#[test]
fn russia_2027_moves_weekend_holidays_by_article_112() {
    let rub = shipped("rub-2027.csv");
    for (month, day) in [(5, 3), (5, 10), (6, 14)] {
        assert!(
            !rub.is_business_day(d(2027, month, day)),
            "2027-{month}-{day}"
        );
    }
    assert!(rub.is_business_day(d(2027, 1, 11)));
}

#[test]
fn iran_1405_rests_on_friday_and_at_nowruz() {
    let irr = shipped("irr-1405.csv");
    for day in 21..=24 {
        assert!(
            matches!(irr.day(d(2026, 3, day)), DayKind::Holiday(_)),
            "{day} Mar"
        );
    }
    assert_eq!(irr.day(d(2026, 3, 27)), DayKind::Weekend, "a Friday");
    assert!(irr.is_business_day(d(2026, 3, 26)), "a Thursday");
    assert!(irr.is_business_day(d(2026, 3, 28)), "a Saturday");
    assert_eq!(irr.next_business_day(d(2026, 3, 21)), Some(d(2026, 3, 25)));
    assert_eq!(
        irr.day(d(2026, 3, 20)),
        DayKind::Unknown,
        "the last day of 1404"
    );
}

#[test]
fn a_thursday_both_work_and_a_weekend_day_of_each() {
    let (rub, irr) = (shipped("rub-2026.csv"), shipped("irr-1405.csv"));
    let thursday = d(2026, 4, 16);
    assert!(rub.is_business_day(thursday) && irr.is_business_day(thursday));
    assert!(!irr.is_business_day(d(2026, 4, 17)) && rub.is_business_day(d(2026, 4, 17)));
    assert!(irr.is_business_day(d(2026, 4, 18)) && !rub.is_business_day(d(2026, 4, 18)));
}

const HEADER: &str =
    "currency,RUB\nversion,t\nspan,2026-01-01,2026-12-31\nweekend,saturday,sunday\n";

fn refused(body: &str) -> (usize, String) {
    let error = parse(&format!("{HEADER}{body}")).expect_err(body);
    (error.line, error.reason)
}

#[test]
fn mistakes_are_refused_with_the_line_and_the_reason() {
    let (line, reason) = refused("holiday,2026-02-30,Nothing,Test\n");
    assert_eq!(line, 5);
    assert!(reason.contains("2026-02-30 is not a date"), "{reason}");
    let (line, reason) = refused("holiday,2026-05-01,A,Test\nholiday,2026-05-01,B,Test\n");
    assert_eq!(line, 6);
    assert!(
        reason.contains("already a holiday day at line 5"),
        "{reason}"
    );
    let (_, reason) = refused("holiday,2026-05-01,A,Test\nshortened,2026-05-01,60,B,Test\n");
    assert!(reason.contains("already a holiday"), "{reason}");
    let (line, reason) = refused("holiday,2027-01-01,A,Test\n");
    assert_eq!(line, 5);
    assert!(reason.contains("outside the span"), "{reason}");
    let (_, reason) = refused("working,2026-05-06,A,Test\n");
    assert!(reason.contains("a working day anyway"), "{reason}");
    let (_, reason) = refused("shortened,2026-05-02,60,A,Test\n");
    assert!(reason.contains("a rest day"), "{reason}");
    let (_, reason) = refused("shortened,2026-05-06,9999,A,Test\n");
    assert!(reason.contains("not a shortening"), "{reason}");
    let (_, reason) = refused("holiday,2026-05-01,,Test\n");
    assert!(reason.contains("no name"), "{reason}");
    let (_, reason) = refused("closure,2026-05-01,A,Test\n");
    assert!(reason.contains("unknown line kind"), "{reason}");
    let error = parse("currency,RUB\nversion,t\nweekend,sunday\n").unwrap_err();
    assert_eq!(error.line, 0);
    assert!(error.reason.contains("no span"), "{}", error.reason);
    let error = parse("currency,RUB\ncurrency,IRR\n").unwrap_err();
    assert_eq!(error.line, 2);
}

#[test]
fn a_working_saturday_and_a_source_with_commas() {
    let calendar = parse(&format!(
        "{HEADER}working,2026-05-02,Working Saturday,Decree No. 1, of 2026\nshortened,2026-05-02,30,Short Saturday,Decree\n"
    ));
    let error = calendar.expect_err("a date given twice");
    assert!(
        error.reason.contains("already a working day"),
        "{}",
        error.reason
    );
    let calendar = parse(&format!(
        "{HEADER}working,2026-05-02,Working Saturday,Decree No. 1, of 2026\n"
    ))
    .unwrap();
    assert!(calendar.is_business_day(d(2026, 5, 2)));
}

#[test]
fn solar_hijri_dates_follow_the_astronomical_calendar() {
    use corridor_calendar::solar_hijri;
    let shown = |y, m, day| solar_hijri(d(y, m, day)).unwrap().to_string();
    assert_eq!(shown(2025, 3, 20), "1403-12-30");
    assert_eq!(shown(2026, 3, 21), "1405-01-01");
    assert_eq!(shown(2026, 3, 20), "1404-12-29");
    assert_eq!(shown(2027, 2, 11), "1405-11-22", "22 Bahman");
    assert_eq!(shown(2027, 3, 21), "1406-01-01");
}

/// A holiday named with its Solar Hijri date ("(12 Farvardin)") is on that date.
#[test]
fn iran_1405_holidays_fall_on_the_solar_hijri_dates_they_name() {
    let irr = shipped("irr-1405.csv");
    let mut checked = 0;
    for (date, note) in irr.holidays() {
        let named = SOLAR_HIJRI_MONTHS
            .iter()
            .zip(1u8..)
            .find_map(|(month, number)| {
                let before = note.name.split(&format!(" {month}")).next()?;
                let day: u8 = before.rsplit(['(', ' ']).next()?.parse().ok()?;
                note.name.contains(month).then_some((number, day))
            });
        let Some((month, day)) = named else { continue };
        let actual = corridor_calendar::solar_hijri(date).unwrap();
        assert_eq!(
            (actual.month, actual.day),
            (month, day),
            "{date} {}",
            note.name
        );
        checked += 1;
    }
    assert!(
        checked >= 10,
        "only {checked} holidays name their Solar Hijri date"
    );
}

fn schedules() -> (corridor_calendar::Schedule, corridor_calendar::Schedule) {
    use corridor_calendar::{DayTimes, Schedule};
    use jiff::civil::time;
    // The Bank of Russia's regular session (Moscow time) and a SATNA day (Tehran time).
    let moscow = DayTimes {
        opens: time(1, 0, 0, 0),
        customer_cutoff: time(20, 0, 0, 0),
        institution_cutoff: time(20, 30, 0, 0),
        liquidity_cutoff: time(21, 0, 0, 0),
        closes: time(21, 0, 0, 0),
    };
    let tehran = DayTimes {
        opens: time(7, 0, 0, 0),
        customer_cutoff: time(14, 0, 0, 0),
        institution_cutoff: time(14, 30, 0, 0),
        liquidity_cutoff: time(14, 30, 0, 0),
        closes: time(15, 0, 0, 0),
    };
    (
        Schedule::new("Europe/Moscow", moscow).unwrap(),
        Schedule::new("Asia/Tehran", tehran).unwrap(),
    )
}

fn utc_ns(y: i16, m: i8, d: i8, h: i8, mi: i8) -> u64 {
    let at = jiff::civil::date(y, m, d)
        .at(h, mi, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp();
    u64::try_from(at.as_nanosecond()).unwrap()
}

#[test]
fn cut_offs_are_kept_to_the_microsecond_in_each_time_zone() {
    use corridor_calendar::{Phase, TransferKind::Customer};
    let (moscow, tehran) = schedules();
    let (rub, irr) = (shipped("rub-2026.csv"), shipped("irr-1405.csv"));
    let wednesday = d(2026, 4, 15);
    // 14:00 Tehran is 10:30 UTC; 20:00 Moscow is 17:00 UTC.
    let irr_cutoff = tehran.cutoff_ns(wednesday, Customer).unwrap();
    assert_eq!(irr_cutoff, utc_ns(2026, 4, 15, 10, 30));
    assert_eq!(
        moscow.cutoff_ns(wednesday, Customer).unwrap(),
        utc_ns(2026, 4, 15, 17, 0)
    );
    assert!(tehran.accepts(&irr, irr_cutoff - 1_000, Customer).unwrap());
    assert!(!tehran.accepts(&irr, irr_cutoff + 1_000, Customer).unwrap());
    // Tehran is Moscow + 30 minutes: at 10:45 UTC the rial's customer cut-off has passed
    // while the rouble's day runs on.
    let quarter_to_eleven = utc_ns(2026, 4, 15, 10, 45);
    assert!(!tehran.accepts(&irr, quarter_to_eleven, Customer).unwrap());
    assert!(moscow.accepts(&rub, quarter_to_eleven, Customer).unwrap());
    assert_eq!(tehran.phase(&irr, quarter_to_eleven).unwrap(), Phase::Open);
    assert_eq!(
        tehran.phase(&irr, utc_ns(2026, 4, 15, 11, 30)).unwrap(),
        Phase::EndOfDay
    );
    assert_eq!(
        tehran.phase(&irr, utc_ns(2026, 4, 15, 3, 0)).unwrap(),
        Phase::BeforeOpening
    );
    // A Friday in Tehran, a Sunday in Moscow, Nowruz and 4 November are closed all day.
    assert_eq!(
        tehran.phase(&irr, utc_ns(2026, 4, 17, 8, 0)).unwrap(),
        Phase::Closed
    );
    assert_eq!(
        moscow.phase(&rub, utc_ns(2026, 4, 19, 8, 0)).unwrap(),
        Phase::Closed
    );
    assert_eq!(
        tehran.phase(&irr, utc_ns(2026, 3, 22, 8, 0)).unwrap(),
        Phase::Closed
    );
    assert_eq!(
        moscow.phase(&rub, utc_ns(2026, 11, 4, 8, 0)).unwrap(),
        Phase::Closed
    );
}

#[test]
fn a_schedule_out_of_order_or_in_an_unknown_zone_is_refused() {
    use corridor_calendar::{DayTimes, Schedule, ScheduleError};
    use jiff::civil::time;
    let times = DayTimes {
        opens: time(9, 0, 0, 0),
        customer_cutoff: time(8, 0, 0, 0),
        institution_cutoff: time(10, 0, 0, 0),
        liquidity_cutoff: time(10, 0, 0, 0),
        closes: time(11, 0, 0, 0),
    };
    assert!(matches!(
        Schedule::new("Europe/Moscow", times),
        Err(ScheduleError::OutOfOrder)
    ));
    let fine = DayTimes {
        customer_cutoff: time(10, 0, 0, 0),
        ..times
    };
    assert!(matches!(
        Schedule::new("Mars/Olympus", fine),
        Err(ScheduleError::UnknownZone(_))
    ));
}
