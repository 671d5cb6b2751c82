//! What a payment is: its instruction, amount, status and append-only history, and the
//! receipt and search filter the hub answers with. A plain model shared by the payment
//! store, the outboxes and AML monitoring; it changes only through the payment store.

use corridor_core::{Amount, Bic, Currency, CurrencyCode, Timestamp, TransferId, Uetr};
use serde::{Deserialize, Serialize};

use crate::business_day::BusinessDate;
use crate::model::PaymentInstruction;
use crate::pvp::FxSettlement;
use crate::rejection::Rejection;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting in the payer's RTGS queue for liquidity (pacs.002 PDNG).
    Queued,
    /// Accepted for a later settlement date or time: waits until that day's opening (or
    /// its from-time), then settles or queues (pacs.002 PDNG).
    Warehoused,
    /// Held by sanctions screening until a compliance officer decides (pacs.002 PDNG,
    /// reason RR04).
    Held,
    /// Settled with finality (ACSC).
    Settled,
    /// Refused or timed out in the queue (RJCT).
    Rejected,
    /// Cancelled by its sender while queued.
    Cancelled,
    /// Settled, then sent back in full by the receiver (pacs.004).
    Returned,
    /// Accepted into a deferred net settlement window: settles when the window does
    /// (pacs.002 ACSP).
    Netting,
}

impl PaymentStatus {
    /// The ISO 20022 pacs.002 transaction status.
    pub fn iso_code(self) -> &'static str {
        match self {
            PaymentStatus::Queued | PaymentStatus::Held | PaymentStatus::Warehoused => "PDNG",
            PaymentStatus::Netting => "ACSP",
            PaymentStatus::Settled | PaymentStatus::Returned => "ACSC",
            PaymentStatus::Rejected => "RJCT",
            PaymentStatus::Cancelled => "CANC",
        }
    }

    /// The name used in JSON and messages.
    pub fn name(self) -> &'static str {
        match self {
            PaymentStatus::Queued => "queued",
            PaymentStatus::Held => "held",
            PaymentStatus::Warehoused => "warehoused",
            PaymentStatus::Netting => "netting",
            PaymentStatus::Settled => "settled",
            PaymentStatus::Rejected => "rejected",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::Returned => "returned",
        }
    }

    pub fn is_final(self) -> bool {
        !matches!(
            self,
            PaymentStatus::Queued
                | PaymentStatus::Held
                | PaymentStatus::Warehoused
                | PaymentStatus::Netting
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusEvent {
    pub at: Timestamp,
    pub status: PaymentStatus,
    pub reason: Option<Rejection>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: u64,
    /// The instructing agent: the participant that submitted it.
    pub sender: Bic,
    pub instruction: PaymentInstruction,
    pub amount: u128,
    pub received_at: Timestamp,
    pub status: PaymentStatus,
    pub history: Vec<StatusEvent>,
    pub transfer: Option<TransferId>,
    pub settled_at: Option<Timestamp>,
    /// When it is rejected if still queued.
    pub queue_deadline: Option<Timestamp>,
    /// For a return: the payment it sends back.
    pub return_of: Option<u64>,
    /// Returns made of this payment.
    #[serde(default)]
    pub returns: Vec<u64>,
    /// How much of it settled returns have sent back.
    #[serde(default)]
    pub returned_amount: u128,
    /// For a return: the reason code and text the receiver gave (pacs.004 `RtrRsnInf`).
    pub return_reason: Option<Rejection>,
    /// For a cross-currency payment: its quote and, once settled, its legs.
    pub fx: Option<FxSettlement>,
    /// The business day it settles on (or settled on), once the operating day decided it;
    /// `None` for a currency without a schedule and no date asked.
    #[serde(default)]
    pub value_date: Option<BusinessDate>,
    /// While warehoused: when it is taken out again.
    #[serde(default)]
    pub warehoused_until: Option<Timestamp>,
    /// When the sender is warned that its till time is near, if it has one and it has not
    /// settled.
    #[serde(default)]
    pub till_warning_at: Option<Timestamp>,
    /// The deferred net settlement window it joined (and that settled it).
    #[serde(default)]
    pub net_window: Option<u64>,
}

impl Payment {
    pub fn receiver(&self) -> Bic {
        self.instruction.instructed_agent
    }

    pub fn currency(&self) -> CurrencyCode {
        self.instruction.currency
    }

    pub(crate) fn record(
        &mut self,
        at: Timestamp,
        status: PaymentStatus,
        reason: Option<Rejection>,
    ) {
        debug_assert!(
            !self.status.is_final() || status == PaymentStatus::Returned,
            "a final payment changes status only by being returned"
        );
        self.status = status;
        self.history.push(StatusEvent { at, status, reason });
    }

    /// The reason given with its latest status, if any.
    pub fn last_reason(&self) -> Option<Rejection> {
        self.history.last().and_then(|e| e.reason.clone())
    }
}

/// The answer to one submitted payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PaymentReceipt {
    pub payment: u64,
    pub instruction_id: String,
    pub uetr: Uetr,
    pub status: PaymentStatus,
    pub reason: Option<Rejection>,
    /// True when this was a retry of an instruction already accepted: nothing new happened.
    pub duplicate: bool,
}

/// What a participant may search its payments by. Every field narrows the result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PaymentFilter {
    pub status: Option<PaymentStatus>,
    pub counterparty: Option<Bic>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub min_amount: Option<u128>,
    pub max_amount: Option<u128>,
    /// Amount bounds are in this currency's minor units; payments in others are left out.
    pub currency: Option<CurrencyCode>,
    /// Only payments with ids above this (the previous page's last id).
    pub after: Option<u64>,
    pub limit: usize,
}

impl PaymentFilter {
    /// Whether `p`, seen by `participant`, passes every bound but the page.
    pub(crate) fn admits(&self, participant: Bic, p: &Payment) -> bool {
        let other = if p.sender == participant {
            p.receiver()
        } else {
            p.sender
        };
        self.status.is_none_or(|s| p.status == s)
            && self.counterparty.is_none_or(|c| other == c)
            && self.from.is_none_or(|t| p.received_at >= t)
            && self.to.is_none_or(|t| p.received_at < t)
            && self.currency.is_none_or(|c| p.currency() == c)
            && self.min_amount.is_none_or(|a| p.amount >= a)
            && self.max_amount.is_none_or(|a| p.amount <= a)
    }
}

/// A cross-currency payment is not sent back as such: its rate was locked only until the
/// quote expired.
pub(crate) fn refuse_fx_return(p: &Payment) -> Result<(), Rejection> {
    if p.fx.is_none() {
        return Ok(());
    }
    Err(Rejection::new(
        "AG01",
        format!(
            "payment {} was cross-currency: send the money back as a new payment with its own quote",
            p.id
        ),
    ))
}

pub(crate) fn parse_amount(text: &str, currency: Currency) -> Result<u128, Rejection> {
    let amount = Amount::parse(text, currency)
        .map_err(|e| Rejection::new(e.reason_code(), e.to_string()))?;
    if amount.is_zero() {
        return Err(Rejection::new("AM01", "amount must not be zero"));
    }
    Ok(amount.minor())
}

/// A limit, a reserve or a cap (`what`, named in the refusal) in minor units of `currency`:
/// zero is allowed, unlike a payment's amount.
pub(crate) fn parse_bound(what: &str, text: &str, currency: Currency) -> Result<u128, Rejection> {
    Amount::parse(text, currency)
        .map(Amount::minor)
        .map_err(|e| Rejection::new(e.reason_code(), format!("{what}: {e}")))
}

/// A cancellation or return reason: its first word is the ISO 20022 reason code (four
/// uppercase letters or digits, like CUST, DUPL, AC04), the rest is free text.
pub(crate) fn parse_reason(reason: &str) -> Result<Rejection, Rejection> {
    let code = reason.split_whitespace().next().unwrap_or("");
    let ok = code.len() == 4
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok || reason.chars().count() > 105 || reason.chars().any(char::is_control) {
        return Err(Rejection::format(
            "reason must start with a four-character ISO 20022 reason code (e.g. \"CUST\", \"AC04 account closed\"), at most 105 characters",
        ));
    }
    let text = reason[code.len()..].trim();
    Ok(Rejection::new(
        code,
        if text.is_empty() { code } else { text },
    ))
}
