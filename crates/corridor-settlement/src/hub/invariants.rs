//! The hub's own invariants on top of the ledger's, checked after recovery and by tests:
//! payments agree with the ledger, the queues and the holds, every cross-currency payment
//! has all its legs or none, recalls agree with their payments, and exactly the warehoused
//! payments have an instant to come out.

use corridor_ledger::TransferState;

use super::Hub;
use crate::compliance::HoldState;
use crate::net_settlement::WindowState;
use crate::payment::PaymentStatus;

impl Hub {
    /// Every settled payment has exactly one ledger transfer, every queued one is queued,
    /// and every held one has an open hold.
    pub fn check_invariants(&self) -> Result<(), String> {
        let ledger = self.books.ledger();
        ledger.check_invariants().map_err(|e| e.to_string())?;
        self.check_pvp()?;
        if !self.queues_consistent() {
            return Err("queued payments and queues disagree".into());
        }
        for p in self.payments.all() {
            let settled = matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned);
            // A payment settled in a net window whose positions offset to nothing has no
            // transfer of its own.
            let transfer_fits = if settled {
                p.transfer.is_some() || p.net_window.is_some()
            } else {
                p.transfer.is_none()
            };
            if !transfer_fits {
                return Err(format!(
                    "payment {} is {:?} with transfer {:?}",
                    p.id, p.status, p.transfer
                ));
            }
            if let Some(t) = p.transfer
                && ledger.transfer_state(t).is_none()
            {
                return Err(format!(
                    "payment {}'s transfer {t} is not in the ledger",
                    p.id
                ));
            }
            let warehoused = p.status == PaymentStatus::Warehoused;
            if warehoused != p.warehoused_until.is_some() {
                return Err(format!(
                    "payment {} is {:?} with warehouse instant {:?}",
                    p.id, p.status, p.warehoused_until
                ));
            }
            if p.status.is_final() && p.till_warning_at.is_some() {
                return Err(format!(
                    "payment {} is {:?} with a till-time warning still set",
                    p.id, p.status
                ));
            }
            let held = p.status == PaymentStatus::Held;
            let hold = self.compliance.hold(p.id);
            let open_hold = hold.is_some_and(|h| h.state == HoldState::Open);
            if held != open_hold {
                return Err(format!(
                    "payment {} is {:?} but its hold is {:?}",
                    p.id,
                    p.status,
                    hold.map(|h| h.state)
                ));
            }
        }
        self.check_net_windows()?;
        self.recalls.check(|id| self.payments.get(id))?;
        self.compliance.check_invariants()
    }

    /// Net windows: positions balance, and a payment waiting for its window is in it, and
    /// the window has not settled.
    fn check_net_windows(&self) -> Result<(), String> {
        if !self.net.consistent() {
            return Err("net windows: unbalanced positions or inconsistent states".into());
        }
        for p in self.payments.all() {
            if p.status != PaymentStatus::Netting {
                continue;
            }
            let waiting = p
                .net_window
                .and_then(|w| self.net.window(w))
                .is_some_and(|w| {
                    matches!(
                        w.state,
                        WindowState::Open | WindowState::Closed | WindowState::Settling
                    ) && w.payments.contains(&p.id)
                });
            if !waiting {
                return Err(format!(
                    "payment {} is netting outside an unsettled window ({:?})",
                    p.id, p.net_window
                ));
            }
        }
        Ok(())
    }

    /// The PvP invariant: a cross-currency payment has all its legs posted (settled or
    /// returned) or none recorded, and every recorded leg is posted in the ledger.
    fn check_pvp(&self) -> Result<(), String> {
        let ledger = self.books.ledger();
        if ledger.pending_count() != 0 {
            return Err(format!(
                "{} reservations are left pending",
                ledger.pending_count()
            ));
        }
        for p in self.payments.all() {
            let Some(fx) = &p.fx else { continue };
            let settled = matches!(p.status, PaymentStatus::Settled | PaymentStatus::Returned);
            let all_legs = fx.quote.priced.hops.len() + 1;
            let expected = if settled { all_legs } else { 0 };
            if fx.legs.len() != expected {
                return Err(format!(
                    "payment {} is {:?} with {} of {all_legs} legs",
                    p.id,
                    p.status,
                    fx.legs.len(),
                ));
            }
            for leg in &fx.legs {
                // A leg settled alone posted its reservation; one settled in a group was
                // posted directly.
                let reserved = leg.reserved.map(|id| ledger.transfer_state(id));
                let posted = ledger.transfer_state(leg.posted);
                let whole = match reserved {
                    Some(reserved) => {
                        reserved == Some(TransferState::PendingPosted)
                            && posted == Some(TransferState::PostsPending)
                    }
                    None => posted == Some(TransferState::Posted),
                };
                if !whole {
                    return Err(format!(
                        "payment {}'s {} leg is {reserved:?}/{posted:?}",
                        p.id, leg.currency
                    ));
                }
            }
        }
        Ok(())
    }
}
