//! Cross-currency payments over HTTP: quote, pay, expired quote, a provider out of
//! liquidity, routing through a third currency, and who may see and use a quote.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestNode, payment};

fn rub_to_irr(instructed: &str, bearer: &str) -> Value {
    json!({
        "source_currency": "RUB",
        "destination_currency": "IRR",
        "creditor_agent": "ZAGRIRTH",
        "instructed_amount": instructed,
        "charge_bearer": bearer,
    })
}

/// The payment instruction for `quote`, as its requester sends it.
fn pay_quote(id: &str, quote: &Value) -> Value {
    let mut p = payment(
        id,
        quote["creditor_agent"].as_str().unwrap(),
        quote["instructed_amount"].as_str().unwrap(),
        quote["source_currency"].as_str().unwrap(),
    );
    p["charge_bearer"] = quote["charge_bearer"].clone();
    p["quote"] = quote["id"].clone();
    p
}

/// Quotes valid for `seconds`, queued payments for an hour.
async fn set_quote_validity(node: &TestNode, seconds: u32) {
    let (status, body) = node
        .call(
            Some("operator"),
            Method::PUT,
            "/v1/config",
            Some(&json!({"queue_timeout_seconds": 3600, "quote_validity_seconds": seconds})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn quote(node: &TestNode, bank: &str, request: &Value) -> Value {
    let (status, q) = node.post(bank, "/v1/fx/quotes", request).await;
    assert_eq!(status, StatusCode::CREATED, "{q}");
    q
}

/// The balance of `owner`'s FX inventory account in `currency`.
async fn inventory(node: &TestNode, owner: &str, currency: &str) -> String {
    let (_, accounts) = node.get("operator", "/v1/accounts").await;
    accounts
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["owner"] == owner && a["currency"] == currency && a["purpose"] == "fx_inventory"
        })
        .map(|a| a["balance"].as_str().unwrap().to_string())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quote_is_paid_payment_versus_payment() {
    let node = TestNode::start().await;
    let q = quote(&node, "VOLGRUMM", &rub_to_irr("1000.00", "DEBT")).await;
    // Caspian: 514.20 with a 150.00 RUB fee; Silk Road: 513.75 without: Caspian credits more.
    assert_eq!(q["hops"][0]["provider"], "CASPRUMM", "{q}");
    assert_eq!(q["route"], json!(["RUB", "IRR"]));
    assert_eq!(q["debtor_pays"], "1150.00");
    assert_eq!(q["creditor_receives"], "514200");
    assert_eq!(q["fees"][0]["borne_by"], "debtor");
    assert_eq!(q["considered"].as_array().unwrap().len(), 2);
    assert_eq!(q["reference_rate"]["rate"], "515.50");
    let before = node.balance("ZAGRIRTH", "IRR").await;
    let (status, receipt) = node
        .post("VOLGRUMM", "/v1/payments", &pay_quote("FX-HTTP-1", &q))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "settled");
    let after = node.balance("ZAGRIRTH", "IRR").await;
    assert_eq!(
        after.parse::<u128>().unwrap() - before.parse::<u128>().unwrap(),
        514_200
    );
    let id = receipt["payment"].as_u64().unwrap();
    for viewer in ["VOLGRUMM", "ZAGRIRTH"] {
        let (status, p) = node.get(viewer, &format!("/v1/payments/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(p["fx"]["quote"]["creditor_receives"], "514200");
        let legs = p["fx"]["legs"].as_array().unwrap();
        assert_eq!(legs.len(), 2);
        assert_eq!(
            (legs[0]["currency"].clone(), legs[0]["amount"].clone()),
            (json!("RUB"), json!("1150.00"))
        );
        assert_eq!(
            (legs[1]["currency"].clone(), legs[1]["amount"].clone()),
            (json!("IRR"), json!("514200"))
        );
    }
    let (_, outsider) = node.get("NEVARUMM", &format!("/v1/payments/{id}")).await;
    assert_eq!(outsider["error"]["code"], "NOTF");
    // The creditor's statement shows the destination leg.
    let zagr = node.account("ZAGRIRTH", "IRR").await;
    let (_, statement) = node
        .get("ZAGRIRTH", &format!("/v1/accounts/{zagr}/statement"))
        .await;
    assert!(
        statement["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["payment"] == id && e["amount"] == "514200" && e["kind"] == "fx_leg"),
        "{statement}"
    );
    let text = node.metrics().await;
    assert!(
        text.contains("corridor_fx_payments_settled{pair=\"RUB/IRR\"} 1"),
        "{text}"
    );
    assert!(text.contains("corridor_fx_volume_settled{currency=\"IRR\",pair=\"RUB/IRR\",side=\"destination\"} 514200"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_requester_sees_and_uses_its_quote() {
    let node = TestNode::start().await;
    let q = quote(&node, "VOLGRUMM", &rub_to_irr("10.00", "SHAR")).await;
    let path = format!("/v1/fx/quotes/{}", q["id"]);
    for (who, expect) in [
        ("VOLGRUMM", 200),
        ("NEVARUMM", 404),
        ("ZAGRIRTH", 404),
        ("CASPRUMM", 404),
        ("operator", 200),
        ("auditor", 200),
    ] {
        let (status, _) = node.get(who, &path).await;
        assert_eq!(status.as_u16(), expect, "{who}");
    }
    let (status, body) = node
        .post("NEVARUMM", "/v1/payments", &pay_quote("THEFT", &q))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "NOTF");
    // Agents, the operator and auditors do not ask for quotes.
    for who in ["operator", "auditor"] {
        let (status, _) = node
            .post(who, "/v1/fx/quotes", &rub_to_irr("10.00", "SHAR"))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{who}");
    }
    let (status, _) = node
        .call(
            None,
            Method::POST,
            "/v1/fx/quotes",
            Some(&rub_to_irr("10.00", "SHAR")),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_quote_is_refused() {
    let node = TestNode::start().await;
    set_quote_validity(&node, 1).await;
    let q = quote(&node, "VOLGRUMM", &rub_to_irr("10.00", "SHAR")).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    let before = node.balance("VOLGRUMM", "RUB").await;
    let (status, body) = node
        .post("VOLGRUMM", "/v1/payments", &pay_quote("LATE", &q))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "QEXP");
    assert_eq!(node.balance("VOLGRUMM", "RUB").await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_out_of_liquidity_settles_nothing() {
    let node = TestNode::start().await;
    set_quote_validity(&node, 2).await;
    let q = quote(&node, "VOLGRUMM", &rub_to_irr("10000.00", "DEBT")).await;
    assert_eq!(q["hops"][0]["provider"], "CASPRUMM");
    let held = inventory(&node, "CASPRUMM", "IRR").await;
    let drain = held.parse::<u128>().unwrap() - 1_000_000;
    let (status, body) = node
        .post("CBIRIRTH", "/v1/liquidity", &json!({"reference": "DRAIN-CASP", "participant": "CASPRUMM", "currency": "IRR", "amount": drain.to_string(), "direction": "defund", "account": "fx_inventory"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let before = node.balance("VOLGRUMM", "RUB").await;
    let (status, receipt) = node
        .post("VOLGRUMM", "/v1/payments", &pay_quote("DRY", &q))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(
        receipt["status"], "queued",
        "it waits, at most until its quote expires"
    );
    let path = format!("/v1/payments/{}", receipt["payment"]);
    let mut payment = Value::Null;
    for _ in 0..100 {
        (_, payment) = node.get("VOLGRUMM", &path).await;
        if payment["status"] != "queued" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(payment["status"], "rejected", "{payment}");
    assert_eq!(payment["reason"]["code"], "FXLQ", "{payment}");
    assert_eq!(node.balance("VOLGRUMM", "RUB").await, before);
    assert_eq!(inventory(&node, "CASPRUMM", "IRR").await, "1000000");
    // A new quote passes Caspian over for Silk Road, and says why.
    let q = quote(&node, "VOLGRUMM", &rub_to_irr("10000.00", "DEBT")).await;
    assert_eq!(q["hops"][0]["provider"], "SILKIRTH");
    assert!(
        q["considered"]
            .to_string()
            .contains("CASPRUMM lacks IRR liquidity"),
        "{q}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_country_is_reached_through_a_national_currency() {
    let mut node = TestNode::start().await;
    let op = |path: &'static str, body: Value| (path, body);
    for (path, body) in [
        op(
            "/v1/participants",
            json!({"bic": "PBOCCNBJ", "name": "CNY agent", "country": "CN", "roles": ["settlement_agent"]}),
        ),
        op(
            "/v1/currencies",
            json!({"currency": "CNY", "exponent": 2, "agent": "PBOCCNBJ", "time_zone": "Asia/Shanghai"}),
        ),
        op(
            "/v1/participants",
            json!({"bic": "ICBKCNBJ", "name": "A Chinese bank", "country": "CN", "roles": ["direct_participant"]}),
        ),
        op(
            "/v1/accounts",
            json!({"owner": "ICBKCNBJ", "currency": "CNY", "purpose": "settlement"}),
        ),
        op(
            "/v1/participants",
            json!({"bic": "DRGNCNBJ", "name": "Dragon FX", "country": "CN", "roles": ["fx_provider"]}),
        ),
        op(
            "/v1/accounts",
            json!({"owner": "DRGNCNBJ", "currency": "CNY", "purpose": "fx_inventory"}),
        ),
        op(
            "/v1/accounts",
            json!({"owner": "DRGNCNBJ", "currency": "IRR", "purpose": "fx_inventory"}),
        ),
    ] {
        let (status, answer) = node.post("operator", path, &body).await;
        assert!(status.is_success(), "{path}: {answer}");
    }
    for subject in ["PBOCCNBJ", "DRGNCNBJ", "ICBKCNBJ"] {
        let (_, credential) = node
            .post("operator", "/v1/credentials", &json!({"subject": subject}))
            .await;
        node.tokens
            .insert(subject.into(), credential["token"].as_str().unwrap().into());
    }
    for (agent, currency, amount) in [("PBOCCNBJ", "CNY", "1000000.00"), ("CBIRIRTH", "IRR", "1")] {
        let (status, answer) = node
            .post(agent, "/v1/liquidity", &json!({"reference": format!("DRGN-{currency}"), "participant": "DRGNCNBJ", "currency": currency, "amount": amount, "direction": "fund", "account": "fx_inventory"}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }
    let sheet = json!({"valid_for_seconds": 3600, "pairs": [{"base": "CNY", "quote": "IRR", "bid": "5900", "ask": "6000", "fee_in_quote": "3000"}]});
    let (status, published) = node.post("DRGNCNBJ", "/v1/fx/rate-sheets", &sheet).await;
    assert_eq!(status, StatusCode::CREATED, "{published}");
    let request = json!({"source_currency": "RUB", "destination_currency": "CNY", "creditor_agent": "ICBKCNBJ", "instructed_amount": "1000.00", "charge_bearer": "DEBT"});
    let q = quote(&node, "VOLGRUMM", &request).await;
    assert_eq!(q["route"], json!(["RUB", "IRR", "CNY"]), "{q}");
    // 1000.00 RUB -> 514,200 IRR (Caspian) -> (514,200 - 3,000) / 6000 = 85.2 CNY.
    assert_eq!(q["creditor_receives"], "85.20");
    assert_eq!(q["hops"][1]["provider"], "DRGNCNBJ");
    let (status, receipt) = node
        .post("VOLGRUMM", "/v1/payments", &pay_quote("VIA-IRR", &q))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "settled", "{receipt}");
    assert_eq!(node.balance("ICBKCNBJ", "CNY").await, "85.20");
    let (_, p) = node
        .get("VOLGRUMM", &format!("/v1/payments/{}", receipt["payment"]))
        .await;
    assert_eq!(p["fx"]["legs"].as_array().unwrap().len(), 3);
    // Everything survives a restart.
    node.restart().await;
    let (_, p) = node
        .get("ICBKCNBJ", &format!("/v1/payments/{}", receipt["payment"]))
        .await;
    assert_eq!(p["fx"]["quote"]["route"], json!(["RUB", "IRR", "CNY"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_sheets_and_reference_rates_are_published_by_their_owners() {
    let node = TestNode::start().await;
    let sheet = json!({"valid_for_seconds": 600, "pairs": [{"base": "RUB", "quote": "IRR", "bid": "520", "ask": "521"}]});
    for (who, expect) in [
        ("VOLGRUMM", 403),
        ("CBRFRUMM", 403),
        ("operator", 403),
        ("CASPRUMM", 201),
    ] {
        let (status, body) = node.post(who, "/v1/fx/rate-sheets", &sheet).await;
        assert_eq!(status.as_u16(), expect, "{who}: {body}");
    }
    let (_, mine) = node.get("CASPRUMM", "/v1/fx/rate-sheets").await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|s| s["provider"] == "CASPRUMM")
    );
    assert_eq!(
        mine.as_array().unwrap().len(),
        2,
        "the demo's and the new one: {mine}"
    );
    let (_, all) = node.get("auditor", "/v1/fx/rate-sheets").await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    let (_, none) = node.get("VOLGRUMM", "/v1/fx/rate-sheets").await;
    assert_eq!(none, json!([]));
    let bad = json!({"valid_for_seconds": 600, "pairs": [{"base": "RUB", "quote": "IRR", "bid": "522", "ask": "521"}]});
    let (status, body) = node.post("CASPRUMM", "/v1/fx/rate-sheets", &bad).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (StatusCode::BAD_REQUEST, json!("FF01"))
    );
    let rates = json!({"rates": [{"base": "RUB", "quote": "IRR", "rate": "516.125"}]});
    for (who, expect) in [("VOLGRUMM", 403), ("operator", 403), ("CBRFRUMM", 201)] {
        let (status, body) = node.post(who, "/v1/fx/reference-rates", &rates).await;
        assert_eq!(status.as_u16(), expect, "{who}: {body}");
    }
    let (_, listed) = node.get("NEVARUMM", "/v1/fx/reference-rates").await;
    assert_eq!(
        listed.as_array().unwrap().last().unwrap()["rate"],
        "516.125"
    );
    let (status, _) = node
        .call(None, Method::GET, "/v1/fx/reference-rates", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
