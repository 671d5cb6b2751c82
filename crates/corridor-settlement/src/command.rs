//! What the hub is asked to do: every command the journal stores, with the operator-set
//! configuration and the account purposes and liquidity directions they name.

use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp, Uetr};
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::compliance::{ComplianceConfig, HoldDecision, ListVersionRef, Officer, Screening};
use crate::fx::sheet::{RateSheetRequest, ReferenceRateRequest};
use crate::liquidity_controls::LiquidityControlsRequest;
use crate::liquidity_saving::{Algorithm, LiquiditySavingConfig};
use crate::model::{ParticipantRole, ParticipantStatus, PaymentInstruction};
use crate::net_settlement::NetSettlementRequest;
use crate::operating_days::{CalendarAmendment, CutOff, DaySchedule};
use crate::pvp::QuoteRequest;
use crate::recall::RecallDecision;

/// Settings the operator can change while the hub runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HubConfig {
    /// A payment still queued this long after it was queued is rejected (AM04).
    pub queue_timeout_seconds: u32,
    /// How long a quote's rate and amounts are locked.
    pub quote_validity_seconds: u32,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            queue_timeout_seconds: 3_600,
            quote_validity_seconds: 60,
        }
    }
}

/// What an account opened for a participant is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountPurpose {
    /// Its settlement account in a currency: payments debit and credit it.
    Settlement,
    /// An FX provider's inventory of a currency.
    FxInventory,
    /// Fees collected.
    Fees,
    /// A settlement agent's funding account, the mirror of its domestic RTGS: opened when
    /// the agent is designated, never by `OpenAccount`.
    Funding,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LiquidityDirection {
    /// The agent brings money in from the domestic RTGS: the participant's account is credited.
    Fund,
    /// The participant takes money back out to the domestic RTGS.
    Defund,
}

/// What the operator does with a net settlement window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum NetWindowAction {
    /// Closes the open window (and opens the next); it settles as soon as it can.
    Close,
    /// Aborts a closed window that has not settled: every payment in it is rejected with
    /// `reason` (an ISO 20022 reason code, then text).
    Abort { window: u64, reason: String },
}

/// One request to the hub. The gateway has authenticated the caller and put its identity in
/// the command (`sender`, `agent`, `participant`): the hub checks what that identity may do
/// against its own state, so a rule never depends on the gateway alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HubCommand {
    Configure(HubConfig),
    /// Makes `agent` the settlement agent of `currency` (scale `exponent` decimal places) and
    /// opens its funding account, the mirror of the domestic RTGS.
    DesignateAgent {
        currency: CurrencyCode,
        exponent: u8,
        agent: Bic,
        time_zone: String,
    },
    AdmitParticipant {
        bic: Bic,
        name: String,
        country: String,
        roles: Vec<ParticipantRole>,
    },
    SetParticipantStatus {
        bic: Bic,
        status: ParticipantStatus,
    },
    OpenAccount {
        owner: Bic,
        currency: CurrencyCode,
        purpose: AccountPurpose,
        /// Net debit cap in minor units: how far the account may go below zero. 0 = none.
        net_debit_cap: u128,
    },
    SetNetDebitCap {
        account: AccountId,
        net_debit_cap: u128,
    },
    /// A settlement agent moves liquidity between its funding account and a participant's
    /// settlement account. `reference` is the agent's idempotency key.
    Liquidity {
        agent: Bic,
        reference: String,
        participant: Bic,
        currency: CurrencyCode,
        amount: String,
        direction: LiquidityDirection,
        /// The participant's settlement account, or an FX provider's inventory account.
        account: AccountPurpose,
    },
    SubmitPayments {
        sender: Bic,
        payments: Vec<PaymentInstruction>,
        /// The gateway's sanctions screening of each payment, in the same order. While the
        /// operator has recorded no list it may be empty; after that, a payment without
        /// its screening is held.
        screening: Vec<Screening>,
    },
    CancelPayment {
        sender: Bic,
        payment: u64,
        reason: String,
    },
    /// The receiving participant sends a settled payment back (pacs.004): a new payment in
    /// the other direction, linked to the original. `uetr` is the return's own.
    ReturnPayment {
        sender: Bic,
        original: u64,
        return_id: String,
        uetr: Uetr,
        amount: Option<String>,
        reason: String,
    },
    AcknowledgeOutbox {
        participant: Bic,
        up_to: u64,
    },
    /// Registers a bearer token's SHA-256 (hex) for `subject` ("operator", "auditor" or a
    /// participant's BIC). The token itself is never stored. Kept so that journals written
    /// before tokens expired still replay: such a token expires `LEGACY_TOKEN_TTL` after its
    /// registration. New tokens are issued with [`HubCommand::IssueToken`].
    RegisterToken {
        token_sha256: String,
        subject: String,
    },
    /// An FX provider replaces its rate sheet.
    PublishRateSheet {
        provider: Bic,
        sheet: RateSheetRequest,
    },
    /// A settlement agent publishes official reference rates for pairs of its currency.
    PublishReferenceRates {
        agent: Bic,
        rates: Vec<ReferenceRateRequest>,
    },
    /// A participant asks for a quote; the answer locks its amounts until it expires.
    RequestQuote {
        requester: Bic,
        request: QuoteRequest,
    },
    /// Lets time pass: queued payments past their timeout are rejected.
    Tick,
    /// The operator sets the hit threshold and the four-eyes rule.
    ConfigureCompliance(ComplianceConfig),
    /// The operator has loaded a version of a watchlist into the gateways' screening: from
    /// now on every payment must have been screened against it.
    RecordWatchlist {
        version: ListVersionRef,
        entries: u64,
    },
    /// The operator sets the AML monitoring rules, one set per currency.
    ConfigureMonitoring(corridor_aml::AmlConfig),
    /// One of the operator's compliance officers works an AML case.
    WorkCase {
        officer: Officer,
        case: u64,
        action: crate::monitoring::CaseAction,
    },
    /// A compliance officer releases or rejects a held payment.
    DecideHold {
        officer: Officer,
        payment: u64,
        decision: HoldDecision,
        reason: String,
    },
    /// The debtor agent asks for a payment back (camt.056): a queued one is cancelled, a
    /// settled one is forwarded to the creditor agent as a recall. `cancellation_id` is the
    /// requester's idempotency key.
    RecallPayment {
        sender: Bic,
        payment: u64,
        cancellation_id: String,
        reason: String,
    },
    /// The creditor agent answers a recall (camt.029): accepting sends the money back.
    AnswerRecall {
        responder: Bic,
        recall: u64,
        decision: RecallDecision,
    },
    /// The operator closes a business day (`YYYY-MM-DD`) at `at`: each participant receives
    /// a statement of every account it owns for the period since the previous close.
    CloseBusinessDay {
        date: String,
        at: Timestamp,
    },
    /// Registers a bearer token's SHA-256 (hex) for `subject` until `expires_at`.
    IssueToken {
        token_sha256: String,
        subject: String,
        expires_at: Timestamp,
    },
    /// The operator revokes a bearer token: refused from the next request on.
    RevokeToken {
        token_sha256: String,
    },
    /// The operator registers a client certificate (the SHA-256 of its DER encoding) as
    /// allowed to act as `subject`. Several may be registered for one subject at once.
    RegisterCredential {
        subject: String,
        fingerprint_sha256: String,
    },
    /// The operator revokes a certificate registered for `subject`.
    RevokeCredential {
        subject: String,
        fingerprint_sha256: String,
    },
    /// The operator sets a currency's operating day: its time zone, opening, cut-offs and
    /// close, what happens to queued payments at its end, and the value-date horizon.
    ConfigureOperatingDay {
        currency: CurrencyCode,
        schedule: DaySchedule,
    },
    /// The operator loads a version of a currency's business-day calendar (the calendar
    /// file's text). It replaces the versions whose spans it overlaps, never changing a
    /// day that has already opened.
    LoadCalendar {
        currency: CurrencyCode,
        text: String,
    },
    /// The operator closes or opens one date that has not opened yet.
    AmendCalendar(CalendarAmendment),
    /// The operator sets liquidity saving: offsetting on entry, how often the queue
    /// optimisation runs, and how much work one run may do.
    ConfigureLiquiditySaving(LiquiditySavingConfig),
    /// The operator moves one cut-off (or the close) of one day later.
    ExtendCutOff {
        currency: CurrencyCode,
        date: BusinessDate,
        cut_off: CutOff,
        /// Local time `HH:MM`.
        until: String,
    },
    /// The operator runs the queue optimisation of `currency` now: one algorithm, or the
    /// whole sequence when `None`.
    RunOptimisation {
        currency: CurrencyCode,
        algorithm: Option<Algorithm>,
    },
    /// How `currency` settles payments net: which ones, each participant's net debit cap,
    /// how long a window waits for liquidity before its default procedure.
    ConfigureNetSettlement {
        currency: CurrencyCode,
        settings: NetSettlementRequest,
    },
    /// The operator closes `currency`'s open net window, or aborts a closed one.
    NetWindow {
        currency: CurrencyCode,
        action: NetWindowAction,
    },
    /// Limits and reservations of `participant`'s settlement account in `currency`, asked
    /// by the participant itself (`requested_by`) or, when `None`, by the operator.
    SetLiquidityControls {
        participant: Bic,
        currency: CurrencyCode,
        controls: LiquidityControlsRequest,
        requested_by: Option<Bic>,
    },
}

impl HubCommand {
    pub fn events(&self) -> usize {
        match self {
            HubCommand::SubmitPayments { payments, .. } => payments.len().max(1),
            _ => 1,
        }
    }
}
