//! Anti-money-laundering monitoring of Corridor's settled payment flow: six rules over
//! windows of each account's recent payments, deduplicated alerts and the case book the
//! compliance officers work from.
//!
//! Deterministic like the hub that embeds it: no I/O, no clock, no randomness, no floats.
//! Time is each payment's settlement time, amounts are integer minor units, ratios are basis
//! points, and every collection is ordered, so replaying the journal's payments into a
//! fresh [`AmlMonitor`] reproduces every alert. Both [`AmlMonitor`] and [`CaseBook`] are
//! serde types the hub can put in its snapshot.

mod activity;
mod alert;
mod case;
mod config;
mod covering;
mod flow_log;
mod monitor;
mod payment;
mod ratio;
mod rules;
mod state;
mod sum;
mod work;

pub use alert::{Alert, RuleKind};
pub use case::{Case, CaseBook, CaseChange, CaseError, CaseEvent, CaseId, CaseState, CloseReason};
pub use config::{
    AmlConfig, ConfigError, NewCounterpartyRule, OriginatorDataRule, PassThroughRule,
    RoundTripRule, SchemeRules, StructuringRule, VelocityRule, WHOLE_BP,
};
pub use monitor::AmlMonitor;
pub use payment::{
    AccountKey, AccountNumber, OriginatorData, OriginatorIdentification, PartyRef, SettledPayment,
};
