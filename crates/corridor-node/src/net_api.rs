//! Deferred net settlement over HTTP: the operator sets a currency's net settlement and
//! closes or aborts its windows; everyone admitted reads the windows, a bank with only its
//! own position in each (the operator and auditors see every participant's).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corridor_core::{Bic, Currency, CurrencyCode, Timestamp};
use corridor_settlement::{
    HubCommand, NetSettlementRequest, NetWindow, NetWindowAction, Rejection, WindowState,
};
use serde::Serialize;

use crate::auth::Caller;
use crate::calendar_api::currency;
use crate::endpoint::{ApiJson, Refusals, St, answer_json};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::submit::submit;
use crate::views::{decimal_in, signed_decimal_in};

/// Windows one read shows, the newest first.
const WINDOWS_SHOWN: usize = 20;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PositionView {
    #[schema(value_type = String)]
    pub participant: Bic,
    /// Received less sent; negative: a net debit.
    pub position: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WindowView {
    pub id: u64,
    pub state: WindowState,
    pub opened_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    pub default_at: Option<Timestamp>,
    pub settled_at: Option<Timestamp>,
    /// Payments in the window and their value: the scheme's figures, for the operator and
    /// auditors only (a bank reads its own position).
    pub payments: Option<u64>,
    pub value: Option<String>,
    pub positions: Vec<PositionView>,
    #[schema(value_type = Vec<String>)]
    pub defaulted: Vec<Bic>,
    pub reason: Option<Rejection>,
    pub transfers: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NetSettlementView {
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    /// Normal payments up to this amount settle net; absent: net settlement off.
    pub up_to_amount: Option<String>,
    pub default_after_seconds: u32,
    /// A window closes this long after it opened; absent: at the end of day or by the
    /// operator.
    pub window_seconds: Option<u32>,
    /// Each participant's net debit cap (a bank sees its own).
    pub net_debit_caps: Vec<PositionView>,
    pub windows: Vec<WindowView>,
}

/// Window `w` as `bank` may see it (everything when `None`). Reads counters only: a window
/// may hold many payments.
fn window_view(scale: Currency, w: &NetWindow, bank: Option<Bic>) -> WindowView {
    let mine = |b: &Bic| bank.is_none_or(|x| x == *b);
    let scheme = bank.is_none();
    WindowView {
        id: w.id,
        state: w.state,
        opened_at: w.opened_at,
        closed_at: w.closed_at,
        default_at: w.default_at,
        settled_at: w.settled_at,
        payments: scheme.then_some(w.payments.len() as u64),
        value: scheme.then(|| decimal_in(scale, w.value)),
        positions: w
            .positions
            .iter()
            .filter(|(b, _)| mine(b))
            .map(|(b, p)| PositionView {
                participant: *b,
                position: signed_decimal_in(scale, *p),
            })
            .collect(),
        defaulted: w.defaulted.iter().copied().filter(|b| mine(b)).collect(),
        reason: w.reason.clone(),
        transfers: w.transfers.len(),
    }
}

#[utoipa::path(get, path = "/v1/net-settlement/{currency}", tag = "operations", params(("currency" = String, Path, description = "ISO 4217 code")), responses((status = 200, body = NetSettlementView), (status = 404, description = "No net settlement in this currency (NOTF)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_net(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
) -> AppResult<Response> {
    let code = currency(&code)?;
    let bank = if caller.sees_everything() {
        None
    } else {
        Some(caller.participant()?)
    };
    let view = state
        .engine
        .query_async(move |hub| {
            let scale = hub.currency(code)?;
            let config = hub.net_settlement_config(code)?;
            Some(NetSettlementView {
                currency: code,
                up_to_amount: config.up_to_amount.map(|a| decimal_in(scale, a)),
                default_after_seconds: config.default_after_seconds,
                window_seconds: config.window_seconds,
                net_debit_caps: config
                    .net_debit_caps
                    .iter()
                    .filter(|(b, _)| bank.is_none_or(|x| x == **b))
                    .map(|(b, cap)| PositionView {
                        participant: *b,
                        position: decimal_in(scale, *cap),
                    })
                    .collect(),
                windows: hub
                    .net_windows(code, WINDOWS_SHOWN)
                    .into_iter()
                    .map(|w| window_view(scale, w, bank))
                    .collect(),
            })
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("{code} has no net settlement")))?;
    Ok(ApiJson(view).into_response())
}

#[utoipa::path(put, path = "/v1/net-settlement/{currency}", tag = "operations", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = NetSettlementRequest, responses((status = 200, description = "Set"), (status = 400, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_net(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(settings): ApiJson<NetSettlementRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let currency = currency(&code)?;
    let answer = submit(
        &state,
        HubCommand::ConfigureNetSettlement { currency, settings },
    )
    .await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}

#[utoipa::path(post, path = "/v1/net-settlement/{currency}/windows", tag = "operations", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = NetWindowAction, responses((status = 200, description = "Done"), (status = 400, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn window_action(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(action): ApiJson<NetWindowAction>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let currency = currency(&code)?;
    let answer = submit(&state, HubCommand::NetWindow { currency, action }).await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}
