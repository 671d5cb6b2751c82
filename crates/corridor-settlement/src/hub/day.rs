//! The end of a business day: the operator closes a date, and every account's owner gets a
//! statement notice (camt.053) for the period from the previous close to the closing
//! instant; the statement itself is built from the account's entries when the outbox is read.
//! Each statement carries the audit chain's head at the close, so every participant holds it.

use corridor_core::Timestamp;

use super::{Answer, Hub, HubOutcome};
use crate::business_day::{BusinessDate, ClosedDay, Closing};
use crate::outbox::OutboxEvent;

impl Hub {
    /// Closes `date` at `at`. Closing the last closed date again answers that close with
    /// `duplicate`; an earlier date, or an instant before the previous close, is DT01.
    pub(super) fn close_business_day(
        &mut self,
        date: &str,
        at: Timestamp,
        now: Timestamp,
    ) -> HubOutcome {
        let date: BusinessDate = date.parse()?;
        let (from, to) = match self.days.closing(date, at, now)? {
            Closing::Again(day) => {
                return Ok(Answer::BusinessDay {
                    day,
                    duplicate: true,
                });
            }
            Closing::Period { from, to } => (from, to),
        };
        let audit_head = self.audit.head();
        let mut statements = 0;
        for account in self.registry.account_map().values() {
            let event = OutboxEvent::Statement {
                account: account.id,
                from,
                to,
                audit_head,
            };
            self.outboxes.push(account.owner, now, event);
            statements += 1;
        }
        let day = ClosedDay {
            date,
            from,
            to,
            statements,
            audit_head,
        };
        self.days.record(day.clone());
        Ok(Answer::BusinessDay {
            day,
            duplicate: false,
        })
    }
}
