//! Payments through the RTGS: a batch is checked and each instruction screened, settled at
//! once as one ledger transfer, or queued behind the payer's earlier payments (no
//! overtaking); queues are retried whenever a payer's liquidity grows, and a payment still
//! queued at its deadline is rejected.

use corridor_core::{AccountId, Bic, Timestamp, TransferId, Uetr};
use corridor_ledger::ResultCode;

use super::operating::Admission;
use super::{Answer, Hub, HubOutcome, MAX_BATCH};
use crate::books::{CODE_PAYMENT, CODE_RETURN};
use crate::compliance::{Compliance, Screening};
use crate::liquidity_controls::Flow;
use crate::liquidity_saving::SettledBy;
use crate::model::PaymentInstruction;
use crate::outbox::OutboxEvent;
use crate::payment::{PaymentReceipt, PaymentStatus, parse_amount};
use crate::rejection::{Rejection, ledger_rejection};
use crate::rtgs::QueueKey;

pub(super) enum Attempt {
    Settled,
    NoLiquidity,
    Failed(Rejection),
}

impl Hub {
    pub(super) fn submit_payments(
        &mut self,
        sender: Bic,
        payments: &[PaymentInstruction],
        screening: &[Screening],
        now: Timestamp,
    ) -> HubOutcome {
        if payments.is_empty() || payments.len() > MAX_BATCH {
            return Err(Rejection::format(format!(
                "a batch holds 1 to {MAX_BATCH} payments, not {}",
                payments.len()
            )));
        }
        self.registry.check_sender(sender)?;
        let receipts = payments
            .iter()
            .enumerate()
            .map(|(i, instruction)| {
                self.submit_one(sender, instruction, Some(screening.get(i)), None, now)
            })
            .collect();
        Ok(Answer::Payments(receipts))
    }

    /// `screening` is `None` for a return, which goes back to parties already screened, and
    /// `Some(None)` for a payment the gateway did not screen.
    pub(super) fn submit_one(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        screening: Option<Option<&Screening>>,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        if let Some(id) = self
            .payments
            .by_instruction(sender, &instruction.instruction_id)
        {
            return self.duplicate(id, instruction);
        }
        instruction.check()?;
        if let Some(other) = self.payments.uetr_owner(instruction.uetr) {
            return Err(self.uetr_taken(sender, instruction.uetr, other));
        }
        let check = screening.map(|s| self.compliance.screening_check(sender, s));
        let receipt = match check.as_ref().and_then(|c| c.hold().map(str::to_owned)) {
            Some(why) => self.hold(sender, instruction, screening.flatten(), why, now),
            None => self.settle_new(sender, instruction, return_of, now),
        }?;
        if let Some(check) = check {
            Compliance::log_suppressed(
                &mut self.audit,
                receipt.payment,
                check.into_suppressed(),
                now,
            );
        }
        Ok(receipt)
    }

    fn settle_new(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        if let Some(quote) = instruction.quote {
            return self.submit_fx(sender, instruction, quote, now);
        }
        let (payer, payee, amount) = self.route(sender, instruction)?;
        let admission = self.admit(instruction, &[instruction.currency], now)?;
        let id = self
            .payments
            .add(sender, instruction, amount, return_of, now);
        self.admitted(id, instruction, admission, now, |hub| {
            hub.settle_or_queue(id, payer, payee, now)
        });
        Ok(self.payments.receipt(id, false))
    }

    /// Carries out `admission` for the new payment `id`: `go` settles it now, or it waits in
    /// the warehouse; either way its till-time warning is armed.
    pub(super) fn admitted(
        &mut self,
        id: u64,
        instruction: &PaymentInstruction,
        admission: Admission,
        now: Timestamp,
        go: impl FnOnce(&mut Hub),
    ) {
        match admission {
            Admission::Now(date) => {
                self.payments.set_value_date(id, date);
                self.arm_till_warning(id, instruction, date, now);
                go(self);
            }
            Admission::Warehouse { value_date, until } => {
                self.arm_till_warning(id, instruction, Some(value_date), now);
                self.warehouse(id, value_date, until, now);
            }
        }
    }

    /// A UETR is unique scheme-wide, so the refusal must not tell one bank anything about
    /// another's payments: only the sender's own payment is named.
    fn uetr_taken(&self, sender: Bic, uetr: Uetr, other: u64) -> Rejection {
        let own = self.payments.get(other).is_some_and(|p| p.sender == sender);
        let message = if own {
            format!("UETR {uetr} is already used by your payment {other}")
        } else {
            format!("UETR {uetr} is already in use: each payment needs a new one")
        };
        Rejection::new("DUPL", message)
    }

    fn duplicate(
        &self,
        id: u64,
        instruction: &PaymentInstruction,
    ) -> Result<PaymentReceipt, Rejection> {
        let Some(existing) = self.payments.get(id) else {
            return Err(Rejection::not_found(format!("payment {id} is missing")));
        };
        if existing.instruction != *instruction {
            return Err(Rejection::new(
                "DUPL",
                format!(
                    "instruction id {} was already used for a different payment ({id})",
                    instruction.instruction_id
                ),
            ));
        }
        Ok(self.payments.receipt(id, true))
    }

    /// The payer's and payee's settlement accounts and the amount in minor units.
    pub(super) fn route(
        &self,
        sender: Bic,
        instruction: &PaymentInstruction,
    ) -> Result<(AccountId, AccountId, u128), Rejection> {
        let code = instruction.currency;
        let amount = parse_amount(&instruction.amount, self.registry.scheme_currency(code)?)?;
        let payee = self
            .registry
            .check_receiver(sender, instruction.instructed_agent, code)?;
        Ok((self.registry.sender_account(sender, code)?, payee, amount))
    }

    /// Settles payment `id` now, or queues it behind the payer's earlier payments.
    pub(super) fn settle_or_queue(
        &mut self,
        id: u64,
        payer: AccountId,
        payee: AccountId,
        now: Timestamp,
    ) {
        let Some(priority) = self.payments.get(id).map(|p| p.instruction.priority) else {
            return;
        };
        if self.settle_net(id, now) {
            return;
        }
        if self.queues.blocks(payer, priority) {
            self.enqueue(id, payer, now);
            // What blocks it may be only payments to suspended receivers, which are passed
            // over: let the queue decide.
            self.drain(vec![payer], now);
            return;
        }
        match self.attempt(id, payer, payee, now) {
            Attempt::Settled => self.drain(vec![payee], now),
            Attempt::NoLiquidity if self.offset_on_entry(id, payer, payee, now) => {}
            Attempt::NoLiquidity => self.enqueue(id, payer, now),
            Attempt::Failed(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }

    /// Tries to settle payment `id` now.
    fn attempt(&mut self, id: u64, payer: AccountId, payee: AccountId, now: Timestamp) -> Attempt {
        let Some(p) = self.payments.get(id) else {
            return Attempt::Failed(Rejection::not_found(format!("payment {id} is missing")));
        };
        let (currency, amount) = (p.currency(), p.amount);
        let code = if p.return_of.is_some() {
            CODE_RETURN
        } else {
            CODE_PAYMENT
        };
        let flow = Flow {
            payer,
            sender: p.sender,
            payee,
            receiver: p.receiver(),
            amount,
            priority: p.instruction.priority,
        };
        if self.controls_allow(&[flow]).is_err() {
            return Attempt::NoLiquidity;
        }
        match self
            .books
            .post(payer, payee, currency, amount, code, Some(id), now)
        {
            Ok((transfer, at)) => {
                self.record_flows(&[flow]);
                self.lsm.moved(currency, (payer, payee), amount);
                self.settled(id, Some(transfer), at);
                if let Some(p) = self.payments.get(id) {
                    let sender = p.sender;
                    self.lsm.count(currency, sender, SettledBy::Gross, amount);
                }
                Attempt::Settled
            }
            Err(ResultCode::ExceedsCredits) => Attempt::NoLiquidity,
            Err(code) => Attempt::Failed(ledger_rejection(code)),
        }
    }

    /// Payment `id` settled: both sides are told, AML sees it, and a return counts against
    /// its original.
    pub(super) fn settled(&mut self, id: u64, transfer: Option<TransferId>, at: Timestamp) {
        self.disarm(id);
        self.payments.settle(id, transfer, at);
        let Some(p) = self.payments.get(id) else {
            return;
        };
        let (receiver, uetr, return_of, amount) =
            (p.receiver(), p.instruction.uetr, p.return_of, p.amount);
        self.notify_sender(id, at);
        self.outboxes.push(
            receiver,
            at,
            OutboxEvent::IncomingPayment { payment: id, uetr },
        );
        if let Some(p) = self.payments.get(id) {
            self.monitoring.observe(p, at, &mut self.audit);
        }
        if let Some(original) = return_of
            && self.payments.add_returned(original, amount, id, at)
        {
            self.notify_sender(original, at);
        }
    }

    /// Tells the sender of payment `id` its status (pacs.002).
    pub(super) fn notify_sender(&mut self, id: u64, at: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        let event = OutboxEvent::PaymentStatus {
            payment: id,
            instruction_id: p.instruction.instruction_id.clone(),
            uetr: p.instruction.uetr,
            status: p.status,
            reason: p.last_reason(),
        };
        self.outboxes.push(p.sender, at, event);
    }

    pub(super) fn enqueue(&mut self, id: u64, payer: AccountId, now: Timestamp) {
        let timeout = now.plus_seconds(self.config.queue_timeout_seconds);
        let quote_expiry = self
            .payments
            .get(id)
            .and_then(|p| p.fx.as_ref())
            .map(|fx| fx.quote.expires_at);
        let deadline = [self.reject_time(id), quote_expiry]
            .into_iter()
            .flatten()
            .fold(timeout, Timestamp::min)
            .max(now);
        self.payments.queue(id, deadline, now);
        let Some(priority) = self.payments.get(id).map(|p| p.instruction.priority) else {
            return;
        };
        self.queues
            .insert(Some(payer), QueueKey::new(priority, id), deadline);
        if let Some(p) = self.payments.get(id) {
            let currency = p.currency();
            self.lsm.queue_changed(currency);
        }
        self.notify_sender(id, now);
    }

    pub(super) fn dequeue(&mut self, id: u64) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        let key = QueueKey::new(p.instruction.priority, id);
        let payer = self.registry.settlement_account(p.sender, p.currency());
        let deadline = self.payments.take_queue_deadline(id);
        self.queues.remove(payer, key, deadline);
    }

    /// A final status other than settled: rejected or cancelled.
    pub(super) fn finish(
        &mut self,
        id: u64,
        status: PaymentStatus,
        reason: Option<Rejection>,
        now: Timestamp,
    ) {
        self.dequeue(id);
        self.disarm(id);
        self.payments.record(id, now, status, reason);
        self.notify_sender(id, now);
    }

    /// Retries the queues of `accounts` (whose liquidity grew), and of every account a
    /// settlement credits in turn, until nothing more fits. Within a queue, payments go in
    /// order; the first one that does not fit stops that queue (no overtaking). A payment
    /// whose receiver is suspended is passed over, not rejected.
    pub(super) fn drain(&mut self, mut work: Vec<AccountId>, now: Timestamp) {
        while let Some(payer) = work.pop() {
            if !self.payer_open(payer, now) {
                continue;
            }
            let mut cursor: Option<QueueKey> = None;
            while let Some(key) = self.queues.next(payer, cursor) {
                cursor = Some(key);
                let Some(p) = self.payments.get(key.payment()) else {
                    continue;
                };
                let (sender, receiver, fx) = (p.sender, p.receiver(), p.fx.is_some());
                if !self.registry.is_active(sender) {
                    break;
                }
                if !self.registry.is_active(receiver) {
                    continue;
                }
                let Some(payee) = self.payee_account(key.payment()) else {
                    continue;
                };
                let attempt = if fx {
                    self.attempt_fx(key.payment(), payer, payee, now)
                } else {
                    self.attempt(key.payment(), payer, payee, now)
                };
                match attempt {
                    Attempt::Settled => {
                        self.dequeue(key.payment());
                        work.push(payee);
                    }
                    Attempt::NoLiquidity => break,
                    Attempt::Failed(reason) => {
                        self.finish(key.payment(), PaymentStatus::Rejected, Some(reason), now)
                    }
                }
            }
        }
    }

    /// The account payment `id` credits in the end: its receiver's settlement account in
    /// the payment's currency, or in the quote's destination currency.
    pub(super) fn payee_account(&self, id: u64) -> Option<AccountId> {
        let p = self.payments.get(id)?;
        let currency =
            p.fx.as_ref()
                .map_or(p.currency(), |fx| fx.quote.destination());
        self.registry.settlement_account(p.receiver(), currency)
    }

    /// Whether `payer`'s currency is open now (always, when no currency has a schedule).
    fn payer_open(&self, payer: AccountId, now: Timestamp) -> bool {
        !self.operating.any_scheduled()
            || self
                .registry
                .account(payer)
                .is_none_or(|a| self.currency_open(a.currency, now))
    }

    /// Every queued payment among `payers`' queues.
    pub(super) fn queued_in(&self, payers: &[AccountId]) -> Vec<u64> {
        let mut ids = Vec::new();
        for payer in payers {
            let mut cursor = None;
            while let Some(key) = self.queues.next(*payer, cursor) {
                ids.push(key.payment());
                cursor = Some(key);
            }
        }
        ids
    }

    /// Rejects every queued payment whose deadline is at or before `now`.
    pub(super) fn expire_queued(&mut self, now: Timestamp) {
        let mut payers = Vec::new();
        while let Some(id) = self.queues.first_due(now) {
            let mut reason = Rejection::new(
                "AM04",
                "insufficient liquidity: still queued at its deadline (the queue timeout, or the sender's reject time)",
            );
            if let Some(p) = self.payments.get(id) {
                payers.extend(self.registry.settlement_account(p.sender, p.currency()));
                if p.fx.as_ref().is_some_and(|fx| fx.quote.expires_at <= now) {
                    reason = self.fx_expiry_reason(id);
                }
            }
            self.finish(id, PaymentStatus::Rejected, Some(reason), now);
        }
        // The payments that waited behind a timed-out one may fit now.
        if !payers.is_empty() {
            payers.sort_unstable();
            payers.dedup();
            self.drain(payers, now);
        }
    }

    /// Every queued payment is in exactly one queue, with a deadline, and nothing else is.
    pub(super) fn queues_consistent(&self) -> bool {
        self.queues.consistent(|id| {
            self.payments
                .get(id)
                .is_some_and(|p| p.status == PaymentStatus::Queued)
        })
    }
}
