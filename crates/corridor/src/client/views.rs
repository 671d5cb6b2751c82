//! The node's JSON answers as the tables read them (see `corridor_node::views`, which only
//! serialises). Unknown fields are ignored so a newer node still renders; `--json` shows
//! everything.

use corridor_settlement::{
    ClosedDay, Participant, PaymentInstruction, PaymentReceipt, PaymentStatus, Priority, Rejection,
    StatusEvent,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct AccountView {
    pub id: u128,
    pub owner: String,
    pub currency: String,
    pub purpose: String,
    pub balance: String,
    pub available: String,
    pub net_debit_cap: String,
    pub opened_at: u64,
}

#[derive(Debug, Deserialize)]
pub struct PaymentView {
    pub id: u64,
    pub sender: String,
    pub receiver: String,
    pub status: PaymentStatus,
    pub iso_status: String,
    #[serde(default)]
    pub reason: Option<Rejection>,
    pub amount: String,
    pub currency: String,
    pub received_at: u64,
    #[serde(default)]
    pub settled_at: Option<u64>,
    #[serde(default)]
    pub return_of: Option<u64>,
    #[serde(default)]
    pub returns: Vec<u64>,
    pub returned_amount: String,
    #[serde(default)]
    pub return_reason: Option<Rejection>,
    pub instruction: PaymentInstruction,
    pub history: Vec<StatusEvent>,
    #[serde(default)]
    pub fx: Option<FxView>,
    #[serde(default)]
    pub value_date: Option<String>,
    #[serde(default)]
    pub value_date_solar_hijri: Option<String>,
    #[serde(default)]
    pub warehoused_until: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct PaymentSummary {
    pub id: u64,
    pub sender: String,
    pub receiver: String,
    pub instruction_id: String,
    pub uetr: String,
    pub status: PaymentStatus,
    pub amount: String,
    pub currency: String,
    pub priority: Priority,
    pub received_at: u64,
}

#[derive(Debug, Deserialize)]
pub struct EntryView {
    pub at: u64,
    pub transfer: u128,
    #[serde(default)]
    pub payment: Option<u64>,
    pub kind: String,
    pub side: String,
    pub amount: String,
    pub balance_after: String,
}

#[derive(Debug, Deserialize)]
pub struct StatementView {
    pub account: u128,
    pub owner: String,
    pub currency: String,
    pub from: u64,
    pub to: u64,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub date_solar_hijri: Option<String>,
    pub opening_balance: String,
    pub closing_balance: String,
    pub total_credits: String,
    pub total_debits: String,
    pub entries: Vec<EntryView>,
}

/// One outbox message: the common fields, then those of its `type`.
#[derive(Debug, Deserialize)]
pub struct OutboxMessage {
    pub seq: u64,
    pub at: u64,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub payment: Option<u64>,
    #[serde(default)]
    pub instruction_id: Option<String>,
    #[serde(default)]
    pub status: Option<PaymentStatus>,
    #[serde(default)]
    pub reason: Option<Rejection>,
    #[serde(default)]
    pub account: Option<u128>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub amount_decimal: Option<String>,
    #[serde(default)]
    pub payment_detail: Option<PaymentView>,
}

#[derive(Debug, Deserialize)]
pub struct OutboxPage {
    pub messages: Vec<OutboxMessage>,
    pub last_seq: u64,
    pub acknowledged: u64,
}

#[derive(Debug, Deserialize)]
pub struct LiquidityRecord {
    pub agent: String,
    pub reference: String,
    pub participant: String,
    pub account: u128,
    pub currency: String,
    pub amount: String,
    pub direction: String,
    pub transfer: u128,
    pub at: u64,
}

#[derive(Debug, Deserialize)]
pub struct EndOfDayReceipt {
    pub day: ClosedDay,
    pub duplicate: bool,
}

pub type Participants = Vec<Participant>;
pub type Receipt = PaymentReceipt;

#[derive(Debug, Deserialize)]
pub struct HopView {
    pub provider: String,
    pub from: String,
    pub to: String,
    pub rate: String,
    pub sheet_version: u64,
    pub received: String,
    pub fee: String,
    pub delivered: String,
}

#[derive(Debug, Deserialize)]
pub struct FeeView {
    pub provider: String,
    pub currency: String,
    pub amount: String,
    pub borne_by: String,
}

#[derive(Debug, Deserialize)]
pub struct CandidateView {
    pub providers: Vec<String>,
    pub route: Vec<String>,
    #[serde(default)]
    pub creditor_receives: Option<String>,
    #[serde(default)]
    pub debtor_pays: Option<String>,
    #[serde(default)]
    pub excluded: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ReferenceRateView {
    pub base: String,
    pub quote: String,
    pub rate: String,
    pub agent: String,
}

#[derive(Debug, Deserialize)]
pub struct QuoteView {
    pub id: u64,
    pub creditor_agent: String,
    pub charge_bearer: corridor_settlement::ChargeBearer,
    pub source_currency: String,
    pub destination_currency: String,
    pub route: Vec<String>,
    pub instructed_amount: String,
    pub debtor_pays: String,
    pub creditor_receives: String,
    pub hops: Vec<HopView>,
    pub fees: Vec<FeeView>,
    #[serde(default)]
    pub reference_rate: Option<ReferenceRateView>,
    pub considered: Vec<CandidateView>,
    pub expires_at: u64,
    #[serde(default)]
    pub used_by: Option<u64>,
}

#[derive(Debug, Deserialize)]
pub struct LegView {
    pub currency: String,
    pub amount: String,
    pub debit_account: u128,
    pub credit_account: u128,
}

#[derive(Debug, Deserialize)]
pub struct FxView {
    pub quote: QuoteView,
    pub legs: Vec<LegView>,
}
