//! Each participant's ordered outbox: everything it must learn, numbered from 1. It pulls by
//! cursor and acknowledges; acknowledged messages may be dropped from memory (the journal
//! still holds the commands that made them), unacknowledged ones never are.

use std::collections::{BTreeMap, VecDeque};

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::audit::AuditHead;
use crate::command::LiquidityDirection;
use crate::payment::PaymentStatus;
use crate::rejection::Rejection;

/// What one outbox message says. Externally tagged (serde's default), which both postcard
/// (the journal) and JSON read back; the node renders its own flat JSON view of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxEvent {
    /// A status change of a payment the participant sent (pacs.002).
    PaymentStatus {
        payment: u64,
        instruction_id: String,
        uetr: Uetr,
        status: PaymentStatus,
        #[serde(default)]
        reason: Option<Rejection>,
    },
    /// A payment settled to the participant (pacs.008 / pacs.009 to the creditor agent).
    IncomingPayment { payment: u64, uetr: Uetr },
    /// Liquidity moved on one of its accounts by its settlement agent (camt.054).
    Liquidity {
        account: AccountId,
        currency: CurrencyCode,
        direction: LiquidityDirection,
        amount: u128,
        reference: String,
    },
    /// A payment the participant sent has not settled and its till time is near (T2's
    /// warning, 15 minutes ahead).
    SettlementTimeWarning {
        payment: u64,
        uetr: Uetr,
        till: Timestamp,
    },
    /// A recall of a payment the participant received, for it to answer (camt.056).
    RecallRequest { recall: u64 },
    /// The creditor agent's answer to the participant's recall (camt.029).
    RecallAnswer { recall: u64 },
    /// The statement of one of its accounts for a closed business day (camt.053), built
    /// from the account's entries when read.
    Statement {
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
        /// The audit chain's head when the day closed: whoever keeps it detects a later
        /// rewrite of the chain up to it.
        #[serde(default)]
        audit_head: AuditHead,
    },
    /// Net window `window` settled: its net position posted to the participant's settlement
    /// account, a debit for a net debtor, a credit for a net creditor (camt.054).
    NetSettlement {
        window: u64,
        account: AccountId,
        currency: CurrencyCode,
        direction: LiquidityDirection,
        amount: u128,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxMessage {
    pub seq: u64,
    pub at: Timestamp,
    pub event: OutboxEvent,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Unacknowledged messages, oldest first, numbered consecutively.
    messages: VecDeque<OutboxMessage>,
    /// Number of the last message written.
    last_seq: u64,
    /// Everything up to this number is acknowledged.
    acknowledged: u64,
}

impl Outbox {
    pub(crate) fn push(&mut self, at: Timestamp, event: OutboxEvent) {
        self.last_seq += 1;
        self.messages.push_back(OutboxMessage {
            seq: self.last_seq,
            at,
            event,
        });
    }

    /// Acknowledges everything up to `up_to` (clamped to what exists). Acknowledging again
    /// or an older number changes nothing.
    pub(crate) fn acknowledge(&mut self, up_to: u64) {
        let up_to = up_to.min(self.last_seq);
        if up_to <= self.acknowledged {
            return;
        }
        self.acknowledged = up_to;
        while self.messages.front().is_some_and(|m| m.seq <= up_to) {
            self.messages.pop_front();
        }
    }

    /// Up to `limit` messages with numbers above `after` (or above the acknowledged cursor
    /// when `after` is `None`).
    pub fn read(&self, after: Option<u64>, limit: usize) -> Vec<OutboxMessage> {
        let after = after.unwrap_or(self.acknowledged).max(self.acknowledged);
        let skip = usize::try_from(after - self.acknowledged).unwrap_or(usize::MAX);
        self.messages
            .iter()
            .skip(skip)
            .take(limit)
            .cloned()
            .collect()
    }

    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    pub fn acknowledged(&self) -> u64 {
        self.acknowledged
    }
}

/// Every participant's outbox, opened by its first message.
#[derive(Debug, Default)]
pub(crate) struct Outboxes {
    boxes: BTreeMap<Bic, Outbox>,
}

impl Outboxes {
    pub(crate) fn restore(boxes: BTreeMap<Bic, Outbox>) -> Outboxes {
        Outboxes { boxes }
    }

    pub(crate) fn map(&self) -> &BTreeMap<Bic, Outbox> {
        &self.boxes
    }

    pub(crate) fn get(&self, participant: Bic) -> Option<&Outbox> {
        self.boxes.get(&participant)
    }

    pub(crate) fn push(&mut self, participant: Bic, at: Timestamp, event: OutboxEvent) {
        self.boxes.entry(participant).or_default().push(at, event);
    }

    pub(crate) fn acknowledge(&mut self, participant: Bic, up_to: u64) {
        self.boxes
            .entry(participant)
            .or_default()
            .acknowledge(up_to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: u64) -> OutboxEvent {
        OutboxEvent::IncomingPayment {
            payment: n,
            uetr: "8a562c67-ca16-48ba-b074-65581be6f011".parse().unwrap(),
        }
    }

    #[test]
    fn read_by_cursor_and_acknowledge() {
        let mut outbox = Outbox::default();
        for n in 1..=5 {
            outbox.push(Timestamp(n), event(n));
        }
        let seqs = |v: Vec<OutboxMessage>| v.iter().map(|m| m.seq).collect::<Vec<_>>();
        assert_eq!(seqs(outbox.read(None, 10)), [1, 2, 3, 4, 5]);
        assert_eq!(seqs(outbox.read(Some(3), 10)), [4, 5]);
        assert_eq!(seqs(outbox.read(Some(1), 2)), [2, 3]);
        outbox.acknowledge(2);
        assert_eq!(seqs(outbox.read(None, 10)), [3, 4, 5]);
        // A cursor behind the acknowledged point reads from the acknowledged point.
        assert_eq!(seqs(outbox.read(Some(0), 10)), [3, 4, 5]);
        outbox.acknowledge(1);
        assert_eq!(outbox.acknowledged(), 2);
        outbox.acknowledge(99);
        assert_eq!(outbox.acknowledged(), 5);
        assert!(outbox.read(None, 10).is_empty());
        outbox.push(Timestamp(6), event(6));
        assert_eq!(seqs(outbox.read(None, 10)), [6]);
    }
}
