//! The operator's credential endpoints: the client certificates registered per subject
//! (list, register, revoke), revoking a bearer token, and re-reading the certificate
//! revocation list (also on SIGHUP). Every change is a hub command, journaled, and the
//! gateway's directory is refreshed before the answer, so a revocation is in force from the
//! next request on.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use corridor_settlement::{Answer, Credential, HubCommand};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::endpoint::{ApiJson, ApiQuery, Refusals, St, created};
use crate::error::{ApiError, AppResult};
use crate::page::ListQuery;
use crate::state::AppState;
use crate::submit::submit;
use crate::tls::peer_identity;

/// The registered certificates in fingerprint order, a page at a time (the cursor is the
/// last fingerprint).
#[utoipa::path(get, path = "/v1/certificates", tag = "participants", params(ListQuery), responses((status = 200, body = [Credential]), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn list_certificates(
    State(state): St,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> AppResult<Response> {
    if !caller.sees_everything() {
        return Err(ApiError::forbidden(
            "only the operator and auditors see registered certificates",
        ));
    }
    let page = q.page::<String>()?;
    let list = state
        .engine
        .query_async(move |hub| {
            page.of(
                hub.credentials(),
                |c| c.fingerprint_sha256.clone(),
                |c| Some(c.clone()),
            )
        })
        .await?;
    Ok(list.into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequest {
    /// "operator", "auditor[-<name>]", a participant's BIC, "officer:<name>" or
    /// "officer:<BIC>:<name>".
    pub subject: String,
    /// SHA-256 of the certificate's DER encoding, 64 lowercase hex digits.
    pub fingerprint_sha256: Option<String>,
    /// The certificate itself (PEM), instead of its fingerprint; its common name must be
    /// the subject.
    pub certificate_pem: Option<String>,
}

#[utoipa::path(post, path = "/v1/certificates", tag = "participants", request_body = CertificateRequest, responses((status = 201, body = Credential), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn register_certificate(
    State(state): St,
    caller: Caller,
    ApiJson(req): ApiJson<CertificateRequest>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let fingerprint_sha256 = requested_fingerprint(&req)?;
    let command = HubCommand::RegisterCredential {
        subject: req.subject,
        fingerprint_sha256,
    };
    Ok(created(credential_changed(&state, command).await?))
}

/// The fingerprint given, or that of the certificate given, which must name the subject.
fn requested_fingerprint(req: &CertificateRequest) -> AppResult<String> {
    match (&req.fingerprint_sha256, &req.certificate_pem) {
        (Some(fingerprint), None) => Ok(fingerprint.clone()),
        (None, Some(pem)) => {
            let der = CertificateDer::from_pem_slice(pem.as_bytes())
                .map_err(|e| ApiError::bad_request(format!("certificate_pem: {e}")))?;
            let identity = peer_identity(&der).ok_or_else(|| {
                ApiError::bad_request("certificate_pem: not a certificate with one common name")
            })?;
            if identity.common_name != req.subject {
                return Err(ApiError::bad_request(format!(
                    "the certificate names {:?}, not {:?}",
                    identity.common_name, req.subject
                )));
            }
            Ok(identity.fingerprint_sha256)
        }
        _ => Err(ApiError::bad_request(
            "give exactly one of fingerprint_sha256 and certificate_pem",
        )),
    }
}

#[utoipa::path(delete, path = "/v1/certificates/{fingerprint}", tag = "participants", params(("fingerprint" = String, Path, description = "SHA-256 of the certificate")), responses((status = 200, body = Credential), (status = 404, body = crate::error::ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn revoke_certificate(
    State(state): St,
    caller: Caller,
    Path(fingerprint): Path<String>,
) -> AppResult<Response> {
    caller.require_operator()?;
    let lookup = fingerprint.clone();
    let subject = state
        .engine
        .query_async(move |hub| {
            hub.credentials()
                .find(|c| c.fingerprint_sha256 == lookup)
                .map(|c| c.subject.clone())
        })
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("no certificate {fingerprint} is registered"))
        })?;
    let command = HubCommand::RevokeCredential {
        subject,
        fingerprint_sha256: fingerprint,
    };
    Ok(ApiJson(credential_changed(&state, command).await?).into_response())
}

async fn credential_changed(state: &AppState, command: HubCommand) -> AppResult<Credential> {
    let answer = submit(state, command).await?;
    state.refresh_directory().await?;
    match answer {
        Answer::Credential(credential) => Ok(credential),
        other => Err(ApiError::unwritable(
            "the certificate",
            format!("unexpected answer {other:?}"),
        )),
    }
}

#[utoipa::path(delete, path = "/v1/tokens/{digest}", tag = "participants", params(("digest" = String, Path, description = "SHA-256 of the token, hex")), responses((status = 200, body = Object), (status = 404, body = crate::error::ErrorBody), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn revoke_token(
    State(state): St,
    caller: Caller,
    Path(digest): Path<String>,
) -> AppResult<Response> {
    caller.require_operator()?;
    submit(
        &state,
        HubCommand::RevokeToken {
            token_sha256: digest,
        },
    )
    .await?;
    state.refresh_directory().await?;
    Ok(ApiJson(serde_json::json!({ "revoked": true })).into_response())
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CrlReloaded {
    /// Certificate revocation lists now in force.
    pub crls: usize,
}

#[utoipa::path(post, path = "/v1/tls/reload", tag = "operations", responses((status = 200, body = CrlReloaded), Refusals), security(("bearer" = []), ("mtls" = [])))]
pub async fn reload_crl(State(state): St, caller: Caller) -> AppResult<Response> {
    caller.require_operator()?;
    let verifier = state
        .client_verifier
        .clone()
        .ok_or_else(|| ApiError::bad_request("this node does not use mutual TLS"))?;
    let crls = verifier
        .reload()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    tracing::info!(crls, "certificate revocation list reloaded");
    Ok(ApiJson(CrlReloaded { crls }).into_response())
}

/// Re-reads the revocation list on every SIGHUP, for as long as the node runs.
pub fn reload_on_hangup(state: &Arc<AppState>) {
    let Some(verifier) = state.client_verifier.clone() else {
        return;
    };
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP: reload the CRL through the API");
            return;
        };
        while hangups.recv().await.is_some() {
            match verifier.reload() {
                Ok(crls) => tracing::info!(crls, "certificate revocation list reloaded"),
                Err(error) => {
                    tracing::error!(%error, "certificate revocation list not reloaded; the previous one stays in force");
                }
            }
        }
    });
    #[cfg(not(unix))]
    drop(verifier);
}
