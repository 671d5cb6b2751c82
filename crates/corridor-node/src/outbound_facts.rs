//! The hub's records an ISO 20022 message is written from, copied out inside an engine
//! query. The engine thread applies every payment, so it only copies; writing the XML,
//! which for a statement page can take long, happens afterwards on another thread.

use std::borrow::Cow;
use std::collections::HashMap;

use corridor_core::{AccountId, Currency, CurrencyCode, Timestamp};
use corridor_settlement::{Hub, OutboxEvent, OutboxMessage, Payment, Recall, Statement};

use crate::views::{MAX_STATEMENT_ENTRIES, Records};

/// An outbox statement is named by its account and period.
type StatementKey = (AccountId, Timestamp, Timestamp);

/// Whether a statement's entries need their payments: an ISO 20022 entry carries their
/// references, a JSON view only their ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryPayments {
    Copy,
    Skip,
}

/// Owned copies of exactly the payments, recalls and statements some messages refer to,
/// and the scale of every currency.
#[derive(Debug, Default, Clone)]
pub struct OutboundFacts {
    payments: HashMap<u64, Payment>,
    recalls: HashMap<u64, Recall>,
    statements: HashMap<StatementKey, Statement>,
    currencies: HashMap<CurrencyCode, Currency>,
}

impl OutboundFacts {
    /// The scale of every currency: a handful of records, and a payment's FX legs may be in
    /// any of them.
    pub fn scales(hub: &Hub) -> OutboundFacts {
        let currencies = hub
            .currencies()
            .map(|agent| (agent.currency.code, agent.currency))
            .collect();
        OutboundFacts {
            currencies,
            ..OutboundFacts::default()
        }
    }

    /// What the outbox messages `messages` are written from as ISO 20022: a payment with
    /// the original it returns, a recall with its payment, a statement with the payments
    /// its entries name (a camt.053 entry carries their references).
    pub fn gather(hub: &Hub, messages: &[OutboxMessage]) -> OutboundFacts {
        OutboundFacts::gather_with(hub, messages, EntryPayments::Copy)
    }

    /// What the messages are written from as flat JSON views: the same, except a
    /// statement's entries name their payments by id only, so those are not copied.
    pub fn gather_for_views(hub: &Hub, messages: &[OutboxMessage]) -> OutboundFacts {
        OutboundFacts::gather_with(hub, messages, EntryPayments::Skip)
    }

    fn gather_with(hub: &Hub, messages: &[OutboxMessage], entries: EntryPayments) -> OutboundFacts {
        let mut facts = OutboundFacts::scales(hub);
        for m in messages {
            facts.copy_event(hub, &m.event, entries);
        }
        facts
    }

    /// What a camt.053 of `statement` is written from: its currency and the payments of its
    /// entries.
    pub fn of_statement(hub: &Hub, statement: &Statement) -> OutboundFacts {
        let mut facts = OutboundFacts::scales(hub);
        facts.copy_statement_payments(hub, statement);
        facts
    }

    fn copy_event(&mut self, hub: &Hub, event: &OutboxEvent, entries: EntryPayments) {
        match event {
            OutboxEvent::PaymentStatus { payment, .. }
            | OutboxEvent::SettlementTimeWarning { payment, .. } => {
                self.copy_payment(hub, *payment)
            }
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
            OutboxEvent::Liquidity { .. } | OutboxEvent::NetSettlement { .. } => {}
            OutboxEvent::Statement {
                account, from, to, ..
            } => self.copy_statement(hub, (*account, *from, *to), entries),
        }
    }

    fn copy_payment(&mut self, hub: &Hub, id: u64) {
        if self.payments.contains_key(&id) {
            return;
        }
        let Some(payment) = hub.payment(id) else {
            return;
        };
        self.payments.insert(id, payment.clone());
    }

    fn copy_recall(&mut self, hub: &Hub, id: u64) {
        let Some(recall) = hub.recall(id) else {
            return;
        };
        self.copy_payment(hub, recall.payment);
        self.recalls.insert(id, recall.clone());
    }

    fn copy_statement(&mut self, hub: &Hub, key: StatementKey, entries: EntryPayments) {
        if self.statements.contains_key(&key) {
            return;
        }
        let (account, from, to) = key;
        let Some(statement) = hub.statement(account, from, to, MAX_STATEMENT_ENTRIES) else {
            return;
        };
        if entries == EntryPayments::Copy {
            self.copy_statement_payments(hub, &statement);
        }
        self.statements.insert(key, statement);
    }

    fn copy_statement_payments(&mut self, hub: &Hub, statement: &Statement) {
        for id in statement.entries.iter().filter_map(|e| e.payment) {
            self.copy_payment(hub, id);
        }
    }
}

impl Records for OutboundFacts {
    fn scale(&self, code: CurrencyCode) -> Option<Currency> {
        self.currencies.get(&code).copied()
    }

    fn payment(&self, id: u64) -> Option<&Payment> {
        self.payments.get(&id)
    }

    fn recall(&self, id: u64) -> Option<&Recall> {
        self.recalls.get(&id)
    }

    fn outbox_statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
    ) -> Option<Cow<'_, Statement>> {
        self.statements.get(&(account, from, to)).map(Cow::Borrowed)
    }
}
