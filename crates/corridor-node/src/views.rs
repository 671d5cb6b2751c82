//! What the API returns: the hub's records rendered for people and bank systems, amounts as
//! exact decimal strings in the currency's scale (never floats). Built inside engine queries,
//! or afterwards from records copied in one (see [`Records`]), so each view is consistent
//! with one point of the total order.

use std::borrow::Cow;

use corridor_core::{AccountId, Amount, Bic, Currency, CurrencyCode, Timestamp};
use corridor_settlement::{
    AccountInfo, AccountPurpose, BusinessDate, Hub, OutboxEvent, OutboxMessage, Payment,
    PaymentInstruction, PaymentStatus, Recall, RecallOutcome, Rejection, Statement, StatusEvent,
};
use serde::Serialize;

/// Where a view reads the records it names: the hub itself inside an engine query, or
/// copies taken from it there (`OutboundFacts`) to write the view on another thread.
pub trait Records {
    /// The scale of `code`'s amounts.
    fn scale(&self, code: CurrencyCode) -> Option<Currency>;
    fn payment(&self, id: u64) -> Option<&Payment>;
    fn recall(&self, id: u64) -> Option<&Recall>;
    /// The statement an outbox message of the end of a day names, at most
    /// [`MAX_STATEMENT_ENTRIES`] entries.
    fn outbox_statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
    ) -> Option<Cow<'_, Statement>>;
}

impl Records for Hub {
    fn scale(&self, code: CurrencyCode) -> Option<Currency> {
        self.currency(code)
    }

    fn payment(&self, id: u64) -> Option<&Payment> {
        Hub::payment(self, id)
    }

    fn recall(&self, id: u64) -> Option<&Recall> {
        Hub::recall(self, id)
    }

    fn outbox_statement(
        &self,
        account: AccountId,
        from: Timestamp,
        to: Timestamp,
    ) -> Option<Cow<'_, Statement>> {
        self.statement(account, from, to, MAX_STATEMENT_ENTRIES)
            .map(Cow::Owned)
    }
}

pub fn decimal(hub: &(impl Records + ?Sized), currency: CurrencyCode, minor: u128) -> String {
    match hub.scale(currency) {
        Some(c) => decimal_in(c, minor),
        None => minor.to_string(),
    }
}

/// `minor` units of `currency` as a decimal string.
pub fn decimal_in(currency: corridor_core::Currency, minor: u128) -> String {
    Amount::from_minor(minor).format(currency)
}

/// A signed amount (a position) in minor units of `currency`, as a decimal string.
pub fn signed_decimal_in(currency: corridor_core::Currency, minor: i128) -> String {
    let magnitude = decimal_in(currency, minor.unsigned_abs());
    if minor < 0 {
        format!("-{magnitude}")
    } else {
        magnitude
    }
}

/// `credits - debits` as a signed decimal string.
pub fn balance(
    hub: &(impl Records + ?Sized),
    currency: CurrencyCode,
    credits: u128,
    debits: u128,
) -> String {
    if credits >= debits {
        decimal(hub, currency, credits - debits)
    } else {
        format!("-{}", decimal(hub, currency, debits - credits))
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub purpose: AccountPurpose,
    /// Posted credits minus posted debits.
    pub balance: String,
    /// Balance minus amounts reserved but not yet posted.
    pub available: String,
    pub net_debit_cap: String,
    pub opened_at: Timestamp,
}

pub fn account(hub: &Hub, info: &AccountInfo) -> AccountView {
    let ledger = hub.ledger().account(info.id);
    let (credits, debits, pending, cap) = ledger.map_or((0, 0, 0, 0), |a| {
        let cap = match a.rule {
            corridor_ledger::BalanceRule::DebitsMustNotExceedCredits { limit } => limit,
            _ => 0,
        };
        (a.credits_posted, a.debits_posted, a.debits_pending, cap)
    });
    AccountView {
        id: info.id,
        owner: info.owner,
        currency: info.currency,
        purpose: info.purpose,
        balance: balance(hub, info.currency, credits, debits),
        available: balance(hub, info.currency, credits, debits.saturating_add(pending)),
        net_debit_cap: decimal(hub, info.currency, cap),
        opened_at: info.opened_at,
    }
}

/// A liquidity transfer by a settlement agent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LiquidityView {
    pub agent: Bic,
    pub reference: String,
    pub participant: Bic,
    pub account: AccountId,
    pub currency: CurrencyCode,
    pub amount: String,
    pub direction: corridor_settlement::LiquidityDirection,
    pub transfer: corridor_core::TransferId,
    pub at: Timestamp,
}

pub fn liquidity(hub: &Hub, r: &corridor_settlement::LiquidityRecord) -> LiquidityView {
    LiquidityView {
        agent: r.agent,
        reference: r.reference.clone(),
        participant: r.participant,
        account: r.account,
        currency: r.currency,
        amount: decimal(hub, r.currency, r.amount),
        direction: r.direction,
        transfer: r.transfer,
        at: r.at,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentView {
    pub id: u64,
    pub sender: Bic,
    pub receiver: Bic,
    pub status: PaymentStatus,
    /// The pacs.002 transaction status.
    pub iso_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Rejection>,
    pub amount: String,
    pub currency: CurrencyCode,
    pub received_at: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_of: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub returns: Vec<u64>,
    pub returned_amount: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_reason: Option<Rejection>,
    pub instruction: PaymentInstruction,
    pub history: Vec<StatusEvent>,
    /// For a cross-currency payment: its quote (both amounts, rates, route) and legs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fx: Option<FxView>,
    /// The business day it settles (or settled) on, once decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub value_date: Option<BusinessDate>,
    /// The value date in the Solar Hijri calendar, for IRR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_date_solar_hijri: Option<String>,
    /// While warehoused: when it comes out to settle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warehoused_until: Option<Timestamp>,
    /// The deferred net settlement window it joined (and that settled it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub net_window: Option<u64>,
}

pub fn payment(hub: &(impl Records + ?Sized), p: &Payment) -> PaymentView {
    PaymentView {
        id: p.id,
        sender: p.sender,
        receiver: p.receiver(),
        status: p.status,
        iso_status: p.status.iso_code(),
        reason: p.history.last().and_then(|e| e.reason.clone()),
        amount: decimal(hub, p.currency(), p.amount),
        currency: p.currency(),
        received_at: p.received_at,
        settled_at: p.settled_at,
        return_of: p.return_of,
        returns: p.returns.clone(),
        returned_amount: decimal(hub, p.currency(), p.returned_amount),
        return_reason: p.return_reason.clone(),
        instruction: p.instruction.clone(),
        history: p.history.clone(),
        fx: p.fx.as_ref().map(|f| fx(hub, f)),
        value_date: p.value_date,
        value_date_solar_hijri: p.value_date.and_then(|d| d.solar_hijri(p.currency())),
        warehoused_until: p.warehoused_until,
        net_window: p.net_window,
    }
}

/// A payment in a search result: the fields a list needs, without the party data.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PaymentSummary {
    pub id: u64,
    pub sender: Bic,
    pub receiver: Bic,
    pub instruction_id: String,
    pub uetr: corridor_core::Uetr,
    pub status: PaymentStatus,
    pub amount: String,
    pub currency: CurrencyCode,
    pub priority: corridor_settlement::Priority,
    pub received_at: Timestamp,
}

pub fn summary(hub: &Hub, p: &Payment) -> PaymentSummary {
    PaymentSummary {
        id: p.id,
        sender: p.sender,
        receiver: p.receiver(),
        instruction_id: p.instruction.instruction_id.clone(),
        uetr: p.instruction.uetr,
        status: p.status,
        amount: decimal(hub, p.currency(), p.amount),
        currency: p.currency(),
        priority: p.instruction.priority,
        received_at: p.received_at,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryView {
    pub at: Timestamp,
    pub transfer: corridor_core::TransferId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<u64>,
    pub kind: &'static str,
    /// "credit" or "debit".
    pub side: &'static str,
    pub amount: String,
    pub balance_after: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatementView {
    pub account: AccountId,
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub from: Timestamp,
    pub to: Timestamp,
    /// The (UTC) date the period ends on; none for a period open to the future.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub date: Option<BusinessDate>,
    /// That date in the Solar Hijri calendar, for IRR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_solar_hijri: Option<String>,
    pub opening_balance: String,
    pub closing_balance: String,
    pub total_credits: String,
    pub total_debits: String,
    pub entries: Vec<EntryView>,
    /// More entries follow: ask again with `from` set to this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_from: Option<Timestamp>,
}

/// The date a period ending at `to` (exclusive) ends on, unless it is open-ended.
fn period_date(to: Timestamp) -> Option<BusinessDate> {
    (to.0 != u64::MAX).then(|| BusinessDate::of_instant(Timestamp(to.0.saturating_sub(1))))
}

/// The most entries one statement holds; a longer period continues from `next_from`.
pub const MAX_STATEMENT_ENTRIES: usize = 10_000;

pub fn statement(hub: &(impl Records + ?Sized), s: &Statement) -> StatementView {
    let currency = s.account.currency;
    let credits = s.closing_credits - s.opening_credits;
    let debits = s.closing_debits - s.opening_debits;
    StatementView {
        account: s.account.id,
        owner: s.account.owner,
        currency,
        from: s.from,
        to: s.to,
        date: period_date(s.to),
        date_solar_hijri: period_date(s.to).and_then(|d| d.solar_hijri(currency)),
        opening_balance: balance(hub, currency, s.opening_credits, s.opening_debits),
        closing_balance: balance(hub, currency, s.closing_credits, s.closing_debits),
        total_credits: decimal(hub, currency, credits),
        total_debits: decimal(hub, currency, debits),
        entries: s
            .entries
            .iter()
            .map(|e| EntryView {
                at: e.at,
                transfer: e.transfer,
                payment: e.payment,
                kind: corridor_settlement::transfer_kind(e.code),
                side: if e.credit { "credit" } else { "debit" },
                amount: decimal(hub, currency, e.amount),
                balance_after: balance(hub, currency, e.credits_after, e.debits_after),
            })
            .collect(),
        next_from: s.next_from,
    }
}

/// One outbox message, flat: `type` says which fields are present.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct OutboxView {
    pub seq: u64,
    pub at: Timestamp,
    /// "payment_status" (pacs.002), "incoming_payment" (pacs.008/009 to the creditor's
    /// agent, pacs.004 for a return), "liquidity" (camt.054), "net_settlement" (camt.054: a
    /// net window's position posted, `reference` naming the window), "recall_request"
    /// (camt.056 to the creditor's agent), "recall_answer" (camt.029 to the requester),
    /// "settlement_time_warning" or "statement" (camt.053 at the end of a business day).
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uetr: Option<corridor_core::Uetr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instruction_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<PaymentStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Rejection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<CurrencyCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<corridor_settlement::LiquidityDirection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For a settlement time warning: the till time that is near.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub till: Option<Timestamp>,
    /// For an incoming payment: the payment as the creditor's agent receives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_detail: Option<PaymentView>,
    /// For a recall request or answer: the recall.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<RecallView>,
    /// For the end of a business day: the statement of one of its accounts for the day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementView>,
    /// For a statement: the audit chain's head when the day closed. Keep it: a later
    /// rewrite of the chain up to it no longer matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<corridor_settlement::AuditHead>,
}

pub fn outbox_message(hub: &(impl Records + ?Sized), m: &OutboxMessage) -> OutboxView {
    let base = OutboxView {
        seq: m.seq,
        at: m.at,
        ..OutboxView::default()
    };
    match &m.event {
        OutboxEvent::PaymentStatus {
            payment,
            instruction_id,
            uetr,
            status,
            reason,
        } => OutboxView {
            kind: "payment_status",
            payment: Some(*payment),
            uetr: Some(*uetr),
            instruction_id: Some(instruction_id.clone()),
            status: Some(*status),
            reason: reason.clone(),
            ..base
        },
        OutboxEvent::IncomingPayment { payment: id, uetr } => OutboxView {
            kind: "incoming_payment",
            payment: Some(*id),
            uetr: Some(*uetr),
            payment_detail: hub.payment(*id).map(|p| payment(hub, p)),
            ..base
        },
        OutboxEvent::Liquidity {
            account,
            currency,
            direction,
            amount,
            reference,
        } => OutboxView {
            kind: "liquidity",
            account: Some(*account),
            currency: Some(*currency),
            direction: Some(*direction),
            amount: Some(decimal(hub, *currency, *amount)),
            reference: Some(reference.clone()),
            ..base
        },
        OutboxEvent::NetSettlement {
            window,
            account,
            currency,
            direction,
            amount,
        } => OutboxView {
            kind: "net_settlement",
            account: Some(*account),
            currency: Some(*currency),
            direction: Some(*direction),
            amount: Some(decimal(hub, *currency, *amount)),
            reference: Some(net_reference(*window)),
            ..base
        },
        OutboxEvent::SettlementTimeWarning {
            payment: id,
            uetr,
            till,
        } => OutboxView {
            kind: "settlement_time_warning",
            payment: Some(*id),
            uetr: Some(*uetr),
            till: Some(*till),
            ..base
        },
        OutboxEvent::RecallRequest { recall: id } => OutboxView {
            kind: "recall_request",
            recall: hub.recall(*id).map(|r| recall(hub, r)),
            ..base
        },
        OutboxEvent::RecallAnswer { recall: id } => OutboxView {
            kind: "recall_answer",
            recall: hub.recall(*id).map(|r| recall(hub, r)),
            ..base
        },
        OutboxEvent::Statement {
            account,
            from,
            to,
            audit_head,
        } => OutboxView {
            kind: "statement",
            account: Some(*account),
            audit_head: Some(*audit_head),
            statement: hub
                .outbox_statement(*account, *from, *to)
                .map(|s| statement(hub, &s)),
            ..base
        },
    }
}

/// A recall of a settled payment, flat.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecallView {
    pub id: u64,
    pub payment: u64,
    /// The recalled payment's UETR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uetr: Option<corridor_core::Uetr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<CurrencyCode>,
    /// The debtor agent, who asked.
    pub requester: Bic,
    /// The creditor agent, who answers.
    pub responder: Bic,
    pub cancellation_id: String,
    /// The camt.056 cancellation reason.
    pub reason: Rejection,
    pub requested_at: Timestamp,
    /// "open", "accepted" or "rejected".
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<Timestamp>,
    /// Why the creditor agent rejected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
    /// The return that sent the money back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_payment: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_id: Option<String>,
}

pub fn recall(hub: &(impl Records + ?Sized), r: &Recall) -> RecallView {
    let payment = hub.payment(r.payment);
    let outcome = r.answer.as_ref().map(|a| &a.outcome);
    let (status, rejection, return_id) = match outcome {
        None => ("open", None, None),
        Some(RecallOutcome::Rejected { reason }) => ("rejected", Some(reason.clone()), None),
        Some(RecallOutcome::Accepted { return_id, .. }) => {
            ("accepted", None, Some(return_id.clone()))
        }
    };
    RecallView {
        id: r.id,
        payment: r.payment,
        uetr: payment.map(|p| p.instruction.uetr),
        amount: payment.map(|p| decimal(hub, p.currency(), p.amount)),
        currency: payment.map(Payment::currency),
        requester: r.requester,
        responder: r.responder,
        cancellation_id: r.cancellation_id.clone(),
        reason: r.reason.clone(),
        requested_at: r.requested_at,
        status,
        answered_at: r.answer.as_ref().map(|a| a.at),
        rejection,
        return_payment: r.return_payment(),
        return_id,
    }
}

// ---- foreign exchange ------------------------------------------------------------------

/// One conversion of a quote's route.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HopView {
    pub provider: Bic,
    pub from: CurrencyCode,
    pub to: CurrencyCode,
    /// The provider's rate: quote-currency units per base-currency unit of its pair.
    pub rate: String,
    pub direction: corridor_settlement::fx::rate::Direction,
    /// The rate sheet version the rate comes from.
    pub sheet_version: u64,
    /// What the provider receives, in `from`, its fee included.
    pub received: String,
    pub fee: String,
    /// What the provider pays out, in `to`.
    pub delivered: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeeView {
    pub provider: Bic,
    pub currency: CurrencyCode,
    pub amount: String,
    pub borne_by: corridor_settlement::fx::quote::BorneBy,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CandidateView {
    pub providers: Vec<Bic>,
    pub route: Vec<CurrencyCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debtor_pays: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creditor_receives: Option<String>,
    /// Why this route could not be used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReferenceRateView {
    pub version: u64,
    pub agent: Bic,
    pub base: CurrencyCode,
    pub quote: CurrencyCode,
    pub rate: String,
    pub published_at: Timestamp,
}

pub fn reference_rate(r: &corridor_settlement::fx::sheet::ReferenceRate) -> ReferenceRateView {
    ReferenceRateView {
        version: r.version,
        agent: r.agent,
        base: r.base,
        quote: r.quote,
        rate: r.rate.to_string(),
        published_at: r.published_at,
    }
}

/// A quote: every amount a payment that refers to it will move, locked until `expires_at`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QuoteView {
    pub id: u64,
    pub requester: Bic,
    pub creditor_agent: Bic,
    pub charge_bearer: corridor_settlement::ChargeBearer,
    /// "instructed_amount" or "creditor_amount": which amount was asked for.
    pub fixed: &'static str,
    pub source_currency: CurrencyCode,
    pub destination_currency: CurrencyCode,
    /// Currencies along the route, source first; three when it goes through another one.
    pub route: Vec<CurrencyCode>,
    /// The amount the payment instruction carries, in the source currency.
    pub instructed_amount: String,
    /// What the debtor's bank is debited, in the source currency.
    pub debtor_pays: String,
    /// What the creditor's bank is credited, in the destination currency.
    pub creditor_receives: String,
    pub hops: Vec<HopView>,
    pub fees: Vec<FeeView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_rate: Option<ReferenceRateView>,
    pub considered: Vec<CandidateView>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// The business day a payment against it settles on if paid now: today while every
    /// currency of the route is open, else their next common business day (the payment
    /// is then warehoused until that day's common opening).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub value_date: Option<BusinessDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub used_by: Option<u64>,
}

pub fn quote(hub: &(impl Records + ?Sized), q: &corridor_settlement::Quote) -> QuoteView {
    let (source, destination) = (q.source(), q.destination());
    QuoteView {
        id: q.id,
        requester: q.requester,
        creditor_agent: q.creditor_agent,
        charge_bearer: q.charge_bearer,
        fixed: match q.fixed {
            corridor_settlement::fx::quote::Fixed::Instructed(_) => "instructed_amount",
            corridor_settlement::fx::quote::Fixed::CreditorReceives(_) => "creditor_amount",
        },
        source_currency: source,
        destination_currency: destination,
        route: q.route(),
        instructed_amount: decimal(hub, source, q.priced.instructed),
        debtor_pays: decimal(hub, source, q.priced.debtor_pays),
        creditor_receives: decimal(hub, destination, q.priced.creditor_receives),
        hops: q
            .priced
            .hops
            .iter()
            .map(|h| HopView {
                provider: h.provider,
                from: h.from,
                to: h.to,
                rate: h.rate.to_string(),
                direction: h.direction,
                sheet_version: h.sheet_version,
                received: decimal(hub, h.from, h.received),
                fee: decimal(hub, h.from, h.fee),
                delivered: decimal(hub, h.to, h.delivered),
            })
            .collect(),
        fees: q
            .priced
            .fees
            .iter()
            .map(|f| FeeView {
                provider: f.provider,
                currency: f.currency,
                amount: decimal(hub, f.currency, f.amount),
                borne_by: f.borne_by,
            })
            .collect(),
        reference_rate: q.reference_rate.as_ref().map(reference_rate),
        considered: q
            .considered
            .iter()
            .map(|c| CandidateView {
                providers: c.providers.clone(),
                route: c.route.clone(),
                debtor_pays: c.priced.map(|(d, _)| decimal(hub, source, d)),
                creditor_receives: c.priced.map(|(_, r)| decimal(hub, destination, r)),
                excluded: c.excluded.clone(),
            })
            .collect(),
        created_at: q.created_at,
        expires_at: q.expires_at,
        value_date: q.value_date,
        used_by: q.used_by,
    }
}

/// The FX side of a payment: both amounts, the rate(s), the route and each settled leg.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FxView {
    pub quote: QuoteView,
    pub legs: Vec<LegView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LegView {
    pub currency: CurrencyCode,
    pub debit_account: AccountId,
    pub credit_account: AccountId,
    pub amount: String,
    pub transfer: corridor_core::TransferId,
}

pub fn fx(hub: &(impl Records + ?Sized), f: &corridor_settlement::FxSettlement) -> FxView {
    FxView {
        quote: quote(hub, &f.quote),
        legs: f
            .legs
            .iter()
            .map(|l| LegView {
                currency: l.currency,
                debit_account: l.debit,
                credit_account: l.credit,
                amount: decimal(hub, l.currency, l.amount),
                transfer: l.posted,
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PairView {
    pub base: CurrencyCode,
    pub quote: CurrencyCode,
    pub bid: String,
    pub ask: String,
    pub tiers: Vec<TierView>,
    pub fee_in_base: String,
    pub fee_in_quote: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TierView {
    pub from_base_amount: String,
    pub bid: String,
    pub ask: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RateSheetView {
    pub version: u64,
    pub provider: Bic,
    pub published_at: Timestamp,
    pub valid_until: Timestamp,
    pub pairs: Vec<PairView>,
}

pub fn rate_sheet(hub: &Hub, s: &corridor_settlement::fx::sheet::RateSheet) -> RateSheetView {
    RateSheetView {
        version: s.version,
        provider: s.provider,
        published_at: s.published_at,
        valid_until: s.valid_until,
        pairs: s
            .pairs
            .iter()
            .map(|p| PairView {
                base: p.base,
                quote: p.quote,
                bid: p.bid.to_string(),
                ask: p.ask.to_string(),
                tiers: p
                    .tiers
                    .iter()
                    .map(|t| TierView {
                        from_base_amount: decimal(hub, p.base, t.from_base_amount),
                        bid: t.bid.to_string(),
                        ask: t.ask.to_string(),
                    })
                    .collect(),
                fee_in_base: decimal(hub, p.base, p.fee_in_base),
                fee_in_quote: decimal(hub, p.quote, p.fee_in_quote),
            })
            .collect(),
    }
}

/// How a net window is named where an entry points to it (outbox, camt.054).
pub fn net_reference(window: u64) -> String {
    format!("NET-{window}")
}
