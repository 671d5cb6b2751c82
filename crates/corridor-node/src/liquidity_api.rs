//! Liquidity saving over HTTP: the operator sets it (offsetting on entry, how often the
//! queue optimisation runs, how much one run may do) and may run it, or one of its
//! algorithms, at once; everyone reads what it did. A bank
//! sees only its own figures (what it sent, what it has queued); the operator and auditors
//! see the whole scheme's.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corridor_core::CurrencyCode;
use corridor_settlement::{Algorithm, HubCommand, LiquiditySavingConfig, SettledBy};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::calendar_api::currency;
use crate::endpoint::{ApiJson, Refusals, St, answer_json};
use crate::error::{AppResult, ErrorBody};
use crate::iso_api::wall_clock;
use crate::submit::submit;
use crate::views::decimal_in;

/// Settled one way: how many payments and their value.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SettledView {
    pub by: SettledBy,
    pub payments: u64,
    pub value: String,
}

/// One currency's figures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CurrencySaving {
    #[schema(value_type = String)]
    pub currency: CurrencyCode,
    pub settled: Vec<SettledView>,
    /// Value settled by offsetting and the optimisation, over all value settled.
    pub saved_share_bps: u32,
    pub queued_payments: u64,
    pub queued_value: String,
    /// Seconds the oldest queued payment has waited.
    pub oldest_queued_age_seconds: Option<u64>,
    /// Optimisation runs that found nothing to settle while payments waited (the scheme's
    /// figure; 0 for a bank).
    pub gridlocks: u64,
    /// Since the business day began: value settled.
    pub settled_today: String,
    /// Since the business day began: the sum over accounts of the largest net debit their
    /// payments reached, the liquidity the day needed.
    pub liquidity_used: String,
    /// Value settled today per unit of liquidity used, in hundredths (250: 2.5 times);
    /// absent while no liquidity was used.
    pub liquidity_efficiency_percent: Option<u64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LiquiditySavingView {
    pub config: LiquiditySavingConfig,
    pub currencies: Vec<CurrencySaving>,
}

#[utoipa::path(get, path = "/v1/liquidity-saving", tag = "operations", responses((status = 200, body = LiquiditySavingView), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_saving(State(state): St, caller: Caller) -> AppResult<Response> {
    let sender = if caller.sees_everything() {
        None
    } else {
        Some(caller.participant()?)
    };
    let now = wall_clock();
    let view = state
        .engine
        .query_async(move |hub| LiquiditySavingView {
            config: hub.liquidity_saving_config().clone(),
            currencies: hub
                .currencies()
                .map(|c| {
                    let code = c.currency.code;
                    let settled = hub.settled_by(Some(code), sender);
                    let total: u128 = settled.values().map(|s| s.value).sum();
                    let saved: u128 = settled
                        .iter()
                        .filter(|((_, by), _)| *by != SettledBy::Gross)
                        .map(|(_, s)| s.value)
                        .sum();
                    let queue = hub.queue_summary(code, sender);
                    let (settled_today, used) = hub.settled_today(code, sender);
                    CurrencySaving {
                        currency: code,
                        settled: settled
                            .iter()
                            .map(|((_, by), s)| SettledView {
                                by: *by,
                                payments: s.payments,
                                value: decimal_in(c.currency, s.value),
                            })
                            .collect(),
                        saved_share_bps: saved
                            .saturating_mul(10_000)
                            .checked_div(total)
                            .map_or(0, |bps| u32::try_from(bps).unwrap_or(10_000)),
                        queued_payments: queue.payments,
                        queued_value: decimal_in(c.currency, queue.value),
                        oldest_queued_age_seconds: queue
                            .oldest_received_at
                            .map(|t| now.0.saturating_sub(t.0) / 1_000_000_000),
                        gridlocks: if sender.is_none() {
                            hub.gridlocks(code)
                        } else {
                            0
                        },
                        settled_today: decimal_in(c.currency, settled_today),
                        liquidity_used: decimal_in(c.currency, used),
                        liquidity_efficiency_percent: settled_today
                            .saturating_mul(100)
                            .checked_div(used)
                            .map(|p| u64::try_from(p).unwrap_or(u64::MAX)),
                    }
                })
                .collect(),
        })
        .await?;
    Ok(ApiJson(view).into_response())
}

#[utoipa::path(put, path = "/v1/liquidity-saving", tag = "operations", request_body = LiquiditySavingConfig, responses((status = 200, body = LiquiditySavingConfig), (status = 400, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_saving(
    State(state): St,
    caller: Caller,
    ApiJson(config): ApiJson<LiquiditySavingConfig>,
) -> AppResult<Response> {
    caller.require_operator()?;
    submit(&state, HubCommand::ConfigureLiquiditySaving(config.clone())).await?;
    Ok(ApiJson(config).into_response())
}

/// Which algorithm to run; absent: the whole sequence.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    #[serde(default)]
    pub algorithm: Option<Algorithm>,
}

#[utoipa::path(post, path = "/v1/liquidity-saving/{currency}/runs", tag = "operations", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = RunRequest, responses((status = 200, description = "Ran"), (status = 400, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn run_optimisation(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(request): ApiJson<RunRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let currency = currency(&code)?;
    let answer = submit(
        &state,
        HubCommand::RunOptimisation {
            currency,
            algorithm: request.algorithm,
        },
    )
    .await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}
