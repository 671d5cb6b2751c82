use crate::account::{BalanceRule, NewAccount};
use corridor_core::{AccountId, Amount, CurrencyCode, TransferId};

/// One event of a batch given to [`crate::Ledger::apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    CreateAccount(NewAccount),
    CreateTransfer(Transfer),
    /// Changes an account's balance rule (a net debit cap raised or lowered). Refused with
    /// `exceeds_credits` / `exceeds_debits` if the balances already break the new rule.
    SetBalanceRule(RuleChange),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RuleChange {
    pub account: AccountId,
    pub rule: BalanceRule,
    /// Continues a linked chain into the next command of the batch.
    pub linked: bool,
}

impl Command {
    pub fn linked(&self) -> bool {
        match self {
            Command::CreateAccount(a) => a.linked,
            Command::CreateTransfer(t) => t.linked,
            Command::SetBalanceRule(c) => c.linked,
        }
    }
}

/// A ledger transfer, identified by a caller-chosen id that makes retries idempotent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Transfer {
    pub id: TransferId,
    pub action: TransferAction,
    /// Scheme-defined category (payment type, fee, liquidity), opaque to the ledger.
    pub code: u16,
    /// Caller's own reference (for example the payment it belongs to).
    pub user_ref: u128,
    /// Continues a linked chain into the next command of the batch.
    pub linked: bool,
}

/// Money moving from one account to another of the same currency's book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Movement {
    pub debit_account: AccountId,
    pub credit_account: AccountId,
    pub currency: CurrencyCode,
    pub amount: Amount,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TransferAction {
    /// Posted at once (single phase).
    Post(Movement),
    /// Reserved: the amount counts against both accounts' rules but is not yet posted.
    /// `timeout_seconds` after the engine time of creation it expires and is released;
    /// 0 means it never expires.
    Reserve {
        movement: Movement,
        timeout_seconds: u32,
    },
    /// Posts a reservation, in full (`amount: None`) or in part; the rest is released.
    PostPending {
        pending_id: TransferId,
        amount: Option<Amount>,
    },
    /// Releases a reservation.
    VoidPending { pending_id: TransferId },
}
