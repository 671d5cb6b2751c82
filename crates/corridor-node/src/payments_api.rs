//! The payment endpoints of the banks: submit one payment or a batch, read one (by number
//! or UETR), search their own, cancel a queued one, return a settled one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use corridor_core::{Bic, CurrencyCode, Timestamp, Uetr};
use corridor_settlement::{
    Answer, HubCommand, PaymentFilter, PaymentInstruction, PaymentReceipt, PaymentStatus, Rejection,
};
use serde::{Deserialize, Serialize};

use crate::admission::ParticipantOnly;
use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, answer_json, json_response, parse_decimal};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::page::{Page, Paged};
use crate::state::AppState;
use crate::submit::submit;
use crate::views::{self, PaymentSummary, PaymentView};

fn receipt_status(receipt: &PaymentReceipt) -> StatusCode {
    if receipt.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

#[utoipa::path(post, path = "/v1/payments", tag = "payments", request_body = PaymentInstruction, responses((status = 201, description = "Accepted: settled or queued", body = PaymentReceipt), (status = 200, description = "A retry of an accepted instruction: its first result", body = PaymentReceipt), (status = 409, description = "Instruction id or UETR already used for another payment (DUPL)", body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn submit_payment(
    State(state): St,
    caller: Caller,
    ApiJson(instruction): ApiJson<PaymentInstruction>,
) -> AppResult<Response> {
    let sender = caller.participant()?;
    let started = std::time::Instant::now();
    let answer = submit(
        &state,
        HubCommand::SubmitPayments {
            sender,
            payments: vec![instruction],
            screening: Vec::new(),
        },
    )
    .await?;
    let Answer::Payments(mut receipts) = answer else {
        return Err(ApiError::from(Rejection::new("NARR", "unexpected answer")));
    };
    let receipt = receipts
        .pop()
        .ok_or_else(|| ApiError::from(Rejection::new("NARR", "no receipt")))??;
    state.metrics.observe_receipt(&receipt, started.elapsed());
    Ok(json_response(receipt_status(&receipt), &receipt))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    pub payments: Vec<PaymentInstruction>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchItem {
    pub index: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<PaymentReceipt>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Rejection>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BatchView {
    pub accepted: usize,
    pub refused: usize,
    pub results: Vec<BatchItem>,
}

#[utoipa::path(post, path = "/v1/payments/batch", tag = "payments", request_body = BatchRequest, responses((status = 200, description = "One result per payment, in order", body = BatchView), (status = 413, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn submit_batch(
    State(state): St,
    ParticipantOnly(sender): ParticipantOnly,
    ApiJson(req): ApiJson<BatchRequest>,
) -> AppResult<Response> {
    let started = std::time::Instant::now();
    let answer = submit(
        &state,
        HubCommand::SubmitPayments {
            sender,
            payments: req.payments,
            screening: Vec::new(),
        },
    )
    .await?;
    let Answer::Payments(receipts) = answer else {
        return Err(ApiError::from(Rejection::new("NARR", "unexpected answer")));
    };
    let elapsed = started.elapsed();
    let mut view = BatchView {
        accepted: 0,
        refused: 0,
        results: Vec::with_capacity(receipts.len()),
    };
    for (index, result) in receipts.into_iter().enumerate() {
        match result {
            Ok(receipt) => {
                state.metrics.observe_receipt(&receipt, elapsed);
                view.accepted += 1;
                view.results.push(BatchItem {
                    index,
                    receipt: Some(receipt),
                    error: None,
                });
            }
            Err(error) => {
                view.refused += 1;
                view.results.push(BatchItem {
                    index,
                    receipt: None,
                    error: Some(error),
                });
            }
        }
    }
    Ok(ApiJson(view).into_response())
}

/// A payment id in a path: its number, or its UETR.
fn payment_ref(text: &str) -> AppResult<PaymentRef> {
    if let Ok(id) = text.parse::<u64>() {
        return Ok(PaymentRef::Id(id));
    }
    text.parse::<Uetr>().map(PaymentRef::Uetr).map_err(|e| {
        ApiError::bad_request(format!(
            "payment {text:?} is neither a number nor a UETR: {e}"
        ))
    })
}

#[derive(Clone, Copy)]
enum PaymentRef {
    Id(u64),
    Uetr(Uetr),
}

fn find(hub: &corridor_settlement::Hub, r: PaymentRef) -> Option<&corridor_settlement::Payment> {
    match r {
        PaymentRef::Id(id) => hub.payment(id),
        PaymentRef::Uetr(u) => hub.payment_by_uetr(u),
    }
}

/// A bank sees the payments it sent or received; the operator and auditors see all.
fn may_see_payment(caller: &Caller, p: &corridor_settlement::Payment) -> bool {
    caller.sees_everything() || caller.bic == Some(p.sender) || caller.bic == Some(p.receiver())
}

#[utoipa::path(get, path = "/v1/payments/{id}", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), responses((status = 200, body = PaymentView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_payment(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let r = payment_ref(&id)?;
    let view = state
        .engine
        .query_async(move |hub| {
            find(hub, r)
                .filter(|p| may_see_payment(&caller, p))
                .map(|p| views::payment(hub, p))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no payment {id} you may see")))?;
    Ok(ApiJson(view).into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    pub status: Option<PaymentStatus>,
    pub counterparty: Option<Bic>,
    /// Engine time in nanoseconds since the epoch, inclusive.
    pub from: Option<u64>,
    /// Exclusive.
    pub to: Option<u64>,
    pub currency: Option<CurrencyCode>,
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    /// Payments numbered above this: the previous page's `next-cursor`.
    pub after: Option<u64>,
    /// At most this many (100 by default, 1,000 at most); a page also stops after
    /// examining 10,000 payments, with a `next-cursor` header to go on from.
    pub limit: Option<usize>,
    /// For the operator and auditors: whose payments.
    pub participant: Option<Bic>,
}

#[utoipa::path(get, path = "/v1/payments", tag = "payments", params(SearchQuery), responses((status = 200, description = "One page, oldest first; the `next-cursor` header, when present, is the `after` of the next page", body = [PaymentSummary]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn search_payments(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> AppResult<Response> {
    let participant = match (caller.bic, q.participant) {
        (Some(own), None) => own,
        (Some(own), Some(asked)) if own == asked => own,
        (None, Some(asked)) if caller.sees_everything() => asked,
        (None, None) => {
            return Err(ApiError::bad_request(
                "participant=<BIC> is required for the operator and auditors",
            ));
        }
        _ => return Err(ApiError::forbidden("a bank searches only its own payments")),
    };
    if (q.min_amount.is_some() || q.max_amount.is_some()) && q.currency.is_none() {
        return Err(ApiError::bad_request(
            "an amount filter needs currency=<code>",
        ));
    }
    let mut filter = PaymentFilter {
        status: q.status,
        counterparty: q.counterparty,
        from: q.from.map(Timestamp),
        to: q.to.map(Timestamp),
        min_amount: None,
        max_amount: None,
        currency: q.currency,
        after: q.after,
        limit: Page::new(q.after, q.limit).limit(),
    };
    if let Some(currency) = q.currency {
        if let Some(text) = &q.min_amount {
            filter.min_amount = Some(parse_decimal(&state, text, currency).await?);
        }
        if let Some(text) = &q.max_amount {
            filter.max_amount = Some(parse_decimal(&state, text, currency).await?);
        }
    }
    let page = state
        .engine
        .query_async(move |hub| {
            let found = hub.search(participant, &filter);
            Paged {
                items: found
                    .payments
                    .into_iter()
                    .map(|p| views::summary(hub, p))
                    .collect::<Vec<_>>(),
                next: found.next,
            }
        })
        .await?;
    Ok(page.into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Starts with a reason code: "CUST", "DUPL requested twice".
    pub reason: String,
}

#[utoipa::path(post, path = "/v1/payments/{id}/cancel", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), request_body = CancelRequest, responses((status = 200, body = PaymentReceipt), (status = 404, body = ErrorBody), (status = 409, description = "Not queued any more (NOCN)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn cancel_payment(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CancelRequest>,
) -> AppResult<Response> {
    let sender = caller.participant()?;
    let id = resolve(&state, &id).await?;
    let answer = submit(
        &state,
        HubCommand::CancelPayment {
            sender,
            payment: id,
            reason: req.reason,
        },
    )
    .await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnRequest {
    /// The returning bank's instruction id for the return (its idempotency key).
    pub return_id: String,
    /// Part of the amount; the whole remaining amount when absent.
    #[serde(default)]
    pub amount: Option<String>,
    /// Starts with a pacs.004 reason code: "AC04 account closed".
    pub reason: String,
}

#[utoipa::path(post, path = "/v1/payments/{id}/return", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), request_body = ReturnRequest, responses((status = 201, body = PaymentReceipt), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn return_payment(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ReturnRequest>,
) -> AppResult<Response> {
    let sender = caller.participant()?;
    let original = resolve(&state, &id).await?;
    let answer = submit(
        &state,
        HubCommand::ReturnPayment {
            sender,
            original,
            return_id: req.return_id,
            uetr: Uetr::generate(),
            amount: req.amount,
            reason: req.reason,
        },
    )
    .await?;
    let status = match &answer {
        Answer::Payment(r) => receipt_status(r),
        _ => StatusCode::OK,
    };
    Ok(json_response(status, &answer_json(answer)?))
}

pub(crate) async fn resolve(state: &AppState, text: &str) -> AppResult<u64> {
    match payment_ref(text)? {
        PaymentRef::Id(id) => Ok(id),
        PaymentRef::Uetr(u) => state
            .engine
            .query_async(move |hub| hub.payment_by_uetr(u).map(|p| p.id))
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no payment {text}"))),
    }
}
