//! Limits and reservations, per settlement account, as T2 has them. A participant reserves
//! liquidity for its urgent payments and for its high payments (a normal payment may use
//! neither; a high one may not use the urgent reserve), and caps the net outflow of its
//! normal payments: toward one participant (a bilateral limit) and toward every participant
//! without a bilateral limit (the multilateral limit). A position is the value of normal
//! payments the account sent to a counterparty less the value of every payment it received
//! from it, since the start of its currency's business day; it is kept as payments settle,
//! so a check reads counters and never scans payments.
//!
//! The store only keeps and answers; the hub decides when a payment or a group of payments
//! may settle (`Hub::controls_allow`).

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, Timestamp};
use serde::{Deserialize, Serialize};

use crate::model::{Priority, signed};

/// What a participant (or the operator for it) asks for, amounts as decimal text in the
/// account's currency. Absent amounts are zero (a reserve) or no limit.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiquidityControlsRequest {
    /// Liquidity only urgent payments may use.
    #[serde(default)]
    pub urgent_reserve: Option<String>,
    /// Liquidity only high (and urgent) payments may use.
    #[serde(default)]
    pub high_reserve: Option<String>,
    /// The most net outflow of normal payments toward every participant without a
    /// bilateral limit.
    #[serde(default)]
    pub multilateral_limit: Option<String>,
    #[serde(default)]
    pub bilateral_limits: Vec<BilateralLimitRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BilateralLimitRequest {
    pub counterparty: Bic,
    /// The most net outflow of normal payments toward `counterparty`.
    pub limit: String,
}

/// An account's limits and reservations, in minor units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiquidityControls {
    pub urgent_reserve: u128,
    pub high_reserve: u128,
    pub multilateral_limit: Option<u128>,
    pub bilateral_limits: BTreeMap<Bic, u128>,
    /// `participant:<BIC>` or `operator`.
    pub set_by: String,
    pub set_at: Option<Timestamp>,
}

impl LiquidityControls {
    /// What a payment of `priority` may not use of the account's liquidity.
    pub fn reserved_from(&self, priority: Priority) -> u128 {
        match priority {
            Priority::Urgent => 0,
            Priority::High => self.urgent_reserve,
            Priority::Normal => self.urgent_reserve.saturating_add(self.high_reserve),
        }
    }

    fn limits(&self) -> bool {
        self.multilateral_limit.is_some() || !self.bilateral_limits.is_empty()
    }
}

/// An account's positions since the start of its business day: per counterparty, and in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Positions {
    /// Minor units; positive: more sent (normal) than received.
    pub bilateral: BTreeMap<Bic, i128>,
    pub total: i128,
}

impl Positions {
    /// The position toward every counterparty without a bilateral limit.
    pub fn multilateral(&self, controls: &LiquidityControls) -> i128 {
        let limited: i128 = controls
            .bilateral_limits
            .keys()
            .filter_map(|b| self.bilateral.get(b))
            .sum();
        self.total - limited
    }

    fn add(&mut self, counterparty: Bic, change: i128) {
        *self.bilateral.entry(counterparty).or_default() += change;
        self.total += change;
    }
}

/// One payment as the limits see it: `payer` (owned by `sender`) pays `payee` (owned by
/// `receiver`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Flow {
    pub payer: AccountId,
    pub sender: Bic,
    pub payee: AccountId,
    pub receiver: Bic,
    pub amount: u128,
    pub priority: Priority,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct ControlStore {
    controls: BTreeMap<AccountId, LiquidityControls>,
    /// Only accounts with controls keep positions: a limit set during the day counts from
    /// when it was set.
    positions: BTreeMap<AccountId, Positions>,
}

impl ControlStore {
    pub(crate) fn is_empty(&self) -> bool {
        self.controls.is_empty()
    }

    pub(crate) fn get(&self, account: AccountId) -> Option<&LiquidityControls> {
        self.controls.get(&account)
    }

    pub(crate) fn positions(&self, account: AccountId) -> Option<&Positions> {
        self.positions.get(&account)
    }

    /// Replaces `account`'s controls; none at all forgets them.
    pub(crate) fn set(&mut self, account: AccountId, controls: LiquidityControls) {
        let none = controls.urgent_reserve == 0 && controls.high_reserve == 0 && !controls.limits();
        if none {
            self.controls.remove(&account);
            self.positions.remove(&account);
            return;
        }
        self.positions.entry(account).or_default();
        self.controls.insert(account, controls);
    }

    /// What a payment of `priority` from `account` may not use.
    pub(crate) fn reserved_from(&self, account: AccountId, priority: Priority) -> u128 {
        self.controls
            .get(&account)
            .map_or(0, |c| c.reserved_from(priority))
    }

    /// Whether `account` has limits (so a group's flows must be checked against them).
    pub(crate) fn limited(&self, account: AccountId) -> bool {
        self.controls.get(&account).is_some_and(|c| c.limits())
    }

    /// The first account whose limit the flows would breach: a position that rises above
    /// its limit (a position already above a limit that was lowered may fall, never rise).
    pub(crate) fn breach(&self, flows: &[Flow]) -> Option<AccountId> {
        let mut change: BTreeMap<AccountId, BTreeMap<Bic, i128>> = BTreeMap::new();
        for f in flows {
            let amount = i128::try_from(f.amount).unwrap_or(i128::MAX);
            if f.priority == Priority::Normal && self.limited(f.payer) {
                *change
                    .entry(f.payer)
                    .or_default()
                    .entry(f.receiver)
                    .or_default() += amount;
            }
            if self.limited(f.payee) {
                *change
                    .entry(f.payee)
                    .or_default()
                    .entry(f.sender)
                    .or_default() -= amount;
            }
        }
        change
            .into_iter()
            .find(|(account, by_counterparty)| self.breaches(*account, by_counterparty))
            .map(|(account, _)| account)
    }

    fn breaches(&self, account: AccountId, change: &BTreeMap<Bic, i128>) -> bool {
        let Some(controls) = self.controls.get(&account) else {
            return false;
        };
        let empty = Positions::default();
        let positions = self.positions.get(&account).unwrap_or(&empty);
        let mut multilateral_change = 0i128;
        for (counterparty, &delta) in change {
            let Some(&limit) = controls.bilateral_limits.get(counterparty) else {
                multilateral_change += delta;
                continue;
            };
            let now = positions.bilateral.get(counterparty).copied().unwrap_or(0);
            if delta > 0 && now + delta > signed(limit) {
                return true;
            }
        }
        controls.multilateral_limit.is_some_and(|limit| {
            multilateral_change > 0
                && positions.multilateral(controls) + multilateral_change > signed(limit)
        })
    }

    /// A payment settled: the positions of its accounts that keep them move.
    pub(crate) fn record(&mut self, flow: &Flow) {
        let amount = signed(flow.amount);
        if flow.priority == Priority::Normal
            && let Some(p) = self.positions.get_mut(&flow.payer)
        {
            p.add(flow.receiver, amount);
        }
        if let Some(p) = self.positions.get_mut(&flow.payee) {
            p.add(flow.sender, -amount);
        }
    }

    /// `account`'s business day ended: its positions start again from zero.
    pub(crate) fn new_day(&mut self, account: AccountId) {
        if let Some(p) = self.positions.get_mut(&account) {
            *p = Positions::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bic(text: &str) -> Bic {
        text.parse().unwrap()
    }

    fn account(n: u128) -> AccountId {
        AccountId::new(n).unwrap()
    }

    fn flow(payer: u128, sender: &str, payee: u128, receiver: &str, amount: u128) -> Flow {
        Flow {
            payer: account(payer),
            sender: bic(sender),
            payee: account(payee),
            receiver: bic(receiver),
            amount,
            priority: Priority::Normal,
        }
    }

    #[test]
    fn a_bilateral_limit_counts_what_came_back() {
        let mut store = ControlStore::default();
        let controls = LiquidityControls {
            bilateral_limits: [(bic("BBBBRUMM"), 100)].into(),
            ..LiquidityControls::default()
        };
        store.set(account(1), controls);
        let out = flow(1, "AAAARUMM", 2, "BBBBRUMM", 150);
        assert_eq!(store.breach(&[out]), Some(account(1)));
        let back = flow(2, "BBBBRUMM", 1, "AAAARUMM", 60);
        assert_eq!(store.breach(&[out, back]), None, "150 out, 60 back: 90 net");
        store.record(&back);
        assert_eq!(store.breach(&[out]), None);
        store.record(&out);
        assert_eq!(store.positions(account(1)).unwrap().total, 90);
        store.new_day(account(1));
        assert_eq!(store.positions(account(1)).unwrap().total, 0);
    }

    #[test]
    fn the_multilateral_limit_leaves_out_bilaterally_limited_counterparties() {
        let mut store = ControlStore::default();
        let controls = LiquidityControls {
            multilateral_limit: Some(100),
            bilateral_limits: [(bic("BBBBRUMM"), 1_000)].into(),
            ..LiquidityControls::default()
        };
        store.set(account(1), controls);
        assert_eq!(
            store.breach(&[flow(1, "AAAARUMM", 2, "BBBBRUMM", 500)]),
            None
        );
        assert_eq!(
            store.breach(&[flow(1, "AAAARUMM", 3, "CCCCRUMM", 101)]),
            Some(account(1))
        );
        let urgent = Flow {
            priority: Priority::Urgent,
            ..flow(1, "AAAARUMM", 3, "CCCCRUMM", 101)
        };
        assert_eq!(
            store.breach(&[urgent]),
            None,
            "limits bind normal payments only"
        );
    }

    #[test]
    fn reserves_stack_by_priority() {
        let c = LiquidityControls {
            urgent_reserve: 30,
            high_reserve: 20,
            ..LiquidityControls::default()
        };
        assert_eq!(c.reserved_from(Priority::Urgent), 0);
        assert_eq!(c.reserved_from(Priority::High), 30);
        assert_eq!(c.reserved_from(Priority::Normal), 50);
    }
}
