//! The payments' timers that are not queue deadlines: when a warehoused payment comes out
//! (its settlement day's opening, or its from-time) and when a sender is warned that a
//! payment's till time is near. Positions only; the payments live in the payment store,
//! which keeps each instant so a snapshot rebuilds this.

use std::collections::BTreeSet;

use corridor_core::Timestamp;

/// What a due timer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Due {
    Release,
    TillWarning,
}

#[derive(Debug, Default)]
pub(crate) struct Timers {
    due: BTreeSet<(Timestamp, Due, u64)>,
}

impl Timers {
    pub(crate) fn insert(&mut self, at: Timestamp, due: Due, payment: u64) {
        self.due.insert((at, due, payment));
    }

    pub(crate) fn remove(&mut self, at: Timestamp, due: Due, payment: u64) {
        self.due.remove(&(at, due, payment));
    }

    /// The earliest timer at or before `now`, taken out.
    pub(crate) fn pop_due(&mut self, now: Timestamp) -> Option<(Timestamp, Due, u64)> {
        let first = *self.due.first()?;
        if first.0 > now {
            return None;
        }
        self.due.pop_first()
    }

    pub(crate) fn next(&self) -> Option<Timestamp> {
        self.due.first().map(|(at, _, _)| *at)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// How many timers of one kind are set.
    pub(crate) fn count(&self, due: Due) -> usize {
        self.due.iter().filter(|(_, d, _)| *d == due).count()
    }
}
