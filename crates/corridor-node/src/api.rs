//! The HTTP API: one handler per endpoint. Each handler authorises the caller, then either
//! submits one hub command through the engine (and answers once it is durable) or reads the
//! hub in a query. No handler changes state itself.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use corridor_core::{AccountId, Amount, Bic, CurrencyCode, Timestamp, Uetr};
use corridor_settlement::{
    AccountPurpose, Answer, ClosedDay, HubCommand, HubConfig, LiquidityDirection, Participant,
    ParticipantRole, ParticipantStatus, PaymentFilter, PaymentInstruction, PaymentReceipt,
    PaymentStatus, Rejection,
};
use futures_util::Stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::iso_api::{MessageFormat, wall_clock, xml_response};
use crate::server::AppState;
use crate::views::{self, AccountView, PaymentSummary, PaymentView, StatementView};

pub(crate) type AppResult<T> = Result<T, ApiError>;

/// The refusals any authenticated endpoint can answer with. Only the OpenAPI document uses
/// this type (the handlers answer with `ApiError`), so its variants are never built.
#[derive(Debug, utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Refusals {
    /// Malformed request (FF01).
    #[response(status = 400)]
    Malformed(Rejection),
    /// No or unknown credentials (AUTH).
    #[response(status = 401)]
    Unauthenticated(Rejection),
    /// The caller's role may not do this (AG01).
    #[response(status = 403)]
    Forbidden(Rejection),
    /// Over the caller's request rate (RATE).
    #[response(status = 429)]
    RateLimited(Rejection),
}
pub(crate) type St = State<Arc<AppState>>;

/// `Json<T>` whose refusals (malformed JSON, wrong types, unknown fields, oversized bodies)
/// are the API's error shape with reason code FF01, not axum's plain text.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> ApiError {
    let status = e.status();
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "SIZE"
    } else {
        "FF01"
    };
    ApiError::new(status, code, e.body_text())
}

/// `Query<T>` with the API's error shape.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError::bad_request(e.body_text())
}

pub(crate) fn created<T: Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

pub(crate) async fn submit(state: &AppState, mut command: HubCommand) -> AppResult<Answer> {
    screen(state, &mut command).await?;
    let answer = state.engine.submit_async(command).await??;
    state.changed();
    Ok(answer)
}

/// Every payment is screened here, on its way to the engine, whichever door it came in by
/// (JSON, ISO 20022, the demo generator), so no path can skip it. Screening is CPU work: it
/// runs on the blocking pool, not on the connections' threads.
pub(crate) async fn screen(state: &AppState, command: &mut HubCommand) -> AppResult<()> {
    let HubCommand::SubmitPayments {
        payments,
        screening,
        ..
    } = command
    else {
        return Ok(());
    };
    let Some(prepared) = state.screening.prepare() else {
        return Ok(());
    };
    let threshold = state
        .hit_threshold
        .load(std::sync::atomic::Ordering::Relaxed);
    let names = state
        .directory
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .participant_names();
    let owned = std::mem::take(payments);
    let (owned, screened) = tokio::task::spawn_blocking(move || {
        let screened = prepared.screen_payments(&owned, threshold, |bic| names.get(&bic).cloned());
        (owned, screened)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAV",
            format!("screening stopped: {e}"),
        )
    })?;
    *payments = owned;
    *screening = screened;
    Ok(())
}

// ---- operations ----------------------------------------------------------------------

#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, description = "The process is up", body = String)))]
pub async fn health() -> &'static str {
    "ok"
}

#[utoipa::path(get, path = "/ready", tag = "operations", responses((status = 200, description = "The engine answers", body = String), (status = 503, description = "The engine is unavailable", body = Rejection)))]
pub async fn ready(State(state): St) -> Response {
    match state.engine.query_async(|_| ()).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text exposition", body = String)))]
pub async fn metrics(State(state): St) -> Response {
    let scraped = state
        .engine
        .query_async(|hub| (hub.queue_depth(), crate::metrics::fx_volume(hub)))
        .await;
    if let Ok((depth, fx)) = scraped {
        state.metrics.queue_depth.set(depth as i64);
        state.metrics.set_fx_volume(&fx);
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        state.metrics.render(),
    )
        .into_response()
}

// ---- participants and accounts (operator) ---------------------------------------------

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdmitRequest {
    pub bic: Bic,
    pub name: String,
    pub country: String,
    pub roles: Vec<ParticipantRole>,
}

#[utoipa::path(post, path = "/v1/participants", tag = "participants", request_body = AdmitRequest, responses((status = 201, body = Participant), (status = 409, description = "Admitted before with other details (DUPL)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn admit(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<AdmitRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let answer = submit(
        &state,
        HubCommand::AdmitParticipant {
            bic: req.bic,
            name: req.name,
            country: req.country,
            roles: req.roles,
        },
    )
    .await?;
    state.refresh_directory().await?;
    Ok(created(answer_json(answer)))
}

#[utoipa::path(get, path = "/v1/participants", tag = "participants", responses((status = 200, body = [Participant]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_participants(State(state): St, _caller: Caller) -> AppResult<Response> {
    let list = state
        .engine
        .query_async(|hub| hub.participants().cloned().collect::<Vec<_>>())
        .await?;
    Ok(Json(list).into_response())
}

#[utoipa::path(get, path = "/v1/participants/{bic}", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_participant(
    State(state): St,
    _caller: Caller,
    Path(bic): Path<String>,
) -> AppResult<Response> {
    let bic = parse_bic(&bic)?;
    let participant = state
        .engine
        .query_async(move |hub| hub.participant(bic).cloned())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("{bic} is not a participant")))?;
    Ok(Json(participant).into_response())
}

#[utoipa::path(post, path = "/v1/participants/{bic}/suspend", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn suspend(state: St, caller: Caller, bic: Path<String>) -> AppResult<Response> {
    set_status(state, caller, bic, ParticipantStatus::Suspended).await
}

#[utoipa::path(post, path = "/v1/participants/{bic}/reinstate", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn reinstate(state: St, caller: Caller, bic: Path<String>) -> AppResult<Response> {
    set_status(state, caller, bic, ParticipantStatus::Active).await
}

async fn set_status(
    State(state): St,
    caller: Caller,
    Path(bic): Path<String>,
    status: ParticipantStatus,
) -> AppResult<Response> {
    caller.require_operator()?;
    let bic = parse_bic(&bic)?;
    let answer = submit(&state, HubCommand::SetParticipantStatus { bic, status }).await?;
    state.refresh_directory().await?;
    Ok(Json(answer_json(answer)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignateRequest {
    pub currency: CurrencyCode,
    /// Decimal places the scheme settles in (2 for RUB, 0 for IRR in whole rials).
    pub exponent: u8,
    pub agent: Bic,
    /// IANA time zone of the currency's operating day ("Europe/Moscow").
    pub time_zone: String,
}

#[utoipa::path(post, path = "/v1/currencies", tag = "participants", request_body = DesignateRequest, responses((status = 201, body = AccountView), (status = 409, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn designate(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<DesignateRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let answer = submit(
        &state,
        HubCommand::DesignateAgent {
            currency: req.currency,
            exponent: req.exponent,
            agent: req.agent,
            time_zone: req.time_zone,
        },
    )
    .await?;
    Ok(created(answer_json_with(&state, answer).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurrencyView {
    currency: CurrencyCode,
    exponent: u8,
    agent: Bic,
    time_zone: String,
}

#[utoipa::path(get, path = "/v1/currencies", tag = "participants", responses((status = 200, body = [CurrencyView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_currencies(State(state): St, _caller: Caller) -> AppResult<Response> {
    let list = state
        .engine
        .query_async(|hub| {
            hub.currencies()
                .map(|c| CurrencyView {
                    currency: c.currency.code,
                    exponent: c.currency.exponent,
                    agent: c.agent,
                    time_zone: c.time_zone.clone(),
                })
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(Json(list).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenAccountRequest {
    pub owner: Bic,
    pub currency: CurrencyCode,
    pub purpose: AccountPurpose,
    /// Net debit cap as a decimal string; none means no overdraft.
    #[serde(default)]
    pub net_debit_cap: Option<String>,
}

#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = OpenAccountRequest, responses((status = 201, body = AccountView), (status = 422, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn open_account(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<OpenAccountRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let cap = match &req.net_debit_cap {
        Some(text) => parse_decimal(&state, text, req.currency).await?,
        None => 0,
    };
    let answer = submit(
        &state,
        HubCommand::OpenAccount {
            owner: req.owner,
            currency: req.currency,
            purpose: req.purpose,
            net_debit_cap: cap,
        },
    )
    .await?;
    Ok(created(answer_json_with(&state, answer).await?))
}

/// An amount in `currency`'s scale, checked at the gateway so a bad one is a 4xx that
/// never reaches the journal.
async fn parse_decimal(state: &AppState, text: &str, currency: CurrencyCode) -> AppResult<u128> {
    let scale = state
        .engine
        .query_async(move |hub| hub.currency(currency))
        .await?
        .ok_or_else(|| {
            ApiError::from(Rejection::new(
                "AM03",
                format!("{currency} is not settled in this scheme"),
            ))
        })?;
    Amount::parse(text, scale)
        .map(Amount::minor)
        .map_err(|e| ApiError::from(Rejection::new(e.reason_code(), e.to_string())))
}

/// Who may see an account: its owner, the settlement agent of its currency, the operator and
/// auditors.
fn may_see_account(
    hub: &corridor_settlement::Hub,
    caller: &Caller,
    account: AccountId,
) -> Option<bool> {
    let info = hub.account(account)?;
    let agent = hub.currency_agent(info.currency).map(|c| c.agent);
    Some(
        caller.sees_everything()
            || caller.bic == Some(info.owner)
            || (caller.role == Role::SettlementAgent && caller.bic == agent),
    )
}

#[utoipa::path(get, path = "/v1/accounts", tag = "accounts", responses((status = 200, description = "The accounts the caller may see", body = [AccountView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_accounts(State(state): St, caller: Caller) -> AppResult<Response> {
    let list = state
        .engine
        .query_async(move |hub| {
            hub.all_accounts()
                .filter(|a| may_see_account(hub, &caller, a.id) == Some(true))
                .map(|a| views::account(hub, a))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(Json(list).into_response())
}

#[utoipa::path(get, path = "/v1/accounts/{id}", tag = "accounts", params(("id" = u64, Path, description = "Account id")), responses((status = 200, body = AccountView), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_account(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = parse_account(&id)?;
    let view = state
        .engine
        .query_async(move |hub| {
            (may_see_account(hub, &caller, id) == Some(true))
                .then(|| hub.account(id).map(|a| views::account(hub, a)))
                .flatten()
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no account {id} you may see")))?;
    Ok(Json(view).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapRequest {
    pub net_debit_cap: String,
}

#[utoipa::path(put, path = "/v1/accounts/{id}/net-debit-cap", tag = "accounts", params(("id" = u64, Path, description = "Account id")), request_body = CapRequest, responses((status = 200, body = AccountView), (status = 404, body = Rejection), (status = 422, description = "The balance already breaks the new cap (AM04)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_cap(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CapRequest>,
) -> AppResult<Response> {
    let id = parse_account(&id)?;
    let currency = state
        .engine
        .query_async(move |hub| {
            hub.account(id)
                .map(|a| (a.currency, hub.currency_agent(a.currency).map(|c| c.agent)))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("account {id} does not exist")))?;
    let (currency, agent) = currency;
    let agent_of_currency = caller.role == Role::SettlementAgent && caller.bic == agent;
    if !caller.is_operator() && !agent_of_currency {
        return Err(ApiError::forbidden(
            "only the operator or the currency's settlement agent sets limits",
        ));
    }
    let cap = parse_decimal(&state, &req.net_debit_cap, currency).await?;
    submit(
        &state,
        HubCommand::SetNetDebitCap {
            account: id,
            net_debit_cap: cap,
        },
    )
    .await?;
    let view = state
        .engine
        .query_async(move |hub| hub.account(id).map(|a| views::account(hub, a)))
        .await?;
    Ok(Json(view).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiquidityRequest {
    /// The agent's idempotency key for this transfer.
    pub reference: String,
    pub participant: Bic,
    pub currency: CurrencyCode,
    pub amount: String,
    pub direction: LiquidityDirection,
    /// Which of the participant's accounts: its settlement account (the default) or, for an
    /// FX provider, its inventory account in the currency.
    pub account: Option<AccountPurpose>,
}

#[utoipa::path(post, path = "/v1/liquidity", tag = "accounts", request_body = LiquidityRequest, responses((status = 201, body = views::LiquidityView), (status = 409, body = Rejection), (status = 422, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn liquidity(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<LiquidityRequest>,
) -> AppResult<Response> {
    if caller.role != Role::SettlementAgent {
        return Err(ApiError::forbidden(
            "only a settlement agent moves liquidity",
        ));
    }
    let agent = caller.participant()?;
    let answer = submit(
        &state,
        HubCommand::Liquidity {
            agent,
            reference: req.reference,
            participant: req.participant,
            currency: req.currency,
            amount: req.amount,
            direction: req.direction,
            account: req.account.unwrap_or(AccountPurpose::Settlement),
        },
    )
    .await?;
    Ok(created(answer_json_with(&state, answer).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CredentialRequest {
    /// "operator", "auditor", "auditor-<name>" or a participant's BIC.
    pub subject: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CredentialView {
    pub subject: String,
    /// Shown once: only its SHA-256 is kept.
    pub token: String,
}

#[utoipa::path(post, path = "/v1/credentials", tag = "participants", request_body = CredentialRequest, responses((status = 201, body = CredentialView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn issue_token(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<CredentialRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let token = crate::server::new_token();
    state.register_token(&token, &req.subject).await?;
    Ok(created(CredentialView {
        subject: req.subject,
        token,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigRequest {
    pub queue_timeout_seconds: u32,
    /// How long a quote stays usable [default: unchanged].
    pub quote_validity_seconds: Option<u32>,
}

#[utoipa::path(put, path = "/v1/config", tag = "operations", request_body = ConfigRequest, responses((status = 200, body = HubConfig), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn configure(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<ConfigRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let current = state.engine.query_async(|hub| hub.config().clone()).await?;
    let config = HubConfig {
        queue_timeout_seconds: req.queue_timeout_seconds,
        quote_validity_seconds: req
            .quote_validity_seconds
            .unwrap_or(current.quote_validity_seconds),
    };
    submit(&state, HubCommand::Configure(config.clone())).await?;
    Ok(Json(config).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndOfDayRequest {
    /// The business day to close, YYYY-MM-DD.
    #[schema(example = "2026-11-24")]
    pub business_date: String,
}

/// The answer to a close.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EndOfDayReceipt {
    pub day: ClosedDay,
    /// The day was closed before: nothing new was sent.
    pub duplicate: bool,
}

/// Closes a business day at the node's clock: each participant's outbox receives the
/// statement (camt.053) of every account it owns, since the previous close. Closing the
/// last closed day again answers it with `duplicate: true`; an earlier day is DT01.
#[utoipa::path(post, path = "/v1/operator/end-of-day", tag = "operations", request_body = EndOfDayRequest, responses((status = 200, body = EndOfDayReceipt), (status = 422, description = "An earlier day than the last closed one, or not a calendar date (DT01)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn end_of_day(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<EndOfDayRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let command = HubCommand::CloseBusinessDay {
        date: req.business_date,
        at: wall_clock(),
    };
    let answer = submit(&state, command).await?;
    let Answer::BusinessDay { day, duplicate } = answer else {
        return Ok(Json(answer_json(answer)).into_response());
    };
    Ok(Json(EndOfDayReceipt { day, duplicate }).into_response())
}

// ---- payments (participants) ------------------------------------------------------------

fn receipt_status(receipt: &PaymentReceipt) -> StatusCode {
    if receipt.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}

#[utoipa::path(post, path = "/v1/payments", tag = "payments", request_body = PaymentInstruction, responses((status = 201, description = "Accepted: settled or queued", body = PaymentReceipt), (status = 200, description = "A retry of an accepted instruction: its first result", body = PaymentReceipt), (status = 409, description = "Instruction id or UETR already used for another payment (DUPL)", body = Rejection), (status = 413, body = Rejection), (status = 422, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok((receipt_status(&receipt), Json(receipt)).into_response())
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

#[utoipa::path(post, path = "/v1/payments/batch", tag = "payments", request_body = BatchRequest, responses((status = 200, description = "One result per payment, in order", body = BatchView), (status = 413, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn submit_batch(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<BatchRequest>,
) -> AppResult<Response> {
    let sender = caller.participant()?;
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
    Ok(Json(view).into_response())
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

#[utoipa::path(get, path = "/v1/payments/{id}", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), responses((status = 200, body = PaymentView), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(Json(view).into_response())
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
    pub after: Option<u64>,
    pub limit: Option<usize>,
    /// For the operator and auditors: whose payments.
    pub participant: Option<Bic>,
}

#[utoipa::path(get, path = "/v1/payments", tag = "payments", params(SearchQuery), responses((status = 200, body = [PaymentSummary]), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
        limit: q.limit.unwrap_or(100).min(1_000),
    };
    if let Some(currency) = q.currency {
        if let Some(text) = &q.min_amount {
            filter.min_amount = Some(parse_decimal(&state, text, currency).await?);
        }
        if let Some(text) = &q.max_amount {
            filter.max_amount = Some(parse_decimal(&state, text, currency).await?);
        }
    }
    let list = state
        .engine
        .query_async(move |hub| {
            hub.search(participant, &filter)
                .into_iter()
                .map(|p| views::summary(hub, p))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(Json(list).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Starts with a reason code: "CUST", "DUPL requested twice".
    pub reason: String,
}

#[utoipa::path(post, path = "/v1/payments/{id}/cancel", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), request_body = CancelRequest, responses((status = 200, body = PaymentReceipt), (status = 404, body = Rejection), (status = 409, description = "Not queued any more (NOCN)", body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(Json(answer_json(answer)).into_response())
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

#[utoipa::path(post, path = "/v1/payments/{id}/return", tag = "payments", params(("id" = String, Path, description = "Payment number or UETR")), request_body = ReturnRequest, responses((status = 201, body = PaymentReceipt), (status = 404, body = Rejection), (status = 422, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok((status, Json(answer_json(answer))).into_response())
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// Engine time in nanoseconds since the epoch, inclusive; default: the beginning.
    pub from: Option<u64>,
    /// Exclusive; default: now.
    pub to: Option<u64>,
    /// Most entries (default 1,000, at most 10,000); the answer's `next_from` continues.
    pub limit: Option<usize>,
    /// `xml` for a camt.053 statement; `Accept: application/xml` asks the same.
    #[param(inline)]
    pub format: Option<MessageFormat>,
}

#[utoipa::path(get, path = "/v1/accounts/{id}/statement", tag = "accounts", params(("id" = u64, Path, description = "Account id"), PeriodQuery), responses((status = 200, body = StatementView), (status = 404, body = Rejection), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn statement(
    State(state): St,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> AppResult<Response> {
    let id = parse_account(&id)?;
    let from = Timestamp(q.from.unwrap_or(0));
    let to = Timestamp(q.to.unwrap_or(u64::MAX));
    if from > to {
        return Err(ApiError::bad_request("from must not be after to"));
    }
    let limit = q
        .limit
        .unwrap_or(1_000)
        .clamp(1, views::MAX_STATEMENT_ENTRIES);
    let format = MessageFormat::choose(q.format, &headers);
    let hub_bic = state.hub_bic;
    let now = wall_clock();
    let rendered = state
        .engine
        .query_async(move |hub| {
            if may_see_account(hub, &caller, id) != Some(true) {
                return None;
            }
            let statement = hub.statement(id, from, to, limit)?;
            Some(match format {
                MessageFormat::Json => Json(views::statement(hub, &statement)).into_response(),
                MessageFormat::Xml => {
                    let outbound = crate::iso_outbound::Outbound { hub, hub_bic };
                    xml_response(outbound.statement(now, &statement).to_xml())
                }
            })
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no account {id} you may see")))?;
    Ok(rendered)
}

// ---- outbox -------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// Messages after this number; default: after the acknowledged cursor.
    pub after: Option<u64>,
    pub limit: Option<usize>,
    /// Long poll: wait up to this many seconds (max 60) for a message.
    pub wait: Option<u64>,
    /// `xml` for ISO 20022 messages (pacs.002, pacs.008, pacs.009, pacs.004, camt.054,
    /// camt.056, camt.029, camt.053); `Accept: application/xml` asks the same.
    #[param(inline)]
    pub format: Option<MessageFormat>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OutboxPage {
    pub messages: Vec<views::OutboxView>,
    pub last_seq: u64,
    pub acknowledged: u64,
}

async fn read_outbox(
    state: &AppState,
    bic: Bic,
    after: Option<u64>,
    limit: usize,
) -> AppResult<OutboxPage> {
    Ok(state
        .engine
        .query_async(move |hub| match hub.outbox(bic) {
            Some(outbox) => OutboxPage {
                messages: outbox
                    .read(after, limit)
                    .iter()
                    .map(|m| views::outbox_message(hub, m))
                    .collect(),
                last_seq: outbox.last_seq(),
                acknowledged: outbox.acknowledged(),
            },
            None => OutboxPage {
                messages: Vec::new(),
                last_seq: 0,
                acknowledged: 0,
            },
        })
        .await?)
}

#[utoipa::path(get, path = "/v1/outbox", tag = "outbox", params(OutboxQuery), responses((status = 200, body = OutboxPage), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn outbox(
    State(state): St,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> AppResult<Response> {
    let bic = caller.participant()?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1_000);
    let format = MessageFormat::choose(q.format, &headers);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(q.wait.unwrap_or(0).min(60));
    let mut changes = state.changes.subscribe();
    loop {
        let page = read_outbox(&state, bic, q.after, limit).await?;
        if !page.messages.is_empty() || tokio::time::Instant::now() >= deadline {
            return match format {
                MessageFormat::Json => Ok(Json(page).into_response()),
                MessageFormat::Xml => outbox_xml_page(&state, bic, q.after, limit).await,
            };
        }
        if tokio::time::timeout_at(deadline, changes.changed())
            .await
            .is_err()
        {
            continue;
        }
    }
}

/// The outbox page as ISO 20022, read in one query so the numbers match the messages.
async fn outbox_xml_page(
    state: &AppState,
    bic: Bic,
    after: Option<u64>,
    limit: usize,
) -> AppResult<Response> {
    let hub_bic = state.hub_bic;
    let xml = state
        .engine
        .query_async(move |hub| {
            let Some(outbox) = hub.outbox(bic) else {
                return crate::iso_api::outbox_xml(hub, hub_bic, bic, &[], 0, 0);
            };
            let messages = outbox.read(after, limit);
            crate::iso_api::outbox_xml(
                hub,
                hub_bic,
                bic,
                &messages,
                outbox.last_seq(),
                outbox.acknowledged(),
            )
        })
        .await?;
    Ok(xml_response(xml))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    pub up_to: u64,
}

#[utoipa::path(post, path = "/v1/outbox/ack", tag = "outbox", request_body = AckRequest, responses((status = 200, body = OutboxPage), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn acknowledge(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<AckRequest>,
) -> AppResult<Response> {
    let participant = caller.participant()?;
    submit(
        &state,
        HubCommand::AcknowledgeOutbox {
            participant,
            up_to: req.up_to,
        },
    )
    .await?;
    let page = read_outbox(&state, participant, None, 0).await?;
    Ok(Json(page).into_response())
}

/// Server-sent events: every outbox message after `after` (default: the acknowledged
/// cursor), as it arrives. The event id is the message number, so a client reconnects with
/// `after=<last id>` and misses nothing.
#[utoipa::path(get, path = "/v1/outbox/stream", tag = "outbox", params(OutboxQuery), responses((status = 200, description = "text/event-stream: one event per outbox message, id = its number", content_type = "text/event-stream", body = String), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn outbox_stream(
    State(state): St,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<OutboxQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let bic = caller.participant()?;
    let format = MessageFormat::choose(q.format, &headers);
    let first = read_outbox(&state, bic, q.after, 0).await?;
    let cursor = q.after.unwrap_or(first.acknowledged);
    let stream = futures_util::stream::unfold(
        (state, cursor, Vec::<(u64, String)>::new().into_iter()),
        move |(state, mut cursor, mut pending)| async move {
            let mut changes = state.changes.subscribe();
            loop {
                if let Some((seq, data)) = pending.next() {
                    cursor = seq;
                    let event = Event::default().id(seq.to_string()).data(data);
                    return Some((Ok(event), (state, cursor, pending)));
                }
                match rendered_outbox(&state, bic, cursor, format).await {
                    Ok(page) if !page.is_empty() => pending = page.into_iter(),
                    Ok(_) => {
                        if changes.changed().await.is_err() {
                            return None;
                        }
                    }
                    Err(_) => return None,
                }
            }
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

/// The next outbox messages after `after`, each numbered and written in `format`: the
/// flat JSON view, or a `Message` element of ISO 20022 AppHdr + Document pairs.
async fn rendered_outbox(
    state: &AppState,
    bic: Bic,
    after: u64,
    format: MessageFormat,
) -> AppResult<Vec<(u64, String)>> {
    let hub_bic = state.hub_bic;
    Ok(state
        .engine
        .query_async(move |hub| {
            let Some(outbox) = hub.outbox(bic) else {
                return Vec::new();
            };
            let outbound = crate::iso_outbound::Outbound { hub, hub_bic };
            outbox
                .read(Some(after), 100)
                .iter()
                .map(|m| {
                    let data = match format {
                        MessageFormat::Json => {
                            serde_json::to_string(&views::outbox_message(hub, m))
                                .unwrap_or_default()
                        }
                        MessageFormat::Xml => crate::iso_api::outbox_message_xml(&outbound, bic, m),
                    };
                    (m.seq, data)
                })
                .collect()
        })
        .await?)
}

// ---- helpers ------------------------------------------------------------------------------

fn parse_bic(text: &str) -> AppResult<Bic> {
    text.parse().map_err(|e: corridor_core::IdError| {
        ApiError::new(StatusCode::BAD_REQUEST, e.reason_code(), e.to_string())
    })
}

fn parse_account(text: &str) -> AppResult<AccountId> {
    text.parse().map_err(|e: corridor_core::IdError| {
        ApiError::new(StatusCode::BAD_REQUEST, e.reason_code(), e.to_string())
    })
}

pub(crate) fn answer_json(answer: Answer) -> serde_json::Value {
    match answer {
        Answer::Done => serde_json::json!({ "ok": true }),
        Answer::Participant(p) => serde_json::to_value(p).unwrap_or_default(),
        Answer::Account(a) => serde_json::to_value(a).unwrap_or_default(),
        Answer::Liquidity(l) => serde_json::to_value(l).unwrap_or_default(),
        Answer::Payments(r) => serde_json::to_value(r).unwrap_or_default(),
        Answer::Payment(r) => serde_json::to_value(r).unwrap_or_default(),
        Answer::RateSheet(s) => serde_json::to_value(s).unwrap_or_default(),
        Answer::ReferenceRates(r) => serde_json::to_value(r).unwrap_or_default(),
        Answer::Quote(q) => serde_json::to_value(q).unwrap_or_default(),
        Answer::Hold(h) => serde_json::to_value(h).unwrap_or_default(),
        Answer::Recall { recall, duplicate } => {
            serde_json::json!({ "recall": recall, "duplicate": duplicate })
        }
        Answer::BusinessDay { day, duplicate } => {
            serde_json::json!({ "day": day, "duplicate": duplicate })
        }
    }
}

/// Like [`answer_json`], but an account is shown with its balances and a liquidity
/// transfer with its amount as a decimal.
async fn answer_json_with(state: &AppState, answer: Answer) -> AppResult<serde_json::Value> {
    if let Answer::Liquidity(record) = &answer {
        let record = record.clone();
        let view = state
            .engine
            .query_async(move |hub| views::liquidity(hub, &record))
            .await?;
        return Ok(serde_json::to_value(view).unwrap_or_default());
    }
    if let Answer::Account(info) = &answer {
        let id = info.id;
        let view = state
            .engine
            .query_async(move |hub| hub.account(id).map(|a| views::account(hub, a)))
            .await?;
        return Ok(serde_json::to_value(view).unwrap_or_default());
    }
    Ok(answer_json(answer))
}
