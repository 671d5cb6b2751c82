//! Liquidity moved by settlement agents between their funding account (the mirror of the
//! domestic RTGS) and participants' accounts, each kept under the agent's reference, its
//! idempotency key.

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp, TransferId};
use serde::{Deserialize, Serialize};

use crate::command::LiquidityDirection;
use crate::rejection::Rejection;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LiquidityRecord {
    pub agent: Bic,
    pub reference: String,
    pub participant: Bic,
    pub account: AccountId,
    pub currency: CurrencyCode,
    pub amount: u128,
    pub direction: LiquidityDirection,
    pub transfer: TransferId,
    pub at: Timestamp,
}

/// What a liquidity transfer asks for, before it is posted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LiquidityMove {
    participant: Bic,
    account: AccountId,
    currency: CurrencyCode,
    amount: u128,
    direction: LiquidityDirection,
}

impl LiquidityMove {
    pub(crate) fn new(
        (participant, account): (Bic, AccountId),
        currency: CurrencyCode,
        amount: u128,
        direction: LiquidityDirection,
    ) -> LiquidityMove {
        LiquidityMove {
            participant,
            account,
            currency,
            amount,
            direction,
        }
    }
}

impl LiquidityRecord {
    fn asks(&self, wanted: &LiquidityMove) -> bool {
        self.participant == wanted.participant
            && self.currency == wanted.currency
            && self.amount == wanted.amount
            && self.direction == wanted.direction
            && self.account == wanted.account
    }
}

/// Every liquidity transfer, by (agent, reference).
#[derive(Debug, Default)]
pub(crate) struct Liquidity {
    records: BTreeMap<(Bic, String), LiquidityRecord>,
}

impl Liquidity {
    pub(crate) fn restore(records: Vec<LiquidityRecord>) -> Liquidity {
        Liquidity {
            records: records
                .into_iter()
                .map(|r| ((r.agent, r.reference.clone()), r))
                .collect(),
        }
    }

    pub(crate) fn records(&self) -> impl ExactSizeIterator<Item = &LiquidityRecord> {
        self.records.values()
    }

    /// The transfer `agent` made under `reference` before, if it asked for the same
    /// (a retry); `DUPL` if the reference was used for another.
    pub(crate) fn earlier(
        &self,
        agent: Bic,
        reference: &str,
        wanted: &LiquidityMove,
    ) -> Result<Option<&LiquidityRecord>, Rejection> {
        let Some(existing) = self.records.get(&(agent, reference.to_string())) else {
            return Ok(None);
        };
        if existing.asks(wanted) {
            return Ok(Some(existing));
        }
        Err(Rejection::new(
            "DUPL",
            format!("reference {reference} was already used for another liquidity transfer"),
        ))
    }

    pub(crate) fn record(&mut self, record: LiquidityRecord) {
        self.records
            .insert((record.agent, record.reference.clone()), record);
    }
}
