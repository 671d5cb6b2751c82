//! Limits and reservations over HTTP: a bank reads and sets its own, on its settlement
//! account in one currency; the operator reads and sets any bank's (an override the
//! journal and the audit chain record as the operator's); auditors read.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corridor_core::{Bic, CurrencyCode, Timestamp};
use corridor_settlement::{HubCommand, LiquidityControlsRequest};
use serde::Serialize;

use crate::auth::Caller;
use crate::calendar_api::currency;
use crate::endpoint::{ApiJson, Refusals, St, parse_bic};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::submit::submit;
use crate::views::{decimal_in, signed_decimal_in};

/// A bilateral limit and the position it bounds.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BilateralLimitView {
    #[schema(value_type = String)]
    pub counterparty: Bic,
    pub limit: String,
    /// Normal payments sent to the counterparty less every payment received from it,
    /// since the start of the business day; negative when more came in.
    pub position: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LiquidityControlsView {
    #[schema(value_type = String)]
    pub participant: Bic,
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    pub urgent_reserve: String,
    pub high_reserve: String,
    pub multilateral_limit: Option<String>,
    /// The position toward every participant without a bilateral limit.
    pub multilateral_position: String,
    pub bilateral_limits: Vec<BilateralLimitView>,
    /// `participant:<BIC>` or `operator`.
    pub set_by: String,
    pub set_at: Option<Timestamp>,
}

/// A bank acts on its own account only; the operator and auditors on any.
fn allowed(caller: &Caller, participant: Bic) -> Result<(), ApiError> {
    if caller.sees_everything() || caller.bic == Some(participant) {
        return Ok(());
    }
    Err(ApiError::forbidden(format!(
        "a bank sees and sets its own limits and reservations only, not {participant}'s"
    )))
}

#[utoipa::path(get, path = "/v1/participants/{bic}/liquidity-controls/{currency}", tag = "operations", params(("bic" = String, Path, description = "BIC"), ("currency" = String, Path, description = "ISO 4217 code")), responses((status = 200, body = LiquidityControlsView), (status = 404, description = "No limits or reservations set (NOTF)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_controls(
    State(state): St,
    caller: Caller,
    Path((bic, code)): Path<(String, String)>,
) -> AppResult<Response> {
    let participant = parse_bic(&bic)?;
    let code = currency(&code)?;
    allowed(&caller, participant)?;
    let view = state
        .engine
        .query_async(move |hub| {
            let scale = hub.currency(code)?;
            let (controls, positions) = hub.liquidity_controls(participant, code)?;
            let position = |b: &Bic| positions.bilateral.get(b).copied().unwrap_or(0);
            Some(LiquidityControlsView {
                participant,
                currency: code,
                urgent_reserve: decimal_in(scale, controls.urgent_reserve),
                high_reserve: decimal_in(scale, controls.high_reserve),
                multilateral_limit: controls.multilateral_limit.map(|l| decimal_in(scale, l)),
                multilateral_position: signed_decimal_in(scale, positions.multilateral(&controls)),
                bilateral_limits: controls
                    .bilateral_limits
                    .iter()
                    .map(|(b, limit)| BilateralLimitView {
                        counterparty: *b,
                        limit: decimal_in(scale, *limit),
                        position: signed_decimal_in(scale, position(b)),
                    })
                    .collect(),
                set_by: controls.set_by.clone(),
                set_at: controls.set_at,
            })
        })
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "{participant} has no limits or reservations in {code}"
            ))
        })?;
    Ok(ApiJson(view).into_response())
}

#[utoipa::path(put, path = "/v1/participants/{bic}/liquidity-controls/{currency}", tag = "operations", params(("bic" = String, Path, description = "BIC"), ("currency" = String, Path, description = "ISO 4217 code")), request_body = LiquidityControlsRequest, responses((status = 200, body = corridor_settlement::LiquidityControls), (status = 400, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_controls(
    State(state): St,
    caller: Caller,
    Path((bic, code)): Path<(String, String)>,
    ApiJson(request): ApiJson<LiquidityControlsRequest>,
) -> AppResult<Response> {
    let participant = parse_bic(&bic)?;
    let code = currency(&code)?;
    let requested_by = if caller.is_operator() {
        None
    } else {
        Some(caller.participant()?)
    };
    let answer = submit(
        &state,
        HubCommand::SetLiquidityControls {
            participant,
            currency: code,
            controls: request,
            requested_by,
        },
    )
    .await?;
    Ok(ApiJson(crate::endpoint::answer_json(answer)?).into_response())
}
