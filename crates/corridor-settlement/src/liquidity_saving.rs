//! Liquidity saving as the operator configures it, and what it achieved: whether a payment
//! that does not fit is offset on entry against the payee's payments back, how often the
//! queue optimisation runs (in engine time, so replay runs it at the same instants), how much
//! work one run may do (a count of steps, not a wall-clock budget, for the same reason), and
//! the value settled by each way, per currency and participant. Since the start of each
//! currency's business day it also keeps the value settled and the liquidity used: per
//! account, the largest net debit its payments reached (what it needed to hold), so
//! liquidity efficiency is value settled over liquidity used.

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::model::signed;

/// The operator's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiquiditySavingConfig {
    /// Offset a payment that does not fit against the payee's queued payments to the payer.
    pub offsetting: bool,
    /// Run the queue optimisation (all-or-nothing, partial, bilateral) at most this often
    /// per currency while its queues changed; 0: never.
    pub optimisation_interval_seconds: u32,
    /// Most payments one optimisation run may look at or take out, per algorithm.
    pub max_steps: u32,
}

impl Default for LiquiditySavingConfig {
    fn default() -> Self {
        LiquiditySavingConfig {
            offsetting: false,
            optimisation_interval_seconds: 0,
            max_steps: 1_000_000,
        }
    }
}

/// How a payment settled.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SettledBy {
    /// On its own, at once or when its payer's liquidity came.
    Gross,
    /// Together with the payee's payments back, on entry.
    Offsetting,
    /// The whole queue of its currency at once (algorithm 1).
    AllOrNothing,
    /// The queue less the payments that did not fit (algorithm 2).
    Partial,
    /// With the counterparty's payments back, pair by pair (algorithm 3).
    Bilateral,
    /// In a deferred net settlement window.
    Net,
}

/// One algorithm of the queue optimisation, as the operator can run it alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    AllOrNothing,
    Partial,
    Bilateral,
}

/// Value and number of payments settled one way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Settled {
    pub payments: u64,
    /// Minor units of the currency.
    pub value: u128,
}

/// What liquidity saving did, and when it last ran.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct LiquiditySaving {
    config: LiquiditySavingConfig,
    /// By (currency, sender, way).
    settled: BTreeMap<(CurrencyCode, Bic, SettledBy), Settled>,
    last_run: BTreeMap<CurrencyCode, Timestamp>,
    /// Currencies whose queues changed since their last run.
    changed: BTreeSet<CurrencyCode>,
    /// Optimisation runs that found no group to settle while payments were queued.
    gridlocks: BTreeMap<CurrencyCode, u64>,
    /// Since the business day began, by (currency, sender): value settled.
    today: BTreeMap<(CurrencyCode, Bic), u128>,
    /// Since the business day began, by (currency, account): (net of its payments, the
    /// largest net debit it reached).
    usage: BTreeMap<(CurrencyCode, AccountId), (i128, u128)>,
}

impl LiquiditySaving {
    pub(crate) fn config(&self) -> &LiquiditySavingConfig {
        &self.config
    }

    pub(crate) fn configure(&mut self, config: &LiquiditySavingConfig) {
        self.config = config.clone();
    }

    pub(crate) fn count(
        &mut self,
        currency: CurrencyCode,
        sender: Bic,
        by: SettledBy,
        value: u128,
    ) {
        let s = self.settled.entry((currency, sender, by)).or_default();
        s.payments += 1;
        s.value = s.value.saturating_add(value);
        let today = self.today.entry((currency, sender)).or_default();
        *today = today.saturating_add(value);
    }

    /// `amount` moved from `debit` to `credit`: the debtor's net debit may reach a new peak.
    pub(crate) fn moved(
        &mut self,
        currency: CurrencyCode,
        (debit, credit): (AccountId, AccountId),
        amount: u128,
    ) {
        self.shifted(currency, credit, signed(amount));
        self.shifted(currency, debit, -signed(amount));
    }

    /// `account`'s payments changed its net by `delta` at once (a group counts only its
    /// net for each account: it settles as one).
    pub(crate) fn shifted(&mut self, currency: CurrencyCode, account: AccountId, delta: i128) {
        let usage = self.usage.entry((currency, account)).or_default();
        usage.0 += delta;
        usage.1 = usage.1.max(usage.0.min(0).unsigned_abs());
    }

    /// `currency`'s business day ended: value settled and liquidity used start again.
    pub(crate) fn new_day(&mut self, currency: CurrencyCode) {
        self.today.retain(|(c, _), _| *c != currency);
        self.usage.retain(|(c, _), _| *c != currency);
    }

    /// Since `currency`'s business day began: (value settled by `sender`, or by everyone;
    /// liquidity used by the accounts `accounts` accepts).
    pub(crate) fn today(
        &self,
        currency: CurrencyCode,
        sender: Option<Bic>,
        accounts: impl Fn(AccountId) -> bool,
    ) -> (u128, u128) {
        let value = self
            .today
            .iter()
            .filter(|((c, s), _)| *c == currency && sender.is_none_or(|x| x == *s))
            .map(|(_, v)| *v)
            .fold(0u128, u128::saturating_add);
        let used = self
            .usage
            .iter()
            .filter(|((c, a), _)| *c == currency && accounts(*a))
            .map(|(_, (_, peak))| *peak)
            .fold(0u128, u128::saturating_add);
        (value, used)
    }

    pub(crate) fn queue_changed(&mut self, currency: CurrencyCode) {
        if self.config.optimisation_interval_seconds > 0 {
            self.changed.insert(currency);
        }
    }

    /// The currencies whose optimisation is due at `now`, taken off the changed list.
    pub(crate) fn due(&mut self, now: Timestamp) -> Vec<CurrencyCode> {
        let interval = self.config.optimisation_interval_seconds;
        if interval == 0 || self.changed.is_empty() {
            return Vec::new();
        }
        let due: Vec<CurrencyCode> = self
            .changed
            .iter()
            .copied()
            .filter(|c| {
                self.last_run
                    .get(c)
                    .is_none_or(|last| last.plus_seconds(interval) <= now)
            })
            .collect();
        for c in &due {
            self.changed.remove(c);
            self.last_run.insert(*c, now);
        }
        due
    }

    /// When the next optimisation run is due, if a currency's queues changed.
    pub(crate) fn next_due(&self) -> Option<Timestamp> {
        let interval = self.config.optimisation_interval_seconds;
        if interval == 0 {
            return None;
        }
        self.changed
            .iter()
            .map(|c| {
                self.last_run
                    .get(c)
                    .map_or(Timestamp::ZERO, |last| last.plus_seconds(interval))
            })
            .min()
    }

    pub(crate) fn gridlocked(&mut self, currency: CurrencyCode) {
        *self.gridlocks.entry(currency).or_default() += 1;
    }

    /// Settled value by way, for one currency (every participant) or one participant.
    pub(crate) fn settled(
        &self,
        currency: Option<CurrencyCode>,
        sender: Option<Bic>,
    ) -> BTreeMap<(CurrencyCode, SettledBy), Settled> {
        let mut out: BTreeMap<(CurrencyCode, SettledBy), Settled> = BTreeMap::new();
        for (&(c, bank, by), s) in &self.settled {
            if currency.is_some_and(|x| x != c) || sender.is_some_and(|x| x != bank) {
                continue;
            }
            let total = out.entry((c, by)).or_default();
            total.payments += s.payments;
            total.value = total.value.saturating_add(s.value);
        }
        out
    }

    pub(crate) fn gridlocks(&self, currency: CurrencyCode) -> u64 {
        self.gridlocks.get(&currency).copied().unwrap_or(0)
    }
}
