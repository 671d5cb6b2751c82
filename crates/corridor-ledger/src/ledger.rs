use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use ahash::RandomState;
use corridor_core::{AccountId, CurrencyCode, Timestamp, TransferId};
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::BalanceRule;
use crate::account::{Account, NewAccount};
use crate::codec;
use crate::command::{Command, Movement, RuleChange, Transfer, TransferAction};
use crate::index_key::{BuildPlacementHasher, IndexKey};
use crate::records::{Book, BookTotals, IndexEntry, InvariantViolation, Pending, TransferState};
use crate::result::ResultCode;
use crate::undo::Undo;

/// The result of one `apply`: one code per command, in order, and the reservations that
/// expired because time advanced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Command `i` was stamped `first_timestamp + i` nanoseconds.
    pub first_timestamp: Timestamp,
    pub results: Vec<ResultCode>,
    pub expired: Vec<TransferId>,
}

type Balances = [u128; 4];

fn balances(a: &Account) -> Balances {
    [
        a.debits_pending,
        a.debits_posted,
        a.credits_pending,
        a.credits_posted,
    ]
}

fn rule_allows(rule: crate::BalanceRule, b: &Balances) -> bool {
    crate::account::rule_allows(rule, b[0], b[1], b[2], b[3])
}

fn set_balances(a: &mut Account, b: Balances) {
    [
        a.debits_pending,
        a.debits_posted,
        a.credits_pending,
        a.credits_posted,
    ] = b;
}

fn key(id: TransferId) -> IndexKey {
    IndexKey::of(id)
}

/// The ledgers of all currencies: accounts, the idempotency index of transfers, pending
/// reservations and per-currency totals. See the crate documentation.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub(crate) accounts: Vec<Account>,
    pub(crate) account_index: HashMap<AccountId, u32, RandomState>,
    pub(crate) books: Vec<Book>,
    /// Placed by the id's low bits, so consecutive ids fill neighbouring slots (see
    /// [`IndexKey`]).
    pub(crate) transfers: HashMap<IndexKey, IndexEntry, BuildPlacementHasher>,
    /// Order-independent digest of `transfers` (wrapping sum of entry hashes), kept up to
    /// date on every change so the state hash never has to walk the whole index.
    pub(crate) index_digest: u64,
    pub(crate) pending: HashMap<TransferId, Pending, RandomState>,
    /// Expiry queue, cleaned lazily: posting or voiding a reservation leaves its entry,
    /// which is skipped when it comes up. A heap push is O(1) on average for increasing
    /// timestamps, where a sorted set paid O(log n) twice per reservation.
    pub(crate) expiries: BinaryHeap<Reverse<(Timestamp, TransferId)>>,
    pub(crate) last_timestamp: Timestamp,
    undo: Vec<Undo>,
}

impl Default for Ledger {
    fn default() -> Self {
        Ledger::new()
    }
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger {
            accounts: Vec::new(),
            account_index: HashMap::default(),
            books: Vec::new(),
            transfers: HashMap::default(),
            index_digest: 0,
            pending: HashMap::default(),
            expiries: BinaryHeap::new(),
            last_timestamp: Timestamp::ZERO,
            undo: Vec::new(),
        }
    }

    /// Reserves room for `transfers` more index entries, so that growing the index (a
    /// rehash of every entry, the ledger's only latency spike) happens now, not mid-batch.
    pub fn reserve_transfers(&mut self, transfers: usize) {
        self.transfers.reserve(transfers);
    }

    pub fn last_timestamp(&self) -> Timestamp {
        self.last_timestamp
    }

    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.account_index
            .get(&id)
            .map(|&i| &self.accounts[i as usize])
    }

    pub fn transfer_count(&self) -> usize {
        self.transfers.len()
    }

    pub fn pending_count(&self) -> usize {
        self.pending.len()
    }

    pub fn transfer_state(&self, id: TransferId) -> Option<TransferState> {
        self.transfers.get(&key(id)).map(|e| e.state())
    }

    /// Currencies with at least one account, and their running totals.
    pub fn books(&self) -> impl Iterator<Item = (CurrencyCode, BookTotals)> + '_ {
        self.books.iter().map(|b| (b.currency, b.totals))
    }

    /// Applies a batch at engine time `now`. Deterministic: the same ledger, commands and
    /// `now` always give the same results and the same new state.
    ///
    /// Each command gets a strictly increasing timestamp, at least `now`. Reservations whose
    /// timeout is at or before the batch's first timestamp expire before any command runs.
    pub fn apply(&mut self, commands: &[Command], now: Timestamp) -> BatchOutcome {
        let first = Timestamp(now.0.max(self.last_timestamp.0.saturating_add(1)));
        let expired = self.expire_pending(first);
        let mut results = vec![ResultCode::Ok; commands.len()];
        let mut chain_start: Option<usize> = None;
        let mut i = 0;
        while i < commands.len() {
            let command = &commands[i];
            if chain_start.is_none() && command.linked() {
                chain_start = Some(i);
            }
            let timestamp = Timestamp(first.0 + i as u64);
            let code = self.execute(command, timestamp, chain_start.is_some());
            results[i] = code;
            match (chain_start, code.is_success()) {
                (Some(start), false) => {
                    i = self.fail_chain(commands, start, i, &mut results);
                    chain_start = None;
                    continue;
                }
                (Some(_), true) if !command.linked() => {
                    self.undo.clear();
                    chain_start = None;
                }
                _ => {}
            }
            i += 1;
        }
        if let Some(start) = chain_start {
            self.rollback();
            results[start..].fill(ResultCode::LinkedEventFailed);
            results[commands.len() - 1] = ResultCode::LinkedEventChainOpen;
        }
        if let Some(n) = commands.len().checked_sub(1) {
            self.last_timestamp = Timestamp(first.0 + n as u64);
        }
        BatchOutcome {
            first_timestamp: first,
            results,
            expired,
        }
    }

    /// Rolls back the chain that began at `start` and in which event `failed` failed; marks
    /// every other event of the chain `linked_event_failed`. Returns the index after the chain.
    fn fail_chain(
        &mut self,
        commands: &[Command],
        start: usize,
        failed: usize,
        results: &mut [ResultCode],
    ) -> usize {
        self.rollback();
        let mut end = failed;
        while commands[end].linked() && end + 1 < commands.len() {
            end += 1;
        }
        for (j, result) in results.iter_mut().enumerate().take(end + 1).skip(start) {
            if j != failed {
                *result = ResultCode::LinkedEventFailed;
            }
        }
        if commands[end].linked() {
            results[end] = ResultCode::LinkedEventChainOpen;
        }
        end + 1
    }

    fn execute(&mut self, command: &Command, timestamp: Timestamp, in_chain: bool) -> ResultCode {
        let result = match command {
            Command::CreateAccount(new) => self.create_account(new, timestamp, in_chain),
            Command::CreateTransfer(transfer) => {
                self.create_transfer(transfer, timestamp, in_chain)
            }
            Command::SetBalanceRule(change) => self.set_rule(change, in_chain),
        };
        result.unwrap_or_else(|code| code)
    }

    fn create_account(
        &mut self,
        new: &NewAccount,
        timestamp: Timestamp,
        in_chain: bool,
    ) -> Result<ResultCode, ResultCode> {
        if let Some(existing) = self.account(new.id) {
            return Ok(if existing.matches(new) {
                ResultCode::Exists
            } else {
                ResultCode::ExistsWithDifferentFields
            });
        }
        let index =
            u32::try_from(self.accounts.len()).map_err(|_| ResultCode::AccountLimitReached)?;
        if self.book_of(new.currency).is_none() {
            self.books.push(Book {
                currency: new.currency,
                totals: BookTotals::default(),
            });
            self.record(in_chain, Undo::BookOpened);
        }
        self.accounts.push(Account::open(new, timestamp));
        self.account_index.insert(new.id, index);
        self.record(in_chain, Undo::AccountOpened);
        Ok(ResultCode::Ok)
    }

    fn set_rule(&mut self, change: &RuleChange, in_chain: bool) -> Result<ResultCode, ResultCode> {
        let index = *self
            .account_index
            .get(&change.account)
            .ok_or(ResultCode::AccountNotFound)?;
        let account = &self.accounts[index as usize];
        if !rule_allows(change.rule, &balances(account)) {
            return Err(match change.rule {
                BalanceRule::CreditsMustNotExceedDebits { .. } => ResultCode::ExceedsDebits,
                _ => ResultCode::ExceedsCredits,
            });
        }
        let before = account.rule;
        self.accounts[index as usize].rule = change.rule;
        self.record(
            in_chain,
            Undo::Rule {
                account: index,
                before,
            },
        );
        Ok(ResultCode::Ok)
    }

    fn create_transfer(
        &mut self,
        transfer: &Transfer,
        timestamp: Timestamp,
        in_chain: bool,
    ) -> Result<ResultCode, ResultCode> {
        let fingerprint = self.fingerprint(transfer);
        if let Some(existing) = self.transfers.get(&key(transfer.id)) {
            return Ok(if existing.fingerprint() == fingerprint {
                ResultCode::Exists
            } else {
                ResultCode::ExistsWithDifferentFields
            });
        }
        let state = match transfer.action {
            TransferAction::Post(movement) => {
                self.move_funds(&movement, false, in_chain)?;
                TransferState::Posted
            }
            TransferAction::Reserve {
                movement,
                timeout_seconds,
            } => {
                let (debit, credit, book) = self.move_funds(&movement, true, in_chain)?;
                let expires_at =
                    (timeout_seconds > 0).then(|| timestamp.plus_seconds(timeout_seconds));
                let pending = Pending {
                    debit,
                    credit,
                    book,
                    amount: movement.amount.minor(),
                    expires_at,
                };
                self.insert_pending(transfer.id, pending, in_chain);
                TransferState::Pending
            }
            TransferAction::PostPending { pending_id, amount } => {
                let pending = self.live_pending(pending_id, timestamp)?;
                let posted = amount.map_or(pending.amount, |a| a.minor());
                if posted == 0 {
                    return Err(ResultCode::AmountMustNotBeZero);
                }
                if posted > pending.amount {
                    return Err(ResultCode::ExceedsPendingTransferAmount);
                }
                self.resolve_pending(
                    pending_id,
                    pending,
                    posted,
                    TransferState::PendingPosted,
                    in_chain,
                )?;
                TransferState::PostsPending
            }
            TransferAction::VoidPending { pending_id } => {
                let pending = self.live_pending(pending_id, timestamp)?;
                self.resolve_pending(
                    pending_id,
                    pending,
                    0,
                    TransferState::PendingVoided,
                    in_chain,
                )?;
                TransferState::VoidsPending
            }
        };
        self.index_insert(transfer.id, IndexEntry::new(state, fingerprint), in_chain);
        Ok(ResultCode::Ok)
    }

    /// Validates a movement and applies it to both accounts and the book, as posted or as
    /// pending amounts. Nothing changes unless every check passes.
    fn move_funds(
        &mut self,
        m: &Movement,
        pending: bool,
        in_chain: bool,
    ) -> Result<(u32, u32, usize), ResultCode> {
        let amount = m.amount.minor();
        if amount == 0 {
            return Err(ResultCode::AmountMustNotBeZero);
        }
        if m.debit_account == m.credit_account {
            return Err(ResultCode::AccountsMustDiffer);
        }
        let debit = *self
            .account_index
            .get(&m.debit_account)
            .ok_or(ResultCode::DebitAccountNotFound)?;
        let credit = *self
            .account_index
            .get(&m.credit_account)
            .ok_or(ResultCode::CreditAccountNotFound)?;
        let (d, c) = (
            &self.accounts[debit as usize],
            &self.accounts[credit as usize],
        );
        if d.currency != c.currency {
            return Err(ResultCode::AccountsMustHaveTheSameCurrency);
        }
        if m.currency != d.currency {
            return Err(ResultCode::TransferCurrencyMustMatchAccounts);
        }
        // The same slot of the balances array moves on both sides: 0/2 pending, 1/3 posted.
        let slot = if pending { 0 } else { 1 };
        let mut d_bal = balances(d);
        let mut c_bal = balances(c);
        d_bal[slot] = d_bal[slot]
            .checked_add(amount)
            .ok_or(ResultCode::OverflowsDebits)?;
        d_bal[0]
            .checked_add(d_bal[1])
            .ok_or(ResultCode::OverflowsDebits)?;
        c_bal[slot + 2] = c_bal[slot + 2]
            .checked_add(amount)
            .ok_or(ResultCode::OverflowsCredits)?;
        c_bal[2]
            .checked_add(c_bal[3])
            .ok_or(ResultCode::OverflowsCredits)?;
        if !rule_allows(d.rule, &d_bal) {
            return Err(ResultCode::ExceedsCredits);
        }
        if !rule_allows(c.rule, &c_bal) {
            return Err(ResultCode::ExceedsDebits);
        }
        let book = self
            .book_of(m.currency)
            .ok_or(ResultCode::TransferCurrencyMustMatchAccounts)?;
        let mut totals = self.books[book].totals;
        let (debit_total, credit_total) = if pending {
            (&mut totals.debits_pending, &mut totals.credits_pending)
        } else {
            (&mut totals.debits_posted, &mut totals.credits_posted)
        };
        *debit_total = debit_total
            .checked_add(amount)
            .ok_or(ResultCode::OverflowsCurrencyTotal)?;
        *credit_total = credit_total
            .checked_add(amount)
            .ok_or(ResultCode::OverflowsCurrencyTotal)?;
        self.commit(debit, d_bal, credit, c_bal, book, totals, in_chain);
        Ok((debit, credit, book))
    }

    /// The reservation `pending_id` if it can still be posted or voided at `timestamp`.
    fn live_pending(
        &self,
        pending_id: TransferId,
        timestamp: Timestamp,
    ) -> Result<Pending, ResultCode> {
        if let Some(pending) = self.pending.get(&pending_id) {
            if pending.expires_at.is_some_and(|at| at <= timestamp) {
                return Err(ResultCode::PendingTransferExpired);
            }
            return Ok(*pending);
        }
        match self.transfer_state(pending_id) {
            None => Err(ResultCode::PendingTransferNotFound),
            Some(TransferState::PendingPosted) => Err(ResultCode::PendingTransferAlreadyPosted),
            Some(TransferState::PendingVoided) => Err(ResultCode::PendingTransferAlreadyVoided),
            Some(TransferState::PendingExpired) => Err(ResultCode::PendingTransferExpired),
            Some(_) => Err(ResultCode::PendingTransferNotPending),
        }
    }

    /// Releases a reservation and posts `posted` of it (0 for a void or an expiry).
    fn resolve_pending(
        &mut self,
        id: TransferId,
        pending: Pending,
        posted: u128,
        outcome: TransferState,
        in_chain: bool,
    ) -> Result<(), ResultCode> {
        let (d, c) = (
            &self.accounts[pending.debit as usize],
            &self.accounts[pending.credit as usize],
        );
        let mut d_bal = balances(d);
        let mut c_bal = balances(c);
        let mut totals = self.books[pending.book].totals;
        d_bal[0] -= pending.amount;
        c_bal[2] -= pending.amount;
        totals.debits_pending -= pending.amount;
        totals.credits_pending -= pending.amount;
        d_bal[1] = d_bal[1]
            .checked_add(posted)
            .ok_or(ResultCode::OverflowsDebits)?;
        c_bal[3] = c_bal[3]
            .checked_add(posted)
            .ok_or(ResultCode::OverflowsCredits)?;
        totals.debits_posted = totals
            .debits_posted
            .checked_add(posted)
            .ok_or(ResultCode::OverflowsCurrencyTotal)?;
        totals.credits_posted = totals
            .credits_posted
            .checked_add(posted)
            .ok_or(ResultCode::OverflowsCurrencyTotal)?;
        self.commit(
            pending.debit,
            d_bal,
            pending.credit,
            c_bal,
            pending.book,
            totals,
            in_chain,
        );
        self.remove_pending(id, pending, in_chain);
        let entry = self.transfers[&key(id)];
        self.index_replace(id, entry, entry.with_state(outcome), in_chain);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn commit(
        &mut self,
        debit: u32,
        d_bal: Balances,
        credit: u32,
        c_bal: Balances,
        book: usize,
        totals: BookTotals,
        in_chain: bool,
    ) {
        if in_chain {
            let before_d = balances(&self.accounts[debit as usize]);
            let before_c = balances(&self.accounts[credit as usize]);
            self.undo.push(Undo::Balances {
                account: debit,
                before: before_d,
            });
            self.undo.push(Undo::Balances {
                account: credit,
                before: before_c,
            });
            self.undo.push(Undo::Totals {
                book,
                before: self.books[book].totals,
            });
        }
        set_balances(&mut self.accounts[debit as usize], d_bal);
        set_balances(&mut self.accounts[credit as usize], c_bal);
        self.books[book].totals = totals;
        debug_assert!(self.accounts[debit as usize].satisfies_rule());
        debug_assert!(self.accounts[credit as usize].satisfies_rule());
        debug_assert_eq!(totals.debits_posted, totals.credits_posted);
        debug_assert_eq!(totals.debits_pending, totals.credits_pending);
    }

    fn expire_pending(&mut self, now: Timestamp) -> Vec<TransferId> {
        let mut expired = Vec::new();
        while let Some(&Reverse((at, id))) = self.expiries.peek() {
            if at > now {
                break;
            }
            self.expiries.pop();
            let Some(pending) = self
                .pending
                .get(&id)
                .copied()
                .filter(|p| p.expires_at == Some(at))
            else {
                continue;
            };
            // Releasing a reservation only lowers totals, so it cannot overflow.
            let released =
                self.resolve_pending(id, pending, 0, TransferState::PendingExpired, false);
            debug_assert!(released.is_ok());
            expired.push(id);
        }
        expired
    }

    fn insert_pending(&mut self, id: TransferId, pending: Pending, in_chain: bool) {
        if let Some(at) = pending.expires_at {
            self.expiries.push(Reverse((at, id)));
        }
        self.pending.insert(id, pending);
        self.record(in_chain, Undo::PendingAdded { id });
    }

    fn remove_pending(&mut self, id: TransferId, pending: Pending, in_chain: bool) {
        self.pending.remove(&id);
        self.record(in_chain, Undo::PendingRemoved { id, pending });
    }

    fn index_insert(&mut self, id: TransferId, entry: IndexEntry, in_chain: bool) {
        self.transfers.insert(key(id), entry);
        self.index_digest = self.index_digest.wrapping_add(entry_hash(key(id), entry));
        self.record(in_chain, Undo::TransferIndexed { id });
    }

    fn index_replace(
        &mut self,
        id: TransferId,
        before: IndexEntry,
        after: IndexEntry,
        in_chain: bool,
    ) {
        self.transfers.insert(key(id), after);
        self.index_digest = self
            .index_digest
            .wrapping_sub(entry_hash(key(id), before))
            .wrapping_add(entry_hash(key(id), after));
        self.record(in_chain, Undo::TransferStateChanged { id, before });
    }

    fn record(&mut self, in_chain: bool, undo: Undo) {
        if in_chain {
            self.undo.push(undo);
        }
    }

    fn rollback(&mut self) {
        while let Some(undo) = self.undo.pop() {
            match undo {
                Undo::AccountOpened => {
                    if let Some(account) = self.accounts.pop() {
                        self.account_index.remove(&account.id);
                    }
                }
                Undo::Rule { account, before } => self.accounts[account as usize].rule = before,
                Undo::BookOpened => {
                    self.books.pop();
                }
                Undo::Balances { account, before } => {
                    set_balances(&mut self.accounts[account as usize], before)
                }
                Undo::Totals { book, before } => self.books[book].totals = before,
                Undo::TransferIndexed { id } => {
                    if let Some(entry) = self.transfers.remove(&key(id)) {
                        self.index_digest =
                            self.index_digest.wrapping_sub(entry_hash(key(id), entry));
                    }
                }
                Undo::TransferStateChanged { id, before } => {
                    let after = self.transfers[&key(id)];
                    self.transfers.insert(key(id), before);
                    self.index_digest = self
                        .index_digest
                        .wrapping_sub(entry_hash(key(id), after))
                        .wrapping_add(entry_hash(key(id), before));
                }
                Undo::PendingAdded { id } => {
                    self.pending.remove(&id);
                }
                // Its expiry entry was never removed from the lazy queue.
                Undo::PendingRemoved { id, pending } => {
                    self.pending.insert(id, pending);
                }
            }
        }
    }

    fn book_of(&self, currency: CurrencyCode) -> Option<usize> {
        self.books.iter().position(|b| b.currency == currency)
    }

    fn fingerprint(&self, transfer: &Transfer) -> u64 {
        xxh3_64(&codec::transfer_body(transfer)) & IndexEntry::FINGERPRINT_MASK
    }

    /// A 128-bit hash of the whole state. Two ledgers with equal hashes hold the same
    /// accounts, balances, reservations and transfer index; replaying a journal must
    /// reproduce the hash of the ledger that wrote it.
    pub fn state_hash(&self) -> u128 {
        let mut h = Xxh3::new();
        h.update(&self.last_timestamp.0.to_le_bytes());
        for book in &self.books {
            h.update(&book.currency.numeric().to_le_bytes());
            let mut totals = Vec::with_capacity(64);
            codec::put_totals(&mut totals, &book.totals);
            h.update(&totals);
        }
        let mut buffer = Vec::with_capacity(256);
        for account in &self.accounts {
            buffer.clear();
            codec::encode_account(account, &mut buffer);
            h.update(&buffer);
        }
        let mut pending: Vec<_> = self.pending.iter().collect();
        pending.sort_unstable_by_key(|(id, _)| **id);
        for (id, p) in pending {
            h.update(&id.get().to_le_bytes());
            h.update(&p.debit.to_le_bytes());
            h.update(&p.credit.to_le_bytes());
            h.update(&p.amount.to_le_bytes());
            h.update(&p.expires_at.map_or(u64::MAX, |t| t.0).to_le_bytes());
        }
        h.update(&(self.transfers.len() as u64).to_le_bytes());
        h.update(&self.index_digest.to_le_bytes());
        h.digest128()
    }

    /// Checks every invariant against the whole state (O(accounts + pending)): per-currency
    /// conservation, running totals equal to the sum over accounts, every account within its
    /// rule, reservations consistent with the index and the expiry queue.
    pub fn check_invariants(&self) -> Result<(), InvariantViolation> {
        let mut summed = vec![BookTotals::default(); self.books.len()];
        for account in &self.accounts {
            if !account.satisfies_rule() {
                return Err(InvariantViolation::RuleBroken(account.id));
            }
            let book = self
                .book_of(account.currency)
                .ok_or(InvariantViolation::Overflow)?;
            let t = &mut summed[book];
            let add = |a: u128, b: u128| a.checked_add(b).ok_or(InvariantViolation::Overflow);
            t.debits_pending = add(t.debits_pending, account.debits_pending)?;
            t.debits_posted = add(t.debits_posted, account.debits_posted)?;
            t.credits_pending = add(t.credits_pending, account.credits_pending)?;
            t.credits_posted = add(t.credits_posted, account.credits_posted)?;
        }
        for (book, summed) in self.books.iter().zip(summed) {
            let (currency, kept) = (book.currency, book.totals);
            if kept != summed {
                return Err(InvariantViolation::TotalsDrift {
                    currency,
                    kept,
                    summed,
                });
            }
            let sides = [
                ("posted", kept.debits_posted, kept.credits_posted),
                ("pending", kept.debits_pending, kept.credits_pending),
            ];
            if let Some((which, debits, credits)) = sides.into_iter().find(|(_, d, c)| d != c) {
                return Err(InvariantViolation::Unbalanced {
                    currency,
                    which,
                    debits,
                    credits,
                });
            }
        }
        self.check_pending()
    }

    fn check_pending(&self) -> Result<(), InvariantViolation> {
        let mut pending_by_book = vec![0u128; self.books.len()];
        let queue: HashSet<(Timestamp, TransferId)> =
            self.expiries.iter().map(|Reverse(entry)| *entry).collect();
        for (id, p) in &self.pending {
            let indexed = self.transfer_state(*id) == Some(TransferState::Pending);
            let queued = p.expires_at.is_none_or(|at| queue.contains(&(at, *id)));
            if !indexed || !queued || p.book >= self.books.len() {
                return Err(InvariantViolation::PendingInconsistent(*id));
            }
            pending_by_book[p.book] = pending_by_book[p.book]
                .checked_add(p.amount)
                .ok_or(InvariantViolation::Overflow)?;
        }
        for (book, amount) in self.books.iter().zip(pending_by_book) {
            if book.totals.debits_pending != amount {
                return Err(InvariantViolation::TotalsDrift {
                    currency: book.currency,
                    kept: book.totals,
                    summed: BookTotals {
                        debits_pending: amount,
                        credits_pending: amount,
                        ..book.totals
                    },
                });
            }
        }
        Ok(())
    }

    /// Rebuilds the derived structures after a snapshot was decoded.
    pub(crate) fn from_parts(
        accounts: Vec<Account>,
        books: Vec<Book>,
        transfers: Vec<(IndexKey, IndexEntry)>,
        pending: Vec<(TransferId, Pending)>,
        last_timestamp: Timestamp,
    ) -> Ledger {
        let mut ledger = Ledger::new();
        ledger.account_index.reserve(accounts.len());
        for (i, account) in accounts.iter().enumerate() {
            ledger.account_index.insert(account.id, i as u32);
        }
        ledger.accounts = accounts;
        ledger.books = books;
        ledger.transfers.reserve(transfers.len());
        for (k, entry) in transfers {
            ledger.index_digest = ledger.index_digest.wrapping_add(entry_hash(k, entry));
            ledger.transfers.insert(k, entry);
        }
        for (id, p) in pending {
            if let Some(at) = p.expires_at {
                ledger.expiries.push(Reverse((at, id)));
            }
            ledger.pending.insert(id, p);
        }
        ledger.last_timestamp = last_timestamp;
        ledger
    }

    pub(crate) fn index_entries(&self) -> impl Iterator<Item = (u128, IndexEntry)> + '_ {
        self.transfers.iter().map(|(k, e)| (k.id(), *e))
    }
}

fn entry_hash(IndexKey(k): IndexKey, entry: IndexEntry) -> u64 {
    let mut bytes = [0u8; 24];
    bytes[..8].copy_from_slice(&k[0].to_le_bytes());
    bytes[8..16].copy_from_slice(&k[1].to_le_bytes());
    bytes[16..].copy_from_slice(&entry.0.to_le_bytes());
    xxh3_64(&bytes)
}
