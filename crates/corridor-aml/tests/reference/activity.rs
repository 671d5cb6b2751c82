//! What the monitor remembers about one account in one currency: its recent payments both
//! ways, its velocity windows, the creditors it has paid and the alerts still covering its
//! evidence, each trimmed to the window that needs it.

use std::collections::{BTreeMap, VecDeque};

use corridor_core::Timestamp;
use serde::{Deserialize, Serialize};

use corridor_aml::AccountKey;
use corridor_aml::RuleKind;
use corridor_aml::SchemeRules;

const NANOS_PER_SECOND: u64 = 1_000_000_000;

/// The earliest instant inside a window of `seconds` that ends at `now`.
pub fn window_start(now: Timestamp, seconds: u64) -> Timestamp {
    Timestamp(
        now.0
            .saturating_sub(seconds.saturating_mul(NANOS_PER_SECOND)),
    )
}

/// The index of the aligned window of `seconds` that `at` falls in.
pub fn window_index(at: Timestamp, seconds: u32) -> u64 {
    at.0 / u64::from(seconds.max(1)).saturating_mul(NANOS_PER_SECOND)
}

/// One payment seen from one of its two accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flow {
    pub payment_id: u64,
    pub at: Timestamp,
    /// The other end: the creditor of an outgoing flow, the debtor of an incoming one.
    pub counterparty: AccountKey,
    pub amount: u128,
}

/// A debtor's outgoing payments in one velocity window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowTotal {
    pub count: u64,
    pub value: u128,
}

impl WindowTotal {
    fn add(&mut self, amount: u128) {
        self.count = self.count.saturating_add(1);
        self.value = self.value.saturating_add(amount);
    }
}

/// An alert raised on this account whose evidence may still be inside its rule's window:
/// while it is kept, a finding of the same rule sharing any of its evidence is not raised
/// again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveringAlert {
    pub rule: RuleKind,
    pub alert_id: u64,
    pub evidence: Vec<u64>,
    /// When the last of its evidence leaves the rule's window.
    pub until: Timestamp,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountActivity {
    pub incoming: VecDeque<Flow>,
    pub outgoing: VecDeque<Flow>,
    /// Outgoing totals by velocity window index.
    pub windows: BTreeMap<u64, WindowTotal>,
    /// Creditors this account has paid, with when it last paid each.
    pub creditors: BTreeMap<AccountKey, Timestamp>,
    pub covering: Vec<CoveringAlert>,
}

impl AccountActivity {
    /// Whether this account has paid `creditor` within the rule's memory.
    pub fn has_paid(&self, creditor: &AccountKey, now: Timestamp, rules: &SchemeRules) -> bool {
        let since = window_start(now, u64::from(rules.new_counterparty.memory_seconds));
        self.creditors
            .get(creditor)
            .is_some_and(|last| *last >= since)
    }

    pub fn record_outgoing(&mut self, flow: Flow, rules: &SchemeRules) {
        let window = window_index(flow.at, rules.velocity.window_seconds);
        self.windows.entry(window).or_default().add(flow.amount);
        let last = self.creditors.entry(flow.counterparty.clone()).or_default();
        *last = (*last).max(flow.at);
        self.outgoing.push_back(flow);
    }

    pub fn record_incoming(&mut self, flow: Flow) {
        self.incoming.push_back(flow);
    }

    /// Whether an alert of `rule` already covers any of `evidence`.
    pub fn is_covered(&self, rule: RuleKind, evidence: &[u64]) -> bool {
        self.covering
            .iter()
            .filter(|alert| alert.rule == rule)
            .any(|alert| evidence.iter().any(|id| alert.evidence.contains(id)))
    }

    /// Drops what no rule can use any more at `now`.
    pub fn trim(&mut self, now: Timestamp, rules: &SchemeRules) {
        let flows_since = window_start(now, rules.flow_window_seconds());
        for flows in [&mut self.incoming, &mut self.outgoing] {
            flows.retain(|flow| flow.at >= flows_since);
        }
        let current = window_index(now, rules.velocity.window_seconds);
        let oldest = current.saturating_sub(u64::from(rules.velocity.trailing_windows));
        self.windows = self.windows.split_off(&oldest);
        let paid_since = window_start(now, u64::from(rules.new_counterparty.memory_seconds));
        self.creditors.retain(|_, last| *last >= paid_since);
        self.covering.retain(|alert| alert.until >= now);
    }
}
