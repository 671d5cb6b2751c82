use corridor_core::TransferId;

use crate::records::{BookTotals, IndexEntry, Pending};

/// What must be put back to undo one mutation of a linked chain that later fails. Entries
/// are replayed in reverse, so a chain is all or nothing without copying the ledger.
#[derive(Debug, Clone)]
pub(crate) enum Undo {
    AccountOpened,
    Rule {
        account: u32,
        before: crate::BalanceRule,
    },
    BookOpened,
    Balances {
        account: u32,
        before: [u128; 4],
    },
    Totals {
        book: usize,
        before: BookTotals,
    },
    TransferIndexed {
        id: TransferId,
    },
    TransferStateChanged {
        id: TransferId,
        before: IndexEntry,
    },
    PendingAdded {
        id: TransferId,
    },
    PendingRemoved {
        id: TransferId,
        pending: Pending,
    },
}
