//! The hub as the engine runs it: commands encoded for the journal, the whole state encoded
//! for a snapshot. Both use postcard (compact, deterministic serde); the ledger inside keeps
//! its own binary snapshot format. Indexes are not stored: they are rebuilt on load.

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};
use corridor_ledger::codec;
use corridor_ledger::{MachineError, StateMachine};
use serde::{Deserialize, Serialize};

use crate::business_day::ClosedDay;
use crate::command::{HubCommand, HubConfig};
use crate::compliance::Compliance;
use crate::fx::sheet::{RateSheet, ReferenceRate};
use crate::hub::{
    AccountInfo, CurrencyAgent, Hub, HubOutcome, LiquidityRecord, Payment, StatementEntry,
};
use crate::model::Participant;
use crate::monitoring::Monitoring;
use crate::outbox::Outbox;
use crate::pvp::Quote;
use crate::recall::Recall;

const SNAPSHOT_MAGIC: &[u8; 8] = b"CORHUB05";

#[derive(Serialize, Deserialize)]
struct HubState {
    config: HubConfig,
    currencies: BTreeMap<CurrencyCode, CurrencyAgent>,
    participants: BTreeMap<Bic, Participant>,
    accounts: BTreeMap<AccountId, AccountInfo>,
    payments: Vec<Payment>,
    outboxes: BTreeMap<Bic, Outbox>,
    tokens: BTreeMap<String, String>,
    entries: BTreeMap<AccountId, Vec<StatementEntry>>,
    liquidity: Vec<LiquidityRecord>,
    next_account: u128,
    next_transfer: u128,
    sheets: Vec<RateSheet>,
    reference_rates: Vec<ReferenceRate>,
    next_rate_version: u64,
    quotes: Vec<Quote>,
    next_quote: u64,
    compliance: Compliance,
    monitoring: Monitoring,
    recalls: Vec<Recall>,
    closed_days: Vec<ClosedDay>,
    ledger: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a hub snapshot (bad magic)")]
    BadMagic,
    #[error("hub snapshot cannot be decoded: {0}")]
    Decode(#[from] postcard::Error),
    #[error("ledger inside the hub snapshot: {0}")]
    Ledger(#[from] codec::CodecError),
}

impl StateMachine for Hub {
    type Request = HubCommand;
    type Outcome = HubOutcome;

    fn apply(&mut self, request: &HubCommand, now: Timestamp) -> HubOutcome {
        self.execute(request, now)
    }

    fn events(request: &HubCommand) -> usize {
        request.events()
    }

    fn encode_request(request: &HubCommand, out: &mut Vec<u8>) {
        // Serializing owned, in-memory values into a Vec cannot fail.
        if let Ok(bytes) = postcard::to_extend(request, std::mem::take(out)) {
            *out = bytes;
        }
    }

    fn decode_request(bytes: &[u8]) -> Result<HubCommand, MachineError> {
        Ok(postcard::from_bytes(bytes)?)
    }

    fn encode_snapshot(&self) -> Vec<u8> {
        self.encode_state(codec::encode_snapshot(&self.ledger))
    }

    fn decode_snapshot(bytes: &[u8]) -> Result<Hub, MachineError> {
        Ok(decode(bytes)?)
    }

    fn check_invariants(&self) -> Result<(), MachineError> {
        Hub::check_invariants(self).map_err(Into::into)
    }

    /// The ledger's snapshot lists its transfer index in hash-map order, which differs
    /// between two equal ledgers (and between runs), so the hash covers the ledger's own
    /// order-independent state hash instead of its snapshot bytes.
    fn state_hash(&self) -> u128 {
        let ledger = self.ledger.state_hash().to_le_bytes().to_vec();
        xxhash_rust::xxh3::xxh3_128(&self.encode_state(ledger))
    }

    fn reserve_transfers(&mut self, transfers: usize) {
        self.ledger.reserve_transfers(transfers);
        // A payment settles as one transfer.
        self.reserve_payments(transfers);
    }

    fn summary(&self) -> String {
        format!(
            "{} participants, {} accounts, {} payments ({} queued)",
            self.participants.len(),
            self.accounts.len(),
            self.payments.len(),
            self.queue_depth()
        )
    }
}

impl Hub {
    /// The snapshot bytes, with `ledger` standing for the ledger.
    fn encode_state(&self, ledger: Vec<u8>) -> Vec<u8> {
        let state = HubState {
            config: self.config.clone(),
            currencies: self.currencies.clone(),
            participants: self.participants.clone(),
            accounts: self.accounts.clone(),
            payments: self.payments.clone(),
            outboxes: self.outboxes.clone(),
            tokens: self.tokens.clone(),
            entries: self.entries.clone(),
            liquidity: self.liquidity.values().cloned().collect(),
            next_account: self.next_account,
            next_transfer: self.next_transfer,
            sheets: self.sheets.clone(),
            reference_rates: self.reference_rates.clone(),
            next_rate_version: self.next_rate_version,
            quotes: self.quotes.values().cloned().collect(),
            next_quote: self.next_quote,
            compliance: self.compliance.clone(),
            monitoring: self.monitoring.clone(),
            recalls: self.recalls.clone(),
            closed_days: self.closed_days.clone(),
            ledger,
        };
        let mut out = SNAPSHOT_MAGIC.to_vec();
        // Serializing owned, in-memory values into a Vec cannot fail.
        if let Ok(bytes) = postcard::to_extend(&state, out.clone()) {
            out = bytes;
        }
        out
    }
}

fn decode(bytes: &[u8]) -> Result<Hub, SnapshotError> {
    let body = bytes
        .strip_prefix(SNAPSHOT_MAGIC.as_slice())
        .ok_or(SnapshotError::BadMagic)?;
    let state: HubState = postcard::from_bytes(body)?;
    let mut hub = Hub {
        ledger: codec::decode_snapshot(&state.ledger)?,
        config: state.config,
        currencies: state.currencies,
        participants: state.participants,
        accounts: state.accounts,
        payments: state.payments,
        outboxes: state.outboxes,
        tokens: state.tokens,
        entries: state.entries,
        liquidity: state
            .liquidity
            .into_iter()
            .map(|r| ((r.agent, r.reference.clone()), r))
            .collect(),
        next_account: state.next_account,
        next_transfer: state.next_transfer,
        sheets: state.sheets,
        reference_rates: state.reference_rates,
        next_rate_version: state.next_rate_version,
        quotes: state.quotes.into_iter().map(|q| (q.id, q)).collect(),
        next_quote: state.next_quote,
        compliance: state.compliance,
        monitoring: state.monitoring,
        recalls: state.recalls,
        closed_days: state.closed_days,
        ..Hub::default()
    };
    hub.rebuild_indexes();
    Ok(hub)
}
