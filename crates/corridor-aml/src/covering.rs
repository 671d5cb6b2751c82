//! The alerts raised on one account whose evidence may still be inside their rule's
//! window, and how a new finding is known to share evidence with one of them without
//! listing the finding's evidence first.
//!
//! A windowed rule's evidence is every flow of the account inside the window that
//! qualifies, so whether an earlier alert shares any of it depends only on the latest flow
//! that alert cited in each direction (its [`Reach`]): a flow still inside the window is
//! still in the evidence. The other rules cite a few payments by id, so those ids are
//! looked up directly.

use std::collections::{BTreeMap, VecDeque};

use corridor_core::Timestamp;

use crate::alert::RuleKind;
use crate::work::Work;

/// The latest settlement time among the flows an alert cited, per direction of the
/// subject's flows, and the velocity window the alert was about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    pub latest_in: Option<Timestamp>,
    pub latest_out: Option<Timestamp>,
    pub window: u64,
}

impl Reach {
    /// Whether some flow this alert cited in that direction settled at or after `since`.
    pub fn incoming_since(&self, since: Timestamp) -> bool {
        self.latest_in.is_some_and(|at| at >= since)
    }

    pub fn outgoing_since(&self, since: Timestamp) -> bool {
        self.latest_out.is_some_and(|at| at >= since)
    }
}

/// An alert raised on this account: while it is kept, a finding of the same rule sharing
/// any of its evidence is not raised again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cover {
    pub alert_id: u64,
    /// Payment ids, ascending.
    pub evidence: Vec<u64>,
    /// When the last of its evidence leaves the rule's window.
    pub until: Timestamp,
    pub reach: Reach,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Covering {
    /// Each rule's alerts, oldest first: every alert of a rule is kept for the same time
    /// after the monitor's time, which never goes back, so they also expire in this order.
    by_rule: BTreeMap<RuleKind, VecDeque<Cover>>,
    /// For the rules whose evidence is a few named payments: how many kept alerts cite
    /// each payment.
    cited: BTreeMap<(RuleKind, u64), u32>,
}

/// Whether a rule's evidence is a few payments named by id rather than a window's worth.
fn cites_by_id(rule: RuleKind) -> bool {
    matches!(
        rule,
        RuleKind::RoundTrip | RuleKind::NewCounterparty | RuleKind::OriginatorData
    )
}

impl Covering {
    pub fn push(&mut self, rule: RuleKind, cover: Cover) {
        if cites_by_id(rule) {
            for id in &cover.evidence {
                *self.cited.entry((rule, *id)).or_default() += 1;
            }
        }
        self.by_rule.entry(rule).or_default().push_back(cover);
    }

    /// Drops the alerts whose evidence has all left their window by `now`.
    pub fn expire(&mut self, now: Timestamp, work: &Work) {
        for (rule, covers) in &mut self.by_rule {
            while let Some(cover) = covers.front() {
                if cover.until >= now {
                    break;
                }
                work.add(1);
                if cites_by_id(*rule) {
                    for id in &cover.evidence {
                        uncite(&mut self.cited, (*rule, *id));
                    }
                }
                covers.pop_front();
            }
        }
        self.by_rule.retain(|_, covers| !covers.is_empty());
    }

    /// The kept alerts of `rule`.
    pub fn of<'a>(&'a self, rule: RuleKind, work: &'a Work) -> impl Iterator<Item = &'a Cover> {
        self.by_rule
            .get(&rule)
            .into_iter()
            .flatten()
            .inspect(|_| work.add(1))
    }

    /// Whether a kept alert of `rule` cites any of `ids`.
    pub fn cites_any(&self, rule: RuleKind, ids: &[u64]) -> bool {
        ids.iter().any(|id| self.cited.contains_key(&(rule, *id)))
    }

    /// Every kept alert with its rule, in the order they were raised.
    pub fn in_raised_order(&self) -> Vec<(RuleKind, &Cover)> {
        let mut all: Vec<(RuleKind, &Cover)> = self
            .by_rule
            .iter()
            .flat_map(|(rule, covers)| covers.iter().map(move |cover| (*rule, cover)))
            .collect();
        all.sort_by_key(|(_, cover)| cover.alert_id);
        all
    }
}

fn uncite(cited: &mut BTreeMap<(RuleKind, u64), u32>, key: (RuleKind, u64)) {
    if let Some(count) = cited.get_mut(&key) {
        *count -= 1;
        if *count == 0 {
            cited.remove(&key);
        }
    }
}
