//! The recall endpoints: the debtor agent recalls a payment it sent (a settled one goes to
//! the creditor agent, a queued one is cancelled), the creditor agent answers, and each bank
//! lists the recalls it asked or must answer. The ISO 20022 door does the same with
//! camt.056 and camt.029.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use corridor_core::Uetr;
use corridor_settlement::{Answer, HubCommand, RecallDecision};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, answer_json, json_response};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::page::Page;
use crate::payments_api::resolve;
use crate::state::AppState;
use crate::submit::submit;
use crate::views::{self, RecallView};

/// The id of the return an accepted recall sends when the creditor agent names none.
pub fn default_return_id(recall: u64) -> String {
    format!("RECALL-{recall}")
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecallRequest {
    /// The requester's id for this request (camt.056 `CxlId`, up to 35 characters): asking
    /// again with it gives the same recall.
    pub cancellation_id: String,
    /// Starts with a camt.056 reason code: "DUPL", "FRAD", "TECH", "CUST", "AC03 wrong
    /// account", ...
    pub reason: String,
}

/// A recall as the hub answered a request or an answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecallReceipt {
    #[serde(flatten)]
    pub recall: RecallView,
    /// True when this repeated a request or answer already taken: nothing new happened.
    pub duplicate: bool,
}

#[utoipa::path(post, path = "/v1/payments/{id}/recall", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), request_body = RecallRequest, responses((status = 201, description = "A settled payment: the recall, forwarded to the creditor agent", body = RecallReceipt), (status = 200, description = "A queued payment: cancelled (its receipt); or a retry: the recall as it stands", body = RecallReceipt), (status = 404, body = ErrorBody), (status = 409, description = "Neither queued nor settled (NOCN); request id used for another payment (DUPL)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn recall_payment(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RecallRequest>,
) -> AppResult<Response> {
    let sender = caller.participant()?;
    let payment = resolve(&state, &id).await?;
    let command = HubCommand::RecallPayment {
        sender,
        payment,
        cancellation_id: req.cancellation_id,
        reason: req.reason,
    };
    let answer = submit(&state, command).await?;
    respond(&state, answer, StatusCode::CREATED).await
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Send the money back (pacs.004, reason FOCR).
    Accept,
    /// Keep it, for `reason`.
    Reject,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub decision: Decision,
    /// Required to reject: starts with a camt.029 reason code ("CUST", "LEGL", "NOAS",
    /// "AC04 account closed").
    #[serde(default)]
    pub reason: Option<String>,
    /// On acceptance, the creditor agent's id for the return; `RECALL-<recall id>` when
    /// absent.
    #[serde(default)]
    pub return_id: Option<String>,
}

#[utoipa::path(post, path = "/v1/recalls/{id}/answer", tag = "payments", params(("id" = u64, Path, description = "Recall number")), request_body = AnswerRequest, responses((status = 200, description = "The recall as answered; accepted: with the return that sent the money back", body = RecallReceipt), (status = 404, description = "No recall of yours to answer", body = ErrorBody), (status = 409, description = "Already answered otherwise (DUPL)", body = ErrorBody), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn answer_recall(
    State(state): St,
    caller: Caller,
    Path(recall): Path<u64>,
    ApiJson(req): ApiJson<AnswerRequest>,
) -> AppResult<Response> {
    let responder = caller.participant()?;
    let decision = match (req.decision, req.reason) {
        (Decision::Reject, Some(reason)) => RecallDecision::Reject { reason },
        (Decision::Reject, None) => {
            return Err(ApiError::bad_request("a rejection needs a reason"));
        }
        (Decision::Accept, _) => RecallDecision::Accept {
            return_id: req.return_id.unwrap_or_else(|| default_return_id(recall)),
            uetr: Uetr::generate(),
        },
    };
    let command = HubCommand::AnswerRecall {
        responder,
        recall,
        decision,
    };
    let answer = submit(&state, command).await?;
    respond(&state, answer, StatusCode::OK).await
}

/// A recall with `status` (200 for a retry); a cancelled payment's receipt.
async fn respond(state: &AppState, answer: Answer, status: StatusCode) -> AppResult<Response> {
    let Answer::Recall { recall, duplicate } = answer else {
        return Ok(ApiJson(answer_json(answer)?).into_response());
    };
    let view = state
        .engine
        .query_async(move |hub| views::recall(hub, &recall))
        .await?;
    let status = if duplicate { StatusCode::OK } else { status };
    let receipt = RecallReceipt {
        recall: view,
        duplicate,
    };
    Ok(json_response(status, &receipt))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecallQuery {
    /// Recalls numbered above this: the previous page's `next-cursor`.
    pub after: Option<u64>,
    /// At most this many (100 by default, 1,000 at most).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/v1/recalls", tag = "payments", params(RecallQuery), responses((status = 200, description = "A bank: the recalls it asked and those it must answer; the operator and auditors: all", body = [RecallView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_recalls(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<RecallQuery>,
) -> AppResult<Response> {
    let own = match caller.bic {
        Some(bic) => Some(bic),
        None if caller.sees_everything() => None,
        None => {
            return Err(ApiError::forbidden(
                "recalls are the banks' and the operator's",
            ));
        }
    };
    let page = Page::new(q.after, q.limit);
    let list = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.recalls(),
                |r| r.id,
                |r| {
                    own.is_none_or(|bank| r.requester == bank || r.responder == bank)
                        .then(|| views::recall(hub, r))
                },
            )
        })
        .await?;
    Ok(list.into_response())
}
