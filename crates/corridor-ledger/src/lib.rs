//! The double-entry ledgers of Corridor, one book per currency, as a deterministic state
//! machine: `Ledger::apply(commands, now) -> results`. No I/O, no clock, no randomness that
//! can reach an output. Every balance change goes through `apply`, in one total order, which
//! is what lets the journal replay it, a crash recover it and a simulation test it.
//!
//! Accounts belong to exactly one currency's book; a transfer names its currency and moves
//! money only between accounts of that book, so per-currency conservation (total debits equal
//! total credits) holds by construction and is also checked by [`Ledger::check_invariants`].

mod account;
pub mod codec;
mod command;
mod index_key;
mod ledger;
pub mod machine;
mod records;
mod result;
mod undo;

pub use account::{Account, AccountKind, BalanceRule, NewAccount};
pub use command::{Command, Movement, RuleChange, Transfer, TransferAction};
pub use ledger::{BatchOutcome, Ledger};
pub use machine::{MachineError, StateMachine};
pub use records::{BookTotals, InvariantViolation, TransferState};
pub use result::ResultCode;
