//! The RTGS queues: per payer account, the payments waiting for liquidity, the most urgent
//! first and then by arrival, and every queued payment's deadline. Only positions are kept
//! here; the payments themselves live in the payment store.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use corridor_core::{AccountId, Timestamp};

use crate::model::Priority;

/// A queue position: the most urgent first, then by arrival (payment ids grow with arrival).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct QueueKey {
    urgency: std::cmp::Reverse<Priority>,
    payment: u64,
}

impl QueueKey {
    pub(crate) fn new(priority: Priority, payment: u64) -> QueueKey {
        QueueKey {
            urgency: std::cmp::Reverse(priority),
            payment,
        }
    }

    pub(crate) fn payment(self) -> u64 {
        self.payment
    }
}

#[derive(Debug, Default)]
pub(crate) struct Queues {
    queues: BTreeMap<AccountId, BTreeSet<QueueKey>>,
    deadlines: BTreeSet<(Timestamp, u64)>,
}

impl Queues {
    /// Whether a payment of `priority` from `payer` must wait: no overtaking, so it waits
    /// behind the payer's queued payments of the same or a higher priority.
    pub(crate) fn blocks(&self, payer: AccountId, priority: Priority) -> bool {
        self.queues
            .get(&payer)
            .and_then(|q| q.first())
            .is_some_and(|head| head.urgency <= std::cmp::Reverse(priority))
    }

    /// Queues `key` behind `payer`'s payments (if the payer is known) until `deadline`.
    pub(crate) fn insert(&mut self, payer: Option<AccountId>, key: QueueKey, deadline: Timestamp) {
        if let Some(payer) = payer {
            self.queues.entry(payer).or_default().insert(key);
        }
        self.deadlines.insert((deadline, key.payment));
    }

    /// Takes `key` out of `payer`'s queue and its deadline out of the timetable.
    pub(crate) fn remove(
        &mut self,
        payer: Option<AccountId>,
        key: QueueKey,
        deadline: Option<Timestamp>,
    ) {
        if let Some(deadline) = deadline {
            self.deadlines.remove(&(deadline, key.payment));
        }
        if let Some(payer) = payer
            && let Some(queue) = self.queues.get_mut(&payer)
        {
            queue.remove(&key);
            if queue.is_empty() {
                self.queues.remove(&payer);
            }
        }
    }

    /// The position after `cursor` in `payer`'s queue (the head when `cursor` is `None`).
    pub(crate) fn next(&self, payer: AccountId, cursor: Option<QueueKey>) -> Option<QueueKey> {
        let queue = self.queues.get(&payer)?;
        match cursor {
            None => queue.first().copied(),
            Some(c) => queue
                .range((Bound::Excluded(c), Bound::Unbounded))
                .next()
                .copied(),
        }
    }

    /// The queued payment whose deadline comes first, if it is at or before `now`.
    pub(crate) fn first_due(&self, now: Timestamp) -> Option<u64> {
        self.deadlines
            .first()
            .filter(|(deadline, _)| *deadline <= now)
            .map(|(_, id)| *id)
    }

    /// Every payer with a queue.
    pub(crate) fn payers(&self) -> Vec<AccountId> {
        self.queues.keys().copied().collect()
    }

    pub(crate) fn depth(&self) -> usize {
        self.deadlines.len()
    }

    pub(crate) fn next_deadline(&self) -> Option<Timestamp> {
        self.deadlines.first().map(|(at, _)| *at)
    }

    /// Every queued payment is in exactly one queue, with a deadline, and nothing else is.
    pub(crate) fn consistent(&self, is_queued: impl Fn(u64) -> bool) -> bool {
        let queued: usize = self.queues.values().map(BTreeSet::len).sum();
        queued == self.deadlines.len() && self.deadlines.iter().all(|(_, id)| is_queued(*id))
    }
}
