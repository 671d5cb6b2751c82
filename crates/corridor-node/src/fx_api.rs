//! The FX endpoints: providers publish rate sheets, settlement agents publish reference
//! rates, banks ask for quotes. A quote is then paid with `POST /v1/payments` and the
//! quote's id in `quote`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use corridor_settlement::fx::sheet::{RateSheetRequest, ReferenceRateRequest};
use corridor_settlement::{Answer, HubCommand, QuoteRequest};
use serde::Deserialize;

use crate::auth::{Caller, Role};
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, created};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::page::{ListQuery, Page};
use crate::submit::submit;
use crate::views::{self, QuoteView, RateSheetView, ReferenceRateView};

fn unexpected(answer: &Answer) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "NARR",
        format!("unexpected answer from the hub: {answer:?}"),
    )
}

#[utoipa::path(post, path = "/v1/fx/rate-sheets", tag = "fx", request_body = RateSheetRequest, responses((status = 201, description = "Published: it replaces the provider's previous sheet", body = RateSheetView), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn publish_sheet(
    State(state): St,
    caller: Caller,
    ApiJson(sheet): ApiJson<RateSheetRequest>,
) -> AppResult<Response> {
    let provider = caller.participant()?;
    let answer = submit(&state, HubCommand::PublishRateSheet { provider, sheet }).await?;
    let Answer::RateSheet(sheet) = answer else {
        return Err(unexpected(&answer));
    };
    let view = state
        .engine
        .query_async(move |hub| views::rate_sheet(hub, &sheet))
        .await?;
    Ok(created(view))
}

/// Every version of the sheets the caller may see: a provider its own, the operator and
/// auditors all of them.
#[utoipa::path(get, path = "/v1/fx/rate-sheets", tag = "fx", params(SheetQuery), responses((status = 200, body = Vec<RateSheetView>), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_sheets(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<SheetQuery>,
) -> AppResult<Response> {
    if !caller.sees_everything() {
        caller.participant()?;
    }
    let page = Page::new(q.after, q.limit);
    let views = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.rate_sheets().iter(),
                |s| s.version,
                |s| {
                    (caller.sees_everything() || caller.bic == Some(s.provider))
                        .then(|| views::rate_sheet(hub, s))
                },
            )
        })
        .await?;
    Ok(views.into_response())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SheetQuery {
    /// Sheets with a version above this: the previous page's `next-cursor`.
    pub after: Option<u64>,
    /// At most this many (100 by default, 1,000 at most).
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRatesRequest {
    pub rates: Vec<ReferenceRateRequest>,
}

#[utoipa::path(post, path = "/v1/fx/reference-rates", tag = "fx", request_body = ReferenceRatesRequest, responses((status = 201, body = Vec<ReferenceRateView>), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn publish_reference_rates(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<ReferenceRatesRequest>,
) -> AppResult<Response> {
    if caller.role != Role::SettlementAgent {
        return Err(ApiError::forbidden(
            "only a settlement agent publishes reference rates",
        ));
    }
    let agent = caller.participant()?;
    let answer = submit(
        &state,
        HubCommand::PublishReferenceRates {
            agent,
            rates: req.rates,
        },
    )
    .await?;
    let Answer::ReferenceRates(rates) = answer else {
        return Err(unexpected(&answer));
    };
    Ok(created(
        rates.iter().map(views::reference_rate).collect::<Vec<_>>(),
    ))
}

/// Every reference rate published, oldest first, a page at a time (the cursor is the last
/// version): official rates are public to the scheme.
#[utoipa::path(get, path = "/v1/fx/reference-rates", tag = "fx", params(ListQuery), responses((status = 200, body = Vec<ReferenceRateView>), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_reference_rates(
    State(state): St,
    _caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    let page = q.page::<u64>()?;
    let views = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.reference_rates().iter(),
                |r| r.version,
                |r| Some(views::reference_rate(r)),
            )
        })
        .await?;
    Ok(views.into_response())
}

#[utoipa::path(post, path = "/v1/fx/quotes", tag = "fx", request_body = QuoteRequest, responses((status = 201, description = "Locked until expires_at", body = QuoteView), (status = 422, description = "No provider can convert (FXNR), unknown currency, bad amount", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn request_quote(
    State(state): St,
    caller: Caller,
    ApiJson(request): ApiJson<QuoteRequest>,
) -> AppResult<Response> {
    let requester = caller.participant()?;
    let answer = submit(&state, HubCommand::RequestQuote { requester, request }).await?;
    let Answer::Quote(quote) = answer else {
        return Err(unexpected(&answer));
    };
    let view = state
        .engine
        .query_async(move |hub| views::quote(hub, &quote))
        .await?;
    Ok(created(view))
}

/// A quote, to the bank that asked for it (and the operator and auditors) only.
#[utoipa::path(get, path = "/v1/fx/quotes/{id}", tag = "fx", params(("id" = u64, Path, description = "Quote number")), responses((status = 200, body = QuoteView), (status = 404, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_quote(
    State(state): St,
    caller: Caller,
    Path(id): Path<u64>,
) -> AppResult<Response> {
    let view = state
        .engine
        .query_async(move |hub| {
            hub.quote(id)
                .filter(|q| caller.sees_everything() || caller.bic == Some(q.requester))
                .map(|q| views::quote(hub, q))
        })
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no quote {id} you may see")))?;
    Ok(ApiJson(view).into_response())
}
