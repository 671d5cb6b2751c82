//! The hub's records an ISO 20022 message is written from, copied out inside an engine
//! query. The engine thread applies every payment, so it only copies; writing the XML,
//! which for a statement page can take long, happens afterwards on another thread.

use std::collections::HashMap;

use corridor_core::{AccountId, Currency, CurrencyCode, Timestamp};
use corridor_settlement::{Hub, OutboxEvent, OutboxMessage, Payment, Recall, Statement};

/// An outbox statement is named by its account and period.
type StatementKey = (AccountId, Timestamp, Timestamp);

/// Owned copies of exactly the payments, recalls, statements and currencies some messages
/// refer to.
#[derive(Debug, Default, Clone)]
pub struct OutboundFacts {
    payments: HashMap<u64, Payment>,
    recalls: HashMap<u64, Recall>,
    statements: HashMap<StatementKey, Statement>,
    currencies: HashMap<CurrencyCode, Currency>,
}

impl OutboundFacts {
    /// What the outbox messages `messages` are written from: a payment with the original it
    /// returns, a recall with its payment, a statement with the payments of its entries.
    pub fn gather(hub: &Hub, messages: &[OutboxMessage]) -> OutboundFacts {
        let mut facts = OutboundFacts::default();
        for m in messages {
            facts.copy_event(hub, &m.event);
        }
        facts
    }

    /// What a camt.053 of `statement` is written from: its currency and the payments of its
    /// entries.
    pub fn of_statement(hub: &Hub, statement: &Statement) -> OutboundFacts {
        let mut facts = OutboundFacts::default();
        facts.copy_statement_payments(hub, statement);
        facts
    }

    /// Only the scale of `currency`: all a JSON statement needs.
    pub fn of_currency(hub: &Hub, currency: CurrencyCode) -> OutboundFacts {
        let mut facts = OutboundFacts::default();
        facts.copy_currency(hub, currency);
        facts
    }

    pub fn payment(&self, id: u64) -> Option<&Payment> {
        self.payments.get(&id)
    }

    pub fn recall(&self, id: u64) -> Option<&Recall> {
        self.recalls.get(&id)
    }

    pub fn statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
    ) -> Option<&Statement> {
        self.statements.get(&(account, from, to))
    }

    pub fn currency(&self, code: CurrencyCode) -> Option<Currency> {
        self.currencies.get(&code).copied()
    }

    /// `minor` as an exact decimal in the currency's scale, as `views::decimal` writes it.
    pub fn decimal(&self, currency: CurrencyCode, minor: u128) -> String {
        crate::views::decimal_in(self.currency(currency), minor)
    }

    fn copy_event(&mut self, hub: &Hub, event: &OutboxEvent) {
        match event {
            OutboxEvent::PaymentStatus { payment, .. } => self.copy_payment(hub, *payment),
            OutboxEvent::IncomingPayment { payment, .. } => {
                self.copy_payment(hub, *payment);
                let original = self.payment(*payment).and_then(|p| p.return_of);
                if let Some(original) = original {
                    self.copy_payment(hub, original);
                }
            }
            OutboxEvent::RecallRequest { recall } | OutboxEvent::RecallAnswer { recall } => {
                self.copy_recall(hub, *recall)
            }
            OutboxEvent::Liquidity { currency, .. } => self.copy_currency(hub, *currency),
            OutboxEvent::Statement {
                account, from, to, ..
            } => self.copy_statement(hub, *account, *from, *to),
        }
    }

    fn copy_payment(&mut self, hub: &Hub, id: u64) {
        if self.payments.contains_key(&id) {
            return;
        }
        let Some(payment) = hub.payment(id) else {
            return;
        };
        self.copy_currency(hub, payment.currency());
        self.payments.insert(id, payment.clone());
    }

    fn copy_recall(&mut self, hub: &Hub, id: u64) {
        let Some(recall) = hub.recall(id) else {
            return;
        };
        self.copy_payment(hub, recall.payment);
        self.recalls.insert(id, recall.clone());
    }

    fn copy_statement(&mut self, hub: &Hub, account: AccountId, from: Timestamp, to: Timestamp) {
        let key = (account, from, to);
        if self.statements.contains_key(&key) {
            return;
        }
        let limit = crate::views::MAX_STATEMENT_ENTRIES;
        let Some(statement) = hub.statement(account, from, to, limit) else {
            return;
        };
        self.copy_statement_payments(hub, &statement);
        self.statements.insert(key, statement);
    }

    fn copy_statement_payments(&mut self, hub: &Hub, statement: &Statement) {
        self.copy_currency(hub, statement.account.currency);
        for id in statement.entries.iter().filter_map(|e| e.payment) {
            self.copy_payment(hub, id);
        }
    }

    fn copy_currency(&mut self, hub: &Hub, code: CurrencyCode) {
        if let Some(currency) = hub.currency(code) {
            self.currencies.insert(code, currency);
        }
    }
}
