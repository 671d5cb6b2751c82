//! What every endpoint shares: reading a request (the caller, JSON bodies and queries with
//! the API's error shape, ids and amounts in paths and fields) and writing its answer (JSON
//! that is never silently empty, the hub's answers, the refusals the OpenAPI document lists).

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use corridor_core::{AccountId, Amount, Bic, CurrencyCode};
use corridor_settlement::{Answer, ClosedDay, Recall, Rejection};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::{Caller, read_directory};
use crate::error::{ApiError, AppResult, ErrorBody};
use crate::state::AppState;
use crate::tls::PeerIdentity;
use crate::views;

pub type St = State<Arc<AppState>>;

/// The refusals any authenticated endpoint can answer with. Only the OpenAPI document uses
/// this type (the handlers answer with `ApiError`), so its variants are never built.
#[derive(Debug, utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum Refusals {
    /// Malformed request (FF01).
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// No or unknown credentials (AUTH).
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// The caller's role may not do this (AG01).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// Over the caller's or its address's request rate (RATE).
    #[response(status = 429)]
    RateLimited(ErrorBody),
    /// The node is busy: the engine's inbox is full, or as many large bodies as it
    /// receives at once are already being received (BUSY); retry shortly. Or the engine
    /// cannot take instructions now (UNAV).
    #[response(status = 503)]
    Busy(ErrorBody),
}

/// JSON in both directions. Read: refusals (malformed JSON, wrong types, unknown fields,
/// oversized bodies) are the API's error shape with reason code FF01, not axum's plain text.
/// Written: a value serde cannot write is a 500 `SRLZ`, logged, never an empty body.
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

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        json_response(StatusCode::OK, &self.0)
    }
}

/// `value` as a JSON body with `status`; a value that cannot be written is a 500 whatever
/// `status` was asked for (a tuple `(status, ApiJson(..))` would put the status on the
/// error body).
pub(crate) fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(e) => ApiError::unwritable("the answer", e).into_response(),
    }
}

/// `value` as JSON text, for answers that are not a whole body (an event of a stream).
pub(crate) fn json_text<T: Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(|e| ApiError::unwritable("the answer", e))
}

/// Writes an answer on the blocking pool, from records already copied out of the engine:
/// a large page must stall neither the engine thread nor the async workers.
pub(crate) async fn render_off_engine<T: Send + 'static>(
    what: &'static str,
    render: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    tokio::task::spawn_blocking(render)
        .await
        .map_err(|e| ApiError::unwritable(what, e))
}

fn json_value<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| ApiError::unwritable("the answer", e))
}

/// `Query<T>` with the API's error shape.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError::bad_request(e.body_text())
}

/// The caller: the subject of its client certificate or of its bearer token, known to the
/// directory and within its request rate.
impl FromRequestParts<Arc<AppState>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Caller, ApiError> {
        let subject = subject(parts, state)?;
        let caller = read_directory(&state.directory)
            .caller(&subject)
            .ok_or_else(|| {
                ApiError::unauthenticated(format!(
                    "{subject} is not a known operator, auditor or participant"
                ))
            })?;
        if let Some(slot) = parts.extensions.get::<crate::admission::CallerSlot>() {
            slot.record(&caller.subject);
        }
        if !state.limiter.allow(&caller.subject) {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE",
                format!(
                    "{} is over its request rate limit; retry later",
                    caller.subject
                ),
            ));
        }
        Ok(caller)
    }
}

/// Over mutual TLS the certificate must be registered for the subject it names; a bearer
/// token sent over it is refused unless the node allows tokens beside mTLS, in which case the
/// token names the caller. Without TLS, the token names the caller.
fn subject(parts: &Parts, state: &AppState) -> Result<String, ApiError> {
    let bearer = parts.headers.get(header::AUTHORIZATION);
    if let Some(peer) = parts.extensions.get::<PeerIdentity>() {
        let subject = read_directory(&state.directory)
            .certificate_subject(&peer.common_name, &peer.fingerprint_sha256)
            .map_err(|why| {
                ApiError::unauthenticated(format!(
                    "{why}: {} (SHA-256 {})",
                    peer.common_name, peer.fingerprint_sha256
                ))
            })?;
        if bearer.is_none() {
            return Ok(subject);
        }
        if !state.tokens_with_mtls {
            return Err(ApiError::unauthenticated(
                "bearer tokens are refused over mutual TLS on this node",
            ));
        }
    }
    if !state.token_mode {
        return Err(ApiError::unauthenticated(
            "a client certificate is required",
        ));
    }
    let header = bearer
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ApiError::unauthenticated("missing Authorization: Bearer <token>"))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| ApiError::unauthenticated("Authorization must be Bearer <token>"))?;
    let now = (corridor_engine::system_clock())();
    read_directory(&state.directory)
        .token_subject(token.trim(), now)
        .map_err(|why| ApiError::unauthenticated(why.to_string()))
}

pub(crate) fn parse_bic(text: &str) -> AppResult<Bic> {
    text.parse().map_err(|e: corridor_core::IdError| {
        ApiError::new(StatusCode::BAD_REQUEST, e.reason_code(), e.to_string())
    })
}

pub(crate) fn parse_account(text: &str) -> AppResult<AccountId> {
    text.parse().map_err(|e: corridor_core::IdError| {
        ApiError::new(StatusCode::BAD_REQUEST, e.reason_code(), e.to_string())
    })
}

/// An amount in `currency`'s scale, checked at the gateway so a bad one is a 4xx that
/// never reaches the journal.
pub(crate) async fn parse_decimal(
    state: &AppState,
    text: &str,
    currency: CurrencyCode,
) -> AppResult<u128> {
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

pub(crate) fn created<T: Serialize>(value: T) -> Response {
    json_response(StatusCode::CREATED, &value)
}

#[derive(Serialize)]
struct RecallAnswer {
    recall: Box<Recall>,
    duplicate: bool,
}

#[derive(Serialize)]
struct BusinessDayAnswer {
    day: ClosedDay,
    duplicate: bool,
}

/// The hub's answer as the API shows it.
pub(crate) fn answer_json(answer: Answer) -> AppResult<serde_json::Value> {
    match answer {
        Answer::Done => Ok(serde_json::json!({ "ok": true })),
        Answer::CalendarLoaded { duplicate } => {
            Ok(serde_json::json!({ "ok": true, "duplicate": duplicate }))
        }
        Answer::Participant(p) => json_value(&p),
        Answer::Account(a) => json_value(&a),
        Answer::Liquidity(l) => json_value(&l),
        Answer::Payments(r) => json_value(&r),
        Answer::Payment(r) => json_value(&r),
        Answer::RateSheet(s) => json_value(&s),
        Answer::ReferenceRates(r) => json_value(&r),
        Answer::Quote(q) => json_value(&q),
        Answer::Hold(h) => json_value(&h),
        Answer::Recall { recall, duplicate } => json_value(&RecallAnswer { recall, duplicate }),
        Answer::BusinessDay { day, duplicate } => json_value(&BusinessDayAnswer { day, duplicate }),
        Answer::Credential(c) => json_value(&c),
        Answer::LiquidityControls(c) => json_value(&c),
    }
}

/// Like [`answer_json`], but an account is shown with its balances and a liquidity
/// transfer with its amount as a decimal.
pub(crate) async fn answer_json_with(
    state: &AppState,
    answer: Answer,
) -> AppResult<serde_json::Value> {
    if let Answer::Liquidity(record) = &answer {
        let record = record.clone();
        let view = state
            .engine
            .query_async(move |hub| views::liquidity(hub, &record))
            .await?;
        return json_value(&view);
    }
    if let Answer::Account(info) = &answer {
        let id = info.id;
        let view = state
            .engine
            .query_async(move |hub| hub.account(id).map(|a| views::account(hub, a)))
            .await?;
        return json_value(&view);
    }
    answer_json(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value serde refuses to write, as a map with a non-string key would be.
    struct Unwritable;

    impl Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no JSON form"))
        }
    }

    async fn body_text(response: Response) -> String {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn an_unwritable_answer_is_a_500_with_its_reason() {
        let response = ApiJson(Unwritable).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(body["error"]["code"], "SRLZ");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.contains("no JSON form"), "{message}");
    }

    #[tokio::test]
    async fn an_unwritable_event_or_created_answer_is_an_error_not_an_empty_text() {
        let e = json_text(&Unwritable).unwrap_err();
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.rejection.code, "SRLZ");
        let e = created(Unwritable);
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(body_text(e).await.contains("SRLZ"));
    }

    #[tokio::test]
    async fn a_written_answer_is_json_as_before() {
        let response = created(serde_json::json!({ "ok": true }));
        assert_eq!(response.status(), StatusCode::CREATED);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            HeaderValue::from_static("application/json")
        );
        assert_eq!(body_text(response).await, r#"{"ok":true}"#);
    }
}
