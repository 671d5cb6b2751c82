//! The payment store: every payment ever accepted, numbered from 1, with the indexes that
//! make retries idempotent (by sender and instruction id, by UETR) and a participant's
//! payments searchable. Payments change only through its methods, which keep each one's
//! history append-only.

use std::collections::{BTreeMap, HashMap};

use corridor_core::{Bic, Timestamp, TransferId, Uetr};

use crate::business_day::BusinessDate;
use crate::model::PaymentInstruction;
use crate::payment::{Payment, PaymentFilter, PaymentReceipt, PaymentStatus};
use crate::pvp::{FxSettlement, Leg};
use crate::rejection::Rejection;

/// Payments one search examines at most before it answers with a cursor.
pub const SEARCH_SCAN_BUDGET: usize = 10_000;

/// One page of a search: the payments found, and where the next page starts (its `after`)
/// when the search stopped before the end of the participant's history.
#[derive(Debug, Default)]
pub struct SearchPage<'a> {
    pub payments: Vec<&'a Payment>,
    pub next: Option<u64>,
}

#[derive(Debug, Default)]
pub(crate) struct Payments {
    payments: Vec<Payment>,
    // Indexes rebuilt from `payments` when a snapshot is loaded.
    instructions: HashMap<(Bic, String), u64, ahash::RandomState>,
    uetrs: HashMap<Uetr, u64, ahash::RandomState>,
    by_participant: BTreeMap<Bic, Vec<u64>>,
}

impl Payments {
    /// The store holding `payments`, its indexes rebuilt.
    pub(crate) fn restore(payments: Vec<Payment>) -> Payments {
        let mut store = Payments {
            payments,
            ..Payments::default()
        };
        for id in 1..=store.payments.len() as u64 {
            store.index(id);
        }
        store
    }

    pub(crate) fn all(&self) -> &[Payment] {
        &self.payments
    }

    pub(crate) fn get(&self, id: u64) -> Option<&Payment> {
        id.checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.payments.get(i))
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut Payment> {
        id.checked_sub(1)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.payments.get_mut(i))
    }

    pub(crate) fn count(&self) -> usize {
        self.payments.len()
    }

    pub(crate) fn by_uetr(&self, uetr: Uetr) -> Option<&Payment> {
        self.uetrs.get(&uetr).and_then(|id| self.get(*id))
    }

    /// The payment `sender` submitted under `instruction_id`, if any.
    pub(crate) fn by_instruction(&self, sender: Bic, instruction_id: &str) -> Option<u64> {
        self.instructions
            .get(&(sender, instruction_id.to_string()))
            .copied()
    }

    /// The payment already using `uetr`, if any.
    pub(crate) fn uetr_owner(&self, uetr: Uetr) -> Option<u64> {
        self.uetrs.get(&uetr).copied()
    }

    /// Pre-sizes the idempotency indexes for `payments` more payments: growing a large
    /// table rehashes all of it at once, a stall every payment in flight would wait for.
    pub(crate) fn reserve(&mut self, payments: usize) {
        self.instructions.reserve(payments);
        self.uetrs.reserve(payments);
    }

    /// Payments `participant` sent or received, newest last, narrowed by `filter`: at most
    /// `filter.limit` of them, found among at most `SEARCH_SCAN_BUDGET` payments examined,
    /// so a filter that matches nothing costs a page's work, not the whole history.
    pub(crate) fn search(&self, participant: Bic, filter: &PaymentFilter) -> SearchPage<'_> {
        let Some(ids) = self.by_participant.get(&participant) else {
            return SearchPage::default();
        };
        let start = filter
            .after
            .map_or(0, |after| ids.partition_point(|id| *id <= after));
        let rest = &ids[start..];
        let mut payments = Vec::new();
        for (examined, id) in rest.iter().enumerate() {
            if payments.len() >= filter.limit || examined >= SEARCH_SCAN_BUDGET {
                let next = examined.checked_sub(1).map(|i| rest[i]).or(filter.after);
                return SearchPage { payments, next };
            }
            payments.extend(self.get(*id).filter(|p| filter.admits(participant, p)));
        }
        SearchPage {
            payments,
            next: None,
        }
    }

    /// Records a new payment, status queued until something decides it, and indexes it.
    pub(crate) fn add(
        &mut self,
        sender: Bic,
        instruction: &PaymentInstruction,
        amount: u128,
        return_of: Option<(u64, Rejection)>,
        now: Timestamp,
    ) -> u64 {
        let id = self.payments.len() as u64 + 1;
        let original = return_of.as_ref().map(|(original, _)| *original);
        self.payments.push(Payment {
            id,
            sender,
            instruction: instruction.clone(),
            amount,
            received_at: now,
            status: PaymentStatus::Queued,
            history: Vec::new(),
            transfer: None,
            settled_at: None,
            queue_deadline: None,
            return_of: original,
            returns: Vec::new(),
            returned_amount: 0,
            return_reason: return_of.map(|(_, reason)| reason),
            fx: None,
            value_date: None,
            warehoused_until: None,
            till_warning_at: None,
            net_window: None,
        });
        if let Some(p) = original.and_then(|original| self.get_mut(original)) {
            p.returns.push(id);
        }
        self.index(id);
        id
    }

    fn index(&mut self, id: u64) {
        let Some(p) = self.get(id) else { return };
        let (sender, receiver, instruction_id, uetr) = (
            p.sender,
            p.receiver(),
            p.instruction.instruction_id.clone(),
            p.instruction.uetr,
        );
        self.instructions.insert((sender, instruction_id), id);
        self.uetrs.insert(uetr, id);
        self.by_participant.entry(sender).or_default().push(id);
        self.by_participant.entry(receiver).or_default().push(id);
    }

    /// Adds a status to payment `id`'s history.
    pub(crate) fn record(
        &mut self,
        id: u64,
        at: Timestamp,
        status: PaymentStatus,
        reason: Option<Rejection>,
    ) {
        if let Some(p) = self.get_mut(id) {
            p.record(at, status, reason);
        }
    }

    /// Payment `id` settled at `at`, by `transfer` (none for a payment settled in a net
    /// window whose positions offset to nothing).
    pub(crate) fn settle(&mut self, id: u64, transfer: Option<TransferId>, at: Timestamp) {
        if let Some(p) = self.get_mut(id) {
            p.transfer = transfer;
            p.settled_at = Some(at);
            p.record(at, PaymentStatus::Settled, None);
        }
    }

    /// Payment `id` joined net window `window`.
    pub(crate) fn net(&mut self, id: u64, window: u64, at: Timestamp) {
        if let Some(p) = self.get_mut(id) {
            p.net_window = Some(window);
            p.record(
                at,
                PaymentStatus::Netting,
                Some(Rejection::new(
                    "ACSP",
                    format!("accepted into net settlement window {window}"),
                )),
            );
        }
    }

    /// Payment `id` waits in its payer's queue until `deadline`.
    pub(crate) fn queue(&mut self, id: u64, deadline: Timestamp, now: Timestamp) {
        if let Some(p) = self.get_mut(id) {
            p.queue_deadline = Some(deadline);
            p.record(
                now,
                PaymentStatus::Queued,
                Some(Rejection::new(
                    "AM04",
                    "waiting for liquidity in the payer's queue",
                )),
            );
        }
    }

    /// Payment `id` waits in the warehouse until `until`, to settle on `value_date`.
    pub(crate) fn warehouse(
        &mut self,
        id: u64,
        (value_date, until): (BusinessDate, Timestamp),
        reason: Rejection,
        now: Timestamp,
    ) {
        if let Some(p) = self.get_mut(id) {
            p.value_date = Some(value_date);
            p.warehoused_until = Some(until);
            p.record(now, PaymentStatus::Warehoused, Some(reason));
        }
    }

    /// Payment `id` leaves the warehouse: when it was due, if it was there.
    pub(crate) fn take_warehoused(&mut self, id: u64) -> Option<Timestamp> {
        self.get_mut(id).and_then(|p| p.warehoused_until.take())
    }

    pub(crate) fn set_value_date(&mut self, id: u64, value_date: Option<BusinessDate>) {
        if let Some(p) = self.get_mut(id) {
            p.value_date = value_date;
        }
    }

    pub(crate) fn set_till_warning(&mut self, id: u64, at: Option<Timestamp>) {
        if let Some(p) = self.get_mut(id) {
            p.till_warning_at = at;
        }
    }

    /// Takes payment `id` out of the queue's reckoning: its deadline, if it had one.
    pub(crate) fn take_queue_deadline(&mut self, id: u64) -> Option<Timestamp> {
        self.get_mut(id).and_then(|p| p.queue_deadline.take())
    }

    pub(crate) fn attach_fx(&mut self, id: u64, fx: FxSettlement) {
        if let Some(p) = self.get_mut(id) {
            p.fx = Some(fx);
        }
    }

    pub(crate) fn set_legs(&mut self, id: u64, legs: Vec<Leg>) {
        if let Some(fx) = self.get_mut(id).and_then(|p| p.fx.as_mut()) {
            fx.legs = legs;
        }
    }

    /// Counts `amount` of `original` as sent back by return `by`; once all of it is, the
    /// original becomes returned, with the return's reason. Whether it did.
    pub(crate) fn add_returned(
        &mut self,
        original: u64,
        amount: u128,
        by: u64,
        at: Timestamp,
    ) -> bool {
        let reason = self.get(by).and_then(|r| r.return_reason.clone());
        let Some(p) = self.get_mut(original) else {
            return false;
        };
        p.returned_amount += amount;
        debug_assert!(p.returned_amount <= p.amount);
        if p.returned_amount != p.amount {
            return false;
        }
        p.record(at, PaymentStatus::Returned, reason);
        true
    }

    /// What returns of `id` still queued would send back.
    pub(crate) fn queued_returns(&self, id: u64) -> u128 {
        self.get(id).map_or(0, |p| {
            p.returns
                .iter()
                .filter_map(|r| self.get(*r))
                .filter(|r| r.status == PaymentStatus::Queued)
                .map(|r| r.amount)
                .sum()
        })
    }

    /// The receipt of payment `id` as it stands.
    pub(crate) fn receipt(&self, id: u64, duplicate: bool) -> PaymentReceipt {
        let p = &self.payments[(id - 1) as usize];
        PaymentReceipt {
            payment: id,
            instruction_id: p.instruction.instruction_id.clone(),
            uetr: p.instruction.uetr,
            status: p.status,
            reason: p.last_reason(),
            duplicate,
        }
    }
}
