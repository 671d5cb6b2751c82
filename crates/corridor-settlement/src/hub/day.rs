//! The end of a business day: each currency with an operating schedule closes at its own
//! end of day, and the operator can still close a date for every currency not yet closed
//! (the override). Every account's owner gets a statement notice (camt.053) for the period
//! from its currency's previous close to the closing instant; the statement itself is built
//! from the account's entries when the outbox is read. Each statement carries the audit
//! chain's head at the close, so every participant holds it. At the close the currency's
//! open net window closes, and its limit positions and liquidity figures start again.

use std::collections::BTreeMap;

use corridor_core::{CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::business_day::{BusinessDate, ClosedDay, Closing};
use crate::outbox::OutboxEvent;

impl Hub {
    /// The operator closes `date` at `at`. Closing the last closed date again answers that
    /// close with `duplicate`; an earlier date, or an instant before the previous close,
    /// is DT01.
    pub(super) fn close_business_day(
        &mut self,
        date: &str,
        at: Timestamp,
        now: Timestamp,
    ) -> HubOutcome {
        let date: BusinessDate = date.parse()?;
        let to = match self.days.closing(date, at, now)? {
            Closing::Again(day) => {
                return Ok(Answer::BusinessDay {
                    day,
                    duplicate: true,
                });
            }
            Closing::Until(to) => to,
        };
        let (from, statements) = self.send_statements(None, date, to);
        self.reset_positions(None);
        let currencies: Vec<CurrencyCode> = self.registry.currency_map().keys().copied().collect();
        for currency in currencies {
            self.lsm.new_day(currency);
            self.close_net_window(currency, now);
        }
        let day = ClosedDay {
            date,
            from,
            to,
            statements,
            audit_head: self.audit.head(),
            currency: None,
        };
        self.days.record(day.clone());
        Ok(Answer::BusinessDay {
            day,
            duplicate: false,
        })
    }

    /// `currency` reached its end of day `date` at `at`: statements of its accounts, unless
    /// the operator already closed the date for it.
    pub(super) fn close_currency_day(
        &mut self,
        currency: CurrencyCode,
        date: BusinessDate,
        at: Timestamp,
    ) {
        if self.days.period_start(currency, date).is_none() {
            return;
        }
        let (from, statements) = self.send_statements(Some(currency), date, at);
        self.reset_positions(Some(currency));
        self.lsm.new_day(currency);
        self.close_net_window(currency, at);
        self.days.record(ClosedDay {
            date,
            from,
            to: at,
            statements,
            audit_head: self.audit.head(),
            currency: Some(currency),
        });
    }

    /// A statement notice up to `to` for every account (in `only`, if given) whose currency
    /// has not closed `date` yet, each from its currency's previous close. The earliest
    /// start, and how many were sent.
    fn send_statements(
        &mut self,
        only: Option<CurrencyCode>,
        date: BusinessDate,
        to: Timestamp,
    ) -> (Timestamp, u64) {
        let audit_head = self.audit.head();
        let starts: BTreeMap<CurrencyCode, Timestamp> = self
            .registry
            .currency_map()
            .keys()
            .filter(|c| only.is_none_or(|o| o == **c))
            .filter_map(|c| Some((*c, self.days.period_start(*c, date)?.min(to))))
            .collect();
        let mut statements = 0;
        for account in self.registry.account_map().values() {
            let Some(from) = starts.get(&account.currency).copied() else {
                continue;
            };
            let event = OutboxEvent::Statement {
                account: account.id,
                from,
                to,
                audit_head,
            };
            self.outboxes.push(account.owner, to, event);
            statements += 1;
        }
        (starts.values().copied().min().unwrap_or(to), statements)
    }
}
