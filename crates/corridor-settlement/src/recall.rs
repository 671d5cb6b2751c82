//! Recalls of settled payments, as CBPR+ routes them: the debtor agent's request (camt.056)
//! goes to the creditor agent, which alone decides. Accepting sends the money back as a
//! return (pacs.004) linked to the recall, so it moves exactly once; rejecting gives a
//! reason. The answer (camt.029) goes back to the requester. A recall of a payment still
//! queued is a cancellation, as before.

use corridor_core::{Bic, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::hub::{Answer, Hub, HubOutcome, PaymentStatus, parse_reason};
use crate::outbox::OutboxEvent;
use crate::rejection::Rejection;

/// The camt.056 cancellation reasons (ExternalPaymentCancellation1Code) a recall may give.
const RECALL_REASONS: [&str; 13] = [
    "AC03", "AGNT", "AM09", "COVR", "CURR", "CUST", "CUTA", "DUPL", "FRAD", "FRTR", "SYAD", "TECH",
    "UPAY",
];

/// A pacs.004 that follows a cancellation request carries this return reason.
const FOLLOWING_CANCELLATION: &str = "FOCR";

/// What the creditor agent decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallDecision {
    /// Send the money back: a return with this id (the creditor agent's instruction id)
    /// and UETR, for the whole amount not yet returned.
    Accept { return_id: String, uetr: Uetr },
    /// Keep it; the reason starts with a camt.029 code ("CUST", "LEGL", "NOAS", "AC04").
    Reject { reason: String },
}

/// How a recall was answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecallOutcome {
    Accepted {
        return_payment: u64,
        return_id: String,
    },
    Rejected {
        reason: Rejection,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecallAnswer {
    pub at: Timestamp,
    pub outcome: RecallOutcome,
}

/// One request to have a settled payment sent back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recall {
    pub id: u64,
    pub payment: u64,
    /// The debtor agent: the payment's sender.
    pub requester: Bic,
    /// The creditor agent: the payment's receiver, the only one who may answer.
    pub responder: Bic,
    /// The requester's own id for the request (camt.056 `CxlId`): its idempotency key.
    pub cancellation_id: String,
    pub reason: Rejection,
    pub requested_at: Timestamp,
    /// Set once, by the creditor agent.
    pub answer: Option<RecallAnswer>,
}

impl Recall {
    pub fn is_open(&self) -> bool {
        self.answer.is_none()
    }

    /// The return that an acceptance sent.
    pub fn return_payment(&self) -> Option<u64> {
        match self.answer.as_ref().map(|a| &a.outcome) {
            Some(RecallOutcome::Accepted { return_payment, .. }) => Some(*return_payment),
            _ => None,
        }
    }
}

impl RecallOutcome {
    /// Whether `decision` is this answer given again (a retry), not a different one.
    fn repeated_by(&self, decision: &RecallDecision) -> bool {
        match (self, decision) {
            (
                RecallOutcome::Accepted { return_id, .. },
                RecallDecision::Accept {
                    return_id: again, ..
                },
            ) => return_id == again,
            (RecallOutcome::Rejected { reason }, RecallDecision::Reject { reason: again }) => {
                parse_reason(again).is_ok_and(|again| again == *reason)
            }
            _ => false,
        }
    }
}

impl Hub {
    pub fn recall(&self, id: u64) -> Option<&Recall> {
        id.checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.recalls.get(i))
    }

    pub fn recalls(&self) -> impl Iterator<Item = &Recall> {
        self.recalls.iter()
    }

    /// The most recent recall of `payment`: the open one if there is one.
    pub fn latest_recall(&self, payment: u64) -> Option<&Recall> {
        self.recalls.iter().rev().find(|r| r.payment == payment)
    }

    /// The debtor agent asks for `payment` back. Queued (or already cancelled): cancelled,
    /// as `CancelPayment`. Settled: a recall for the creditor agent. Asking again with the
    /// same `cancellation_id`, or while a recall of the payment is open, gives that recall.
    pub(crate) fn recall_payment(
        &mut self,
        sender: Bic,
        payment: u64,
        cancellation_id: &str,
        reason: &str,
        now: Timestamp,
    ) -> HubOutcome {
        let p = self
            .payment(payment)
            .filter(|p| p.sender == sender)
            .ok_or_else(|| Rejection::not_found(format!("{sender} sent no payment {payment}")))?;
        let status = p.status;
        if let Some(&id) = self
            .recall_requests
            .get(&(sender, cancellation_id.to_owned()))
        {
            return self.repeated_request(id, payment, cancellation_id);
        }
        match status {
            PaymentStatus::Queued | PaymentStatus::Cancelled => {
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
        if let Some(&open) = self.open_recalls.get(&payment) {
            return Ok(self.recall_answer(open, true));
        }
        self.check_sender(sender)?;
        crate::hub::refuse_fx_return(p)?;
        check_cancellation_id(cancellation_id)?;
        let reason = recall_reason(reason)?;
        let responder = p.receiver();
        let id = self.recalls.len() as u64 + 1;
        self.recalls.push(Recall {
            id,
            payment,
            requester: sender,
            responder,
            cancellation_id: cancellation_id.to_owned(),
            reason,
            requested_at: now,
            answer: None,
        });
        self.index_recall(id);
        self.outboxes
            .entry(responder)
            .or_default()
            .push(now, OutboxEvent::RecallRequest { recall: id });
        Ok(self.recall_answer(id, false))
    }

    fn repeated_request(&self, id: u64, payment: u64, cancellation_id: &str) -> HubOutcome {
        if self.recall(id).is_some_and(|r| r.payment == payment) {
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
    pub(crate) fn answer_recall(
        &mut self,
        responder: Bic,
        id: u64,
        decision: &RecallDecision,
        now: Timestamp,
    ) -> HubOutcome {
        let recall = self
            .recall(id)
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
                    self.return_for_recall(responder, payment, return_id, *uetr, &reason, now)?;
                RecallOutcome::Accepted {
                    return_payment,
                    return_id: return_id.clone(),
                }
            }
        };
        self.record_answer(id, RecallAnswer { at: now, outcome });
        Ok(self.recall_answer(id, false))
    }

    /// Sends `payment` back for a recall. The return must be a new one: a return the
    /// creditor agent made earlier under the same id is not this recall's.
    fn return_for_recall(
        &mut self,
        responder: Bic,
        payment: u64,
        return_id: &str,
        uetr: Uetr,
        reason: &str,
        now: Timestamp,
    ) -> Result<u64, Rejection> {
        let answer = self.return_payment(responder, payment, return_id, uetr, None, reason, now)?;
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

    fn record_answer(&mut self, id: u64, answer: RecallAnswer) {
        let Some(recall) = id
            .checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.recalls.get_mut(i))
        else {
            return;
        };
        debug_assert!(recall.is_open(), "a recall is answered at most once");
        let at = answer.at;
        recall.answer = Some(answer);
        let (payment, requester) = (recall.payment, recall.requester);
        self.open_recalls.remove(&payment);
        self.outboxes
            .entry(requester)
            .or_default()
            .push(at, OutboxEvent::RecallAnswer { recall: id });
    }

    fn recall_answer(&self, id: u64, duplicate: bool) -> Answer {
        match self.recall(id) {
            Some(recall) => Answer::Recall {
                recall: Box::new(recall.clone()),
                duplicate,
            },
            None => Answer::Done,
        }
    }

    pub(crate) fn index_recall(&mut self, id: u64) {
        let Some(recall) = self.recall(id) else {
            return;
        };
        let key = (recall.requester, recall.cancellation_id.clone());
        let (payment, open) = (recall.payment, recall.is_open());
        self.recall_requests.insert(key, id);
        if open {
            self.open_recalls.insert(payment, id);
        }
    }

    /// Every recall names a payment of its requester to its responder; at most one per
    /// payment is open, and the index says which; an accepted recall has exactly one
    /// return, of that payment, by the responder, named by no other recall.
    pub(crate) fn check_recalls(&self) -> Result<(), String> {
        let mut returns = std::collections::BTreeSet::new();
        for (i, r) in self.recalls.iter().enumerate() {
            let p = self
                .payment(r.payment)
                .filter(|p| p.sender == r.requester && p.receiver() == r.responder)
                .ok_or_else(|| format!("recall {} names payment {} wrongly", r.id, r.payment))?;
            if r.id != i as u64 + 1 {
                return Err(format!("recall {} is stored at {}", r.id, i + 1));
            }
            let indexed_open = self.open_recalls.get(&r.payment) == Some(&r.id);
            if r.is_open() != indexed_open {
                return Err(format!(
                    "recall {} open: {}, indexed: {indexed_open}",
                    r.id,
                    r.is_open()
                ));
            }
            let Some(returned) = r.return_payment() else {
                continue;
            };
            let linked = self
                .payment(returned)
                .is_some_and(|ret| ret.return_of == Some(p.id) && ret.sender == r.responder);
            if !linked || !returns.insert(returned) {
                return Err(format!(
                    "accepted recall {} does not have exactly one return of its own ({returned})",
                    r.id
                ));
            }
        }
        if self.open_recalls.len() != self.recalls.iter().filter(|r| r.is_open()).count() {
            return Err("the open recalls index names recalls that are not open".into());
        }
        Ok(())
    }
}

/// The requester's id for its request: camt.056 `CxlId`, `Max35Text`.
fn check_cancellation_id(id: &str) -> Result<(), Rejection> {
    let length = id.chars().count();
    if id.trim().is_empty() || length > 35 || id.chars().any(corridor_core::is_hidden) {
        return Err(Rejection::format(
            "cancellation id must be 1 to 35 printable characters",
        ));
    }
    Ok(())
}

fn recall_reason(reason: &str) -> Result<Rejection, Rejection> {
    let reason = parse_reason(reason)?;
    if !RECALL_REASONS.contains(&reason.code.as_str()) {
        return Err(Rejection::format(format!(
            "{} is not a camt.056 cancellation reason; one of {}",
            reason.code,
            RECALL_REASONS.join(", ")
        )));
    }
    Ok(reason)
}
