//! The API over real HTTP: the authorisation matrix (every endpoint, every role), idempotency
//! under concurrency, malformed input, and recovery after a restart.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestNode, payment};

/// Who calls: the operator, the RUB and IRR settlement agents, three RUB banks, the auditor,
/// nobody, a caller with an unknown token, a compliance officer of VOLGRUMM and one of the
/// operator.
const ROLES: [&str; 11] = [
    "operator",
    "CBRFRUMM",
    "CBIRIRTH",
    "VOLGRUMM",
    "NEVARUMM",
    "URALRUMM",
    "auditor",
    "-",
    "?",
    "officer:VOLGRUMM:olga",
    "officer:olga",
];

struct Case {
    method: Method,
    path: String,
    body: Option<Value>,
    /// Expected status for each of ROLES, in order.
    expect: [u16; 11],
    /// An event stream never ends: only its status is read.
    streams: bool,
}

fn case(method: Method, path: String, body: Option<Value>, expect: [u16; 11]) -> Case {
    Case {
        method,
        path,
        body,
        expect,
        streams: false,
    }
}

fn stream_case(path: &str, expect: [u16; 11]) -> Case {
    Case {
        method: Method::GET,
        path: path.into(),
        body: None,
        expect,
        streams: true,
    }
}

/// The routes come from the router's own OpenAPI document, so a route added without a row in
/// the matrix fails here rather than going unchecked.
fn assert_every_route_has_a_row(cases: &[Case], checked_apart: &[(Method, &str)]) {
    let document: Value = serde_json::from_str(
        &corridor_node::routes::document_json().expect("the OpenAPI document renders"),
    )
    .expect("the OpenAPI document is JSON");
    let paths = document["paths"]
        .as_object()
        .expect("the document has paths");
    let mut missing = Vec::new();
    for (template, operations) in paths {
        for method in operations
            .as_object()
            .expect("a path holds operations")
            .keys()
        {
            let covered = cases
                .iter()
                .map(|case| (&case.method, case.path.as_str()))
                .chain(checked_apart.iter().map(|(m, p)| (m, *p)))
                .any(|(m, path)| {
                    m.as_str().eq_ignore_ascii_case(method) && path_matches(template, path)
                });
            if !covered {
                missing.push(format!("{} {template}", method.to_uppercase()));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "routes without a row in the authorisation matrix:\n{}",
        missing.join("\n")
    );
}

/// Whether a concrete request path (query ignored) is an instance of an OpenAPI path template.
fn path_matches(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let template_segments: Vec<&str> = template.split('/').collect();
    let path_segments: Vec<&str> = path.split('/').collect();
    template_segments.len() == path_segments.len()
        && template_segments
            .iter()
            .zip(&path_segments)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_authorises_every_role() {
    let node = TestNode::start().await;
    let (status, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("AUTHZ-1", "NEVARUMM", "1000.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    let p1 = receipt["payment"].as_u64().unwrap();
    let volg = node.account("VOLGRUMM", "RUB").await;
    let (status, _) = node
        .post("operator", "/v1/participants", &json!({"bic": "TESTRUMM", "name": "Test Bank", "country": "RU", "roles": ["direct_participant"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED);

    use Method as M;
    let admit = json!({"bic": "OTHRRUMM", "name": "Other Bank", "country": "RU", "roles": ["direct_participant"]});
    let designate = json!({"currency": "RUB", "exponent": 2, "agent": "CBRFRUMM", "time_zone": "Europe/Moscow"});
    let open = json!({"owner": "TESTRUMM", "currency": "RUB", "purpose": "settlement"});
    let cap = json!({"net_debit_cap": "100.00"});
    let fund = json!({"reference": "AUTHZ-FUND", "participant": "VOLGRUMM", "currency": "RUB", "amount": "10.00", "direction": "fund"});
    let credential = json!({"subject": "auditor-2"});
    let config = json!({"queue_timeout_seconds": 3600});
    let end_of_day = json!({"business_date": "2026-11-24"});
    let batch = json!({"payments": [payment("AUTHZ-B1", "NEVARUMM", "1.00", "RUB")]});
    let cancel = json!({"reason": "CUST"});
    let ret = json!({"return_id": "AUTHZ-R1", "amount": "1.00", "reason": "AC04 closed"});
    let recall = json!({"cancellation_id": "AUTHZ-CXL-1", "reason": "DUPL"});
    let refuse_recall = json!({"decision": "reject", "reason": "CUST"});
    let ack = json!({"up_to": 0});
    let single = |id: &str| payment(id, "NEVARUMM", "1.00", "RUB");
    let sheet = json!({"valid_for_seconds": 60, "pairs": [{"base": "RUB", "quote": "IRR", "bid": "1", "ask": "2"}]});
    let reference = json!({"rates": [{"base": "RUB", "quote": "IRR", "rate": "515"}]});
    let quote_request = json!({"source_currency": "RUB", "destination_currency": "IRR", "creditor_agent": "ZAGRIRTH", "instructed_amount": "10.00"});
    let (status, quote) = node.post("VOLGRUMM", "/v1/fx/quotes", &quote_request).await;
    assert_eq!(status, StatusCode::CREATED, "{quote}");
    let q1 = quote["id"].as_u64().unwrap();
    let mut listed = payment("AUTHZ-HOLD", "NEVARUMM", "5.00", "RUB");
    listed["creditor"]["name"] = json!("Boris Sanktsionov");
    let (status, held) = node.post("VOLGRUMM", "/v1/payments", &listed).await;
    assert_eq!(held["status"], "held", "{status} {held}");
    let h1 = held["payment"].as_u64().unwrap();
    let release = json!({"decision": "release", "reason": "not the listed person"});
    let compliance_config = json!({"hit_threshold": 850, "four_eyes": false});
    let own_list = json!([{"id": "M-1", "kind": "person", "name": "Matrix Testperson", "aliases": [], "dates_of_birth": [], "countries": [], "identifiers": []}]);
    let review = json!({"action": "review"});
    let no_rules = json!({"schemes": {}});
    let fingerprint = "ab".repeat(32);
    let certificate = json!({"subject": "VOLGRUMM", "fingerprint_sha256": fingerprint});
    // Expected status per role:   op   RUBag IRRag VOLG NEVA URAL  aud  none  bad
    let cases = vec![
        case(
            M::GET,
            "/health".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            M::GET,
            "/ready".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            M::GET,
            "/openapi.json".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
        ),
        case(
            M::GET,
            "/metrics".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/accounts".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        stream_case(
            "/v1/outbox/stream",
            [403, 200, 200, 200, 200, 200, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/participants".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::GET,
            "/v1/participants/VOLGRUMM".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::POST,
            "/v1/participants".into(),
            Some(admit),
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/participants/TESTRUMM/suspend".into(),
            None,
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/participants/TESTRUMM/reinstate".into(),
            None,
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/currencies".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::POST,
            "/v1/currencies".into(),
            Some(designate),
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/accounts".into(),
            Some(open),
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            format!("/v1/accounts/{volg}"),
            None,
            [200, 200, 404, 200, 404, 404, 200, 401, 401, 404, 404],
        ),
        case(
            M::PUT,
            format!("/v1/accounts/{volg}/net-debit-cap"),
            Some(cap),
            [200, 200, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            format!("/v1/accounts/{volg}/statement"),
            None,
            [200, 200, 404, 200, 404, 404, 200, 401, 401, 404, 404],
        ),
        case(
            M::GET,
            format!("/v1/accounts/{volg}/statement?format=xml"),
            None,
            [200, 200, 404, 200, 404, 404, 200, 401, 401, 404, 404],
        ),
        case(
            M::POST,
            "/v1/liquidity".into(),
            Some(fund),
            [403, 201, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/credentials".into(),
            Some(credential),
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::PUT,
            "/v1/config".into(),
            Some(config),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/operator/end-of-day".into(),
            Some(end_of_day),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            format!("/v1/payments/{p1}"),
            None,
            [200, 404, 404, 200, 200, 404, 200, 401, 401, 404, 404],
        ),
        case(
            M::GET,
            "/v1/payments?participant=VOLGRUMM".into(),
            None,
            [200, 403, 403, 200, 403, 403, 200, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            format!("/v1/payments/{p1}/cancel"),
            Some(cancel),
            [403, 404, 404, 409, 404, 404, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/outbox".into(),
            None,
            [403, 200, 200, 200, 200, 200, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/outbox?format=xml".into(),
            None,
            [403, 200, 200, 200, 200, 200, 403, 401, 401, 403, 403],
        ),
        // No body: whoever may send gets as far as the parser (FF02).
        case(
            M::POST,
            "/v1/iso20022".into(),
            None,
            [403, 400, 400, 400, 400, 400, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/mt".into(),
            None,
            [403, 400, 400, 400, 400, 400, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/outbox/ack".into(),
            Some(ack),
            [403, 200, 200, 200, 200, 200, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/payments/batch".into(),
            Some(batch),
            [403, 200, 200, 200, 200, 200, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            format!("/v1/payments/{p1}/return"),
            Some(ret),
            [403, 404, 404, 404, 201, 404, 403, 401, 401, 403, 403],
        ),
        // Only the sender recalls (recall 1); only the receiver answers it, once.
        case(
            M::POST,
            format!("/v1/payments/{p1}/recall"),
            Some(recall),
            [403, 404, 404, 201, 404, 404, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/recalls".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/recalls/1/answer".into(),
            Some(refuse_recall),
            [403, 404, 404, 404, 200, 404, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/fx/rate-sheets".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/fx/rate-sheets".into(),
            Some(sheet),
            [403, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/fx/reference-rates".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::POST,
            "/v1/fx/reference-rates".into(),
            Some(reference),
            [403, 201, 201, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // The agents hold no RUB settlement account to pay from.
        case(
            M::POST,
            "/v1/fx/quotes".into(),
            Some(quote_request.clone()),
            [403, 422, 422, 201, 201, 201, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            format!("/v1/fx/quotes/{q1}"),
            None,
            [200, 404, 404, 200, 404, 404, 200, 401, 401, 404, 404],
        ),
        // Compliance: officers, the operator and auditors read; only officers decide.
        case(
            M::GET,
            "/v1/compliance/holds".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        case(
            M::GET,
            format!("/v1/compliance/holds/{h1}"),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        // VOLGRUMM's officer may not release a sanctions hold; the operator's officer does.
        case(
            M::POST,
            format!("/v1/compliance/holds/{h1}/decision"),
            Some(release),
            [403, 403, 403, 403, 403, 403, 403, 401, 401, 403, 200],
        ),
        case(
            M::GET,
            "/v1/compliance/false-positives".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        case(
            M::GET,
            "/v1/compliance/audit".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 403, 200],
        ),
        case(
            M::GET,
            "/v1/compliance/config".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        case(
            M::PUT,
            "/v1/compliance/config".into(),
            Some(compliance_config),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/lists".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        case(
            M::PUT,
            "/v1/lists/matrix?format=json&date=2026-11-20".into(),
            Some(own_list),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/compliance/cases".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 403, 200],
        ),
        case(
            M::GET,
            "/v1/compliance/cases/999".into(),
            None,
            [404, 403, 403, 403, 403, 403, 404, 401, 401, 403, 404],
        ),
        case(
            M::POST,
            "/v1/compliance/cases/999/action".into(),
            Some(review),
            [403, 403, 403, 403, 403, 403, 403, 401, 401, 403, 404],
        ),
        case(
            M::GET,
            "/v1/compliance/monitoring".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 200, 200],
        ),
        case(
            M::PUT,
            "/v1/compliance/monitoring".into(),
            Some(no_rules),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/certificates".into(),
            Some(certificate),
            [201, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/certificates".into(),
            None,
            [200, 403, 403, 403, 403, 403, 200, 401, 401, 403, 403],
        ),
        // The operator revokes first; nobody else may, and it is gone by then.
        case(
            M::DELETE,
            format!("/v1/certificates/{fingerprint}"),
            None,
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // No token has this digest: the operator is told so, nobody else is told anything.
        case(
            M::DELETE,
            format!("/v1/tokens/{fingerprint}"),
            None,
            [404, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // This node runs without mutual TLS, so there is no CRL to reload.
        case(
            M::POST,
            "/v1/tls/reload".into(),
            None,
            [400, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // The operating day: everyone admitted reads it, only the operator changes it. A
        // year far ahead, so the demo's currencies stay always open for the rows above.
        case(
            M::GET,
            "/v1/operating-day".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::GET,
            "/v1/calendars/IRR?from=2026-03-20&to=2026-03-26".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 200, 200],
        ),
        case(
            M::POST,
            "/v1/calendars/RUB".into(),
            Some(
                json!({"text": "currency,RUB\nversion,2099.1\nspan,2099-01-01,2099-12-31\nweekend,saturday,sunday\n"}),
            ),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/calendars/RUB/amendments".into(),
            Some(
                json!({"date": "2099-06-01", "closed": true, "name": "Closure", "source": "Test notice"}),
            ),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // An unknown zone: the operator gets as far as the hub's check (FF01).
        case(
            M::PUT,
            "/v1/calendars/RUB/schedule".into(),
            Some(
                json!({"time_zone": "Mars/Olympus", "opens": "01:00", "customer_cutoff": "14:00", "institution_cutoff": "14:30", "liquidity_cutoff": "20:00", "closes": "21:00", "horizon_days": 30}),
            ),
            [400, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/liquidity-saving".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 403, 403],
        ),
        case(
            M::PUT,
            "/v1/liquidity-saving".into(),
            Some(
                json!({"offsetting": true, "optimisation_interval_seconds": 60, "max_steps": 100000}),
            ),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // Limits and reservations: a bank sets and reads its own; the operator any bank's.
        case(
            M::PUT,
            "/v1/participants/VOLGRUMM/liquidity-controls/RUB".into(),
            Some(
                json!({"bilateral_limits": [{"counterparty": "URALRUMM", "limit": "1000000.00"}]}),
            ),
            [200, 403, 403, 200, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/participants/VOLGRUMM/liquidity-controls/RUB".into(),
            None,
            [200, 403, 403, 200, 403, 403, 200, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/liquidity-saving/RUB/runs".into(),
            Some(json!({"algorithm": "partial"})),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // Net settlement: the operator sets it and acts on windows; everyone admitted reads.
        case(
            M::PUT,
            "/v1/net-settlement/RUB".into(),
            Some(json!({"up_to_amount": "0.01", "default_after_seconds": 600})),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        case(
            M::GET,
            "/v1/net-settlement/RUB".into(),
            None,
            [200, 200, 200, 200, 200, 200, 200, 401, 401, 403, 403],
        ),
        case(
            M::POST,
            "/v1/net-settlement/RUB/windows".into(),
            Some(json!({"action": "close"})),
            [200, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
        // RUB has no schedule: nothing to extend (DT01).
        case(
            M::POST,
            "/v1/calendars/RUB/extensions".into(),
            Some(json!({"date": "2099-06-02", "cut_off": "customer", "until": "15:00"})),
            [422, 403, 403, 403, 403, 403, 403, 401, 401, 403, 403],
        ),
    ];
    // Single payments have their own loop below, one payment per role.
    assert_every_route_has_a_row(&cases, &[(M::POST, "/v1/payments")]);
    let mut wrong = Vec::new();
    for case in &cases {
        for (role, expected) in ROLES.iter().zip(case.expect) {
            let subject = match *role {
                "-" => None,
                other => Some(other),
            };
            let (status, body) = if case.streams {
                (node.status_of(subject, &case.path).await, Value::Null)
            } else {
                node.call(subject, case.method.clone(), &case.path, case.body.as_ref())
                    .await
            };
            if status.as_u16() != expected {
                wrong.push(format!(
                    "{} {} as {role}: {status}, expected {expected}: {body}",
                    case.method, case.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Single payments: every bank may send; nobody else may, and nobody sends in another's name.
    for (i, role) in ROLES.iter().enumerate() {
        let subject = match *role {
            "-" => None,
            other => Some(other),
        };
        let (status, body) = node
            .call(
                subject,
                Method::POST,
                "/v1/payments",
                Some(&single(&format!("AUTHZ-S{i}"))),
            )
            .await;
        let expected = match *role {
            "VOLGRUMM" | "URALRUMM" => 201,
            // The receiver paying itself.
            "NEVARUMM" => 403,
            // The agent has no RUB settlement account (only the funding account); IRR's agent
            // has none at all.
            "CBRFRUMM" | "CBIRIRTH" => 422,
            "operator" | "auditor" | "officer:VOLGRUMM:olga" | "officer:olga" => 403,
            _ => 401,
        };
        assert_eq!(
            status.as_u16(),
            expected,
            "POST /v1/payments as {role}: {body}"
        );
    }
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_sees_only_its_own_payments_accounts_and_outbox() {
    let node = TestNode::start().await;
    let (_, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("OWN-1", "NEVARUMM", "250.00", "RUB"),
        )
        .await;
    let id = receipt["payment"].as_u64().unwrap();
    let (_, ural_list) = node.get("URALRUMM", "/v1/payments").await;
    assert!(ural_list.as_array().unwrap().iter().all(|p| p["id"] != id));
    let (_, ural_accounts) = node.get("URALRUMM", "/v1/accounts").await;
    assert!(
        ural_accounts
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["owner"] == "URALRUMM")
    );
    let (_, ural_outbox) = node.get("URALRUMM", "/v1/outbox").await;
    let mentions = |outbox: &Value| {
        outbox["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["payment"] == id)
    };
    assert!(!mentions(&ural_outbox));
    let (_, neva_outbox) = node.get("NEVARUMM", "/v1/outbox").await;
    assert!(
        mentions(&neva_outbox),
        "the receiver learns of the payment: {neva_outbox}"
    );
    let (_, volg_outbox) = node.get("VOLGRUMM", "/v1/outbox").await;
    assert!(mentions(&volg_outbox), "the sender learns its status");
    // The statement of someone else's account is invisible, by id or by guessing.
    let neva = node.account("NEVARUMM", "RUB").await;
    let (status, _) = node
        .get("URALRUMM", &format!("/v1/accounts/{neva}/statement"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_submission_repeated_concurrently_settles_once() {
    let node = std::sync::Arc::new(TestNode::start().await);
    let before = node.balance("VOLGRUMM", "RUB").await;
    let body = payment("IDEM-1", "NEVARUMM", "777.77", "RUB");
    let mut tasks = Vec::new();
    for _ in 0..24 {
        let node = node.clone();
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            node.post("VOLGRUMM", "/v1/payments", &body).await
        }));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut firsts = 0;
    for task in tasks {
        let (status, receipt) = task.await.unwrap();
        assert!(status.is_success(), "{receipt}");
        ids.insert(receipt["payment"].as_u64().unwrap());
        if receipt["duplicate"] == false {
            firsts += 1;
        }
        assert_eq!(receipt["status"], "settled");
    }
    assert_eq!(ids.len(), 1, "one payment");
    assert_eq!(firsts, 1, "exactly one answer is the first");
    let after = node.balance("VOLGRUMM", "RUB").await;
    let moved = parse(&before) - parse(&after);
    assert_eq!(moved, 77_777, "debited once: {before} -> {after}");
    // The same instruction id with another body is refused, not applied.
    let (status, body) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("IDEM-1", "NEVARUMM", "1.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "DUPL");
}

fn parse(decimal: &str) -> i128 {
    decimal.replace('.', "").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_a_reason_code_and_change_nothing() {
    let node = TestNode::start().await;
    let before = (
        node.balance("VOLGRUMM", "RUB").await,
        node.payment_count().await,
    );
    let good = payment("BAD-0", "NEVARUMM", "10.00", "RUB");
    let with = |field: &str, value: Value| {
        let mut p = good.clone();
        p[field] = value;
        p
    };
    let huge_name = "x".repeat(70_000);
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("not JSON", "{\"kind\": ".into(), 400, "FF01"),
        (
            "wrong type",
            with("amount", json!(10)).to_string(),
            422,
            "FF01",
        ),
        (
            "unknown field",
            with("colour", json!("red")).to_string(),
            422,
            "FF01",
        ),
        (
            "negative amount",
            with("amount", json!("-5.00")).to_string(),
            422,
            "AM12",
        ),
        (
            "over-precise amount",
            with("amount", json!("1.001")).to_string(),
            422,
            "AM12",
        ),
        (
            "exponent notation",
            with("amount", json!("1e3")).to_string(),
            422,
            "AM12",
        ),
        (
            "zero amount",
            with("amount", json!("0.00")).to_string(),
            422,
            "AM01",
        ),
        (
            "unknown currency code",
            with("currency", json!("XQZ")).to_string(),
            422,
            "FF01",
        ),
        (
            "currency without agent",
            with("currency", json!("EUR")).to_string(),
            422,
            "AM03",
        ),
        (
            "malformed BIC",
            with("instructed_agent", json!("NEVA")).to_string(),
            422,
            "FF01",
        ),
        (
            "unknown participant",
            with("instructed_agent", json!("ZZZZRUMM")).to_string(),
            422,
            "RC04",
        ),
        (
            "bad UETR",
            with("uetr", json!("not-a-uuid")).to_string(),
            422,
            "FF01",
        ),
        (
            "hidden characters",
            with("debtor", json!({"name": "Ivan\u{202e}"})).to_string(),
            400,
            "FF01",
        ),
        (
            "bad IBAN",
            with(
                "creditor_account",
                json!({"iban": "DE00370400440532013000"}),
            )
            .to_string(),
            422,
            "AC01",
        ),
        (
            "oversized body",
            with("remittance_information", json!(huge_name)).to_string(),
            413,
            "SIZE",
        ),
    ];
    for (name, body, status, code) in cases {
        let response = node
            .http
            .post(format!("{}/v1/payments", node.base))
            .bearer_auth(node.token("VOLGRUMM").unwrap())
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let got = response.status().as_u16();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "{name}: {answer}");
        assert_eq!(answer["error"]["code"], code, "{name}: {answer}");
    }
    let (status, answer) = node
        .call(
            Some("VOLGRUMM"),
            Method::GET,
            "/v1/payments?limit=lots",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    let (status, _) = node.get("VOLGRUMM", "/v1/accounts/0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let after = (
        node.balance("VOLGRUMM", "RUB").await,
        node.payment_count().await,
    );
    assert_eq!(before, after, "nothing changed");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queued_payments_settle_when_liquidity_arrives_and_survive_a_restart() {
    let mut node = TestNode::start().await;
    // URALRUMM holds 5,000,000,000.00 RUB: this one cannot settle yet.
    let (status, receipt) = node
        .post(
            "URALRUMM",
            "/v1/payments",
            &payment("Q-1", "BAIKRUMM", "6000000000.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(receipt["status"], "queued");
    assert_eq!(receipt["reason"]["code"], "AM04");
    let id = receipt["payment"].as_u64().unwrap();
    node.restart().await;
    let (_, view) = node.get("URALRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(view["status"], "queued", "{view}");
    let fund = json!({"reference": "Q-FUND", "participant": "URALRUMM", "currency": "RUB", "amount": "1000000000.00", "direction": "fund"});
    let (status, _) = node.post("CBRFRUMM", "/v1/liquidity", &fund).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, view) = node.get("URALRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(view["status"], "settled", "{view}");
    let statuses: Vec<&str> = view["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["queued", "settled"]);
    node.restart().await;
    assert_eq!(node.balance("URALRUMM", "RUB").await, "0.00");
    assert_eq!(node.balance("BAIKRUMM", "RUB").await, "11000000000.00");
    let (_, statement) = node
        .get(
            "URALRUMM",
            &format!(
                "/v1/accounts/{}/statement",
                node.account("URALRUMM", "RUB").await
            ),
        )
        .await;
    assert_eq!(statement["opening_balance"], "0.00");
    assert_eq!(statement["closing_balance"], "0.00");
    assert_eq!(
        statement["entries"].as_array().unwrap().len(),
        3,
        "{statement}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_sees_only_the_recalls_it_asked_or_must_answer() {
    let node = TestNode::start().await;
    let (_, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("RCL-SEE-1", "NEVARUMM", "2.00", "RUB"),
        )
        .await;
    let id = receipt["payment"].as_u64().unwrap();
    let request = json!({"cancellation_id": "SEE-1", "reason": "FRAD suspected"});
    let (status, recall) = node
        .post("VOLGRUMM", &format!("/v1/payments/{id}/recall"), &request)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{recall}");
    let listed = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    let own = [recall["id"].as_u64().unwrap()];
    for (bank, expected) in [
        ("VOLGRUMM", &own[..]),
        ("NEVARUMM", &own[..]),
        ("URALRUMM", &[][..]),
        ("CBRFRUMM", &[][..]),
        ("operator", &own[..]),
        ("auditor", &own[..]),
    ] {
        let (status, list) = node.get(bank, "/v1/recalls").await;
        assert_eq!(status, StatusCode::OK, "{bank}: {list}");
        assert_eq!(listed(&list), expected, "{bank}");
    }
    let (_, page) = node.get("NEVARUMM", "/v1/outbox?limit=1000").await;
    let requests: Vec<&Value> = page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "recall_request")
        .collect();
    assert_eq!(requests.len(), 1, "{page}");
    assert_eq!(requests[0]["recall"]["reason"]["code"], "FRAD");
    let (_, page) = node.get("URALRUMM", "/v1/outbox?limit=1000").await;
    assert!(
        !page.to_string().contains("recall"),
        "another bank hears nothing of it: {page}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recall_survives_a_restart_and_is_answered_after_it() {
    let mut node = TestNode::start().await;
    let before = node.balance("VOLGRUMM", "RUB").await;
    let (_, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("RCL-RST-1", "NEVARUMM", "75.00", "RUB"),
        )
        .await;
    assert_eq!(receipt["status"], "settled", "{receipt}");
    let id = receipt["payment"].as_u64().unwrap();
    let request = json!({"cancellation_id": "RST-1", "reason": "DUPL paid twice"});
    let (status, recall) = node
        .post("VOLGRUMM", &format!("/v1/payments/{id}/recall"), &request)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{recall}");
    let recall_id = recall["id"].as_u64().unwrap();

    node.restart().await;
    let (_, list) = node.get("NEVARUMM", "/v1/recalls").await;
    let open = &list[0];
    assert_eq!(open["id"].as_u64(), Some(recall_id), "{list}");
    assert_eq!(open["status"], "open");
    assert_eq!(open["amount"], "75.00");
    // The same request after the restart is the same recall.
    let (status, again) = node
        .post("VOLGRUMM", &format!("/v1/payments/{id}/recall"), &request)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["duplicate"], true);

    let accept = json!({"decision": "accept"});
    let path = format!("/v1/recalls/{recall_id}/answer");
    let (status, answered) = node.post("NEVARUMM", &path, &accept).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["status"], "accepted");
    assert_eq!(answered["return_id"], format!("RECALL-{recall_id}"));
    assert_eq!(node.balance("VOLGRUMM", "RUB").await, before);
    let reject = json!({"decision": "reject", "reason": "CUST"});
    let (status, body) = node.post("NEVARUMM", &path, &reject).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "DUPL");

    node.restart().await;
    let (_, list) = node.get("VOLGRUMM", "/v1/recalls").await;
    assert_eq!(list[0]["status"], "accepted", "{list}");
    assert_eq!(node.balance("VOLGRUMM", "RUB").await, before);
    let (_, page) = node.get("VOLGRUMM", "/v1/outbox?limit=1000").await;
    assert!(
        page["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["type"] == "recall_answer" && m["recall"]["status"] == "accepted"),
        "{page}"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_long_poll_wakes_on_a_new_message() {
    let node = std::sync::Arc::new(TestNode::start().await);
    let (_, page) = node.get("NEVARUMM", "/v1/outbox?limit=1000").await;
    let last = page["last_seq"].as_u64().unwrap();
    let waiter = {
        let node = node.clone();
        tokio::spawn(async move {
            node.get("NEVARUMM", &format!("/v1/outbox?after={last}&wait=20"))
                .await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    node.post(
        "VOLGRUMM",
        "/v1/payments",
        &payment("POLL-1", "NEVARUMM", "5.00", "RUB"),
    )
    .await;
    let (status, page) = tokio::time::timeout(std::time::Duration::from_secs(10), waiter)
        .await
        .expect("long poll answered")
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let message = &page["messages"][0];
    assert_eq!(message["type"], "incoming_payment", "{page}");
    assert_eq!(
        message["payment_detail"]["instruction"]["instruction_id"],
        "POLL-1"
    );
    let seq = message["seq"].as_u64().unwrap();
    let (_, acked) = node
        .post("NEVARUMM", "/v1/outbox/ack", &json!({"up_to": seq}))
        .await;
    assert_eq!(acked["acknowledged"], seq);
}

/// The OpenAPI document lists exactly the routes the node serves, and every schema it
/// refers to is defined.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_document_matches_the_served_api() {
    let node = TestNode::start().await;
    let (status, doc) = node.call(None, Method::GET, "/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    let operations: usize = paths
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(
        (paths.len(), operations),
        (60, 73),
        "every route of the router is described"
    );
    for (path, item) in paths {
        let concrete = path.replace("{bic}", "VOLGRUMM").replace("{id}", "1");
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = node
                .http
                .request(method.clone(), format!("{}{concrete}", node.base))
                .timeout(std::time::Duration::from_secs(5))
                .send()
                .await;
            // Streams stay open: a timeout means the route answered and is streaming.
            let Ok(response) = response else { continue };
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            if status == StatusCode::NOT_FOUND {
                assert!(body.contains("\"code\""), "{method} {path} is not served");
            }
            // Every error answer has the documented shape.
            if status.is_client_error() || status.is_server_error() {
                let error: Value = serde_json::from_str(&body)
                    .unwrap_or_else(|_| panic!("{method} {path}: {status} {body}"));
                assert!(
                    error["error"]["code"].is_string() && error["error"]["message"].is_string(),
                    "{method} {path}: {body}"
                );
            }
        }
        // ... and the document says so for every error status of every operation.
        for (method, operation) in item.as_object().unwrap() {
            for (code, response) in operation["responses"].as_object().unwrap() {
                if code.starts_with('2') || code.starts_with('3') {
                    continue;
                }
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/ErrorBody",
                    "{method} {path} {code}: {response}"
                );
            }
        }
    }
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            schemas.contains_key(name),
            "schema {name} is referenced but not defined"
        );
    }
    for required in [
        "PaymentInstruction",
        "PaymentReceipt",
        "Rejection",
        "Party",
        "SkippedValueView",
    ] {
        assert!(schemas.contains_key(required), "{required}");
    }
    assert_eq!(
        schemas["ErrorBody"]["properties"]["error"]["$ref"], "#/components/schemas/Rejection",
        "{}",
        schemas["ErrorBody"]
    );
    assert_eq!(schemas["ErrorBody"]["required"], json!(["error"]));
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_show_payments_queue_settlement_and_fsync() {
    let node = TestNode::start().await;
    node.post(
        "VOLGRUMM",
        "/v1/payments",
        &payment("M-1", "NEVARUMM", "3.00", "RUB"),
    )
    .await;
    node.post(
        "URALRUMM",
        "/v1/payments",
        &payment("M-2", "BAIKRUMM", "9000000000.00", "RUB"),
    )
    .await;
    let text = node.metrics().await;
    for line in [
        "corridor_payments_total{status=\"settled\"} 1",
        "corridor_payments_total{status=\"queued\"} 1",
        "corridor_queue_depth 1",
        "corridor_settlement_latency_seconds_count 1",
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }
    let fsyncs = text
        .lines()
        .find(|l| l.starts_with("corridor_journal_fsync_seconds_count"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap();
    assert!(fsyncs > 0);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_participant_over_its_rate_limit_gets_429() {
    let node = TestNode::start_with(|c| c.rate_limit_per_second = 5).await;
    let mut limited = 0;
    for _ in 0..40 {
        let (status, body) = node.get("VOLGRUMM", "/v1/participants").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(body["error"]["code"], "RATE");
            limited += 1;
        }
    }
    assert!(limited > 0, "the limit applies");
    // Another participant has its own budget.
    let (status, _) = node.get("NEVARUMM", "/v1/participants").await;
    assert_eq!(status, StatusCode::OK);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_stream_sends_server_sent_events() {
    let node = std::sync::Arc::new(TestNode::start().await);
    let (_, page) = node.get("NEVARUMM", "/v1/outbox?limit=1000").await;
    let last = page["last_seq"].as_u64().unwrap();
    let mut stream = node
        .http
        .get(format!("{}/v1/outbox/stream?after={last}", node.base))
        .bearer_auth(node.token("NEVARUMM").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    node.post(
        "VOLGRUMM",
        "/v1/payments",
        &payment("SSE-1", "NEVARUMM", "8.00", "RUB"),
    )
    .await;
    let mut received = String::new();
    while !received.contains("SSE-1") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event arrives")
            .unwrap()
            .expect("the stream stays open");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(
        received.contains(&format!("id: {}", last + 1)),
        "{received}"
    );
    assert!(received.contains("incoming_payment"), "{received}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_of_ten_thousand_payments_is_one_request() {
    let node = TestNode::start().await;
    let batch: Vec<Value> = (0..10_000)
        .map(|n| payment(&format!("BATCH-{n}"), "NEVARUMM", "1.00", "RUB"))
        .collect();
    let (status, answer) = node
        .post(
            "VOLGRUMM",
            "/v1/payments/batch",
            &json!({ "payments": batch }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["accepted"], 10_000, "{}", answer["results"][0]);
    assert_eq!(answer["refused"], 0);
    assert!(
        answer["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "settled")
    );
    let mut too_many = batch;
    too_many.push(payment("BATCH-X", "NEVARUMM", "1.00", "RUB"));
    let (status, answer) = node
        .post(
            "VOLGRUMM",
            "/v1/payments/batch",
            &json!({ "payments": too_many }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(answer["error"]["code"], "FF01");
    node.stop().await;
}

/// Limits and reservations: bad values are refused with their reason and leave nothing set;
/// what a bank sets it reads back with its positions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn liquidity_controls_refuse_bad_values_and_show_positions() {
    let node = TestNode::start().await;
    let path = "/v1/participants/VOLGRUMM/liquidity-controls/RUB";
    for (body, code) in [
        (json!({"multilateral_limit": "-5.00"}), "AM12"),
        (json!({"multilateral_limit": "5.001"}), "AM12"),
        (json!({"urgent_reserve": "99999999999.00"}), "AM04"),
        (
            json!({"bilateral_limits": [{"counterparty": "VOLGRUMM", "limit": "1.00"}]}),
            "FF01",
        ),
        (json!({"overdraft": "1.00"}), "FF01"),
    ] {
        let (status, answer) = node
            .call(Some("VOLGRUMM"), Method::PUT, path, Some(&body))
            .await;
        assert!(
            [StatusCode::BAD_REQUEST, StatusCode::UNPROCESSABLE_ENTITY].contains(&status),
            "{body}: {status} {answer}"
        );
        assert_eq!(answer["error"]["code"], code, "{body}: {answer}");
    }
    let (status, _) = node.call(Some("VOLGRUMM"), Method::GET, path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was set");
    let limit = json!({"bilateral_limits": [{"counterparty": "NEVARUMM", "limit": "3.00"}]});
    let (status, _) = node
        .call(Some("VOLGRUMM"), Method::PUT, path, Some(&limit))
        .await;
    assert_eq!(status, StatusCode::OK);
    node.post(
        "VOLGRUMM",
        "/v1/payments",
        &payment("LIMIT-1", "NEVARUMM", "2.00", "RUB"),
    )
    .await;
    let (status, view) = node.call(Some("VOLGRUMM"), Method::GET, path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["bilateral_limits"][0]["position"], "2.00", "{view}");
    assert_eq!(view["set_by"], "participant:VOLGRUMM");
}

/// Net settlement: payments up to the amount join the open window; a bank reads only its
/// own position in it; closing the window settles them and each payment shows its window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn net_settlement_windows_over_http() {
    let node = TestNode::start().await;
    let settings = json!({
        "up_to_amount": "50.00",
        "default_after_seconds": 600,
        "net_debit_caps": [{"participant": "VOLGRUMM", "cap": "100.00"}]
    });
    let (status, _) = node
        .call(
            Some("operator"),
            Method::PUT,
            "/v1/net-settlement/RUB",
            Some(&settings),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, receipt) = node
        .post(
            "VOLGRUMM",
            "/v1/payments",
            &payment("NET-1", "NEVARUMM", "40.00", "RUB"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "netting", "{receipt}");
    let id = receipt["payment"].as_u64().unwrap();
    let (_, view) = node.get("URALRUMM", "/v1/net-settlement/RUB").await;
    let open = &view["windows"][0];
    assert_eq!(open["state"], "open", "{view}");
    assert_eq!(
        open["positions"].as_array().map(Vec::len),
        Some(0),
        "not its payments: {view}"
    );
    assert!(open["payments"].is_null(), "the scheme's figures: {view}");
    let (_, view) = node.get("VOLGRUMM", "/v1/net-settlement/RUB").await;
    assert_eq!(
        view["windows"][0]["positions"][0]["position"], "-40.00",
        "{view}"
    );
    assert_eq!(
        view["windows"][0]["positions"].as_array().map(Vec::len),
        Some(1)
    );
    let (status, refused) = node
        .call(
            Some("VOLGRUMM"),
            Method::POST,
            "/v1/net-settlement/RUB/windows",
            Some(&json!({"action": "close"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, _) = node
        .call(
            Some("operator"),
            Method::POST,
            "/v1/net-settlement/RUB/windows",
            Some(&json!({"action": "close"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = node.get("VOLGRUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(detail["status"], "settled", "{detail}");
    assert_eq!(detail["net_window"], view["windows"][0]["id"], "{detail}");
    let (_, all) = node.get("operator", "/v1/net-settlement/RUB").await;
    assert_eq!(all["windows"][1]["state"], "settled", "{all}");
    assert_eq!(
        all["windows"][1]["positions"].as_array().map(Vec::len),
        Some(2)
    );
    // The day's figures count the net settlement: value settled, liquidity used.
    let (_, saving) = node.get("operator", "/v1/liquidity-saving").await;
    let rub = saving["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["currency"] == "RUB")
        .unwrap();
    let net = rub["settled"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["by"] == "net")
        .unwrap();
    assert_eq!(net["value"], "40.00", "{saving}");
    assert!(rub["liquidity_used"].as_str().is_some(), "{saving}");
}
