//! Liquidity saving: payments that cannot settle alone settle together, as a group, all or
//! none, through `Books::post_group` (the ledger checks each payer's position after the
//! whole group, so what a bank receives in the group pays for what it sends).
//!
//! - Offsetting on entry: a payment that does not fit goes with the payee's payments back to
//!   the payer at the head of the payee's queue; failing that (extended offsetting), with the
//!   payee's normal payments back to the payer from anywhere in its queue, the fewest that
//!   cover the payer.
//! - Queue optimisation per currency, at most every `optimisation_interval_seconds` of
//!   engine time while its queues changed: all-or-nothing over every queue (T2 algorithm 1);
//!   if that fails, partial: while some account's position is negative, take out the last
//!   payment (the least urgent, latest) of the account most in deficit, then settle the rest
//!   (algorithm 2), and after it settles, all-or-nothing again; if partial fails, bilateral:
//!   pairs of banks by the smallest difference of their mutual normal payments, the net
//!   payer's latest taken out until the pair fits (algorithm 3).
//!
//! Invariants: urgent and high payments never overtake (each group holds a prefix of every
//! urgent and high queue); normal payments may settle out of order only inside a group; a
//! group settles completely or not at all; the work of a run is bounded by a count of
//! steps, never by a clock, so replay settles the same groups.

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::books::{CODE_PAYMENT, CODE_RETURN, GroupTransfer};
use crate::liquidity_controls::Flow;
use crate::liquidity_saving::{Algorithm, SettledBy};
use crate::model::{Priority, signed};
use crate::payment::PaymentStatus;
use crate::rejection::Rejection;

/// A queued (or arriving) payment as the algorithms see it.
#[derive(Clone, Copy, Debug)]
struct Member {
    id: u64,
    sender: Bic,
    receiver: Bic,
    payer: AccountId,
    payee: AccountId,
    amount: u128,
    priority: Priority,
    code: u16,
}

impl Member {
    fn flow(&self) -> Flow {
        Flow {
            payer: self.payer,
            sender: self.sender,
            payee: self.payee,
            receiver: self.receiver,
            amount: self.amount,
            priority: self.priority,
        }
    }
}

/// What waits in a currency's queues (of one sender, when given).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct QueueSummary {
    pub payments: u64,
    /// Minor units.
    pub value: u128,
    /// When the oldest of them was received.
    pub oldest_received_at: Option<Timestamp>,
}

impl Hub {
    /// What waits in `currency`'s queues, of `sender` only when given.
    pub fn queue_summary(&self, currency: CurrencyCode, sender: Option<Bic>) -> QueueSummary {
        let mut summary = QueueSummary::default();
        for payer in self.payers_in(currency) {
            let owner = self.registry.account(payer).map(|i| i.owner);
            if sender.is_some_and(|s| Some(s) != owner) {
                continue;
            }
            for id in self.queued_in(&[payer]) {
                let Some(p) = self.payments.get(id) else {
                    continue;
                };
                summary.payments += 1;
                summary.value = summary.value.saturating_add(p.amount);
                summary.oldest_received_at = Some(
                    summary
                        .oldest_received_at
                        .map_or(p.received_at, |t| t.min(p.received_at)),
                );
            }
        }
        summary
    }

    /// Payment `id` does not fit its payer's liquidity: settles it with the payee's
    /// payments back, if that group fits. Whether it settled.
    pub(super) fn offset_on_entry(
        &mut self,
        id: u64,
        payer: AccountId,
        payee: AccountId,
        now: Timestamp,
    ) -> bool {
        if !self.lsm.config().offsetting {
            return false;
        }
        let Some(new) = self.member(id, payer, payee) else {
            return false;
        };
        let back_queue = self.queue_members(payee);
        let head: Vec<Member> = back_queue
            .iter()
            .take_while(|m| m.payee == payer)
            .copied()
            .collect();
        if !head.is_empty() && self.settle_group(new, &head, now) {
            return true;
        }
        // Taking a normal payment from inside the payee's queue overtakes only its normal
        // payments, which an algorithm may; never an urgent or high one.
        if back_queue.iter().any(|m| m.priority > Priority::Normal) {
            return false;
        }
        let needed = signed(new.amount) - signed(self.books.available(payer));
        let mut chosen = Vec::new();
        let mut covered = 0i128;
        for m in back_queue.iter().filter(|m| m.payee == payer) {
            if covered >= needed {
                break;
            }
            covered += signed(m.amount);
            chosen.push(*m);
        }
        covered >= needed && !chosen.is_empty() && self.settle_group(new, &chosen, now)
    }

    /// Runs the queue optimisation of every currency that is due.
    pub(super) fn optimise_due(&mut self, now: Timestamp) {
        for currency in self.lsm.due(now) {
            if self.currency_open(currency, now) {
                self.optimise(currency, now);
            }
        }
    }

    /// The operator runs `algorithm` (or the whole sequence) over `currency`'s queues now.
    pub(super) fn run_optimisation(
        &mut self,
        currency: CurrencyCode,
        algorithm: Option<Algorithm>,
        now: Timestamp,
    ) -> HubOutcome {
        self.registry.scheme_currency(currency)?;
        if !self.currency_open(currency, now) {
            return Err(Rejection::new(
                "NARR",
                format!("{currency} is closed: nothing settles until it opens"),
            ));
        }
        let steps = self.lsm.config().max_steps as usize;
        let queues = self.currency_queues(currency);
        match algorithm {
            None => self.optimise(currency, now),
            Some(_) if queues.is_empty() => {}
            Some(Algorithm::AllOrNothing) => {
                self.settle_prefixes(&queues, 0, SettledBy::AllOrNothing, now);
            }
            Some(Algorithm::Partial) => {
                self.settle_prefixes(&queues, steps, SettledBy::Partial, now);
            }
            Some(Algorithm::Bilateral) => {
                self.settle_pairs(currency, steps, now);
            }
        }
        Ok(Answer::Done)
    }

    /// The sequence: all-or-nothing; else partial, then all-or-nothing again; else bilateral.
    pub(super) fn optimise(&mut self, currency: CurrencyCode, now: Timestamp) {
        let steps = self.lsm.config().max_steps as usize;
        let queues = self.currency_queues(currency);
        if queues.is_empty() {
            return;
        }
        if self.settle_prefixes(&queues, 0, SettledBy::AllOrNothing, now) {
            return;
        }
        if self.settle_prefixes(&queues, steps, SettledBy::Partial, now) {
            let rest = self.currency_queues(currency);
            if !rest.is_empty() {
                self.settle_prefixes(&rest, 0, SettledBy::AllOrNothing, now);
            }
            return;
        }
        if !self.settle_pairs(currency, steps, now) {
            self.lsm.gridlocked(currency);
        }
    }

    /// Algorithms 1 and 2: the longest prefix of every queue whose positions all fit, taking
    /// out at most `removals` payments (0: all or nothing). Whether a group settled.
    fn settle_prefixes(
        &mut self,
        queues: &BTreeMap<AccountId, Vec<Member>>,
        removals: usize,
        by: SettledBy,
        now: Timestamp,
    ) -> bool {
        let mut position: BTreeMap<AccountId, i128> = BTreeMap::new();
        for queue in queues.values() {
            for m in queue {
                let available = |a| signed(self.books.available(a));
                *position
                    .entry(m.payer)
                    .or_insert_with(|| available(m.payer)) -= signed(m.amount);
                *position
                    .entry(m.payee)
                    .or_insert_with(|| available(m.payee)) += signed(m.amount);
            }
        }
        let mut order: BTreeSet<(i128, AccountId)> =
            position.iter().map(|(a, p)| (*p, *a)).collect();
        let mut included: BTreeMap<AccountId, usize> =
            queues.iter().map(|(a, q)| (*a, q.len())).collect();
        let mut removed = 0;
        loop {
            // The account most in deficit; once every position fits, one whose reservation
            // or limit the group would break.
            let account = match order.first() {
                Some(&(worst, account)) if worst < 0 => account,
                _ => match self.prefix_breach(queues, &included) {
                    Some(account) => account,
                    None => break,
                },
            };
            if removed >= removals {
                return false;
            }
            let Some(len) = included.get_mut(&account).filter(|len| **len > 0) else {
                // An account in deficit with nothing left to take out cannot be: its
                // position is then what it holds plus what it receives.
                return false;
            };
            *len -= 1;
            let m = queues[&account][*len];
            removed += 1;
            for (a, change) in [(m.payer, signed(m.amount)), (m.payee, -signed(m.amount))] {
                let p = position
                    .get_mut(&a)
                    .expect("every member's accounts have a position");
                order.remove(&(*p, a));
                *p += change;
                order.insert((*p, a));
            }
        }
        let group: Vec<Member> = queues
            .iter()
            .flat_map(|(a, q)| q[..included[a]].iter().copied())
            .collect();
        !group.is_empty() && self.settle_members(&group, by, now)
    }

    /// An account whose reservation or limit the prefixes `included` of `queues` would
    /// break, settled together.
    fn prefix_breach(
        &self,
        queues: &BTreeMap<AccountId, Vec<Member>>,
        included: &BTreeMap<AccountId, usize>,
    ) -> Option<AccountId> {
        if self.controls.is_empty() {
            return None;
        }
        let flows: Vec<Flow> = queues
            .iter()
            .flat_map(|(a, q)| q[..included[a]].iter().map(Member::flow))
            .collect();
        self.controls_allow(&flows).err()
    }

    /// Algorithm 3: pairs of banks settle their mutual normal payments, the pair with the
    /// smallest difference first; the net payer's latest payments are taken out until the
    /// pair fits. Whether any pair settled.
    fn settle_pairs(&mut self, currency: CurrencyCode, steps: usize, now: Timestamp) -> bool {
        let queues = self.currency_queues(currency);
        let mut flows: BTreeMap<(AccountId, AccountId), Vec<Member>> = BTreeMap::new();
        for queue in queues.values() {
            // A bank with urgent or high payments queued keeps its normal ones behind them.
            if queue.iter().any(|m| m.priority > Priority::Normal) {
                continue;
            }
            for m in queue {
                flows.entry((m.payer, m.payee)).or_default().push(*m);
            }
        }
        let total = |ms: &[Member]| ms.iter().map(|m| signed(m.amount)).sum::<i128>();
        let mut pairs: Vec<(i128, AccountId, AccountId)> = flows
            .keys()
            .filter(|(a, b)| a < b && flows.contains_key(&(*b, *a)))
            .map(|&(a, b)| {
                (
                    (total(&flows[&(a, b)]) - total(&flows[&(b, a)])).abs(),
                    a,
                    b,
                )
            })
            .collect();
        pairs.sort_unstable();
        let (mut settled_any, mut budget) = (false, steps);
        for (_, a, b) in pairs {
            // A pair settled before this one fed queues that may have settled some of these.
            let still_queued = |ms: &[Member]| -> Vec<Member> {
                ms.iter()
                    .copied()
                    .filter(|m| self.is_queued(m.id))
                    .collect()
            };
            let mut ab = still_queued(&flows[&(a, b)]);
            let mut ba = still_queued(&flows[&(b, a)]);
            let (avail_a, avail_b) = (
                signed(self.books.available(a)),
                signed(self.books.available(b)),
            );
            loop {
                let (pa, pb) = (
                    avail_a - total(&ab) + total(&ba),
                    avail_b - total(&ba) + total(&ab),
                );
                if pa >= 0 && pb >= 0 {
                    break;
                }
                if budget == 0 {
                    return settled_any;
                }
                budget -= 1;
                if pa < 0 {
                    ab.pop()
                } else {
                    ba.pop()
                };
            }
            let group: Vec<Member> = ab.into_iter().chain(ba).collect();
            if !group.is_empty() && self.settle_members(&group, SettledBy::Bilateral, now) {
                settled_any = true;
            }
        }
        settled_any
    }

    /// Settles `new` (not queued) with `queued` as one group by offsetting.
    fn settle_group(&mut self, new: Member, queued: &[Member], now: Timestamp) -> bool {
        let mut group = Vec::with_capacity(queued.len() + 1);
        group.push(new);
        group.extend_from_slice(queued);
        self.settle_members(&group, SettledBy::Offsetting, now)
    }

    /// Posts `group` all at once or not at all; on success each payment leaves its queue and
    /// is settled, and the queues its settlement fed are retried.
    fn settle_members(&mut self, group: &[Member], by: SettledBy, now: Timestamp) -> bool {
        // Every member waits (an arriving payment is recorded as queued until decided): a
        // payment that settled meanwhile must never be posted again.
        if !group.iter().all(|m| self.is_queued(m.id)) {
            debug_assert!(false, "a group member no longer waits");
            return false;
        }
        let Some(currency) = group
            .first()
            .and_then(|m| self.payments.get(m.id))
            .map(|p| p.currency())
        else {
            return false;
        };
        let flows: Vec<Flow> = group.iter().map(Member::flow).collect();
        if self.controls_allow(&flows).is_err() {
            return false;
        }
        let transfers: Vec<GroupTransfer> = group
            .iter()
            .map(|m| GroupTransfer::new(m.id, (m.payer, m.payee), (currency, m.amount), m.code))
            .collect();
        let Ok(posted) = self.books.post_group(&transfers, now) else {
            return false;
        };
        self.record_flows(&flows);
        let mut net: BTreeMap<AccountId, i128> = BTreeMap::new();
        for m in group {
            *net.entry(m.payer).or_default() -= signed(m.amount);
            *net.entry(m.payee).or_default() += signed(m.amount);
        }
        for (account, delta) in net {
            self.lsm.shifted(currency, account, delta);
        }
        let mut fed = Vec::with_capacity(group.len() * 2);
        for (m, (transfer, at)) in group.iter().zip(posted) {
            self.dequeue(m.id);
            self.settled(m.id, Some(transfer), at);
            self.lsm.count(currency, m.sender, by, m.amount);
            fed.extend([m.payer, m.payee]);
        }
        fed.sort_unstable();
        fed.dedup();
        self.drain(fed, now);
        true
    }

    fn is_queued(&self, id: u64) -> bool {
        self.payments
            .get(id)
            .is_some_and(|p| p.status == PaymentStatus::Queued)
    }

    fn member(&self, id: u64, payer: AccountId, payee: AccountId) -> Option<Member> {
        let p = self.payments.get(id)?;
        Some(Member {
            id,
            sender: p.sender,
            receiver: p.receiver(),
            payer,
            payee,
            amount: p.amount,
            priority: p.instruction.priority,
            code: if p.return_of.is_some() {
                CODE_RETURN
            } else {
                CODE_PAYMENT
            },
        })
    }

    /// `payer`'s queue in order, as members; payments to a suspended bank are passed over
    /// as the queue itself passes them over.
    fn queue_members(&self, payer: AccountId) -> Vec<Member> {
        self.queued_in(&[payer])
            .into_iter()
            .filter_map(|id| {
                let p = self.payments.get(id)?;
                if !self.registry.is_active(p.receiver()) {
                    return None;
                }
                let payee = self
                    .registry
                    .settlement_account(p.receiver(), p.currency())?;
                self.member(id, payer, payee)
            })
            .collect()
    }

    /// Every queue of `currency` whose sender may pay, in order.
    fn currency_queues(&self, currency: CurrencyCode) -> BTreeMap<AccountId, Vec<Member>> {
        self.payers_in(currency)
            .into_iter()
            .filter(|a| {
                self.registry
                    .account(*a)
                    .is_some_and(|i| self.registry.is_active(i.owner))
            })
            .map(|a| (a, self.queue_members(a)))
            .filter(|(_, q)| !q.is_empty())
            .collect()
    }
}
