//! The API's one error shape: an HTTP status and `{"error": {"code", "message"}}`, where the
//! code is the ISO 20022 reason code (or Corridor's own in the same style).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use corridor_engine::EngineError;
use corridor_settlement::Rejection;
use serde::Serialize;

pub type AppResult<T> = Result<T, ApiError>;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub rejection: Rejection,
}

/// The body of every error answer, as the OpenAPI document describes it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The reason code (ISO 20022, or Corridor's own in the same style) and what it means
    /// here.
    pub error: Rejection,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            rejection: Rejection::new(code, message),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "FF01", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "AUTH", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "AG01", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "NOTF", message)
    }

    /// The node is at a limit it sets itself (the engine's inbox, the bodies in flight): a
    /// 503 the client retries shortly; nothing was applied.
    pub fn busy(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "BUSY", message)
    }

    /// An answer that could not be written (a value serde refuses, a metrics encoder that
    /// fails): the node's fault, so a 500 with the reason logged, never an empty body.
    pub fn unwritable(what: &str, error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "cannot write {what}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SRLZ",
            format!("the node could not write {what}: {error}"),
        )
    }
}

/// A refusal by the hub. The status says what kind of refusal it is, so a client can act on
/// it without parsing the code.
impl From<Rejection> for ApiError {
    fn from(rejection: Rejection) -> ApiError {
        let status = match rejection.code.as_str() {
            "AG01" => StatusCode::FORBIDDEN,
            "NOTF" => StatusCode::NOT_FOUND,
            "DUPL" | "NOCN" => StatusCode::CONFLICT,
            "FF01" => StatusCode::BAD_REQUEST,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError { status, rejection }
    }
}

/// An instruction the engine could not encode for the journal was neither applied nor
/// journaled: a 500 (`SRLZ`), as for an answer the node could not write. A full inbox is a
/// 503 (`BUSY`) the client retries: refused before the engine saw it. Any other engine
/// failure means the engine cannot take instructions now: 503 (`UNAV`).
impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> ApiError {
        if let EngineError::Encode(why) = &e {
            tracing::error!(error = %why, "instruction refused: it cannot be encoded for the journal");
            return ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "SRLZ",
                format!(
                    "the instruction could not be written to the journal, so nothing was applied: {why}"
                ),
            );
        }
        if let EngineError::NotWriter { .. } = &e {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "STBY",
                format!("{e}; retry there with the same instruction id"),
            );
        }
        if let EngineError::Busy { .. } = &e {
            tracing::warn!(error = %e, "request refused: the engine's inbox is full");
            return ApiError::busy(e.to_string());
        }
        tracing::error!(error = %e, "engine unavailable");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "UNAV",
            format!("the settlement engine is unavailable: {e}"),
        )
    }
}

impl ApiError {
    /// The body alone, for an answer that is not a whole response (an event of a stream).
    pub fn body_json(&self) -> String {
        serde_json::json!({
            "error": { "code": self.rejection.code, "message": self.rejection.message }
        })
        .to_string()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(ErrorBody {
                error: self.rejection,
            }),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unencodable_instruction_is_a_server_error_and_a_stopped_engine_unavailable() {
        let unencodable =
            ApiError::from(EngineError::Encode("a field postcard cannot write".into()));
        assert_eq!(unencodable.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(unencodable.rejection.code.as_str(), "SRLZ");
        assert!(
            unencodable
                .rejection
                .message
                .contains("nothing was applied")
        );

        let stopped = ApiError::from(EngineError::Stopped);
        assert_eq!(stopped.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(stopped.rejection.code.as_str(), "UNAV");

        let busy = ApiError::from(EngineError::Busy { capacity: 8 });
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.rejection.code.as_str(), "BUSY");
    }
}
