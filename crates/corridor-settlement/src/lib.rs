//! Settlement: the payment hub as a deterministic state machine over the ledger. It keeps the
//! participants and their accounts, turns payment instructions into ledger transfers (real-time
//! gross settlement with a priority queue per payer), records every payment's history, and
//! fills each participant's outbox. No I/O, no clock: the engine gives it time, the journal
//! stores its commands, and replaying them rebuilds every payment, queue and outbox exactly.

mod business_day;
mod command;
mod compliance;
pub mod fx;
mod hub;
mod model;
mod monitoring;
mod outbox;
mod pvp;
mod recall;
mod rejection;
mod snapshot;

pub use business_day::{BusinessDate, ClosedDay};
pub use command::{AccountPurpose, HubCommand, HubConfig, LiquidityDirection};
pub use compliance::{
    Approval, AuditAction, AuditBreak, AuditRecord, Compliance, ComplianceConfig, FalsePositive,
    Hold, HoldDecision, HoldState, ListVersionRef, Officer, ScreenedRole, Screening, ScreeningHit,
    party_key, role_name, verify_audit_chain,
};
pub use hub::{
    AccountInfo, Answer, CurrencyAgent, Hub, HubOutcome, LiquidityRecord, PairVolume, Payment,
    PaymentFilter, PaymentReceipt, PaymentStatus, Statement, StatementEntry, StatusEvent,
    transfer_kind,
};
pub use model::{
    CashAccount, ChargeBearer, Participant, ParticipantRole, ParticipantStatus, Party,
    PartyIdentification, PaymentInstruction, PaymentKind, PostalAddress, Priority,
};
pub use monitoring::{CaseAction, Monitoring};
pub use outbox::{Outbox, OutboxEvent, OutboxMessage};
pub use pvp::{Candidate, FxSettlement, Leg, Quote, QuoteRequest};
pub use recall::{Recall, RecallAnswer, RecallDecision, RecallOutcome};
pub use rejection::Rejection;
