//! Builders shared by the ledger's integration tests.
#![allow(dead_code)]

use corridor_core::{AccountId, Amount, CurrencyCode, TransferId};
use corridor_ledger::{
    AccountKind, BalanceRule, Command, Movement, NewAccount, RuleChange, Transfer, TransferAction,
};

pub fn rub() -> CurrencyCode {
    "RUB".parse().unwrap()
}

pub fn irr() -> CurrencyCode {
    "IRR".parse().unwrap()
}

pub fn aid(n: u128) -> AccountId {
    AccountId::new(n).unwrap()
}

pub fn tid(n: u128) -> TransferId {
    TransferId::new(n).unwrap()
}

pub fn account(id: u128, currency: CurrencyCode, rule: BalanceRule) -> Command {
    Command::CreateAccount(NewAccount {
        id: aid(id),
        owner: "SABRRUMM".parse().unwrap(),
        currency,
        kind: AccountKind::Settlement,
        rule,
        code: 1,
        user_ref: 0,
        linked: false,
    })
}

pub fn no_overdraft() -> BalanceRule {
    BalanceRule::DebitsMustNotExceedCredits { limit: 0 }
}

pub fn movement(debit: u128, credit: u128, amount: u128, currency: CurrencyCode) -> Movement {
    Movement {
        debit_account: aid(debit),
        credit_account: aid(credit),
        currency,
        amount: Amount::from_minor(amount),
    }
}

pub fn transfer(id: u128, action: TransferAction) -> Command {
    Command::CreateTransfer(Transfer {
        id: tid(id),
        action,
        code: 10,
        user_ref: 0,
        linked: false,
    })
}

pub fn post(id: u128, debit: u128, credit: u128, amount: u128) -> Command {
    transfer(
        id,
        TransferAction::Post(movement(debit, credit, amount, rub())),
    )
}

pub fn reserve(id: u128, debit: u128, credit: u128, amount: u128, timeout_seconds: u32) -> Command {
    transfer(
        id,
        TransferAction::Reserve {
            movement: movement(debit, credit, amount, rub()),
            timeout_seconds,
        },
    )
}

pub fn post_pending(id: u128, pending: u128, amount: Option<u128>) -> Command {
    transfer(
        id,
        TransferAction::PostPending {
            pending_id: tid(pending),
            amount: amount.map(Amount::from_minor),
        },
    )
}

pub fn void_pending(id: u128, pending: u128) -> Command {
    transfer(
        id,
        TransferAction::VoidPending {
            pending_id: tid(pending),
        },
    )
}

pub fn linked(mut command: Command) -> Command {
    match &mut command {
        Command::CreateAccount(a) => a.linked = true,
        Command::CreateTransfer(t) => t.linked = true,
        Command::SetBalanceRule(c) => c.linked = true,
    }
    command
}

pub fn set_rule(id: u128, rule: BalanceRule) -> Command {
    Command::SetBalanceRule(RuleChange {
        account: aid(id),
        rule,
        linked: false,
    })
}
