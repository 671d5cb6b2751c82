//! The hub as the engine runs it: commands encoded for the journal, the whole state encoded
//! for a snapshot. Both use postcard (compact, deterministic serde); the ledger inside keeps
//! its own binary snapshot format. Indexes are not stored: they are rebuilt on load. An
//! encoding error is returned, never swallowed, so nothing half-written reaches the disk.

use std::collections::BTreeMap;

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};
use corridor_ledger::codec;
use corridor_ledger::{MachineError, StateMachine};
use serde::{Deserialize, Serialize};

use super::{Hub, HubOutcome};
use crate::audit::{self, AuditLog};
use crate::books::{Books, StatementEntry};
use crate::business_day::{ClosedDay, ClosedDays};
use crate::command::{HubCommand, HubConfig};
use crate::compliance::Compliance;
use crate::fx::sheet::{RateSheet, ReferenceRate};
use crate::fx_desk::FxDesk;
use crate::identities::{Credential, Identities, TokenGrant};
use crate::liquidity::{Liquidity, LiquidityRecord};
use crate::liquidity_controls::ControlStore;
use crate::liquidity_saving::LiquiditySaving;
use crate::model::Participant;
use crate::monitoring::Monitoring;
use crate::net_settlement::NetSettlement;
use crate::operating_days::{OperatingDays, StoredDay};
use crate::outbox::{Outbox, Outboxes};
use crate::payment::{Payment, PaymentStatus};
use crate::payments::Payments;
use crate::pvp::Quote;
use crate::recall::{Recall, Recalls};
use crate::registry::{AccountInfo, CurrencyAgent, Registry};
use crate::rtgs::{QueueKey, Queues};
use crate::timers::{Due, Timers};

const SNAPSHOT_MAGIC: &[u8; 8] = b"CORHUB10";

/// The snapshot's layout, as written. Field order is the format: never reorder.
#[derive(Serialize)]
struct HubStateRef<'a> {
    config: &'a HubConfig,
    currencies: &'a BTreeMap<CurrencyCode, CurrencyAgent>,
    participants: &'a BTreeMap<Bic, Participant>,
    accounts: &'a BTreeMap<AccountId, AccountInfo>,
    payments: &'a [Payment],
    outboxes: &'a BTreeMap<Bic, Outbox>,
    tokens: &'a BTreeMap<String, TokenGrant>,
    entries: &'a BTreeMap<AccountId, Vec<StatementEntry>>,
    liquidity: Vec<&'a LiquidityRecord>,
    next_account: u128,
    next_transfer: u128,
    sheets: &'a [RateSheet],
    reference_rates: &'a [ReferenceRate],
    next_rate_version: u64,
    quotes: Vec<&'a Quote>,
    next_quote: u64,
    compliance: &'a Compliance,
    monitoring: &'a Monitoring,
    recalls: &'a [Recall],
    closed_days: &'a [ClosedDay],
    audit: &'a [audit::Stored],
    credentials: &'a BTreeMap<String, Credential>,
    operating_days: Vec<StoredDay>,
    liquidity_saving: &'a LiquiditySaving,
    liquidity_controls: &'a ControlStore,
    net_settlement: &'a NetSettlement,
    ledger: &'a [u8],
}

/// The snapshot's layout, as read: the same fields as [`HubStateRef`], owned.
#[derive(Deserialize)]
struct HubState {
    config: HubConfig,
    currencies: BTreeMap<CurrencyCode, CurrencyAgent>,
    participants: BTreeMap<Bic, Participant>,
    accounts: BTreeMap<AccountId, AccountInfo>,
    payments: Vec<Payment>,
    outboxes: BTreeMap<Bic, Outbox>,
    tokens: BTreeMap<String, TokenGrant>,
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
    audit: Vec<audit::Stored>,
    credentials: BTreeMap<String, Credential>,
    operating_days: Vec<StoredDay>,
    liquidity_saving: LiquiditySaving,
    liquidity_controls: ControlStore,
    net_settlement: NetSettlement,
    ledger: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a hub snapshot (bad magic)")]
    BadMagic,
    #[error("hub snapshot cannot be decoded: {0}")]
    Decode(postcard::Error),
    #[error("hub state cannot be encoded: {0}")]
    Encode(postcard::Error),
    #[error("ledger inside the hub snapshot: {0}")]
    Ledger(#[from] codec::CodecError),
    #[error("operating days inside the hub snapshot: {0}")]
    OperatingDays(String),
}

/// A journal request that cannot be encoded: the command is refused, not journaled.
#[derive(Debug, thiserror::Error)]
#[error("hub command cannot be encoded for the journal: {0}")]
pub struct RequestEncodeError(#[from] postcard::Error);

/// Appends to a buffer without taking it over, so a failed encoding can be cut off again.
struct Append<'a>(&'a mut Vec<u8>);

impl Extend<u8> for Append<'_> {
    fn extend<I: IntoIterator<Item = u8>>(&mut self, bytes: I) {
        self.0.extend(bytes);
    }
}

/// Postcard-encodes `value` at the end of `out`; on failure `out` is left as it was.
fn append<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> Result<(), postcard::Error> {
    let start = out.len();
    postcard::to_extend(value, Append(out))
        .map(drop)
        .inspect_err(|_| out.truncate(start))
}

impl StateMachine for Hub {
    type Request = HubCommand;
    type Outcome = HubOutcome;

    fn apply(&mut self, request: &HubCommand, now: Timestamp) -> HubOutcome {
        self.execute(request, now)
    }

    fn begin_record(&mut self, journal_seq: u64) {
        Hub::begin_record(self, journal_seq);
    }

    fn events(request: &HubCommand) -> usize {
        request.events()
    }

    fn encode_request(request: &HubCommand, out: &mut Vec<u8>) -> Result<(), MachineError> {
        append(request, out).map_err(|e| RequestEncodeError(e).into())
    }

    fn decode_request(bytes: &[u8]) -> Result<HubCommand, MachineError> {
        Ok(postcard::from_bytes(bytes)?)
    }

    fn encode_snapshot(&self) -> Result<Vec<u8>, MachineError> {
        let ledger = codec::encode_snapshot(self.books.ledger());
        Ok(self.encode_state(&ledger, self.audit.stored())?)
    }

    fn decode_snapshot(bytes: &[u8]) -> Result<Hub, MachineError> {
        Ok(decode(bytes)?)
    }

    fn check_invariants(&self) -> Result<(), MachineError> {
        Hub::check_invariants(self).map_err(Into::into)
    }

    /// The ledger's snapshot lists its transfer index in hash-map order, which differs
    /// between two equal ledgers (and between runs), so the hash covers the ledger's own
    /// order-independent state hash instead of its snapshot bytes. A state that cannot be
    /// encoded (which `encode_snapshot` reports) hashes as 0. The audit chain is left out:
    /// it has its own hash (its head), and it records retries that change nothing else.
    fn state_hash(&self) -> u128 {
        let ledger = self.books.ledger().state_hash().to_le_bytes();
        self.encode_state(&ledger, &[])
            .map_or(0, |bytes| xxhash_rust::xxh3::xxh3_128(&bytes))
    }

    fn reserve_transfers(&mut self, transfers: usize) {
        self.books.reserve_transfers(transfers);
        // A payment settles as one transfer.
        self.reserve_payments(transfers);
    }

    fn summary(&self) -> String {
        format!(
            "{} participants, {} accounts, {} payments ({} queued)",
            self.registry.participant_map().len(),
            self.registry.account_map().len(),
            self.payments.count(),
            self.queue_depth()
        )
    }
}

impl Hub {
    /// The snapshot bytes, with `ledger` standing for the ledger.
    fn encode_state(
        &self,
        ledger: &[u8],
        audit: &[audit::Stored],
    ) -> Result<Vec<u8>, SnapshotError> {
        let state = HubStateRef {
            config: &self.config,
            currencies: self.registry.currency_map(),
            participants: self.registry.participant_map(),
            accounts: self.registry.account_map(),
            payments: self.payments.all(),
            outboxes: self.outboxes.map(),
            tokens: self.identities.token_map(),
            entries: self.books.entry_map(),
            liquidity: self.liquidity.records().collect(),
            next_account: self.registry.next_account(),
            next_transfer: self.books.next_transfer(),
            sheets: self.fx.sheets(),
            reference_rates: self.fx.reference_rates(),
            next_rate_version: self.fx.next_rate_version(),
            quotes: self.fx.quotes().collect(),
            next_quote: self.fx.next_quote(),
            compliance: &self.compliance,
            monitoring: &self.monitoring,
            recalls: self.recalls.all(),
            closed_days: self.days.all(),
            audit,
            credentials: self.identities.credential_map(),
            operating_days: self.operating.stored(),
            liquidity_saving: &self.lsm,
            liquidity_controls: &self.controls,
            net_settlement: &self.net,
            ledger,
        };
        let mut out = SNAPSHOT_MAGIC.to_vec();
        append(&state, &mut out).map_err(SnapshotError::Encode)?;
        Ok(out)
    }
}

fn decode(bytes: &[u8]) -> Result<Hub, SnapshotError> {
    let body = bytes
        .strip_prefix(SNAPSHOT_MAGIC.as_slice())
        .ok_or(SnapshotError::BadMagic)?;
    let state: HubState = postcard::from_bytes(body).map_err(SnapshotError::Decode)?;
    let registry = Registry::restore(
        state.currencies,
        state.participants,
        state.accounts,
        state.next_account,
    );
    let payments = Payments::restore(state.payments);
    let queues = rebuild_queues(&payments, &registry);
    let timers = rebuild_timers(&payments);
    let operating = OperatingDays::restore(state.operating_days)
        .map_err(|r| SnapshotError::OperatingDays(r.message))?;
    let mut fx = FxDesk::restore(
        state.sheets,
        state.reference_rates,
        state.next_rate_version,
        state.quotes,
        state.next_quote,
    );
    for fx_settlement in payments.all().iter().filter_map(|p| p.fx.as_ref()) {
        if !fx_settlement.legs.is_empty() {
            fx.count_settled(&fx_settlement.quote);
        }
    }
    Ok(Hub {
        config: state.config,
        books: Books::restore(
            codec::decode_snapshot(&state.ledger)?,
            state.entries,
            state.next_transfer,
        ),
        liquidity: Liquidity::restore(state.liquidity),
        outboxes: Outboxes::restore(state.outboxes),
        recalls: Recalls::restore(state.recalls),
        compliance: state.compliance,
        monitoring: state.monitoring,
        days: ClosedDays::restore(state.closed_days),
        operating,
        timers,
        lsm: state.liquidity_saving,
        controls: state.liquidity_controls,
        net: state.net_settlement,
        audit: AuditLog::restore(state.audit),
        identities: Identities::restore(state.tokens, state.credentials),
        registry,
        payments,
        queues,
        fx,
    })
}

/// Every warehoused payment's release and every pending till-time warning.
fn rebuild_timers(payments: &Payments) -> Timers {
    let mut timers = Timers::default();
    for p in payments.all() {
        if let Some(at) = p.warehoused_until {
            timers.insert(at, Due::Release, p.id);
        }
        if let Some(at) = p.till_warning_at {
            timers.insert(at, Due::TillWarning, p.id);
        }
    }
    timers
}

/// Every queued payment back in its payer's queue, with its deadline.
fn rebuild_queues(payments: &Payments, registry: &Registry) -> Queues {
    let mut queues = Queues::default();
    for p in payments.all() {
        if p.status != PaymentStatus::Queued {
            continue;
        }
        let key = QueueKey::new(p.instruction.priority, p.id);
        let deadline = p.queue_deadline.unwrap_or(Timestamp::ZERO);
        let payer = registry.settlement_account(p.sender, p.currency());
        queues.insert(payer, key, deadline);
    }
    queues
}
