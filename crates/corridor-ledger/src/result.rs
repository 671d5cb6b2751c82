use std::fmt;

/// The result of one command in a batch. Exactly one code per event: a failure names its
/// precise cause, never a generic error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ResultCode {
    Ok = 0,
    /// The id exists with the same body: an idempotent retry, nothing changed.
    Exists,
    /// The id exists with a different body: the caller reused an id.
    ExistsWithDifferentFields,
    /// Another event of the same linked chain failed, so this one was not applied.
    LinkedEventFailed,
    /// The batch ended while a linked chain was still open.
    LinkedEventChainOpen,
    AccountsMustDiffer,
    AmountMustNotBeZero,
    DebitAccountNotFound,
    CreditAccountNotFound,
    AccountsMustHaveTheSameCurrency,
    TransferCurrencyMustMatchAccounts,
    ExceedsCredits,
    ExceedsDebits,
    OverflowsDebits,
    OverflowsCredits,
    OverflowsCurrencyTotal,
    PendingTransferNotFound,
    PendingTransferNotPending,
    PendingTransferAlreadyPosted,
    PendingTransferAlreadyVoided,
    PendingTransferExpired,
    ExceedsPendingTransferAmount,
    /// The ledger holds 2^32 - 1 accounts, its design maximum.
    AccountLimitReached,
    /// A rule change names an account that does not exist.
    AccountNotFound,
}

impl ResultCode {
    pub const ALL: [ResultCode; 24] = [
        ResultCode::Ok,
        ResultCode::Exists,
        ResultCode::ExistsWithDifferentFields,
        ResultCode::LinkedEventFailed,
        ResultCode::LinkedEventChainOpen,
        ResultCode::AccountsMustDiffer,
        ResultCode::AmountMustNotBeZero,
        ResultCode::DebitAccountNotFound,
        ResultCode::CreditAccountNotFound,
        ResultCode::AccountsMustHaveTheSameCurrency,
        ResultCode::TransferCurrencyMustMatchAccounts,
        ResultCode::ExceedsCredits,
        ResultCode::ExceedsDebits,
        ResultCode::OverflowsDebits,
        ResultCode::OverflowsCredits,
        ResultCode::OverflowsCurrencyTotal,
        ResultCode::PendingTransferNotFound,
        ResultCode::PendingTransferNotPending,
        ResultCode::PendingTransferAlreadyPosted,
        ResultCode::PendingTransferAlreadyVoided,
        ResultCode::PendingTransferExpired,
        ResultCode::ExceedsPendingTransferAmount,
        ResultCode::AccountLimitReached,
        ResultCode::AccountNotFound,
    ];

    /// `ok` and `exists` leave the ledger as the caller wants it; everything else failed.
    pub fn is_success(self) -> bool {
        matches!(self, ResultCode::Ok | ResultCode::Exists)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResultCode::Ok => "ok",
            ResultCode::Exists => "exists",
            ResultCode::ExistsWithDifferentFields => "exists_with_different_fields",
            ResultCode::LinkedEventFailed => "linked_event_failed",
            ResultCode::LinkedEventChainOpen => "linked_event_chain_open",
            ResultCode::AccountsMustDiffer => "accounts_must_differ",
            ResultCode::AmountMustNotBeZero => "amount_must_not_be_zero",
            ResultCode::DebitAccountNotFound => "debit_account_not_found",
            ResultCode::CreditAccountNotFound => "credit_account_not_found",
            ResultCode::AccountsMustHaveTheSameCurrency => "accounts_must_have_the_same_currency",
            ResultCode::TransferCurrencyMustMatchAccounts => {
                "transfer_currency_must_match_accounts"
            }
            ResultCode::ExceedsCredits => "exceeds_credits",
            ResultCode::ExceedsDebits => "exceeds_debits",
            ResultCode::OverflowsDebits => "overflows_debits",
            ResultCode::OverflowsCredits => "overflows_credits",
            ResultCode::OverflowsCurrencyTotal => "overflows_currency_total",
            ResultCode::PendingTransferNotFound => "pending_transfer_not_found",
            ResultCode::PendingTransferNotPending => "pending_transfer_not_pending",
            ResultCode::PendingTransferAlreadyPosted => "pending_transfer_already_posted",
            ResultCode::PendingTransferAlreadyVoided => "pending_transfer_already_voided",
            ResultCode::PendingTransferExpired => "pending_transfer_expired",
            ResultCode::ExceedsPendingTransferAmount => "exceeds_pending_transfer_amount",
            ResultCode::AccountLimitReached => "account_limit_reached",
            ResultCode::AccountNotFound => "account_not_found",
        }
    }

    /// The ISO 20022 status reason code a payment rejected for this cause carries, where
    /// the external code list has one.
    pub fn iso_reason(self) -> Option<&'static str> {
        match self {
            ResultCode::ExceedsCredits | ResultCode::ExceedsDebits => Some("AM04"),
            ResultCode::AmountMustNotBeZero => Some("AM01"),
            ResultCode::DebitAccountNotFound => Some("AC02"),
            ResultCode::CreditAccountNotFound => Some("AC03"),
            ResultCode::AccountsMustHaveTheSameCurrency
            | ResultCode::TransferCurrencyMustMatchAccounts => Some("AM03"),
            ResultCode::ExistsWithDifferentFields => Some("AM05"),
            ResultCode::OverflowsDebits
            | ResultCode::OverflowsCredits
            | ResultCode::OverflowsCurrencyTotal => Some("AM02"),
            _ => None,
        }
    }
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
