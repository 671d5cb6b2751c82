//! Settlement: the payment hub as a deterministic state machine over the ledger. It keeps the
//! participants and their accounts, turns payment instructions into ledger transfers (real-time
//! gross settlement with a priority queue per payer), records every payment's history, and
//! fills each participant's outbox. No I/O, no clock: the engine gives it time, the journal
//! stores its commands, and replaying them rebuilds every payment, queue and outbox exactly.
//!
//! Modules are layered: models (`rejection`, `model`, `fx`, `pvp`, `payment`, `audit`,
//! `command`, `outbox`, `business_day`, `timing`, `recall`, `compliance`, `monitoring`,
//! `liquidity`) use nothing above them; the stores that own one part of the state
//! (`registry`, `books`, `payments`, `rtgs`, `timers`, `fx_desk`, `operating_days`,
//! `liquidity_saving`, `liquidity_controls`, `net_settlement`) use only
//! models; `hub` holds every store and runs the workflows
//! across them; nothing uses `hub`.

mod audit;
mod books;
mod business_day;
mod command;
mod compliance;
pub mod fx;
mod fx_desk;
mod hub;
mod identities;
mod liquidity;
mod liquidity_controls;
mod liquidity_saving;
mod model;
mod monitoring;
mod net_settlement;
mod operating_days;
mod outbox;
mod payment;
mod payments;
mod pvp;
mod recall;
mod registry;
mod rejection;
mod rtgs;
mod timers;
mod timing;

pub use audit::{
    AuditAction, AuditBreak, AuditHash, AuditHead, AuditLog, AuditRecord, CommandKind,
    verify_audit_chain, verify_audit_page,
};
pub use books::{Statement, StatementEntry, transfer_kind};
pub use business_day::{BusinessDate, ClosedDay};
pub use command::{AccountPurpose, HubCommand, HubConfig, LiquidityDirection, NetWindowAction};
pub use compliance::{
    Approval, Compliance, ComplianceConfig, FalsePositive, Hold, HoldDecision, HoldState,
    ListVersionRef, Officer, Recommendation, SanctionsDeciders, ScreenedRole, Screening,
    ScreeningHit, ScreeningPolicy, party_key, role_name,
};
pub use corridor_calendar::{DayDescription, DayMoment};
pub use fx_desk::PairVolume;
pub use hub::MAX_BATCH;
pub use hub::{Answer, Hub, HubOutcome, QueueSummary};
pub use identities::{Credential, TokenGrant, is_name, subject_bank};
pub use liquidity::LiquidityRecord;
pub use liquidity_controls::{
    BilateralLimitRequest, LiquidityControls, LiquidityControlsRequest, Positions,
};
pub use liquidity_saving::{Algorithm, LiquiditySavingConfig, Settled, SettledBy};
pub use model::{
    CashAccount, ChargeBearer, Participant, ParticipantRole, ParticipantStatus, Party,
    PartyIdentification, PaymentInstruction, PaymentKind, PostalAddress, Priority,
};
pub use monitoring::{CaseAction, Monitoring};
pub use net_settlement::{
    NetDebitCapRequest, NetSettlementConfig, NetSettlementRequest, NetWindow, WindowState,
};
pub use operating_days::{
    CalendarAmendment, CalendarVersion, CurrencyPhase, CutOff, DaySchedule, EndOfDayRule,
    MAX_HORIZON_DAYS, OperatingSetup, UNSCHEDULED_HORIZON_DAYS,
};
pub use outbox::{Outbox, OutboxEvent, OutboxMessage};
pub use payment::{Payment, PaymentFilter, PaymentReceipt, PaymentStatus, StatusEvent};
pub use payments::{SEARCH_SCAN_BUDGET, SearchPage};
pub use pvp::{Candidate, FxSettlement, Leg, Quote, QuoteRequest};
pub use recall::{Recall, RecallAnswer, RecallDecision, RecallOutcome};
pub use registry::{AccountInfo, CurrencyAgent};
pub use rejection::Rejection;
pub use timing::{SettlementTimeRequest, TILL_WARNING_SECONDS, TimeOfDay, WhenClosed};
