//! Sanctions holds as payments see them: a screened payment is held (checked as far as it
//! can be now), an officer's decision releases it, which settles it as if it had just
//! arrived, or rejects it.

use corridor_core::{Bic, Timestamp};

use super::operating::Admission;
use super::{Answer, Hub, HubOutcome};
use crate::compliance::{HoldDecision, HoldState, Officer, Screening};
use crate::model::PaymentInstruction;
use crate::payment::{PaymentReceipt, PaymentStatus};
use crate::rejection::Rejection;

/// RR04 RegulatoryReason: all a bank learns of a hold. What matched, on which list and how
/// well stays on the hold, for the compliance officers entitled to it: telling the banks
/// would tip off the customer, and give the sender a score to tune names against.
const HELD: &str = "RR04";
const HELD_TEXT: &str = "pending: regulatory review";
const REJECTED_TEXT: &str = "rejected: regulatory reason";

impl Hub {
    /// Records a screened payment as held: checked as far as it can be now, so one that
    /// would be refused is refused at once rather than after a person's review.
    pub(super) fn hold(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        screening: Option<&Screening>,
        why: String,
        now: Timestamp,
    ) -> Result<PaymentReceipt, Rejection> {
        let id = match instruction.quote {
            Some(quote_id) => {
                let (amount, quote) = self.quoted_amount(sender, instruction, quote_id, now)?;
                self.admit(instruction, &quote.route(), now)?;
                let id = self.payments.add(sender, instruction, amount, None, now);
                self.attach_quote(id, quote);
                id
            }
            None => {
                let (_, _, amount) = self.route(sender, instruction)?;
                self.admit(instruction, &[instruction.currency], now)?;
                self.payments.add(sender, instruction, amount, None, now)
            }
        };
        let screening = screening.cloned().unwrap_or_default();
        self.compliance
            .open_hold(&mut self.audit, (id, sender), (why, screening), now);
        self.payments.record(
            id,
            now,
            PaymentStatus::Held,
            Some(Rejection::new(HELD, HELD_TEXT)),
        );
        self.notify_sender(id, now);
        Ok(self.payments.receipt(id, false))
    }

    pub(super) fn decide_hold(
        &mut self,
        officer: &Officer,
        payment: u64,
        decision: HoldDecision,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        if matches!(decision, HoldDecision::Release { .. }) {
            self.check_release_parties(payment)?;
        }
        match self
            .compliance
            .decide(&mut self.audit, officer, (payment, decision), reason, now)?
        {
            HoldState::Open => {}
            HoldState::Released => self.resume(payment, now),
            HoldState::Rejected => self.finish(
                payment,
                PaymentStatus::Rejected,
                Some(Rejection::new(HELD, REJECTED_TEXT)),
                now,
            ),
        }
        let hold = self
            .compliance
            .hold(payment)
            .cloned()
            .ok_or_else(|| Rejection::not_found(format!("no held payment {payment}")))?;
        Ok(Answer::Hold(Box::new(hold)))
    }

    /// A released payment goes on exactly as if it had just arrived, checked again against
    /// what may have changed while it was held (a suspended receiver, an expired quote, a
    /// settlement day that passed).
    fn resume(&mut self, id: u64, now: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        debug_assert_eq!(p.status, PaymentStatus::Held);
        let instruction = p.instruction.clone();
        let currencies = match &p.fx {
            Some(fx) if fx.quote.expires_at <= now => {
                let reason = Rejection::new(
                    "QEXP",
                    format!("quote {} expired while the payment was held", fx.quote.id),
                );
                self.finish(id, PaymentStatus::Rejected, Some(reason), now);
                return;
            }
            Some(fx) => fx.quote.route(),
            None => vec![p.currency()],
        };
        match self.admit(&instruction, &currencies, now) {
            Ok(Admission::Now(date)) => {
                self.payments.set_value_date(id, date);
                self.arm_till_warning(id, &instruction, date, now);
                self.proceed(id, now);
            }
            Ok(Admission::Warehouse { value_date, until }) => {
                self.arm_till_warning(id, &instruction, Some(value_date), now);
                self.warehouse(id, value_date, until, now);
            }
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }

    /// Payment `id` settles now if it can: a cross-currency one payment versus payment or
    /// not at all, a plain one at once or in its payer's queue.
    pub(super) fn proceed(&mut self, id: u64, now: Timestamp) {
        let Some(p) = self.payments.get(id) else {
            return;
        };
        if p.fx.is_some() {
            self.settle_fx(id, now);
            return;
        }
        let (sender, instruction) = (p.sender, p.instruction.clone());
        match self.route(sender, &instruction) {
            Ok((payer, payee, _)) => self.settle_or_queue(id, payer, payee, now),
            Err(reason) => self.finish(id, PaymentStatus::Rejected, Some(reason), now),
        }
    }
}
