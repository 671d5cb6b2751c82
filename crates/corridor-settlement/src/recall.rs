//! Recalls of settled payments, as CBPR+ routes them: the debtor agent's request (camt.056)
//! goes to the creditor agent, which alone decides. Accepting sends the money back as a
//! return (pacs.004) linked to the recall, so it moves exactly once; rejecting gives a
//! reason. The answer (camt.029) goes back to the requester. This module keeps the recalls
//! and their indexes; `hub/recalls.rs` runs the requests and answers.

use std::collections::BTreeMap;

use corridor_core::{Bic, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::payment::{Payment, parse_reason};
use crate::rejection::Rejection;

/// The camt.056 cancellation reasons (ExternalPaymentCancellation1Code) a recall may give.
const RECALL_REASONS: [&str; 13] = [
    "AC03", "AGNT", "AM09", "COVR", "CURR", "CUST", "CUTA", "DUPL", "FRAD", "FRTR", "SYAD", "TECH",
    "UPAY",
];

/// A pacs.004 that follows a cancellation request carries this return reason.
pub(crate) const FOLLOWING_CANCELLATION: &str = "FOCR";

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
    pub(crate) fn repeated_by(&self, decision: &RecallDecision) -> bool {
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

/// Every recall, numbered from 1, and the indexes that answer a retry and find a payment's
/// recalls without a scan.
#[derive(Debug, Default)]
pub(crate) struct Recalls {
    recalls: Vec<Recall>,
    // Indexes rebuilt from `recalls` when a snapshot is loaded.
    /// Recalls by (requester, cancellation id).
    requests: BTreeMap<(Bic, String), u64>,
    /// The open recall of each payment that has one.
    open: BTreeMap<u64, u64>,
    /// The most recent recall of each payment that has one.
    latest: BTreeMap<u64, u64>,
}

impl Recalls {
    pub(crate) fn restore(recalls: Vec<Recall>) -> Recalls {
        let mut store = Recalls {
            recalls,
            ..Recalls::default()
        };
        for id in 1..=store.recalls.len() as u64 {
            store.index(id);
        }
        store
    }

    pub(crate) fn all(&self) -> &[Recall] {
        &self.recalls
    }

    pub(crate) fn get(&self, id: u64) -> Option<&Recall> {
        id.checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.recalls.get(i))
    }

    /// The most recent recall of `payment`: the open one if there is one.
    pub(crate) fn latest(&self, payment: u64) -> Option<&Recall> {
        self.latest.get(&payment).and_then(|id| self.get(*id))
    }

    /// The recall `requester` asked for under `cancellation_id`, if any.
    pub(crate) fn by_request(&self, requester: Bic, cancellation_id: &str) -> Option<u64> {
        self.requests
            .get(&(requester, cancellation_id.to_owned()))
            .copied()
    }

    /// The open recall of `payment`, if any.
    pub(crate) fn open_for(&self, payment: u64) -> Option<u64> {
        self.open.get(&payment).copied()
    }

    /// Records a new, open recall of `payment`; its number.
    pub(crate) fn add(
        &mut self,
        payment: u64,
        (requester, responder): (Bic, Bic),
        cancellation_id: &str,
        reason: Rejection,
        now: Timestamp,
    ) -> u64 {
        let id = self.recalls.len() as u64 + 1;
        self.recalls.push(Recall {
            id,
            payment,
            requester,
            responder,
            cancellation_id: cancellation_id.to_owned(),
            reason,
            requested_at: now,
            answer: None,
        });
        self.index(id);
        id
    }

    /// Records the creditor agent's answer to recall `id`; the requester, who is told.
    pub(crate) fn answer(&mut self, id: u64, answer: RecallAnswer) -> Option<Bic> {
        let recall = id
            .checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.recalls.get_mut(i))?;
        debug_assert!(recall.is_open(), "a recall is answered at most once");
        recall.answer = Some(answer);
        let (payment, requester) = (recall.payment, recall.requester);
        self.open.remove(&payment);
        Some(requester)
    }

    fn index(&mut self, id: u64) {
        let Some(recall) = self.get(id) else {
            return;
        };
        let key = (recall.requester, recall.cancellation_id.clone());
        let (payment, open) = (recall.payment, recall.is_open());
        self.requests.insert(key, id);
        self.latest.insert(payment, id);
        if open {
            self.open.insert(payment, id);
        }
    }

    /// Every recall names a payment of its requester to its responder; at most one per
    /// payment is open, and the indexes say which and which is the latest; an accepted
    /// recall has exactly one return, of that payment, by the responder, named by no other
    /// recall. `payment` looks a payment up.
    pub(crate) fn check<'a>(
        &self,
        payment: impl Fn(u64) -> Option<&'a Payment>,
    ) -> Result<(), String> {
        let mut returns = std::collections::BTreeSet::new();
        for (i, r) in self.recalls.iter().enumerate() {
            let p = payment(r.payment)
                .filter(|p| p.sender == r.requester && p.receiver() == r.responder)
                .ok_or_else(|| format!("recall {} names payment {} wrongly", r.id, r.payment))?;
            if r.id != i as u64 + 1 {
                return Err(format!("recall {} is stored at {}", r.id, i + 1));
            }
            let indexed_open = self.open.get(&r.payment) == Some(&r.id);
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
            let linked = payment(returned)
                .is_some_and(|ret| ret.return_of == Some(p.id) && ret.sender == r.responder);
            if !linked || !returns.insert(returned) {
                return Err(format!(
                    "accepted recall {} does not have exactly one return of its own ({returned})",
                    r.id
                ));
            }
        }
        if self.open.len() != self.recalls.iter().filter(|r| r.is_open()).count() {
            return Err("the open recalls index names recalls that are not open".into());
        }
        let latest_ok = self.recalls.iter().all(|r| {
            self.latest
                .get(&r.payment)
                .is_some_and(|latest| *latest >= r.id)
        });
        if !latest_ok || self.latest.values().any(|id| self.get(*id).is_none()) {
            return Err("the latest recalls index is out of date".into());
        }
        Ok(())
    }
}

/// The requester's id for its request: camt.056 `CxlId`, `Max35Text`.
pub(crate) fn check_cancellation_id(id: &str) -> Result<(), Rejection> {
    let length = id.chars().count();
    if id.trim().is_empty() || length > 35 || id.chars().any(corridor_core::is_hidden) {
        return Err(Rejection::format(
            "cancellation id must be 1 to 35 printable characters",
        ));
    }
    Ok(())
}

pub(crate) fn recall_reason(reason: &str) -> Result<Rejection, Rejection> {
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
