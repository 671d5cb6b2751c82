//! One direction of an account's recent payments, in the order they were recorded, each
//! with the running totals of everything recorded before it, so that the count, value and
//! number of structuring-band payments since any instant are read with one binary search.
//!
//! Settlement times normally only grow, which keeps the log in time order: it is then
//! trimmed from the front and read from a suffix. A payment settled earlier than the one
//! recorded before it (a clock set back) puts the log out of order; until that payment has
//! been trimmed, the log is trimmed and read by scanning it whole, which gives the same
//! answers more slowly.

use std::collections::VecDeque;
use std::sync::Arc;

use corridor_core::Timestamp;

use crate::payment::AccountKey;
use crate::sum::Sum;
use crate::work::Work;

/// One payment seen from one of its two accounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flow {
    pub payment_id: u64,
    pub at: Timestamp,
    /// The other end: the creditor of an outgoing flow, the debtor of an incoming one. One
    /// shared key per account, not a copy per payment.
    pub counterparty: Arc<AccountKey>,
    pub amount: u128,
}

/// Running totals over a log's flows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Running {
    value: Sum,
    /// Flows whose amount is in the structuring band.
    band: u64,
}

impl Running {
    fn plus(self, amount: u128, in_band: bool) -> Running {
        Running {
            value: self.value.plus(amount),
            band: self.band.saturating_add(u64::from(in_band)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    flow: Flow,
    in_band: bool,
    /// Totals of the flows before this one in the log.
    before: Running,
}

/// What a log holds from some instant on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: usize,
    pub value: Sum,
    /// How many are in the structuring band.
    pub band: u64,
    /// The earliest settlement time among them.
    pub earliest: Option<Timestamp>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlowLog {
    entries: VecDeque<Entry>,
    /// Totals of every flow in the log: `before` of the next one.
    running: Running,
    /// Whether settlement times never decrease along the log.
    in_time_order: bool,
}

impl FlowLog {
    pub fn new() -> FlowLog {
        FlowLog {
            in_time_order: true,
            ..FlowLog::default()
        }
    }

    pub fn push(&mut self, flow: Flow, in_band: bool) {
        if self
            .entries
            .back()
            .is_some_and(|last| flow.at < last.flow.at)
        {
            self.in_time_order = false;
        }
        let before = self.running;
        self.running = before.plus(flow.amount, in_band);
        self.entries.push_back(Entry {
            flow,
            in_band,
            before,
        });
    }

    pub fn is_in_time_order(&self) -> bool {
        self.in_time_order
    }

    /// Every flow, oldest recorded first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Flow> {
        self.entries.iter().map(|entry| &entry.flow)
    }

    /// Drops the flows settled before `cutoff`, telling `dropped` about each when they
    /// come off the front. Returns false when the log had to be rebuilt instead (it was
    /// out of time order), in which case `dropped` has not been called.
    pub fn trim(&mut self, cutoff: Timestamp, work: &Work, mut dropped: impl FnMut(&Flow)) -> bool {
        if self.in_time_order {
            while let Some(entry) = self.entries.front() {
                if entry.flow.at >= cutoff {
                    break;
                }
                work.add(1);
                dropped(&entry.flow);
                self.entries.pop_front();
            }
            return true;
        }
        work.add(self.entries.len());
        let kept: Vec<(Flow, bool)> = self
            .entries
            .drain(..)
            .filter(|entry| entry.flow.at >= cutoff)
            .map(|entry| (entry.flow, entry.in_band))
            .collect();
        *self = FlowLog::new();
        for (flow, in_band) in kept {
            self.push(flow, in_band);
        }
        false
    }

    /// Where the flows settled at or after `since` start, when the log is in time order.
    fn suffix_start(&self, since: Timestamp, work: &Work) -> usize {
        if !self.in_time_order {
            return 0;
        }
        work.search(self.entries.len());
        self.entries.partition_point(|entry| entry.flow.at < since)
    }

    /// The flows settled at or after `since`, oldest recorded first.
    pub fn since<'a>(
        &'a self,
        since: Timestamp,
        work: &'a Work,
    ) -> impl DoubleEndedIterator<Item = &'a Flow> + 'a {
        let start = self.suffix_start(since, work);
        self.entries
            .range(start..)
            .inspect(|_| work.add(1))
            .map(|entry| &entry.flow)
            .filter(move |flow| flow.at >= since)
    }

    /// Count, value and band count of the flows settled at or after `since`.
    pub fn totals_since(&self, since: Timestamp, work: &Work) -> Totals {
        if !self.in_time_order {
            return self.scanned_totals_since(since, work);
        }
        let start = self.suffix_start(since, work);
        let Some(first) = self.entries.get(start) else {
            return Totals::default();
        };
        Totals {
            count: self.entries.len() - start,
            value: self.running.value.since(first.before.value),
            band: self.running.band.saturating_sub(first.before.band),
            earliest: Some(first.flow.at),
        }
    }

    fn scanned_totals_since(&self, since: Timestamp, work: &Work) -> Totals {
        work.add(self.entries.len());
        self.entries
            .iter()
            .filter(|entry| entry.flow.at >= since)
            .fold(Totals::default(), |totals, entry| Totals {
                count: totals.count + 1,
                value: totals.value.plus(entry.flow.amount),
                band: totals.band + u64::from(entry.in_band),
                earliest: Some(
                    totals
                        .earliest
                        .map_or(entry.flow.at, |at| at.min(entry.flow.at)),
                ),
            })
    }
}
