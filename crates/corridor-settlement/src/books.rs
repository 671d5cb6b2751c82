//! The hub's books: the ledger, the numbering of the transfers the hub posts in it, and
//! every account's statement (each posting with the account's totals after it, so the
//! balance at any instant is a binary search).

use std::collections::BTreeMap;

use corridor_core::{AccountId, Amount, CurrencyCode, Timestamp, TransferId};
use corridor_ledger::{
    BalanceRule, Command, Ledger, Movement, NewAccount, ResultCode, RuleChange, Transfer,
    TransferAction,
};
use serde::{Deserialize, Serialize};

use crate::registry::AccountInfo;

/// Ledger transfer codes: what a transfer was for, visible in the journal and statements.
pub(crate) const CODE_PAYMENT: u16 = 1;
pub(crate) const CODE_RETURN: u16 = 2;
/// One leg of a cross-currency (PvP) payment.
pub(crate) const CODE_FX_LEG: u16 = 3;
/// A net settlement window's batch: a net debtor pays a net creditor.
pub(crate) const CODE_NET_SETTLEMENT: u16 = 4;
pub(crate) const CODE_FUND: u16 = 10;
pub(crate) const CODE_DEFUND: u16 = 11;

/// What a ledger transfer code means, as statements name it.
pub fn transfer_kind(code: u16) -> &'static str {
    match code {
        CODE_PAYMENT => "payment",
        CODE_RETURN => "return",
        CODE_FX_LEG => "fx_leg",
        CODE_NET_SETTLEMENT => "net_settlement",
        CODE_FUND => "funding",
        CODE_DEFUND => "defunding",
        _ => "other",
    }
}

/// One posting on an account, with the account's posted totals after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEntry {
    pub at: Timestamp,
    pub transfer: TransferId,
    /// The payment it settled, if any (else a liquidity transfer).
    pub payment: Option<u64>,
    pub code: u16,
    pub credit: bool,
    pub amount: u128,
    pub credits_after: u128,
    pub debits_after: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub account: AccountInfo,
    pub from: Timestamp,
    pub to: Timestamp,
    /// Posted credits and debits before the period: the opening balance is their difference.
    pub opening_credits: u128,
    pub opening_debits: u128,
    pub closing_credits: u128,
    pub closing_debits: u128,
    pub entries: Vec<StatementEntry>,
    /// Set when the period held more entries than asked for: `to` was cut to this instant,
    /// and the next page starts here.
    pub next_from: Option<Timestamp>,
}

/// One movement of a linked chain: (currency, debit, credit, amount).
pub(crate) type ChainLeg = (CurrencyCode, AccountId, AccountId, u128);

/// Why a linked chain moved nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ChainRefused {
    IdsExhausted,
    /// The ledger refused the reservation of this leg.
    Leg(usize, ResultCode),
}

/// One transfer of a group settled at once: a payment's, or a net window's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct GroupTransfer {
    payment: Option<u64>,
    /// The ledger's user reference: the payment, or the net window.
    reference: u64,
    debit: AccountId,
    credit: AccountId,
    currency: CurrencyCode,
    amount: u128,
    code: u16,
}

impl GroupTransfer {
    /// `payment`'s `amount` of `currency` from `debit` to `credit`, posted with `code`.
    pub(crate) fn new(
        payment: u64,
        (debit, credit): (AccountId, AccountId),
        (currency, amount): (CurrencyCode, u128),
        code: u16,
    ) -> GroupTransfer {
        GroupTransfer {
            payment: Some(payment),
            reference: payment,
            debit,
            credit,
            currency,
            amount,
            code,
        }
    }
}

impl GroupTransfer {
    /// (debit, credit).
    pub(crate) fn accounts(&self) -> (AccountId, AccountId) {
        (self.debit, self.credit)
    }

    pub(crate) fn amount(&self) -> u128 {
        self.amount
    }

    /// Net window `window`'s transfer of `amount` of `currency` from a net debtor to a net
    /// creditor.
    pub(crate) fn net(
        window: u64,
        (debit, credit): (AccountId, AccountId),
        (currency, amount): (CurrencyCode, u128),
    ) -> GroupTransfer {
        GroupTransfer {
            payment: None,
            reference: window,
            debit,
            credit,
            currency,
            amount,
            code: CODE_NET_SETTLEMENT,
        }
    }
}

/// Why a group moved nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupRefused {
    IdsExhausted,
    /// A payer's position over the group does not fit its balance and cap (or a payer is
    /// not a capped account); the ledger rolled the whole group back.
    Uncovered,
}

#[derive(Debug, Default)]
pub(crate) struct Books {
    ledger: Ledger,
    entries: BTreeMap<AccountId, Vec<StatementEntry>>,
    next_transfer: u128,
}

impl Books {
    pub(crate) fn restore(
        ledger: Ledger,
        entries: BTreeMap<AccountId, Vec<StatementEntry>>,
        next_transfer: u128,
    ) -> Books {
        Books {
            ledger,
            entries,
            next_transfer,
        }
    }

    pub(crate) fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    pub(crate) fn entry_map(&self) -> &BTreeMap<AccountId, Vec<StatementEntry>> {
        &self.entries
    }

    pub(crate) fn next_transfer(&self) -> u128 {
        self.next_transfer
    }

    pub(crate) fn reserve_transfers(&mut self, transfers: usize) {
        self.ledger.reserve_transfers(transfers);
    }

    /// Opens `new` in the ledger; when it was opened.
    pub(crate) fn open_account(
        &mut self,
        new: NewAccount,
        now: Timestamp,
    ) -> Result<Timestamp, ResultCode> {
        let outcome = self.ledger.apply(&[Command::CreateAccount(new)], now);
        let code = outcome.results[0];
        if !code.is_success() {
            return Err(code);
        }
        Ok(outcome.first_timestamp)
    }

    pub(crate) fn set_rule(
        &mut self,
        account: AccountId,
        rule: BalanceRule,
        now: Timestamp,
    ) -> Result<(), ResultCode> {
        let command = Command::SetBalanceRule(RuleChange {
            account,
            rule,
            linked: false,
        });
        let code = self.ledger.apply(&[command], now).results[0];
        if !code.is_success() {
            return Err(code);
        }
        Ok(())
    }

    /// What `account` holds: posted credits less posted and pending debits.
    pub(crate) fn held(&self, account: AccountId) -> u128 {
        self.ledger.account(account).map_or(0, |a| {
            a.credits_posted
                .saturating_sub(a.debits_posted.saturating_add(a.debits_pending))
        })
    }

    /// What an account may still pay out: posted credits plus its net debit cap, less posted
    /// and pending debits.
    pub(crate) fn available(&self, account: AccountId) -> u128 {
        let Some(a) = self.ledger.account(account) else {
            return 0;
        };
        let limit = match a.rule {
            BalanceRule::DebitsMustNotExceedCredits { limit } => limit,
            _ => 0,
        };
        a.credits_posted
            .saturating_add(limit)
            .saturating_sub(a.debits_posted.saturating_add(a.debits_pending))
    }

    /// Posts one transfer and records it on both accounts' statements. A refusal by the
    /// ledger changes nothing.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn post(
        &mut self,
        debit: AccountId,
        credit: AccountId,
        currency: CurrencyCode,
        amount: u128,
        code: u16,
        payment: Option<u64>,
        now: Timestamp,
    ) -> Result<(TransferId, Timestamp), ResultCode> {
        let id = TransferId::try_from(self.next_transfer + 1)
            .map_err(|_| ResultCode::AccountLimitReached)?;
        let transfer = Transfer {
            id,
            action: TransferAction::Post(Movement {
                debit_account: debit,
                credit_account: credit,
                currency,
                amount: Amount::from_minor(amount),
            }),
            code,
            user_ref: u128::from(payment.unwrap_or(0)),
            linked: false,
        };
        let outcome = self.ledger.apply(&[Command::CreateTransfer(transfer)], now);
        let result = outcome.results[0];
        if result != ResultCode::Ok {
            return Err(result);
        }
        self.next_transfer += 1;
        let at = outcome.first_timestamp;
        self.record_posting(id, (debit, credit), amount, code, payment, at);
        Ok((id, at))
    }

    /// Reserves every leg as one linked chain, then posts every leg as another, all with
    /// `code`. Either every leg is posted or the ledger is as it was. Returns each leg's
    /// (reservation, posting) transfers.
    pub(crate) fn post_chain(
        &mut self,
        plan: &[ChainLeg],
        code: u16,
        payment: u64,
        now: Timestamp,
    ) -> Result<Vec<(TransferId, TransferId)>, ChainRefused> {
        let first_id = self.next_transfer + 1;
        let ids: Vec<TransferId> = (0..plan.len() as u128 * 2)
            .map(|i| TransferId::try_from(first_id + i))
            .collect::<Result<_, _>>()
            .map_err(|_| ChainRefused::IdsExhausted)?;
        let (reserve_ids, post_ids) = ids.split_at(plan.len());
        let last = plan.len() - 1;
        let user_ref = u128::from(payment);
        let reservations: Vec<Command> = plan
            .iter()
            .zip(reserve_ids)
            .enumerate()
            .map(|(i, ((currency, debit, credit, amount), id))| {
                Command::CreateTransfer(Transfer {
                    id: *id,
                    action: TransferAction::Reserve {
                        movement: Movement {
                            debit_account: *debit,
                            credit_account: *credit,
                            currency: *currency,
                            amount: Amount::from_minor(*amount),
                        },
                        timeout_seconds: 0,
                    },
                    code,
                    user_ref,
                    linked: i < last,
                })
            })
            .collect();
        let outcome = self.ledger.apply(&reservations, now);
        if let Some(i) = outcome
            .results
            .iter()
            .position(|r| !r.is_success() && *r != ResultCode::LinkedEventFailed)
        {
            return Err(ChainRefused::Leg(i, outcome.results[i]));
        }
        let posts: Vec<Command> = reserve_ids
            .iter()
            .zip(post_ids)
            .enumerate()
            .map(|(i, (reserved, id))| {
                Command::CreateTransfer(Transfer {
                    id: *id,
                    action: TransferAction::PostPending {
                        pending_id: *reserved,
                        amount: None,
                    },
                    code,
                    user_ref,
                    linked: i < last,
                })
            })
            .collect();
        let outcome = self.ledger.apply(&posts, now);
        // A reservation counts against both accounts' rules already, and nothing ran between
        // the two chains, so posting it cannot be refused.
        assert!(
            outcome.results.iter().all(|r| r.is_success()),
            "posting reserved PvP legs was refused: {:?}",
            outcome.results
        );
        self.next_transfer += ids.len() as u128;
        for (i, (&(_, debit, credit, amount), &posted)) in plan.iter().zip(post_ids).enumerate() {
            let at = Timestamp(outcome.first_timestamp.0 + i as u64);
            self.record_posting(posted, (debit, credit), amount, code, Some(payment), at);
        }
        Ok(reserve_ids
            .iter()
            .copied()
            .zip(post_ids.iter().copied())
            .collect())
    }

    /// Settles every payment of `group` at once, or none. In one linked chain: each payer's
    /// net debit cap is raised by all it pays out in the group, every transfer is posted, and
    /// each cap is put back; putting a cap back is refused when the payer's position after
    /// the whole group breaks it, and the ledger then rolls the chain back. So what a payer
    /// receives in the group counts towards what it pays, and the ledger alone decides
    /// whether the group fits. Returns each payment's transfer and posting instant, in order.
    pub(crate) fn post_group(
        &mut self,
        group: &[GroupTransfer],
        now: Timestamp,
    ) -> Result<Vec<(TransferId, Timestamp)>, GroupRefused> {
        if group.is_empty() {
            return Ok(Vec::new());
        }
        let mut outflow: BTreeMap<AccountId, u128> = BTreeMap::new();
        for t in group {
            let total = outflow.entry(t.debit).or_default();
            *total = total.checked_add(t.amount).ok_or(GroupRefused::Uncovered)?;
        }
        let mut caps = Vec::with_capacity(outflow.len());
        for (&payer, &out) in &outflow {
            let Some(BalanceRule::DebitsMustNotExceedCredits { limit }) =
                self.ledger.account(payer).map(|a| a.rule)
            else {
                return Err(GroupRefused::Uncovered);
            };
            let raised = limit.checked_add(out).ok_or(GroupRefused::Uncovered)?;
            caps.push((payer, limit, raised));
        }
        let first_id = self.next_transfer + 1;
        let ids: Vec<TransferId> = (0..group.len() as u128)
            .map(|i| TransferId::try_from(first_id + i))
            .collect::<Result<_, _>>()
            .map_err(|_| GroupRefused::IdsExhausted)?;
        let rule = |account, limit, linked| {
            Command::SetBalanceRule(RuleChange {
                account,
                rule: BalanceRule::DebitsMustNotExceedCredits { limit },
                linked,
            })
        };
        let mut commands: Vec<Command> = caps
            .iter()
            .map(|&(a, _, raised)| rule(a, raised, true))
            .collect();
        commands.extend(group.iter().zip(&ids).map(|(t, id)| {
            Command::CreateTransfer(Transfer {
                id: *id,
                action: TransferAction::Post(Movement {
                    debit_account: t.debit,
                    credit_account: t.credit,
                    currency: t.currency,
                    amount: Amount::from_minor(t.amount),
                }),
                code: t.code,
                user_ref: u128::from(t.reference),
                linked: true,
            })
        }));
        let last = caps.len() - 1;
        commands.extend(
            caps.iter()
                .enumerate()
                .map(|(i, &(a, limit, _))| rule(a, limit, i < last)),
        );
        let before: BTreeMap<AccountId, (u128, u128)> = group
            .iter()
            .flat_map(|t| [t.debit, t.credit])
            .map(|a| {
                (
                    a,
                    self.ledger
                        .account(a)
                        .map_or((0, 0), |x| (x.credits_posted, x.debits_posted)),
                )
            })
            .collect();
        let outcome = self.ledger.apply(&commands, now);
        if !outcome.results.iter().all(|r| r.is_success()) {
            return Err(GroupRefused::Uncovered);
        }
        self.next_transfer += ids.len() as u128;
        let posted: Vec<(TransferId, Timestamp)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    *id,
                    Timestamp(outcome.first_timestamp.0 + (caps.len() + i) as u64),
                )
            })
            .collect();
        self.record_group(group, &posted, before);
        Ok(posted)
    }

    /// Statement entries of a group's postings, each with the totals right after it: an
    /// account may take part several times, so the totals run from those before the group.
    fn record_group(
        &mut self,
        group: &[GroupTransfer],
        posted: &[(TransferId, Timestamp)],
        mut totals: BTreeMap<AccountId, (u128, u128)>,
    ) {
        for (t, &(id, at)) in group.iter().zip(posted) {
            let (payment, amount, code) = (t.payment, t.amount, t.code);
            for (account, credit_side) in [(t.debit, false), (t.credit, true)] {
                let running = totals.entry(account).or_default();
                if credit_side {
                    running.0 += amount;
                } else {
                    running.1 += amount;
                }
                let after = *running;
                self.push_entry(account, credit_side, (id, at, payment, code, amount), after);
            }
        }
    }

    /// Adds a posted transfer to both accounts' statements.
    fn record_posting(
        &mut self,
        id: TransferId,
        (debit, credit): (AccountId, AccountId),
        amount: u128,
        code: u16,
        payment: Option<u64>,
        at: Timestamp,
    ) {
        for (account, credit_side) in [(debit, false), (credit, true)] {
            let totals = self
                .ledger
                .account(account)
                .map_or((0, 0), |a| (a.credits_posted, a.debits_posted));
            self.push_entry(
                account,
                credit_side,
                (id, at, payment, code, amount),
                totals,
            );
        }
    }

    /// One side of a posting on `account`'s statement, with the account's posted
    /// (credits, debits) right after it.
    fn push_entry(
        &mut self,
        account: AccountId,
        credit_side: bool,
        (transfer, at, payment, code, amount): (TransferId, Timestamp, Option<u64>, u16, u128),
        (credits_after, debits_after): (u128, u128),
    ) {
        self.entries
            .entry(account)
            .or_default()
            .push(StatementEntry {
                at,
                transfer,
                payment,
                code,
                credit: credit_side,
                amount,
                credits_after,
                debits_after,
            });
    }

    /// The statement of account `info` for `[from, to)`, at most `limit` entries.
    pub(crate) fn statement(
        &self,
        info: AccountInfo,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Statement {
        let entries = self.entries.get(&info.id).map_or(&[][..], Vec::as_slice);
        let start = entries.partition_point(|e| e.at < from);
        let mut end = entries.partition_point(|e| e.at < to).max(start);
        let mut to = to;
        let mut next_from = None;
        // Entries of one account have distinct timestamps (one per transfer), so cutting the
        // period at an entry's instant splits it cleanly between two pages.
        if end - start > limit {
            end = start + limit;
            to = entries[end].at;
            next_from = Some(to);
        }
        let totals = |i: usize| {
            i.checked_sub(1).map_or((0, 0), |i| {
                (entries[i].credits_after, entries[i].debits_after)
            })
        };
        let (opening_credits, opening_debits) = totals(start);
        let (closing_credits, closing_debits) = totals(end);
        Statement {
            account: info,
            from,
            to,
            opening_credits,
            opening_debits,
            closing_credits,
            closing_debits,
            entries: entries[start..end].to_vec(),
            next_from,
        }
    }
}
