//! What the ledger keeps per book and per transfer besides accounts: a book's running
//! totals, a pending reservation, a transfer's state in the idempotency index, and the
//! invariant violations a check over them can find. Shared by the ledger, its undo log and
//! its snapshot codec, so none of them reaches into another for these types.

use corridor_core::{AccountId, CurrencyCode, Timestamp, TransferId};

/// The four running totals of one currency's book. Conservation means
/// `debits_posted == credits_posted` and `debits_pending == credits_pending` at all times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BookTotals {
    pub debits_pending: u128,
    pub debits_posted: u128,
    pub credits_pending: u128,
    pub credits_posted: u128,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Book {
    pub(crate) currency: CurrencyCode,
    pub(crate) totals: BookTotals,
}

/// A reservation not yet posted, voided or expired. Indices point into the ledger's accounts,
/// which never shrinks outside a chain rollback, and a rollback removes the reservation first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pending {
    pub(crate) debit: u32,
    pub(crate) credit: u32,
    pub(crate) book: usize,
    pub(crate) amount: u128,
    /// `None`: never expires.
    pub(crate) expires_at: Option<Timestamp>,
}

/// Where a transfer id stands, as [`Ledger::transfer_state`](crate::Ledger::transfer_state) reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TransferState {
    /// A single-phase transfer, posted.
    Posted = 0,
    /// A reservation still pending.
    Pending = 1,
    /// A reservation that a later transfer posted.
    PendingPosted = 2,
    /// A reservation that a later transfer voided.
    PendingVoided = 3,
    /// A reservation whose timeout passed.
    PendingExpired = 4,
    /// A transfer that posted a reservation.
    PostsPending = 5,
    /// A transfer that voided a reservation.
    VoidsPending = 6,
}

impl TransferState {
    const ALL: [TransferState; 7] = [
        TransferState::Posted,
        TransferState::Pending,
        TransferState::PendingPosted,
        TransferState::PendingVoided,
        TransferState::PendingExpired,
        TransferState::PostsPending,
        TransferState::VoidsPending,
    ];
}

/// One entry of the idempotency index, packed into 8 bytes so that 100 million transfer ids
/// fit in a few GiB: the top 3 bits are the [`TransferState`], the other 61 a fingerprint of
/// the transfer's body (everything but its id). A retry whose body hashes to another
/// fingerprint is `exists_with_different_fields`; two different bodies under one reused id
/// colliding in 61 bits is the accepted (2^-61) risk of not storing whole transfers here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexEntry(pub(crate) u64);

impl IndexEntry {
    const STATE_SHIFT: u32 = 61;
    pub(crate) const FINGERPRINT_MASK: u64 = (1 << Self::STATE_SHIFT) - 1;

    pub(crate) fn new(state: TransferState, fingerprint: u64) -> IndexEntry {
        IndexEntry(((state as u64) << Self::STATE_SHIFT) | (fingerprint & Self::FINGERPRINT_MASK))
    }

    pub(crate) fn from_raw(raw: u64) -> Option<IndexEntry> {
        let state = usize::try_from(raw >> Self::STATE_SHIFT).ok()?;
        TransferState::ALL.get(state).map(|_| IndexEntry(raw))
    }

    pub(crate) fn state(self) -> TransferState {
        // Entries are only built by `new` and `from_raw`, both of which keep the state valid.
        TransferState::ALL[(self.0 >> Self::STATE_SHIFT) as usize]
    }

    pub(crate) fn fingerprint(self) -> u64 {
        self.0 & Self::FINGERPRINT_MASK
    }

    pub(crate) fn with_state(self, state: TransferState) -> IndexEntry {
        IndexEntry::new(state, self.fingerprint())
    }
}

/// A broken invariant found by [`Ledger::check_invariants`](crate::Ledger::check_invariants): a bug, never a user error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvariantViolation {
    #[error("{currency}: debits {debits} != credits {credits} ({which})")]
    Unbalanced {
        currency: CurrencyCode,
        which: &'static str,
        debits: u128,
        credits: u128,
    },
    #[error("{currency}: running totals {kept:?} disagree with the accounts' sum {summed:?}")]
    TotalsDrift {
        currency: CurrencyCode,
        kept: BookTotals,
        summed: BookTotals,
    },
    #[error("account {0} breaks its balance rule")]
    RuleBroken(AccountId),
    #[error("pending reservation {0} disagrees with the index or the expiry queue")]
    PendingInconsistent(TransferId),
    #[error("an account total overflowed while summing")]
    Overflow,
}
