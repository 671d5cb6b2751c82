//! The six monitoring rules, each a pure function from the scene of one settled payment to
//! at most one finding, and the text helpers their details share.

mod new_counterparty;
mod originator;
mod pass_through;
mod round_trip;
mod structuring;
mod velocity;

use std::collections::BTreeMap;

use corridor_core::{Amount, Currency, Timestamp};

use crate::reference::activity::{AccountActivity, window_start};
use corridor_aml::RuleKind;
use corridor_aml::SchemeRules;
use corridor_aml::{AccountKey, SettledPayment};

/// Everything a rule may look at when a payment has been recorded.
pub struct Scene<'a> {
    pub payment: &'a SettledPayment,
    pub debtor: &'a AccountKey,
    pub creditor: &'a AccountKey,
    pub accounts: &'a BTreeMap<AccountKey, AccountActivity>,
    pub rules: &'a SchemeRules,
    /// The monitor's time: the latest settlement time it has seen.
    pub now: Timestamp,
    /// Whether the debtor had not paid this creditor within the rule's memory before.
    pub first_payment_to_creditor: bool,
}

impl Scene<'_> {
    fn activity(&self, account: &AccountKey) -> Option<&AccountActivity> {
        self.accounts.get(account)
    }

    fn since(&self, window_seconds: u32) -> Timestamp {
        window_start(self.now, u64::from(window_seconds))
    }

    /// `minor` written in major units with the currency code ("9,500.00" as "9500.00 EUR").
    fn money(&self, minor: u128) -> String {
        let currency = Currency {
            code: self.payment.currency,
            exponent: self.rules.minor_unit_exponent,
        };
        format!(
            "{} {}",
            Amount::from_minor(minor).format(currency),
            currency.code
        )
    }
}

/// What a rule found, before the monitor deduplicates it and numbers it as an alert.
#[derive(Debug)]
pub struct Finding {
    pub rule: RuleKind,
    pub subject: AccountKey,
    /// Payment ids, ascending, no repeats.
    pub evidence: Vec<u64>,
    pub detail: String,
    /// How long the evidence stays inside the rule's window after the payment.
    pub window_seconds: u64,
}

impl Finding {
    fn new(
        rule: RuleKind,
        subject: AccountKey,
        mut evidence: Vec<u64>,
        detail: String,
        window_seconds: u32,
    ) -> Finding {
        evidence.sort_unstable();
        evidence.dedup();
        Finding {
            rule,
            subject,
            evidence,
            detail,
            window_seconds: u64::from(window_seconds),
        }
    }
}

/// Every rule's finding on this payment, in [`RuleKind`] order.
pub fn evaluate(scene: &Scene<'_>) -> Vec<Finding> {
    let rules: [fn(&Scene<'_>) -> Option<Finding>; 6] = [
        structuring::check,
        velocity::check,
        round_trip::check,
        pass_through::check,
        new_counterparty::check,
        originator::check,
    ];
    rules.into_iter().filter_map(|rule| rule(scene)).collect()
}

/// A window length as people say it: "3 days", "6 hours", "90 minutes", "45 seconds".
fn duration(seconds: u32) -> String {
    let units = [(86_400, "day"), (3_600, "hour"), (60, "minute")];
    let (count, unit) = units
        .into_iter()
        .find(|(size, _)| seconds.is_multiple_of(*size))
        .map_or((seconds, "second"), |(size, unit)| (seconds / size, unit));
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// Basis points as a multiple: 50,000 bp as "5.00x".
fn multiple(bp: u32) -> String {
    format!("{}.{:02}x", bp / 10_000, bp % 10_000 / 100)
}

fn plural(count: u64, noun: &str) -> String {
    let suffix = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_multiples_read_naturally() {
        assert_eq!(duration(259_200), "3 days");
        assert_eq!(duration(3_600), "1 hour");
        assert_eq!(duration(5_400), "90 minutes");
        assert_eq!(duration(45), "45 seconds");
        assert_eq!(multiple(50_000), "5.00x");
        assert_eq!(multiple(25_050), "2.50x");
        assert_eq!(plural(1, "payment"), "1 payment");
    }
}
