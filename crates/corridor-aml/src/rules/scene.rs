//! What a rule looks at when a payment has been recorded (`Scene`), what it finds
//! (`Finding`), and the text helpers the rules' details share.

use std::collections::BTreeMap;
use std::sync::Arc;

use corridor_core::{Amount, Currency, Timestamp};

use crate::activity::{AccountActivity, window_start};
use crate::alert::RuleKind;
use crate::config::SchemeRules;
use crate::covering::Reach;
use crate::payment::{AccountKey, SettledPayment};
use crate::work::Work;

/// Everything a rule may look at when a payment has been recorded.
pub struct Scene<'a> {
    pub payment: &'a SettledPayment,
    pub debtor: &'a AccountKey,
    pub creditor: &'a AccountKey,
    pub accounts: &'a BTreeMap<Arc<AccountKey>, AccountActivity>,
    pub rules: &'a SchemeRules,
    /// The monitor's time: the latest settlement time it has seen.
    pub now: Timestamp,
    /// Whether the debtor had not paid this creditor within the rule's memory before.
    pub first_payment_to_creditor: bool,
    pub work: &'a Work,
}

impl Scene<'_> {
    pub(super) fn activity(&self, account: &AccountKey) -> Option<&AccountActivity> {
        self.accounts.get(account)
    }

    pub(super) fn since(&self, window_seconds: u32) -> Timestamp {
        window_start(self.now, u64::from(window_seconds))
    }

    /// `finding`, unless an alert of its rule kept on its subject cites any of its
    /// payments: for the rules whose evidence is a few payments named by id.
    pub(super) fn unless_cited(&self, finding: Finding) -> Option<Finding> {
        let covering = self.activity(&finding.subject)?.covering();
        (!covering.cites_any(finding.rule, &finding.evidence)).then_some(finding)
    }

    /// `minor` written in major units with the currency code ("9,500.00" as "9500.00 EUR").
    pub(super) fn money(&self, minor: u128) -> String {
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
    /// The latest of the evidence, which decides whether a later finding shares it.
    pub reach: Reach,
}

impl Finding {
    pub(super) fn new(
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
            reach: Reach::default(),
        }
    }

    pub(super) fn reaching(self, reach: Reach) -> Finding {
        Finding { reach, ..self }
    }
}

/// A window length as people say it: "3 days", "6 hours", "90 minutes", "45 seconds".
pub(super) fn duration(seconds: u32) -> String {
    let units = [(86_400, "day"), (3_600, "hour"), (60, "minute")];
    let (count, unit) = units
        .into_iter()
        .find(|(size, _)| seconds.is_multiple_of(*size))
        .map_or((seconds, "second"), |(size, unit)| (seconds / size, unit));
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// Basis points as a multiple: 50,000 bp as "5.00x".
pub(super) fn multiple(bp: u32) -> String {
    format!("{}.{:02}x", bp / 10_000, bp % 10_000 / 100)
}

pub(super) fn plural(count: u64, noun: &str) -> String {
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
