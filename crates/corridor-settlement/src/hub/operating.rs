//! The operating day in the hub: the operator's calendar and schedule commands, the value
//! date and time window each payment is admitted to (settle now, warehouse until a later
//! opening, or refuse), and what time passing does: openings retry carried queues, closes
//! reject (or carry) what is still queued and send that currency's statements, warehoused
//! payments come out, and till-time warnings go to senders.
//!
//! Invariant: money moves in a currency only between its opening and its close on one of
//! its business days (a currency without a schedule is always open); a payment of a kind
//! is admitted for today only before that kind's cut-off.

use corridor_calendar::TransferKind;
use corridor_core::{AccountId, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::business_day::BusinessDate;
use crate::model::{PaymentInstruction, PaymentKind};
use crate::operating_days::{Boundary, CalendarAmendment, CutOff, DaySchedule, EndOfDayRule};
use crate::outbox::OutboxEvent;
use crate::payment::PaymentStatus;
use crate::rejection::Rejection;
use crate::timers::Due;
use crate::timing::{TILL_WARNING_SECONDS, TimeOfDay, WhenClosed};

/// TM01 InvalidCutOffTime: received after the agreed cut-off.
const MISSED_CUTOFF: &str = "TM01";
const INVALID_DATE: &str = "DT01";
/// How many openings, closes and timers one command may process: a node down for a year
/// catches up over several ticks rather than in one unbounded step.
const MAX_STEPS_PER_COMMAND: usize = 100_000;

/// What a payment is admitted to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Admission {
    /// Settle (or queue) now; `None` when no schedule and no date were involved.
    Now(Option<BusinessDate>),
    /// Wait until `until`, to settle on `value_date`.
    Warehouse {
        value_date: BusinessDate,
        until: Timestamp,
    },
}

/// What the sender asked for, read off its instruction.
struct Wanted {
    date: Option<BusinessDate>,
    when_closed: WhenClosed,
    /// A warehoused payment coming out: a date closed meanwhile moves it on, not refuses it.
    moving_on: bool,
    from: Option<TimeOfDay>,
    reject: Option<TimeOfDay>,
}

fn transfer_kind(kind: PaymentKind) -> TransferKind {
    match kind {
        PaymentKind::CustomerCreditTransfer => TransferKind::Customer,
        PaymentKind::FinancialInstitutionTransfer => TransferKind::Institution,
    }
}

impl Hub {
    pub(super) fn configure_operating_day(
        &mut self,
        currency: CurrencyCode,
        schedule: &DaySchedule,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.scheme_currency(currency)?;
        self.operating.configure(currency, schedule, now)?;
        Ok(Answer::Done)
    }

    pub(super) fn load_calendar(
        &mut self,
        currency: CurrencyCode,
        text: &str,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.scheme_currency(currency)?;
        let duplicate = self.operating.load(currency, text, now)?;
        Ok(Answer::CalendarLoaded { duplicate })
    }

    pub(super) fn amend_calendar(
        &mut self,
        amendment: &CalendarAmendment,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.scheme_currency(amendment.currency)?;
        self.operating.amend(amendment, now)?;
        Ok(Answer::Done)
    }

    pub(super) fn extend_cut_off(
        &mut self,
        currency: CurrencyCode,
        (date, cut_off): (BusinessDate, CutOff),
        until: &str,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.scheme_currency(currency)?;
        self.operating.extend(currency, date, cut_off, until, now)?;
        Ok(Answer::Done)
    }

    /// Refuses a liquidity transfer in `currency` outside its opening and liquidity cut-off.
    pub(super) fn check_liquidity_window(
        &self,
        currency: CurrencyCode,
        now: Timestamp,
    ) -> Result<(), Rejection> {
        if !self.operating.is_scheduled(currency) {
            return Ok(());
        }
        let today = self.operating.today(currency, now);
        match self
            .operating
            .window(currency, today, Some(TransferKind::Liquidity))
        {
            Some((opens, cutoff)) if opens <= now && now < cutoff => Ok(()),
            Some(_) => Err(Rejection::new(
                MISSED_CUTOFF,
                format!(
                    "{currency} liquidity transfers are taken between opening and the liquidity cut-off"
                ),
            )),
            None => Err(Rejection::new(
                INVALID_DATE,
                format!(
                    "{today} is not a {currency} business day ({})",
                    self.operating.why_closed(currency, today)
                ),
            )),
        }
    }

    /// When and whether `instruction` may settle in `currencies` (the route's, source
    /// first): now, warehoused until a later opening, or refused (DT01, TM01).
    pub(super) fn admit(
        &self,
        instruction: &PaymentInstruction,
        currencies: &[CurrencyCode],
        now: Timestamp,
    ) -> Result<Admission, Rejection> {
        if !self.operating.any_scheduled()
            && instruction.settlement_date.is_none()
            && instruction.settlement_time.is_none()
        {
            return Ok(Admission::Now(None));
        }
        let [from, _, reject] = match &instruction.settlement_time {
            Some(times) => times.parsed()?,
            None => [None; 3],
        };
        let default_rule = if currencies.len() > 1 {
            WhenClosed::NextBusinessDay
        } else {
            WhenClosed::Refuse
        };
        let wanted = Wanted {
            date: instruction.settlement_date,
            when_closed: instruction.when_closed.unwrap_or(default_rule),
            moving_on: false,
            from,
            reject,
        };
        self.admission(&wanted, currencies, transfer_kind(instruction.kind), now)
    }

    fn admission(
        &self,
        wanted: &Wanted,
        currencies: &[CurrencyCode],
        kind: TransferKind,
        now: Timestamp,
    ) -> Result<Admission, Rejection> {
        let Some(&first) = currencies.first() else {
            return Ok(Admission::Now(None));
        };
        let today = self.operating.today(first, now);
        let horizon = currencies
            .iter()
            .map(|c| self.operating.horizon_days(*c))
            .min()
            .unwrap_or(0);
        let last = today.plus_days(i64::from(horizon)).unwrap_or(today);
        let target = match wanted.date {
            Some(date) if date < today && !wanted.moving_on => {
                return Err(Rejection::new(
                    INVALID_DATE,
                    format!("settlement date {date} is in the past: today is {today}"),
                ));
            }
            Some(date) if date > last => {
                return Err(Rejection::new(
                    INVALID_DATE,
                    format!(
                        "settlement date {date} is beyond {last}, the last date accepted ({horizon} days ahead)"
                    ),
                ));
            }
            Some(date) => date.max(today),
            None => today,
        };
        let strict_date = wanted.date.is_some() && !wanted.moving_on;
        let mut date = target;
        while date <= last {
            match self.window_on(currencies, date, kind, wanted) {
                Ok((start, end)) if now < end && start < end => {
                    return Ok(if now >= start {
                        Admission::Now(Some(date))
                    } else {
                        Admission::Warehouse {
                            value_date: date,
                            until: start,
                        }
                    });
                }
                Ok(_) if date == target && wanted.when_closed == WhenClosed::Refuse => {
                    return Err(self.missed_cutoff(currencies, date, kind, last));
                }
                Err(closed)
                    if date == target
                        && (strict_date || wanted.when_closed == WhenClosed::Refuse) =>
                {
                    let next = self.next_common_day(currencies, date, last);
                    return Err(Rejection::new(
                        INVALID_DATE,
                        format!("{closed}; the next business day is {}", describe_next(next)),
                    ));
                }
                _ => {}
            }
            let Some(next) = date.plus_days(1) else { break };
            date = next;
        }
        Err(Rejection::new(
            INVALID_DATE,
            format!(
                "no business day common to {} from {target} to {last}",
                list(currencies)
            ),
        ))
    }

    /// The instants on `date` when every currency is open for `kind`, narrowed by the
    /// sender's from and reject times; or why a currency is closed that day.
    fn window_on(
        &self,
        currencies: &[CurrencyCode],
        date: BusinessDate,
        kind: TransferKind,
        wanted: &Wanted,
    ) -> Result<(Timestamp, Timestamp), String> {
        let (mut start, mut end) = (Timestamp::ZERO, Timestamp(u64::MAX));
        for &currency in currencies {
            let Some((opens, cutoff)) = self.operating.window(currency, date, Some(kind)) else {
                return Err(format!(
                    "{date} is not a {currency} business day ({})",
                    self.operating.why_closed(currency, date)
                ));
            };
            start = start.max(opens);
            end = end.min(cutoff);
        }
        let offset = self.operating.offset_seconds(currencies[0], date);
        if let Some(from) = wanted.from {
            start = start.max(from.on(date, offset));
        }
        if let Some(reject) = wanted.reject {
            end = end.min(reject.on(date, offset));
        }
        Ok((start, end))
    }

    fn next_common_day(
        &self,
        currencies: &[CurrencyCode],
        after: BusinessDate,
        last: BusinessDate,
    ) -> Option<BusinessDate> {
        let mut date = after.plus_days(1)?;
        while date <= last {
            if currencies
                .iter()
                .all(|c| self.operating.window(*c, date, None).is_some())
            {
                return Some(date);
            }
            date = date.plus_days(1)?;
        }
        None
    }

    fn missed_cutoff(
        &self,
        currencies: &[CurrencyCode],
        date: BusinessDate,
        kind: TransferKind,
        last: BusinessDate,
    ) -> Rejection {
        let next = self.next_common_day(currencies, date, last);
        Rejection::new(
            MISSED_CUTOFF,
            format!(
                "the {} cut-off of {} on {date} has passed (or the requested times leave no window); the next business day is {}",
                kind_name(kind),
                list(currencies),
                describe_next(next)
            ),
        )
    }

    /// The value date of a quote for `route` taken now.
    pub(super) fn quote_value_date(
        &self,
        route: &[CurrencyCode],
        now: Timestamp,
    ) -> Option<BusinessDate> {
        let wanted = Wanted {
            date: None,
            when_closed: WhenClosed::NextBusinessDay,
            moving_on: false,
            from: None,
            reject: None,
        };
        match self
            .admission(&wanted, route, TransferKind::Customer, now)
            .ok()?
        {
            Admission::Now(date) => date,
            Admission::Warehouse { value_date, .. } => Some(value_date),
        }
    }

    /// When payment `id` is rejected if still unsettled: its sender's reject time.
    pub(super) fn reject_time(&self, id: u64) -> Option<Timestamp> {
        let p = self.payments.get(id)?;
        let reject = p
            .instruction
            .settlement_time
            .as_ref()?
            .reject_time
            .as_deref()?;
        let time = TimeOfDay::parse("reject_time", reject).ok()?;
        let currency = p.currency();
        let date = p
            .value_date
            .unwrap_or_else(|| self.operating.today(currency, p.received_at));
        Some(time.on(date, self.operating.offset_seconds(currency, date)))
    }

    /// Puts payment `id` in the warehouse until `until`.
    pub(super) fn warehouse(
        &mut self,
        id: u64,
        value_date: BusinessDate,
        until: Timestamp,
        now: Timestamp,
    ) {
        let reason = Rejection::new(
            "NARR",
            format!("warehoused: settles on {value_date}, not before {until}"),
        );
        self.payments
            .warehouse(id, (value_date, until), reason, now);
        self.timers.insert(until, Due::Release, id);
        self.notify_sender(id, now);
    }

    /// Sets payment `id`'s till-time warning, if its sender asked for a till time.
    pub(super) fn arm_till_warning(
        &mut self,
        id: u64,
        instruction: &PaymentInstruction,
        value_date: Option<BusinessDate>,
        now: Timestamp,
    ) {
        let Some(till) = instruction
            .settlement_time
            .as_ref()
            .and_then(|t| t.till_time.as_deref())
            .and_then(|t| TimeOfDay::parse("till_time", t).ok())
        else {
            return;
        };
        let currency = instruction.currency;
        let date = value_date.unwrap_or_else(|| self.operating.today(currency, now));
        let at = till.on(date, self.operating.offset_seconds(currency, date));
        let warn_at =
            Timestamp(at.0.saturating_sub(u64::from(TILL_WARNING_SECONDS) * 1_000_000_000))
                .max(now);
        self.payments.set_till_warning(id, Some(warn_at));
        self.timers.insert(warn_at, Due::TillWarning, id);
    }

    /// Takes payment `id`'s timers out (it settled, or reached another final status).
    pub(super) fn disarm(&mut self, id: u64) {
        if self.timers.is_empty() {
            return;
        }
        if let Some(at) = self.payments.take_warehoused(id) {
            self.timers.remove(at, Due::Release, id);
        }
        if let Some(at) = self.payments.get(id).and_then(|p| p.till_warning_at) {
            self.timers.remove(at, Due::TillWarning, id);
            self.payments.set_till_warning(id, None);
        }
    }

    /// Whether money may move in `currency` now.
    pub(super) fn currency_open(&self, currency: CurrencyCode, now: Timestamp) -> bool {
        !self.operating.any_scheduled() || self.operating.is_open(currency, now)
    }

    /// Processes every opening, close and payment timer due by `now`, oldest first.
    pub(super) fn advance(&mut self, now: Timestamp) {
        if self.timers.is_empty() && !self.operating.any_scheduled() {
            return;
        }
        for _ in 0..MAX_STEPS_PER_COMMAND {
            let boundary = self.operating.due(now);
            let timer = self.timers.next().filter(|at| *at <= now);
            // Queue deadlines interleave in time order: a payment that timed out before a
            // close is rejected for its timeout, not by the close.
            let deadline = self.queues.next_deadline().filter(|at| *at <= now);
            let first = [boundary.map(|(_, b)| b.at), timer, deadline]
                .into_iter()
                .flatten()
                .min();
            let Some(first) = first else { return };
            if deadline == Some(first) {
                self.expire_queued(first);
                continue;
            }
            match boundary {
                Some((currency, b)) if b.at == first => {
                    self.operating.processed(currency, b);
                    self.on_boundary(currency, b);
                }
                _ => {
                    let Some((at, due, id)) = self.timers.pop_due(now) else {
                        return;
                    };
                    self.on_timer(at, due, id);
                }
            }
        }
    }

    fn on_boundary(&mut self, currency: CurrencyCode, boundary: Boundary) {
        let payers = self.payers_in(currency);
        if !boundary.closes {
            self.drain(payers, boundary.at);
            return;
        }
        if self.operating.end_of_day_rule(currency) == EndOfDayRule::RejectQueued {
            let reason = Rejection::new(
                "AM04",
                format!(
                    "insufficient liquidity: still queued at the {currency} end of day {}",
                    boundary.date
                ),
            );
            for id in self.queued_in(&payers) {
                self.finish(
                    id,
                    PaymentStatus::Rejected,
                    Some(reason.clone()),
                    boundary.at,
                );
            }
        }
        self.close_currency_day(currency, boundary.date, boundary.at);
    }

    fn on_timer(&mut self, at: Timestamp, due: Due, id: u64) {
        match due {
            Due::Release => self.release_warehoused(id, at),
            Due::TillWarning => {
                self.payments.set_till_warning(id, None);
                let Some(p) = self.payments.get(id).filter(|p| !p.status.is_final()) else {
                    return;
                };
                let (sender, uetr) = (p.sender, p.instruction.uetr);
                let till =
                    Timestamp(at.0.saturating_add(u64::from(TILL_WARNING_SECONDS) * 1_000_000_000));
                self.outboxes.push(
                    sender,
                    at,
                    OutboxEvent::SettlementTimeWarning {
                        payment: id,
                        uetr,
                        till,
                    },
                );
            }
        }
    }

    /// A warehoused payment's time came: admitted again (a day closed meanwhile moves it
    /// to the next business day), then settled, queued, or warehoused anew.
    fn release_warehoused(&mut self, id: u64, at: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        if p.status != PaymentStatus::Warehoused {
            return;
        }
        let instruction = p.instruction.clone();
        let value_date = p.value_date;
        let currencies = match &p.fx {
            Some(fx) => fx.quote.route(),
            None => vec![p.currency()],
        };
        let [from, _, reject] = instruction
            .settlement_time
            .as_ref()
            .and_then(|t| t.parsed().ok())
            .unwrap_or([None; 3]);
        self.payments.take_warehoused(id);
        let wanted = Wanted {
            date: value_date,
            when_closed: WhenClosed::NextBusinessDay,
            moving_on: true,
            from,
            reject,
        };
        match self.admission(&wanted, &currencies, transfer_kind(instruction.kind), at) {
            Ok(Admission::Warehouse { value_date, until }) if until > at => {
                self.warehouse(id, value_date, until, at);
            }
            Ok(admitted) => {
                let date = match admitted {
                    Admission::Now(date) => date,
                    Admission::Warehouse { value_date, .. } => Some(value_date),
                };
                self.payments.set_value_date(id, date.or(value_date));
                self.proceed(id, at);
            }
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), at),
        }
    }

    /// Every settlement account in `currency` that has a queue.
    pub(super) fn payers_in(&self, currency: CurrencyCode) -> Vec<AccountId> {
        self.queues
            .payers()
            .into_iter()
            .filter(|a| {
                self.registry
                    .account(*a)
                    .is_some_and(|i| i.currency == currency)
            })
            .collect()
    }
}

fn kind_name(kind: TransferKind) -> &'static str {
    match kind {
        TransferKind::Customer => "customer payment",
        TransferKind::Institution => "institution transfer",
        TransferKind::Liquidity => "liquidity transfer",
    }
}

fn list(currencies: &[CurrencyCode]) -> String {
    currencies
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" and ")
}

fn describe_next(next: Option<BusinessDate>) -> String {
    next.map_or_else(
        || "beyond the loaded calendars".to_string(),
        |d| d.to_string(),
    )
}
