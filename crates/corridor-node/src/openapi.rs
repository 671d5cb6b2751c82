//! The frame of the OpenAPI document at `/openapi.json`: its title, description and security
//! schemes. The routes fill in the rest from the same annotations that register them
//! (`routes.rs`), so it cannot list a route the node does not serve or miss one it does.

use utoipa::Modify;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

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
