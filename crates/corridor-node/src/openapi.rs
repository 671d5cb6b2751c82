//! The OpenAPI document at `/openapi.json`. It is generated from the same annotations that
//! register the routes (`utoipa-axum`), so it cannot list a route the node does not serve or
//! miss one it does.

use std::sync::Arc;

use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::server::{AppState, api_router};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Corridor node API",
        description = "Cross-border interbank payments settled in the trading countries' own currencies. JSON equivalents of ISO 20022 pacs.008 and pacs.009; every error carries an ISO 20022 reason code. Callers authenticate with a client certificate (mutual TLS; the certificate's common name is the caller: \"operator\", \"auditor\", a participant's BIC, or a compliance officer: \"officer:<name>\" of the operator, \"officer:<BIC>:<name>\" of a bank) or, in development token mode only, a bearer token."
    ),
    modifiers(&Security)
)]
struct Base;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("Development token mode only"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "mtls",
            SecurityScheme::MutualTls {
                description: Some("Client certificate; its subject CN names the caller".into()),
                extensions: None,
            },
        );
    }
}

pub fn base() -> OpenApi {
    <Base as utoipa::OpenApi>::openapi()
}

/// The document, as served.
pub fn document_json() -> String {
    let (_, api) = api_router().split_for_parts();
    api.to_pretty_json().unwrap_or_default()
}

#[utoipa::path(get, path = "/openapi.json", tag = "operations", responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
pub async fn document(_: axum::extract::State<Arc<AppState>>) -> Response {
    ([(CONTENT_TYPE, "application/json")], document_json()).into_response()
}
