//! Issue 17 over real HTTP against the demo corridor: the banks learn only RR04 of a hold
//! (JSON and pacs.002), a bank's officer cannot release a sanctions hold, four-eyes never
//! takes two officers of one bank, and the audit chain pages by cursor, verifies each page
//! against the head before it, names the journal record of each command, and has its head
//! published in the end-of-day statements.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestNode, payment};

const BANK_OFFICER: &str = "officer:VOLGRUMM:olga";
const SAME_BANK_OFFICER: &str = "officer:VOLGRUMM:pavel";
const OPERATOR_OFFICER: &str = "officer:olga";

/// What screening found that no bank may learn: the list entry, the match, the score.
const SECRETS: [&str; 4] = ["DEMO-1", "matches", "/1000", "Listed"];

async fn held_payment(node: &TestNode, id: &str) -> u64 {
    let mut p = payment(id, "NEVARUMM", "100.00", "RUB");
    p["creditor"]["name"] = json!("Boris Sanktsionov");
    let (status, receipt) = node.post("VOLGRUMM", "/v1/payments", &p).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    assert_eq!(receipt["status"], "held", "{receipt}");
    receipt["payment"].as_u64().unwrap()
}

async fn text(node: &TestNode, subject: &str, path: &str) -> String {
    let response = node
        .http
        .request(Method::GET, format!("{}{path}", node.base))
        .bearer_auth(node.token(subject).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

fn release() -> Value {
    json!({"decision": "release", "reason": "date of birth differs", "false_positive": true})
}

async fn decide(node: &TestNode, who: &str, payment: u64) -> (StatusCode, Value) {
    let path = format!("/v1/compliance/holds/{payment}/decision");
    node.post(who, &path, &release()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_banks_see_only_rr04_on_a_held_payment_in_json_and_xml() {
    let node = TestNode::start().await;
    let id = held_payment(&node, "H-1").await;
    for bank in ["VOLGRUMM", "NEVARUMM"] {
        let (status, view) = node.get(bank, &format!("/v1/payments/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{bank}: {view}");
        assert_eq!(view["status"], "held");
        let shown = view.to_string();
        assert!(shown.contains("RR04"), "{bank}: {shown}");
        for secret in SECRETS {
            assert!(!shown.contains(secret), "{bank} learns {secret:?}: {shown}");
        }
    }
    let xml = text(&node, "VOLGRUMM", "/v1/outbox?format=xml&limit=1000").await;
    assert!(
        xml.contains("<TxSts>PDNG</TxSts>") && xml.contains("RR04"),
        "{xml}"
    );
    for secret in SECRETS {
        assert!(
            !xml.contains(secret),
            "the pacs.002 tells {secret:?}: {xml}"
        );
    }
    let (_, hold) = node
        .get(OPERATOR_OFFICER, &format!("/v1/compliance/holds/{id}"))
        .await;
    assert!(hold["hold"]["why"].as_str().unwrap().contains("DEMO-1"));
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bank_officer_cannot_release_a_sanctions_hold() {
    let node = TestNode::start().await;
    let id = held_payment(&node, "H-1").await;
    let (status, body) = decide(&node, BANK_OFFICER, id).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (_, memory) = node
        .get(OPERATOR_OFFICER, "/v1/compliance/false-positives")
        .await;
    assert_eq!(memory, json!([]), "no whitelisting by the bank");
    let recommend = json!({"decision": "recommend_release", "reason": "our customer"});
    let path = format!("/v1/compliance/holds/{id}/decision");
    let (status, hold) = node.post(BANK_OFFICER, &path, &recommend).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(hold["state"], "open");
    let (status, hold) = decide(&node, OPERATOR_OFFICER, id).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(hold["state"], "released");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_refuses_two_officers_of_the_same_bank() {
    let node = TestNode::start().await;
    let config = json!({
        "hit_threshold": 850,
        "four_eyes": true,
        "sanctions_decided_by": "bank_officers"
    });
    let (status, body) = node
        .call(
            Some("operator"),
            Method::PUT,
            "/v1/compliance/config",
            Some(&config),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let id = held_payment(&node, "H-1").await;
    let (status, first) = decide(&node, BANK_OFFICER, id).await;
    assert_eq!((status, &first["state"]), (StatusCode::OK, &json!("open")));
    let (status, _) = decide(&node, SAME_BANK_OFFICER, id).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "two officers of one bank");
    let (status, second) = decide(&node, OPERATOR_OFFICER, id).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(second["state"], "released");
    node.stop().await;
}

async fn audit_page(node: &TestNode, query: &str) -> Value {
    let (status, page) = node
        .get("auditor", &format!("/v1/compliance/audit?{query}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_endpoint_pages_by_sequence_and_verifies_each_page() {
    let node = TestNode::start().await;
    held_payment(&node, "H-1").await;
    let whole = audit_page(&node, "after=0").await;
    assert_eq!(whole["verified"], true, "{whole}");
    let records = whole["records"].as_array().unwrap();
    assert!(records.len() > 10, "the demo's setup is audited");
    let total = whole["head"]["seq"].as_u64().unwrap();
    assert_eq!(records.len() as u64, total);
    let mut journal_seq = 0;
    for r in records {
        let actor = r["actor"].as_str().unwrap();
        assert!(actor.contains(':') || actor == "operator", "{actor}");
        let seq = r["journal_seq"].as_u64().unwrap();
        assert!(seq >= journal_seq && seq > 0, "journal order: {r}");
        journal_seq = seq;
    }

    let first = audit_page(&node, "after=0&limit=5").await;
    assert_eq!(first["records"].as_array().unwrap().len(), 5);
    assert_eq!(first["next_after"], 5);
    let hash = first["records"][4]["hash"].as_str().unwrap().to_string();
    let next = audit_page(&node, &format!("after=5&limit=5&after_hash={hash}")).await;
    assert_eq!(next["verified"], true, "{next}");
    assert_eq!(next["records"][0]["seq"], 6);
    let forged = "00".repeat(32);
    let broken = audit_page(&node, &format!("after=5&limit=5&after_hash={forged}")).await;
    assert_eq!(broken["verified"], false, "{broken}");
    let last = audit_page(&node, &format!("after={}", total - 1)).await;
    assert_eq!(last["next_after"], Value::Null);
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_end_of_day_statement_publishes_the_audit_head() {
    let node = TestNode::start().await;
    let (status, day) = node
        .post(
            "operator",
            "/v1/operator/end-of-day",
            &json!({"business_date": "2026-11-24"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{day}");
    let (_, outbox) = node.get("VOLGRUMM", "/v1/outbox?limit=1000").await;
    let statement = outbox["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["type"] == "statement").cloned())
        .unwrap_or_else(|| panic!("a statement: {day} {outbox}"));
    let head = &statement["audit_head"];
    assert!(head["seq"].as_u64().unwrap() > 0, "{statement}");
    assert_eq!(head["hash"].as_str().unwrap().len(), 64);
    let page = audit_page(
        &node,
        &format!("after={}&limit=1", head["seq"].as_u64().unwrap() - 1),
    )
    .await;
    assert_eq!(
        page["records"][0]["hash"], head["hash"],
        "the head is in the chain"
    );
    let xml = text(&node, "VOLGRUMM", "/v1/outbox?format=xml&limit=1000").await;
    assert!(
        xml.contains("audit chain head"),
        "the camt.053 carries it too"
    );
    node.stop().await;
}
