//! The operator's and the banks' administration endpoints: health, readiness and metrics,
//! participants and their status, currencies and their agents, accounts, net debit caps,
//! liquidity, development credentials, the hub's configuration, closing a business day, and
//! account statements (JSON or camt.053). Each handler authorises the caller, then either
//! submits one hub command through the engine (and answers once it is durable) or reads the
//! hub in a query. No handler changes state itself.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use corridor_core::{AccountId, Bic, CurrencyCode, Timestamp};
use corridor_engine::Role as EngineRole;
use corridor_settlement::{
    AccountPurpose, Answer, ClosedDay, HubCommand, HubConfig, LiquidityDirection, Participant,
    ParticipantRole, ParticipantStatus,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Caller, Role};
use crate::endpoint::{
    ApiJson, ApiQuery, Refusals, St, answer_json, answer_json_with, created, parse_account,
    parse_bic, parse_decimal, render_off_engine,
};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::iso_api::{MessageFormat, wall_clock, xml_response};
use crate::iso_outbound::Outbound;
use crate::outbound_facts::OutboundFacts;
use crate::page::ListQuery;
use crate::state::AppState;
use crate::submit::submit;
use crate::views::{self, AccountView, StatementView};

// ---- operations ----------------------------------------------------------------------

/// The node's role, for operators and monitoring.
#[derive(Debug, Serialize, ToSchema)]
pub struct HealthView {
    /// `ok`, or `failed` once the journal refused this writer (it is stepping down).
    pub status: &'static str,
    /// `writer` or `standby`.
    pub role: &'static str,
    /// `embedded` or `postgresql`.
    pub journal: &'static str,
    /// On a shared journal, the lease epoch this writer holds or a standby last saw (0 on
    /// the embedded journal).
    pub epoch: u64,
    /// The last journal record this node's state reflects.
    pub applied_seq: u64,
}

#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, description = "The process is up; its role and how far it has applied the journal", body = HealthView)))]
pub async fn health(State(state): St) -> Json<HealthView> {
    let engine = state.engine.status();
    let role = match engine.role {
        EngineRole::Writer => "writer",
        EngineRole::Standby => "standby",
    };
    Json(HealthView {
        status: if engine.failure.is_some() {
            "failed"
        } else {
            "ok"
        },
        role,
        journal: if state.replication.is_some() {
            "postgresql"
        } else {
            "embedded"
        },
        epoch: state.replication.as_ref().map_or(0, |r| r.epoch()),
        applied_seq: engine.applied_seq,
    })
}

/// 200 on the writer only (on a shared journal: the one whose lease is current), so a load
/// balancer sends traffic there.
#[utoipa::path(get, path = "/ready", tag = "operations", responses((status = 200, description = "The writer, taking instructions", body = String), (status = 503, description = "A standby, or the engine is unavailable", body = ErrorBody)))]
pub async fn ready(State(state): St) -> Response {
    let engine = state.engine.status();
    let writing = engine.role == EngineRole::Writer
        && engine.failure.is_none()
        && state.replication.as_ref().is_none_or(|r| r.holds_lease());
    if !writing {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STBY",
            "this node is not the writer".to_string(),
        )
        .into_response();
    }
    match state.engine.query_async(|_| ()).await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// Only the operator and auditors: the figures describe every bank's traffic. A scraper
/// without credentials reads them on the node's `--metrics-listen` address instead.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text exposition", body = String), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn metrics(State(state): St, caller: Caller) -> AppResult<Response> {
    if !caller.sees_everything() {
        return Err(ApiError::forbidden(
            "only the operator and auditors may read the metrics",
        ));
    }
    Ok(scrape(&state).await)
}

/// The Prometheus text exposition, with the figures read from the hub at scrape time.
pub async fn scrape(state: &AppState) -> Response {
    let now = wall_clock();
    let scraped = state
        .engine
        .query_async(move |hub| {
            let phases: Vec<_> = hub
                .currencies()
                .map(|c| hub.currency_phase(c.currency.code, now))
                .collect();
            (
                hub.queue_depth(),
                crate::metrics::fx_volume(hub),
                hub.warehoused_count(),
                phases,
                crate::metrics::liquidity(hub),
            )
        })
        .await;
    if let Ok((depth, fx, warehoused, phases, liquidity)) = scraped {
        state.metrics.set_liquidity(&liquidity);
        state.metrics.queue_depth.set(depth as i64);
        state.metrics.set_fx_volume(&fx);
        state.metrics.warehoused.set(warehoused as i64);
        state.metrics.set_phases(&phases);
    }
    let text = match state.metrics.exposition() {
        Ok(text) => text,
        Err(e) => return ApiError::unwritable("the metrics", e).into_response(),
    };
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        text,
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

#[utoipa::path(post, path = "/v1/participants", tag = "participants", request_body = AdmitRequest, responses((status = 201, body = Participant), (status = 409, description = "Admitted before with other details (DUPL)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(created(answer_json(answer)?))
}

/// The participants in BIC order, a page at a time (the cursor is the last BIC).
#[utoipa::path(get, path = "/v1/participants", tag = "participants", params(ListQuery), responses((status = 200, body = [Participant]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_participants(
    State(state): St,
    _caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page = q.page::<Bic>()?;
    let list = state
        .engine
        .query_async(move |hub| page.of(hub.participants(), |p| p.bic, |p| Some(p.clone())))
        .await?;
    Ok(list.into_response())
}

#[utoipa::path(get, path = "/v1/participants/{bic}", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(ApiJson(participant).into_response())
}

#[utoipa::path(post, path = "/v1/participants/{bic}/suspend", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn suspend(state: St, caller: Caller, bic: Path<String>) -> AppResult<Response> {
    set_status(state, caller, bic, ParticipantStatus::Suspended).await
}

#[utoipa::path(post, path = "/v1/participants/{bic}/reinstate", tag = "participants", params(("bic" = String, Path, description = "BIC")), responses((status = 200, body = Participant), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(ApiJson(answer_json(answer)?).into_response())
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

#[utoipa::path(post, path = "/v1/currencies", tag = "participants", request_body = DesignateRequest, responses((status = 201, body = AccountView), (status = 409, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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

/// Not paged: a currency is designated by the operator alone, one per ISO 4217 code, so
/// the list stays a few dozen entries long (a few hundred at the very most).
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
    Ok(ApiJson(list).into_response())
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

#[utoipa::path(post, path = "/v1/accounts", tag = "accounts", request_body = OpenAccountRequest, responses((status = 201, body = AccountView), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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

/// The accounts the caller may see in id order, a page at a time (the cursor is the last
/// account id examined).
#[utoipa::path(get, path = "/v1/accounts", tag = "accounts", params(ListQuery), responses((status = 200, description = "The accounts the caller may see", body = [AccountView]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_accounts(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page = q.page::<AccountId>()?;
    let list = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.all_accounts(),
                |a| a.id,
                |a| {
                    (may_see_account(hub, &caller, a.id) == Some(true))
                        .then(|| views::account(hub, a))
                },
            )
        })
        .await?;
    Ok(list.into_response())
}

#[utoipa::path(get, path = "/v1/accounts/{id}", tag = "accounts", params(("id" = u64, Path, description = "Account id")), responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    Ok(ApiJson(view).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapRequest {
    pub net_debit_cap: String,
}

#[utoipa::path(put, path = "/v1/accounts/{id}/net-debit-cap", tag = "accounts", params(("id" = u64, Path, description = "Account id")), request_body = CapRequest, responses((status = 200, body = AccountView), (status = 404, body = ErrorBody), (status = 422, description = "The balance already breaks the new cap (AM04)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_cap(
    State(state): St,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<CapRequest>,
) -> AppResult<Response> {
    let id = parse_account(&id)?;
    let caller_bic = caller.bic;
    let found = state
        .engine
        .query_async(move |hub| {
            let suspended = caller_bic
                .and_then(|bic| hub.participant(bic))
                .is_some_and(|p| !p.is_active());
            hub.account(id).map(|a| {
                let agent = hub.currency_agent(a.currency).map(|c| c.agent);
                (a.currency, agent, suspended)
            })
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("account {id} does not exist")))?;
    let (currency, agent, suspended) = found;
    let agent_of_currency = caller.role == Role::SettlementAgent && caller.bic == agent;
    if !caller.is_operator() && !agent_of_currency {
        return Err(ApiError::forbidden(
            "only the operator or the currency's settlement agent sets limits",
        ));
    }
    // The command names no agent, so the hub cannot refuse a suspended one itself.
    if agent_of_currency && suspended {
        return Err(ApiError::forbidden(format!(
            "{} is suspended: it may only read",
            caller.bic.map(|b| b.to_string()).unwrap_or_default()
        )));
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
    Ok(ApiJson(view).into_response())
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

#[utoipa::path(post, path = "/v1/liquidity", tag = "accounts", request_body = LiquidityRequest, responses((status = 201, body = views::LiquidityView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    /// Refused from this instant on.
    pub expires_at: Timestamp,
}

#[utoipa::path(post, path = "/v1/credentials", tag = "participants", request_body = CredentialRequest, responses((status = 201, body = CredentialView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn issue_token(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<CredentialRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let token = crate::auth::new_token();
    let expires_at = state.register_token(&token, &req.subject).await?;
    Ok(created(CredentialView {
        subject: req.subject,
        token,
        expires_at,
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
    Ok(ApiJson(config).into_response())
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
#[utoipa::path(post, path = "/v1/operator/end-of-day", tag = "operations", request_body = EndOfDayRequest, responses((status = 200, body = EndOfDayReceipt), (status = 422, description = "An earlier day than the last closed one, or not a calendar date (DT01)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
        return Ok(ApiJson(answer_json(answer)?).into_response());
    };
    Ok(ApiJson(EndOfDayReceipt { day, duplicate }).into_response())
}

// ---- statements -------------------------------------------------------------------------

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

#[utoipa::path(get, path = "/v1/accounts/{id}/statement", tag = "accounts", params(("id" = u64, Path, description = "Account id"), PeriodQuery), responses((status = 200, body = StatementView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
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
    // The engine thread only copies the statement and what it refers to; a page of up to
    // 10,000 entries is written afterwards, off that thread.
    let (statement, facts) = state
        .engine
        .query_async(move |hub| {
            if may_see_account(hub, &caller, id) != Some(true) {
                return None;
            }
            let statement = hub.statement(id, from, to, limit)?;
            let facts = match format {
                MessageFormat::Json => OutboundFacts::scales(hub),
                MessageFormat::Xml => OutboundFacts::of_statement(hub, &statement),
            };
            Some((statement, facts))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no account {id} you may see")))?;
    render_off_engine("the statement", move || match format {
        MessageFormat::Json => ApiJson(views::statement(&facts, &statement)).into_response(),
        MessageFormat::Xml => {
            let outbound = Outbound::new(&facts, hub_bic);
            xml_response(outbound.statement(now, &statement, None).to_xml())
        }
    })
    .await
}
