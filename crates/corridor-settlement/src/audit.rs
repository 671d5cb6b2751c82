//! The scheme's audit chain: one record per state-changing command (its kind, the caller's
//! label, a short detail, the journal record that carried it) and per compliance event
//! (holds, decisions, false positives, AML case steps), each hash-chained to the one before.
//!
//! Changing, dropping or reordering any record breaks every hash after it, and the head (the
//! last record's number and hash) goes out in every end-of-day statement, so even a rewrite of
//! the whole chain shows to anyone who kept an earlier head. The hub keeps every record in
//! memory, so a record is compact: its hash is 32 bytes, the previous hash is the record
//! before it, and its number is its position.

use std::fmt;

use corridor_core::{Bic, Timestamp};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// A SHA-256 of the chain: raw bytes in the snapshot, lowercase hex in JSON.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuditHash(pub [u8; 32]);

impl AuditHash {
    /// What the first record links to.
    pub const GENESIS: AuditHash = AuditHash([0; 32]);

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for AuditHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl std::str::FromStr for AuditHash {
    type Err = hex::FromHexError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(text, &mut bytes)?;
        Ok(AuditHash(bytes))
    }
}

impl Serialize for AuditHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.to_hex())
        } else {
            self.0.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for AuditHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let text = String::deserialize(deserializer)?;
            text.parse().map_err(serde::de::Error::custom)
        } else {
            <[u8; 32]>::deserialize(deserializer).map(AuditHash)
        }
    }
}

impl utoipa::PartialSchema for AuditHash {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("SHA-256, lowercase hex"))
            .into()
    }
}

impl utoipa::ToSchema for AuditHash {}

/// Where the chain ends: publish it, and any later rewrite of what came before shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditHead {
    /// The number of the last record; 0 for an empty chain.
    pub seq: u64,
    /// Its hash; all zeros for an empty chain.
    pub hash: AuditHash,
}

/// Which hub command an audit record is for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Configure,
    DesignateAgent,
    AdmitParticipant,
    SetParticipantStatus,
    OpenAccount,
    SetNetDebitCap,
    Liquidity,
    SubmitPayments,
    CancelPayment,
    ReturnPayment,
    AcknowledgeOutbox,
    RegisterToken,
    PublishRateSheet,
    PublishReferenceRates,
    RequestQuote,
    Tick,
    ConfigureCompliance,
    RecordWatchlist,
    ConfigureMonitoring,
    WorkCase,
    DecideHold,
    RecallPayment,
    AnswerRecall,
    CloseBusinessDay,
    IssueToken,
    RevokeToken,
    RegisterCredential,
    RevokeCredential,
    ConfigureOperatingDay,
    LoadCalendar,
    AmendCalendar,
    ExtendCutOff,
    ConfigureLiquiditySaving,
    SetLiquidityControls,
    ConfigureNetSettlement,
    NetWindow,
    RunOptimisation,
}

/// What an audit record says happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A command the hub carried out, with what it named and what it did.
    Command {
        command: CommandKind,
        detail: String,
    },
    PaymentHeld {
        payment: u64,
        why: String,
        hits: usize,
    },
    /// Hits a bank's false-positive memory covered, so the payment was not held for them.
    HitsSuppressed {
        payment: u64,
        entries: Vec<String>,
    },
    /// A bank's officer recommended a decision it may not take itself; nothing changed.
    HoldRecommended {
        payment: u64,
        release: bool,
        reason: String,
    },
    HoldApproved {
        payment: u64,
        reason: String,
    },
    HoldReleased {
        payment: u64,
        reason: String,
    },
    HoldRejected {
        payment: u64,
        reason: String,
    },
    FalsePositiveRecorded {
        bank: Bic,
        party_key: String,
        list: String,
        entry_id: String,
    },
    /// An AML case changed state.
    Case {
        case: u64,
        detail: String,
    },
}

/// One link of the chain as exported. `hash` is SHA-256 over `prev` and the record's own
/// fields, so changing, dropping or reordering any record breaks every hash after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: Timestamp,
    /// The journal record whose command caused it.
    pub journal_seq: u64,
    /// Who: `operator`, a participant's BIC, `officer:operator:<name>`,
    /// `officer:<BIC>:<name>`, or `system:<part>` for what the hub did on its own.
    pub actor: String,
    pub action: AuditAction,
    pub prev: AuditHash,
    pub hash: AuditHash,
}

/// A record as the hub keeps it (and the snapshot stores it): its number is its position,
/// its `prev` the record before.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stored {
    at: Timestamp,
    journal_seq: u64,
    actor: String,
    action: AuditAction,
    hash: AuditHash,
}

/// Where a chain stops holding together.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit record {seq}: {why}")]
pub struct AuditBreak {
    pub seq: u64,
    pub why: String,
}

struct Content<'a> {
    seq: u64,
    at: Timestamp,
    journal_seq: u64,
    actor: &'a str,
    action: &'a AuditAction,
}

fn record_hash(prev: AuditHash, c: &Content<'_>) -> AuditHash {
    let mut hasher = Sha256::new();
    hasher.update(prev.0);
    hasher.update(c.seq.to_be_bytes());
    hasher.update(c.at.nanos().to_be_bytes());
    hasher.update(c.journal_seq.to_be_bytes());
    hasher.update((c.actor.len() as u64).to_be_bytes());
    hasher.update(c.actor.as_bytes());
    // postcard of a closed enum of owned values: serializing it cannot fail.
    hasher.update(postcard::to_allocvec(c.action).unwrap_or_default());
    AuditHash(hasher.finalize().into())
}

/// Checks a chain exported from its first record: numbering, links and every hash.
pub fn verify_audit_chain(records: &[AuditRecord]) -> Result<AuditHead, AuditBreak> {
    verify_audit_page(AuditHead::default(), records)
}

/// Checks records that continue the chain after `after` (a head verified before): each must
/// be the next number, link to the one before and hash to its content. Returns the new head.
pub fn verify_audit_page(
    after: AuditHead,
    records: &[AuditRecord],
) -> Result<AuditHead, AuditBreak> {
    let mut head = after;
    for r in records {
        let broken = |why: &str| AuditBreak {
            seq: r.seq,
            why: why.to_string(),
        };
        if r.seq != head.seq + 1 {
            return Err(broken("out of sequence"));
        }
        if r.prev != head.hash {
            return Err(broken("does not link to the record before it"));
        }
        if record_hash(r.prev, &content(r)) != r.hash {
            return Err(broken("its hash does not match its content"));
        }
        head = AuditHead {
            seq: r.seq,
            hash: r.hash,
        };
    }
    Ok(head)
}

fn content(r: &AuditRecord) -> Content<'_> {
    Content {
        seq: r.seq,
        at: r.at,
        journal_seq: r.journal_seq,
        actor: &r.actor,
        action: &r.action,
    }
}

/// The chain, in memory. Appending needs the journal record being applied, which the hub
/// learns from the engine before each record ([`AuditLog::begin_record`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditLog {
    records: Vec<Stored>,
    /// The journal record being applied; not stored, since replay sets it again.
    journal_seq: u64,
}

impl AuditLog {
    pub(crate) fn restore(records: Vec<Stored>) -> AuditLog {
        AuditLog {
            records,
            journal_seq: 0,
        }
    }

    /// The records as the snapshot stores them.
    pub(crate) fn stored(&self) -> &[Stored] {
        &self.records
    }

    pub(crate) fn begin_record(&mut self, journal_seq: u64) {
        self.journal_seq = journal_seq;
    }

    pub fn len(&self) -> u64 {
        self.records.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn head(&self) -> AuditHead {
        AuditHead {
            seq: self.len(),
            hash: self.records.last().map_or(AuditHash::GENESIS, |r| r.hash),
        }
    }

    /// Up to `limit` records from number `from_seq` (1 is the first), as exported.
    pub fn page(&self, from_seq: u64, limit: usize) -> Vec<AuditRecord> {
        let start = from_seq.max(1) - 1;
        let Ok(start) = usize::try_from(start) else {
            return Vec::new();
        };
        let Some(records) = self.records.get(start..) else {
            return Vec::new();
        };
        records
            .iter()
            .take(limit)
            .enumerate()
            .map(|(i, r)| {
                let at = start + i;
                let prev = at
                    .checked_sub(1)
                    .map_or(AuditHash::GENESIS, |p| self.records[p].hash);
                AuditRecord {
                    seq: at as u64 + 1,
                    at: r.at,
                    journal_seq: r.journal_seq,
                    actor: r.actor.clone(),
                    action: r.action.clone(),
                    prev,
                    hash: r.hash,
                }
            })
            .collect()
    }

    pub(crate) fn append(&mut self, at: Timestamp, actor: &str, action: AuditAction) {
        let content = Content {
            seq: self.len() + 1,
            at,
            journal_seq: self.journal_seq,
            actor,
            action: &action,
        };
        let hash = record_hash(self.head().hash, &content);
        self.records.push(Stored {
            at,
            journal_seq: self.journal_seq,
            actor: actor.to_string(),
            action,
            hash,
        });
    }
}
