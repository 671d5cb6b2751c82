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
//! - A queued cross-currency payment is one member with all its legs: a run over one
//!   currency takes in every currency its waiting cross-currency payments reach, and a group
//!   posts every leg of every member in one chain, so both legs settle or neither does.
//!
//! Invariants: urgent and high payments never overtake (each group holds a prefix of every
//! urgent and high queue); normal payments may settle out of order only inside a group; a
//! group settles completely or not at all; the work of a run is bounded by a count of
//! steps, never by a clock, so replay settles the same groups.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};

use super::{Answer, Hub, HubOutcome};
use crate::books::{CODE_FX_LEG, CODE_PAYMENT, CODE_RETURN, ChainLeg, GroupTransfer};
use crate::liquidity_controls::Flow;
use crate::liquidity_saving::{Algorithm, SettledBy};
use crate::model::{Priority, signed};
use crate::payment::PaymentStatus;
use crate::pvp::Leg;
use crate::rejection::Rejection;

/// Most legs a cross-currency payment has: one per hop of a route through at most one
/// intermediate currency, and one more.
const MAX_FX_LEGS: usize = 3;

/// A queued (or arriving) payment as the algorithms see it: the transfer out of its payer's
/// account and, for a cross-currency payment, its other legs, which settle with it or not at
/// all.
#[derive(Clone, Copy, Debug)]
struct Member {
    id: u64,
    sender: Bic,
    receiver: Bic,
    currency: CurrencyCode,
    payer: AccountId,
    payee: AccountId,
    amount: u128,
    priority: Priority,
    code: u16,
    /// The legs after the payer's, in order (none for a payment in one currency).
    more_legs: [Option<ChainLeg>; MAX_FX_LEGS - 1],
}

impl Member {
    /// Every transfer the member settles, the payer's first.
    fn legs(&self) -> impl Iterator<Item = ChainLeg> + '_ {
        std::iter::once((self.currency, self.payer, self.payee, self.amount))
            .chain(self.more_legs.iter().flatten().copied())
    }

    fn is_fx(&self) -> bool {
        self.more_legs[0].is_some()
    }

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
        let back_queue = self.queue_members(payee, now);
        let head: Vec<Member> = back_queue
            .iter()
            .take_while(|m| m.payee == payer && !m.is_fx())
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
        for m in back_queue.iter().filter(|m| m.payee == payer && !m.is_fx()) {
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
        let queues = self.optimisation_queues(currency, now);
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
        let queues = self.optimisation_queues(currency, now);
        if queues.is_empty() {
            return;
        }
        if self.settle_prefixes(&queues, 0, SettledBy::AllOrNothing, now) {
            return;
        }
        if self.settle_prefixes(&queues, steps, SettledBy::Partial, now) {
            let rest = self.optimisation_queues(currency, now);
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
        // Accounts without a queue of their own (FX providers' inventories) that members'
        // later legs debit, with each such member, the one to take out first last.
        let mut debited_by: BTreeMap<AccountId, Vec<Debtor>> = BTreeMap::new();
        for (queue_account, queue) in queues {
            for (index, m) in queue.iter().enumerate() {
                for (_, debit, credit, amount) in m.legs() {
                    let available = |a| signed(self.books.available(a));
                    *position.entry(debit).or_insert_with(|| available(debit)) -= signed(amount);
                    *position.entry(credit).or_insert_with(|| available(credit)) += signed(amount);
                    if debit != *queue_account {
                        debited_by.entry(debit).or_default().push(Debtor {
                            priority: Reverse(m.priority),
                            payment: m.id,
                            queue: *queue_account,
                            index,
                        });
                    }
                }
            }
        }
        for members in debited_by.values_mut() {
            members.sort_unstable();
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
            let Some((queue, cut)) = take_out(account, &included, &mut debited_by) else {
                // An account in deficit with nothing left to take out cannot be: its
                // position is then what it holds plus what it receives.
                return false;
            };
            // A member is taken out with every member behind it in its queue, so that what
            // stays is a prefix of every queue.
            let len = included
                .get_mut(&queue)
                .expect("every queue has an included length");
            for m in &queues[&queue][cut..*len] {
                removed += 1;
                for (_, debit, credit, amount) in m.legs() {
                    for (a, change) in [(debit, signed(amount)), (credit, -signed(amount))] {
                        let p = position
                            .get_mut(&a)
                            .expect("every member's accounts have a position");
                        order.remove(&(*p, a));
                        *p += change;
                        order.insert((*p, a));
                    }
                }
            }
            *len = cut;
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
        let queues = self.currency_queues(currency, now);
        let mut flows: BTreeMap<(AccountId, AccountId), Vec<Member>> = BTreeMap::new();
        for queue in queues.values() {
            // A bank with urgent or high payments queued keeps its normal ones behind them.
            if queue.iter().any(|m| m.priority > Priority::Normal) {
                continue;
            }
            // A cross-currency payment pairs with no payment back in its currency.
            for m in queue.iter().filter(|m| !m.is_fx()) {
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
        let flows: Vec<Flow> = group.iter().map(Member::flow).collect();
        if self.controls_allow(&flows).is_err() {
            return false;
        }
        let transfers: Vec<GroupTransfer> = group
            .iter()
            .flat_map(|m| {
                m.legs().map(|(currency, debit, credit, amount)| {
                    GroupTransfer::new(m.id, (debit, credit), (currency, amount), m.code)
                })
            })
            .collect();
        let Ok(posted) = self.books.post_group(&transfers, now) else {
            return false;
        };
        self.record_flows(&flows);
        let mut net: BTreeMap<(CurrencyCode, AccountId), i128> = BTreeMap::new();
        for (currency, debit, credit, amount) in group.iter().flat_map(Member::legs) {
            *net.entry((currency, debit)).or_default() -= signed(amount);
            *net.entry((currency, credit)).or_default() += signed(amount);
        }
        for ((currency, account), delta) in net {
            self.lsm.shifted(currency, account, delta);
        }
        let mut fed = Vec::with_capacity(transfers.len() * 2);
        let mut posted = posted.into_iter();
        for m in group {
            let postings: Vec<_> = m.legs().zip(posted.by_ref()).collect();
            let at = postings.first().map_or(now, |(_, (_, at))| *at);
            let legs: Vec<Leg> = postings
                .into_iter()
                .map(|(leg, (transfer, _))| Leg::new(leg, None, transfer))
                .collect();
            self.dequeue(m.id);
            fed.extend(legs.iter().flat_map(|leg| [leg.debit, leg.credit]));
            if m.is_fx() {
                self.fx_settled(m.id, legs, by, at);
            } else {
                self.settled(m.id, legs.first().map(|leg| leg.posted), at);
                self.lsm.count(m.currency, m.sender, by, m.amount);
            }
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
            currency: p.currency(),
            payer,
            payee,
            amount: p.amount,
            priority: p.instruction.priority,
            code: if p.return_of.is_some() {
                CODE_RETURN
            } else {
                CODE_PAYMENT
            },
            more_legs: [None; MAX_FX_LEGS - 1],
        })
    }

    /// Quoted payment `id` as a member with all its legs, while every currency of its route
    /// is open and every party can settle.
    fn fx_member(&self, id: u64, payer: AccountId, now: Timestamp) -> Option<Member> {
        let p = self.payments.get(id)?;
        let quote = &p.fx.as_ref()?.quote;
        if !quote.route().iter().all(|c| self.currency_open(*c, now)) {
            return None;
        }
        let payee = self.payee_account(id)?;
        let plan = self.leg_plan(payer, payee, quote).ok()?;
        let (&(currency, _, first_payee, amount), rest) = plan.split_first()?;
        if rest.len() >= MAX_FX_LEGS {
            return None;
        }
        let mut more_legs = [None; MAX_FX_LEGS - 1];
        for (slot, leg) in more_legs.iter_mut().zip(rest) {
            *slot = Some(*leg);
        }
        Some(Member {
            id,
            sender: p.sender,
            receiver: p.receiver(),
            currency,
            payer,
            payee: first_payee,
            amount,
            priority: p.instruction.priority,
            code: CODE_FX_LEG,
            more_legs,
        })
    }

    /// `payer`'s queue in order, as members; payments to a suspended bank are passed over
    /// as the queue itself passes them over, and so are cross-currency payments that cannot
    /// settle now.
    fn queue_members(&self, payer: AccountId, now: Timestamp) -> Vec<Member> {
        self.queued_in(&[payer])
            .into_iter()
            .filter_map(|id| {
                let p = self.payments.get(id)?;
                if !self.registry.is_active(p.receiver()) {
                    return None;
                }
                if p.fx.is_some() {
                    return self.fx_member(id, payer, now);
                }
                let payee = self
                    .registry
                    .settlement_account(p.receiver(), p.currency())?;
                self.member(id, payer, payee)
            })
            .collect()
    }

    /// Every queue of `currency` whose sender may pay, in order.
    fn currency_queues(
        &self,
        currency: CurrencyCode,
        now: Timestamp,
    ) -> BTreeMap<AccountId, Vec<Member>> {
        self.payers_in(currency)
            .into_iter()
            .filter(|a| {
                self.registry
                    .account(*a)
                    .is_some_and(|i| self.registry.is_active(i.owner))
            })
            .map(|a| (a, self.queue_members(a, now)))
            .filter(|(_, q)| !q.is_empty())
            .collect()
    }

    /// The queues an optimisation of `currency` works on: `currency`'s, and those of every
    /// currency that a queued cross-currency payment among them reaches, and so on. Accounts
    /// are per currency, so the positions of one group span ledgers, and a payment in one
    /// currency can be what lets another settle in the other.
    fn optimisation_queues(
        &self,
        currency: CurrencyCode,
        now: Timestamp,
    ) -> BTreeMap<AccountId, Vec<Member>> {
        let mut seen = BTreeSet::from([currency]);
        let mut todo = vec![currency];
        let mut queues = BTreeMap::new();
        while let Some(next) = todo.pop() {
            for (account, queue) in self.currency_queues(next, now) {
                for (leg_currency, ..) in queue.iter().flat_map(Member::legs) {
                    if seen.insert(leg_currency) {
                        todo.push(leg_currency);
                    }
                }
                queues.insert(account, queue);
            }
        }
        queues
    }
}

/// A member whose later leg debits an account without a queue, in the order T2 takes
/// payments out: the most urgent and earliest first, so the last is taken out first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Debtor {
    priority: Reverse<Priority>,
    payment: u64,
    queue: AccountId,
    index: usize,
}

/// Where to cut to take out the member that frees `account`: its own queue's last included
/// member, or, for an account with no queue (an FX provider's inventory), the least urgent,
/// latest included member whose later leg debits it. (queue, index), or `None` when nothing
/// is left to take.
fn take_out(
    account: AccountId,
    included: &BTreeMap<AccountId, usize>,
    debited_by: &mut BTreeMap<AccountId, Vec<Debtor>>,
) -> Option<(AccountId, usize)> {
    if let Some(&len) = included.get(&account).filter(|len| **len > 0) {
        return Some((account, len - 1));
    }
    let members = debited_by.get_mut(&account)?;
    while let Some(d) = members.pop() {
        if d.index < included.get(&d.queue).copied().unwrap_or(0) {
            return Some((d.queue, d.index));
        }
    }
    None
}
