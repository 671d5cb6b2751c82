//! The operating day over HTTP: anyone the scheme admits reads a currency's calendar, its
//! schedule and where its day stands; the operator loads and amends calendars, sets a
//! currency's schedule and extends a cut-off for one day. Each change is a journaled hub
//! command, so it is in the audit chain.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corridor_core::CurrencyCode;
use corridor_settlement::{
    BusinessDate, CalendarAmendment, CurrencyPhase, CutOff, DayDescription, DaySchedule,
    HubCommand, MAX_HORIZON_DAYS, OperatingSetup, Rejection,
};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, answer_json};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::iso_api::wall_clock;
use crate::state::AppState;
use crate::submit::submit;

/// The operator's change: refused to anyone else before the request is even read further.
async fn as_operator(
    state: &AppState,
    caller: &Caller,
    command: impl FnOnce() -> Result<HubCommand, ApiError>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let answer = submit(state, command()?).await?;
    Ok(ApiJson(answer_json(answer)?).into_response())
}

/// How many days one calendar page shows by default.
const DEFAULT_DAYS: i64 = 31;

pub(crate) fn currency(code: &str) -> Result<CurrencyCode, ApiError> {
    code.parse().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "AM03",
            format!(
                "{:?} is not an ISO 4217 currency code",
                code.chars().take(8).collect::<String>()
            ),
        )
    })
}

fn date(field: &str, text: &str) -> Result<BusinessDate, ApiError> {
    text.parse()
        .map_err(|r: Rejection| ApiError::bad_request(format!("{field}: {}", r.message)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// First date, YYYY-MM-DD; default: the currency's today.
    pub from: Option<String>,
    /// Last date, included; default: 30 days after `from`; at most 366 days after it.
    pub to: Option<String>,
}

/// A currency's operating day: where it stands now, how it is set up, and each date asked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarView {
    pub today: CurrencyPhase,
    pub setup: OperatingSetup,
    pub days: Vec<DayDescription>,
}

#[utoipa::path(get, path = "/v1/calendars/{currency}", tag = "operating day", params(("currency" = String, Path, description = "ISO 4217 code"), CalendarQuery), responses((status = 200, body = CalendarView), (status = 404, description = "Not a currency of the scheme (AM03)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn get_calendar(
    State(state): St,
    _caller: Caller,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<CalendarQuery>,
) -> AppResult<Response> {
    let code = currency(&code)?;
    let from = q.from.as_deref().map(|d| date("from", d)).transpose()?;
    let to = q.to.as_deref().map(|d| date("to", d)).transpose()?;
    let now = wall_clock();
    let view = state
        .engine
        .query_async(move |hub| {
            hub.currency(code)?;
            let today = hub.currency_phase(code, now);
            let from = from.unwrap_or(today.date);
            let to = to
                .or_else(|| from.plus_days(DEFAULT_DAYS - 1))
                .unwrap_or(from);
            let span = to.days_since_epoch() - from.days_since_epoch();
            if !(0..i64::from(MAX_HORIZON_DAYS)).contains(&span) {
                return Some(Err(ApiError::bad_request(format!(
                    "from {from} to {to}: from 1 to {MAX_HORIZON_DAYS} days, in order"
                ))));
            }
            Some(Ok(CalendarView {
                days: hub.calendar_days(code, from, to),
                setup: hub.operating_setup(code),
                today,
            }))
        })
        .await?
        .ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "AM03",
                format!("{code} is not a currency of this scheme"),
            )
        })??;
    Ok(ApiJson(view).into_response())
}

/// Where each currency's day stands now.
#[utoipa::path(get, path = "/v1/operating-day", tag = "operating day", responses((status = 200, body = Vec<CurrencyPhase>), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn operating_day(State(state): St, _caller: Caller) -> AppResult<Response> {
    let now = wall_clock();
    let phases = state
        .engine
        .query_async(move |hub| {
            hub.currencies()
                .map(|c| hub.currency_phase(c.currency.code, now))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(ApiJson(phases).into_response())
}

/// A calendar file's text, as `corridor calendar load` sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarLoad {
    /// The calendar file (see the README): `currency`, `version`, `span`, `weekend`,
    /// `holiday`, `working` and `shortened` lines.
    pub text: String,
}

/// Loads a calendar version: it replaces the versions whose spans it overlaps, and is
/// refused (DT01) if it would change a day that has already opened.
#[utoipa::path(post, path = "/v1/calendars/{currency}", tag = "operating day", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = CalendarLoad, responses((status = 200, description = "Loaded, or `duplicate: true` for the same text again", body = Object), (status = 400, description = "A line of the file refused, with its number and the reason (FF01)", body = ErrorBody), (status = 422, description = "Another currency's calendar (CURR), a currency the scheme does not settle (AM03), or a day already opened changed (DT01)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn load_calendar(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<CalendarLoad>,
) -> AppResult<Response> {
    as_operator(&state, &caller, || {
        Ok(HubCommand::LoadCalendar {
            currency: currency(&code)?,
            text: req.text,
        })
    })
    .await
}

/// One date changed: `closed: true` closes it (an ad-hoc closure, a holiday moved there),
/// `false` opens it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendmentRequest {
    #[schema(example = "2026-12-10")]
    pub date: String,
    pub closed: bool,
    pub name: String,
    pub source: String,
}

#[utoipa::path(post, path = "/v1/calendars/{currency}/amendments", tag = "operating day", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = AmendmentRequest, responses((status = 200, body = Object), (status = 422, description = "The day has already opened, or is outside every loaded calendar (DT01)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn amend_calendar(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<AmendmentRequest>,
) -> AppResult<Response> {
    as_operator(&state, &caller, || {
        Ok(HubCommand::AmendCalendar(CalendarAmendment {
            currency: currency(&code)?,
            date: date("date", &req.date)?,
            closed: req.closed,
            name: req.name,
            source: req.source,
        }))
    })
    .await
}

/// Sets the currency's schedule: from now on it settles only on business days of its
/// calendars, between opening and close.
#[utoipa::path(put, path = "/v1/calendars/{currency}/schedule", tag = "operating day", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = DaySchedule, responses((status = 200, body = Object), (status = 400, description = "An unknown time zone, a malformed time, times out of order (FF01)", body = ErrorBody), (status = 422, body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn set_schedule(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(schedule): ApiJson<DaySchedule>,
) -> AppResult<Response> {
    as_operator(&state, &caller, || {
        Ok(HubCommand::ConfigureOperatingDay {
            currency: currency(&code)?,
            schedule,
        })
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequest {
    #[schema(example = "2026-12-08")]
    pub date: String,
    pub cut_off: CutOff,
    /// Local time `HH:MM`, later than the time it extends.
    #[schema(example = "19:00")]
    pub until: String,
}

#[utoipa::path(post, path = "/v1/calendars/{currency}/extensions", tag = "operating day", params(("currency" = String, Path, description = "ISO 4217 code")), request_body = ExtensionRequest, responses((status = 200, body = Object), (status = 400, description = "Not a later time, or past the close (FF01)", body = ErrorBody), (status = 422, description = "No schedule, not a business day, or already passed (DT01)", body = ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn extend_cut_off(
    State(state): St,
    caller: Caller,
    Path(code): Path<String>,
    ApiJson(req): ApiJson<ExtensionRequest>,
) -> AppResult<Response> {
    as_operator(&state, &caller, || {
        Ok(HubCommand::ExtendCutOff {
            currency: currency(&code)?,
            date: date("date", &req.date)?,
            cut_off: req.cut_off,
            until: req.until,
        })
    })
    .await
}
