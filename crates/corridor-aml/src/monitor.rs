//! The monitor: records each settled payment against its two accounts, runs the rules,
//! turns new findings into numbered alerts and forgets accounts that have been idle for
//! longer than any rule looks back.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use corridor_core::{CurrencyCode, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::activity::{AccountActivity, window_start};
use crate::alert::Alert;
use crate::config::{AmlConfig, ConfigError, SchemeRules};
use crate::covering::Cover;
use crate::flow_log::Flow;
use crate::payment::{AccountKey, SettledPayment};
use crate::rules::{Finding, Scene, evaluate};
use crate::state::{BookState, MonitorState, SharedKeys};
use crate::work::Work;

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
/// bring the same payments back. Payment ids are taken to be unique, as the hub's are.
///
/// Cost: what a payment costs does not grow with the accounts' histories, but for a
/// binary search through a window. Each rule decides from running totals, an alert
/// already covering the evidence is recognised from the latest payment it cited, and only
/// a new alert lists its evidence. The one search that can read further is the round
/// trip's, among the payments between the accounts of a possible cycle that are of an
/// amount that could be a leg, until it finds the latest that closes the cycle.
#[derive(Clone, Debug)]
pub struct AmlMonitor {
    pub(crate) config: AmlConfig,
    pub(crate) books: BTreeMap<CurrencyCode, CurrencyBook>,
    pub(crate) now: Timestamp,
    pub(crate) last_alert_id: u64,
    pub(crate) unmonitored_payments: u64,
    /// Not part of the state: see [`AmlMonitor::elements_read`].
    pub(crate) elements_read: u64,
}

/// The accounts active in one currency.
#[derive(Clone, Debug, Default)]
pub(crate) struct CurrencyBook {
    /// Each account under its one shared key, which its counterparties' flows point to.
    pub(crate) accounts: BTreeMap<Arc<AccountKey>, AccountActivity>,
    /// Each account under the time it was last touched, oldest first, for eviction.
    pub(crate) last_touched: BTreeSet<(Timestamp, Arc<AccountKey>)>,
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
            elements_read: 0,
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
        let work = Work::default();
        let book = self.books.entry(payment.currency).or_default();
        let debtor = payment.debtor_key();
        let creditor = payment.creditor_key();
        let first_payment_to_creditor = book
            .accounts
            .get(&debtor)
            .is_none_or(|activity| !activity.has_paid(&creditor, now, rules));
        book.record(payment, &debtor, &creditor, now, rules, &work);
        let findings = evaluate(&Scene {
            payment,
            debtor: &debtor,
            creditor: &creditor,
            accounts: &book.accounts,
            rules,
            now,
            first_payment_to_creditor,
            work: &work,
        });
        let mut alerts = Vec::new();
        for finding in findings {
            let Some(activity) = book.accounts.get_mut(&finding.subject) else {
                continue;
            };
            self.last_alert_id += 1;
            alerts.push(raise(self.last_alert_id, finding, payment, now, activity));
        }
        self.elements_read = self.elements_read.saturating_add(work.total());
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

    /// How many window elements (payments recorded on an account, steps of a search
    /// through them, alerts kept against them) this monitor has read or dropped since it
    /// was made or restored: the measure of its work that tests and benches compare
    /// across histories. Not part of its state.
    pub fn elements_read(&self) -> u64 {
        self.elements_read
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
    subject.covering_mut().push(
        finding.rule,
        Cover {
            alert_id: id,
            evidence: finding.evidence.clone(),
            until: Timestamp(now.0.saturating_add(seconds)),
            reach: finding.reach,
        },
    );
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
    /// The shared key of `account`: the one its state is held under, or a new one.
    pub(crate) fn key(&self, account: &AccountKey) -> Arc<AccountKey> {
        self.accounts
            .get_key_value(account)
            .map_or_else(|| Arc::new(account.clone()), |(key, _)| key.clone())
    }

    /// Adds the payment to both accounts, after trimming what `now` has made too old.
    fn record(
        &mut self,
        payment: &SettledPayment,
        debtor: &AccountKey,
        creditor: &AccountKey,
        now: Timestamp,
        rules: &SchemeRules,
        work: &Work,
    ) {
        let debtor = self.key(debtor);
        let creditor = self.key(creditor);
        let flow = |counterparty: &Arc<AccountKey>| Flow {
            payment_id: payment.payment_id,
            at: payment.settled_at,
            counterparty: counterparty.clone(),
            amount: payment.amount,
        };
        self.touch(&debtor, now, rules, work)
            .record_outgoing(flow(&creditor), rules);
        self.touch(&creditor, now, rules, work)
            .record_incoming(flow(&debtor));
    }

    /// The account's state, trimmed to `now` and marked as touched then.
    fn touch(
        &mut self,
        account: &Arc<AccountKey>,
        now: Timestamp,
        rules: &SchemeRules,
        work: &Work,
    ) -> &mut AccountActivity {
        let activity = self
            .accounts
            .entry(account.clone())
            .or_insert_with(|| AccountActivity::new(now));
        self.last_touched
            .remove(&(activity.touched_at(), account.clone()));
        self.last_touched.insert((now, account.clone()));
        activity.mark_touched(now);
        activity.trim(now, rules, work);
        activity
    }

    fn evict_touched_before(&mut self, cutoff: Timestamp) {
        while let Some((touched, account)) = self.last_touched.first().cloned() {
            if touched >= cutoff {
                return;
            }
            self.last_touched.pop_first();
            self.accounts.remove(&account);
        }
    }
}

impl CurrencyBook {
    fn to_state(&self) -> BookState {
        let key = |key: &Arc<AccountKey>| AccountKey::clone(key);
        BookState {
            accounts: self
                .accounts
                .iter()
                .map(|(account, activity)| (key(account), activity.to_state()))
                .collect(),
            last_touched: self
                .last_touched
                .iter()
                .map(|(at, account)| (*at, key(account)))
                .collect(),
            touched_at: self
                .accounts
                .iter()
                .map(|(account, activity)| (key(account), activity.touched_at()))
                .collect(),
        }
    }

    fn from_state(state: BookState, rules: &SchemeRules) -> CurrencyBook {
        let mut keys = SharedKeys::default();
        let BookState {
            accounts,
            last_touched,
            touched_at,
        } = state;
        let accounts = accounts
            .into_iter()
            .map(|(account, activity)| {
                let touched = touched_at.get(&account).copied().unwrap_or_default();
                let activity = AccountActivity::from_state(activity, touched, rules, &mut keys);
                (keys.get(account), activity)
            })
            .collect();
        let last_touched = last_touched
            .into_iter()
            .map(|(at, account)| (at, keys.get(account)))
            .collect();
        CurrencyBook {
            accounts,
            last_touched,
        }
    }
}

impl AmlMonitor {
    fn to_state(&self) -> MonitorState {
        MonitorState {
            config: self.config.clone(),
            books: self
                .books
                .iter()
                .map(|(currency, book)| (*currency, book.to_state()))
                .collect(),
            now: self.now,
            last_alert_id: self.last_alert_id,
            unmonitored_payments: self.unmonitored_payments,
        }
    }

    fn from_state(state: MonitorState) -> AmlMonitor {
        let fallback = SchemeRules::default();
        let books = state
            .books
            .into_iter()
            .map(|(currency, book)| {
                let rules = state.config.schemes.get(&currency).unwrap_or(&fallback);
                (currency, CurrencyBook::from_state(book, rules))
            })
            .collect();
        AmlMonitor {
            config: state.config,
            books,
            now: state.now,
            last_alert_id: state.last_alert_id,
            unmonitored_payments: state.unmonitored_payments,
            elements_read: 0,
        }
    }
}

impl Serialize for AmlMonitor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_state().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AmlMonitor {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AmlMonitor, D::Error> {
        MonitorState::deserialize(deserializer).map(AmlMonitor::from_state)
    }
}

/// Equal when they hold the same state, however it is laid out in memory.
impl PartialEq for AmlMonitor {
    fn eq(&self, other: &AmlMonitor) -> bool {
        self.to_state() == other.to_state()
    }
}

impl Eq for AmlMonitor {}
