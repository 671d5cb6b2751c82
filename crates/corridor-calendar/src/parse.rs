//! The calendar file: one fact per line, comma-separated, `#` starts a comment.
//!
//! ```text
//! currency,RUB
//! version,2026.1
//! span,2026-01-01,2026-12-31
//! weekend,saturday,sunday
//! holiday,2026-11-04,Unity Day,Labour Code art. 112
//! working,2027-01-09,Working Saturday,Government Decree ...
//! shortened,2026-11-03,60,Eve of Unity Day,Government Decree No. 1466 of 24 Sep 2025
//! ```
//!
//! The last field (the source) may hold commas. A file is taken whole or refused whole: an
//! impossible date, a date outside the span, a date given twice (or a holiday also made a
//! working or shortened day), a working day that is not a rest day, or a shortened day that
//! is not a working day is refused with its line and the reason.

use std::collections::BTreeMap;

use time::{Date, Month, Weekday};

use crate::{Calendar, DateNote};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct CalendarError {
    /// 1-based; 0 for what is missing from the whole file.
    pub line: usize,
    pub reason: String,
}

fn refuse(line: usize, reason: impl Into<String>) -> CalendarError {
    CalendarError {
        line,
        reason: reason.into(),
    }
}

/// Longest shortening of a day, in minutes: half a day.
const MAX_SHORTENED_MINUTES: u16 = 720;

#[derive(Default)]
struct Draft {
    currency: Option<String>,
    version: Option<String>,
    span: Option<(Date, Date)>,
    weekend: Option<Vec<Weekday>>,
    holidays: BTreeMap<Date, DateNote>,
    working: BTreeMap<Date, DateNote>,
    shortened: BTreeMap<Date, (u16, DateNote)>,
    /// Where each dated fact was given, to name the earlier line of a duplicate.
    seen: BTreeMap<Date, (usize, &'static str)>,
}

pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
    let mut draft = Draft::default();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let content = raw.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let (kind, rest) = content.split_once(',').unwrap_or((content, ""));
        draft.line(line, kind.trim(), rest)?;
    }
    draft.finish()
}

impl Draft {
    fn line(&mut self, line: usize, kind: &str, rest: &str) -> Result<(), CalendarError> {
        match kind {
            "currency" => self.currency(line, rest),
            "version" => once(&mut self.version, line, "version", nonempty(line, rest)?),
            "span" => self.span(line, rest),
            "weekend" => self.weekend(line, rest),
            "holiday" => self.dated(line, "holiday", rest),
            "working" => self.dated(line, "working", rest),
            "shortened" => self.shortened(line, rest),
            other => Err(refuse(line, format!("unknown line kind {other:?}"))),
        }
    }

    fn currency(&mut self, line: usize, rest: &str) -> Result<(), CalendarError> {
        let code = rest.trim();
        if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(refuse(
                line,
                format!("{code:?} is not an ISO 4217 currency code"),
            ));
        }
        once(&mut self.currency, line, "currency", code.to_string())
    }

    fn span(&mut self, line: usize, rest: &str) -> Result<(), CalendarError> {
        let (first, last) = rest
            .split_once(',')
            .ok_or_else(|| refuse(line, "span needs a first and a last date"))?;
        let (first, last) = (date(line, first)?, date(line, last)?);
        if first > last {
            return Err(refuse(
                line,
                format!("the span ends ({last}) before it starts ({first})"),
            ));
        }
        once(&mut self.span, line, "span", (first, last))
    }

    fn weekend(&mut self, line: usize, rest: &str) -> Result<(), CalendarError> {
        let mut days = Vec::new();
        for name in rest.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let day = weekday(line, name)?;
            if days.contains(&day) {
                return Err(refuse(line, format!("{name} is named twice")));
            }
            days.push(day);
        }
        once(&mut self.weekend, line, "weekend", days)
    }

    /// `holiday` and `working`: date, name, source.
    fn dated(&mut self, line: usize, kind: &'static str, rest: &str) -> Result<(), CalendarError> {
        let mut fields = rest.splitn(3, ',');
        let on = date(line, fields.next().unwrap_or(""))?;
        let note = note(line, fields.next(), fields.next())?;
        self.claim(line, on, kind)?;
        if kind == "holiday" {
            self.holidays.insert(on, note);
        } else {
            self.working.insert(on, note);
        }
        Ok(())
    }

    /// `shortened`: date, minutes, name, source.
    fn shortened(&mut self, line: usize, rest: &str) -> Result<(), CalendarError> {
        let mut fields = rest.splitn(4, ',');
        let on = date(line, fields.next().unwrap_or(""))?;
        let minutes_text = fields.next().unwrap_or("").trim();
        let minutes = minutes_text
            .parse::<u16>()
            .ok()
            .filter(|m| (1..=MAX_SHORTENED_MINUTES).contains(m))
            .ok_or_else(|| {
                refuse(
                    line,
                    format!("{minutes_text:?} is not a shortening of 1 to {MAX_SHORTENED_MINUTES} minutes"),
                )
            })?;
        let note = note(line, fields.next(), fields.next())?;
        self.claim(line, on, "shortened")?;
        self.shortened.insert(on, (minutes, note));
        Ok(())
    }

    /// One dated fact per date: a date given twice is a mistake either way.
    fn claim(&mut self, line: usize, on: Date, kind: &'static str) -> Result<(), CalendarError> {
        if let Some((earlier, what)) = self.seen.get(&on) {
            return Err(refuse(
                line,
                format!("{on} is already a {what} day at line {earlier}"),
            ));
        }
        self.seen.insert(on, (line, kind));
        Ok(())
    }

    fn finish(self) -> Result<Calendar, CalendarError> {
        let missing = |what: &str| refuse(0, format!("the file has no {what} line"));
        let (first, last) = self.span.ok_or_else(|| missing("span"))?;
        let weekend = self.weekend.ok_or_else(|| missing("weekend"))?;
        for (on, (line, _)) in &self.seen {
            if *on < first || *on > last {
                return Err(refuse(
                    *line,
                    format!("{on} is outside the span {first} to {last}"),
                ));
            }
        }
        for on in self.working.keys() {
            if !weekend.contains(&on.weekday()) {
                let line = self.seen.get(on).map_or(0, |(l, _)| *l);
                return Err(refuse(
                    line,
                    format!("{on} is a {} and a working day anyway", on.weekday()),
                ));
            }
        }
        for on in self.shortened.keys() {
            if weekend.contains(&on.weekday()) && !self.working.contains_key(on) {
                let line = self.seen.get(on).map_or(0, |(l, _)| *l);
                return Err(refuse(
                    line,
                    format!("{on} is a rest day, not a working day to shorten"),
                ));
            }
        }
        Ok(Calendar {
            currency: self.currency.ok_or_else(|| missing("currency"))?,
            version: self.version.ok_or_else(|| missing("version"))?,
            first,
            last,
            weekend,
            holidays: self.holidays,
            working: self.working,
            shortened: self.shortened,
        })
    }
}

fn once<T>(slot: &mut Option<T>, line: usize, what: &str, value: T) -> Result<(), CalendarError> {
    if slot.is_some() {
        return Err(refuse(line, format!("a second {what} line")));
    }
    *slot = Some(value);
    Ok(())
}

fn nonempty(line: usize, text: &str) -> Result<String, CalendarError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(refuse(line, "an empty value"));
    }
    Ok(text.to_string())
}

fn note(line: usize, name: Option<&str>, source: Option<&str>) -> Result<DateNote, CalendarError> {
    let name =
        nonempty(line, name.unwrap_or("")).map_err(|_| refuse(line, "the date has no name"))?;
    let source =
        nonempty(line, source.unwrap_or("")).map_err(|_| refuse(line, "the date has no source"))?;
    Ok(DateNote { name, source })
}

/// `YYYY-MM-DD`, and a real date of the Gregorian calendar.
fn date(line: usize, text: &str) -> Result<Date, CalendarError> {
    let text = text.trim();
    let bad = || refuse(line, format!("{text:?} is not a date (YYYY-MM-DD)"));
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let day: u8 = d.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    Date::from_calendar_date(year, month, day)
        .map_err(|_| refuse(line, format!("{text} is not a date of the calendar")))
}

fn weekday(line: usize, name: &str) -> Result<Weekday, CalendarError> {
    let day = match name.to_ascii_lowercase().as_str() {
        "monday" => Weekday::Monday,
        "tuesday" => Weekday::Tuesday,
        "wednesday" => Weekday::Wednesday,
        "thursday" => Weekday::Thursday,
        "friday" => Weekday::Friday,
        "saturday" => Weekday::Saturday,
        "sunday" => Weekday::Sunday,
        _ => return Err(refuse(line, format!("{name:?} is not a day of the week"))),
    };
    Ok(day)
}
