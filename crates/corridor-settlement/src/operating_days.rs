//! The operating day of each currency: its calendars (versions and amendments), its
//! schedule in its own time zone, the cut-offs the operator extended for a day, and how far
//! the hub has processed its openings and closes.
//!
//! A currency without a schedule is always open: every date is its business day, from
//! midnight UTC to midnight UTC (the demo runs so). With a schedule it settles only on
//! business days of its loaded calendars, from opening to close; a date no calendar covers
//! is closed, never guessed. Time is an input: nothing here reads a clock.

use std::collections::BTreeMap;

use corridor_calendar::{
    Calendar, DateChange, DateNote, DayDescription, DayTimes, LocalTime, Phase, Schedule,
    TransferKind, describe, parse, parse_local_time,
};
use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::rejection::Rejection;

const INVALID_DATE: &str = "DT01";
/// The furthest a schedule may let a settlement date lie ahead.
pub const MAX_HORIZON_DAYS: u16 = 366;
/// How far ahead a currency without a schedule accepts settlement dates.
pub const UNSCHEDULED_HORIZON_DAYS: u16 = 30;
/// How many days ahead the next opening or close is looked for: beyond a year of loaded
/// calendar there is none.
const BOUNDARY_SCAN_DAYS: i64 = 400;
/// Most calendar versions one currency keeps loaded at once.
const MAX_CALENDARS: usize = 16;
const DAY_NS: u64 = 86_400_000_000_000;

/// What happens at a currency's end of day to payments still queued in it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndOfDayRule {
    /// Rejected (SATNA cancels unfunded orders at end of day).
    #[default]
    RejectQueued,
    /// Kept queued into the next business day.
    CarryQueued,
}

/// A currency's operating day as the operator sets it: local times `HH:MM` in `time_zone`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DaySchedule {
    /// An IANA zone of the bundled tz database, e.g. `Europe/Moscow`, `Asia/Tehran`.
    pub time_zone: String,
    pub opens: String,
    /// Customer credit transfers (pacs.008).
    pub customer_cutoff: String,
    /// Transfers between institutions (pacs.009).
    pub institution_cutoff: String,
    /// Liquidity moved by the settlement agent.
    pub liquidity_cutoff: String,
    pub closes: String,
    #[serde(default)]
    pub end_of_day: EndOfDayRule,
    /// How many days ahead a settlement date may lie.
    pub horizon_days: u16,
}

/// A time of the day the operator can move for one date.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CutOff {
    Customer,
    Institution,
    Liquidity,
    Close,
}

/// An operator's change to one date of a currency's calendar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarAmendment {
    #[schema(value_type = String, example = "IRR")]
    pub currency: CurrencyCode,
    #[schema(value_type = String, example = "2026-12-09")]
    pub date: BusinessDate,
    /// `true`: the date closes (an ad-hoc closure, a holiday moved here); `false`: it opens.
    pub closed: bool,
    /// What the date is called: "Closure: heat in Tehran province".
    pub name: String,
    /// Who announced it: "CBI notice 1405/123".
    pub source: String,
}

/// Where a currency's day stands, for the API and metrics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CurrencyPhase {
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    /// The currency's date now, in its time zone (UTC without a schedule).
    #[schema(value_type = String)]
    pub date: BusinessDate,
    /// `always_open` (no schedule), `closed`, `before_opening`, `open`, `end_of_day`.
    pub phase: &'static str,
    pub time_zone: Option<String>,
    pub solar_hijri: Option<String>,
}

/// One loaded calendar version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CalendarVersion {
    pub version: String,
    #[schema(value_type = String)]
    pub first: BusinessDate,
    #[schema(value_type = String)]
    pub last: BusinessDate,
}

/// A currency's operating day as the operator set it up.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OperatingSetup {
    /// None: the currency is always open.
    pub schedule: Option<DaySchedule>,
    pub calendars: Vec<CalendarVersion>,
    pub amendments: Vec<CalendarAmendment>,
}

/// An opening or a close the hub must act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Boundary {
    pub at: Timestamp,
    pub date: BusinessDate,
    pub closes: bool,
}

#[derive(Debug)]
struct Scheduled {
    config: DaySchedule,
    schedule: Schedule,
}

#[derive(Debug, Default)]
struct CurrencyDay {
    /// Loaded versions, each with its text (what a snapshot keeps), spans disjoint, in order.
    calendars: Vec<(String, Calendar)>,
    amendments: Vec<CalendarAmendment>,
    scheduled: Option<Scheduled>,
    extensions: BTreeMap<(BusinessDate, CutOff), String>,
    /// Openings and closes up to this instant have been processed.
    processed_to: Timestamp,
    next: Option<Boundary>,
}

/// What a snapshot keeps of one currency.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredDay {
    currency: CurrencyCode,
    calendar_texts: Vec<String>,
    amendments: Vec<CalendarAmendment>,
    schedule: Option<DaySchedule>,
    extensions: Vec<(BusinessDate, CutOff, String)>,
    processed_to: Timestamp,
}

/// Every currency's operating day.
#[derive(Debug, Default)]
pub(crate) struct OperatingDays {
    days: BTreeMap<CurrencyCode, CurrencyDay>,
}

fn refuse_date(message: String) -> Rejection {
    Rejection::new(INVALID_DATE, message)
}

fn local_time(field: &str, text: &str) -> Result<LocalTime, Rejection> {
    parse_local_time(text)
        .ok_or_else(|| Rejection::format(format!("{field} {text:?} is not a time HH:MM")))
}

fn date_of(date: time::Date) -> BusinessDate {
    BusinessDate::from_date(date).unwrap_or_else(|| BusinessDate::of_instant(Timestamp::ZERO))
}

impl DaySchedule {
    fn build(&self) -> Result<Schedule, Rejection> {
        if self.horizon_days > MAX_HORIZON_DAYS {
            return Err(Rejection::format(format!(
                "horizon_days is at most {MAX_HORIZON_DAYS}"
            )));
        }
        let times = DayTimes {
            opens: local_time("opens", &self.opens)?,
            customer_cutoff: local_time("customer_cutoff", &self.customer_cutoff)?,
            institution_cutoff: local_time("institution_cutoff", &self.institution_cutoff)?,
            liquidity_cutoff: local_time("liquidity_cutoff", &self.liquidity_cutoff)?,
            closes: local_time("closes", &self.closes)?,
        };
        Schedule::new(&self.time_zone, times).map_err(|e| Rejection::format(e.to_string()))
    }
}

impl CurrencyDay {
    fn calendar(&self, date: BusinessDate) -> Option<&Calendar> {
        let date = date.to_date();
        self.calendars
            .iter()
            .map(|(_, c)| c)
            .find(|c| c.span().0 <= date && date <= c.span().1)
    }

    fn is_business_day(&self, date: BusinessDate) -> bool {
        self.calendar(date)
            .is_some_and(|c| c.is_business_day(date.to_date()))
    }

    /// The local time of `cut_off` on `date`: the operator's extension, else the schedule's.
    fn time_of(&self, scheduled: &Scheduled, date: BusinessDate, cut_off: CutOff) -> LocalTime {
        if let Some(extended) = self
            .extensions
            .get(&(date, cut_off))
            .and_then(|t| parse_local_time(t))
        {
            return extended;
        }
        let t = scheduled.schedule.times();
        match cut_off {
            CutOff::Customer => t.customer_cutoff,
            CutOff::Institution => t.institution_cutoff,
            CutOff::Liquidity => t.liquidity_cutoff,
            CutOff::Close => t.closes,
        }
    }

    fn instant(&self, scheduled: &Scheduled, date: BusinessDate, time: LocalTime) -> Timestamp {
        Timestamp(
            scheduled
                .schedule
                .at_ns(date.to_date(), time)
                .unwrap_or(u64::MAX),
        )
    }

    /// `[opening, cut-off)` of `kind` on `date`, or `None` when it is not a business day.
    fn window(
        &self,
        date: BusinessDate,
        kind: Option<TransferKind>,
    ) -> Option<(Timestamp, Timestamp)> {
        let Some(scheduled) = &self.scheduled else {
            let start = u64::try_from(date.days_since_epoch())
                .ok()?
                .checked_mul(DAY_NS)?;
            return Some((Timestamp(start), Timestamp(start.saturating_add(DAY_NS))));
        };
        if !self.is_business_day(date) {
            return None;
        }
        let opens = self.instant(scheduled, date, scheduled.schedule.times().opens);
        let end = kind.map_or(CutOff::Close, cut_off_of);
        let closes = self.instant(
            scheduled,
            date,
            self.time_of(scheduled, date, CutOff::Close),
        );
        let until = self.instant(scheduled, date, self.time_of(scheduled, date, end));
        Some((opens, until.min(closes)))
    }

    fn today(&self, now: Timestamp) -> BusinessDate {
        match &self.scheduled {
            Some(s) => s
                .schedule
                .local_date(now.0)
                .map(date_of)
                .unwrap_or_else(|_| BusinessDate::of_instant(now)),
            None => BusinessDate::of_instant(now),
        }
    }

    /// The first opening or close after `after`.
    fn next_boundary(&self, after: Timestamp) -> Option<Boundary> {
        let scheduled = self.scheduled.as_ref()?;
        let start = self.today(after).plus_days(-1)?;
        for offset in 0..BOUNDARY_SCAN_DAYS {
            let date = start.plus_days(offset)?;
            let Some((opens, _)) = self.window(date, None) else {
                continue;
            };
            if opens > after {
                return Some(Boundary {
                    at: opens,
                    date,
                    closes: false,
                });
            }
            let closes = self.instant(
                scheduled,
                date,
                self.time_of(scheduled, date, CutOff::Close),
            );
            if closes > after {
                return Some(Boundary {
                    at: closes,
                    date,
                    closes: true,
                });
            }
        }
        None
    }

    fn refresh(&mut self) {
        self.next = self.next_boundary(self.processed_to);
    }

    /// Whether `date` has opened by `now` (and so must never change).
    fn has_opened(&self, date: BusinessDate, now: Timestamp) -> bool {
        let start = match &self.scheduled {
            Some(s) => self.instant(s, date, s.schedule.times().opens),
            None => self.window(date, None).map_or(Timestamp(u64::MAX), |w| w.0),
        };
        start <= now
    }
}

fn cut_off_of(kind: TransferKind) -> CutOff {
    match kind {
        TransferKind::Customer => CutOff::Customer,
        TransferKind::Institution => CutOff::Institution,
        TransferKind::Liquidity => CutOff::Liquidity,
    }
}

impl OperatingDays {
    fn day(&self, currency: CurrencyCode) -> Option<&CurrencyDay> {
        self.days.get(&currency)
    }

    /// Whether any currency runs on a schedule (else every currency is always open).
    pub(crate) fn any_scheduled(&self) -> bool {
        self.days.values().any(|d| d.scheduled.is_some())
    }

    pub(crate) fn is_scheduled(&self, currency: CurrencyCode) -> bool {
        self.day(currency).is_some_and(|d| d.scheduled.is_some())
    }

    pub(crate) fn configure(
        &mut self,
        currency: CurrencyCode,
        config: &DaySchedule,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        let schedule = config.build()?;
        let day = self.days.entry(currency).or_default();
        if day.scheduled.is_none() {
            day.processed_to = now;
        }
        day.scheduled = Some(Scheduled {
            config: config.clone(),
            schedule,
        });
        day.refresh();
        Ok(())
    }

    /// Loads a calendar version. It replaces the versions whose spans it overlaps, but
    /// never changes a date that has already opened. Loading the same text again is a
    /// duplicate (`Ok(true)`).
    pub(crate) fn load(
        &mut self,
        currency: CurrencyCode,
        text: &str,
        now: Timestamp,
    ) -> Result<bool, Rejection> {
        let calendar = parse(text).map_err(|e| Rejection::format(format!("calendar {e}")))?;
        if calendar.currency() != currency.as_str() {
            return Err(Rejection::new(
                "CURR",
                format!(
                    "the calendar is for {}, not {currency}",
                    calendar.currency()
                ),
            ));
        }
        let day = self.days.entry(currency).or_default();
        if day.calendars.iter().any(|(t, _)| t == text) {
            return Ok(true);
        }
        let (first, last) = calendar.span();
        let (kept, replaced): (Vec<_>, Vec<_>) = std::mem::take(&mut day.calendars)
            .into_iter()
            .partition(|(_, c)| c.span().1 < first || c.span().0 > last);
        day.calendars = kept;
        let changed = opened_change(&replaced, &calendar, day, now);
        if let Some(refusal) = changed {
            day.calendars.extend(replaced);
            day.calendars.sort_by_key(|(_, c)| c.span().0);
            return Err(refusal);
        }
        if day.calendars.len() >= MAX_CALENDARS {
            day.calendars.extend(replaced);
            day.calendars.sort_by_key(|(_, c)| c.span().0);
            return Err(Rejection::format(format!(
                "{currency} already has {MAX_CALENDARS} calendar versions loaded"
            )));
        }
        day.calendars.push((text.to_string(), calendar));
        day.calendars.sort_by_key(|(_, c)| c.span().0);
        day.refresh();
        Ok(false)
    }

    /// Applies an operator's amendment to a date that has not opened yet.
    pub(crate) fn amend(
        &mut self,
        amendment: &CalendarAmendment,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        let currency = amendment.currency;
        let day = self.days.get_mut(&currency).ok_or_else(|| {
            refuse_date(format!(
                "no calendar is loaded for {currency}: load one first"
            ))
        })?;
        if day.has_opened(amendment.date, now) {
            return Err(refuse_date(format!(
                "{} has already opened for {currency}: a day that opened never changes",
                amendment.date
            )));
        }
        for (field, text) in [("name", &amendment.name), ("source", &amendment.source)] {
            if text.trim().is_empty()
                || text.chars().count() > 140
                || text.chars().any(char::is_control)
            {
                return Err(Rejection::format(format!(
                    "{field}: 1 to 140 characters, no control characters"
                )));
            }
        }
        let date = amendment.date;
        let calendar = day
            .calendars
            .iter_mut()
            .map(|(_, c)| c)
            .find(|c| c.span().0 <= date.to_date() && date.to_date() <= c.span().1)
            .ok_or_else(|| refuse_date(format!("no loaded {currency} calendar covers {date}")))?;
        let note = DateNote {
            name: amendment.name.clone(),
            source: amendment.source.clone(),
        };
        let change = if amendment.closed {
            DateChange::Close(note)
        } else {
            DateChange::Open(note)
        };
        calendar
            .amend(date.to_date(), change)
            .map_err(|e| refuse_date(e.to_string()))?;
        day.amendments.push(amendment.clone());
        day.refresh();
        Ok(())
    }

    /// Moves `cut_off` on `date` to the later local time `until`, for that day only.
    pub(crate) fn extend(
        &mut self,
        currency: CurrencyCode,
        date: BusinessDate,
        cut_off: CutOff,
        until: &str,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        let time = local_time("until", until)?;
        let day = self
            .days
            .get_mut(&currency)
            .filter(|d| d.scheduled.is_some())
            .ok_or_else(|| refuse_date(format!("{currency} has no operating schedule")))?;
        let Some(scheduled) = &day.scheduled else {
            return Ok(());
        };
        if !day.is_business_day(date) {
            return Err(refuse_date(format!(
                "{date} is not a {currency} business day"
            )));
        }
        let current = day.time_of(scheduled, date, cut_off);
        let closes = day.time_of(scheduled, date, CutOff::Close);
        if time <= current {
            return Err(Rejection::format(format!(
                "an extension moves the time later than {}",
                current.strftime("%H:%M")
            )));
        }
        if cut_off != CutOff::Close && time > closes {
            return Err(Rejection::format(format!(
                "a cut-off cannot pass the close at {}: extend the close first",
                closes.strftime("%H:%M")
            )));
        }
        if day.instant(scheduled, date, current) <= now {
            return Err(refuse_date(format!(
                "the {currency} {cut_off:?} time of {date} has already passed"
            )));
        }
        day.extensions.insert((date, cut_off), until.to_string());
        day.refresh();
        Ok(())
    }

    pub(crate) fn today(&self, currency: CurrencyCode, now: Timestamp) -> BusinessDate {
        self.day(currency)
            .map_or_else(|| BusinessDate::of_instant(now), |d| d.today(now))
    }

    pub(crate) fn horizon_days(&self, currency: CurrencyCode) -> u16 {
        self.day(currency)
            .and_then(|d| d.scheduled.as_ref())
            .map_or(UNSCHEDULED_HORIZON_DAYS, |s| s.config.horizon_days)
    }

    /// `[opening, cut-off of kind)` of `date` (`None` for the close), or `None` when the
    /// date is not a business day of `currency`.
    pub(crate) fn window(
        &self,
        currency: CurrencyCode,
        date: BusinessDate,
        kind: Option<TransferKind>,
    ) -> Option<(Timestamp, Timestamp)> {
        match self.day(currency) {
            Some(day) => day.window(date, kind),
            None => CurrencyDay::default().window(date, kind),
        }
    }

    /// Whether money may move in `currency` at `now`: between opening and close of a
    /// business day (always, without a schedule).
    pub(crate) fn is_open(&self, currency: CurrencyCode, now: Timestamp) -> bool {
        let Some(day) = self.day(currency).filter(|d| d.scheduled.is_some()) else {
            return true;
        };
        day.window(day.today(now), None)
            .is_some_and(|(opens, closes)| opens <= now && now < closes)
    }

    /// Why `date` is not a business day of `currency`, in words.
    pub(crate) fn why_closed(&self, currency: CurrencyCode, date: BusinessDate) -> String {
        let calendar = self.day(currency).and_then(|d| d.calendar(date));
        describe(calendar, currency.as_str(), date.to_date(), None).reason
    }

    /// The zone's UTC offset on `date` (0 without a schedule), for times given without one.
    pub(crate) fn offset_seconds(&self, currency: CurrencyCode, date: BusinessDate) -> i32 {
        let Some(s) = self.day(currency).and_then(|d| d.scheduled.as_ref()) else {
            return 0;
        };
        let noon = u64::try_from(date.days_since_epoch())
            .unwrap_or(0)
            .saturating_mul(DAY_NS)
            .saturating_add(DAY_NS / 2);
        s.schedule.offset_seconds(noon).unwrap_or(0)
    }

    pub(crate) fn end_of_day_rule(&self, currency: CurrencyCode) -> EndOfDayRule {
        self.day(currency)
            .and_then(|d| d.scheduled.as_ref())
            .map_or(EndOfDayRule::RejectQueued, |s| s.config.end_of_day)
    }

    /// The earliest opening or close at or before `now` not yet processed.
    pub(crate) fn due(&self, now: Timestamp) -> Option<(CurrencyCode, Boundary)> {
        self.days
            .iter()
            .filter_map(|(c, d)| d.next.map(|b| (*c, b)))
            .filter(|(_, b)| b.at <= now)
            .min_by_key(|(c, b)| (b.at, *c))
    }

    pub(crate) fn processed(&mut self, currency: CurrencyCode, boundary: Boundary) {
        if let Some(day) = self.days.get_mut(&currency) {
            debug_assert!(boundary.at >= day.processed_to);
            day.processed_to = boundary.at;
            day.refresh();
        }
    }

    /// The next opening or close of any currency.
    pub(crate) fn next_boundary(&self) -> Option<Timestamp> {
        self.days
            .values()
            .filter_map(|d| d.next.map(|b| b.at))
            .min()
    }

    pub(crate) fn phase(&self, currency: CurrencyCode, now: Timestamp) -> CurrencyPhase {
        let day = self.day(currency);
        let date = self.today(currency, now);
        let scheduled = day.and_then(|d| d.scheduled.as_ref());
        let phase = match (day, scheduled) {
            (Some(day), Some(_)) => match day.window(date, None) {
                None => Phase::Closed,
                Some((opens, _)) if now < opens => Phase::BeforeOpening,
                Some((_, closes)) if now < closes => Phase::Open,
                Some(_) => Phase::EndOfDay,
            },
            _ => Phase::Open,
        };
        CurrencyPhase {
            currency,
            date,
            phase: match (scheduled.is_some(), phase) {
                (false, _) => "always_open",
                (true, Phase::Closed) => "closed",
                (true, Phase::BeforeOpening) => "before_opening",
                (true, Phase::Open) => "open",
                (true, Phase::EndOfDay) => "end_of_day",
            },
            time_zone: scheduled.map(|s| s.config.time_zone.clone()),
            solar_hijri: date.solar_hijri(currency),
        }
    }

    /// Each date from `from` to `to` (at most `MAX_HORIZON_DAYS` of them).
    pub(crate) fn describe_days(
        &self,
        currency: CurrencyCode,
        from: BusinessDate,
        to: BusinessDate,
    ) -> Vec<DayDescription> {
        let day = self.day(currency);
        let mut out = Vec::new();
        let mut date = from;
        while date <= to && out.len() < usize::from(MAX_HORIZON_DAYS) {
            let calendar = day.and_then(|d| d.calendar(date));
            let times = day.and_then(|d| {
                let s = d.scheduled.as_ref()?;
                let moment =
                    |c: CutOff| (d.time_of(s, date, c), d.extensions.contains_key(&(date, c)));
                let opens = (s.schedule.times().opens, false);
                Some((
                    &s.schedule,
                    [
                        opens,
                        moment(CutOff::Customer),
                        moment(CutOff::Institution),
                        moment(CutOff::Liquidity),
                        moment(CutOff::Close),
                    ],
                ))
            });
            out.push(describe(calendar, currency.as_str(), date.to_date(), times));
            let Some(next) = date.plus_days(1) else { break };
            date = next;
        }
        out
    }

    /// The schedule, calendar versions and amendments of `currency`.
    pub(crate) fn setup(&self, currency: CurrencyCode) -> OperatingSetup {
        let Some(day) = self.day(currency) else {
            return OperatingSetup::default();
        };
        OperatingSetup {
            schedule: day.scheduled.as_ref().map(|s| s.config.clone()),
            calendars: day
                .calendars
                .iter()
                .map(|(_, c)| CalendarVersion {
                    version: c.version().to_string(),
                    first: date_of(c.span().0),
                    last: date_of(c.span().1),
                })
                .collect(),
            amendments: day.amendments.clone(),
        }
    }

    pub(crate) fn stored(&self) -> Vec<StoredDay> {
        self.days
            .iter()
            .map(|(currency, day)| StoredDay {
                currency: *currency,
                calendar_texts: day.calendars.iter().map(|(t, _)| t.clone()).collect(),
                amendments: day.amendments.clone(),
                schedule: day.scheduled.as_ref().map(|s| s.config.clone()),
                extensions: day
                    .extensions
                    .iter()
                    .map(|((d, c), t)| (*d, *c, t.clone()))
                    .collect(),
                processed_to: day.processed_to,
            })
            .collect()
    }

    /// Rebuilds the operating days a snapshot kept; what was accepted once is accepted
    /// again, so a refusal here means a corrupt snapshot.
    pub(crate) fn restore(stored: Vec<StoredDay>) -> Result<OperatingDays, Rejection> {
        let mut days = OperatingDays::default();
        for s in stored {
            let mut day = CurrencyDay {
                processed_to: s.processed_to,
                ..CurrencyDay::default()
            };
            for text in s.calendar_texts {
                let calendar = parse(&text).map_err(|e| Rejection::format(e.to_string()))?;
                day.calendars.push((text, calendar));
            }
            for a in &s.amendments {
                let note = DateNote {
                    name: a.name.clone(),
                    source: a.source.clone(),
                };
                let change = if a.closed {
                    DateChange::Close(note)
                } else {
                    DateChange::Open(note)
                };
                if let Some((_, c)) = day
                    .calendars
                    .iter_mut()
                    .find(|(_, c)| c.span().0 <= a.date.to_date() && a.date.to_date() <= c.span().1)
                {
                    c.amend(a.date.to_date(), change)
                        .map_err(|e| Rejection::format(e.to_string()))?;
                }
            }
            day.amendments = s.amendments;
            if let Some(config) = s.schedule {
                let schedule = config.build()?;
                day.scheduled = Some(Scheduled { config, schedule });
            }
            day.extensions = s
                .extensions
                .into_iter()
                .map(|(d, c, t)| ((d, c), t))
                .collect();
            day.refresh();
            days.days.insert(s.currency, day);
        }
        Ok(days)
    }
}

/// The first date that has already opened and that replacing `replaced` by `calendar`
/// would change, as a refusal.
fn opened_change(
    replaced: &[(String, Calendar)],
    calendar: &Calendar,
    day: &CurrencyDay,
    now: Timestamp,
) -> Option<Rejection> {
    for (_, old) in replaced {
        let (first, last) = old.span();
        let mut date = first;
        while date <= last {
            let business = date_of(date);
            if !day.has_opened(business, now) {
                break;
            }
            if old.day(date) != calendar.day(date) {
                return Some(refuse_date(format!(
                    "version {} would change {business}, which has already opened: a day that opened never changes",
                    calendar.version()
                )));
            }
            date = date.next_day()?;
        }
    }
    None
}
