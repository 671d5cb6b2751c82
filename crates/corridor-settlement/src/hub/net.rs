//! Deferred net settlement at work: the operator sets a currency's net settlement, payments
//! that qualify join the open window instead of the RTGS, a window closes at its currency's
//! end of day, after its set length (`window_seconds`, several cycles a day) or when the
//! operator closes it, and a closed window settles as one group on
//! the RTGS settlement accounts (each net debtor pays net creditors; all or nothing). A net
//! debtor that cannot pay: the window waits for liquidity until its default time, then the
//! default procedure takes out every payment to or from that participant, recomputes the
//! positions from what is left (taking out whoever can no longer cover in turn) and settles
//! the rest.

use std::collections::BTreeMap;

use corridor_core::{Bic, Currency, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::books::GroupTransfer;
use crate::command::{LiquidityDirection, NetWindowAction};
use crate::liquidity_saving::SettledBy;
use crate::model::signed;
use crate::net_settlement::{NetSettlementConfig, NetSettlementRequest, WindowState};
use crate::outbox::OutboxEvent;
use crate::payment::{PaymentStatus, parse_bound, parse_reason};
use crate::rejection::Rejection;

impl Hub {
    pub(super) fn configure_net_settlement(
        &mut self,
        currency: CurrencyCode,
        request: &NetSettlementRequest,
        now: Timestamp,
    ) -> HubOutcome {
        let scale = self.registry.scheme_currency(currency)?;
        let config = self.net_config_from(request, scale)?;
        self.net.configure(currency, config, now);
        Ok(Answer::Done)
    }

    fn net_config_from(
        &self,
        request: &NetSettlementRequest,
        scale: Currency,
    ) -> Result<NetSettlementConfig, Rejection> {
        let amount = |what: String, text: &str| parse_bound(&what, text, scale);
        let up_to_amount = request
            .up_to_amount
            .as_deref()
            .map(|t| amount("up_to_amount".into(), t))
            .transpose()?;
        let mut net_debit_caps = BTreeMap::new();
        for cap in &request.net_debit_caps {
            if self.registry.participant(cap.participant).is_none() {
                return Err(Rejection::not_found(format!(
                    "net debit cap for {}, which is no participant",
                    cap.participant
                )));
            }
            let value = amount(format!("net debit cap of {}", cap.participant), &cap.cap)?;
            if net_debit_caps.insert(cap.participant, value).is_some() {
                return Err(Rejection::format(format!(
                    "two net debit caps for {}",
                    cap.participant
                )));
            }
        }
        if request.window_seconds == Some(0) {
            return Err(Rejection::format(
                "window_seconds must be at least 1 (absent: windows close at the end of day)",
            ));
        }
        Ok(NetSettlementConfig {
            up_to_amount,
            default_after_seconds: request.default_after_seconds,
            window_seconds: request.window_seconds,
            net_debit_caps,
        })
    }

    /// Payment `id` joins its currency's open net window if it settles net (accepted
    /// against its sender's net debit cap, or rejected). Whether it was a net payment.
    pub(super) fn settle_net(&mut self, id: u64, now: Timestamp) -> bool {
        let Some(p) = self.payments.get(id) else {
            return false;
        };
        let currency = p.currency();
        let plain = p.fx.is_none() && p.return_of.is_none();
        if !plain
            || !self
                .net
                .qualifies(currency, p.amount, p.instruction.priority)
        {
            return false;
        }
        let parties = (p.sender, p.receiver());
        match self.net.accept(currency, parties, id, p.amount) {
            Ok(window) => {
                self.payments.net(id, window, now);
                self.notify_sender(id, now);
            }
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
        true
    }

    /// The operator closes `currency`'s open window, or aborts a closed one.
    pub(super) fn net_window_action(
        &mut self,
        currency: CurrencyCode,
        action: &NetWindowAction,
        now: Timestamp,
    ) -> HubOutcome {
        if self.net.config(currency).is_none() {
            return Err(Rejection::not_found(format!(
                "{currency} has no net settlement"
            )));
        }
        match action {
            NetWindowAction::Close => {
                self.net.close(currency, now);
            }
            NetWindowAction::Abort { window, reason } => {
                let reason = parse_reason(reason)?;
                let pending = self.net.window(*window).filter(|w| {
                    w.currency == currency
                        && matches!(w.state, WindowState::Closed | WindowState::Settling)
                });
                let Some(w) = pending else {
                    return Err(Rejection::new(
                        "NARR",
                        format!("net window {window} of {currency} is not closed and unsettled"),
                    ));
                };
                for id in w.payments.clone() {
                    self.finish(id, PaymentStatus::Rejected, Some(reason.clone()), now);
                }
                self.net.aborted(*window, reason);
            }
        }
        Ok(Answer::Done)
    }

    /// `currency`'s business day ended: its open net window closes.
    pub(super) fn close_net_window(&mut self, currency: CurrencyCode, now: Timestamp) {
        if self.net.config(currency).is_some() {
            self.net.close(currency, now);
        }
    }

    /// Closes the windows due to close, then tries every closed window, oldest first.
    pub(super) fn settle_windows(&mut self, now: Timestamp) {
        for currency in self.net.due_to_close(now) {
            self.net.close(currency, now);
        }
        for id in self.net.pending() {
            self.settle_window(id, now);
        }
    }

    fn settle_window(&mut self, id: u64, now: Timestamp) {
        if self.post_window(id, now) {
            return;
        }
        let due = self
            .net
            .window(id)
            .and_then(|w| w.default_at)
            .is_some_and(|at| at <= now);
        if !due {
            self.net.waiting(id);
            return;
        }
        self.run_default_procedure(id, now);
        if !self.post_window(id, now) {
            // Every participant left covers its net debit, so the batch fits; if the ledger
            // still refuses, nothing settles and the operator is told why.
            debug_assert!(false, "net window {id} does not settle after its default");
            let payments = self
                .net
                .window(id)
                .map(|w| w.payments.clone())
                .unwrap_or_default();
            let reason = Rejection::new("NARR", format!("net window {id} could not settle"));
            for p in payments {
                self.finish(p, PaymentStatus::Rejected, Some(reason.clone()), now);
            }
            self.net.aborted(id, reason);
        }
    }

    /// Posts window `id`'s batch; on success every payment in it settles. Whether it did.
    fn post_window(&mut self, id: u64, now: Timestamp) -> bool {
        let Some(w) = self.net.window(id) else {
            return false;
        };
        let currency = w.currency;
        let Some(transfers) = self.net_transfers(id, currency, &w.positions) else {
            return false;
        };
        let payments = w.payments.clone();
        let Ok(posted) = self.books.post_group(&transfers, now) else {
            return false;
        };
        for t in &transfers {
            self.lsm.moved(currency, t.accounts(), t.amount());
        }
        let at = posted.last().map_or(now, |(_, at)| *at);
        let first = posted.first().map(|(t, _)| *t);
        self.announce_net_positions(id, currency, at);
        for pid in payments {
            self.settled(pid, first, at);
            if let Some(p) = self.payments.get(pid) {
                let (sender, amount) = (p.sender, p.amount);
                self.lsm.count(currency, sender, SettledBy::Net, amount);
            }
        }
        self.net
            .settled(id, posted.into_iter().map(|(t, _)| t).collect(), at);
        true
    }

    /// Tells each participant of window `id` with a net position what was posted to its
    /// settlement account.
    fn announce_net_positions(&mut self, id: u64, currency: CurrencyCode, at: Timestamp) {
        let Some(positions) = self.net.window(id).map(|w| w.positions.clone()) else {
            return;
        };
        for (participant, net) in positions.into_iter().filter(|(_, net)| *net != 0) {
            let Some(account) = self.registry.settlement_account(participant, currency) else {
                continue;
            };
            let direction = if net > 0 {
                LiquidityDirection::Fund
            } else {
                LiquidityDirection::Defund
            };
            let event = OutboxEvent::NetSettlement {
                window: id,
                account,
                currency,
                direction,
                amount: net.unsigned_abs(),
            };
            self.outboxes.push(participant, at, event);
        }
    }

    /// The batch: net debtors pay net creditors, both in order of BIC, each transfer as
    /// much as the current pair still owes and is owed. `None` if a participant has no
    /// settlement account in the currency.
    fn net_transfers(
        &self,
        window: u64,
        currency: CurrencyCode,
        positions: &BTreeMap<Bic, i128>,
    ) -> Option<Vec<GroupTransfer>> {
        let account = |bic: Bic| self.registry.settlement_account(bic, currency);
        let mut debtors: Vec<(Bic, u128)> = Vec::new();
        let mut creditors: Vec<(Bic, u128)> = Vec::new();
        for (&bic, &p) in positions {
            if p < 0 {
                debtors.push((bic, p.unsigned_abs()));
            } else if p > 0 {
                creditors.push((bic, p.unsigned_abs()));
            }
        }
        let mut transfers = Vec::with_capacity(debtors.len() + creditors.len());
        let (mut d, mut c) = (0, 0);
        while d < debtors.len() && c < creditors.len() {
            let amount = debtors[d].1.min(creditors[c].1);
            transfers.push(GroupTransfer::net(
                window,
                (account(debtors[d].0)?, account(creditors[c].0)?),
                (currency, amount),
            ));
            debtors[d].1 -= amount;
            creditors[c].1 -= amount;
            if debtors[d].1 == 0 {
                d += 1;
            }
            if creditors[c].1 == 0 {
                c += 1;
            }
        }
        debug_assert!(
            d == debtors.len() && c == creditors.len(),
            "positions balance"
        );
        Some(transfers)
    }

    /// Takes out of window `id`, in turn, each participant that cannot cover its net debit,
    /// with every payment to or from it (rejected, AM04), until everyone left can.
    fn run_default_procedure(&mut self, id: u64, now: Timestamp) {
        loop {
            let Some(w) = self.net.window(id) else {
                return;
            };
            let currency = w.currency;
            let uncovered = w.positions.iter().find(|&(&bic, &p)| {
                let available = self
                    .registry
                    .settlement_account(bic, currency)
                    .map_or(0, |a| self.books.available(a));
                p < 0 && p.unsigned_abs() > available
            });
            let Some((&defaulter, _)) = uncovered else {
                return;
            };
            let payments = w.payments.clone();
            let reason = Rejection::new(
                "AM04",
                format!("taken out of net window {id}: {defaulter} could not cover its net debit"),
            );
            let (mut kept, mut positions, mut value) = (Vec::new(), BTreeMap::new(), 0u128);
            for pid in payments {
                let Some(p) = self.payments.get(pid) else {
                    continue;
                };
                let (sender, receiver, amount) = (p.sender, p.receiver(), p.amount);
                if sender == defaulter || receiver == defaulter {
                    self.finish(pid, PaymentStatus::Rejected, Some(reason.clone()), now);
                    continue;
                }
                *positions.entry(sender).or_insert(0i128) -= signed(amount);
                *positions.entry(receiver).or_insert(0i128) += signed(amount);
                value = value.saturating_add(amount);
                kept.push(pid);
            }
            self.net.take_out(id, defaulter, kept, positions, value);
        }
    }
}
