//! What the monitor is fed: a settled payment, the accounts at both ends and the originator
//! information the message carried (FATF Recommendation 16).

use std::fmt;

use corridor_core::{Bic, CurrencyCode, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

/// One payment the hub has settled, as the monitor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettledPayment {
    /// The hub's payment id; alerts cite payments by it.
    pub payment_id: u64,
    pub uetr: Uetr,
    pub settled_at: Timestamp,
    pub currency: CurrencyCode,
    /// Interbank settlement amount in minor units of `currency`.
    pub amount: u128,
    pub debtor_agent: Bic,
    pub creditor_agent: Bic,
    /// The account debited, as its servicing agent (`debtor_agent`) holds it.
    pub debtor: PartyRef,
    /// The account credited, as its servicing agent (`creditor_agent`) holds it.
    pub creditor: PartyRef,
    /// The originator and beneficiary information the payment message carried.
    pub originator: OriginatorData,
}

impl SettledPayment {
    /// The debited account, which the monitor tracks as the payer.
    pub fn debtor_key(&self) -> AccountKey {
        AccountKey::of(self.debtor_agent, &self.debtor.account)
    }

    /// The credited account, which the monitor tracks as the payee.
    pub fn creditor_key(&self) -> AccountKey {
        AccountKey::of(self.creditor_agent, &self.creditor.account)
    }

    /// Whether the two agents sit in different countries: the wires Recommendation 16
    /// treats as cross-border.
    pub fn is_cross_border(&self) -> bool {
        self.debtor_agent.country() != self.creditor_agent.country()
    }
}

/// A customer account number as ISO 20022 `CashAccount` carries it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountNumber {
    /// An IBAN: unique worldwide on its own.
    Iban(String),
    /// Any other account number (`Othr/Id`): unique only at its servicing agent.
    Other(String),
}

impl AccountNumber {
    /// The number with spaces removed and letters upper-cased, so "de89 3704 ..." and
    /// "DE893704..." name the same account.
    pub fn canonical(&self) -> AccountNumber {
        match self {
            AccountNumber::Iban(text) => AccountNumber::Iban(compact(text)),
            AccountNumber::Other(text) => AccountNumber::Other(compact(text)),
        }
    }

    /// Whether the number is empty once spaces are removed.
    pub fn is_blank(&self) -> bool {
        match self {
            AccountNumber::Iban(text) | AccountNumber::Other(text) => text.trim().is_empty(),
        }
    }
}

fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The holder of an account at one end of a payment: its number and the holder's name as
/// the servicing agent knows it (the account register, not the message).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyRef {
    pub account: AccountNumber,
    pub name: String,
}

/// The identity the monitor keeps state under and that alerts name as their subject.
///
/// An IBAN identifies an account on its own; any other number only together with the agent
/// that services it, so two banks' account "1001" stay apart.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKey {
    Iban(String),
    Other { agent: Bic, number: String },
}

impl AccountKey {
    /// The key of `number` serviced by `agent`.
    pub fn of(agent: Bic, number: &AccountNumber) -> AccountKey {
        match number.canonical() {
            AccountNumber::Iban(iban) => AccountKey::Iban(iban),
            AccountNumber::Other(number) => AccountKey::Other { agent, number },
        }
    }
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountKey::Iban(iban) => f.write_str(iban),
            AccountKey::Other { agent, number } => write!(f, "{number}@{agent}"),
        }
    }
}

/// The information Recommendation 16 requires to travel with a cross-border wire
/// (Interpretive Note, paragraph 6): the originator's name, account number and one of
/// address, national identity number, customer identification number or date and place of
/// birth; the beneficiary's name and account number. `None` means the message did not carry
/// it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginatorData {
    pub originator_name: Option<String>,
    pub originator_account: Option<AccountNumber>,
    pub originator_identification: Option<OriginatorIdentification>,
    pub beneficiary_name: Option<String>,
    pub beneficiary_account: Option<AccountNumber>,
}

/// The third piece of originator information: any one of these satisfies Recommendation 16.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginatorIdentification {
    /// The postal address, as lines of text.
    Address(Vec<String>),
    NationalIdentityNumber(String),
    CustomerIdentificationNumber(String),
    /// Date of birth as ISO 8601 (`YYYY-MM-DD`) and place of birth.
    DateAndPlaceOfBirth {
        date: String,
        place: String,
    },
}

impl OriginatorIdentification {
    /// Whether the element is present but says nothing (only blanks).
    pub fn is_blank(&self) -> bool {
        match self {
            OriginatorIdentification::Address(lines) => lines.iter().all(|l| l.trim().is_empty()),
            OriginatorIdentification::NationalIdentityNumber(text)
            | OriginatorIdentification::CustomerIdentificationNumber(text) => {
                text.trim().is_empty()
            }
            OriginatorIdentification::DateAndPlaceOfBirth { date, place } => {
                date.trim().is_empty() || place.trim().is_empty()
            }
        }
    }
}
