//! The monitor: records each settled payment against its two accounts, runs the rules,
//! turns new findings into numbered alerts and forgets accounts that have been idle for
//! longer than any rule looks back.

use std::collections::{BTreeMap, BTreeSet};

use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Serialize};

use crate::reference::activity::{AccountActivity, CoveringAlert, Flow, window_start};
use crate::reference::rules::{Finding, Scene, evaluate};
use corridor_aml::Alert;
use corridor_aml::{AccountKey, SettledPayment};
use corridor_aml::{AmlConfig, ConfigError, SchemeRules};

/// Transaction monitoring over the settled payment flow.
///
/// Deterministic: the same configuration and the same payments in the same order give the
/// same alerts, so the hub can replay it from its journal. Its time is the latest
/// settlement time it has observed; it reads no clock.
///
/// Deduplication: an alert covers its evidence until the last of it leaves the rule's
/// window. While it does, a finding of the same rule on the same account that shares any
/// payment with it is not raised again; a finding on entirely new payments is. This holds
/// whatever the officer does with the case, so closing a case as a false positive does not
/// bring the same payments back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AmlMonitor {
    config: AmlConfig,
    books: BTreeMap<CurrencyCode, CurrencyBook>,
    now: Timestamp,
    last_alert_id: u64,
    unmonitored_payments: u64,
}

/// The accounts active in one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct CurrencyBook {
    accounts: BTreeMap<AccountKey, AccountActivity>,
    /// Each account under the time it was last touched, oldest first, for eviction.
    last_touched: BTreeSet<(Timestamp, AccountKey)>,
    touched_at: BTreeMap<AccountKey, Timestamp>,
}

impl AmlMonitor {
    pub fn new(config: AmlConfig) -> Result<AmlMonitor, ConfigError> {
        config.validate()?;
        Ok(AmlMonitor {
            config,
            books: BTreeMap::new(),
            now: Timestamp::ZERO,
            last_alert_id: 0,
            unmonitored_payments: 0,
        })
    }

    pub fn config(&self) -> &AmlConfig {
        &self.config
    }

    /// Records `payment` and returns the alerts it raises, in rule order.
    pub fn observe(&mut self, payment: &SettledPayment) -> Vec<Alert> {
        self.evict_idle(payment.settled_at);
        let Some(rules) = self.config.schemes.get(&payment.currency) else {
            self.unmonitored_payments = self.unmonitored_payments.saturating_add(1);
            return Vec::new();
        };
        let now = self.now;
        let book = self.books.entry(payment.currency).or_default();
        let debtor = payment.debtor_key();
        let creditor = payment.creditor_key();
        let first_payment_to_creditor = book
            .accounts
            .get(&debtor)
            .is_none_or(|activity| !activity.has_paid(&creditor, now, rules));
        book.record(payment, &debtor, &creditor, now, rules);
        let findings = evaluate(&Scene {
            payment,
            debtor: &debtor,
            creditor: &creditor,
            accounts: &book.accounts,
            rules,
            now,
            first_payment_to_creditor,
        });
        let mut alerts = Vec::new();
        for finding in findings {
            let Some(activity) = book.accounts.get_mut(&finding.subject) else {
                continue;
            };
            if activity.is_covered(finding.rule, &finding.evidence) {
                continue;
            }
            self.last_alert_id += 1;
            let alert = raise(self.last_alert_id, finding, payment, now, activity);
            alerts.push(alert);
        }
        alerts
    }

    /// Moves the monitor's time to `now` (never backwards) and drops every account idle
    /// for longer than its currency's retention. `observe` calls it; the hub may call it
    /// on its own tick so idle state goes even when no payment comes.
    pub fn evict_idle(&mut self, now: Timestamp) {
        self.now = self.now.max(now);
        for (currency, book) in &mut self.books {
            let retention = self
                .config
                .schemes
                .get(currency)
                .map_or(0, SchemeRules::retention_seconds);
            book.evict_touched_before(window_start(self.now, retention));
        }
        self.books.retain(|_, book| !book.accounts.is_empty());
    }

    /// Accounts the monitor holds state for, across currencies.
    pub fn tracked_accounts(&self) -> usize {
        self.books.values().map(|book| book.accounts.len()).sum()
    }

    /// Payments observed in a currency the configuration has no rules for.
    pub fn unmonitored_payments(&self) -> u64 {
        self.unmonitored_payments
    }

    /// The id the last alert got (0 before the first).
    pub fn last_alert_id(&self) -> u64 {
        self.last_alert_id
    }
}

/// Numbers `finding` as alert `id` and has it cover its evidence on the subject's account.
fn raise(
    id: u64,
    finding: Finding,
    payment: &SettledPayment,
    now: Timestamp,
    subject: &mut AccountActivity,
) -> Alert {
    let seconds = finding.window_seconds.saturating_mul(1_000_000_000);
    subject.covering.push(CoveringAlert {
        rule: finding.rule,
        alert_id: id,
        evidence: finding.evidence.clone(),
        until: Timestamp(now.0.saturating_add(seconds)),
    });
    Alert {
        id,
        rule: finding.rule,
        subject: finding.subject,
        currency: payment.currency,
        raised_at: now,
        evidence: finding.evidence,
        detail: finding.detail,
    }
}

impl CurrencyBook {
    /// Adds the payment to both accounts, after trimming what `now` has made too old.
    fn record(
        &mut self,
        payment: &SettledPayment,
        debtor: &AccountKey,
        creditor: &AccountKey,
        now: Timestamp,
        rules: &SchemeRules,
    ) {
        let flow = |counterparty: &AccountKey| Flow {
            payment_id: payment.payment_id,
            at: payment.settled_at,
            counterparty: counterparty.clone(),
            amount: payment.amount,
        };
        self.touch(debtor, now, rules)
            .record_outgoing(flow(creditor), rules);
        self.touch(creditor, now, rules)
            .record_incoming(flow(debtor));
    }

    /// The account's state, trimmed to `now` and marked as touched then.
    fn touch(
        &mut self,
        account: &AccountKey,
        now: Timestamp,
        rules: &SchemeRules,
    ) -> &mut AccountActivity {
        if let Some(previous) = self.touched_at.insert(account.clone(), now) {
            self.last_touched.remove(&(previous, account.clone()));
        }
        self.last_touched.insert((now, account.clone()));
        let activity = self.accounts.entry(account.clone()).or_default();
        activity.trim(now, rules);
        activity
    }

    fn evict_touched_before(&mut self, cutoff: Timestamp) {
        while let Some((touched, account)) = self.last_touched.first().cloned() {
            if touched >= cutoff {
                return;
            }
            self.last_touched.pop_first();
            self.touched_at.remove(&account);
            self.accounts.remove(&account);
        }
    }
}
