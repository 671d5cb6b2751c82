//! Recalls of settled payments, as CBPR+ routes them: the debtor agent's request (camt.056)
//! goes to the creditor agent, which alone decides. Accepting sends the money back as a
//! return (pacs.004) linked to the recall, so it moves exactly once; rejecting gives a
//! reason. The answer (camt.029) goes back to the requester. A recall of a payment still
//! queued is a cancellation.

use corridor_core::{Bic, Timestamp, Uetr};

use super::{Answer, Hub, HubOutcome};
use crate::outbox::OutboxEvent;
use crate::payment::{PaymentStatus, parse_reason, refuse_fx_return};
use crate::recall::{
    FOLLOWING_CANCELLATION, RecallAnswer, RecallDecision, RecallOutcome, check_cancellation_id,
    recall_reason,
};
use crate::rejection::Rejection;

impl Hub {
    /// The debtor agent asks for `payment` back. Queued or warehoused (or already
    /// cancelled): cancelled,
    /// as `CancelPayment`. Settled: a recall for the creditor agent. Asking again with the
    /// same `cancellation_id`, or while a recall of the payment is open, gives that recall.
    pub(super) fn recall_payment(
        &mut self,
        sender: Bic,
        payment: u64,
        cancellation_id: &str,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        let p = self
            .payments
            .get(payment)
            .filter(|p| p.sender == sender)
            .ok_or_else(|| Rejection::not_found(format!("{sender} sent no payment {payment}")))?;
        if let Some(id) = self.recalls.by_request(sender, cancellation_id) {
            return self.repeated_request(id, payment, cancellation_id);
        }
        match p.status {
            PaymentStatus::Queued | PaymentStatus::Warehoused | PaymentStatus::Cancelled => {
                return self.cancel(sender, payment, reason, now);
            }
            PaymentStatus::Settled => {}
            other => {
                return Err(Rejection::new(
                    "NOCN",
                    format!(
                        "payment {payment} is {}: only a queued or settled payment can be recalled",
                        other.name()
                    ),
                ));
            }
        }
        if let Some(open) = self.recalls.open_for(payment) {
            return Ok(self.recall_answer(open, true));
        }
        self.registry.check_sender(sender)?;
        refuse_fx_return(p)?;
        check_cancellation_id(cancellation_id)?;
        let reason = recall_reason(reason)?;
        let responder = p.receiver();
        let id = self
            .recalls
            .add(payment, (sender, responder), cancellation_id, reason, now);
        self.outboxes
            .push(responder, now, OutboxEvent::RecallRequest { recall: id });
        Ok(self.recall_answer(id, false))
    }

    fn repeated_request(&self, id: u64, payment: u64, cancellation_id: &str) -> HubOutcome {
        if self.recalls.get(id).is_some_and(|r| r.payment == payment) {
            return Ok(self.recall_answer(id, true));
        }
        Err(Rejection::new(
            "DUPL",
            format!(
                "cancellation id {cancellation_id} was already used for recall {id} of another payment"
            ),
        ))
    }

    /// The creditor agent answers recall `id`, once. Accepting returns the whole amount not
    /// yet returned through the ordinary return path, reason FOCR.
    pub(super) fn answer_recall(
        &mut self,
        responder: Bic,
        id: u64,
        decision: &RecallDecision,
        now: Timestamp,
    ) -> HubOutcome {
        let recall = self
            .recalls
            .get(id)
            .filter(|r| r.responder == responder)
            .ok_or_else(|| {
                Rejection::not_found(format!("{responder} has no recall {id} to answer"))
            })?;
        if let Some(answer) = &recall.answer {
            if answer.outcome.repeated_by(decision) {
                return Ok(self.recall_answer(id, true));
            }
            return Err(Rejection::new(
                "DUPL",
                format!("recall {id} is already answered"),
            ));
        }
        let (payment, requested) = (recall.payment, recall.reason.code.clone());
        let outcome = match decision {
            RecallDecision::Reject { reason } => RecallOutcome::Rejected {
                reason: parse_reason(reason)?,
            },
            RecallDecision::Accept { return_id, uetr } => {
                let reason = format!("{FOLLOWING_CANCELLATION} recall {id} ({requested})");
                let return_payment =
                    self.return_for_recall((responder, payment), (return_id, *uetr), &reason, now)?;
                RecallOutcome::Accepted {
                    return_payment,
                    return_id: return_id.clone(),
                }
            }
        };
        if let Some(requester) = self.recalls.answer(id, RecallAnswer { at: now, outcome }) {
            self.outboxes
                .push(requester, now, OutboxEvent::RecallAnswer { recall: id });
        }
        Ok(self.recall_answer(id, false))
    }

    /// Sends `payment` back for a recall. The return must be a new one: a return the
    /// creditor agent made earlier under the same id is not this recall's.
    fn return_for_recall(
        &mut self,
        (responder, payment): (Bic, u64),
        (return_id, uetr): (&str, Uetr),
        reason: &str,
        now: Timestamp,
    ) -> Result<u64, Rejection> {
        let answer =
            self.return_payment((responder, payment), (return_id, uetr), None, reason, now)?;
        match answer {
            Answer::Payment(receipt) if !receipt.duplicate => Ok(receipt.payment),
            Answer::Payment(receipt) => Err(Rejection::new(
                "DUPL",
                format!(
                    "return id {return_id} is already return {} of this payment",
                    receipt.payment
                ),
            )),
            other => Err(Rejection::new(
                "NARR",
                format!("a return answered {other:?}"),
            )),
        }
    }

    fn recall_answer(&self, id: u64, duplicate: bool) -> Answer {
        match self.recalls.get(id) {
            Some(recall) => Answer::Recall {
                recall: Box::new(recall.clone()),
                duplicate,
            },
            None => Answer::Done,
        }
    }
}
