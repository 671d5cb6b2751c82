//! Deferred net settlement windows, per currency, for the payments the scheme settles net
//! (normal payments up to an amount the operator sets). A payment is assigned to the open
//! window in the same step that accepts it, against its sender's net debit cap in the
//! window, and the window's net positions move with it, so closing a window reads counters
//! and never scans payments. States: OPEN -> CLOSED -> SETTLING (waiting for liquidity) ->
//! SETTLED, or ABORTED by the operator with a reason. The store keeps the windows; the hub
//! (`hub/net.rs`) settles them on the ledger and runs the default procedure.

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{Bic, CurrencyCode, Timestamp, TransferId};
use serde::{Deserialize, Serialize};

use crate::model::{Priority, signed};
use crate::rejection::Rejection;

/// What the operator asks for one currency, amounts as decimal text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetSettlementRequest {
    /// Normal payments of at most this amount settle net; absent: net settlement off (the
    /// open window still closes and settles).
    #[serde(default)]
    pub up_to_amount: Option<String>,
    /// How long a closed window waits for a participant's liquidity before the default
    /// procedure takes that participant's payments out.
    pub default_after_seconds: u32,
    /// A window closes this long after it opened (several cycles a day); absent: only at
    /// the currency's end of day or by the operator.
    #[serde(default)]
    pub window_seconds: Option<u32>,
    /// Each participant's net debit cap in a window; a participant not named has none (it
    /// may only send what it received in the window).
    #[serde(default)]
    pub net_debit_caps: Vec<NetDebitCapRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetDebitCapRequest {
    pub participant: Bic,
    pub cap: String,
}

/// A currency's net settlement, in minor units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NetSettlementConfig {
    pub up_to_amount: Option<u128>,
    pub default_after_seconds: u32,
    pub window_seconds: Option<u32>,
    pub net_debit_caps: BTreeMap<Bic, u128>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    Open,
    Closed,
    /// Tried and waiting for a participant's liquidity, until `default_at`.
    Settling,
    Settled,
    Aborted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NetWindow {
    pub id: u64,
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    pub state: WindowState,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// When the default procedure runs if the window has not settled.
    pub default_at: Option<Timestamp>,
    pub settled_at: Option<Timestamp>,
    /// The payments in the window (those taken out by a default are gone from it).
    pub payments: Vec<u64>,
    /// Minor units.
    pub value: u128,
    /// Per participant: received less sent, minor units (negative: a net debit).
    #[schema(value_type = BTreeMap<String, String>)]
    pub positions: BTreeMap<Bic, i128>,
    /// Participants the default procedure took out.
    #[schema(value_type = Vec<String>)]
    pub defaulted: Vec<Bic>,
    /// Why the window was aborted.
    pub reason: Option<Rejection>,
    /// The ledger transfers of the settlement batch.
    #[schema(value_type = Vec<String>)]
    pub transfers: Vec<TransferId>,
}

impl NetWindow {
    fn open(id: u64, currency: CurrencyCode, now: Timestamp) -> NetWindow {
        NetWindow {
            id,
            currency,
            state: WindowState::Open,
            opened_at: now,
            closed_at: None,
            default_at: None,
            settled_at: None,
            payments: Vec::new(),
            value: 0,
            positions: BTreeMap::new(),
            defaulted: Vec::new(),
            reason: None,
            transfers: Vec::new(),
        }
    }

    /// Net positions sum to zero: what one participant owes, others are owed.
    pub fn balanced(&self) -> bool {
        self.positions.values().sum::<i128>() == 0
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct NetSettlement {
    configs: BTreeMap<CurrencyCode, NetSettlementConfig>,
    windows: BTreeMap<u64, NetWindow>,
    open: BTreeMap<CurrencyCode, u64>,
    /// Closed windows not yet settled or aborted, oldest first.
    pending: BTreeSet<u64>,
    next_window: u64,
}

impl NetSettlement {
    pub(crate) fn config(&self, currency: CurrencyCode) -> Option<&NetSettlementConfig> {
        self.configs.get(&currency)
    }

    /// Sets `currency`'s net settlement and opens its first window if it has none open.
    pub(crate) fn configure(
        &mut self,
        currency: CurrencyCode,
        config: NetSettlementConfig,
        now: Timestamp,
    ) {
        self.configs.insert(currency, config);
        if !self.open.contains_key(&currency) {
            self.open_window(currency, now);
        }
    }

    fn open_window(&mut self, currency: CurrencyCode, now: Timestamp) -> u64 {
        self.next_window += 1;
        let id = self.next_window;
        self.windows.insert(id, NetWindow::open(id, currency, now));
        self.open.insert(currency, id);
        id
    }

    /// Whether a payment settles net: its currency settles net payments of its size, and
    /// it is a normal one.
    pub(crate) fn qualifies(
        &self,
        currency: CurrencyCode,
        amount: u128,
        priority: Priority,
    ) -> bool {
        priority == Priority::Normal
            && self
                .configs
                .get(&currency)
                .and_then(|c| c.up_to_amount)
                .is_some_and(|up_to| amount <= up_to)
            && self.open.contains_key(&currency)
    }

    /// Payment `id` of `amount` from `sender` to `receiver` joins `currency`'s open window,
    /// if the sender's net debit stays within its cap. The window's id.
    pub(crate) fn accept(
        &mut self,
        currency: CurrencyCode,
        (sender, receiver): (Bic, Bic),
        id: u64,
        amount: u128,
    ) -> Result<u64, Rejection> {
        let cap = self
            .configs
            .get(&currency)
            .and_then(|c| c.net_debit_caps.get(&sender).copied())
            .unwrap_or(0);
        let Some(window) = self
            .open
            .get(&currency)
            .and_then(|w| self.windows.get_mut(w))
        else {
            return Err(Rejection::new(
                "NARR",
                format!("{currency} has no open net window"),
            ));
        };
        let position = window.positions.get(&sender).copied().unwrap_or(0);
        if position - signed(amount) < -signed(cap) {
            return Err(Rejection::new(
                "AM04",
                format!(
                    "the net debit of {sender} in net window {} would exceed its net debit cap",
                    window.id
                ),
            ));
        }
        *window.positions.entry(sender).or_default() -= signed(amount);
        *window.positions.entry(receiver).or_default() += signed(amount);
        window.payments.push(id);
        window.value = window.value.saturating_add(amount);
        debug_assert!(window.balanced());
        Ok(window.id)
    }

    /// Closes `currency`'s open window and opens the next one. The closed window's id.
    pub(crate) fn close(&mut self, currency: CurrencyCode, now: Timestamp) -> Option<u64> {
        let id = self.open.remove(&currency)?;
        let wait = self
            .configs
            .get(&currency)
            .map_or(0, |c| c.default_after_seconds);
        if let Some(w) = self.windows.get_mut(&id) {
            w.state = WindowState::Closed;
            w.closed_at = Some(now);
            w.default_at = Some(now.plus_seconds(wait));
        }
        self.pending.insert(id);
        self.open_window(currency, now);
        Some(id)
    }

    pub(crate) fn window(&self, id: u64) -> Option<&NetWindow> {
        self.windows.get(&id)
    }

    /// `currency`'s windows, the newest first, at most `limit`.
    pub(crate) fn windows(&self, currency: CurrencyCode, limit: usize) -> Vec<&NetWindow> {
        self.windows
            .values()
            .rev()
            .filter(|w| w.currency == currency)
            .take(limit)
            .collect()
    }

    /// When `currency`'s open window closes on its own, if its settings close windows.
    fn closes_at(&self, currency: CurrencyCode) -> Option<Timestamp> {
        let seconds = self.configs.get(&currency)?.window_seconds?;
        let window = self.windows.get(self.open.get(&currency)?)?;
        Some(window.opened_at.plus_seconds(seconds))
    }

    /// The currencies whose open window is due to close at `now`.
    pub(crate) fn due_to_close(&self, now: Timestamp) -> Vec<CurrencyCode> {
        self.open
            .keys()
            .copied()
            .filter(|c| self.closes_at(*c).is_some_and(|at| at <= now))
            .collect()
    }

    /// The next instant a window closes on its own or a waiting window's default is due.
    pub(crate) fn next_deadline(&self) -> Option<Timestamp> {
        let closes = self.open.keys().filter_map(|c| self.closes_at(*c));
        let defaults = self
            .pending
            .iter()
            .filter_map(|id| self.windows.get(id)?.default_at);
        closes.chain(defaults).min()
    }

    /// Windows closed and not yet settled or aborted, oldest first.
    pub(crate) fn pending(&self) -> Vec<u64> {
        self.pending.iter().copied().collect()
    }

    /// The window tried to settle and waits for liquidity.
    pub(crate) fn waiting(&mut self, id: u64) {
        if let Some(w) = self.windows.get_mut(&id) {
            w.state = WindowState::Settling;
        }
    }

    /// The default procedure took `participant` out: the window keeps `payments`, with the
    /// positions they give.
    pub(crate) fn take_out(
        &mut self,
        id: u64,
        participant: Bic,
        payments: Vec<u64>,
        positions: BTreeMap<Bic, i128>,
        value: u128,
    ) {
        if let Some(w) = self.windows.get_mut(&id) {
            w.defaulted.push(participant);
            w.payments = payments;
            w.positions = positions;
            w.value = value;
            debug_assert!(w.balanced());
        }
    }

    pub(crate) fn settled(&mut self, id: u64, transfers: Vec<TransferId>, now: Timestamp) {
        self.pending.remove(&id);
        if let Some(w) = self.windows.get_mut(&id) {
            w.state = WindowState::Settled;
            w.settled_at = Some(now);
            w.transfers = transfers;
        }
    }

    pub(crate) fn aborted(&mut self, id: u64, reason: Rejection) {
        self.pending.remove(&id);
        if let Some(w) = self.windows.get_mut(&id) {
            w.state = WindowState::Aborted;
            w.reason = Some(reason);
        }
    }

    /// Every window's positions balance, every pending window is closed or settling, and
    /// each currency has at most one open window.
    pub(crate) fn consistent(&self) -> bool {
        self.windows.values().all(NetWindow::balanced)
            && self.pending.iter().all(|id| {
                self.windows
                    .get(id)
                    .is_some_and(|w| matches!(w.state, WindowState::Closed | WindowState::Settling))
            })
            && self.open.iter().all(|(c, id)| {
                self.windows
                    .get(id)
                    .is_some_and(|w| w.currency == *c && w.state == WindowState::Open)
            })
    }
}
