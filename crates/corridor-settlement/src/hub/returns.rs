//! Undoing a payment the only ways the scheme allows: its sender cancels it while it is
//! still queued, or its receiver sends (part of) it back once settled, as a new payment
//! in the other direction linked to the original (pacs.004).

use corridor_core::{Amount, Bic, Timestamp, Uetr};

use super::{Answer, Hub, HubOutcome};
use crate::model::PaymentInstruction;
use crate::payment::{PaymentStatus, parse_amount, parse_reason, refuse_fx_return};
use crate::rejection::Rejection;

impl Hub {
    pub(super) fn cancel(
        &mut self,
        sender: Bic,
        id: u64,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        let p = self
            .payments
            .get(id)
            .filter(|p| p.sender == sender)
            .ok_or_else(|| Rejection::not_found(format!("{sender} sent no payment {id}")))?;
        if p.status == PaymentStatus::Cancelled {
            return Ok(Answer::Payment(self.payments.receipt(id, true)));
        }
        if !matches!(p.status, PaymentStatus::Queued | PaymentStatus::Warehoused) {
            return Err(Rejection::new(
                "NOCN",
                format!(
                    "payment {id} is {}: only a queued or warehoused payment can be cancelled",
                    p.status.name()
                ),
            ));
        }
        let reason = parse_reason(reason)?;
        let payer = self.registry.settlement_account(sender, p.currency());
        self.finish(id, PaymentStatus::Cancelled, Some(reason), now);
        // The payments that waited behind it may fit now.
        self.drain(payer.into_iter().collect(), now);
        Ok(Answer::Payment(self.payments.receipt(id, false)))
    }

    /// The receiver of `original` sends back `amount` of it (all that is not yet returned
    /// when `None`) as return `return_id`.
    pub(super) fn return_payment(
        &mut self,
        (sender, original): (Bic, u64),
        (return_id, uetr): (&str, Uetr),
        amount: Option<&str>,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.check_sender(sender)?;
        let reason = parse_reason(reason)?;
        let p = self
            .payments
            .get(original)
            .filter(|p| p.receiver() == sender)
            .ok_or_else(|| {
                Rejection::not_found(format!("{sender} received no payment {original}"))
            })?;
        if let Some(existing) = self.payments.by_instruction(sender, return_id) {
            let same = self
                .payments
                .get(existing)
                .is_some_and(|r| r.return_of == Some(original));
            if same {
                return Ok(Answer::Payment(self.payments.receipt(existing, true)));
            }
        }
        refuse_fx_return(p)?;
        if p.status != PaymentStatus::Settled {
            return Err(Rejection::new(
                "AG01",
                format!(
                    "payment {original} is {:?}: only a settled payment can be returned",
                    p.status
                ),
            ));
        }
        let currency = self
            .registry
            .currency(p.currency())
            .ok_or_else(|| Rejection::new("AM03", "currency no longer settled"))?;
        let in_flight = self.payments.queued_returns(original);
        let available = p.amount - p.returned_amount - in_flight.min(p.amount - p.returned_amount);
        let amount = match amount {
            Some(text) => parse_amount(text, currency)?,
            None => available,
        };
        if amount == 0 || amount > available {
            return Err(Rejection::new(
                "AM09",
                format!(
                    "return amount must be more than 0 and at most the {} {} not yet returned",
                    Amount::from_minor(available).format(currency),
                    currency.code
                ),
            ));
        }
        let instruction = PaymentInstruction {
            instruction_id: return_id.to_string(),
            uetr,
            amount: Amount::from_minor(amount).format(currency),
            instructed_agent: p.sender,
            debtor: p.instruction.creditor.clone(),
            debtor_account: p.instruction.creditor_account.clone(),
            debtor_agent: p.instruction.creditor_agent,
            creditor: p.instruction.debtor.clone(),
            creditor_account: p.instruction.debtor_account.clone(),
            creditor_agent: p.instruction.debtor_agent,
            ultimate_debtor: p.instruction.ultimate_creditor.clone(),
            ultimate_creditor: p.instruction.ultimate_debtor.clone(),
            ..p.instruction.clone()
        };
        let receipt = self.submit_one(sender, &instruction, None, Some((original, reason)), now)?;
        Ok(Answer::Payment(receipt))
    }
}
