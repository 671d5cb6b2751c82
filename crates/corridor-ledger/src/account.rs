use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};

/// What an account is for. The ledger treats all kinds alike; the kind tells the layers
/// above (and the people reading a statement) what the balance means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AccountKind {
    /// A participant's settlement account at the currency's settlement agent.
    Settlement = 1,
    /// An FX provider's inventory of one currency.
    FxInventory = 2,
    /// Holding / suspense: money parked while a payment waits (compliance, PvP).
    Holding = 3,
    /// Fees collected by the operator or a participant.
    Fees = 4,
    /// The settlement agent's funding account, the mirror of the domestic payment system:
    /// funding a participant debits it, so its net debit is the money brought into Corridor.
    Funding = 5,
}

impl AccountKind {
    pub const ALL: [AccountKind; 5] = [
        AccountKind::Settlement,
        AccountKind::FxInventory,
        AccountKind::Holding,
        AccountKind::Fees,
        AccountKind::Funding,
    ];
}

/// The balance rule an account must never break. Pending (reserved) amounts count against
/// the rule, so a reservation can always be posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BalanceRule {
    /// No limit: the funding account that mirrors a domestic system.
    Unrestricted,
    /// Debits (posted + pending) may exceed posted credits by at most `limit`: 0 means no
    /// overdraft; a positive limit is a net debit cap or intraday credit line.
    DebitsMustNotExceedCredits { limit: u128 },
    /// The mirror rule for accounts whose natural balance is a debit balance.
    CreditsMustNotExceedDebits { limit: u128 },
}

/// The request to open an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NewAccount {
    pub id: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub kind: AccountKind,
    pub rule: BalanceRule,
    /// Scheme-defined category, opaque to the ledger.
    pub code: u16,
    /// Caller's own reference, opaque to the ledger.
    pub user_ref: u128,
    /// Continues a linked chain into the next command of the batch.
    pub linked: bool,
}

/// An account as the ledger keeps it. Balances are four unsigned totals; the net position is
/// derived, never stored, so it can never disagree with them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Account {
    pub id: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub kind: AccountKind,
    pub rule: BalanceRule,
    pub code: u16,
    pub user_ref: u128,
    pub created_at: Timestamp,
    pub debits_pending: u128,
    pub debits_posted: u128,
    pub credits_pending: u128,
    pub credits_posted: u128,
}

impl Account {
    pub(crate) fn open(new: &NewAccount, created_at: Timestamp) -> Account {
        Account {
            id: new.id,
            owner: new.owner,
            currency: new.currency,
            kind: new.kind,
            rule: new.rule,
            code: new.code,
            user_ref: new.user_ref,
            created_at,
            debits_pending: 0,
            debits_posted: 0,
            credits_pending: 0,
            credits_posted: 0,
        }
    }

    /// The request that opened this account (not linked).
    pub fn definition(&self) -> NewAccount {
        NewAccount {
            id: self.id,
            owner: self.owner,
            currency: self.currency,
            kind: self.kind,
            rule: self.rule,
            code: self.code,
            user_ref: self.user_ref,
            linked: false,
        }
    }

    /// Whether `new` asks for exactly this account (an idempotent retry).
    pub(crate) fn matches(&self, new: &NewAccount) -> bool {
        self.definition()
            == NewAccount {
                linked: false,
                ..*new
            }
    }

    /// Whether the balances satisfy the account's rule.
    pub fn satisfies_rule(&self) -> bool {
        rule_allows(
            self.rule,
            self.debits_pending,
            self.debits_posted,
            self.credits_pending,
            self.credits_posted,
        )
    }

    /// Posted credits minus posted debits, as a sign and a magnitude (never a float, never
    /// a wrapping subtraction).
    pub fn posted_balance(&self) -> (bool, u128) {
        if self.credits_posted >= self.debits_posted {
            (true, self.credits_posted - self.debits_posted)
        } else {
            (false, self.debits_posted - self.credits_posted)
        }
    }
}

/// Whether balances satisfy `rule`. Checked arithmetic: a total so large that
/// `available + limit` overflows cannot be exceeded.
pub(crate) fn rule_allows(
    rule: BalanceRule,
    debits_pending: u128,
    debits_posted: u128,
    credits_pending: u128,
    credits_posted: u128,
) -> bool {
    let within = |used: Option<u128>, available: u128, limit: u128| {
        used.is_some_and(|used| available.checked_add(limit).is_none_or(|cap| used <= cap))
    };
    match rule {
        BalanceRule::Unrestricted => true,
        BalanceRule::DebitsMustNotExceedCredits { limit } => within(
            debits_pending.checked_add(debits_posted),
            credits_posted,
            limit,
        ),
        BalanceRule::CreditsMustNotExceedDebits { limit } => within(
            credits_pending.checked_add(credits_posted),
            debits_posted,
            limit,
        ),
    }
}
