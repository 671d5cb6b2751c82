//! What the monitor raises: an alert naming the rule, the account it is about, the payments
//! that make the evidence and the numbers that triggered it.

use std::fmt;

use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::payment::AccountKey;

/// The monitoring rule an alert comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// (a) Several payments just under the reporting threshold.
    Structuring,
    /// (b) Count or value far above the account's own trailing average.
    VelocitySpike,
    /// (c) Money back at its origin, directly or through one intermediate.
    RoundTrip,
    /// (d) Most of what came in sent straight on.
    PassThrough,
    /// (e) A large first payment to a creditor.
    NewCounterparty,
    /// (f) Originator information missing or inconsistent (FATF Recommendation 16).
    OriginatorData,
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RuleKind::Structuring => "structuring",
            RuleKind::VelocitySpike => "velocity spike",
            RuleKind::RoundTrip => "round trip",
            RuleKind::PassThrough => "pass-through",
            RuleKind::NewCounterparty => "new counterparty",
            RuleKind::OriginatorData => "originator data",
        })
    }
}

/// One alert. Ids are sequential from 1 in the order the monitor raised them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    pub id: u64,
    pub rule: RuleKind,
    /// The account the alert is about: the payer for structuring, velocity, pass-through,
    /// new counterparty and originator data; the origin the money came back to for a
    /// round trip.
    pub subject: AccountKey,
    pub currency: CurrencyCode,
    /// The settlement time of the payment that completed the evidence.
    pub raised_at: Timestamp,
    /// Payment ids, ascending.
    pub evidence: Vec<u64>,
    /// For the officer: what was seen, with the amounts, counts and limits that triggered.
    pub detail: String,
}
