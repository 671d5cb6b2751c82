//! Dates as lists write them: ISO and XML Schema forms (`1960`, `1960-01`, `1960-01-12`,
//! each possibly with a time zone: `1960-01-12Z`, `1960-01-12-05:00`), OFAC's English forms
//! (`12 Jan 1960`, `Jan 1960`, `circa 1960`, `01 Jan 1960 to 31 Dec 1962`) and year ranges,
//! read into partial dates without inventing precision the list does not give.

use crate::error::{MAX_RANGE_YEARS, Problem};
use corridor_screening::PartialDate;
use time::{Date, Month};

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Hours an XML Schema time zone may lie from UTC, either way.
const MAX_ZONE_HOURS: u8 = 14;

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as XML Schema's `xs:gYear`, `xs:gYearMonth` and
/// `xs:date` write them: with or without a time zone. The zone is dropped, since a date of
/// birth is a calendar day wherever it was written down; the UN list writes some with one
/// (`1960-01-01-05:00`).
pub(crate) fn iso(text: &str) -> Result<PartialDate, Problem> {
    let bad = || Problem::BadDate(text.to_owned());
    let mut parts = without_zone(text.trim()).split('-');
    let year = parts.next().and_then(year).ok_or_else(bad)?;
    let month = parts
        .next()
        .map(|m| two_digits(m, 1, 12).ok_or_else(bad))
        .transpose()?;
    let day = parts
        .next()
        .map(|d| two_digits(d, 1, 31).ok_or_else(bad))
        .transpose()?;
    if parts.next().is_some() {
        return Err(bad());
    }
    checked(year, month, day).ok_or_else(bad)
}

/// A list's own date, which must be a whole day: the version of a list names one day.
pub(crate) fn whole_day(text: &str) -> Option<String> {
    let date = iso(text).ok()?;
    let (month, day) = (date.month?, date.day?);
    Some(format!("{:04}-{month:02}-{day:02}", date.year))
}

/// One of OFAC's birth dates: possibly `circa`, possibly a range `A to B`.
pub(crate) fn ofac(text: &str) -> Result<Vec<PartialDate>, Problem> {
    let trimmed = text.trim();
    let exact = trimmed.strip_prefix("circa ").unwrap_or(trimmed);
    let bad = || Problem::BadDate(text.to_owned());
    match exact.split_once(" to ") {
        Some((from, to)) => {
            let from = ofac_single(from).ok_or_else(bad)?;
            let to = ofac_single(to).ok_or_else(bad)?;
            range(from, to, text)
        }
        None => Ok(vec![ofac_single(exact).ok_or_else(bad)?]),
    }
}

/// `12 Jan 1960`, `Jan 1960` or `1960`.
fn ofac_single(text: &str) -> Option<PartialDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let (day, month, year_text) = match words.as_slice() {
        [year] => (None, None, *year),
        [month, year] => (None, Some(month_number(month)?), *year),
        [day, month, year] => (
            Some(two_digits(day, 1, 31).or_else(|| one_digit(day))?),
            Some(month_number(month)?),
            *year,
        ),
        _ => return None,
    };
    checked(year(year_text)?, month, day)
}

/// Every year from `from` to `to` when they differ; the month when both fall in one month;
/// otherwise the one year. A range says the person was born somewhere inside it, and a
/// screening compares years and months, so this keeps what the range tells and no more.
pub(crate) fn range(
    from: PartialDate,
    to: PartialDate,
    text: &str,
) -> Result<Vec<PartialDate>, Problem> {
    if to < from {
        return Err(Problem::BadDate(text.to_owned()));
    }
    if to.year - from.year > MAX_RANGE_YEARS {
        return Err(Problem::DateRangeTooWide(text.to_owned()));
    }
    if from.year != to.year {
        return Ok((from.year..=to.year).map(year_only).collect());
    }
    let month = if from.month == to.month {
        from.month
    } else {
        None
    };
    Ok(vec![PartialDate {
        year: from.year,
        month,
        day: None,
    }])
}

pub(crate) fn year_only(year: u16) -> PartialDate {
    PartialDate {
        year,
        month: None,
        day: None,
    }
}

/// A year as XML Schema's `xs:gYear` writes it: four digits, possibly with a time zone.
pub(crate) fn xs_year(text: &str) -> Result<u16, Problem> {
    year(without_zone(text.trim())).ok_or_else(|| Problem::BadDate(text.to_owned()))
}

/// The text before its XML Schema time zone (`Z`, `+03:00`, `-05:00`), or all of it when it
/// ends in none. A malformed zone is left in place, so the date around it is refused.
fn without_zone(text: &str) -> &str {
    if let Some(before) = text.strip_suffix('Z') {
        return before;
    }
    let at = text.len().saturating_sub(6);
    match (text.get(..at), text.get(at..)) {
        (Some(before), Some(zone)) if at > 0 && is_offset(zone) => before,
        _ => text,
    }
}

/// `+hh:mm` or `-hh:mm`, at most fourteen hours from UTC.
fn is_offset(zone: &str) -> bool {
    let Some(offset) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    let Some((hours, minutes)) = offset.split_once(':') else {
        return false;
    };
    match (
        two_digits(hours, 0, MAX_ZONE_HOURS),
        two_digits(minutes, 0, 59),
    ) {
        (Some(hours), Some(minutes)) => hours < MAX_ZONE_HOURS || minutes == 0,
        _ => false,
    }
}

/// A four-digit year.
pub(crate) fn year(text: &str) -> Option<u16> {
    let text = text.trim();
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn two_digits(text: &str, low: u8, high: u8) -> Option<u8> {
    if text.len() != 2 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| (low..=high).contains(n))
}

fn one_digit(text: &str) -> Option<u8> {
    let digit = text.parse().ok().filter(|n| (1..=9).contains(n))?;
    (text.len() == 1).then_some(digit)
}

fn month_number(text: &str) -> Option<u8> {
    let lower = text.to_ascii_lowercase();
    let index = MONTHS.iter().position(|m| *m == lower)?;
    u8::try_from(index + 1).ok()
}

/// The date, if such a day exists (no 30 February).
fn checked(year: u16, month: Option<u8>, day: Option<u8>) -> Option<PartialDate> {
    if let (Some(m), Some(d)) = (month, day) {
        let month = Month::try_from(m).ok()?;
        Date::from_calendar_date(i32::from(year), month, d).ok()?;
    }
    if day.is_some() && month.is_none() {
        return None;
    }
    Some(PartialDate { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(year: u16, month: Option<u8>, day: Option<u8>) -> PartialDate {
        PartialDate { year, month, day }
    }

    #[test]
    fn iso_forms_keep_their_precision() {
        assert_eq!(iso("1960"), Ok(date(1960, None, None)));
        assert_eq!(iso("1960-02"), Ok(date(1960, Some(2), None)));
        assert_eq!(iso("1960-02-29"), Ok(date(1960, Some(2), Some(29))));
    }

    #[test]
    fn xml_schema_time_zones_are_dropped() {
        let day = Ok(date(1960, Some(1), Some(1)));
        for text in [
            "1960-01-01Z",
            "1960-01-01-05:00",
            "1960-01-01+03:00",
            "1960-01-01+14:00",
            "1960-01-01-00:00",
            " 1960-01-01+05:30 ",
        ] {
            assert_eq!(iso(text), day, "{text}");
        }
        assert_eq!(iso("1960-02Z"), Ok(date(1960, Some(2), None)));
        assert_eq!(iso("1960-02+01:00"), Ok(date(1960, Some(2), None)));
        assert_eq!(iso("1960-05:00"), Ok(date(1960, None, None)));
        assert_eq!(iso("1960Z"), Ok(date(1960, None, None)));
        assert_eq!(xs_year("1963+03:00"), Ok(1963));
        assert_eq!(xs_year("1963Z"), Ok(1963));
        assert_eq!(xs_year("1963"), Ok(1963));
    }

    #[test]
    fn malformed_time_zones_are_refused() {
        for text in [
            "1960-01-01+15:00",
            "1960-01-01+14:30",
            "1960-01-01+05:60",
            "1960-01-01+0500",
            "1960-01-01 05:00",
            "1960-01-01ZZ",
            "1960-01-01z",
            "Z",
            "-05:00",
            "+05:00",
        ] {
            assert!(iso(text).is_err(), "{text}");
        }
        assert!(xs_year("1963-15:00").is_err());
        assert!(xs_year("about 1963").is_err());
    }

    #[test]
    fn impossible_iso_dates_are_refused() {
        for text in [
            "1961-02-29",
            "1960-13",
            "60",
            "1960-1-1",
            "1960-01-01-01",
            "",
            "abcd",
        ] {
            assert!(iso(text).is_err(), "{text}");
        }
    }

    #[test]
    fn ofac_forms_keep_their_precision() {
        assert_eq!(ofac("12 Jan 1960"), Ok(vec![date(1960, Some(1), Some(12))]));
        assert_eq!(ofac("Jan 1960"), Ok(vec![date(1960, Some(1), None)]));
        assert_eq!(ofac("circa 1960"), Ok(vec![date(1960, None, None)]));
        assert_eq!(ofac("1960"), Ok(vec![date(1960, None, None)]));
    }

    #[test]
    fn ofac_ranges_become_years_or_one_month() {
        let years: Vec<_> = [1961, 1962].map(|y| date(y, None, None)).into();
        assert_eq!(ofac("01 Jan 1961 to 31 Dec 1962"), Ok(years));
        assert_eq!(
            ofac("01 Mar 1965 to 31 Mar 1965"),
            Ok(vec![date(1965, Some(3), None)])
        );
        assert_eq!(
            ofac("21 Jan 1949 to 19 Feb 1949"),
            Ok(vec![date(1949, None, None)])
        );
    }

    #[test]
    fn backwards_or_too_wide_ranges_are_refused() {
        assert!(matches!(ofac("1970 to 1960"), Err(Problem::BadDate(_))));
        assert!(matches!(
            ofac("1900 to 1960"),
            Err(Problem::DateRangeTooWide(_))
        ));
    }

    #[test]
    fn a_list_date_is_a_whole_day() {
        assert_eq!(whole_day("2024-05-15"), Some("2024-05-15".to_owned()));
        assert_eq!(whole_day("2024-05"), None);
        assert_eq!(whole_day("15/05/2024"), None);
    }
}
