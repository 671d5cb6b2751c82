//! Sanctions screening in the payment flow, over real HTTP against the demo corridor and its
//! invented watchlist: a payment to a listed name is held and says so, only the right
//! officers see and decide it, four-eyes, the false-positive memory, a hold surviving a
//! restart, list loading, and the audit chain.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestNode, payment};

const OLGA: &str = "officer:VOLGRUMM:olga";
const NEVA_OFFICER: &str = "officer:NEVARUMM:olga";
const OPERATOR_OFFICER: &str = "officer:olga";
const OPERATOR_PAVEL: &str = "officer:pavel";

/// A payment from VOLGRUMM to NEVARUMM whose creditor is `creditor`.
async fn pay_to(node: &TestNode, id: &str, creditor: &str) -> Value {
    let mut p = payment(id, "NEVARUMM", "100.00", "RUB");
    p["creditor"]["name"] = json!(creditor);
    let (status, receipt) = node.post("VOLGRUMM", "/v1/payments", &p).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");
    receipt
}

async fn status_of(node: &TestNode, payment: u64) -> String {
    let (_, p) = node
        .get("VOLGRUMM", &format!("/v1/payments/{payment}"))
        .await;
    p["status"].as_str().unwrap_or_default().to_string()
}

async fn decide(node: &TestNode, who: &str, payment: u64, body: Value) -> (StatusCode, Value) {
    node.post(
        who,
        &format!("/v1/compliance/holds/{payment}/decision"),
        &body,
    )
    .await
}

fn release() -> Value {
    json!({"decision": "release", "reason": "date of birth differs from the listed person"})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_payment_settles_and_a_listed_name_in_any_script_is_held() {
    let node = TestNode::start().await;
    let clean = pay_to(&node, "C-1", "Anna Smirnova").await;
    assert_eq!(clean["status"], "settled", "{clean}");
    for (id, name) in [
        ("H-1", "Boris Sanktsionov"),
        ("H-2", "Борис Санкционов"),
        ("H-3", "SANKTSIONOV, Boris"),
    ] {
        let held = pay_to(&node, id, name).await;
        assert_eq!(held["status"], "held", "{name}: {held}");
        assert_eq!(held["reason"]["code"], "RR04", "{held}");
    }
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_senders_and_the_operators_officers_see_and_decide_a_hold() {
    let node = TestNode::start().await;
    let held = pay_to(&node, "H-1", "Boris Sanktsionov").await;
    let id = held["payment"].as_u64().unwrap();
    let path = format!("/v1/compliance/holds/{id}");

    let (status, view) = node.get(OLGA, &path).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["hold"]["screening"]["hits"][0]["list"], "demo");
    assert_eq!(view["hold"]["screening"]["hits"][0]["entry_id"], "DEMO-1");
    assert!(
        view["hold"]["screening"]["lists"][0]["sha256"]
            .as_str()
            .is_some_and(|s| s.len() == 64),
        "the screening records the list version: {view}"
    );
    assert_eq!(node.get(OPERATOR_OFFICER, &path).await.0, StatusCode::OK);
    assert_eq!(node.get(NEVA_OFFICER, &path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(node.get("VOLGRUMM", &path).await.0, StatusCode::FORBIDDEN);
    let (_, theirs) = node.get(NEVA_OFFICER, "/v1/compliance/holds").await;
    assert_eq!(
        theirs,
        json!([]),
        "another bank's officer sees none of them"
    );

    let (status, _) = decide(&node, NEVA_OFFICER, id, release()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = decide(&node, "VOLGRUMM", id, release()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a bank's payment system cannot release"
    );
    let (status, _) = decide(&node, "operator", id, release()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the operator's admin is no officer"
    );
    assert_eq!(status_of(&node, id).await, "held");

    let (status, _) = decide(&node, OLGA, id, release()).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a bank's officer may recommend, not release"
    );
    let (status, hold) = decide(&node, OPERATOR_OFFICER, id, release()).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(hold["state"], "released");
    assert_eq!(status_of(&node, id).await, "settled");
    let (status, _) = decide(&node, OPERATOR_OFFICER, id, release()).await;
    assert_eq!(status, StatusCode::CONFLICT, "decided once");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_reaches_the_sender_as_pacs002_rjct_rr04() {
    let node = TestNode::start().await;
    let held = pay_to(&node, "H-1", "Hamid Tahrimi").await;
    let id = held["payment"].as_u64().unwrap();
    let (status, hold) = decide(
        &node,
        OLGA,
        id,
        json!({"decision": "reject", "reason": "confirmed match, reported"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(status_of(&node, id).await, "rejected");
    let (status, xml) = node_text(&node, "VOLGRUMM", "/v1/outbox?format=xml&limit=1000").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        xml.contains("<TxSts>PDNG</TxSts>"),
        "the hold was announced"
    );
    assert!(
        xml.contains("<TxSts>RJCT</TxSts>") && xml.contains("RR04"),
        "{xml}"
    );
    node.stop().await;
}

async fn node_text(node: &TestNode, subject: &str, path: &str) -> (StatusCode, String) {
    let response = node
        .http
        .request(Method::GET, format!("{}{path}", node.base))
        .bearer_auth(node.token(subject).unwrap())
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_takes_two_officers() {
    let node = TestNode::start().await;
    let (status, _) = node_put(
        &node,
        "operator",
        "/v1/compliance/config",
        json!({"hit_threshold": 850, "four_eyes": true}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let id = pay_to(&node, "H-1", "Boris Sanktsionov").await["payment"]
        .as_u64()
        .unwrap();
    let (_, first) = decide(&node, OPERATOR_OFFICER, id, release()).await;
    assert_eq!(first["state"], "open", "{first}");
    assert_eq!(status_of(&node, id).await, "held");
    let (status, _) = decide(&node, OPERATOR_OFFICER, id, release()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the same officer twice");
    let (_, second) = decide(&node, OPERATOR_PAVEL, id, release()).await;
    assert_eq!(second["state"], "released", "{second}");
    assert_eq!(status_of(&node, id).await, "settled");
    node.stop().await;
}

async fn node_put(node: &TestNode, subject: &str, path: &str, body: Value) -> (StatusCode, Value) {
    node.call(Some(subject), Method::PUT, path, Some(&body))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remembered_false_positive_is_not_held_again() {
    let node = TestNode::start().await;
    let id = pay_to(&node, "H-1", "Boris Sanktsionov").await["payment"]
        .as_u64()
        .unwrap();
    let body =
        json!({"decision": "release", "reason": "our customer, born 1990", "false_positive": true});
    let (status, _) = decide(&node, OPERATOR_OFFICER, id, body).await;
    assert_eq!(status, StatusCode::OK);
    let again = pay_to(&node, "H-2", "Boris Sanktsionov").await;
    assert_eq!(again["status"], "settled", "{again}");
    let (_, memory) = node.get(OLGA, "/v1/compliance/false-positives").await;
    assert_eq!(memory.as_array().map(Vec::len), Some(1), "{memory}");
    let (_, theirs) = node
        .get(NEVA_OFFICER, "/v1/compliance/false-positives")
        .await;
    assert_eq!(theirs, json!([]));
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_payment_survives_a_restart_and_is_released_after_it() {
    let mut node = TestNode::start().await;
    let id = pay_to(&node, "H-1", "Boris Sanktsionov").await["payment"]
        .as_u64()
        .unwrap();
    node.restart().await;
    assert_eq!(status_of(&node, id).await, "held");
    let (status, hold) = decide(&node, OPERATOR_OFFICER, id, release()).await;
    assert_eq!(status, StatusCode::OK, "{hold}");
    assert_eq!(status_of(&node, id).await, "settled");
    let held_again = pay_to(&node, "H-2", "Boris Sanktsionov").await;
    assert_eq!(
        held_again["status"], "held",
        "the stored list screens after the restart"
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_loads_a_list_and_a_bad_file_changes_nothing() {
    let node = TestNode::start().await;
    let csv = "id,kind,name,aliases,dates_of_birth,countries,identifiers\nOPS-1,person,Kazimir Zapretov,,1955,RU,\n";
    let path = "/v1/lists/ops?format=csv&date=2026-11-20";
    let (status, _) = put_bytes(&node, "VOLGRUMM", path, csv).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = put_bytes(&node, "operator", path, "id,kind\nbroken").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, lists) = node.get("operator", "/v1/lists").await;
    assert_eq!(lists["loaded"].as_array().map(Vec::len), Some(1), "{lists}");

    let (status, loaded) = put_bytes(&node, "operator", path, csv).await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    assert_eq!(loaded["entries"], 1);
    let (_, lists) = node.get(OPERATOR_OFFICER, "/v1/lists").await;
    assert_eq!(
        lists["recorded"].as_array().map(Vec::len),
        Some(2),
        "{lists}"
    );
    let held = pay_to(&node, "H-1", "Kazimir Zapretov").await;
    assert_eq!(held["status"], "held", "{held}");
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_with_an_unreadable_value_loads_and_says_what_it_left_out() {
    let node = TestNode::start().await;
    let csv = "id,kind,name,aliases,dates_of_birth,countries,identifiers\n\
               OPS-1,person,Kazimir Zapretov,,1955-02-30;1955,RU,\n\
               OPS-2,person,Boris Zapretov,,1960,RU,\n";
    let path = "/v1/lists/ops?format=csv&date=2026-11-20";
    let (status, loaded) = put_bytes(&node, "operator", path, csv).await;
    assert_eq!(status, StatusCode::OK, "{loaded}");
    assert_eq!(loaded["entries"], 2, "{loaded}");
    assert_eq!(loaded["skipped_values"], 1, "{loaded}");
    let skipped = &loaded["skipped"][0];
    assert_eq!(skipped["entry"], "OPS-1", "{loaded}");
    assert_eq!(skipped["field"], "dates_of_birth", "{loaded}");
    assert_eq!(skipped["value"], "1955-02-30", "{loaded}");
    assert!(skipped["reason"].as_str().is_some_and(|r| !r.is_empty()));

    let (_, lists) = node.get("operator", "/v1/lists").await;
    let ops = lists["loaded"]
        .as_array()
        .and_then(|l| l.iter().find(|v| v["list"] == "ops"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(ops["skipped_values"], 1, "{lists}");
    assert_eq!(ops["skipped"], loaded["skipped"], "{lists}");
    let held = pay_to(&node, "H-1", "Kazimir Zapretov").await;
    assert_eq!(
        held["status"], "held",
        "the entry is screened without the value: {held}"
    );
    node.stop().await;
}

async fn put_bytes(node: &TestNode, subject: &str, path: &str, body: &str) -> (StatusCode, Value) {
    let response = node
        .http
        .put(format!("{}{path}", node.base))
        .bearer_auth(node.token(subject).unwrap())
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_records_every_decision_and_verifies() {
    let node = TestNode::start().await;
    let id = pay_to(&node, "H-1", "Boris Sanktsionov").await["payment"]
        .as_u64()
        .unwrap();
    decide(&node, OPERATOR_OFFICER, id, release()).await;
    let (status, audit) = node.get("auditor", "/v1/compliance/audit").await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    assert_eq!(audit["verified"], true);
    let actions: Vec<String> = audit["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["action"].as_object()?.keys().next().cloned())
        .collect();
    for wanted in ["command", "payment_held", "hold_released"] {
        assert!(
            actions.iter().any(|a| a == wanted),
            "{wanted} in {actions:?}"
        );
    }
    assert_eq!(
        node.get(OLGA, "/v1/compliance/audit").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        node.get("VOLGRUMM", "/v1/compliance/audit").await.0,
        StatusCode::FORBIDDEN
    );
    node.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_name_dictionary_is_read_from_the_reference_directory() {
    let without = TestNode::start().await;
    let (_, lists) = without.get("operator", "/v1/lists").await;
    assert_eq!(lists["name_dictionary"], false, "{lists}");
    without.stop().await;

    let reference = tempfile::tempdir().unwrap();
    std::fs::write(
        reference.path().join("person_names.txt"),
        "hamid, hamed, حمید, хамид => Q1\ntahrimi, تحریمی => Q2\n",
    )
    .unwrap();
    let dir = reference.path().to_path_buf();
    let with = TestNode::start_with(move |c| c.reference_dir = Some(dir)).await;
    let (_, lists) = with.get("operator", "/v1/lists").await;
    assert_eq!(lists["name_dictionary"], true, "{lists}");
    let held = pay_to(&with, "H-1", "Хамид Тахрими").await;
    assert_eq!(held["status"], "held", "{held}");
    with.stop().await;
}
