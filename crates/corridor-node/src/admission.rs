//! What the node checks about a request before its handler runs, whoever sends it: the
//! request rate per peer address (unauthenticated routes included), the budget of large
//! bodies being received at once, the caller's role for a route with a large body (the
//! operator's, or a participant's: before the body is read), and the access log line
//! written once it is answered.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use corridor_core::Bic;
use tokio::sync::Semaphore;

use crate::auth::{Caller, RateLimiter};
use crate::error::ApiError;

/// The node-wide limits applied before any handler.
#[derive(Debug)]
pub struct Admission {
    peers: RateLimiter,
    large_bodies: Semaphore,
    large_bodies_max: usize,
    small_body_bytes: usize,
}

impl Admission {
    /// A body is large when it may exceed `small_body_bytes`.
    pub fn new(
        peer_rate_per_second: u32,
        large_bodies_in_flight: usize,
        small_body_bytes: usize,
    ) -> Admission {
        let large_bodies_max = large_bodies_in_flight.max(1);
        Admission {
            peers: RateLimiter::new(peer_rate_per_second),
            large_bodies: Semaphore::new(large_bodies_max),
            large_bodies_max,
            small_body_bytes,
        }
    }
}

/// Where the caller extractor writes who the caller turned out to be, so the access log can
/// name it after the handler has consumed the request.
#[derive(Debug, Clone, Default)]
pub struct CallerSlot(Arc<OnceLock<String>>);

impl CallerSlot {
    pub fn record(&self, subject: &str) {
        let _ = self.0.set(subject.to_string());
    }

    fn subject(&self) -> &str {
        self.0.get().map_or("-", String::as_str)
    }
}

/// The caller, refused unless it is the operator. As an extractor it runs before the body is
/// read, so a bank cannot make the node receive a 256 MiB list only to be refused.
#[derive(Debug)]
pub struct OperatorOnly(pub Caller);

impl<S> FromRequestParts<S> for OperatorOnly
where
    S: Send + Sync,
    Caller: FromRequestParts<S, Rejection = ApiError>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<OperatorOnly, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_operator()?;
        Ok(OperatorOnly(caller))
    }
}

/// The participant bank (or settlement agent) calling, refused with 403 for the operator,
/// auditors and compliance officers, who send no payments. As an extractor it runs before
/// the body is read, so no one else can make the node receive a 32 MiB batch or a large
/// ISO 20022 envelope only to be refused.
#[derive(Debug)]
pub struct ParticipantOnly(pub Bic);

impl<S> FromRequestParts<S> for ParticipantOnly
where
    S: Send + Sync,
    Caller: FromRequestParts<S, Rejection = ApiError>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ParticipantOnly, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        Ok(ParticipantOnly(caller.participant()?))
    }
}

/// Refuses a peer address over its request rate with 429, before authentication: a flood of
/// requests without credentials costs no more than a flood with them.
pub async fn limit_peer_rate(
    State(admission): State<Arc<Admission>>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let network = peer_network(peer.ip());
        if !admission.peers.allow(&network) {
            return ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "RATE",
                format!("{network} is over its request rate limit; retry later"),
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// What one client controls: an IPv4 address, or an IPv6 /64 (a host is routinely given a
/// whole /64, so counting its addresses one by one would not limit it).
fn peer_network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The routes whose body may exceed the small-body limit (a batch, an ISO 20022 envelope, a
/// watchlist); every other route's body is cut at that limit.
const LARGE_BODY_ROUTES: [&str; 3] = ["/v1/payments/batch", "/v1/iso20022", "/v1/lists/{name}"];

/// Admits a request to a large-body route that may carry more than `small_body_bytes` (by its
/// `Content-Length`, or a chunked body of unknown length) only while fewer than the budget
/// are being received, and answers 503 (`BUSY`) otherwise: a few dozen concurrent 32 MiB
/// batches must not take the node's memory. Small requests never wait for large ones, and a
/// body trickled to a small-body route takes no place in the budget.
pub async fn budget_large_body(
    State(admission): State<Arc<Admission>>,
    request: Request,
    next: Next,
) -> Response {
    let large_route = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|path| LARGE_BODY_ROUTES.contains(&path.as_str()));
    if !large_route || !may_be_large(&request, admission.small_body_bytes) {
        return next.run(request).await;
    }
    let Ok(_permit) = admission.large_bodies.try_acquire() else {
        return ApiError::busy(format!(
            "{} large requests are already being received; retry shortly",
            admission.large_bodies_max
        ))
        .into_response();
    };
    next.run(request).await
}

fn may_be_large(request: &Request, small_body_bytes: usize) -> bool {
    use axum::body::HttpBody;
    if request.body().is_end_stream() {
        return false;
    }
    match request.headers().get(CONTENT_LENGTH) {
        Some(length) => length
            .to_str()
            .ok()
            .and_then(|l| l.parse::<u64>().ok())
            .is_none_or(|l| l > small_body_bytes as u64),
        None => true,
    }
}

/// One structured line per request, under the `corridor::access` target: caller, route
/// template, status, latency and the payment named in the path, if any. Never a token, a
/// query string or a body.
pub async fn access_log(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let slot = CallerSlot::default();
    request.extensions_mut().insert(slot.clone());
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let payment = payment_in_path(&route, request.uri().path());
    let response = next.run(request).await;
    tracing::info!(
        target: "corridor::access",
        caller = slot.subject(),
        %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = started.elapsed().as_millis() as u64,
        payment = payment.as_deref().unwrap_or("-"),
        "request"
    );
    response
}

/// The payment a route names in its path: `{id}` under `/v1/payments/`, `{payment}` under
/// the compliance holds.
fn payment_in_path(route: &str, path: &str) -> Option<String> {
    let name = if route.starts_with("/v1/payments/") {
        "{id}"
    } else {
        "{payment}"
    };
    route
        .split('/')
        .zip(path.split('/'))
        .find(|(template, _)| *template == name)
        .map(|(_, value)| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payment_is_read_from_the_path_by_the_route_template() {
        assert_eq!(
            payment_in_path("/v1/payments/{id}/cancel", "/v1/payments/P-7/cancel").as_deref(),
            Some("P-7")
        );
        assert_eq!(
            payment_in_path("/v1/compliance/holds/{payment}", "/v1/compliance/holds/P-9")
                .as_deref(),
            Some("P-9")
        );
        assert_eq!(
            payment_in_path("/v1/accounts/{id}", "/v1/accounts/12"),
            None
        );
    }

    #[test]
    fn an_ipv6_peer_is_limited_by_its_64() {
        let one = peer_network("2001:db8:1:2:aaaa::1".parse().unwrap());
        let other = peer_network("2001:db8:1:2:bbbb::9".parse().unwrap());
        assert_eq!(one, other);
        assert_eq!(one, "2001:db8:1:2::/64");
        assert_eq!(peer_network("::ffff:10.0.0.7".parse().unwrap()), "10.0.0.7");
        assert_eq!(peer_network("10.0.0.7".parse().unwrap()), "10.0.0.7");
    }
}
