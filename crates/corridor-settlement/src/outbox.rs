//! Each participant's ordered outbox: everything it must learn, numbered from 1. It pulls by
//! cursor and acknowledges; acknowledged messages may be dropped from memory (the journal
//! still holds the commands that made them), unacknowledged ones never are.

use std::collections::VecDeque;

use corridor_core::{AccountId, CurrencyCode, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::command::LiquidityDirection;
use crate::hub::PaymentStatus;
use crate::rejection::Rejection;

/// In JSON, internally tagged (`"type": "payment_status"` beside the fields). postcard cannot
/// read that form back (it would have to look ahead for the tag), so a binary format reads
/// the same bytes in order: the tag, then the variant's fields (see `Deserialize` below).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", remote = "Self")]
pub enum OutboxEvent {
    /// A status change of a payment the participant sent (pacs.002).
    PaymentStatus {
        payment: u64,
        instruction_id: String,
        uetr: Uetr,
        status: PaymentStatus,
        #[serde(default, skip_serializing_if = "crate::snapshot::skip_none")]
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
}

impl Serialize for OutboxEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The derived (inherent) form: the tag, then the fields, in JSON and in binary.
        OutboxEvent::serialize(self, serializer)
    }
}

impl<'de> Deserialize<'de> for OutboxEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            return OutboxEvent::deserialize(deserializer);
        }
        deserializer.deserialize_tuple(6, BinaryEvent)
    }
}

/// Reads an outbox event as a binary format wrote it: the tag, then the fields in order.
struct BinaryEvent;

impl<'de> serde::de::Visitor<'de> for BinaryEvent {
    type Value = OutboxEvent;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an outbox event: its type, then its fields")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<OutboxEvent, A::Error> {
        let mut seq = Fields { seq, read: 0 };
        let tag: String = seq.next()?;
        Ok(match tag.as_str() {
            "payment_status" => OutboxEvent::PaymentStatus {
                payment: seq.next()?,
                instruction_id: seq.next()?,
                uetr: seq.next()?,
                status: seq.next()?,
                reason: seq.next()?,
            },
            "incoming_payment" => OutboxEvent::IncomingPayment {
                payment: seq.next()?,
                uetr: seq.next()?,
            },
            "liquidity" => OutboxEvent::Liquidity {
                account: seq.next()?,
                currency: seq.next()?,
                direction: seq.next()?,
                amount: seq.next()?,
                reference: seq.next()?,
            },
            other => {
                return Err(serde::de::Error::unknown_variant(
                    other,
                    &["payment_status", "incoming_payment", "liquidity"],
                ));
            }
        })
    }
}

/// The fields of a sequence, read one by one and counted for the error message.
struct Fields<A> {
    seq: A,
    read: usize,
}

impl<'de, A: serde::de::SeqAccess<'de>> Fields<A> {
    fn next<T: Deserialize<'de>>(&mut self) -> Result<T, A::Error> {
        self.read += 1;
        self.seq
            .next_element()?
            .ok_or_else(|| serde::de::Error::invalid_length(self.read - 1, &"an outbox event"))
    }
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
