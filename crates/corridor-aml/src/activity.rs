//! What the monitor remembers about one account in one currency: its recent payments both
//! ways (with the payments it received grouped by payer), its velocity windows, the
//! creditors it has paid and the alerts still covering its evidence, each trimmed to the
//! window that needs it. Trimming takes from the front of time-ordered queues, so it costs
//! what it drops, not what the account holds.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use corridor_core::Timestamp;

use crate::config::SchemeRules;
use crate::covering::{Cover, Covering, Reach};
use crate::flow_log::{Flow, FlowLog};
use crate::payment::AccountKey;
use crate::ratio::in_structuring_band;
use crate::state::{ActivityState, CoveringState, FlowState, SharedKeys, WindowTotal};
use crate::work::Work;

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
    at.0 / window_nanos(seconds)
}

/// The first instant of the aligned window `index` of `seconds`.
pub fn index_start(index: u64, seconds: u32) -> Timestamp {
    Timestamp(index.saturating_mul(window_nanos(seconds)))
}

fn window_nanos(seconds: u32) -> u64 {
    u64::from(seconds.max(1)).saturating_mul(NANOS_PER_SECOND)
}

/// A payment received, as the queue of its payer's payments to this account holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub payment_id: u64,
    pub at: Timestamp,
    pub amount: u128,
    /// Its place among every payment the account received: later receipts, higher.
    pub order: u64,
}

/// What one payer paid an account, oldest first, and the amounts among it, so a search
/// for a payment of about some amount can tell at once that there is none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Receipts {
    queue: VecDeque<Receipt>,
    amounts: BTreeMap<u128, u32>,
}

impl Receipts {
    pub fn queue(&self) -> &VecDeque<Receipt> {
        &self.queue
    }

    /// Whether any receipt is of an amount in `[lowest, highest]`.
    pub fn any_between(&self, lowest: u128, highest: u128, work: &Work) -> bool {
        work.search(self.amounts.len());
        lowest <= highest && self.amounts.range(lowest..=highest).next().is_some()
    }

    fn push(&mut self, receipt: Receipt) {
        *self.amounts.entry(receipt.amount).or_default() += 1;
        self.queue.push_back(receipt);
    }

    fn pop_front(&mut self) {
        let Some(receipt) = self.queue.pop_front() else {
            return;
        };
        if let Some(count) = self.amounts.get_mut(&receipt.amount) {
            *count -= 1;
            if *count == 0 {
                self.amounts.remove(&receipt.amount);
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountActivity {
    incoming: FlowLog,
    outgoing: FlowLog,
    /// `incoming` grouped by payer, each oldest first.
    payers: BTreeMap<Arc<AccountKey>, Receipts>,
    receipts: u64,
    /// Outgoing totals by velocity window index.
    windows: BTreeMap<u64, WindowTotal>,
    /// Creditors this account has paid, with when it last paid each, and the same pairs
    /// by time so the oldest are dropped first.
    creditors: BTreeMap<Arc<AccountKey>, Timestamp>,
    creditors_by_time: BTreeSet<(Timestamp, Arc<AccountKey>)>,
    covering: Covering,
    touched_at: Timestamp,
}

impl AccountActivity {
    pub fn new(touched_at: Timestamp) -> AccountActivity {
        AccountActivity {
            incoming: FlowLog::new(),
            outgoing: FlowLog::new(),
            payers: BTreeMap::new(),
            receipts: 0,
            windows: BTreeMap::new(),
            creditors: BTreeMap::new(),
            creditors_by_time: BTreeSet::new(),
            covering: Covering::default(),
            touched_at,
        }
    }

    pub fn incoming(&self) -> &FlowLog {
        &self.incoming
    }

    pub fn outgoing(&self) -> &FlowLog {
        &self.outgoing
    }

    /// What `payer` paid this account, oldest first.
    pub fn receipts_from(&self, payer: &AccountKey) -> Option<&Receipts> {
        self.payers.get(payer)
    }

    /// The accounts this account has received from and still holds payments of.
    pub fn payers(&self) -> impl Iterator<Item = &Arc<AccountKey>> {
        self.payers.keys()
    }

    pub fn payer_count(&self) -> usize {
        self.payers.len()
    }

    /// The creditors this account paid within the new-counterparty rule's memory.
    pub fn creditors(&self) -> impl Iterator<Item = (&Arc<AccountKey>, Timestamp)> {
        self.creditors.iter().map(|(key, at)| (key, *at))
    }

    pub fn creditor_count(&self) -> usize {
        self.creditors.len()
    }

    pub fn windows(&self) -> &BTreeMap<u64, WindowTotal> {
        &self.windows
    }

    pub fn covering(&self) -> &Covering {
        &self.covering
    }

    pub fn covering_mut(&mut self) -> &mut Covering {
        &mut self.covering
    }

    pub fn touched_at(&self) -> Timestamp {
        self.touched_at
    }

    pub fn mark_touched(&mut self, now: Timestamp) {
        self.touched_at = now;
    }

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
        self.remember_creditor(&flow.counterparty, flow.at);
        let in_band = in_structuring_band(&rules.structuring, flow.amount);
        self.outgoing.push(flow, in_band);
    }

    fn remember_creditor(&mut self, creditor: &Arc<AccountKey>, at: Timestamp) {
        let last = self.creditors.entry(creditor.clone()).or_default();
        let previous = *last;
        *last = previous.max(at);
        self.creditors_by_time.remove(&(previous, creditor.clone()));
        self.creditors_by_time.insert((*last, creditor.clone()));
    }

    pub fn record_incoming(&mut self, flow: Flow) {
        self.payers
            .entry(flow.counterparty.clone())
            .or_default()
            .push(Receipt {
                payment_id: flow.payment_id,
                at: flow.at,
                amount: flow.amount,
                order: self.receipts,
            });
        self.receipts += 1;
        self.incoming.push(flow, false);
    }

    /// Drops what no rule can use any more at `now`.
    pub fn trim(&mut self, now: Timestamp, rules: &SchemeRules, work: &Work) {
        let flows_since = window_start(now, rules.flow_window_seconds());
        let payers = &mut self.payers;
        let in_order = self.incoming.trim(flows_since, work, |flow| {
            drop_first_receipt(payers, &flow.counterparty);
        });
        if !in_order {
            self.regroup_payers();
        }
        self.outgoing.trim(flows_since, work, |_| {});
        let current = window_index(now, rules.velocity.window_seconds);
        let oldest = current.saturating_sub(u64::from(rules.velocity.trailing_windows));
        self.windows = self.windows.split_off(&oldest);
        let paid_since = window_start(now, u64::from(rules.new_counterparty.memory_seconds));
        while let Some((last, creditor)) = self.creditors_by_time.first() {
            if *last >= paid_since {
                break;
            }
            work.add(1);
            self.creditors.remove(creditor);
            self.creditors_by_time.pop_first();
        }
        self.covering.expire(now, work);
    }

    /// Rebuilds the payers' queues from the incoming log after it was rebuilt.
    fn regroup_payers(&mut self) {
        self.payers.clear();
        self.receipts = 0;
        let flows: Vec<Flow> = self.incoming.iter().cloned().collect();
        self.incoming = FlowLog::new();
        for flow in flows {
            self.record_incoming(flow);
        }
    }
}

impl AccountActivity {
    /// This account as a snapshot stores it.
    pub fn to_state(&self) -> ActivityState {
        let flows = |log: &FlowLog| log.iter().map(flow_state).collect();
        ActivityState {
            incoming: flows(&self.incoming),
            outgoing: flows(&self.outgoing),
            windows: self.windows.clone(),
            creditors: self
                .creditors
                .iter()
                .map(|(key, at)| (AccountKey::clone(key), *at))
                .collect(),
            covering: self
                .covering
                .in_raised_order()
                .into_iter()
                .map(|(rule, cover)| CoveringState {
                    rule,
                    alert_id: cover.alert_id,
                    evidence: cover.evidence.clone(),
                    until: cover.until,
                })
                .collect(),
        }
    }

    /// The account a snapshot stored, with its totals and indexes rebuilt.
    pub fn from_state(
        state: ActivityState,
        touched_at: Timestamp,
        rules: &SchemeRules,
        keys: &mut SharedKeys,
    ) -> AccountActivity {
        let mut activity = AccountActivity::new(touched_at);
        let mut flow = |flow: FlowState| Flow {
            payment_id: flow.payment_id,
            at: flow.at,
            counterparty: keys.get(flow.counterparty),
            amount: flow.amount,
        };
        for incoming in state.incoming {
            activity.record_incoming(flow(incoming));
        }
        for outgoing in state.outgoing {
            let outgoing = flow(outgoing);
            let in_band = in_structuring_band(&rules.structuring, outgoing.amount);
            activity.outgoing.push(outgoing, in_band);
        }
        activity.windows = state.windows;
        for (creditor, at) in state.creditors {
            activity.remember_creditor(&keys.get(creditor), at);
        }
        for covering in state.covering {
            let reach = activity.reach_of(&covering.evidence, rules);
            activity.covering.push(
                covering.rule,
                Cover {
                    alert_id: covering.alert_id,
                    evidence: covering.evidence,
                    until: covering.until,
                    reach,
                },
            );
        }
        activity
    }

    /// The latest flows of this account among `evidence` (ascending ids), each way.
    fn reach_of(&self, evidence: &[u64], rules: &SchemeRules) -> Reach {
        let latest = |log: &FlowLog| {
            log.iter()
                .filter(|flow| evidence.binary_search(&flow.payment_id).is_ok())
                .map(|flow| flow.at)
                .max()
        };
        let latest_out = latest(&self.outgoing);
        Reach {
            latest_in: latest(&self.incoming),
            latest_out,
            window: latest_out.map_or(0, |at| window_index(at, rules.velocity.window_seconds)),
        }
    }
}

fn flow_state(flow: &Flow) -> FlowState {
    FlowState {
        payment_id: flow.payment_id,
        at: flow.at,
        counterparty: AccountKey::clone(&flow.counterparty),
        amount: flow.amount,
    }
}

fn drop_first_receipt(payers: &mut BTreeMap<Arc<AccountKey>, Receipts>, payer: &AccountKey) {
    let Some(receipts) = payers.get_mut(payer) else {
        return;
    };
    receipts.pop_front();
    if receipts.queue.is_empty() {
        payers.remove(payer);
    }
}
