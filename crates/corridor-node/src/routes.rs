//! The router: every route with its OpenAPI description and body limit, the layers every
//! request passes (admission, access log, request counter), and the OpenAPI document served
//! from the same annotations.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::admission;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{
    api, calendar_api, compliance_api, controls_api, credentials_api, fx_api, iso_api,
    liquidity_api, net_api, outbox_api, payments_api, recall_api,
};

/// Every body but a batch's is small; a batch of 10,000 payments with full party data is a
/// few megabytes.
pub const BODY_LIMIT: usize = 64 * 1024;
pub const BATCH_BODY_LIMIT: usize = 32 * 1024 * 1024;
/// A calendar file is a few kilobytes; a year of daily lines stays under this.
pub const CALENDAR_BODY_LIMIT: usize = 256 * 1024;

pub fn router(state: Arc<AppState>) -> Router {
    let (router, _) = api_router().split_for_parts();
    // Layers run bottom-up: a request is rate-limited by its address first, then takes a
    // large-body slot if it needs one, and is logged and counted whatever its answer.
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_requests,
        ))
        .layer(axum::middleware::from_fn(admission::access_log))
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            admission::budget_large_body,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.admission.clone(),
            admission::limit_peer_rate,
        ))
        .with_state(state)
}

/// Every route with its OpenAPI description. Only the batch route accepts a large body.
pub fn api_router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::with_openapi(crate::openapi::base())
        .routes(routes!(api::health))
        .routes(routes!(api::ready))
        .routes(routes!(api::metrics))
        .routes(routes!(document))
        .routes(routes!(api::list_participants, api::admit))
        .routes(routes!(api::get_participant))
        .routes(routes!(api::suspend))
        .routes(routes!(api::reinstate))
        .routes(routes!(api::list_currencies, api::designate))
        .routes(routes!(api::list_accounts, api::open_account))
        .routes(routes!(api::get_account))
        .routes(routes!(api::set_cap))
        .routes(routes!(api::statement))
        .routes(routes!(api::liquidity))
        .routes(routes!(api::issue_token))
        .routes(routes!(
            credentials_api::list_certificates,
            credentials_api::register_certificate
        ))
        .routes(routes!(credentials_api::revoke_certificate))
        .routes(routes!(credentials_api::revoke_token))
        .routes(routes!(credentials_api::reload_crl))
        .routes(routes!(api::configure))
        .routes(routes!(api::end_of_day))
        .routes(routes!(calendar_api::operating_day))
        .routes(routes!(
            liquidity_api::get_saving,
            liquidity_api::set_saving
        ))
        .routes(routes!(
            controls_api::get_controls,
            controls_api::set_controls
        ))
        .routes(routes!(liquidity_api::run_optimisation))
        .routes(routes!(net_api::get_net, net_api::set_net))
        .routes(routes!(net_api::window_action))
        .routes(
            routes!(calendar_api::get_calendar, calendar_api::load_calendar)
                .layer(DefaultBodyLimit::max(CALENDAR_BODY_LIMIT)),
        )
        .routes(routes!(calendar_api::amend_calendar))
        .routes(routes!(calendar_api::set_schedule))
        .routes(routes!(calendar_api::extend_cut_off))
        .routes(routes!(
            payments_api::search_payments,
            payments_api::submit_payment
        ))
        .routes(routes!(payments_api::submit_batch).layer(DefaultBodyLimit::max(BATCH_BODY_LIMIT)))
        .routes(routes!(payments_api::get_payment))
        .routes(routes!(fx_api::list_sheets, fx_api::publish_sheet))
        .routes(routes!(
            fx_api::list_reference_rates,
            fx_api::publish_reference_rates
        ))
        .routes(routes!(fx_api::request_quote))
        .routes(routes!(fx_api::get_quote))
        .routes(routes!(payments_api::cancel_payment))
        .routes(routes!(payments_api::return_payment))
        .routes(routes!(recall_api::recall_payment))
        .routes(routes!(recall_api::list_recalls))
        .routes(routes!(recall_api::answer_recall))
        .routes(routes!(iso_api::submit_iso).layer(DefaultBodyLimit::max(iso_api::ISO_BODY_LIMIT)))
        .routes(routes!(iso_api::submit_mt).layer(DefaultBodyLimit::max(iso_api::MT_BODY_LIMIT)))
        .routes(routes!(outbox_api::outbox))
        .routes(routes!(outbox_api::acknowledge))
        .routes(routes!(outbox_api::outbox_stream))
        .routes(routes!(compliance_api::list_holds))
        .routes(routes!(compliance_api::get_hold))
        .routes(routes!(compliance_api::decide))
        .routes(routes!(compliance_api::false_positives))
        .routes(routes!(compliance_api::audit))
        .routes(routes!(
            compliance_api::get_config,
            compliance_api::set_config
        ))
        .routes(routes!(compliance_api::list_versions))
        .routes(routes!(compliance_api::list_cases))
        .routes(routes!(compliance_api::get_case))
        .routes(routes!(compliance_api::work_case))
        .routes(routes!(
            compliance_api::get_monitoring,
            compliance_api::set_monitoring
        ))
        .routes(
            routes!(compliance_api::load_list)
                .layer(DefaultBodyLimit::max(compliance_api::LIST_BODY_LIMIT)),
        )
}

async fn count_requests(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let class = match response.status().as_u16() {
        200..=299 => "2xx",
        400..=499 => "4xx",
        500..=599 => "5xx",
        _ => "other",
    };
    state.metrics.requests.with_label_values(&[class]).inc();
    response
}

/// The OpenAPI document, as served.
pub fn document_json() -> Result<String, serde_json::Error> {
    let (_, api) = api_router().split_for_parts();
    api.to_pretty_json()
}

#[utoipa::path(get, path = "/openapi.json", tag = "operations", responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
pub async fn document(_: State<Arc<AppState>>) -> Response {
    match document_json() {
        Ok(json) => ([(CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => ApiError::unwritable("the OpenAPI document", e).into_response(),
    }
}
