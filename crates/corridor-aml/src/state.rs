//! The monitor's state as a snapshot stores it, in the layout hub snapshots have always
//! had: every flow with its counterparty's key, the covering alerts of an account in the
//! order they were raised. The running totals, indexes and shared keys the monitor works
//! with are rebuilt from it on load, so a snapshot taken before they existed still loads,
//! and two monitors are equal when these states are.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::alert::RuleKind;
use crate::config::AmlConfig;
use crate::payment::AccountKey;

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitorState {
    pub config: AmlConfig,
    pub books: BTreeMap<CurrencyCode, BookState>,
    pub now: Timestamp,
    pub last_alert_id: u64,
    pub unmonitored_payments: u64,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookState {
    pub accounts: BTreeMap<AccountKey, ActivityState>,
    pub last_touched: BTreeSet<(Timestamp, AccountKey)>,
    pub touched_at: BTreeMap<AccountKey, Timestamp>,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityState {
    pub incoming: VecDeque<FlowState>,
    pub outgoing: VecDeque<FlowState>,
    pub windows: BTreeMap<u64, WindowTotal>,
    pub creditors: BTreeMap<AccountKey, Timestamp>,
    pub covering: Vec<CoveringState>,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowState {
    pub payment_id: u64,
    pub at: Timestamp,
    pub counterparty: AccountKey,
    pub amount: u128,
}

#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoveringState {
    pub rule: RuleKind,
    pub alert_id: u64,
    pub evidence: Vec<u64>,
    pub until: Timestamp,
}

/// A debtor's outgoing payments in one velocity window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowTotal {
    pub count: u64,
    pub value: u128,
}

impl WindowTotal {
    pub(crate) fn add(&mut self, amount: u128) {
        self.count = self.count.saturating_add(1);
        self.value = self.value.saturating_add(amount);
    }
}

/// One shared key per account while a book is loaded.
#[derive(Debug, Default)]
pub struct SharedKeys(BTreeMap<AccountKey, Arc<AccountKey>>);

impl SharedKeys {
    pub fn get(&mut self, key: AccountKey) -> Arc<AccountKey> {
        self.0
            .entry(key)
            .or_insert_with_key(|key| Arc::new(key.clone()))
            .clone()
    }
}
