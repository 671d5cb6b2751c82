//! A currency's operating day in its own time zone: when the day opens, the cut-off of each
//! kind of transfer, when it closes. The tz database is bundled in the binary (jiff's
//! `tzdb-bundle-always`), so the host's packages never change the rules. Time is an input
//! (nanoseconds since the Unix epoch, as the engine stamps batches): nothing here reads a
//! clock.

use jiff::civil::{self, Time};
use jiff::tz::TimeZone;

use crate::Calendar;

/// The kinds of transfer that have cut-offs of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferKind {
    /// Customer credit transfers (pacs.008).
    Customer,
    /// Transfers between institutions (pacs.009).
    Institution,
    /// Liquidity moved by the settlement agent.
    Liquidity,
}

/// Where a currency's day stands at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Not a business day, or a date the calendar does not know.
    Closed,
    BeforeOpening,
    Open,
    /// Past the day's close: end-of-day processing and statements.
    EndOfDay,
}

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("unknown time zone {0:?}")]
    UnknownZone(String),
    #[error("the day must open before every cut-off and every cut-off come before it closes")]
    OutOfOrder,
    #[error("a date outside the years the time zone rules cover")]
    DateOutOfRange,
    #[error("{0}")]
    Time(#[from] jiff::Error),
}

#[derive(Debug, Clone)]
pub struct Schedule {
    zone: TimeZone,
    opens: Time,
    customer_cutoff: Time,
    institution_cutoff: Time,
    liquidity_cutoff: Time,
    closes: Time,
}

/// Local times of one day, in order: opens <= every cut-off <= closes.
#[derive(Debug, Clone, Copy)]
pub struct DayTimes {
    pub opens: Time,
    pub customer_cutoff: Time,
    pub institution_cutoff: Time,
    pub liquidity_cutoff: Time,
    pub closes: Time,
}

impl Schedule {
    pub fn new(zone: &str, times: DayTimes) -> Result<Schedule, ScheduleError> {
        let zone = TimeZone::get(zone).map_err(|_| ScheduleError::UnknownZone(zone.to_string()))?;
        let cutoffs = [
            times.customer_cutoff,
            times.institution_cutoff,
            times.liquidity_cutoff,
        ];
        if cutoffs
            .iter()
            .any(|c| *c < times.opens || *c > times.closes)
        {
            return Err(ScheduleError::OutOfOrder);
        }
        Ok(Schedule {
            zone,
            opens: times.opens,
            customer_cutoff: times.customer_cutoff,
            institution_cutoff: times.institution_cutoff,
            liquidity_cutoff: times.liquidity_cutoff,
            closes: times.closes,
        })
    }

    fn cutoff_time(&self, kind: TransferKind) -> Time {
        match kind {
            TransferKind::Customer => self.customer_cutoff,
            TransferKind::Institution => self.institution_cutoff,
            TransferKind::Liquidity => self.liquidity_cutoff,
        }
    }

    pub fn zone_name(&self) -> &str {
        self.zone.iana_name().unwrap_or("UTC")
    }

    pub fn times(&self) -> DayTimes {
        DayTimes {
            opens: self.opens,
            customer_cutoff: self.customer_cutoff,
            institution_cutoff: self.institution_cutoff,
            liquidity_cutoff: self.liquidity_cutoff,
            closes: self.closes,
        }
    }

    /// The instant (nanoseconds since the Unix epoch) of local `time` on local `date`.
    pub fn at_ns(&self, date: time::Date, time: Time) -> Result<u64, ScheduleError> {
        let local = civil_date(date)?.to_datetime(time);
        let at = local.to_zoned(self.zone.clone())?.timestamp();
        u64::try_from(at.as_nanosecond()).map_err(|_| ScheduleError::DateOutOfRange)
    }

    pub fn opens_ns(&self, date: time::Date) -> Result<u64, ScheduleError> {
        self.at_ns(date, self.opens)
    }

    pub fn closes_ns(&self, date: time::Date) -> Result<u64, ScheduleError> {
        self.at_ns(date, self.closes)
    }

    /// The zone's offset from UTC at `at_ns`, in seconds east.
    pub fn offset_seconds(&self, at_ns: u64) -> Result<i32, ScheduleError> {
        let at = jiff::Timestamp::from_nanosecond(i128::from(at_ns))?;
        Ok(self.zone.to_offset(at).seconds())
    }

    /// The local date at `at_ns`.
    pub fn local_date(&self, at_ns: u64) -> Result<time::Date, ScheduleError> {
        time_date(self.local(at_ns)?.date())
    }

    /// The local date and time at `at_ns`.
    pub fn local(&self, at_ns: u64) -> Result<civil::DateTime, ScheduleError> {
        let at = jiff::Timestamp::from_nanosecond(i128::from(at_ns))?;
        Ok(at.to_zoned(self.zone.clone()).datetime())
    }

    /// The instant (nanoseconds since the Unix epoch) of `kind`'s cut-off on local `date`.
    pub fn cutoff_ns(&self, date: time::Date, kind: TransferKind) -> Result<u64, ScheduleError> {
        self.at_ns(date, self.cutoff_time(kind))
    }

    pub fn phase(&self, calendar: &Calendar, at_ns: u64) -> Result<Phase, ScheduleError> {
        let local = self.local(at_ns)?;
        if !calendar.is_business_day(time_date(local.date())?) {
            return Ok(Phase::Closed);
        }
        let now = local.time();
        Ok(if now < self.opens {
            Phase::BeforeOpening
        } else if now < self.closes {
            Phase::Open
        } else {
            Phase::EndOfDay
        })
    }

    /// A transfer of `kind` may settle at `at_ns`: a business day, opened, its cut-off not
    /// yet passed.
    pub fn accepts(
        &self,
        calendar: &Calendar,
        at_ns: u64,
        kind: TransferKind,
    ) -> Result<bool, ScheduleError> {
        if self.phase(calendar, at_ns)? != Phase::Open {
            return Ok(false);
        }
        Ok(self.local(at_ns)?.time() < self.cutoff_time(kind))
    }
}

fn civil_date(date: time::Date) -> Result<civil::Date, ScheduleError> {
    Ok(civil::Date::new(
        i16::try_from(date.year()).map_err(|_| ScheduleError::DateOutOfRange)?,
        i8::try_from(u8::from(date.month())).unwrap_or(1),
        i8::try_from(date.day()).unwrap_or(1),
    )?)
}

fn time_date(date: civil::Date) -> Result<time::Date, ScheduleError> {
    let month = time::Month::try_from(u8::try_from(date.month()).unwrap_or(1))
        .map_err(|_| ScheduleError::DateOutOfRange)?;
    time::Date::from_calendar_date(
        i32::from(date.year()),
        month,
        u8::try_from(date.day()).unwrap_or(1),
    )
    .map_err(|_| ScheduleError::DateOutOfRange)
}
