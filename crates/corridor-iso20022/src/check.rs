//! The first validation layer: what the XSD's simple types demand of each value (lengths in
//! characters, patterns, decimal digits, real dates and times), plus no control or invisible
//! characters. Business rules (a known BIC, an IBAN checksum, a currency's minor unit) come
//! later, in the layer that knows the scheme.

use crate::error::{Report, excerpt};
use crate::reason::ReasonCode;

pub(crate) const MAX16_TEXT: usize = 16;
pub(crate) const MAX34_TEXT: usize = 34;
pub(crate) const MAX35_TEXT: usize = 35;
pub(crate) const MAX70_TEXT: usize = 70;
pub(crate) const MAX105_TEXT: usize = 105;
pub(crate) const MAX140_TEXT: usize = 140;
pub(crate) const MAX500_TEXT: usize = 500;
/// `External...Code` types (purpose, organisation identification scheme): 1 to 4 characters.
pub(crate) const EXTERNAL_CODE: usize = 4;
/// `PostalAddress24/AdrLine` occurs at most 7 times.
pub(crate) const MAX_ADDRESS_LINES: usize = 7;
/// `ActiveCurrencyAndAmount`: `fractionDigits` 5, `totalDigits` 18.
const AMOUNT_FRACTION_DIGITS: usize = 5;
const AMOUNT_TOTAL_DIGITS: usize = 18;

impl Report {
    /// Runs `f` on the message element inside a `Document`, naming paths from `/Document`.
    pub(crate) fn check_document(
        message: &str,
        f: impl FnOnce(&mut Report),
    ) -> Result<(), crate::error::FieldErrors> {
        let mut report = Report::new();
        report.within("Document", |r| r.within(message, f));
        report.finish(Some(()))
    }

    /// Runs `check` on each item inside its repeated element `name`.
    pub(crate) fn each_within<T>(
        &mut self,
        name: &str,
        items: &[T],
        check: impl Fn(&T, &mut Report),
    ) {
        for (i, item) in items.iter().enumerate() {
            self.within_nth(name, i + 1, |r| check(item, r));
        }
    }

    /// A repeated element the XSD requires at least once.
    pub(crate) fn at_least_one(&mut self, name: &str, count: usize) {
        if count == 0 {
            self.fail(
                name,
                ReasonCode::Ch21,
                format!("at least one {name} is required"),
            );
        }
    }

    /// A required text: present, not blank, within `max` characters, nothing hidden.
    pub(crate) fn max_text(&mut self, name: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(
                name,
                ReasonCode::Ch21,
                format!("{name} is required and must not be blank"),
            );
            return;
        }
        self.text_content(name, value, max);
    }

    pub(crate) fn optional_max_text(&mut self, name: &str, value: Option<&str>, max: usize) {
        let Some(value) = value else { return };
        if value.trim().is_empty() {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!("{name} is present but blank"),
            );
            return;
        }
        self.text_content(name, value, max);
    }

    fn text_content(&mut self, name: &str, value: &str, max: usize) {
        // Most texts are ASCII: then one vectorised pass tells both length and hidden
        // characters.
        let chars = if value.is_ascii() {
            value.len()
        } else {
            value.chars().count()
        };
        if chars > max {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!("{chars} characters, at most {max} allowed"),
            );
        }
        let hidden = if value.is_ascii() {
            value.bytes().find(u8::is_ascii_control).map(char::from)
        } else {
            value.chars().find(|c| corridor_core::is_hidden(*c))
        };
        if let Some(c) = hidden {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!(
                    "contains the control or invisible character U+{:04X}",
                    c as u32
                ),
            );
        }
    }

    /// A repeated text element (`AdrLine`, `Ustrd`): each one checked, at most `max_count`.
    pub(crate) fn repeated_max_text(
        &mut self,
        name: &str,
        values: &[String],
        max: usize,
        max_count: Option<usize>,
    ) {
        for (i, value) in values.iter().enumerate() {
            self.max_text(&format!("{name}[{}]", i + 1), value, max);
        }
        if let Some(limit) = max_count.filter(|limit| values.len() > *limit) {
            self.fail(
                &format!("{name}[{}]", limit + 1),
                ReasonCode::Ch17,
                format!(
                    "{name} occurs {} times, at most {limit} allowed",
                    values.len()
                ),
            );
        }
    }

    pub(crate) fn bic(&mut self, name: &str, value: &str) {
        if !is_bic(value) {
            self.fail(
                name,
                ReasonCode::Rc01,
                format!("{:?} is not a BIC (4 letters or digits, 2 letters, 2 letters or digits, optional 3-character branch)", excerpt(value)),
            );
        }
    }

    pub(crate) fn optional_bic(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.bic(name, value);
        }
    }

    pub(crate) fn uetr(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) if !is_uetr(value) => self.fail(
                name,
                ReasonCode::Ff01,
                format!("{:?} is not a lowercase version 4 UUID", excerpt(value)),
            ),
            _ => {}
        }
    }

    pub(crate) fn currency(&mut self, name: &str, value: &str) {
        let well_formed = value.len() == 3 && value.bytes().all(|b| b.is_ascii_uppercase());
        if !well_formed {
            self.fail(
                name,
                ReasonCode::Am03,
                format!("{:?} is not three upper-case letters", excerpt(value)),
            );
        }
    }

    pub(crate) fn amount(&mut self, name: &str, value: &str) {
        if let Some(problem) = amount_problem(value) {
            self.fail(
                name,
                ReasonCode::Am12,
                format!("{:?} {problem}", excerpt(value)),
            );
        }
    }

    /// `BaseOneRate`: a rate of at most 11 digits, 10 of them after the point.
    pub(crate) fn rate(&mut self, name: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        if let Some(problem) = decimal_problem(value, 10, 11) {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!("{:?} {problem}", excerpt(value)),
            );
        }
    }

    pub(crate) fn iso_date(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) if !is_iso_date(value) => self.fail(
                name,
                ReasonCode::Dt01,
                format!("{:?} is not a date YYYY-MM-DD", excerpt(value)),
            ),
            _ => {}
        }
    }

    /// `ISOTime` (`xs:time`): `hh:mm:ss`, an optional fraction and an optional time zone.
    pub(crate) fn iso_time(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) if !is_iso_time(value) => self.fail(
                name,
                ReasonCode::Dt01,
                format!("{:?} is not a time hh:mm:ss[.f][Z|+hh:mm]", excerpt(value)),
            ),
            _ => {}
        }
    }

    pub(crate) fn iso_date_time(&mut self, name: &str, value: &str) {
        if !is_iso_date_time(value) {
            self.fail(
                name,
                ReasonCode::Dt01,
                format!(
                    "{:?} is not a date-time YYYY-MM-DDThh:mm:ss[.f][Z|+hh:mm]",
                    excerpt(value)
                ),
            );
        }
    }

    pub(crate) fn country(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(value) if !(value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase())) => {
                self.fail(
                    name,
                    ReasonCode::Ff01,
                    format!("{:?} is not a two-letter country code", excerpt(value)),
                )
            }
            _ => {}
        }
    }

    pub(crate) fn iban(&mut self, name: &str, value: &str) {
        let b = value.as_bytes();
        let well_formed = (5..=34).contains(&b.len())
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(u8::is_ascii_alphanumeric);
        if !well_formed {
            self.fail(
                name,
                ReasonCode::Ac01,
                format!(
                    "{:?} is not an IBAN (country, 2 check digits, up to 30 letters or digits)",
                    excerpt(value)
                ),
            );
        }
    }

    pub(crate) fn lei(&mut self, name: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        let b = value.as_bytes();
        let well_formed = b.len() == 20
            && b[..18]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b[18..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!(
                    "{:?} is not an LEI (18 upper-case letters or digits, 2 digits)",
                    excerpt(value)
                ),
            );
        }
    }

    /// `Max15NumericText`: 1 to 15 digits.
    pub(crate) fn numeric_text(&mut self, name: &str, value: &str) {
        let well_formed =
            (1..=15).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!("{:?} is not 1 to 15 digits", excerpt(value)),
            );
        }
    }
}

impl Report {
    /// `Number` (`fractionDigits` 0, `totalDigits` 18), kept to 1 to 18 digits: no sign.
    pub(crate) fn whole_number(&mut self, name: &str, value: Option<&str>) {
        let Some(value) = value else { return };
        // `Number` is an `xs:decimal` with no fraction digits in its value: `1000.00` is
        // 1000 and valid, as libxml2 agrees. A sign is refused, though the XSD allows one:
        // no count or sequence number is negative.
        let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
        let well_formed = (1..=18).contains(&whole.len())
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.bytes().all(|b| b == b'0');
        if !well_formed {
            self.fail(
                name,
                ReasonCode::Ff01,
                format!(
                    "{:?} is not a whole number of 1 to 18 digits",
                    excerpt(value)
                ),
            );
        }
    }
}

/// `BICFIDec2014Identifier` and `AnyBICDec2014Identifier`.
pub(crate) fn is_bic(value: &str) -> bool {
    let b = value.as_bytes();
    let upper_alnum = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
    (b.len() == 8 || b.len() == 11)
        && b[..4].iter().all(upper_alnum)
        && b[4..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(upper_alnum)
}

/// `UUIDv4Identifier`: `[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}`.
pub(crate) fn is_uetr(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            14 => *c == b'4',
            19 => matches!(c, b'8' | b'9' | b'a' | b'b'),
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
}

/// Stricter than `xs:decimal`, so whatever passes is valid: digits, optionally a point and
/// at least one digit after it, no sign, no exponent, no surrounding space.
fn amount_problem(value: &str) -> Option<String> {
    decimal_problem(value, AMOUNT_FRACTION_DIGITS, AMOUNT_TOTAL_DIGITS)
}

/// What keeps `value` from being a non-negative decimal with at most `fraction_max` digits
/// after the point and `total_max` in all.
fn decimal_problem(value: &str, fraction_max: usize, total_max: usize) -> Option<String> {
    let (whole, fraction) = match value.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (value, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Some("is not a non-negative decimal number".to_owned());
    }
    let fraction_digits = fraction.map_or(0, str::len);
    if fraction_digits > fraction_max {
        return Some(format!("has more than {fraction_max} fraction digits"));
    }
    if whole.len() + fraction_digits > total_max {
        return Some(format!("has more than {total_max} digits"));
    }
    None
}

fn number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `YYYY-MM-DD` with a real day of a real month; returns what follows it.
fn date_prefix(value: &str) -> Option<&str> {
    split_date(value).map(|(_, rest)| rest)
}

/// `YYYY-MM-DD` with a real day of a real month, as (year, month, day), and what follows.
pub(crate) fn split_date(value: &str) -> Option<((u32, u32, u32), &str)> {
    let b = value.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (number(&b[..4])?, number(&b[5..7])?, number(&b[8..10])?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days).contains(&day)).then(|| ((year, month, day), &value[10..]))
}

/// Nothing, `Z`, or `+hh:mm` / `-hh:mm` within fourteen hours.
fn is_time_zone(value: &str) -> bool {
    let b = value.as_bytes();
    match b.first() {
        None => true,
        Some(b'Z') => b.len() == 1,
        Some(b'+' | b'-') if b.len() == 6 && b[3] == b':' => {
            matches!((number(&b[1..3]), number(&b[4..6])), (Some(h), Some(m)) if m < 60 && (h < 14 || (h == 14 && m == 0)))
        }
        _ => false,
    }
}

fn is_iso_date(value: &str) -> bool {
    date_prefix(value).is_some_and(is_time_zone)
}

/// `Thh:mm:ss[.fraction]` then a time zone.
fn is_iso_date_time(value: &str) -> bool {
    date_prefix(value)
        .and_then(|rest| rest.strip_prefix('T'))
        .is_some_and(is_iso_time)
}

/// `hh:mm:ss[.fraction]` of a real time (hours 00 to 23, no leap second), then a time zone.
fn is_iso_time(time: &str) -> bool {
    let b = time.as_bytes();
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let clock = (number(&b[..2]), number(&b[3..5]), number(&b[6..8]));
    if !matches!(clock, (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60) {
        return false;
    }
    let rest = &time[8..];
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => {
            let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return false;
            }
            &fraction[digits..]
        }
        None => rest,
    };
    is_time_zone(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_within_the_xsd_digits() {
        assert_eq!(amount_problem("0"), None);
        assert_eq!(amount_problem("1234567890123.12345"), None);
        assert!(amount_problem("1.123456").is_some());
        assert!(amount_problem("1234567890123456.123").is_some());
        for bad in ["", ".5", "5.", "-1", "+1", "1e3", " 1", "1,00", "١٢"] {
            assert!(amount_problem(bad).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn dates_are_real_days() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2024-13-01"));
        assert!(!is_iso_date("2024-1-01"));
        assert!(is_iso_date_time("2024-05-01T10:15:30.123+03:30"));
        assert!(is_iso_date_time("2024-05-01T10:15:30Z"));
        assert!(is_iso_date_time("2024-05-01T10:15:30"));
        assert!(!is_iso_date_time("2024-05-01T24:00:00"));
        assert!(!is_iso_date_time("2024-05-01T10:15:30."));
        assert!(!is_iso_date_time("2024-05-01 10:15:30"));
        assert!(!is_iso_date_time("2024-05-01T10:15:30+15:00"));
    }

    #[test]
    fn times_are_real_times() {
        for good in [
            "00:00:00",
            "23:59:59",
            "10:00:00Z",
            "10:00:00+00:00",
            "09:15:00.5-03:30",
            "09:15:00.123456+14:00",
        ] {
            assert!(is_iso_time(good), "{good:?}");
        }
        for bad in [
            "",
            "25:00:00",
            "24:00:00",
            "10:60:00",
            "10:00:60",
            "10:00",
            "1:00:00",
            "10:00:00.",
            "10:00:00.5a",
            "10:00:00+15:00",
            "10:00:00+14:30",
            "10:00:00+03:60",
            "10:00:00+0300",
            "10:00:00z",
            "ab:cd:ef",
            "T10:00:00",
            "10:00:00 ",
            "١٠:00:00",
        ] {
            assert!(!is_iso_time(bad), "{bad:?}");
        }
    }

    #[test]
    fn uetr_is_lowercase_v4() {
        assert!(is_uetr("eb6305c9-1f7f-49de-aed0-16487c27b42d"));
        assert!(!is_uetr("EB6305C9-1F7F-49DE-AED0-16487C27B42D"));
        assert!(!is_uetr("eb6305c9-1f7f-39de-aed0-16487c27b42d"));
        assert!(!is_uetr("eb6305c9-1f7f-49de-ced0-16487c27b42d"));
    }

    #[test]
    fn bic_pattern() {
        assert!(is_bic("BMRIIRTH"));
        assert!(is_bic("SABRRUMMXXX"));
        assert!(!is_bic("sabrrumm"));
        assert!(!is_bic("SABR1UMM"));
        assert!(!is_bic("SABRRUMMXX"));
    }
}
