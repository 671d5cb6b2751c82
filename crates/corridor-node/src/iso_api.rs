//! The ISO 20022 door of the API: `POST /v1/iso20022` takes one message or an envelope of
//! many and answers, per message, what became of each transaction; the outbox and account
//! statements are served as ISO 20022 XML when a connection asks for it (`format=xml` or
//! `Accept: application/xml`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_core::{Bic, Timestamp, Uetr};
use corridor_iso20022::mt::{TranslationNote, fin_to_mx};
use corridor_iso20022::{BusinessContext, BusinessDate, Message, parse_bytes};
use corridor_settlement::{
    Answer, Hub, HubCommand, MAX_BATCH, OutboxMessage, PaymentInstruction, PaymentReceipt,
    RecallDecision, Rejection,
};
use serde::{Deserialize, Serialize};

use crate::admission::ParticipantOnly;
use crate::endpoint::{ApiJson, Refusals, St, render_off_engine};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::iso_intake::{Cancellation, Intake, PaymentReturn, Problem, RecallReply, intake};
use crate::iso_outbound::{CancellationAnswer, CancellationOutcome, Outbound};
use crate::outbound_facts::OutboundFacts;
use crate::state::AppState;
use crate::submit::submit;

/// How a connection wants its messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MessageFormat {
    #[default]
    Json,
    Xml,
}

impl MessageFormat {
    /// `format=` wins; else `Accept: application/xml` (or `text/xml`) asks for XML.
    pub fn choose(asked: Option<MessageFormat>, headers: &HeaderMap) -> MessageFormat {
        if let Some(format) = asked {
            return format;
        }
        let accept = headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if accept.contains("application/xml") || accept.contains("text/xml") {
            MessageFormat::Xml
        } else {
            MessageFormat::Json
        }
    }
}

/// What became of one message of the request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IsoMessageResult {
    /// Its position in the request, from 1.
    pub index: usize,
    pub message_type: String,
    /// Why it was refused before reaching the hub: every problem, with its path and code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// One per transaction, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<IsoTransactionResult>,
    /// camt.056: the camt.029 answering it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer_xml: Option<String>,
}

/// A payment's receipt, a liquidity transfer's record, or the refusal.
#[derive(Debug, Default, Serialize, utoipa::ToSchema)]
pub struct IsoTransactionResult {
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<PaymentReceipt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub liquidity: Option<crate::views::LiquidityView>,
    /// camt.056 of a settled payment, or camt.029: the recall.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recall: Option<crate::views::RecallView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Rejection>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IsoIntakeReport {
    /// Messages whose every transaction the hub accepted.
    pub accepted: usize,
    pub refused: usize,
    pub messages: Vec<IsoMessageResult>,
}

/// An envelope may carry many messages; 8 MiB holds thousands of pacs.008.
pub const ISO_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// One FIN message: at most 10,000 characters, so 64 KiB leaves room for any encoding.
pub const MT_BODY_LIMIT: usize = 64 * 1024;

/// Takes pacs.008, pacs.009 (submit), pacs.004 (return), camt.056 (cancel a queued payment,
/// recall a settled one), camt.029 (answer a recall) and, from a settlement agent, camt.050
/// (liquidity) as XML: one
/// message bare or with its AppHdr, or an envelope of many. Each message is checked by
/// both validation layers and turned into the command the JSON API would send; a refused
/// message changes nothing and lists every problem with its element path and reason code.
#[utoipa::path(post, path = "/v1/iso20022", tag = "iso20022", request_body(content = String, content_type = "application/xml", description = "An ISO 20022 message, or an envelope of AppHdr + Document pairs"), responses((status = 200, description = "One result per message, in order", body = IsoIntakeReport), (status = 400, description = "Not well-formed XML or no known message (FF01, FF02)", body = ErrorBody), (status = 413, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn submit_iso(
    State(state): St,
    ParticipantOnly(sender): ParticipantOnly,
    body: Bytes,
) -> AppResult<Response> {
    let messages = parse_bytes(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            e.reason_code().as_str(),
            e.to_string(),
        )
    })?;
    let currencies = state.engine.query_async(scheme_currencies).await?;
    let now = wall_clock();
    let mut report = IsoIntakeReport {
        accepted: 0,
        refused: 0,
        messages: Vec::with_capacity(messages.len()),
    };
    // Consecutive payment messages go to the engine as one batch, one journal write for
    // all of them; each payment is still accepted or refused on its own. A message the
    // door refused keeps its place without asking anything of the hub; anything else is
    // carried out in its place, after the payments before it.
    let mut batch = PaymentBatch::default();
    for (i, message) in messages.into_iter().enumerate() {
        let checked = check_one(sender, message, i + 1, &currencies, now)?;
        match checked.intake {
            Some(Intake::Payments(HubCommand::SubmitPayments { payments, .. }))
                if payments.len() <= MAX_BATCH =>
            {
                if batch.payments.len() + payments.len() > MAX_BATCH {
                    batch.flush(&state, sender, &mut report).await?;
                }
                batch.add(checked.result, payments);
            }
            None => batch.add(checked.result, Vec::new()),
            intake => {
                batch.flush(&state, sender, &mut report).await?;
                let checked = Checked { intake, ..checked };
                report.push(carry_out(&state, sender, checked, now).await?);
            }
        }
    }
    batch.flush(&state, sender, &mut report).await?;
    Ok(ApiJson(report).into_response())
}

impl IsoIntakeReport {
    fn push(&mut self, result: IsoMessageResult) {
        let refused =
            !result.problems.is_empty() || result.transactions.iter().any(|t| t.error.is_some());
        if refused {
            self.refused += 1;
        } else {
            self.accepted += 1;
        }
        self.messages.push(result);
    }
}

/// Payment messages waiting to go to the engine together: each message's result with how
/// many of the payments are its own, in order.
#[derive(Default)]
struct PaymentBatch {
    messages: Vec<(IsoMessageResult, usize)>,
    payments: Vec<PaymentInstruction>,
}

impl PaymentBatch {
    fn add(&mut self, result: IsoMessageResult, payments: Vec<PaymentInstruction>) {
        self.messages.push((result, payments.len()));
        self.payments.extend(payments);
    }

    /// Submits the batch as one command and hands each message its payments' outcomes.
    async fn flush(
        &mut self,
        state: &Arc<AppState>,
        sender: Bic,
        report: &mut IsoIntakeReport,
    ) -> AppResult<()> {
        if self.messages.is_empty() {
            return Ok(());
        }
        let mut outcomes = if self.payments.is_empty() {
            Vec::new().into_iter()
        } else {
            let command = HubCommand::SubmitPayments {
                sender,
                payments: std::mem::take(&mut self.payments),
                screening: Vec::new(),
            };
            payments(state, command).await?.into_iter()
        };
        for (mut result, count) in self.messages.drain(..) {
            result.transactions = outcomes.by_ref().take(count).collect();
            report.push(result);
        }
        Ok(())
    }
}

/// What became of an MT: the ISO 20022 message it was read as, what of it did not fit, and
/// what the hub made of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MtIntakeReport {
    /// What the translation cut, replaced or could not carry, field by field.
    pub notes: Vec<MtNote>,
    #[serde(flatten)]
    pub result: IsoMessageResult,
}

/// One field the translation changed: `truncated` (cut to fit, ending in `+`), `replaced`
/// (characters outside the target's set), `dropped` (no place in the target message).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MtNote {
    pub kind: &'static str,
    pub field: String,
}

impl From<TranslationNote> for MtNote {
    fn from(note: TranslationNote) -> MtNote {
        let (kind, field) = match note {
            TranslationNote::Truncated { field } => ("truncated", field),
            TranslationNote::Replaced { field } => ("replaced", field),
            TranslationNote::Dropped { field } => ("dropped", field),
        };
        MtNote { kind, field }
    }
}

/// Takes one SWIFT MT (FIN text): MT103 as a pacs.008, MT202 and MT202COV as a pacs.009,
/// translated as `corridor mt2mx` translates them, then checked and settled exactly as that
/// message through `POST /v1/iso20022` would be (block 1's sender must be the caller). The
/// answer lists what the translation cut or dropped.
#[utoipa::path(post, path = "/v1/mt", tag = "iso20022", request_body(content = String, content_type = "text/plain", description = "One FIN message: MT103, MT202 or MT202COV"), responses((status = 200, description = "The message as read, and what became of it", body = MtIntakeReport), (status = 400, description = "Not an MT Corridor reads, or a field missing or malformed (FF01, CH21)", body = ErrorBody), (status = 413, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn submit_mt(
    State(state): St,
    ParticipantOnly(sender): ParticipantOnly,
    body: Bytes,
) -> AppResult<Response> {
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::bad_request("an MT is text in the SWIFT character set, not binary")
    })?;
    let now = wall_clock();
    let created = crate::iso_outbound::date_time(now);
    let translation = fin_to_mx(text, &created)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.reason_code(), e.to_string()))?;
    let currencies = state.engine.query_async(scheme_currencies).await?;
    let result = take_one(&state, sender, translation.message, 1, &currencies, now).await?;
    let report = MtIntakeReport {
        notes: translation.notes.into_iter().map(MtNote::from).collect(),
        result,
    };
    Ok(ApiJson(report).into_response())
}

pub(crate) fn wall_clock() -> Timestamp {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX));
    Timestamp(nanos)
}

/// The currencies the hub settles, with the decimals it gives each.
fn scheme_currencies(hub: &Hub) -> Vec<(String, u32)> {
    hub.currencies()
        .map(|c| (c.currency.code.to_string(), u32::from(c.currency.exponent)))
        .collect()
}

async fn take_one(
    state: &Arc<AppState>,
    sender: Bic,
    message: Message,
    index: usize,
    currencies: &[(String, u32)],
    now: Timestamp,
) -> AppResult<IsoMessageResult> {
    let checked = check_one(sender, message, index, currencies, now)?;
    carry_out(state, sender, checked, now).await
}

/// A message checked, with what it asks of the hub unless it was refused.
struct Checked {
    result: IsoMessageResult,
    /// The camt.056 case a cancellation's answer names.
    case: String,
    intake: Option<Intake>,
}

fn check_one(
    sender: Bic,
    message: Message,
    index: usize,
    currencies: &[(String, u32)],
    now: Timestamp,
) -> AppResult<Checked> {
    let mut result = IsoMessageResult {
        index,
        message_type: message.message_type.name().to_owned(),
        problems: Vec::new(),
        transactions: Vec::new(),
        answer_xml: None,
    };
    // The intake takes the message; a cancellation's answer still names its case.
    let case = message_case(&message, index);
    let currencies: Vec<(&str, u32)> = currencies.iter().map(|(c, e)| (c.as_str(), *e)).collect();
    let business = business_context(now, &currencies)?;
    let intake = match intake(message, sender, &business) {
        Ok(intake) => Some(intake),
        Err(refusal) => {
            result.problems = refusal.0;
            None
        }
    };
    Ok(Checked {
        result,
        case,
        intake,
    })
}

/// Gives the hub what a checked message asks of it, and records the outcome.
async fn carry_out(
    state: &Arc<AppState>,
    sender: Bic,
    checked: Checked,
    now: Timestamp,
) -> AppResult<IsoMessageResult> {
    let Checked {
        mut result,
        case,
        intake,
    } = checked;
    let Some(intake) = intake else {
        return Ok(result);
    };
    match intake {
        Intake::Payments(command) => result.transactions = payments(state, command).await?,
        Intake::Liquidity(command) => result
            .transactions
            .push(outcome_of(state, submit(state, command).await).await?),
        Intake::Returns(returns) => {
            for r in returns {
                result
                    .transactions
                    .push(payment_return(state, sender, r).await?);
            }
        }
        Intake::RecallReplies(replies) => {
            for r in replies {
                result
                    .transactions
                    .push(recall_reply(state, sender, r).await?);
            }
        }
        Intake::Cancellations(cancellations) => {
            let mut answers = Vec::with_capacity(cancellations.len());
            for (position, c) in cancellations.into_iter().enumerate() {
                let cancellation_id = c
                    .cancellation_id
                    .clone()
                    .unwrap_or_else(|| unnamed_cancellation(&case, position + 1));
                let (transaction, answer) = cancellation(state, sender, c, cancellation_id).await?;
                result.transactions.push(transaction);
                answers.push(answer);
            }
            let hub_bic = state.hub_bic;
            let written = render_off_engine("the camt.029 answer", move || {
                Outbound::new(&OutboundFacts::default(), hub_bic)
                    .cancellation_answer(sender, &case, now, &answers)
                    .to_xml()
            })
            .await?;
            result.answer_xml = Some(written);
        }
    }
    Ok(result)
}

/// Payments settle on the day they arrive. The hub's day is UTC and a sender east of it
/// may already write tomorrow, so one day ahead is accepted.
fn business_context<'a>(
    now: Timestamp,
    currencies: &'a [(&'a str, u32)],
) -> AppResult<BusinessContext<'a>> {
    let today = crate::iso_outbound::date(now);
    let business_date = BusinessDate::parse(&today).ok_or_else(|| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "NARR",
            format!("the clock gives {today:?}, not a date"),
        )
    })?;
    Ok(BusinessContext {
        business_date,
        max_forward_days: 1,
        currencies,
    })
}

/// The identification of the camt.056 case, which the camt.029 answer repeats.
fn message_case(message: &Message, index: usize) -> String {
    match &message.document {
        corridor_iso20022::Document::Camt056(request) => request.assignment.identification.clone(),
        _ => format!("CASE{index}"),
    }
}

async fn payments(
    state: &Arc<AppState>,
    command: HubCommand,
) -> AppResult<Vec<IsoTransactionResult>> {
    let started = std::time::Instant::now();
    let answer = submit(state, command).await?;
    let Answer::Payments(receipts) = answer else {
        return Err(ApiError::from(Rejection::new("NARR", "unexpected answer")));
    };
    let elapsed = started.elapsed();
    Ok(receipts
        .into_iter()
        .map(|result| match result {
            Ok(receipt) => {
                state.metrics.observe_receipt(&receipt, elapsed);
                IsoTransactionResult {
                    receipt: Some(receipt),
                    ..IsoTransactionResult::default()
                }
            }
            Err(error) => refused(error),
        })
        .collect())
}

/// The payment a camt.056 or pacs.004 names by UETR, if it is one the sender may act on.
async fn payment_of(
    state: &AppState,
    sender: Bic,
    uetr: corridor_core::Uetr,
) -> AppResult<Option<u64>> {
    Ok(state
        .engine
        .query_async(move |hub| {
            hub.payment_by_uetr(uetr)
                .filter(|p| p.sender == sender || p.receiver() == sender)
                .map(|p| p.id)
        })
        .await?)
}

fn not_found(uetr: corridor_core::Uetr) -> Rejection {
    Rejection::new("NOTF", format!("no payment {uetr} of yours"))
}

/// A hub refusal is this transaction's result; anything else fails the request.
async fn outcome_of(
    state: &AppState,
    answer: AppResult<Answer>,
) -> AppResult<IsoTransactionResult> {
    match answer {
        Ok(Answer::Payment(receipt)) => Ok(IsoTransactionResult {
            receipt: Some(receipt),
            ..IsoTransactionResult::default()
        }),
        Ok(Answer::Liquidity(record)) => {
            let view = state
                .engine
                .query_async(move |hub| crate::views::liquidity(hub, &record))
                .await?;
            Ok(IsoTransactionResult {
                liquidity: Some(view),
                ..IsoTransactionResult::default()
            })
        }
        Ok(Answer::Recall { recall, .. }) => {
            let view = state
                .engine
                .query_async(move |hub| crate::views::recall(hub, &recall))
                .await?;
            Ok(IsoTransactionResult {
                recall: Some(view),
                ..IsoTransactionResult::default()
            })
        }
        Ok(_) => Ok(IsoTransactionResult::default()),
        Err(e) if e.status == StatusCode::SERVICE_UNAVAILABLE => Err(e),
        Err(e) => Ok(refused(e.rejection)),
    }
}

fn refused(error: Rejection) -> IsoTransactionResult {
    IsoTransactionResult {
        error: Some(error),
        ..IsoTransactionResult::default()
    }
}

async fn payment_return(
    state: &Arc<AppState>,
    sender: Bic,
    r: PaymentReturn,
) -> AppResult<IsoTransactionResult> {
    let Some(original) = payment_of(state, sender, r.original_uetr).await? else {
        return Ok(refused(not_found(r.original_uetr)));
    };
    let command = HubCommand::ReturnPayment {
        sender,
        original,
        return_id: r.return_id,
        // pacs.004.001.09 carries no UETR for the return itself. A random one cannot be
        // claimed first by another bank; a resent return is the same return through its
        // `RtrId`, which the hub keys returns by.
        uetr: Uetr::generate(),
        amount: Some(r.amount),
        reason: r.reason,
    };
    outcome_of(state, submit(state, command).await).await
}

/// A camt.056 transaction without `CxlId` is named after its case and position, cut to
/// `Max35Text`.
fn unnamed_cancellation(case: &str, position: usize) -> String {
    let suffix = format!("/{position}");
    let room = 35 - suffix.len();
    format!("{}{suffix}", case.chars().take(room).collect::<String>())
}

async fn cancellation(
    state: &Arc<AppState>,
    sender: Bic,
    c: Cancellation,
    cancellation_id: String,
) -> AppResult<(IsoTransactionResult, CancellationAnswer)> {
    let Some(payment) = payment_of(state, sender, c.original_uetr).await? else {
        let refusal = not_found(c.original_uetr);
        let answer = CancellationAnswer {
            cancellation_id: c.cancellation_id,
            original_uetr: c.original_uetr,
            outcome: CancellationOutcome::Refused(refusal.clone()),
        };
        return Ok((refused(refusal), answer));
    };
    let command = HubCommand::RecallPayment {
        sender,
        payment,
        cancellation_id,
        reason: c.reason,
    };
    let answer = submit(state, command).await;
    let outcome = match &answer {
        Ok(Answer::Recall { recall, .. }) => CancellationOutcome::of_recall(recall),
        Ok(_) => CancellationOutcome::Cancelled,
        Err(e) => CancellationOutcome::Refused(e.rejection.clone()),
    };
    let transaction = outcome_of(state, answer).await?;
    let answer = CancellationAnswer {
        cancellation_id: c.cancellation_id,
        original_uetr: c.original_uetr,
        outcome,
    };
    Ok((transaction, answer))
}

/// The creditor agent's camt.029 answers the latest recall of a payment it received. An
/// acceptance's return is named by `CxlStsId` (else after the recall), its UETR derived
/// from it, so a resent answer is the same answer.
async fn recall_reply(
    state: &Arc<AppState>,
    sender: Bic,
    r: RecallReply,
) -> AppResult<IsoTransactionResult> {
    let uetr = r.original_uetr;
    let recall = state
        .engine
        .query_async(move |hub| {
            hub.payment_by_uetr(uetr)
                .filter(|p| p.receiver() == sender)
                .and_then(|p| hub.latest_recall(p.id))
                .map(|recall| recall.id)
        })
        .await?;
    let Some(recall) = recall else {
        return Ok(refused(Rejection::not_found(format!(
            "no recall of a payment {uetr} you received"
        ))));
    };
    let decision = match r.rejection {
        Some(reason) => RecallDecision::Reject { reason },
        None => {
            let return_id = r
                .status_id
                .unwrap_or_else(|| crate::recall_api::default_return_id(recall));
            RecallDecision::Accept {
                uetr: Uetr::generate(),
                return_id,
            }
        }
    };
    let command = HubCommand::AnswerRecall {
        responder: sender,
        recall,
        decision,
    };
    outcome_of(state, submit(state, command).await).await
}

/// An outbox page as ISO 20022: each message with its number and time, holding the
/// AppHdr + Document pairs it is written as.
pub fn outbox_xml(
    facts: &OutboundFacts,
    hub_bic: Bic,
    participant: Bic,
    messages: &[OutboxMessage],
    last_seq: u64,
    acknowledged: u64,
) -> String {
    let outbound = Outbound::new(facts, hub_bic);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Outbox participant=\"{participant}\" lastSeq=\"{last_seq}\" acknowledged=\"{acknowledged}\">\n"
    );
    for m in messages {
        xml.push_str(&outbox_message_xml(&outbound, participant, m));
    }
    xml.push_str("</Outbox>\n");
    xml
}

/// One outbox message as a `Message` element of AppHdr + Document pairs.
pub fn outbox_message_xml(outbound: &Outbound, participant: Bic, m: &OutboxMessage) -> String {
    let mut xml = format!(
        "<Message seq=\"{}\" at=\"{}\">\n",
        m.seq,
        crate::iso_outbound::date_time(m.at)
    );
    for written in outbound.outbox_message(participant, m) {
        xml.push_str(&written.to_xml());
    }
    xml.push_str("</Message>\n");
    xml
}

/// An XML answer.
pub fn xml_response(xml: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}
